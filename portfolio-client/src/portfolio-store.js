// The client's cache of one user's portfolio: snapshots, typed events and batches applied with
// the version guard; REST data merged in per entity by version, so a REST answer read before a live
// event never overwrites what that event brought.
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
  return { source, positions: [], orders: [], account: false, trades: [], replaced: [], corrected: [] };
}

/**
 * Which of a cached and a REST state of one entity is newer: 'rest', 'cache' or 'same'. Versions
 * decide when both carry one; without versions, a cached state the socket wrote while the REST read
 * was under way ({@code writtenSince}) is the newer, else REST is (the source of truth).
 */
function newer(cached, fresh, writtenSince) {
  if (cached?.version != null && fresh?.version != null) {
    const difference = Number(fresh.version) - Number(cached.version);
    return difference > 0 ? 'rest' : difference < 0 ? 'cache' : 'same';
  }
  return writtenSince ? 'cache' : 'rest';
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
    /** Orders placed here and not yet answered, by their temporary id; no snapshot or REST read touches them. */
    this.optimistic = new Map();
    /** A count of the writes; each entity's last write is stamped with it (see {@link mark}). */
    this.writes = 0;
    this.written = { positions: new Map(), orders: new Map(), trades: new Map(), account: 0 };
  }

  /**
   * The store's write count now: take it before a REST read, and {@link mergeFromRest} knows which
   * entities the socket wrote while the read was under way (the REST answer may predate them).
   */
  mark() {
    return this.writes;
  }

  stamp(channel, key) {
    this.writes += 1;
    if (channel === 'account') {
      this.written.account = this.writes;
    } else {
      this.written[channel].set(key, this.writes);
    }
  }

  writtenSince(channel, key, mark) {
    return (channel === 'account' ? this.written.account : this.written[channel].get(key) ?? 0) > mark;
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

  /** Replaces every channel {@code rest} carries, whatever the cache holds (sign-out empties it so). */
  replaceFromRest(rest, source = 'rest') {
    const changes = emptyChanges(source);
    this.replaceChannels(rest, changes);
    return changes;
  }

  /**
   * Merges a REST read (begun at {@code mark}) into the cache, entity by entity: REST replaces a
   * cached entity only when it is newer ({@link newer}) or the cache had none, and drops one missing
   * from REST only when the socket did not write it during the read. Every correction of data the
   * cache held differently is named in {@code changes.corrected}; where the socket was newer the cache
   * stays as it is and nothing is reported.
   */
  mergeFromRest(rest, mark, source = 'rest') {
    const changes = emptyChanges(source);
    if (Array.isArray(rest.positions)) {
      this.mergePositions(rest.positions, mark, changes);
    }
    if (Array.isArray(rest.orders)) {
      this.mergeOrders(rest.orders, mark, changes);
    }
    if (rest.account !== undefined) {
      this.mergeAccount(rest.account, mark, changes);
    }
    if (Array.isArray(rest.trades)) {
      this.mergeTrades(rest.trades, mark, changes);
    }
    // Every channel REST carried is now confirmed, changed or not: views show it as fresh.
    for (const channel of ['positions', 'orders', 'account', 'trades']) {
      if (rest[channel] !== undefined && !changes.replaced.includes(channel)) {
        changes.replaced.push(channel);
      }
    }
    return changes;
  }

  mergePositions(restPositions, mark, changes) {
    const restBySymbol = new Map(restPositions.map(p => [p.symbol, p]));
    for (const [symbol, cached] of [...this.positions]) {
      if (!restBySymbol.has(symbol) && !this.writtenSince('positions', symbol, mark)) {
        this.positions.delete(symbol);
        this.written.positions.delete(symbol);
        if (!isZero(cached.quantity)) {
          changes.corrected.push(`position ${symbol} is cached but not in REST`);
          changes.positions.push({ symbol, previous: cached, current: { ...cached, quantity: '0' } });
        }
      }
    }
    for (const [symbol, fresh] of restBySymbol) {
      const cached = this.positions.get(symbol);
      if (cached && newer(cached, fresh, this.writtenSince('positions', symbol, mark)) === 'cache') {
        continue;
      }
      const found = [];
      if (!cached || isZero(cached.quantity)) {
        found.push(`position ${symbol} is missing from the cache`);
      } else {
        compareFields(`position ${symbol}`, cached, fresh, POSITION_FIELDS, found);
      }
      this.positions.set(symbol, fresh);
      changes.corrected.push(...found);
      if (!cached || found.length || cached.version !== fresh.version) {
        changes.positions.push({ symbol, previous: cached, current: fresh });
      }
    }
  }

  mergeOrders(restOrders, mark, changes) {
    const restById = new Map(restOrders.map(o => [o.orderId, o]));
    for (const orderId of [...this.orders.keys()]) {
      if (!restById.has(orderId) && !this.writtenSince('orders', orderId, mark)) {
        this.orders.delete(orderId);
        this.written.orders.delete(orderId);
      }
    }
    for (const [orderId, fresh] of restById) {
      const cached = this.orders.get(orderId);
      if (cached && newer(cached, fresh, this.writtenSince('orders', orderId, mark)) === 'cache') {
        continue;
      }
      const found = [];
      compareOrder(cached, fresh, found);
      this.orders.set(orderId, fresh);
      changes.corrected.push(...found);
      if (!cached || found.length || cached.version !== fresh.version) {
        changes.orders.push({ orderId, previous: cached, current: fresh });
      }
    }
  }

  mergeAccount(fresh, mark, changes) {
    const cached = this.account;
    if (cached && (fresh === null ? this.writtenSince('account', null, mark)
      : newer(cached, fresh, this.writtenSince('account', null, mark)) === 'cache')) {
      return;
    }
    const found = [];
    compareFields('account', cached, fresh, ACCOUNT_FIELDS, found);
    this.account = fresh;
    changes.corrected.push(...found);
    changes.account = found.length > 0 || cached?.version !== fresh?.version || !cached !== !fresh;
  }

  /** Trades never change: REST's list plus what the socket brought during the read. */
  mergeTrades(restTrades, mark, changes) {
    const merged = new Map(restTrades.map(t => [t.tradeId, t]));
    for (const [tradeId, cached] of this.trades) {
      if (!merged.has(tradeId) && this.writtenSince('trades', tradeId, mark)) {
        merged.set(tradeId, cached);
      }
    }
    for (const [tradeId, fresh] of merged) {
      if (!this.trades.has(tradeId)) {
        changes.corrected.push(`trade ${tradeId} (${fresh.symbol}) is missing from the cache`);
        changes.trades.push(tradeId);
      }
    }
    this.trades = merged;
    this.written.trades = new Map([...this.written.trades].filter(([tradeId]) => merged.has(tradeId)));
  }

  replaceChannels(frame, changes) {
    if (Array.isArray(frame.positions)) {
      const before = this.positions;
      this.positions = new Map(frame.positions.map(p => [p.symbol, p]));
      this.written.positions = new Map();
      frame.positions.forEach(p => this.stamp('positions', p.symbol));
      changes.replaced.push('positions');
      changes.positions = frame.positions.map(p => ({ symbol: p.symbol, previous: before.get(p.symbol), current: p }));
    }
    if (Array.isArray(frame.orders)) {
      const before = this.orders;
      this.orders = new Map(frame.orders.map(o => [o.orderId, o]));
      this.written.orders = new Map();
      frame.orders.forEach(o => this.stamp('orders', o.orderId));
      changes.replaced.push('orders');
      changes.orders = frame.orders.map(o => ({ orderId: o.orderId, previous: before.get(o.orderId), current: o }));
    }
    if (frame.account !== undefined) {
      this.account = frame.account;
      this.stamp('account');
      changes.account = true;
      changes.replaced.push('account');
    }
    if (Array.isArray(frame.trades)) {
      this.trades = new Map(frame.trades.map(t => [t.tradeId, t]));
      this.written.trades = new Map();
      frame.trades.forEach(t => this.stamp('trades', t.tradeId));
      changes.replaced.push('trades');
    }
  }

  /** Merges a batch (or one typed event): each entity only when not older than the cached one. */
  applyFrame(frame, changes) {
    for (const position of frame.positions ?? []) {
      const previous = this.positions.get(position.symbol);
      if (isNotOlder(position, previous, 'asOf')) {
        this.positions.set(position.symbol, position);
        this.stamp('positions', position.symbol);
        changes.positions.push({ symbol: position.symbol, previous, current: position });
      }
    }
    for (const order of frame.orders ?? []) {
      const previous = this.orders.get(order.orderId);
      if (isNotOlder(order, previous, 'updatedAt')) {
        this.orders.set(order.orderId, order);
        this.stamp('orders', order.orderId);
        changes.orders.push({ orderId: order.orderId, previous, current: order });
      }
    }
    if (frame.account && isNotOlder(frame.account, this.account, 'timestamp')) {
      this.account = frame.account;
      this.stamp('account');
      changes.account = true;
    }
    for (const trade of frame.trades ?? []) {
      if (!this.trades.has(trade.tradeId)) {
        this.trades.set(trade.tradeId, trade);
        this.stamp('trades', trade.tradeId);
        changes.trades.push(trade.tradeId);
      }
    }
    return changes;
  }

  /**
   * Shows an order being placed at once (the seed's optimistic update): status pending_new,
   * {@code optimistic: true}, a temporary id, until {@link settleOptimistic} or
   * {@link dropOptimistic}.
   */
  addOptimistic(tempId, request, submittedAt) {
    const order = { orderId: tempId, optimistic: true, status: 'pending_new', filledQty: '0', submittedAt, ...request };
    this.optimistic.set(tempId, order);
    const changes = emptyChanges('optimistic');
    changes.orders.push({ orderId: tempId, previous: undefined, current: order });
    return changes;
  }

  /** The server accepted it: the temporary entry gives way to the server's order (unless the socket brought a newer one). */
  settleOptimistic(tempId, order) {
    this.optimistic.delete(tempId);
    const changes = emptyChanges('optimistic');
    changes.replaced.push('orders');
    return order?.orderId ? this.applyFrame({ orders: [order] }, changes) : changes;
  }

  /** The server refused it (or could not be reached): the temporary entry goes. */
  dropOptimistic(tempId) {
    this.optimistic.delete(tempId);
    const changes = emptyChanges('optimistic');
    changes.replaced.push('orders');
    return changes;
  }

  /** Open positions by symbol, orders newest first (those being placed on top), the account, trades newest first. */
  view() {
    return {
      positions: [...this.positions.values()].filter(p => !isZero(p.quantity))
        .sort((a, b) => a.symbol.localeCompare(b.symbol)),
      orders: [...[...this.optimistic.values()].reverse(),
        ...[...this.orders.values()].sort((a, b) => time(b, 'submittedAt') - time(a, 'submittedAt'))],
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
    compareOrder(store.orders.get(fresh.orderId), fresh, found);
  }
}

function compareOrder(cached, fresh, found) {
  if (!cached) {
    if (isOpenOrder(fresh)) {
      found.push(`order ${fresh.orderId} (${fresh.symbol}, ${fresh.status}) is missing from the cache`);
    }
  } else if (cached.status !== fresh.status || !sameDecimal(cached.filledQty, fresh.filledQty)) {
    found.push(`order ${fresh.orderId} (${fresh.symbol}) status ${cached.status} filled ${cached.filledQty ?? '0'}`
      + ` in the cache, ${fresh.status} filled ${fresh.filledQty ?? '0'} in REST`);
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
