// Unit tests of the portfolio client (portfolio-client/src) under Node: run with
// `node --test browser-tests/portfolio-client.test.mjs` (PortfolioClientNodeTest runs them in Maven).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as library from '../portfolio-client/src/portfolio-client.js';
import { QueryClient, QueryObserver } from '@tanstack/query-core';
import {
  PortfolioClient, PortfolioStore, STATUS, backoffDelay, compareDecimals, connectQueryClient, findDiscrepancies,
  formatDecimal,
} from '../portfolio-client/src/portfolio-client.js';
import { CSRF_COOKIE_NAMES, readCookie } from '../portfolio-client/src/rest-api.js';
import {
  ManualClock, account, fakeRest, fakeSockets, message, order, position, recordingLogger, settle, trade,
} from './client-fakes.mjs';

const REST = () => ({
  '/api/health': { body: { status: 'ok', version: 't', features: { realtimePortfolio: true } } },
  '/api/auth/me': { body: { userId: 'u-1', username: 'alice', role: 'trader' } },
  '/api/positions': { body: [position('AAPL', 1)] },
  '/api/orders?status=all': { body: [] },
  '/api/account': { body: account('1000.00', 1) },
  '/api/trades': { body: [] },
});

/** A client on a manual clock, fake sockets and a scripted REST server, with a fixed backoff. */
function harness({ routes = REST(), backoff = attempt => attempt * 100, options = {} } = {}) {
  const clock = new ManualClock();
  const sockets = fakeSockets();
  const rest = fakeRest(routes);
  const logger = recordingLogger();
  const client = new PortfolioClient({
    baseUrl: 'http://edge.test', fetch: rest.fetch, WebSocket: sockets.WebSocket, timers: clock.timers,
    now: clock.now, logger, backoff, csrfToken: () => 'csrf-1', ...options,
  });
  const statuses = [];
  client.on('status', event => statuses.push(event.status));
  return { client, clock, sockets, rest, logger, statuses };
}

function snapshot(frame) {
  return message('snapshot', { positions: [], orders: [], account: null, trades: [], ...frame });
}

async function connected(h, frame = {}) {
  await h.client.start();
  h.sockets.last().open();
  h.sockets.last().receive(snapshot(frame));
  await settle();
}

describe('backoff', () => {
  test('doubles from one second and caps at thirty', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 10].map(a => backoffDelay(a, { random: () => 0 }));
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  test('adds up to one second of jitter, never beyond the cap', () => {
    assert.equal(backoffDelay(1, { random: () => 0.5 }), 1500);
    assert.equal(backoffDelay(4, { random: () => 0.999 }), 8999);
    assert.equal(backoffDelay(5, { random: () => 1 }), 17000);
    assert.equal(backoffDelay(9, { random: () => 1 }), 30000);
  });

  test('takes injected base, cap and jitter', () => {
    const delays = [1, 2, 3, 4].map(a => backoffDelay(a, { backoffBaseMs: 10, backoffMaxMs: 50, backoffJitterMs: 0 }));
    assert.deepEqual(delays, [10, 20, 40, 50]);
  });
});

describe('store', () => {
  test('a snapshot replaces the cache, events and batches merge into it', () => {
    const store = new PortfolioStore();
    store.positions.set('OLD', position('OLD', 9));
    store.applyMessage(snapshot({ positions: [position('AAPL', 1), position('TSLA', 1)], account: account('1000.00', 1) }));
    store.applyMessage(message('position_update', position('AAPL', 2, { currentPrice: '105.00' })));
    store.applyMessage(message('batch', {
      positions: [position('NVDA', 1)], orders: [order('o-1', 'new', 1)], account: account('1100.00', 2),
      trades: [trade('t-1'), trade('t-2')],
    }));
    store.applyMessage(message('trade_executed', trade('t-2')));

    const view = store.view();
    assert.deepEqual(view.positions.map(p => p.symbol), ['AAPL', 'NVDA', 'TSLA']);
    assert.equal(store.positions.get('AAPL').currentPrice, '105.00');
    assert.equal(view.account.equity, '1100.00');
    assert.deepEqual(view.orders.map(o => o.orderId), ['o-1']);
    assert.equal(view.trades.length, 2, 'a trade delivered twice is kept once');
  });

  test('the version guard keeps a newer state over a late older one', () => {
    const store = new PortfolioStore();
    store.applyMessage(message('position_update', position('AAPL', 5, { currentPrice: '110.00' })));
    const late = store.applyMessage(message('position_update', position('AAPL', 4, { currentPrice: '90.00' })));
    store.applyMessage(message('order_update', order('o-1', 'filled', 3)));
    store.applyMessage(message('order_update', order('o-1', 'accepted', 2)));
    store.applyMessage(message('account_update', account('2000.00', 7)));
    store.applyMessage(message('batch', { account: account('1500.00', 6), positions: [position('AAPL', 3)] }));

    assert.equal(store.positions.get('AAPL').currentPrice, '110.00');
    assert.deepEqual(late.positions, [], 'an ignored update reports no change');
    assert.equal(store.orders.get('o-1').status, 'filled');
    assert.equal(store.account.equity, '2000.00');
  });

  test('without versions the broker timestamp decides', () => {
    const store = new PortfolioStore();
    store.applyMessage(message('order_update', order('o-1', 'filled', undefined, { updatedAt: '2026-01-05T15:00:02Z' })));
    store.applyMessage(message('order_update', order('o-1', 'new', undefined, { updatedAt: '2026-01-05T15:00:01Z' })));
    assert.equal(store.orders.get('o-1').status, 'filled');
  });

  test('a position closed to quantity zero leaves the view but keeps its version', () => {
    const store = new PortfolioStore();
    store.applyMessage(message('position_update', position('AAPL', 3)));
    store.applyMessage(message('position_update', position('AAPL', 4, { quantity: '0.000' })));
    store.applyMessage(message('position_update', position('AAPL', 3)));
    assert.deepEqual(store.view().positions, []);
  });
});

describe('reconciliation', () => {
  test('names each discrepancy in a warning, then takes REST as the truth', async () => {
    const routes = REST();
    routes['/api/positions'] = { body: [position('AAPL', 3, { quantity: '12' }), position('MSFT', 1)] };
    routes['/api/orders?status=all'] = { body: [order('o-1', 'filled', 2, { filledQty: '1' }), order('o-2', 'new', 1)] };
    routes['/api/account'] = { body: account('1234.00', 3) };
    routes['/api/trades'] = { body: [trade('t-9')] };
    const h = harness({ routes });
    await connected(h, { positions: [position('AAPL', 2), position('TSLA', 1)], orders: [order('o-1', 'new', 1)],
      account: account('1000.00', 1) });

    const found = await h.client.reconcile();

    assert.deepEqual(found.sort(), [
      'account equity is 1000.00 in the cache, 1234.00 in REST',
      'order o-1 (AAPL) status new filled 0 in the cache, filled filled 1 in REST',
      'order o-2 (AAPL, new) is missing from the cache',
      'position AAPL quantity is 10 in the cache, 12 in REST',
      'position MSFT is missing from the cache',
      'position TSLA is cached but not in REST',
      'trade t-9 (AAPL) is missing from the cache',
    ]);
    assert.deepEqual(h.logger.warnings.sort(), found.map(d => `Reconciliation: ${d}`).sort());
    const view = h.client.view();
    assert.deepEqual(view.positions.map(p => `${p.symbol}:${p.quantity}`), ['AAPL:12', 'MSFT:10']);
    assert.equal(view.account.equity, '1234.00');
  });

  test('equal data written differently ("10" and "10.000") is no discrepancy', () => {
    const store = new PortfolioStore();
    store.applyMessage(snapshot({ positions: [position('AAPL', 1, { quantity: '10.000' })], account: account('1000.0', 1) }));
    assert.deepEqual(findDiscrepancies(store, { positions: [position('AAPL', 1)], account: account('1000.00', 1) }), []);
  });

  test('runs every minute while connected', async () => {
    const h = harness();
    await connected(h, { positions: [position('AAPL', 1, { currentPrice: '99.00' })] });
    const before = h.rest.calls.filter(c => c.path === '/api/positions').length;
    await h.clock.advance(60000);
    assert.equal(h.rest.calls.filter(c => c.path === '/api/positions').length, before + 1);
    assert.match(h.logger.warnings.join('\n'), /position AAPL currentPrice is 99.00 in the cache, 101.00 in REST/);
  });
});

describe('status transitions', () => {
  test('connecting, then connected on the snapshot after subscribing to every channel', async () => {
    const h = harness();
    await connected(h);
    assert.deepEqual(h.statuses, [STATUS.CONNECTING, STATUS.CONNECTED]);
    assert.equal(h.sockets.last().url, 'ws://edge.test/ws/portfolio');
    assert.deepEqual(h.sockets.last().sent[0], { type: 'subscribe', channels: ['positions', 'orders', 'account', 'trades'] });
  });

  test('a lost socket reconnects with the backoff and is connected again on a fresh snapshot', async () => {
    const h = harness();
    await connected(h, { positions: [position('AAPL', 1)] });
    h.sockets.last().serverClose(1001, 'Server shutting down');
    await settle();
    assert.equal(h.client.status, STATUS.RECONNECTING);
    assert.deepEqual(h.clock.waiting().slice(0, 1), [100]);
    await h.clock.advance(100);
    assert.equal(h.sockets.made.length, 2);
    h.sockets.last().open();
    h.sockets.last().receive(snapshot({ positions: [position('AAPL', 2, { currentPrice: '120.00' })] }));
    assert.equal(h.client.status, STATUS.CONNECTED);
    assert.equal(h.client.view().positions[0].currentPrice, '120.00');
    assert.equal(h.client.attempt, 0, 'a snapshot resets the backoff');
  });

  test('ten refused attempts with growing delays, then REST polling every 5 s and a socket retry every 30 s', async () => {
    const h = harness();
    await h.client.start();
    const delays = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      h.sockets.last().refuse();
      await settle();
      assert.equal(h.client.status, STATUS.RECONNECTING);
      delays.push(h.client.statusDetail.delayMs);
      await h.clock.advance(h.client.statusDetail.delayMs);
    }
    assert.deepEqual(delays, [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    h.sockets.last().refuse();
    await settle();
    assert.equal(h.client.status, STATUS.POLLING);
    assert.equal(h.sockets.made.length, 11);

    const polls = () => h.rest.calls.filter(c => c.path === '/api/positions').length;
    const first = polls();
    await h.clock.advance(15000);
    assert.equal(polls(), first + 3, 'a poll every 5 s');
    assert.equal(h.sockets.made.length, 11);
    await h.clock.advance(15000);
    assert.equal(h.sockets.made.length, 12, 'a background socket retry after 30 s');
    h.sockets.last().refuse();
    await settle();
    assert.equal(h.client.status, STATUS.POLLING, 'a failed background retry keeps polling');
    await h.clock.advance(30000);
    h.sockets.last().open();
    h.sockets.last().receive(snapshot({}));
    assert.equal(h.client.status, STATUS.CONNECTED);
    const afterConnect = polls();
    await h.clock.advance(20000);
    assert.equal(polls(), afterConnect, 'polling stops once the socket is back');
  });

  test('polling that cannot reach REST either reports offline, and polling again when REST answers', async () => {
    const h = harness({ options: { maxAttempts: 0 } });
    await h.client.start();
    h.rest.routes['/api/positions'] = new TypeError('network down');
    h.sockets.last().refuse();
    await settle();
    assert.equal(h.client.status, STATUS.OFFLINE);
    h.rest.routes['/api/positions'] = { body: [] };
    await h.clock.advance(5000);
    assert.equal(h.client.status, STATUS.POLLING);
  });

  test('pings a quiet socket, and replaces one that stays silent for two ping periods', async () => {
    const h = harness();
    await connected(h);
    await h.clock.advance(20000);
    assert.deepEqual(h.sockets.last().sent.at(-1), { type: 'ping' });
    h.sockets.last().receive(message('pong', {}));
    await h.clock.advance(20000);
    assert.equal(h.client.status, STATUS.CONNECTED, 'a pong within the period keeps it');
    await h.clock.advance(40000);
    assert.equal(h.client.status, STATUS.RECONNECTING);
    assert.equal(h.sockets.made[0].closedBy.reason, 'No answer');
    await h.clock.advance(100);
    assert.equal(h.sockets.made.length, 2);
  });

  test('close 1008 stops everything, reports signed out and empties the cache', async () => {
    const h = harness();
    const signedOut = [];
    h.client.on('signedOut', event => signedOut.push(event.reason));
    await connected(h, { positions: [position('AAPL', 1)], account: account('1000.00', 1) });
    h.sockets.last().serverClose(1008, 'Authentication required');
    await h.clock.advance(120000);
    assert.deepEqual(signedOut, ['Authentication required']);
    assert.equal(h.client.status, STATUS.OFFLINE);
    assert.deepEqual(h.client.view(), { positions: [], orders: [], account: null, trades: [] },
      'no signed-out user\'s data lingers');
    assert.equal(h.sockets.made.length, 1, 'no reconnect after a policy close');
  });

  test('close 1013 retries later with the backoff', async () => {
    const h = harness();
    await connected(h);
    h.sockets.last().serverClose(1013, 'Server capacity reached - please try again later');
    await settle();
    assert.equal(h.client.status, STATUS.RECONNECTING);
    await h.clock.advance(100);
    assert.equal(h.sockets.made.length, 2);
  });

  test('a refused handshake with /api/auth/me answering 401 is a sign-out, not a network failure', async () => {
    const h = harness();
    h.rest.routes['/api/auth/me'] = { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Sign in first' } } };
    await h.client.start();
    h.sockets.last().refuse();
    await settle();
    assert.equal(h.client.status, STATUS.OFFLINE);
    assert.equal(h.client.signedOut, true);
    assert.ok(h.rest.calls.some(c => c.path === '/api/auth/me'));
  });

  test('a refused handshake while /api/auth/me cannot be reached is a network failure: keep retrying', async () => {
    const h = harness();
    h.rest.routes['/api/auth/me'] = new TypeError('Failed to fetch');
    await h.client.start();
    h.sockets.last().refuse();
    await settle();
    assert.equal(h.client.status, STATUS.RECONNECTING);
    assert.equal(h.client.signedOut, false);
  });

  test('health saying realtimePortfolio false means disabled: no socket, REST polling', async () => {
    const h = harness();
    h.rest.routes['/api/health'] = { body: { status: 'ok', version: 't', features: { realtimePortfolio: false } } };
    await h.client.start();
    await settle();
    assert.equal(h.client.status, STATUS.DISABLED);
    assert.equal(h.sockets.made.length, 0);
    await h.clock.advance(5000);
    assert.equal(h.rest.calls.filter(c => c.path === '/api/positions').length, 2);
    assert.equal(h.client.view().positions[0].symbol, 'AAPL');
  });

  test('order status changes from live events are reported, snapshots are not', async () => {
    const h = harness();
    const seen = [];
    h.client.on('order', ({ order: o, previousStatus }) => seen.push(`${previousStatus}->${o.status}`));
    await connected(h, { orders: [order('o-1', 'new', 1)] });
    h.sockets.last().receive(message('order_update', order('o-1', 'filled', 2)));
    h.sockets.last().receive(message('order_update', order('o-2', 'rejected', 1, { rejectReason: 'insufficient buying power' })));
    assert.deepEqual(seen, ['new->filled', 'null->rejected']);
  });
});

describe('orders', () => {
  test('are posted as JSON with the CSRF token echoed, and errors carry details per field', async () => {
    const h = harness();
    h.rest.routes['/api/orders'] = init => init.body.includes('"qty":"-1"')
      ? { status: 400, body: { error: { code: 'INVALID_REQUEST', message: 'Invalid order', details: { qty: 'must be positive' } } } }
      : { status: 202, body: order('o-9', 'pending_new', 1) };
    const accepted = await h.client.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', qty: '5', limitPrice: '170.10', timeInForce: 'day' });
    assert.equal(accepted.orderId, 'o-9');
    const call = h.rest.calls.find(c => c.method === 'POST');
    assert.equal(call.headers['X-XSRF-TOKEN'], 'csrf-1');
    assert.equal(call.headers['Content-Type'], 'application/json');
    assert.deepEqual(JSON.parse(call.body), { symbol: 'AAPL', side: 'buy', type: 'limit', qty: '5', limitPrice: '170.10', timeInForce: 'day' });

    await assert.rejects(h.client.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', qty: '-1', timeInForce: 'day' }),
      error => error.status === 400 && error.code === 'INVALID_REQUEST' && error.details.qty === 'must be positive');
  });
});

describe('TanStack Query adapter', () => {
  test('keeps positions, orders, account and trades of the user in a real QueryClient', async () => {
    const queryClient = new QueryClient();
    const h = harness();
    connectQueryClient(h.client, queryClient, 'u-1');
    const observed = [];
    const observer = new QueryObserver(queryClient, { queryKey: ['positions', 'u-1'], enabled: false });
    const unsubscribe = observer.subscribe(result => observed.push(result.data?.map(p => p.currentPrice)));

    await connected(h, { positions: [position('AAPL', 1)], account: account('1000.00', 1), trades: [trade('t-1')] });
    h.sockets.last().receive(message('batch', {
      positions: [position('AAPL', 2, { currentPrice: '102.50' })], orders: [order('o-1', 'filled', 1)],
    }));

    assert.deepEqual(queryClient.getQueryData(['positions', 'u-1']).map(p => p.currentPrice), ['102.50']);
    assert.deepEqual(queryClient.getQueryData(['orders', 'u-1']).map(o => o.status), ['filled']);
    assert.equal(queryClient.getQueryData(['account', 'u-1']).equity, '1000.00');
    assert.deepEqual(queryClient.getQueryData(['trades', 'u-1']).map(t => t.tradeId), ['t-1']);
    assert.deepEqual(observed.at(-1), ['102.50'], 'observers are notified');
    assert.equal(queryClient.getQueryData(['positions', 'someone-else']), undefined);
    unsubscribe();
    queryClient.clear();
  });

  test('a late older event leaves the query data alone', async () => {
    const queryClient = new QueryClient();
    const h = harness();
    connectQueryClient(h.client, queryClient, 'u-1');
    await connected(h, { positions: [position('AAPL', 5, { currentPrice: '110.00' })] });
    const before = queryClient.getQueryState(['positions', 'u-1']).dataUpdatedAt;
    h.sockets.last().receive(message('position_update', position('AAPL', 4, { currentPrice: '90.00' })));
    assert.equal(queryClient.getQueryData(['positions', 'u-1'])[0].currentPrice, '110.00');
    assert.equal(queryClient.getQueryState(['positions', 'u-1']).dataUpdatedAt, before);
    queryClient.clear();
  });
});

describe('decimals', () => {
  test('compare and format without floating point', () => {
    assert.equal(compareDecimals('0.1', '0.10'), 0);
    assert.equal(compareDecimals('-2.5', '-2.49'), -1);
    assert.equal(compareDecimals('12345678901234567890.01', '12345678901234567890.001'), 1);
    assert.equal(formatDecimal('1234567.5', { minFraction: 2 }), '1,234,567.50');
    assert.equal(formatDecimal('-0.00', { minFraction: 2, plus: true }), '0.00');
    assert.equal(formatDecimal('12.30', { plus: true }), '+12.30');
    assert.equal(formatDecimal('100.000000000', { trimZeros: true }), '100');
    assert.equal(formatDecimal(null), '—');
  });
});

describe('the CSRF cookie', () => {
  test('is read as __Host-XSRF-TOKEN when the cookies are Secure, else as XSRF-TOKEN', () => {
    assert.equal(readCookie(CSRF_COOKIE_NAMES, () => 'a=1; __Host-XSRF-TOKEN=secure%2Etoken')(), 'secure.token');
    assert.equal(readCookie(CSRF_COOKIE_NAMES, () => 'XSRF-TOKEN=plain.token; b=2')(), 'plain.token');
    assert.equal(readCookie(CSRF_COOKIE_NAMES, () => 'XSRF-TOKEN=stale; __Host-XSRF-TOKEN=secure')(), 'secure',
      'the prefixed cookie, which only a Secure response can set, wins');
    assert.equal(readCookie(CSRF_COOKIE_NAMES, () => 'session=x')(), null);
    assert.equal(readCookie(CSRF_COOKIE_NAMES, () => '')(), null);
  });
});

describe('package', () => {
  test('declares in portfolio-client.d.ts exactly what the module exports', () => {
    const declarations = readFileSync(new URL('../portfolio-client/portfolio-client.d.ts', import.meta.url), 'utf8');
    const declared = [...declarations.matchAll(/^export (?:const|function|class) (\w+)/gm)].map(m => m[1]).sort();
    assert.deepEqual(declared, Object.keys(library).sort());
  });
});
