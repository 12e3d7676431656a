// Lets modules outside browser-tests/ (the client package's React entry point) import the packages
// installed here: a bare specifier that resolves nowhere else resolves from browser-tests/, as it
// would from the app that installs the package. Used as `node --import ./browser-tests/resolve-packages.mjs`.
import { register } from 'node:module';

register('./resolve-packages-hooks.mjs', import.meta.url);
