// The browser (and Node) client of the portfolio stream: one socket, subscribed to every channel,
// reconnecting with jittered exponential backoff, falling back to REST polling, reconciling the
// cache with REST every minute. Dependency-free; timers, fetch and WebSocket can be injected.
import { PortfolioStore, findDiscrepancies, isOpenOrder, isNotOlder } from './portfolio-store.js';
import { compareDecimals, formatDecimal, isZero, sameDecimal } from './decimal.js';
import { RestApi, SignedOutError } from './rest-api.js';
import { connectQueryClient, portfolioQueries } from './query-adapter.js';
import { SERVER_MESSAGE_TYPES, messageProblem } from './contract.js';

export { PortfolioStore, findDiscrepancies, isOpenOrder, isNotOlder, compareDecimals, formatDecimal, isZero, sameDecimal };
export { RestApi, SignedOutError, connectQueryClient, portfolioQueries, SERVER_MESSAGE_TYPES, messageProblem };

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
  /** Operators turned real-time off for this user (the rollout): poll REST, ask /api/health now and then. */
  REALTIME_OFF: 4503,
});

export const DEFAULTS = Object.freeze({
  backoffBaseMs: 1000,
  backoffMaxMs: 30000,
  backoffJitterMs: 1000,
  maxAttempts: 10,
  pollIntervalMs: 5000,
  socketRetryMs: 30000,
  /** While real-time is off for this user, how often /api/health is asked whether it is back on. */
  featureCheckMs: 60000,
  reconcileIntervalMs: 60000,
  idlePingMs: 1000,
  pongTimeoutMs: 2500,
  watchIntervalMs: 500,
  slotFreeDelayMs: 500,
  reportIntervalMs: 5000,
  connectTimeoutMs: 5000,
});

/** The most status changes one report carries (the server takes 20) and the most waiting to go. */
const MAX_REPORTED = 20;

const SLOT_HINT_WINDOW_MS = 5000;
const SLOT_HINT_RETRY_MS = 1000;

/** The BroadcastChannel on which the tabs of one origin (one signed-in user) tell each other a socket slot is free. */
export const TABS_CHANNEL = 'portfolio-stream-tabs';

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

/** The browser's window and document, or null under Node. */
function pageOf(global) {
  return global.window && global.document ? { window: global.window, document: global.document } : null;
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
    /** Socket messages dropped unread: not JSON, or not in the contract's shapes. */
    this.droppedMessages = 0;
    this.signedOut = false;
    this.running = false;
    this.socket = null;
    this.polling = false;
    this.listeners = new Map();
    this.timersById = new Map();
    this.pingSentAt = null;
    this.slotHintUntil = 0;
    this.BroadcastChannelImpl = options.BroadcastChannel === undefined ? globalThis.BroadcastChannel : options.BroadcastChannel;
    this.tabs = null;
    /** The page's window and document (events online/offline and visibilitychange), when there is one. */
    this.page = options.page === undefined ? pageOf(globalThis) : options.page;
    this.pageListeners = [];
  }

  /** Listens to 'status', 'change', 'order', 'orderFailed', 'info', 'signedOut'; returns the way to stop listening. */
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
    this.listenToPage();
    this.schedule('reconcile', this.options.reconcileIntervalMs, () => this.reconcileLoop());
    const enabled = await this.realtimeEnabled();
    if (!this.running) {
      return;
    }
    if (!enabled) {
      this.realtimeOff();
      return;
    }
    this.setStatus(STATUS.CONNECTING);
    this.openSocket();
  }

  /**
   * Real-time is off for this user (the feature flag, or operators' rollout): REST polling, and a
   * look at /api/health every featureCheckMs; once it says realtimePortfolio again, the socket opens.
   */
  realtimeOff() {
    this.polling = false;
    this.setStatus(STATUS.DISABLED);
    this.startPolling();
    this.schedule('feature', this.options.featureCheckMs, () => this.checkFeature());
  }

  async checkFeature() {
    if (!this.running || this.status !== STATUS.DISABLED) {
      return;
    }
    if (await this.realtimeEnabled()) {
      if (this.running && this.status === STATUS.DISABLED) {
        this.polling = false;
        this.cancel('poll');
        this.attempt = 0;
        this.setStatus(STATUS.CONNECTING);
        this.openSocket();
      }
      return;
    }
    this.schedule('feature', this.options.featureCheckMs, () => this.checkFeature());
  }

  /** Closes the socket and stops every timer. */
  stop() {
    this.running = false;
    for (const name of [...this.timersById.keys()]) {
      this.cancel(name);
    }
    this.polling = false;
    this.slotWait = false;
    const socket = this.socket;
    this.socket = null;
    socket?.close(CLOSE_CODE.NORMAL, 'Client stopped');
    if (socket) {
      this.tellTabsSlotFree();
    }
    this.pageListeners.forEach(remove => remove());
    this.pageListeners = [];
    this.tabs?.close();
    this.tabs = null;
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
    // A handshake nobody answers (a frozen node the balancer still sends to) would wait forever:
    // give it connectTimeoutMs, then count it as a failed attempt.
    this.schedule('handshake', this.options.connectTimeoutMs, () => {
      if (!opened && this.socket === socket) {
        this.socket = null;
        socket.close();
        this.logger.warn(`No answer to the socket's handshake in ${this.options.connectTimeoutMs} ms; trying again`);
        this.retryLater(CLOSE_CODE.GOING_AWAY, 'Handshake timeout');
      }
    });
    socket.onopen = () => {
      opened = true;
      this.cancel('handshake');
      socket.send(JSON.stringify({ type: 'subscribe', channels: [...CHANNELS] }));
    };
    socket.onmessage = event => this.handleMessage(event.data);
    socket.onerror = () => {};
    socket.onclose = event => {
      if (this.socket === socket) {
        this.cancel('handshake');
        this.socket = null;
        if (opened) {
          this.tellTabsSlotFree();
        }
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
    if (code === CLOSE_CODE.REALTIME_OFF) {
      this.logger.warn(`Real-time updates turned off for this account (${reason}); polling REST`);
      this.realtimeOff();
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
        this.realtimeOff();
        return;
      }
    }
    this.retryLater(code, reason);
  }

  /**
   * 1008. "Authentication required" (or a session the server no longer knows) signs out. Any other
   * policy close, above all "Maximum connections exceeded" (other tabs of this user hold every
   * slot), is not the user's fault: poll REST, and try the socket again every socketRetryMs or as
   * soon as another tab says it let a slot go.
   */
  async policyClose(reason) {
    if (/auth/i.test(reason) || (await this.whoAmI()) === 'signed-out') {
      this.signOut(reason || 'Authentication required');
      return;
    }
    if (!this.running) {
      return;
    }
    this.logger.warn(`Socket refused by policy (${reason}); polling REST, and trying again when a slot is free`);
    this.slotWait = true;
    this.listenToTabs();
    this.polling = false;
    this.startPolling({ reason });
    if (this.now() < this.slotHintUntil) {
      // Another tab said it let a slot go, but the server has not freed it yet: look again soon.
      this.schedule('socket', SLOT_HINT_RETRY_MS, () => this.openSocket());
    }
  }

  /** Listens on {@link TABS_CHANNEL} for a tab that let a socket go, while this one waits for a slot. */
  listenToTabs() {
    if (this.tabs || !this.BroadcastChannelImpl) {
      return;
    }
    this.tabs = new this.BroadcastChannelImpl(TABS_CHANNEL);
    this.tabs.onmessage = event => {
      if (event.data?.type === 'slot-free' && this.slotWait && this.running && !this.socket) {
        // The server frees the slot as the other socket's close reaches it: give that a moment, and
        // look again every second for a few seconds if it is not free yet.
        this.slotHintUntil = this.now() + SLOT_HINT_WINDOW_MS;
        this.schedule('socket', this.options.slotFreeDelayMs, () => this.openSocket());
      }
    };
  }

  tellTabsSlotFree() {
    if (!this.BroadcastChannelImpl) {
      return;
    }
    try {
      const channel = this.tabs ?? new this.BroadcastChannelImpl(TABS_CHANNEL);
      channel.postMessage({ type: 'slot-free' });
      if (channel !== this.tabs) {
        channel.close();
      }
    } catch (error) {
      this.logger.warn('Could not tell the other tabs a socket slot is free', error);
    }
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
    this.store.optimistic.clear();
    this.emit('change', this.store.replaceFromRest({ positions: [], orders: [], account: null, trades: [] }, 'signout'));
    this.setStatus(STATUS.OFFLINE, { signedOut: true, reason });
    this.emit('signedOut', { reason });
  }

  handleMessage(text) {
    this.lastMessageAt = this.now();
    this.pingSentAt = null;
    let message;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.droppedMessages += 1;
      this.logger.warn('Dropped a socket message that is not JSON');
      return;
    }
    const problem = messageProblem(message);
    if (problem) {
      this.droppedMessages += 1;
      this.logger.warn(`Dropped a socket message that breaks the contract: ${problem}`);
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

  /** A snapshot arrived: the socket is live again, so backoff, polling and any wait for a slot end. */
  streaming() {
    this.attempt = 0;
    this.polling = false;
    this.slotWait = false;
    this.tabs?.close();
    this.tabs = null;
    this.cancel('poll');
    this.cancel('socket');
    this.setStatus(STATUS.CONNECTED);
    this.pingSentAt = null;
    this.schedule('watch', this.options.watchIntervalMs, () => this.watch());
  }

  /**
   * Loss detection within 5 s (the spec). While the page is visible, a socket that has been silent
   * for idlePingMs gets an application ping; if nothing at all arrives within pongTimeoutMs of it,
   * the connection is dead (a cut network the browser has not noticed) and is replaced at once:
   * at the defaults the status leaves Connected at most 1 + 0.5 + 2.5 + 0.5 s after the last message
   * (the silence, a check's lateness, the answer's wait, a check's lateness).
   * A busy stream needs no ping. A hidden page sends none (a background tab does not need 5 s, and
   * every idle tab's ping costs the server a pong); it pings as soon as it is shown again.
   */
  watch() {
    const socket = this.socket;
    if (socket?.readyState !== 1) {
      return;
    }
    const now = this.now();
    if (this.pingSentAt !== null && now - this.pingSentAt >= this.options.pongTimeoutMs) {
      this.socketLost(`No answer to a ping in ${this.options.pongTimeoutMs} ms`);
      return;
    }
    if (this.pingSentAt === null && now - (this.lastMessageAt ?? 0) >= this.options.idlePingMs && this.pageVisible()) {
      this.pingSentAt = now;
      socket.send(JSON.stringify({ type: 'ping' }));
    }
    this.schedule('watch', this.options.watchIntervalMs, () => this.watch());
  }

  /** The connection is gone though the socket does not know yet: drop it and reconnect with the backoff. */
  socketLost(reason) {
    const socket = this.socket;
    if (!socket || !this.running) {
      return;
    }
    this.logger.warn(`Connection lost (${reason}); reconnecting`);
    this.socket = null;
    this.cancel('watch');
    socket.close(CLOSE_CODE.NORMAL, 'No answer');
    this.socketClosed(CLOSE_CODE.GOING_AWAY, reason, true);
  }

  pageVisible() {
    return this.page?.document?.visibilityState !== 'hidden';
  }

  /** The browser's own word on the network: offline drops the socket at once, online reconnects at once. */
  listenToPage() {
    if (!this.page || this.pageListeners.length) {
      return;
    }
    const on = (target, type, handler) => {
      if (target?.addEventListener) {
        target.addEventListener(type, handler);
        this.pageListeners.push(() => target.removeEventListener(type, handler));
      }
    };
    on(this.page.window, 'offline', () => this.socketLost('the browser went offline'));
    on(this.page.window, 'online', () => {
      if (this.running && !this.socket && !this.signedOut && this.status !== STATUS.DISABLED) {
        this.cancel('socket');
        this.openSocket();
      }
    });
    on(this.page.document, 'visibilitychange', () => {
      if (this.pageVisible() && this.socket?.readyState === 1) {
        this.watch();
      }
    });
  }

  /** When the server was last heard from: a socket message or a REST refresh (epoch ms, or null). */
  lastContactAt() {
    const times = [this.lastMessageAt, this.lastDataAt].filter(t => t !== null);
    return times.length ? Math.max(...times) : null;
  }

  publish(changes) {
    if (changes.source !== 'optimistic') {
      this.lastDataAt = this.now();
    }
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
      const mark = this.store.mark();
      this.publish(this.store.mergeFromRest(await this.api.fetchPortfolio(), mark, 'poll'));
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
   * Fetches REST (the source of truth) and merges it into the cache by version
   * ({@link PortfolioStore#mergeFromRest}): what the socket brought while the read was under way
   * stays. Logs a warning naming each correction, and returns them.
   */
  async reconcile() {
    const mark = this.store.mark();
    const rest = await this.api.fetchPortfolio();
    const changes = this.store.mergeFromRest(rest, mark, 'reconcile');
    for (const discrepancy of changes.corrected) {
      this.logger.warn(`Reconciliation: ${discrepancy}`);
    }
    this.publish(changes);
    return changes.corrected;
  }

  /** Refreshes from REST now, and tries the socket again at once when it is down. */
  async refresh() {
    try {
      const mark = this.store.mark();
      this.publish(this.store.mergeFromRest(await this.api.fetchPortfolio(), mark, 'rest'));
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
   * with decimal strings. The order shows at once in the cache as pending_new with
   * {@code optimistic: true}; the server's order replaces it when accepted (202), and it goes again
   * when refused, with an 'orderFailed' event naming the reason. Resolves to the accepted order;
   * rejects with an error carrying the server's code, message and details (field → reason).
   */
  async placeOrder(order) {
    this.optimisticCount = (this.optimisticCount ?? 0) + 1;
    const tempId = `pending-${this.now()}-${this.optimisticCount}`;
    this.publish(this.store.addOptimistic(tempId, order, new Date(this.now()).toISOString()));
    let accepted;
    try {
      accepted = await this.api.send('POST', '/api/orders', order);
    } catch (error) {
      this.publish(this.store.dropOptimistic(tempId));
      this.emit('orderFailed', { order: { ...order, orderId: tempId }, error, reason: error?.message ?? String(error) });
      throw error;
    }
    this.publish(this.store.settleOptimistic(tempId, accepted));
    return accepted;
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
      this.reportLater(status);
    }
  }

  /**
   * Tells the server of each status change (POST /api/client-events), a few together every
   * reportIntervalMs, for the connection success and fallback rates only the client sees. At most
   * MAX_REPORTED wait (older ones go first); a report that fails is dropped, never retried.
   */
  reportLater(status) {
    if (this.options.reportIntervalMs <= 0 || this.signedOut) {
      return;
    }
    this.unreported = [...(this.unreported ?? []), { status }].slice(-MAX_REPORTED);
    if (!this.timersById.has('report')) {
      this.schedule('report', this.options.reportIntervalMs, () => this.report());
    }
  }

  report() {
    const events = this.unreported ?? [];
    this.unreported = [];
    if (events.length && !this.signedOut) {
      this.api.send('POST', '/api/client-events', { events }).catch(() => {});
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
