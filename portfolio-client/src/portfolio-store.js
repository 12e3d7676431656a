// The client's cache of one user's portfolio: snapshots, typed events and batches applied with
// the version guard, REST data compared and swapped in by reconciliation.
import { isZero, sameDecimal } from './decimal.js';

const OPEN_ORDER_STATUSES = new Set(['pending_new', 'new', 'accepted', 'accepted_for_bidding',
  'partially_filled', 'pending_cancel', 'pending_replace', 'calculated', 'stopped', 'suspended']);

/** Whether an order can still fill or be canceled. */
export function isOpenOrder(order) {
  return OPEN_ORDER_STATUSES.has(order.status);
}

/**
 * The version guard: whether {@code incoming} may replace {@code current}. Versions decide when both
 * carry one; else the broker timestamp named by {@code timeField}; equal states replace (idempotent).
 */
export function isNotOlder(incoming, current, timeField) {
  if (!current) {
    return true;
  }
  if (incoming.version != null && current.version != null) {
    return Number(incoming.version) >= Number(current.version);
  }
  const incomingTime = Date.parse(incoming[timeField] ?? '');
  const currentTime = Date.parse(current[timeField] ?? '');
  if (!Number.isNaN(incomingTime) && !Number.isNaN(currentTime)) {
    return incomingTime >= currentTime;
  }
  return true;
}

function emptyChanges(source) {
  return { source, positions: [], orders: [], account: false, trades: [], replaced: [] };
}

export class PortfolioStore {
  constructor() {
    /** @type {Map<string, object>} by symbol; a closed position stays at quantity 0 to keep its version */
    this.positions = new Map();
    /** @type {Map<string, object>} by orderId */
    this.orders = new Map();
    this.account = null;
    /** @type {Map<string, object>} by tradeId */
    this.trades = new Map();
  }

  /** Applies one server message; returns what changed, or null when the message carries no data. */
  applyMessage(message) {
    const data = message?.data;
    if (!data) {
      return null;
    }
    switch (message.type) {
      case 'snapshot': return this.applySnapshot(data);
      case 'batch': return this.applyFrame(data, emptyChanges('event'));
      case 'position_update': return this.applyFrame({ positions: [data] }, emptyChanges('event'));
      case 'order_update': return this.applyFrame({ orders: [data] }, emptyChanges('event'));
      case 'account_update': return this.applyFrame({ account: data }, emptyChanges('event'));
      case 'trade_executed': return this.applyFrame({ trades: [data] }, emptyChanges('event'));
      default: return null;
    }
  }

  /** A snapshot is the full state of the channels it carries: each one present replaces the cache. */
  applySnapshot(frame) {
    const changes = emptyChanges('snapshot');
    this.replaceChannels(frame, changes);
    return changes;
  }

  /** REST data is the source of truth: it replaces every channel it carries. */
  replaceFromRest(rest, source = 'rest') {
    const changes = emptyChanges(source);
    this.replaceChannels(rest, changes);
    return changes;
  }

  replaceChannels(frame, changes) {
    if (Array.isArray(frame.positions)) {
      const before = this.positions;
      this.positions = new Map(frame.positions.map(p => [p.symbol, p]));
      changes.replaced.push('positions');
      changes.positions = frame.positions.map(p => ({ symbol: p.symbol, previous: before.get(p.symbol), current: p }));
    }
    if (Array.isArray(frame.orders)) {
      const before = this.orders;
      this.orders = new Map(frame.orders.map(o => [o.orderId, o]));
      changes.replaced.push('orders');
      changes.orders = frame.orders.map(o => ({ orderId: o.orderId, previous: before.get(o.orderId), current: o }));
    }
    if (frame.account !== undefined) {
      this.account = frame.account;
      changes.account = true;
      changes.replaced.push('account');
    }
    if (Array.isArray(frame.trades)) {
      this.trades = new Map(frame.trades.map(t => [t.tradeId, t]));
      changes.replaced.push('trades');
    }
  }

  /** Merges a batch (or one typed event): each entity only when not older than the cached one. */
  applyFrame(frame, changes) {
    for (const position of frame.positions ?? []) {
      const previous = this.positions.get(position.symbol);
      if (isNotOlder(position, previous, 'asOf')) {
        this.positions.set(position.symbol, position);
        changes.positions.push({ symbol: position.symbol, previous, current: position });
      }
    }
    for (const order of frame.orders ?? []) {
      const previous = this.orders.get(order.orderId);
      if (isNotOlder(order, previous, 'updatedAt')) {
        this.orders.set(order.orderId, order);
        changes.orders.push({ orderId: order.orderId, previous, current: order });
      }
    }
    if (frame.account && isNotOlder(frame.account, this.account, 'timestamp')) {
      this.account = frame.account;
      changes.account = true;
    }
    for (const trade of frame.trades ?? []) {
      if (!this.trades.has(trade.tradeId)) {
        this.trades.set(trade.tradeId, trade);
        changes.trades.push(trade.tradeId);
      }
    }
    return changes;
  }

  /** Open positions by symbol, orders newest first, the account, trades newest first. */
  view() {
    return {
      positions: [...this.positions.values()].filter(p => !isZero(p.quantity))
        .sort((a, b) => a.symbol.localeCompare(b.symbol)),
      orders: [...this.orders.values()].sort((a, b) => time(b, 'submittedAt') - time(a, 'submittedAt')),
      account: this.account,
      trades: [...this.trades.values()].sort((a, b) => time(b, 'executedAt') - time(a, 'executedAt')),
    };
  }
}

function time(entity, field) {
  const parsed = Date.parse(entity[field] ?? entity.updatedAt ?? '');
  return Number.isNaN(parsed) ? 0 : parsed;
}

const POSITION_FIELDS = ['quantity', 'currentPrice', 'unrealizedPnl', 'marketValue'];
const ACCOUNT_FIELDS = ['equity', 'buyingPower', 'cash', 'dayPnl'];

/**
 * Every difference between the cache and REST data, one sentence each, naming the entity and
 * field: what reconciliation logs before REST replaces the cache.
 */
export function findDiscrepancies(store, rest) {
  const found = [];
  if (Array.isArray(rest.positions)) {
    comparePositions(store, rest.positions, found);
  }
  if (Array.isArray(rest.orders)) {
    compareOrders(store, rest.orders, found);
  }
  if (rest.account !== undefined) {
    compareFields('account', store.account, rest.account, ACCOUNT_FIELDS, found);
  }
  if (Array.isArray(rest.trades)) {
    for (const trade of rest.trades) {
      if (!store.trades.has(trade.tradeId)) {
        found.push(`trade ${trade.tradeId} (${trade.symbol}) is missing from the cache`);
      }
    }
  }
  return found;
}

function comparePositions(store, restPositions, found) {
  const restBySymbol = new Map(restPositions.map(p => [p.symbol, p]));
  for (const [symbol, cached] of store.positions) {
    if (!restBySymbol.has(symbol) && !isZero(cached.quantity)) {
      found.push(`position ${symbol} is cached but not in REST`);
    }
  }
  for (const [symbol, fresh] of restBySymbol) {
    const cached = store.positions.get(symbol);
    if (!cached || isZero(cached.quantity)) {
      found.push(`position ${symbol} is missing from the cache`);
    } else {
      compareFields(`position ${symbol}`, cached, fresh, POSITION_FIELDS, found);
    }
  }
}

function compareOrders(store, restOrders, found) {
  for (const fresh of restOrders) {
    const cached = store.orders.get(fresh.orderId);
    if (!cached) {
      if (isOpenOrder(fresh)) {
        found.push(`order ${fresh.orderId} (${fresh.symbol}, ${fresh.status}) is missing from the cache`);
      }
    } else if (cached.status !== fresh.status || !sameDecimal(cached.filledQty, fresh.filledQty)) {
      found.push(`order ${fresh.orderId} (${fresh.symbol}) status ${cached.status} filled ${cached.filledQty ?? '0'}`
        + ` in the cache, ${fresh.status} filled ${fresh.filledQty ?? '0'} in REST`);
    }
  }
}

function compareFields(label, cached, fresh, fields, found) {
  if (!cached && !fresh) {
    return;
  }
  if (!cached || !fresh) {
    found.push(`${label} is ${cached ? 'cached but not in REST' : 'missing from the cache'}`);
    return;
  }
  for (const field of fields) {
    if (!sameDecimal(cached[field], fresh[field])) {
      found.push(`${label} ${field} is ${cached[field] ?? 'absent'} in the cache, ${fresh[field] ?? 'absent'} in REST`);
    }
  }
}
