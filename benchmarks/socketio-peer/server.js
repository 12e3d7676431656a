'use strict';
// The Socket.IO peer of bin/benchmark-scale: what a team would write instead of the portfolio
// stream edge, done fairly. POST /api/auth/login {username, password} checks the users the
// driver hands over (PEER_USERS_FILE) and sets a signed session cookie; Socket.IO connections
// (WebSocket only, no compression) are admitted by that cookie, at most PEER_MAX_SOCKETS_PER_USER
// per user, and join one room per user; `subscribe` is answered with `info` and a `snapshot`,
// `ping` with `pong`; events from the driver's line feed (events.js) are batched per user
// (batching.js) and emitted to the user's room in the portfolio's envelope
// {type, userId, timestamp, seq, data}. Binds 127.0.0.1 only.
//
// Settings (environment): PEER_PORT (0: any free port), PEER_EVENTS_PORT (0), PEER_USERS_FILE,
// PEER_BATCH_WINDOW_MS (1000), PEER_MAX_SOCKETS_PER_USER (5), PEER_HEARTBEAT_INTERVAL_MS (15000:
// an Engine.IO ping every so often, the socket closed when no pong comes within as long again).
const http = require('node:http');
const crypto = require('node:crypto');
const { Server } = require('socket.io');
const { Users, SessionCookies, SESSION_COOKIE } = require('./auth');
const { UserWindow } = require('./batching');
const { listenForEvents } = require('./events');

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 64 * 1024;
const CHANNELS = ['account', 'orders', 'positions', 'trades'];
const SESSION_LIFETIME_MS = 12 * 3600 * 1000;

const settings = {
  port: Number(process.env.PEER_PORT || 0),
  eventsPort: Number(process.env.PEER_EVENTS_PORT || 0),
  usersFile: process.env.PEER_USERS_FILE,
  windowMs: Number(process.env.PEER_BATCH_WINDOW_MS || 1000),
  maxSocketsPerUser: Number(process.env.PEER_MAX_SOCKETS_PER_USER || 5),
  heartbeatMs: Number(process.env.PEER_HEARTBEAT_INTERVAL_MS || 15000),
};

const users = Users.fromFile(settings.usersFile);
const sessions = new SessionCookies(crypto.randomBytes(32), SESSION_LIFETIME_MS);
const socketsPerUser = new Map();
const seqPerUser = new Map();
const windows = new Map();

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function apiError(res, status, code, message) {
  sendJson(res, status, { error: { code, message } });
}

function login(req, res) {
  let body = '';
  let tooBig = false;
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
    if (body.length > MAX_BODY_BYTES) {
      tooBig = true;
      req.destroy();
    }
  });
  req.on('end', async () => {
    if (tooBig) return;
    let credentials;
    try {
      credentials = JSON.parse(body);
    } catch (e) {
      credentials = null;
    }
    const { username, password } = credentials || {};
    if (typeof username !== 'string' || typeof password !== 'string' || !username.trim() || !password) {
      apiError(res, 400, 'INVALID_REQUEST', 'username and password are required');
      return;
    }
    try {
      const user = await users.authenticate(username, password);
      if (user === null) {
        apiError(res, 401, 'INVALID_CREDENTIALS', 'Invalid username or password');
        return;
      }
      sendJson(res, 200, { userId: user.id, username: user.username, role: user.role }, {
        'Set-Cookie': `${SESSION_COOKIE}=${sessions.issue(user.id)}; Path=/; HttpOnly; SameSite=Lax`,
      });
    } catch (e) {
      apiError(res, 500, 'INTERNAL_ERROR', 'Sign-in failed');
    }
  });
}

const httpServer = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/auth/login') {
    login(req, res);
  } else {
    apiError(res, 404, 'NOT_FOUND', 'Not found');
  }
});

const io = new Server(httpServer, {
  serveClient: false,
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  maxHttpBufferSize: MAX_BODY_BYTES,
  pingInterval: settings.heartbeatMs,
  pingTimeout: settings.heartbeatMs,
});

function envelope(type, userId, data) {
  const seq = (seqPerUser.get(userId) || 0) + 1;
  seqPerUser.set(userId, seq);
  return { type, timestamp: new Date().toISOString(), userId, seq, data };
}

io.use((socket, next) => {
  const userId = sessions.userOf(socket.request.headers.cookie);
  if (userId === null) {
    next(new Error('Authentication required'));
    return;
  }
  const held = socketsPerUser.get(userId) || 0;
  if (held >= settings.maxSocketsPerUser) {
    next(new Error(`Maximum connections exceeded (${settings.maxSocketsPerUser} per user)`));
    return;
  }
  socketsPerUser.set(userId, held + 1);
  socket.data.userId = userId;
  next();
});

io.on('connection', (socket) => {
  const { userId } = socket.data;
  socket.join(userId);
  socket.on('disconnect', () => {
    const left = socketsPerUser.get(userId) - 1;
    if (left > 0) socketsPerUser.set(userId, left);
    else socketsPerUser.delete(userId);
  });
  socket.on('subscribe', (message) => {
    const channels = message && Array.isArray(message.channels)
      ? [...new Set(message.channels)].filter((c) => CHANNELS.includes(c)).sort() : [];
    if (channels.length === 0) {
      socket.emit('error', envelope('error', userId, { code: 'SUBSCRIPTION_FAILED', message: 'Unknown or missing channels' }));
      return;
    }
    socket.emit('info', envelope('info', userId, { code: 'SUBSCRIBED', message: 'Subscribed', channels }));
    // The peer holds no portfolio (no database): the snapshot of these users is empty, as the
    // portfolio edge's is for the benchmark's users, who own no rows.
    socket.emit('snapshot', envelope('snapshot', userId, { positions: [], orders: [], trades: [] }));
  });
  socket.on('ping', () => socket.emit('pong', envelope('pong', userId, {})));
});

function deliver(event, fill) {
  let window = windows.get(event.userId);
  if (window === undefined) {
    const room = io.to(event.userId);
    window = new UserWindow((type, data) => room.emit(type, envelope(type, event.userId, data)), settings.windowMs);
    windows.set(event.userId, window);
  }
  window.offer(event.type, event.data, fill);
}

async function main() {
  const { server: events } = await listenForEvents(HOST, settings.eventsPort, deliver);
  await new Promise((resolve) => httpServer.listen(settings.port, HOST, resolve));
  console.log(`socketio-peer up: http ${HOST}:${httpServer.address().port} events ${HOST}:${events.address().port} `
    + `users ${users.size} node ${process.version}`);
  process.on('SIGTERM', () => {
    io.close();
    events.close();
    process.exit(0);
  });
}

main().catch((e) => {
  console.error(`socketio-peer failed to start: ${e.message}`);
  process.exit(1);
});
