// The resolve hook of resolve-packages.mjs.
const HERE = new URL('./package.json', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const bare = !/^(\.|\/|[a-z]+:)/i.test(specifier);
    if (bare && error?.code === 'ERR_MODULE_NOT_FOUND') {
      return nextResolve(specifier, { ...context, parentURL: HERE });
    }
    throw error;
  }
}
