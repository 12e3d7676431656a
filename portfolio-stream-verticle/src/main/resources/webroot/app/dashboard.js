// The trader dashboard: the portfolio client's cache rendered as dense tables, kept live.
// Money is shown as the server's decimal strings, formatted as strings, never as floats.
import { PortfolioClient, STATUS, compareDecimals, formatDecimal, isOpenOrder } from '/client/portfolio-client.js';

const $ = id => document.getElementById(id);
const LIVE_MS = 5000;
const DELAYED_MS = 30000;
const WARNING_MS = 60000;
const STALE_MS = 5 * 60000;
const FLASH_MS = 500;
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
  'socketRetryMs', 'reconcileIntervalMs', 'pingIntervalMs'];

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
const positionRows = new Map();
const positionSeenAt = new Map();
let startedAt = Date.now();

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
  startedAt = Date.now();
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
    }
  });
  client.on('signedOut', ({ reason }) => showLogin(reason === 'Signed out' ? '' : 'Your session ended; sign in again.'));
}

function showStatus({ status, attempt }) {
  const view = STATUS_VIEW[status];
  $('connection').dataset.status = status;
  $('connection').title = view.tooltip;
  $('connection-dot').dataset.colour = view.colour;
  $('connection-label').textContent = status === STATUS.RECONNECTING && attempt > 1
    ? `${view.label} (attempt ${attempt})` : view.label;
}

function render(changes) {
  const view = client.view();
  if (changes.positions.length || changes.replaced.includes('positions')) {
    renderPositions(view.positions, changes);
  }
  if (changes.account) {
    renderAccount(view.account);
  }
  if (changes.orders.length || changes.replaced.includes('orders')) {
    renderOrders(view.orders);
  }
  if (changes.trades.length || changes.replaced.includes('trades')) {
    renderTrades(view.trades);
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
}

function setMoney(element, value) {
  element.textContent = formatDecimal(value, { minFraction: 2 });
}

function setSigned(element, value, format, suffix = '') {
  const sign = compareDecimals(value, '0');
  element.textContent = value == null ? '—' : formatDecimal(value, { ...format, plus: true }) + suffix;
  element.classList.toggle('up', sign === 1);
  element.classList.toggle('down', sign === -1);
}

// ---- positions ----

function renderPositions(positions, changes) {
  const now = Date.now();
  const changed = new Map(changes.positions.map(change => [change.symbol, change]));
  const tbody = $('positions').tBodies[0];
  const open = new Set(positions.map(p => p.symbol));
  for (const [symbol, row] of positionRows) {
    if (!open.has(symbol)) {
      row.remove();
      positionRows.delete(symbol);
    }
  }
  positions.forEach((position, index) => {
    const row = positionRows.get(position.symbol) ?? createPositionRow(position.symbol);
    if (tbody.rows[index] !== row) {
      tbody.insertBefore(row, tbody.rows[index] ?? null);
    }
    const change = changed.get(position.symbol);
    if (change && (changes.source === 'event' || changes.source === 'snapshot'
      || compareDecimals(change.previous?.currentPrice, position.currentPrice) !== 0)) {
      positionSeenAt.set(position.symbol, now);
    }
    fillPositionRow(row, position);
    if (change?.previous) {
      flashPnl(row, change.previous.unrealizedPnl, position);
    }
  });
  $('positions-empty').hidden = positions.length > 0;
}

function createPositionRow(symbol) {
  const row = document.createElement('tr');
  row.dataset.symbol = symbol;
  for (const name of ['symbol', 'side', 'qty num', 'entry num', 'price num', 'value num', 'pnl num', 'pnl-percent num', 'feed']) {
    const cell = row.insertCell();
    cell.className = name;
    if (name.startsWith('pnl ') || name.startsWith('price ')) {
      cell.append(document.createElement('span'));
    }
  }
  row.cells[8].innerHTML = '<span class="badge"></span>';
  positionRows.set(symbol, row);
  return row;
}

function fillPositionRow(row, position) {
  const [symbol, side, qty, entry, price, value, pnl, percent] = row.cells;
  symbol.textContent = position.symbol;
  side.textContent = position.side;
  qty.textContent = formatDecimal(position.quantity, { trimZeros: true });
  entry.textContent = formatDecimal(position.entryPrice, { minFraction: 2 });
  price.firstChild.textContent = formatDecimal(position.currentPrice, { minFraction: 2 });
  value.textContent = formatDecimal(position.marketValue, { minFraction: 2 });
  setSigned(pnl.firstChild, position.unrealizedPnl, { minFraction: 2 });
  setSigned(percent, position.unrealizedPnlPercent, { minFraction: 2 }, '%');
}

/** Green or red for 500 ms (with a 1.05× scale unless reduced motion is asked for), and announced. */
function flashPnl(row, previousPnl, position) {
  const direction = compareDecimals(position.unrealizedPnl, previousPnl);
  if (direction === 0 || direction === null) {
    return;
  }
  const target = row.querySelector('td.pnl span');
  target.classList.remove('flash-up', 'flash-down');
  void target.offsetWidth; // restart the animation when the same direction repeats
  target.classList.add(direction > 0 ? 'flash-up' : 'flash-down');
  clearTimeout(target.flashTimer);
  target.flashTimer = setTimeout(() => target.classList.remove('flash-up', 'flash-down'), FLASH_MS);
  $('pnl-announcer').textContent = `${position.symbol} P&L ${direction > 0 ? 'up' : 'down'} to `
    + formatDecimal(position.unrealizedPnl, { minFraction: 2 });
}

function updateFeedBadges(now) {
  for (const [symbol, row] of positionRows) {
    const age = now - (positionSeenAt.get(symbol) ?? startedAt);
    const badge = row.cells[8].firstChild;
    const feed = age <= LIVE_MS ? 'live' : age > DELAYED_MS ? 'delayed' : 'recent';
    if (badge.dataset.feed !== feed) {
      badge.dataset.feed = feed;
      badge.textContent = feed === 'live' ? 'Live' : feed === 'delayed' ? 'Delayed' : '·';
    }
  }
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
    status.textContent = order.status.replace(/_/g, ' ');
    if (order.status === 'rejected' && order.rejectReason) {
      status.title = order.rejectReason;
    }
    const action = row.insertCell();
    if (isOpenOrder(order)) {
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
}

function appendCells(row, cells) {
  for (const [text, className] of cells) {
    const cell = row.insertCell();
    cell.textContent = text;
    cell.className = className;
  }
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

function time(iso) {
  const parsed = Date.parse(iso ?? '');
  return Number.isNaN(parsed) ? '' : new Date(parsed).toLocaleTimeString([], { hour12: false });
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

function toast(text, kind) {
  const note = document.createElement('div');
  note.className = 'toast';
  note.dataset.kind = kind;
  note.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  note.textContent = text;
  $('toasts').append(note);
  setTimeout(() => note.remove(), kind === 'error' ? 10000 : 5000);
}

// ---- order ticket ----

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9./-]{0,19}$/;
const POSITIVE_DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

function wireForms() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', () => client.logout().catch(() => showLogin('')));
  $('order-type').addEventListener('change', () => {
    $('limit-price-field').hidden = $('order-type').value !== 'limit';
  });
  $('order-form').addEventListener('submit', submitOrder);
  $('stale-refresh').addEventListener('click', () => client.refresh());
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

async function submitOrder(event) {
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
  const age = now - (contact ?? startedAt);
  $('last-updated').textContent = contact === null
    ? 'Last updated: —' : `Last updated: ${Math.max(0, Math.floor(age / 1000))}s ago`;
  updateFeedBadges(now);
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
