// The browser (and Node) client of the portfolio stream: one socket, subscribed to every channel,
// reconnecting with jittered exponential backoff, falling back to REST polling, reconciling the
// cache with REST every minute. Dependency-free; timers, fetch and WebSocket can be injected.
import { PortfolioStore, findDiscrepancies, isOpenOrder, isNotOlder } from './portfolio-store.js';
import { compareDecimals, formatDecimal, isZero, sameDecimal } from './decimal.js';
import { RestApi, SignedOutError } from './rest-api.js';
import { connectQueryClient, portfolioQueries } from './query-adapter.js';

export { PortfolioStore, findDiscrepancies, isOpenOrder, isNotOlder, compareDecimals, formatDecimal, isZero, sameDecimal };
export { RestApi, SignedOutError, connectQueryClient, portfolioQueries };

/** Every status the client reports. */
export const STATUS = Object.freeze({
  CONNECTED: 'connected',
  CONNECTING: 'connecting',
  RECONNECTING: 'reconnecting',
  POLLING: 'polling',
  OFFLINE: 'offline',
  DISABLED: 'disabled',
});

export const CHANNELS = Object.freeze(['positions', 'orders', 'account', 'trades']);

/** The close codes the server uses (asyncapi.yaml x-close-codes). */
export const CLOSE_CODE = Object.freeze({
  NORMAL: 1000, GOING_AWAY: 1001, POLICY_VIOLATION: 1008, TOO_BIG: 1009, INTERNAL_ERROR: 1011, TRY_AGAIN_LATER: 1013,
});

export const DEFAULTS = Object.freeze({
  backoffBaseMs: 1000,
  backoffMaxMs: 30000,
  backoffJitterMs: 1000,
  maxAttempts: 10,
  pollIntervalMs: 5000,
  socketRetryMs: 30000,
  reconcileIntervalMs: 60000,
  pingIntervalMs: 20000,
});

/**
 * The delay before reconnect attempt {@code attempt} (1-based): base × 2^(attempt−1) plus up to
 * {@code backoffJitterMs} of jitter, capped at {@code backoffMaxMs}: 1, 2, 4, 8, 16 s (each plus
 * jitter), then 30 s.
 */
export function backoffDelay(attempt, options = {}) {
  const { backoffBaseMs, backoffMaxMs, backoffJitterMs } = { ...DEFAULTS, ...options };
  const random = options.random ?? Math.random;
  const exponential = backoffBaseMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(exponential + random() * backoffJitterMs, backoffMaxMs);
}

const SYSTEM_TIMERS = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: id => globalThis.clearTimeout(id),
};

export class PortfolioClient {
  /**
   * @param {object} [options] see portfolio-client.d.ts (ClientOptions)
   */
  constructor(options = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.baseUrl = options.baseUrl ?? globalThis.location?.origin ?? 'http://localhost:8080';
    this.api = new RestApi({ baseUrl: this.baseUrl, fetch: options.fetch, csrfToken: options.csrfToken });
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    this.timers = options.timers ?? SYSTEM_TIMERS;
    this.now = options.now ?? (() => Date.now());
    this.logger = options.logger ?? console;
    this.backoff = options.backoff
      ?? (attempt => backoffDelay(attempt, { ...this.options, random: options.random ?? Math.random }));
    this.store = new PortfolioStore();
    this.status = STATUS.OFFLINE;
    this.statusDetail = {};
    this.attempt = 0;
    this.lastDataAt = null;
    this.lastMessageAt = null;
    this.signedOut = false;
    this.running = false;
    this.socket = null;
    this.polling = false;
    this.listeners = new Map();
    this.timersById = new Map();
  }

  /** Listens to 'status', 'change', 'order', 'info', 'signedOut'; returns the way to stop listening. */
  on(event, listener) {
    if (!this.listeners.has(event)) {
      this.listeners.set(event, new Set());
    }
    this.listeners.get(event).add(listener);
    return () => this.listeners.get(event)?.delete(listener);
  }

  emit(event, payload) {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        this.logger.error(`A '${event}' listener failed`, error);
      }
    }
  }

  /** Checks the feature flag, then streams (or, with real-time off, polls REST). */
  async start() {
    this.running = true;
    this.signedOut = false;
    this.attempt = 0;
    this.schedule('reconcile', this.options.reconcileIntervalMs, () => this.reconcileLoop());
    const enabled = await this.realtimeEnabled();
    if (!this.running) {
      return;
    }
    if (!enabled) {
      this.setStatus(STATUS.DISABLED);
      this.startPolling();
      return;
    }
    this.setStatus(STATUS.CONNECTING);
    this.openSocket();
  }

  /** Closes the socket and stops every timer. */
  stop() {
    this.running = false;
    for (const name of [...this.timersById.keys()]) {
      this.cancel(name);
    }
    this.polling = false;
    const socket = this.socket;
    this.socket = null;
    socket?.close(CLOSE_CODE.NORMAL, 'Client stopped');
  }

  /** The cache as lists: positions by symbol, orders and trades newest first, the account. */
  view() {
    return this.store.view();
  }

  async realtimeEnabled() {
    try {
      const health = await this.api.getJson('/api/health');
      return health?.features?.realtimePortfolio !== false;
    } catch (error) {
      return true;
    }
  }

  // ---- the socket ----

  openSocket() {
    if (!this.running) {
      return;
    }
    const socket = new this.WebSocketImpl(this.socketUrl());
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      socket.send(JSON.stringify({ type: 'subscribe', channels: [...CHANNELS] }));
    };
    socket.onmessage = event => this.handleMessage(event.data);
    socket.onerror = () => {};
    socket.onclose = event => {
      if (this.socket === socket) {
        this.socket = null;
        this.socketClosed(event.code, event.reason ?? '', opened);
      }
    };
  }

  socketUrl() {
    const url = new URL('/ws/portfolio', this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }

  async socketClosed(code, reason, opened) {
    if (!this.running) {
      return;
    }
    if (code === CLOSE_CODE.POLICY_VIOLATION) {
      await this.policyClose(reason);
      return;
    }
    if (!opened) {
      // A refused handshake looks the same for a lost network and an expired session: ask.
      const who = await this.whoAmI();
      if (who === 'signed-out') {
        this.signOut('The session ended');
        return;
      }
      if (who === 'signed-in' && !(await this.realtimeEnabled())) {
        this.setStatus(STATUS.DISABLED);
        this.startPolling();
        return;
      }
    }
    this.retryLater(code, reason);
  }

  /** 1008: signed out or expired (stop), or a policy limit (stop the socket, keep REST). */
  async policyClose(reason) {
    if (/auth/i.test(reason) || (await this.whoAmI()) === 'signed-out') {
      this.signOut(reason || 'Authentication required');
      return;
    }
    this.logger.warn(`Socket refused by policy (${reason}); using REST only`);
    this.polling = false;
    this.startPolling({ socketRetry: false, reason });
  }

  retryLater(code, reason) {
    if (this.polling) {
      this.schedule('socket', this.options.socketRetryMs, () => this.openSocket());
      return;
    }
    this.attempt += 1;
    if (this.attempt > this.options.maxAttempts) {
      this.logger.warn(`No socket after ${this.options.maxAttempts} attempts; polling REST`);
      this.startPolling();
      return;
    }
    const delayMs = this.backoff(this.attempt);
    this.setStatus(STATUS.RECONNECTING, { attempt: this.attempt, delayMs, code, reason });
    this.schedule('socket', delayMs, () => this.openSocket());
  }

  async whoAmI() {
    try {
      await this.api.getJson('/api/auth/me');
      return 'signed-in';
    } catch (error) {
      return error instanceof SignedOutError ? 'signed-out' : 'unknown';
    }
  }

  /** Stops, and empties the cache so no signed-out user's portfolio lingers in the page. */
  signOut(reason) {
    this.stop();
    this.signedOut = true;
    this.emit('change', this.store.replaceFromRest({ positions: [], orders: [], account: null, trades: [] }, 'signout'));
    this.setStatus(STATUS.OFFLINE, { signedOut: true, reason });
    this.emit('signedOut', { reason });
  }

  handleMessage(text) {
    this.lastMessageAt = this.now();
    let message;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.logger.warn('Discarded a socket message that is not JSON');
      return;
    }
    if (message.type === 'info') {
      this.emit('info', message.data);
      return;
    }
    if (message.type === 'error') {
      this.logger.warn(`The server refused a message: ${message.data?.code} ${message.data?.message ?? ''}`);
      return;
    }
    const changes = this.store.applyMessage(message);
    if (!changes) {
      return;
    }
    if (message.type === 'snapshot') {
      this.streaming();
    }
    this.publish(changes);
  }

  /** A snapshot arrived: the socket is live again, so backoff and polling end. */
  streaming() {
    this.attempt = 0;
    this.polling = false;
    this.cancel('poll');
    this.cancel('socket');
    this.setStatus(STATUS.CONNECTED);
    this.schedule('ping', this.options.pingIntervalMs, () => this.pingLoop());
  }

  /**
   * An application ping keeps a quiet but healthy stream visibly fresh (the pong counts as
   * contact); a socket silent for two ping periods is dead (a half-open connection the browser
   * has not noticed) and is replaced.
   */
  pingLoop() {
    const socket = this.socket;
    if (socket?.readyState !== 1) {
      return;
    }
    if (this.now() - (this.lastMessageAt ?? 0) > 2 * this.options.pingIntervalMs) {
      this.logger.warn('No answer from the server on the socket; reconnecting');
      this.socket = null;
      socket.close(CLOSE_CODE.NORMAL, 'No answer');
      this.socketClosed(CLOSE_CODE.GOING_AWAY, 'No answer', true);
      return;
    }
    socket.send(JSON.stringify({ type: 'ping' }));
    this.schedule('ping', this.options.pingIntervalMs, () => this.pingLoop());
  }

  /** When the server was last heard from: a socket message or a REST refresh (epoch ms, or null). */
  lastContactAt() {
    const times = [this.lastMessageAt, this.lastDataAt].filter(t => t !== null);
    return times.length ? Math.max(...times) : null;
  }

  publish(changes) {
    this.lastDataAt = this.now();
    this.emit('change', changes);
    if (changes.source !== 'event') {
      return;
    }
    for (const { previous, current } of changes.orders) {
      if (!previous || previous.status !== current.status) {
        this.emit('order', { order: current, previousStatus: previous?.status ?? null });
      }
    }
  }

  // ---- REST: polling and reconciliation ----

  startPolling({ socketRetry = true, reason } = {}) {
    if (this.status !== STATUS.DISABLED) {
      this.setStatus(STATUS.POLLING, reason ? { reason } : {});
    }
    this.polling = true;
    this.cancel('socket');
    this.pollLoop();
    if (socketRetry && this.status !== STATUS.DISABLED) {
      this.schedule('socket', this.options.socketRetryMs, () => this.openSocket());
    }
  }

  async pollLoop() {
    if (!this.polling || !this.running) {
      return;
    }
    try {
      this.publish(this.store.replaceFromRest(await this.api.fetchPortfolio(), 'poll'));
      if (this.status === STATUS.OFFLINE) {
        this.setStatus(STATUS.POLLING);
      }
    } catch (error) {
      if (this.handleRestFailure(error)) {
        return;
      }
    }
    if (this.polling && this.running) {
      this.schedule('poll', this.options.pollIntervalMs, () => this.pollLoop());
    }
  }

  /** True when the failure ended the session; otherwise reports offline (network or server down). */
  handleRestFailure(error) {
    if (error instanceof SignedOutError) {
      this.signOut('The session ended');
      return true;
    }
    if (this.status === STATUS.POLLING) {
      this.setStatus(STATUS.OFFLINE, { reason: String(error?.message ?? error) });
    }
    return false;
  }

  async reconcileLoop() {
    if (!this.running) {
      return;
    }
    if (this.status === STATUS.CONNECTED) {
      try {
        await this.reconcile();
      } catch (error) {
        this.handleRestFailure(error);
      }
    }
    if (this.running) {
      this.schedule('reconcile', this.options.reconcileIntervalMs, () => this.reconcileLoop());
    }
  }

  /**
   * Fetches REST (the source of truth), logs a warning naming each difference from the cache,
   * and replaces the cache with it. Returns the differences.
   */
  async reconcile() {
    const rest = await this.api.fetchPortfolio();
    const discrepancies = findDiscrepancies(this.store, rest);
    for (const discrepancy of discrepancies) {
      this.logger.warn(`Reconciliation: ${discrepancy}`);
    }
    this.publish(this.store.replaceFromRest(rest, 'reconcile'));
    return discrepancies;
  }

  /** Refreshes from REST now, and tries the socket again at once when it is down. */
  async refresh() {
    try {
      this.publish(this.store.replaceFromRest(await this.api.fetchPortfolio(), 'rest'));
    } catch (error) {
      this.handleRestFailure(error);
    }
    if (this.running && !this.socket && this.status !== STATUS.DISABLED && !this.signedOut) {
      this.cancel('socket');
      this.openSocket();
    }
  }

  // ---- state-changing calls ----

  /** Signs in; resolves to the user, or rejects with the server's error. */
  async login(username, password) {
    return this.api.send('POST', '/api/auth/login', { username, password });
  }

  async logout() {
    const result = await this.api.send('POST', '/api/auth/logout');
    this.signOut('Signed out');
    return result;
  }

  async me() {
    return this.api.getJson('/api/auth/me');
  }

  /**
   * Places an order: {symbol, side, type, qty, limitPrice?, stopPrice?, timeInForce, strategyId?}
   * with decimal strings. Resolves to the accepted order (202); rejects with an error carrying the
   * server's code, message and details (field → reason) otherwise.
   */
  async placeOrder(order) {
    return this.api.send('POST', '/api/orders', order);
  }

  async cancelOrder(orderId) {
    return this.api.send('DELETE', `/api/orders/${encodeURIComponent(orderId)}`);
  }

  // ---- plumbing ----

  setStatus(status, detail = {}) {
    const changed = status !== this.status || status === STATUS.RECONNECTING;
    this.status = status;
    this.statusDetail = detail;
    if (changed) {
      this.emit('status', { status, ...detail });
    }
  }

  schedule(name, delayMs, task) {
    this.cancel(name);
    this.timersById.set(name, this.timers.setTimeout(() => {
      this.timersById.delete(name);
      task();
    }, delayMs));
  }

  cancel(name) {
    if (this.timersById.has(name)) {
      this.timers.clearTimeout(this.timersById.get(name));
      this.timersById.delete(name);
    }
  }
}
