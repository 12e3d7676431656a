// Admin console: polls /api/admin/websocket-stats, keeps a bounded history in the page and draws
// it as hand-written SVG charts. No dependencies: the console must work on a closed network.
'use strict';

const STATS = '/api/admin/websocket-stats';
const params = new URLSearchParams(location.search);
const POLL_MS = Math.max(500, Number(params.get('interval')) || 3000);
const HISTORY_MS = 15 * 60 * 1000;
const MAX_POINTS = Math.ceil(HISTORY_MS / POLL_MS) + 1;
const COLORS = { connections: '#58a6ff', p50: '#3fb950', p95: '#d29922', p99: '#f85149', batch: '#bc8cff' };

const history = [];
let timer = null;

const $ = (id) => document.getElementById(id);

function cookie(name) {
  const found = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : '';
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    // __Host-XSRF-TOKEN when the cookies are Secure (COOKIE_SECURE), else XSRF-TOKEN.
    headers['X-XSRF-TOKEN'] = cookie('__Host-XSRF-TOKEN') || cookie('XSRF-TOKEN');
  }
  return fetch(path, { method, headers, credentials: 'same-origin', body: body ? JSON.stringify(body) : undefined });
}

function show(view) {
  $('login-view').hidden = view !== 'login';
  $('console-view').hidden = view !== 'console';
  $('logout').hidden = view !== 'console';
}

async function start() {
  await api('GET', '/api/health'); // hands out the CSRF cookie
  const me = await api('GET', '/api/auth/me');
  if (me.status !== 200) {
    show('login');
    return;
  }
  const user = await me.json();
  if (user.role !== 'admin') {
    show('login');
    $('login-error').textContent = 'Signed in as ' + user.username + ': administrators only.';
    return;
  }
  $('who').textContent = user.username;
  show('console');
  poll();
}

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  const response = await api('POST', '/api/auth/login', { username: $('username').value, password: $('password').value });
  if (response.status === 200) {
    start();
  } else {
    const body = await response.json().catch(() => ({}));
    $('login-error').textContent = (body.error && body.error.message) || 'Sign-in failed (' + response.status + ')';
  }
}

async function logout() {
  clearTimeout(timer);
  await api('POST', '/api/auth/logout');
  history.length = 0;
  $('who').textContent = '';
  setStatus('unknown', 'signed out');
  show('login');
}

async function poll() {
  try {
    const response = await api('GET', STATS);
    if (response.status === 401 || response.status === 403) {
      show('login');
      return;
    }
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    const stats = await response.json();
    remember(stats);
    render(stats);
  } catch (e) {
    setStatus('error', 'unreachable');
    $('updated').textContent = String(e.message || e);
  }
  timer = setTimeout(poll, POLL_MS);
}

function remember(stats) {
  history.push({
    t: Date.now(),
    connections: stats.activeConnections,
    p50: stats.p50LatencyMs, p95: stats.p95LatencyMs, p99: stats.p99LatencyMs,
    batch: stats.batchEfficiency * 100,
  });
  const oldest = Date.now() - HISTORY_MS;
  while (history.length > MAX_POINTS || (history.length && history[0].t < oldest)) {
    history.shift();
  }
}

function setStatus(status, text) {
  const pill = $('status');
  pill.className = 'pill pill-' + status;
  pill.dataset.status = status;
  pill.textContent = text || status;
}

function render(s) {
  setStatus(s.status);
  $('updated').textContent = 'updated ' + new Date(s.generatedAt).toLocaleTimeString();
  const reasons = $('reasons');
  reasons.hidden = s.statusReasons.length === 0;
  reasons.className = 'reasons' + (s.status === 'unhealthy' ? ' critical' : '');
  reasons.textContent = s.statusReasons.join(' · ');

  tile('k-connections', s.activeConnections);
  $('k-enabled').textContent = s.enabled ? 'streaming enabled' : 'streaming DISABLED';
  tile('k-p95', fmt(s.p95LatencyMs) + ' ms', s.p95LatencyMs > 1000 ? 'bad' : s.p95LatencyMs > 500 ? 'warn' : '');
  $('k-latency').textContent = 'p50 ' + fmt(s.p50LatencyMs) + ' · p99 ' + fmt(s.p99LatencyMs) + ' · ' + s.latencySamples + ' samples';
  tile('k-disconnects', s.performance.disconnectRatePerMinute, s.disconnectRate > 10 ? 'bad' : '');
  $('k-reconnects').textContent = 'reconnect success ' + pct(s.reconnectSuccessRate);
  tile('k-batch', s.performance.batchEfficiency);
  $('k-messages').textContent = s.totalMessagesDelivered.toLocaleString() + ' messages delivered';
  tile('k-errors', pct(s.errorRate), s.errorRate > 0.05 ? 'bad' : '');
  tile('k-uptime', s.uptimePercent.toFixed(2) + '%');
  $('k-nodes').textContent = s.nodes.length + ' answering' + (s.missingNodes.length ? ', ' + s.missingNodes.length + ' MISSING' : '');

  const times = history.map((h) => h.t);
  chart($('chart-connections'), times, [{ name: 'connections', color: COLORS.connections, values: history.map((h) => h.connections) }], (v) => v.toFixed(0));
  chart($('chart-latency'), times, ['p50', 'p95', 'p99'].map((k) => ({ name: k, color: COLORS[k], values: history.map((h) => h[k]) })), (v) => v.toFixed(0));
  chart($('chart-batch'), times, [{ name: 'efficiency %', color: COLORS.batch, values: history.map((h) => h.batch) }], (v) => v.toFixed(0) + '%', 0, 100);

  renderNodes(s);
  renderDisconnects(s);
  rows($('users'), s.connectionsByUser, (u) => [u.userId, u.connections, u.uptime], 'No open sockets');
}

function renderNodes(s) {
  const body = $('nodes').tBodies[0];
  body.replaceChildren();
  for (const n of s.nodes) {
    const tr = row(body, [short(n.nodeId), '', 'answering', n.activeConnections, n.messagesDelivered.toLocaleString(),
      fmt(n.p95LatencyMs), n.disconnectsLastMinute, pct(n.batchEfficiency), new Date(n.startedAt).toLocaleString()], [3, 4, 5, 6, 7]);
    tr.title = n.nodeId;
    tr.cells[1].replaceChildren(...n.roles.map((r) => el('span', 'tag', r)));
    tr.cells[2].className = 'state-ok';
  }
  for (const m of s.missingNodes) {
    const tr = row(body, [short(m.clusterNodeId), '?', 'MISSING', '–', '–', '–', '–', '–', 'did not answer in time'], [3, 4, 5, 6, 7]);
    tr.className = 'missing';
    tr.dataset.missing = 'true';
    tr.cells[2].className = 'state-missing';
  }
}

function renderDisconnects(s) {
  const bars = $('reasons-bars');
  const entries = Object.entries(s.disconnectsByReason).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map((e) => e[1]));
  bars.replaceChildren(...entries.map(([reason, count]) => {
    const fill = el('div', 'bar-fill');
    fill.style.width = (100 * count / max) + '%';
    const track = el('div');
    track.append(fill);
    const line = el('div', 'bar-row');
    line.append(el('span', '', reason), track, el('span', 'num', String(count)));
    return line;
  }));
  rows($('recent'), s.recentDisconnects.slice(0, 12),
    (d) => [new Date(d.at).toLocaleTimeString(), short(d.userId), d.reason, short(d.nodeId)], 'No disconnects yet');
}

function rows(table, items, cells, emptyText) {
  const body = table.tBodies[0];
  body.replaceChildren();
  if (!items.length) {
    const td = el('td', 'empty', emptyText);
    td.colSpan = table.tHead.rows[0].cells.length;
    body.insertRow().append(td);
    return;
  }
  items.forEach((item) => row(body, cells(item), [1]));
}

function row(body, values, numeric) {
  const tr = body.insertRow();
  values.forEach((v, i) => {
    const td = tr.insertCell();
    td.textContent = String(v);
    if (numeric.includes(i) && body.parentElement.id !== 'recent') td.className = 'num';
  });
  return tr;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function tile(id, text, level) {
  $(id).textContent = String(text);
  $(id).className = 'value' + (level ? ' ' + level : '');
}

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const pct = (v) => (v * 100).toFixed(1) + '%';
const short = (id) => (id ? String(id).slice(0, 8) : '–');

// A line chart in an SVG of viewBox 600x200: grid, y labels, one path per series, a legend.
const SVG = 'http://www.w3.org/2000/svg';
function chart(svg, times, series, label, fixedMin, fixedMax) {
  const W = 600, H = 200, L = 44, R = 8, T = 10, B = 22;
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  const min = fixedMin !== undefined ? fixedMin : 0;
  const max = fixedMax !== undefined ? fixedMax : 4 * niceStep(Math.max(...all, 0) * 1.1 / 4);
  const t0 = times.length ? times[0] : 0, t1 = times.length ? times[times.length - 1] : 1;
  const x = (t) => L + (t1 === t0 ? (W - L - R) : (t - t0) / (t1 - t0) * (W - L - R));
  const y = (v) => T + (1 - (v - min) / (max - min)) * (H - T - B);
  svg.replaceChildren();
  for (let i = 0; i <= 4; i++) {
    const v = min + (max - min) * i / 4;
    svg.append(svgEl('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    svg.append(svgEl('text', { class: 'axis', x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, label(v)));
  }
  if (times.length) {
    const span = Math.round((t1 - t0) / 1000);
    svg.append(svgEl('text', { class: 'axis', x: L, y: H - 6 }, span ? '−' + span + ' s' : 'now'));
    svg.append(svgEl('text', { class: 'axis', x: W - R, y: H - 6, 'text-anchor': 'end' }, 'now'));
  }
  series.forEach((s, i) => {
    const points = s.values.map((v, k) => [x(times[k]), y(Number.isFinite(v) ? v : 0)]);
    const d = points.map((p, k) => (k ? 'L' : 'M') + p[0].toFixed(1) + ' ' + p[1].toFixed(1)).join(' ');
    svg.append(svgEl('path', { class: 'series', d: d || 'M0 0', stroke: s.color, 'data-series': s.name, 'data-points': points.length }));
    const last = s.values[s.values.length - 1];
    svg.append(svgEl('text', { class: 'legend', x: L + 8 + i * 120, y: T + 12, fill: s.color },
      s.name + (Number.isFinite(last) ? ' ' + label(last) : '')));
  });
}

// The y axis is split in four: a step of 1, 2, 2.5 or 5 times a power of ten, never under 1.
function niceStep(raw) {
  if (!(raw > 1)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
}

$('login-form').addEventListener('submit', login);
$('logout').addEventListener('click', logout);
start();
