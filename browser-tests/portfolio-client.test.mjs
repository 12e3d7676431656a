// Unit tests of the portfolio client (portfolio-client/src) under Node: run with
// `node --test browser-tests/portfolio-client.test.mjs` (PortfolioClientNodeTest runs them in Maven).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as library from '../portfolio-client/src/portfolio-client.js';
import { QueryClient, QueryObserver } from '@tanstack/query-core';
import {
  PortfolioClient, PortfolioStore, STATUS, backoffDelay, compareDecimals, connectQueryClient, findDiscrepancies,
  formatDecimal, messageProblem,
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
function harness({ routes = REST(), backoff = attempt => attempt * 100, options = {}, sockets = fakeSockets() } = {}) {
  const clock = new ManualClock();
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

  test('a REST read that began before a live fill and is answered after it never undoes the fill', async () => {
    const routes = REST();
    const h = harness({ routes });
    await connected(h, { positions: [position('AAPL', 1)], orders: [order('o-1', 'new', 1)], account: account('1000.00', 1) });
    // What REST read: the state before the fill. The fill reaches the socket while the read is out.
    routes['/api/positions'] = () => {
      h.sockets.last().receive(message('batch', {
        orders: [order('o-1', 'filled', 2, { filledQty: '1' })], positions: [position('AAPL', 2, { quantity: '11' })],
        account: account('900.00', 2), trades: [trade('t-1')],
      }));
      return { body: [position('AAPL', 1)] };
    };
    routes['/api/orders?status=all'] = { body: [order('o-1', 'new', 1)] };
    routes['/api/account'] = { body: account('1000.00', 1) };
    routes['/api/trades'] = { body: [] };

    const corrected = await h.client.reconcile();

    assert.deepEqual(corrected, [], 'nothing the socket brought is reported as a discrepancy');
    assert.deepEqual(h.logger.warnings, []);
    const view = h.client.view();
    assert.equal(view.orders[0].status, 'filled', 'the order does not go back to new with a live Cancel button');
    assert.equal(view.positions[0].quantity, '11');
    assert.equal(view.account.equity, '900.00');
    assert.deepEqual(view.trades.map(t => t.tradeId), ['t-1'], 'a trade the read could not see stays');
  });

  test('REST corrects only where it is newer or the cache had nothing, and names each correction', () => {
    const store = new PortfolioStore();
    store.applyMessage(snapshot({
      positions: [position('AAPL', 5, { quantity: '10' }), position('TSLA', 2), position('GONE', 1)],
      orders: [order('o-1', 'new', 4), order('o-2', 'new', 1)], account: account('1000.00', 3),
    }));
    const mark = store.mark();
    store.applyMessage(message('position_update', position('NVDA', 1)));

    const changes = store.mergeFromRest({
      positions: [position('AAPL', 4, { quantity: '8' }), position('TSLA', 3, { quantity: '20' }), position('MSFT', 1)],
      orders: [order('o-1', 'accepted', 3), order('o-2', 'canceled', 2)],
      account: account('1000.00', 2),
      trades: [],
    }, mark, 'reconcile');

    assert.deepEqual(changes.corrected.sort(), [
      'order o-2 (AAPL) status new filled 0 in the cache, canceled filled 0 in REST',
      'position GONE is cached but not in REST',
      'position MSFT is missing from the cache',
      'position TSLA quantity is 10 in the cache, 20 in REST',
    ]);
    assert.equal(store.positions.get('AAPL').quantity, '10', 'version 5 in the cache beats version 4 in REST');
    assert.equal(store.orders.get('o-1').status, 'new', 'an older REST order does not replace a newer cached one');
    assert.equal(store.positions.get('NVDA').quantity, '10', 'written by the socket during the read: kept though REST lacks it');
    assert.equal(store.positions.has('GONE'), false, 'not in REST and not written during the read: closed');
    assert.equal(store.account.version, 3);
  });

  test('without versions, what the socket wrote during the read wins and the rest follows REST', () => {
    const store = new PortfolioStore();
    store.applyMessage(snapshot({ orders: [order('o-1', 'new', undefined), order('o-2', 'new', undefined)] }));
    const mark = store.mark();
    store.applyMessage(message('order_update', order('o-1', 'filled', undefined, { updatedAt: '2026-01-05T15:00:02Z' })));

    const changes = store.mergeFromRest({ orders: [order('o-1', 'new', undefined), order('o-2', 'canceled', undefined)] }, mark);

    assert.equal(store.orders.get('o-1').status, 'filled');
    assert.equal(store.orders.get('o-2').status, 'canceled');
    assert.deepEqual(changes.corrected, ['order o-2 (AAPL) status new filled 0 in the cache, canceled filled 0 in REST']);
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

describe('status reports', () => {
  test('status changes go to POST /api/client-events together every 5 s, with the CSRF token', async () => {
    const h = harness();
    h.rest.routes['/api/client-events'] = { status: 204 };
    await connected(h);
    h.sockets.last().serverClose(1001, 'Server shutting down');
    await settle();
    assert.deepEqual(h.rest.calls.filter(c => c.path === '/api/client-events'), [], 'nothing before 5 s');
    await h.clock.advance(100);
    h.sockets.last().open();
    h.sockets.last().receive(snapshot({}));
    await h.clock.advance(5000);
    const reports = h.rest.calls.filter(c => c.path === '/api/client-events');
    assert.equal(reports.length, 1);
    assert.equal(reports[0].method, 'POST');
    assert.equal(reports[0].headers['X-XSRF-TOKEN'], 'csrf-1');
    assert.deepEqual(JSON.parse(reports[0].body).events.map(e => e.status),
      ['connecting', 'connected', 'reconnecting', 'connected']);
    await h.clock.advance(60000);
    assert.equal(h.rest.calls.filter(c => c.path === '/api/client-events').length, 1, 'no change, no report');
    h.client.stop();
  });

  test('a failed report is dropped, and a stopped client sends none', async () => {
    const h = harness();
    h.rest.routes['/api/client-events'] = new TypeError('network down');
    await connected(h);
    await h.clock.advance(5000);
    assert.equal(h.rest.calls.filter(c => c.path === '/api/client-events').length, 1);
    h.client.stop();
    await h.clock.advance(60000);
    assert.equal(h.rest.calls.filter(c => c.path === '/api/client-events').length, 1);
  });
});

describe('the contract', () => {
  test('every shape the fakes build (the API reference\'s examples) passes', () => {
    for (const sample of [
      message('position_update', position('BRK.B', 1)), message('order_update', order('o-1', 'new', 1)),
      message('account_update', account('1.00', 1)), message('trade_executed', trade('t-1')),
      snapshot({ positions: [position('AAPL', 1)], orders: [order('o-1', 'filled', 2)], account: null, trades: [trade('t-1')] }),
      message('batch', { account: account('1.00', 2) }), message('info', { code: 'SUBSCRIBED', channels: ['positions'] }),
      message('error', { code: 'RATE_LIMITED', message: 'Slow down' }), message('pong', {}),
    ]) {
      assert.equal(messageProblem(sample), null, JSON.stringify(sample));
    }
  });

  test('names what breaks it', () => {
    const problems = [
      [{ ...message('position_update', position('AAPL', 1)), seq: 0 }, 'position_update: seq is not a positive integer'],
      [message('order_update', order('o-1', 'sent', 1)), 'order_update: order status is not an order status'],
      [message('position_update', position('AAPL', 1, { quantity: 10 })), 'position_update: position quantity is not a decimal string'],
      [message('position_update', position('AAPL', 1, { currentPrice: '1e3' })), 'position_update: position currentPrice is not a decimal string'],
      [message('account_update', { cash: '1.00' }), 'account_update: account equity is missing'],
      [message('batch', { orders: [order('o-1', 'new', 1), { orderId: 'o-2' }] }), 'batch: orders[1] symbol is missing'],
      [message('batch', { positions: 'AAPL' }), 'batch: positions is not a list of at most 10000'],
      [message('trade_executed', trade('t-1', 'not a symbol!')), 'trade_executed: trade symbol is not a symbol'],
      [message('position_update', position('AAPL', -1)), 'position_update: position version is not a non-negative integer'],
      [{ ...message('snapshot', {}), timestamp: 'yesterday' }, 'snapshot: timestamp is not a date-time'],
      [message('shutdown', {}), 'type "shutdown" is not one the server sends'],
      [[1, 2], 'the message is not an object'],
    ];
    for (const [sample, reason] of problems) {
      assert.equal(messageProblem(sample), reason);
    }
  });

  test('a malformed frame is logged and dropped whole: nothing of it reaches the cache', async () => {
    const h = harness();
    const changes = [];
    await connected(h, { positions: [position('AAPL', 1, { currentPrice: '100.00' })] });
    h.client.on('change', c => changes.push(c));
    h.sockets.last().receive(message('batch', {
      positions: [position('AAPL', 2, { currentPrice: '150.00' })], orders: [order('o-1', 'new', 1, { qty: 'lots' })],
    }));
    h.sockets.last().onmessage({ data: '{"type": "batch", ' });

    assert.equal(h.client.view().positions[0].currentPrice, '100.00');
    assert.deepEqual(h.client.view().orders, []);
    assert.deepEqual(changes, []);
    assert.equal(h.client.droppedMessages, 2);
    assert.deepEqual(h.logger.warnings, [
      'Dropped a socket message that breaks the contract: batch: orders[0] qty is not a decimal string',
      'Dropped a socket message that is not JSON',
    ]);
    assert.equal(h.client.status, STATUS.CONNECTED, 'a bad frame does not end the stream');
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

  test('pings a socket silent for 1 s and replaces it when nothing answers within 2.5 s: lost within 5 s', async () => {
    const h = harness();
    await connected(h);
    await h.clock.advance(900);
    assert.deepEqual(h.sockets.last().sent.filter(m => m.type === 'ping'), [], 'no ping before 1 s of silence');
    await h.clock.advance(100);
    assert.deepEqual(h.sockets.last().sent.at(-1), { type: 'ping' }, 'answered by the fake server');
    await h.clock.advance(10000);
    assert.equal(h.client.status, STATUS.CONNECTED, 'pongs keep it');
    assert.equal(h.sockets.last().sent.filter(m => m.type === 'ping').length, 11, 'one ping per 1 s of silence, not one per check');
    const lastHeard = h.client.lastMessageAt;

    // The network is cut: nothing arrives any more, not even a pong.
    h.sockets.last().answerPings = false;
    let lostAt = null;
    h.client.on('status', event => { lostAt ??= event.status === STATUS.RECONNECTING ? h.clock.time : null; });
    await h.clock.advance(6000);
    assert.ok(lostAt !== null, 'the loss is seen');
    assert.ok(lostAt - lastHeard <= 5000, `seen ${lostAt - lastHeard} ms after the last message`);
    assert.equal(h.sockets.made[0].closedBy.reason, 'No answer');
    assert.match(h.logger.warnings.at(-1), /Connection lost \(No answer to a ping in 2500 ms\)/);
    assert.equal(h.sockets.made.length, 2, 'and reconnects with the backoff');
  });

  test('a handshake nobody answers (a frozen node) is given up after 5 s and tried again', async () => {
    const h = harness();
    await h.client.start();
    await h.clock.advance(4900);
    assert.equal(h.client.status, STATUS.CONNECTING);
    await h.clock.advance(100);
    assert.equal(h.client.status, STATUS.RECONNECTING);
    assert.equal(h.sockets.made[0].readyState, 3, 'the hung socket is closed');
    await h.clock.advance(100);
    assert.equal(h.sockets.made.length, 2, 'and the next attempt follows the backoff');
    h.sockets.last().open();
    await h.clock.advance(10000);
    assert.equal(h.sockets.made.length, 2, 'an opened socket is not timed out');
    h.client.stop();
  });

  test('a busy stream is never pinged', async () => {
    const h = harness();
    await connected(h, { positions: [position('AAPL', 1)] });
    for (let v = 2; v < 40; v++) {
      await h.clock.advance(900);
      h.sockets.last().receive(message('position_update', position('AAPL', v)));
    }
    assert.deepEqual(h.sockets.last().sent.filter(m => m.type === 'ping'), []);
  });

  test('a hidden page does not ping, and checks as soon as it is shown', async () => {
    const window = new EventTarget();
    const document = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    const h = harness({ options: { page: { window, document } } });
    await connected(h);
    await h.clock.advance(60000);
    assert.equal(h.client.status, STATUS.CONNECTED);
    assert.deepEqual(h.sockets.last().sent.filter(m => m.type === 'ping'), []);
    h.sockets.last().answerPings = false;
    document.visibilityState = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    assert.deepEqual(h.sockets.last().sent.at(-1), { type: 'ping' }, 'pinged on being shown');
    await h.clock.advance(2500);
    assert.equal(h.client.status, STATUS.RECONNECTING, 'a connection that died while hidden is seen 2.5 s after');
    h.client.stop();
  });

  test('the browser going offline drops the socket at once; online reconnects at once', async () => {
    const window = new EventTarget();
    const h = harness({ options: { page: { window, document: new EventTarget() } } });
    await connected(h);
    window.dispatchEvent(new Event('offline'));
    await settle();
    assert.equal(h.client.status, STATUS.RECONNECTING);
    assert.equal(h.sockets.made.length, 1);
    window.dispatchEvent(new Event('online'));
    assert.equal(h.sockets.made.length, 2, 'no waiting for the backoff');
    h.client.stop();
    window.dispatchEvent(new Event('online'));
    assert.equal(h.sockets.made.length, 2, 'a stopped client no longer listens');
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

  test('1008 "Maximum connections exceeded" is not a sign-out: poll REST, retry the socket every 30 s', async () => {
    const h = harness({ options: { BroadcastChannel: null } });
    const signedOut = [];
    h.client.on('signedOut', event => signedOut.push(event));
    await connected(h, { positions: [position('AAPL', 1)] });
    h.sockets.last().serverClose(1008, 'Maximum connections exceeded (5 per user)');
    await settle();
    assert.deepEqual(signedOut, []);
    assert.equal(h.client.status, STATUS.POLLING);
    assert.equal(h.client.statusDetail.reason, 'Maximum connections exceeded (5 per user)');
    assert.equal(h.client.view().positions[0].symbol, 'AAPL', 'the cache stays');
    await h.clock.advance(29000);
    assert.equal(h.sockets.made.length, 1);
    await h.clock.advance(1000);
    assert.equal(h.sockets.made.length, 2, 'a retry after 30 s');
    h.sockets.last().serverClose(1008, 'Maximum connections exceeded (5 per user)');
    await h.clock.advance(30000);
    assert.equal(h.sockets.made.length, 3, 'and again 30 s later');
    h.sockets.last().open();
    h.sockets.last().receive(snapshot({}));
    assert.equal(h.client.status, STATUS.CONNECTED);
  });

  test('a tab waiting for a slot takes the one another tab lets go, through a real BroadcastChannel', async () => {
    const sockets = fakeSockets();
    const tabs = [0, 1].map(() => harness({ sockets }));
    const [holder, waiter] = tabs;
    await connected(holder);
    await waiter.client.start();
    const refused = sockets.last();
    refused.open();
    refused.serverClose(1008, 'Maximum connections exceeded (5 per user)');
    await settle();
    assert.equal(waiter.client.status, STATUS.POLLING);

    holder.client.stop();
    await new Promise(resolve => setTimeout(resolve, 50));
    await waiter.clock.advance(500);
    assert.equal(sockets.made.length, 3, 'the waiting tab opens a socket half a second after the other let go');
    sockets.last().open();
    sockets.last().receive(snapshot({}));
    assert.equal(waiter.client.status, STATUS.CONNECTED);
    assert.equal(waiter.client.tabs, null, 'a connected tab stops listening');
    waiter.client.stop();
  });

  test('after another tab says a slot is free, a refusal is tried again every second for five seconds', async () => {
    const channels = [];
    class FakeChannel {
      constructor() { channels.push(this); }
      postMessage() {}
      close() { this.closed = true; }
    }
    const h = harness({ options: { BroadcastChannel: FakeChannel } });
    await h.client.start();
    h.sockets.last().open();
    h.sockets.last().serverClose(1008, 'Maximum connections exceeded (5 per user)');
    await settle();
    const listening = channels.find(c => c.onmessage);
    listening.onmessage({ data: { type: 'slot-free' } });
    await h.clock.advance(500);
    assert.equal(h.sockets.made.length, 2, 'tried half a second after the hint');
    h.sockets.last().serverClose(1008, 'Maximum connections exceeded (5 per user)');
    await h.clock.advance(1000);
    assert.equal(h.sockets.made.length, 3, 'the slot was not free yet: again a second later');
    const hintAt = h.clock.time - 1500;
    while (h.clock.time - hintAt < 6000) {
      h.sockets.last().serverClose(1008, 'Maximum connections exceeded (5 per user)');
      await h.clock.advance(1000);
    }
    assert.equal(h.sockets.made.length, 7, 'tries at 0.5, 1.5, 2.5, 3.5, 4.5 and 5.5 s after the hint');
    const made = h.sockets.made.length;
    h.sockets.last().serverClose(1008, 'Maximum connections exceeded (5 per user)');
    await h.clock.advance(20000);
    assert.equal(h.sockets.made.length, made, 'past the five seconds, back to the 30 s retry');
    h.client.stop();
    assert.equal(listening.closed, true);
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

  test('close 4503 (taken out of the rollout) means REST polling at once, and the socket again once health says so', async () => {
    const h = harness();
    await connected(h);
    h.rest.routes['/api/health'] = { body: { status: 'ok', version: 't', features: { realtimePortfolio: false } } };
    h.sockets.last().serverClose(4503, 'Real-time updates are off for this account - use REST polling');
    await settle();
    assert.equal(h.client.status, STATUS.DISABLED);
    assert.equal(h.client.signedOut, false);
    const made = h.sockets.made.length;
    const polls = h.rest.calls.filter(c => c.path === '/api/positions').length;
    await h.clock.advance(5000);
    assert.ok(h.rest.calls.filter(c => c.path === '/api/positions').length > polls, 'polls REST');
    await h.clock.advance(60000);
    assert.equal(h.sockets.made.length, made, 'no socket while health says off');
    h.rest.routes['/api/health'] = { body: { status: 'ok', version: 't', features: { realtimePortfolio: true } } };
    await h.clock.advance(60000);
    await settle();
    assert.equal(h.sockets.made.length, made + 1, 'the socket opens again once health says on');
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

describe('optimistic orders', () => {
  test('show at once as pending, then give way to the server\'s order', async () => {
    const h = harness();
    await connected(h);
    let answer;
    h.rest.routes['/api/orders'] = () => answer;
    const seen = [];
    h.client.on('change', () => seen.push(h.client.view().orders.map(o => `${o.orderId}:${o.status}${o.optimistic ? '*' : ''}`)));
    const request = { symbol: 'AAPL', side: 'buy', type: 'market', qty: '5', timeInForce: 'day' };
    answer = { status: 202, body: order('o-9', 'pending_new', 1, { qty: '5' }) };
    const placed = h.client.placeOrder(request);
    const shown = h.client.view().orders[0];
    assert.equal(shown.optimistic, true);
    assert.equal(shown.status, 'pending_new');
    assert.equal(shown.qty, '5');
    assert.match(shown.orderId, /^pending-/);
    assert.equal((await placed).orderId, 'o-9');
    assert.deepEqual(seen, [[`${shown.orderId}:pending_new*`], ['o-9:pending_new']]);
  });

  test('a refused order is rolled back with the server\'s reason', async () => {
    const h = harness();
    await connected(h, { orders: [order('o-1', 'filled', 3)] });
    h.rest.routes['/api/orders'] = { status: 422, body: { error: { code: 'INSUFFICIENT_BUYING_POWER', message: 'Not enough buying power' } } };
    const failed = [];
    h.client.on('orderFailed', event => failed.push(event));
    const placed = h.client.placeOrder({ symbol: 'TSLA', side: 'buy', type: 'market', qty: '1000', timeInForce: 'day' });
    assert.equal(h.client.view().orders.length, 2);
    await assert.rejects(placed, error => error.status === 422);
    assert.deepEqual(h.client.view().orders.map(o => o.orderId), ['o-1']);
    assert.equal(failed.length, 1);
    assert.equal(failed[0].reason, 'Not enough buying power');
    assert.equal(failed[0].order.symbol, 'TSLA');
  });

  test('the socket\'s newer state of the order is kept when the POST answer arrives after it', async () => {
    const h = harness();
    await connected(h);
    h.rest.routes['/api/orders'] = () => {
      h.sockets.last().receive(message('order_update', order('o-9', 'filled', 3)));
      return { status: 202, body: order('o-9', 'pending_new', 1) };
    };
    await h.client.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', timeInForce: 'day' });
    assert.deepEqual(h.client.view().orders.map(o => `${o.orderId}:${o.status}`), ['o-9:filled']);
  });

  test('a reconciliation while the POST is out leaves the pending order shown', async () => {
    const h = harness();
    await connected(h);
    let release;
    h.rest.routes['/api/orders'] = () => new Promise(resolve => { release = resolve; });
    const placed = h.client.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', timeInForce: 'day' });
    await h.client.reconcile();
    assert.equal(h.client.view().orders[0].optimistic, true);
    release({ status: 202, body: order('o-9', 'new', 2) });
    await placed;
    assert.deepEqual(h.client.view().orders.map(o => o.orderId), ['o-9']);
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
