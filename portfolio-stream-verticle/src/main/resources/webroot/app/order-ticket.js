// The order ticket: market and limit orders, checked in the page, posted with the CSRF token
// (POST /api/orders); a 400 shows the reason of each field.
import { compareDecimals } from '/client/portfolio-client.js';
import { $, toast } from './view.js';

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9./-]{0,19}$/;
const POSITIVE_DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/** Wires the ticket's form to the portfolio client. */
export function wireTicket(client) {
  $('order-type').addEventListener('change', () => {
    $('limit-price-field').hidden = $('order-type').value !== 'limit';
  });
  $('order-form').addEventListener('submit', event => submitOrder(client, event));
}

/** The ticket's order, or the first problem with it. */
function readTicket() {
  const form = new FormData($('order-form'));
  const order = {
    symbol: String(form.get('symbol') ?? '').trim().toUpperCase(),
    side: form.get('side'),
    type: form.get('type'),
    qty: String(form.get('qty') ?? '').trim(),
    timeInForce: form.get('timeInForce'),
  };
  if (!SYMBOL.test(order.symbol)) {
    return { problem: 'Enter a symbol' };
  }
  if (!POSITIVE_DECIMAL.test(order.qty) || compareDecimals(order.qty, '0') <= 0) {
    return { problem: 'Quantity must be a positive number' };
  }
  if (order.type === 'limit') {
    order.limitPrice = String(form.get('limitPrice') ?? '').trim();
    if (!POSITIVE_DECIMAL.test(order.limitPrice) || compareDecimals(order.limitPrice, '0') <= 0) {
      return { problem: 'A limit order needs a positive limit price' };
    }
  }
  return { order };
}

async function submitOrder(client, event) {
  event.preventDefault();
  const { order, problem } = readTicket();
  $('order-error').textContent = problem ?? '';
  if (!order) {
    return;
  }
  $('order-submit').disabled = true;
  try {
    await client.placeOrder(order);
    toast(`Order sent: ${order.side.toUpperCase()} ${order.qty} ${order.symbol}`, 'success');
    $('order-qty').value = '';
  } catch (error) {
    const details = Object.entries(error.details ?? {}).map(([field, reason]) => `${field}: ${reason}`);
    $('order-error').textContent = [error.message, ...details].join(' · ');
  } finally {
    $('order-submit').disabled = false;
  }
}
