'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Users, SessionCookies } = require('../auth');

// Made by the portfolio's PasswordHashing(10000).hash("a long enough secret"): the peer must check
// our node's own hashes.
const JAVA_HASH = '$pbkdf2$it=10000$gYNDwEphXRAzHXmC4iXXsQ$/gdnTddPWecr67qFhIvWQ8Dby/OgzzJdCDHL3BdrK9CZCS0rjhQL/WCxeWER8N0A7n+4O1JKuD6TGlLR+L6R8w';

test('a hash made by the portfolio node signs its user in, typed in any case, and only with its password', async () => {
  const users = new Users([{ id: 'u-1', username: 'scale0', passwordHash: JAVA_HASH, role: 'trader' }]);

  assert.equal((await users.authenticate(' Scale0 ', 'a long enough secret')).id, 'u-1');
  assert.equal(await users.authenticate('scale0', 'a long enough secreT'), null);
  assert.equal(await users.authenticate('nobody', 'a long enough secret'), null);
});

test('a session cookie names its user until it expires, and not once altered', () => {
  const cookies = new SessionCookies(Buffer.from('k'.repeat(32)), 60000);
  const token = cookies.issue('u-1');

  assert.equal(cookies.userOf(`XSRF-TOKEN=x; session=${token}`), 'u-1');
  assert.equal(cookies.userOf(`session=${token.replace('u-1', 'u-2')}`), null);
  assert.equal(cookies.userOf(`session=${token}x`), null);
  const expired = new SessionCookies(Buffer.from('k'.repeat(32)), -1);
  assert.equal(expired.userOf(`session=${expired.issue('u-1')}`), null);
  assert.equal(cookies.userOf(undefined), null);
});
