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
  /** Application ping period while connected (20000). */ pingIntervalMs: number;
}
export const DEFAULTS: Readonly<Timings>;

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
  source: 'snapshot' | 'event' | 'poll' | 'reconcile' | 'rest' | 'signout';
  positions: { symbol: string; previous?: Position; current: Position }[];
  orders: { orderId: string; previous?: Order; current: Order }[];
  account: boolean;
  trades: string[];
  /** Channels replaced as a whole (snapshot or REST). */
  replaced: Channel[];
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
  view(): PortfolioView;
}

export class PortfolioClient {
  constructor(options?: ClientOptions);
  readonly store: PortfolioStore;
  readonly api: RestApi;
  readonly status: Status;
  readonly attempt: number;
  readonly signedOut: boolean;
  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void;
  start(): Promise<void>;
  stop(): void;
  view(): PortfolioView;
  /** Epoch milliseconds of the last socket message or REST refresh. */
  lastContactAt(): number | null;
  /** REST is the source of truth: warns about each difference, then replaces the cache. */
  reconcile(): Promise<string[]>;
  refresh(): Promise<void>;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  me(): Promise<User>;
  /** Rejects with an ApiError (400 INVALID_REQUEST with details per field, ...). */
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
