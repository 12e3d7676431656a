// Type declarations of @portfolio-stream/client (src/portfolio-client.js).
// Money and quantities are decimal strings ("175.50"), times ISO-8601 strings, as on the wire.

export type Decimal = string;
export type Status = 'connected' | 'connecting' | 'reconnecting' | 'polling' | 'offline' | 'disabled';
export type Channel = 'positions' | 'orders' | 'account' | 'trades';

export const STATUS: Readonly<{
  CONNECTED: 'connected'; CONNECTING: 'connecting'; RECONNECTING: 'reconnecting';
  POLLING: 'polling'; OFFLINE: 'offline'; DISABLED: 'disabled';
}>;
export const CHANNELS: readonly Channel[];
export const CLOSE_CODE: Readonly<{
  NORMAL: 1000; GOING_AWAY: 1001; POLICY_VIOLATION: 1008; TOO_BIG: 1009; INTERNAL_ERROR: 1011; TRY_AGAIN_LATER: 1013;
}>;

export interface Timings {
  /** First reconnect delay (1000). */ backoffBaseMs: number;
  /** Longest reconnect delay (30000). */ backoffMaxMs: number;
  /** Random extra per delay, up to (1000). */ backoffJitterMs: number;
  /** Reconnect attempts before REST polling (10). */ maxAttempts: number;
  /** REST polling period once the socket gave up (5000). */ pollIntervalMs: number;
  /** Background socket retry while polling (30000). */ socketRetryMs: number;
  /** REST reconciliation period while connected (60000). */ reconcileIntervalMs: number;
  /** Silence on the socket after which a visible page pings (1000). */ idlePingMs: number;
  /** No answer to a ping within this is a lost connection: reconnect (2500). */ pongTimeoutMs: number;
  /** How often the connection is checked (500). */ watchIntervalMs: number;
  /** Wait after another tab let a socket go, before trying for its slot (500). */ slotFreeDelayMs: number;
  /** Status changes are reported to POST /api/client-events this often, together (5000; 0: never). */ reportIntervalMs: number;
  /** A socket handshake unanswered this long is a failed attempt (5000). */ connectTimeoutMs: number;
}
export const DEFAULTS: Readonly<Timings>;
/** The BroadcastChannel name on which tabs say a socket slot is free. */
export const TABS_CHANNEL: string;
/** The message types the server sends. */
export const SERVER_MESSAGE_TYPES: readonly string[];
/** Why a parsed server message breaks the AsyncAPI contract (naming the field), or null when it keeps it. */
export function messageProblem(message: unknown): string | null;

export interface Position {
  symbol: string; quantity: Decimal; currentPrice?: Decimal; entryPrice: Decimal;
  unrealizedPnl?: Decimal; unrealizedPnlPercent?: Decimal; marketValue?: Decimal;
  side: 'long' | 'short'; strategyId?: string; openedAt?: string; asOf?: string; version?: number;
}
export interface Order {
  orderId: string; brokerOrderId?: string; symbol: string; side: 'buy' | 'sell';
  type: 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
  timeInForce?: 'day' | 'gtc' | 'opg' | 'cls' | 'ioc' | 'fok'; status: string;
  qty: Decimal; filledQty?: Decimal; filledAvgPrice?: Decimal; limitPrice?: Decimal; stopPrice?: Decimal;
  submittedAt?: string; filledAt?: string; canceledAt?: string; rejectReason?: string;
  strategyId?: string; updatedAt?: string; version?: number;
  /** Being placed: shown at once, not yet answered by the server (orderId is temporary). */
  optimistic?: true;
}
export interface Account {
  equity: Decimal; buyingPower: Decimal; cash: Decimal; portfolioValue?: Decimal; dayPnl?: Decimal;
  dayPnlPercent?: Decimal; lastEquity?: Decimal; timestamp?: string; version?: number;
}
export interface Trade {
  tradeId: string; orderId?: string; symbol: string; side: 'buy' | 'sell'; quantity: Decimal;
  price: Decimal; pnl?: Decimal; executedAt: string; strategyId?: string;
}
export interface User { userId: string; username: string; role: 'trader' | 'admin'; }
export interface OrderRequest {
  symbol: string; side: 'buy' | 'sell'; type: 'market' | 'limit' | 'stop' | 'stop_limit'; qty: Decimal;
  limitPrice?: Decimal; stopPrice?: Decimal; timeInForce: 'day' | 'gtc' | 'ioc' | 'fok'; strategyId?: string;
}
export interface PortfolioFrame {
  positions?: Position[]; orders?: Order[]; account?: Account | null; trades?: Trade[];
}
export interface ServerMessage<T = unknown> {
  type: string; timestamp: string; userId?: string; seq: number; data: T;
}
export interface PortfolioView { positions: Position[]; orders: Order[]; account: Account | null; trades: Trade[]; }

/** What one message, snapshot, poll or reconciliation changed. */
export interface Changes {
  source: 'snapshot' | 'event' | 'poll' | 'reconcile' | 'rest' | 'signout' | 'optimistic';
  positions: { symbol: string; previous?: Position; current: Position }[];
  orders: { orderId: string; previous?: Order; current: Order }[];
  account: boolean;
  trades: string[];
  /** Channels replaced as a whole (snapshot or REST). */
  replaced: Channel[];
  /** What a REST read corrected, one sentence each (REST was newer, or the cache had nothing). */
  corrected: string[];
}

export interface StatusEvent { status: Status; attempt?: number; delayMs?: number; code?: number; reason?: string; signedOut?: boolean; }
export interface ClientEvents {
  status: StatusEvent;
  change: Changes;
  /** An order's status changed through a live event (filled, rejected with rejectReason, ...). */
  order: { order: Order; previousStatus: string | null };
  /** info messages: SUBSCRIBED, UNSUBSCRIBED, DATA_STALE, DATA_RESUMED, CANCEL_REJECTED. */
  info: { code: string; message?: string; channels?: Channel[]; symbols?: string[]; details?: object };
  signedOut: { reason: string };
  /** An order placed through placeOrder was refused (or not answered): its pending entry is gone. */
  orderFailed: { order: OrderRequest & { orderId: string }; error: unknown; reason: string };
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}
export interface Logger { warn(message: string, ...rest: unknown[]): void; error(message: string, ...rest: unknown[]): void; }

export interface ClientOptions extends Partial<Timings> {
  /** Origin of the stream node (default: the page's). */ baseUrl?: string;
  fetch?: typeof fetch;
  WebSocket?: new (url: string) => WebSocket;
  timers?: Timers;
  now?: () => number;
  random?: () => number;
  /** Replaces the jittered exponential delay (attempt is 1-based). */ backoff?: (attempt: number) => number;
  logger?: Logger;
  /** The CSRF token to echo (default: the __Host-XSRF-TOKEN cookie, else the XSRF-TOKEN cookie). */ csrfToken?: () => string | null;
  /** Tabs tell each other a socket slot is free through it (default: the global one; null: none). */
  BroadcastChannel?: (new (name: string) => BroadcastChannel) | null;
  /** The page whose online/offline and visibilitychange events the client follows (default: window and document; null: none). */
  page?: { window?: EventTarget; document?: EventTarget & { visibilityState?: string } } | null;
}

/** An error answer of a state-changing call. */
export interface ApiError extends Error { status: number; code?: string; details: Record<string, string>; }

export class SignedOutError extends Error {}

/** The REST calls the client makes (reads, and writes with the session cookie and CSRF token). */
export class RestApi {
  constructor(options: { baseUrl: string; fetch?: typeof fetch; csrfToken?: () => string | null });
  /** 401 rejects with SignedOutError; with allowMissing a 404 resolves to null. */
  getJson<T = unknown>(path: string, options?: { allowMissing?: boolean }): Promise<T>;
  fetchPortfolio(): Promise<Required<PortfolioFrame>>;
  /** Rejects with an ApiError. */
  send<T = unknown>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export class PortfolioStore {
  positions: Map<string, Position>;
  orders: Map<string, Order>;
  account: Account | null;
  trades: Map<string, Trade>;
  applyMessage(message: ServerMessage): Changes | null;
  applySnapshot(frame: PortfolioFrame): Changes;
  replaceFromRest(rest: PortfolioFrame, source?: Changes['source']): Changes;
  /** The write count now; pass it to mergeFromRest for a REST read begun now. */
  mark(): number;
  /** Merges a REST read by version: never overwrites what the socket wrote newer during the read. */
  mergeFromRest(rest: PortfolioFrame, mark: number, source?: Changes['source']): Changes;
  addOptimistic(tempId: string, request: OrderRequest, submittedAt: string): Changes;
  settleOptimistic(tempId: string, order: Order | null): Changes;
  dropOptimistic(tempId: string): Changes;
  view(): PortfolioView;
}

export class PortfolioClient {
  constructor(options?: ClientOptions);
  readonly store: PortfolioStore;
  readonly api: RestApi;
  readonly status: Status;
  readonly attempt: number;
  readonly signedOut: boolean;
  /** Socket messages dropped unread (not JSON, or breaking the contract). */
  readonly droppedMessages: number;
  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void;
  start(): Promise<void>;
  stop(): void;
  view(): PortfolioView;
  /** Epoch milliseconds of the last socket message or REST refresh. */
  lastContactAt(): number | null;
  /** Merges REST by version, warns about each correction and resolves to them. */
  reconcile(): Promise<string[]>;
  refresh(): Promise<void>;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  me(): Promise<User>;
  /** Shows the order at once as optimistic pending_new; rejects with an ApiError (400 INVALID_REQUEST with details per field, ...) after rolling it back. */
  placeOrder(order: OrderRequest): Promise<Order>;
  cancelOrder(orderId: string): Promise<Order | null>;
}

export function backoffDelay(attempt: number, options?: Partial<Timings> & { random?: () => number }): number;
export function isNotOlder<T extends { version?: number }>(incoming: T, current: T | null | undefined, timeField: keyof T): boolean;
export function isOpenOrder(order: Order): boolean;
export function findDiscrepancies(store: PortfolioStore, rest: PortfolioFrame): string[];
export function compareDecimals(a: Decimal | null | undefined, b: Decimal | null | undefined): -1 | 0 | 1 | null;
export function sameDecimal(a: Decimal | null | undefined, b: Decimal | null | undefined): boolean;
export function isZero(value: Decimal | null | undefined): boolean;
export function formatDecimal(value: Decimal | null | undefined, options?: { minFraction?: number; trimZeros?: boolean; plus?: boolean }): string;

/** The part of @tanstack/query-core's QueryClient the adapter uses. */
export interface QueryClientLike { setQueryData(queryKey: readonly unknown[], data: unknown): unknown; }
/** Keeps ['positions', userId], ['orders', userId], ['account', userId], ['trades', userId] in step with the client. */
export function connectQueryClient(client: PortfolioClient, queryClient: QueryClientLike, userId: string): () => void;
export function portfolioQueries(client: PortfolioClient, userId: string): Record<Channel, { queryKey: [Channel, string]; queryFn: () => Promise<unknown> }>;
