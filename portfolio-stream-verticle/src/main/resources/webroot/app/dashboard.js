// The trader dashboard: the portfolio client's cache rendered as dense tables, kept live.
// Money is shown as the server's decimal strings, formatted as strings, never as floats.
import { PortfolioClient, STATUS, formatDecimal, isOpenOrder } from '/client/portfolio-client.js';
import { wireTicket } from './order-ticket.js';
import { PositionsTable } from './positions-table.js';
import { $, appendCells, setMoney, setSigned, time, toast } from './view.js';

const WARNING_MS = 60000;
const STALE_MS = 5 * 60000;
const MAX_ORDER_ROWS = 100;
const MAX_TRADE_ROWS = 50;

/** Label, dot colour and tooltip (the seed's texts) of each status. */
const STATUS_VIEW = {
  [STATUS.CONNECTED]: { label: 'Connected', colour: 'green', tooltip: 'Connected to live updates' },
  [STATUS.CONNECTING]: { label: 'Connecting…', colour: 'yellow', tooltip: 'Connecting...' },
  [STATUS.RECONNECTING]: { label: 'Reconnecting…', colour: 'yellow', tooltip: 'Reconnecting...' },
  [STATUS.POLLING]: { label: 'Offline - using backup connection', colour: 'red', tooltip: 'Offline - using backup connection' },
  [STATUS.OFFLINE]: { label: 'Offline', colour: 'red', tooltip: 'Offline - using cached data' },
  [STATUS.DISABLED]: { label: 'Real-time off', colour: 'red', tooltip: 'Real-time updates are disabled - refreshing every 5 seconds' },
};

/** Timings a test (or an operator) may shorten through the page's query string. */
const TUNABLE = ['backoffBaseMs', 'backoffMaxMs', 'backoffJitterMs', 'maxAttempts', 'pollIntervalMs',
  'socketRetryMs', 'reconcileIntervalMs', 'idlePingMs', 'pongTimeoutMs', 'watchIntervalMs', 'slotFreeDelayMs',
  'reportIntervalMs'];

function clientOptions() {
  const params = new URLSearchParams(location.search);
  const options = {};
  for (const name of TUNABLE) {
    const value = Number.parseInt(params.get(name) ?? '', 10);
    if (Number.isFinite(value) && value >= 0) {
      options[name] = value;
    }
  }
  return options;
}

const client = new PortfolioClient(clientOptions());
const positions = new PositionsTable();

// ---- sign-in ----

async function boot() {
  wireClient();
  wireForms();
  setInterval(tick, 1000);
  try {
    enterDesk(await client.me());
  } catch (error) {
    showLogin('');
  }
}

function showLogin(message) {
  $('desk').hidden = true;
  $('logout').hidden = true;
  $('user-name').textContent = '';
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('login-username').focus();
}

function enterDesk(user) {
  $('login').hidden = true;
  $('desk').hidden = false;
  $('logout').hidden = false;
  $('user-name').textContent = user.username;
  positions.startedAt = Date.now();
  client.start();
}

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  try {
    enterDesk(await client.login($('login-username').value.trim(), $('login-password').value));
    $('login-password').value = '';
  } catch (error) {
    $('login-error').textContent = error.message;
  }
}

// ---- client events ----

function wireClient() {
  client.on('status', showStatus);
  client.on('change', render);
  client.on('order', notifyOrder);
  client.on('info', info => {
    if (info?.code === 'DATA_STALE' || info?.code === 'DATA_RESUMED') {
      toast(info.message ?? info.code, info.code === 'DATA_STALE' ? 'error' : 'success');
    } else if (info?.code === 'CANCEL_REJECTED') {
      toast(info.message ?? 'The broker refused the cancel', 'error');
    }
  });
  client.on('signedOut', ({ reason }) => showLogin(reason === 'Signed out' ? '' : 'Your session ended; sign in again.'));
  // A closing tab lets its socket go at once, and tells this user's other tabs that wait for a slot.
  window.addEventListener('pagehide', () => client.stop());
  window.addEventListener('pageshow', event => {
    if (event.persisted && !$('desk').hidden) {
      client.start();
    }
  });
}

function showStatus({ status, attempt, reason }) {
  const view = STATUS_VIEW[status];
  const tabs = status === STATUS.POLLING && /maximum connections/i.test(reason ?? '');
  $('connection').dataset.status = status;
  $('connection').title = tabs ? 'Other tabs hold every live connection of your account - using backup connection' : view.tooltip;
  $('connection-dot').dataset.colour = view.colour;
  $('connection-label').textContent = status === STATUS.RECONNECTING && attempt > 1
    ? `${view.label} (attempt ${attempt})` : tabs ? 'Too many tabs - using backup connection' : view.label;
}

/**
 * Changes wait for the next animation frame and render together (the seed's requestAnimationFrame
 * batching): a burst of frames re-renders once, and a hidden tab renders nothing until shown.
 */
let pending = null;
window.__renders = 0;

function render(changes) {
  if (!pending) {
    pending = { source: changes.source, positions: [], orders: [], account: false, trades: [], replaced: [] };
    requestAnimationFrame(renderPending);
  }
  if (changes.source === 'event' || changes.source === 'snapshot') {
    pending.source = changes.source;
  }
  pending.positions.push(...changes.positions);
  pending.orders.push(...changes.orders);
  pending.account ||= changes.account;
  pending.trades.push(...changes.trades);
  pending.replaced.push(...changes.replaced);
}

/** When each section last showed data from the server ("updated 3s ago" in its heading). */
const sectionUpdatedAt = { account: null, positions: null, orders: null, trades: null };

function renderPending() {
  const changes = pending;
  pending = null;
  window.__renders += 1;
  const view = client.view();
  const fromServer = changes.source !== 'optimistic';
  const rendered = section => {
    if (fromServer) {
      sectionUpdatedAt[section] = Date.now();
    }
  };
  if (changes.positions.length || changes.replaced.includes('positions')) {
    positions.render(view.positions, changes);
    rendered('positions');
  }
  if (changes.account || changes.replaced.includes('account')) {
    renderAccount(view.account);
    rendered('account');
  }
  if (changes.orders.length || changes.replaced.includes('orders')) {
    renderOrders(view.orders);
    rendered('orders');
  }
  if (changes.trades.length || changes.replaced.includes('trades')) {
    renderTrades(view.trades);
    rendered('trades');
  }
  tick();
}

// ---- account ----

function renderAccount(account) {
  setMoney($('account-equity'), account?.equity);
  setMoney($('account-buying-power'), account?.buyingPower);
  setMoney($('account-cash'), account?.cash);
  setSigned($('account-day-pnl'), account?.dayPnl, { minFraction: 2 });
  setSigned($('account-day-pnl-percent'), account?.dayPnlPercent, { minFraction: 2 }, '%');
  drawSparkline(account?.dayPnl);
}

/** The day P&L since the page opened, one point per change, the newest 240. */
const pnlHistory = [];
const SPARKLINE_POINTS = 240;

function drawSparkline(dayPnl) {
  if (dayPnl == null || pnlHistory.at(-1) === dayPnl) {
    return;
  }
  pnlHistory.push(dayPnl);
  if (pnlHistory.length > SPARKLINE_POINTS) {
    pnlHistory.shift();
  }
  // Only to draw: the figures themselves stay decimal strings.
  const values = pnlHistory.map(Number);
  const top = Math.max(0, ...values);
  const bottom = Math.min(0, ...values);
  const span = top - bottom || 1;
  const step = values.length > 1 ? 240 / (values.length - 1) : 0;
  const y = v => (32 * (top - v) / span).toFixed(1);
  const svg = $('day-pnl-sparkline');
  svg.querySelector('polyline').setAttribute('points',
    values.map((v, i) => `${(i * step).toFixed(1)},${y(v)}`).join(' ') + (values.length === 1 ? ` 240,${y(values[0])}` : ''));
  const zero = svg.querySelector('.zero');
  zero.setAttribute('y1', y(0));
  zero.setAttribute('y2', y(0));
  svg.dataset.points = String(values.length);
  svg.dataset.trend = values.at(-1) > 0 ? 'up' : values.at(-1) < 0 ? 'down' : 'flat';
}

// ---- orders and trades ----

function renderOrders(orders) {
  const rows = orders.slice(0, MAX_ORDER_ROWS).map(order => {
    const row = document.createElement('tr');
    row.dataset.orderId = order.orderId;
    appendCells(row, [
      [time(order.submittedAt ?? order.updatedAt), ''],
      [order.symbol, 'symbol'],
      [order.side, order.side === 'buy' ? 'up' : 'down'],
      [order.type, ''],
      [formatDecimal(order.qty, { trimZeros: true }), 'num'],
      [formatDecimal(order.filledQty ?? '0', { trimZeros: true }), 'num'],
      [order.limitPrice ? formatDecimal(order.limitPrice, { minFraction: 2 }) : '', 'num'],
      [order.filledAvgPrice ? formatDecimal(order.filledAvgPrice, { minFraction: 2 }) : '', 'num'],
    ]);
    const status = row.insertCell();
    status.className = 'status';
    status.dataset.tone = tone(order);
    status.textContent = order.optimistic ? 'sending…' : order.status.replace(/_/g, ' ');
    if (order.optimistic) {
      row.dataset.optimistic = 'true';
    }
    if (order.status === 'rejected' && order.rejectReason) {
      status.title = order.rejectReason;
    }
    const action = row.insertCell();
    if (isOpenOrder(order) && !order.optimistic) {
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'link cancel';
      cancel.textContent = 'Cancel';
      cancel.addEventListener('click', () => cancelOrder(order));
      action.append(cancel);
    }
    return row;
  });
  $('orders').tBodies[0].replaceChildren(...rows);
  $('orders-empty').hidden = rows.length > 0;
}

function renderTrades(trades) {
  const rows = trades.slice(0, MAX_TRADE_ROWS).map(trade => {
    const row = document.createElement('tr');
    row.dataset.tradeId = trade.tradeId;
    appendCells(row, [
      [time(trade.executedAt), ''],
      [trade.symbol, 'symbol'],
      [trade.side, trade.side === 'buy' ? 'up' : 'down'],
      [formatDecimal(trade.quantity, { trimZeros: true }), 'num'],
      [formatDecimal(trade.price, { minFraction: 2 }), 'num'],
    ]);
    return row;
  });
  $('trades').tBodies[0].replaceChildren(...rows);
  $('trades-empty').hidden = rows.length > 0;
}

function tone(order) {
  if (order.status === 'filled') {
    return 'filled';
  }
  if (order.status === 'rejected' || order.status === 'failed') {
    return 'rejected';
  }
  return isOpenOrder(order) ? 'open' : 'done';
}

function notifyOrder({ order }) {
  const what = `${order.side.toUpperCase()} ${formatDecimal(order.qty, { trimZeros: true })} ${order.symbol}`;
  if (order.status === 'filled') {
    const price = order.filledAvgPrice ? ` at ${formatDecimal(order.filledAvgPrice, { minFraction: 2 })}` : '';
    toast(`Filled: ${what}${price}`, 'success');
  } else if (order.status === 'rejected') {
    toast(`Rejected: ${what}: ${order.rejectReason ?? 'no reason given'}`, 'error');
  }
}

// ---- order ticket ----

function wireForms() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', () => client.logout().catch(() => showLogin('')));
  wireTicket(client);
  $('stale-refresh').addEventListener('click', () => client.refresh());
}

async function cancelOrder(order) {
  try {
    await client.cancelOrder(order.orderId);
  } catch (error) {
    toast(`Cancel failed: ${error.message}`, 'error');
  }
}

// ---- freshness ----

function tick() {
  const now = Date.now();
  const contact = client.lastContactAt();
  const age = now - (contact ?? positions.startedAt);
  $('last-updated').textContent = contact === null
    ? 'Last updated: —' : `Last updated: ${Math.max(0, Math.floor(age / 1000))}s ago`;
  for (const [section, at] of Object.entries(sectionUpdatedAt)) {
    $(`${section}-updated`).textContent = at === null ? '' : `updated ${Math.max(0, Math.floor((now - at) / 1000))}s ago`;
  }
  positions.updateBadges(now);
  const banner = $('stale-banner');
  const signedIn = !$('desk').hidden;
  banner.hidden = !signedIn || age <= WARNING_MS;
  if (!banner.hidden) {
    const stale = age > STALE_MS;
    banner.dataset.level = stale ? 'error' : 'warning';
    $('stale-text').textContent = stale ? 'Portfolio data is stale' : 'Portfolio data may be delayed';
    $('stale-refresh').hidden = !stale;
  }
}

boot();
