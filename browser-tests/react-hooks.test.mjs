// The React bindings (portfolio-client/src/react.js) against real React 18 and TanStack Query,
// rendered by react-test-renderer under Node: no browser. Run with
// `node --import ./browser-tests/resolve-packages.mjs --test browser-tests/react-hooks.test.mjs`.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createElement as h } from 'react';
import TestRenderer from 'react-test-renderer';
import { QueryClient, QueryClientProvider, notifyManager } from '@tanstack/react-query';
import { PortfolioClient } from '../portfolio-client/src/portfolio-client.js';
import {
  PortfolioStreamProvider, usePortfolioStream, useRealtimeAccount, useRealtimeOrders, useRealtimePositions,
} from '../portfolio-client/src/react.js';
import { ManualClock, account, fakeRest, fakeSockets, message, order, position, recordingLogger, settle } from './client-fakes.mjs';

globalThis.IS_REACT_ACT_ENVIRONMENT = true;
// TanStack Query tells observers on a setTimeout(0) of its own; on a microtask instead, settle()
// inside act() sees every re-render, whatever the timer granularity of the machine.
notifyManager.setScheduler(queueMicrotask);
const { act } = TestRenderer;

function rest() {
  return fakeRest({
    '/api/health': { body: { status: 'ok', version: 't', features: { realtimePortfolio: true } } },
    '/api/auth/me': { body: { userId: 'u-1', username: 'alice', role: 'trader' } },
    '/api/positions': { body: [position('AAPL', 1, { currentPrice: '100.00' })] },
    '/api/orders?status=all': { body: [] },
    '/api/account': { body: account('1000.00', 1) },
    '/api/trades': { body: [] },
  });
}

function setup() {
  const clock = new ManualClock();
  const sockets = fakeSockets();
  const api = rest();
  const client = new PortfolioClient({
    baseUrl: 'http://edge.test', fetch: api.fetch, WebSocket: sockets.WebSocket, timers: clock.timers, now: clock.now,
    logger: recordingLogger(), backoff: () => 100, csrfToken: () => 'csrf-1', BroadcastChannel: null, page: null,
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const renders = { desk: 0 };
  function Desk() {
    renders.desk += 1;
    const { connectionStatus } = usePortfolioStream();
    const positions = useRealtimePositions();
    const orders = useRealtimeOrders();
    const acct = useRealtimeAccount();
    const rows = (positions.data ?? []).map(p => `${p.symbol}@${p.currentPrice}`).join(',');
    const orderRows = (orders.data ?? []).map(o => `${o.orderId}:${o.status}`).join(',');
    return h('p', null, `${connectionStatus}|${rows}|${orderRows}|${acct.data?.equity ?? '-'}`);
  }
  const tree = () => h(QueryClientProvider, { client: queryClient },
    h(PortfolioStreamProvider, { userId: 'u-1', client }, h(Desk)));
  return { clock, sockets, api, client, queryClient, renders, tree };
}

const text = renderer => renderer.toJSON().children.join('');

describe('React hooks', () => {
  test('show the stream: status, positions, orders and account from snapshot and events', async () => {
    const s = setup();
    let renderer;
    await act(async () => { renderer = TestRenderer.create(s.tree()); await settle(); });
    assert.equal(text(renderer), 'connecting|AAPL@100.00||1000.00', 'REST fills the cache before the socket is up');

    await act(async () => {
      s.sockets.last().open();
      s.sockets.last().receive(message('snapshot', {
        positions: [position('AAPL', 2, { currentPrice: '101.00' })], orders: [order('o-1', 'new', 1)],
        account: account('1001.00', 2), trades: [],
      }));
      await settle();
    });
    assert.equal(text(renderer), 'connected|AAPL@101.00|o-1:new|1001.00');

    await act(async () => {
      s.sockets.last().receive(message('batch', {
        positions: [position('AAPL', 3, { currentPrice: '105.50' }), position('TSLA', 1, { currentPrice: '200.00' })],
        orders: [order('o-1', 'filled', 2)], account: account('1010.00', 3),
      }));
      await settle();
    });
    assert.equal(text(renderer), 'connected|AAPL@105.50,TSLA@200.00|o-1:filled|1010.00');

    await act(async () => {
      s.sockets.last().receive(message('position_update', position('AAPL', 2, { currentPrice: '90.00' })));
      await settle();
    });
    assert.equal(text(renderer), 'connected|AAPL@105.50,TSLA@200.00|o-1:filled|1010.00', 'a late older event changes nothing');

    await act(async () => { s.sockets.last().serverClose(1001, 'Server shutting down'); await settle(); });
    assert.match(text(renderer), /^reconnecting\|/);

    await act(async () => { renderer.unmount(); await settle(); });
    assert.equal(s.client.running, false, 'unmounting stops the client');
    s.queryClient.clear();
  });

  test('an order placed shows at once as pending and is replaced by the server\'s', async () => {
    const s = setup();
    let renderer;
    await act(async () => { renderer = TestRenderer.create(s.tree()); await settle(); });
    await act(async () => {
      s.sockets.last().open();
      s.sockets.last().receive(message('snapshot', { positions: [], orders: [], account: null, trades: [] }));
      await settle();
    });
    let release;
    s.api.routes['/api/orders'] = () => new Promise(resolve => { release = resolve; });
    let placed;
    await act(async () => {
      placed = s.client.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', timeInForce: 'day' });
      await settle();
    });
    assert.match(text(renderer), /\|pending-[^:]+:pending_new\|/);
    await act(async () => { release({ status: 202, body: order('o-7', 'pending_new', 1) }); await placed; await settle(); });
    assert.match(text(renderer), /\|o-7:pending_new\|/);
    await act(async () => { renderer.unmount(); await settle(); });
    s.queryClient.clear();
  });

  test('a hook outside the provider says what it needs', () => {
    function Lost() {
      useRealtimePositions();
      return null;
    }
    const original = console.error;
    console.error = () => {};
    try {
      assert.throws(() => act(() => { TestRenderer.create(h(QueryClientProvider, { client: new QueryClient() }, h(Lost))); }),
        /useRealtimePositions needs a PortfolioStreamProvider above it/);
    } finally {
      console.error = original;
    }
  });
});
