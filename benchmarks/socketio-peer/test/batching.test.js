'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { UserWindow, URGENT_LINGER_MS } = require('../batching');

function windowWithTimers(t) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const sent = [];
  return { sent, window: new UserWindow((type, data) => sent.push({ type, data }), 1000) };
}

test('the first event goes at once; the window then keeps the newest state per position and sends it as one batch', (t) => {
  const { sent, window } = windowWithTimers(t);

  window.offer('position_update', { symbol: 'S0', version: 1 }, false);
  window.offer('position_update', { symbol: 'S0', version: 2 }, false);
  window.offer('position_update', { symbol: 'S1', version: 1 }, false);
  window.offer('position_update', { symbol: 'S0', version: 3 }, false);
  assert.deepEqual(sent, [{ type: 'position_update', data: { symbol: 'S0', version: 1 } }]);

  t.mock.timers.tick(1000);
  assert.deepEqual(sent[1], { type: 'batch', data: { positions: [{ symbol: 'S0', version: 3 }, { symbol: 'S1', version: 1 }] } });

  t.mock.timers.tick(1000); // an empty window closes
  window.offer('position_update', { symbol: 'S2', version: 1 }, false);
  assert.equal(sent.length, 3);
  assert.equal(sent[2].type, 'position_update');
});

test('a fill goes after the linger, with what was waiting, in one frame; every trade is kept', (t) => {
  const { sent, window } = windowWithTimers(t);
  window.offer('position_update', { symbol: 'S5', version: 1 }, false);
  window.offer('position_update', { symbol: 'S6', version: 1 }, false);

  window.offer('order_update', { orderId: 'o-1', status: 'filled' }, false);
  window.offer('trade_executed', { tradeId: 't-1' }, true);
  window.offer('trade_executed', { tradeId: 't-2' }, true);
  window.offer('account_update', { version: 7 }, true);
  assert.equal(sent.length, 1);

  t.mock.timers.tick(URGENT_LINGER_MS);
  assert.deepEqual(sent[1], { type: 'batch', data: {
    positions: [{ symbol: 'S6', version: 1 }],
    orders: [{ orderId: 'o-1', status: 'filled' }],
    account: { version: 7 },
    trades: [{ tradeId: 't-1' }, { tradeId: 't-2' }],
  } });
});

test('a lone order update goes as its typed event', (t) => {
  const { sent, window } = windowWithTimers(t);

  window.offer('order_update', { orderId: 'o-2', status: 'new' }, false);
  t.mock.timers.tick(URGENT_LINGER_MS);

  assert.deepEqual(sent, [{ type: 'order_update', data: { orderId: 'o-2', status: 'new' } }]);
});
