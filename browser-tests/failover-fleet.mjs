// The clients of the failover test (EdgeFailoverTest, bin/benchmark-failover): USERS × SOCKETS
// PortfolioClients of the real client library, each user's sharing one cookie jar as a browser's
// tabs do, all through the balancer at BASE_URL. It prints one JSON line per thing that happens
// (open, close and its code, snapshot, status, an order seen filled, an HTTP error) with the
// time, and takes commands as JSON lines on stdin:
//   {"cmd":"order","user":"alice","key":"<idempotency key>"}  a market buy of 1 AAPL, tried again
//                                                              every second with the same key until accepted
//   {"cmd":"check"}                                             each client's cache against REST
//   {"cmd":"stop"}                                              closes every client and exits
// Run: node --experimental-websocket browser-tests/failover-fleet.mjs (Node 20; 22 has WebSocket).
import { createInterface } from 'node:readline';
import { PortfolioClient, findDiscrepancies } from '../portfolio-client/src/portfolio-client.js';
import { CSRF_COOKIE_NAMES, readCookie } from '../portfolio-client/src/rest-api.js';

const BASE_URL = process.env.BASE_URL;
const USERS = (process.env.USERS ?? 'alice,bob').split(',');
const PASSWORD = process.env.PASSWORD;
const SOCKETS = Number(process.env.SOCKETS ?? '5');
const ORDER_RETRY_MS = 1000;
const ORDER_GIVE_UP_MS = 60000;

function say(event, fields = {}) {
  process.stdout.write(`${JSON.stringify({ e: event, t: Date.now(), ...fields })}\n`);
}

/** One user's cookies, kept from Set-Cookie and sent on every request and socket handshake. */
class CookieJar {
  constructor() {
    this.cookies = new Map();
  }

  keep(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** fetch with the user's cookies, an Idempotency-Key on order placements, and HTTP errors reported. */
function userFetch(user, jar, idempotency) {
  return async (url, init = {}) => {
    const headers = { ...init.headers, Cookie: jar.header() };
    const path = new URL(url).pathname;
    if (init.method === 'POST' && path === '/api/orders' && idempotency.key) {
      headers['Idempotency-Key'] = idempotency.key;
    }
    const response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(10000) });
    jar.keep(response);
    if (response.status >= 400) {
      say('http', { user, method: init.method ?? 'GET', path, status: response.status });
    }
    return response;
  };
}

/** The global WebSocket, its handshake carrying the user's cookies, its open and close reported. */
function userSocket(user, client, jar) {
  return class extends WebSocket {
    constructor(url) {
      super(url, { headers: { Cookie: jar.header() } });
      this.addEventListener('open', () => say('open', { user, client }));
      this.addEventListener('close', event => say('close', { user, client, code: event.code, reason: event.reason }));
    }
  };
}

class User {
  constructor(name) {
    this.name = name;
    this.jar = new CookieJar();
    this.idempotency = { key: null };
    this.fetch = userFetch(name, this.jar, this.idempotency);
    this.clients = [];
  }

  client(index) {
    const client = new PortfolioClient({
      baseUrl: BASE_URL,
      fetch: this.fetch,
      WebSocket: userSocket(this.name, index, this.jar),
      csrfToken: readCookie(CSRF_COOKIE_NAMES, () => this.jar.header()),
      // Many users in one process: the tabs' channel is per browser origin, one user's; not here.
      BroadcastChannel: null,
      logger: { warn: message => say('warn', { user: this.name, client: index, message }), error: console.error },
    });
    const filled = new Set();
    client.on('status', ({ status }) => say('status', { user: this.name, client: index, status }));
    client.on('signedOut', ({ reason }) => say('signedOut', { user: this.name, client: index, reason }));
    client.on('change', changes => {
      if (changes.source === 'snapshot') {
        say('snapshot', { user: this.name, client: index });
      }
      for (const { current } of changes.orders) {
        if (current.status === 'filled' && !filled.has(current.orderId)) {
          filled.add(current.orderId);
          say('filled', { user: this.name, client: index, orderId: current.orderId, source: changes.source });
        }
      }
    });
    return client;
  }

  async start() {
    const first = this.client(0);
    await first.login(this.name, PASSWORD);
    this.clients.push(first);
    for (let i = 1; i < SOCKETS; i++) {
      this.clients.push(this.client(i));
    }
    await Promise.all(this.clients.map(client => client.start()));
  }

  /** Places the order under one key until the server accepts it (a retry of an accepted one returns it). */
  async order(key) {
    this.idempotency.key = key;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const order = await this.clients[0].placeOrder({
          symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', timeInForce: 'day',
        });
        say('placed', { user: this.name, key, orderId: order.orderId, attempts: attempt });
        return;
      } catch (error) {
        if (Date.now() - started > ORDER_GIVE_UP_MS) {
          say('orderFailed', { user: this.name, key, message: String(error?.message ?? error) });
          return;
        }
        await new Promise(resolve => setTimeout(resolve, ORDER_RETRY_MS));
      }
    }
  }

  async check() {
    const rest = await this.clients[0].api.fetchPortfolio();
    this.clients.forEach((client, index) =>
      say('check', { user: this.name, client: index, discrepancies: findDiscrepancies(client.store, rest) }));
  }
}

const users = new Map(USERS.map(name => [name, new User(name)]));

async function command(line) {
  const { cmd, user, key } = JSON.parse(line);
  if (cmd === 'order') {
    await users.get(user).order(key);
  } else if (cmd === 'check') {
    await Promise.all([...users.values()].map(u => u.check()));
    say('checked');
  } else if (cmd === 'stop') {
    users.forEach(u => u.clients.forEach(client => client.stop()));
    say('stopped');
    process.exit(0);
  }
}

createInterface({ input: process.stdin }).on('line', line => {
  command(line).catch(error => say('failed', { line, message: String(error?.stack ?? error) }));
});
process.stdin.on('end', () => process.exit(0));

try {
  await Promise.all([...users.values()].map(u => u.start()));
  say('started');
} catch (error) {
  say('failed', { message: String(error?.stack ?? error) });
  process.exit(1);
}
