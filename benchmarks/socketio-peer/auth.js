'use strict';
// Sign-in for the peer: the users the driver hands over (PHC strings of the portfolio's own
// PasswordHashing: $pbkdf2$it=N$salt$hash, PBKDF2-HMAC-SHA512, 64-byte key, base64 salt and hash),
// checked with node's asynchronous crypto.pbkdf2 on libuv's thread pool, and a session cookie
// signed with HMAC-SHA256 that the Socket.IO handshake checks without any lookup.
const crypto = require('node:crypto');
const fs = require('node:fs');

const KEY_BYTES = 64;
const DIGEST = 'sha512';
const SESSION_COOKIE = 'session';

/** Parses '$pbkdf2$it=210000$<salt>$<hash>'; null when it is not one. */
function parsePhc(phc) {
  const parts = typeof phc === 'string' ? phc.split('$') : [];
  if (parts.length !== 5 || parts[1] !== 'pbkdf2' || !parts[2].startsWith('it=')) {
    return null;
  }
  const iterations = Number(parts[2].slice(3));
  if (!Number.isInteger(iterations) || iterations < 1) {
    return null;
  }
  return { iterations, salt: Buffer.from(parts[3], 'base64'), hash: Buffer.from(parts[4], 'base64') };
}

/** Resolves true when the password matches the PHC string (false for a malformed one). */
function verify(phc, password) {
  const stored = parsePhc(phc);
  if (stored === null || stored.hash.length !== KEY_BYTES) {
    return Promise.resolve(false);
  }
  return new Promise((resolve, reject) => {
    crypto.pbkdf2(password, stored.salt, stored.iterations, KEY_BYTES, DIGEST, (err, key) => {
      if (err) {
        reject(err);
      } else {
        resolve(crypto.timingSafeEqual(key, stored.hash));
      }
    });
  });
}

class Users {
  /** users: [{id, username, passwordHash, role}]; unknown names cost one hash like known ones. */
  constructor(users) {
    this.byName = new Map(users.map((u) => [u.username, u]));
    const iterations = users.length > 0 ? parsePhc(users[0].passwordHash).iterations : 210000;
    this.decoy = `$pbkdf2$it=${iterations}$${crypto.randomBytes(16).toString('base64')}$${crypto.randomBytes(KEY_BYTES).toString('base64')}`;
  }

  static fromFile(path) {
    return new Users(JSON.parse(fs.readFileSync(path, 'utf8')));
  }

  get size() {
    return this.byName.size;
  }

  /** Resolves the user, or null for a wrong name or password. */
  async authenticate(username, password) {
    const user = this.byName.get(username.trim().toLowerCase());
    const ok = await verify(user ? user.passwordHash : this.decoy, password);
    return ok && user ? user : null;
  }
}

class SessionCookies {
  constructor(secret, lifetimeMs) {
    this.secret = secret;
    this.lifetimeMs = lifetimeMs;
  }

  issue(userId) {
    const body = `${userId}.${Date.now() + this.lifetimeMs}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The user id of a Cookie header's valid, unexpired session; null otherwise. */
  userOf(cookieHeader) {
    const token = cookieValue(cookieHeader, SESSION_COOKIE);
    const parts = token ? token.split('.') : [];
    if (parts.length !== 3 || !(Number(parts[1]) > Date.now())) {
      return null;
    }
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? parts[0] : null;
  }

  sign(body) {
    return crypto.createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

function cookieValue(header, name) {
  for (const pair of (header || '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) {
      return pair.slice(eq + 1).trim();
    }
  }
  return null;
}

module.exports = { Users, SessionCookies, SESSION_COOKIE, parsePhc, verify };
