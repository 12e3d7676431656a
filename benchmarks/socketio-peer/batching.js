'use strict';
// Per-user batching as a fair peer writes it, with the portfolio edge's rules: the first event
// after a quiet spell goes at once and opens a window; inside the window the newest state of each
// position (by symbol), order (by id) and the account wins and every trade is kept; when the
// window ends what it holds goes out, and a window that ends empty closes. Order updates, trades
// and whatever a fill changed go out after a linger of a few milliseconds (so that one fill's
// order, trade, position and account share a frame). One entity goes as its typed event, more as
// `batch`.

const URGENT_LINGER_MS = 5;
const URGENT_TYPES = new Set(['order_update', 'trade_executed']);

class UserWindow {
  constructor(send, windowMs) {
    this.send = send; // (type, data) => void
    this.windowMs = windowMs;
    this.positions = new Map();
    this.orders = new Map();
    this.account = null;
    this.trades = [];
    this.windowTimer = null;
    this.urgentTimer = null;
  }

  offer(type, data, fill) {
    this.hold(type, data);
    if (fill || URGENT_TYPES.has(type)) {
      this.openWindow();
      if (this.urgentTimer === null) {
        this.urgentTimer = setTimeout(() => {
          this.urgentTimer = null;
          this.flush();
        }, URGENT_LINGER_MS);
      }
    } else if (this.windowTimer === null) {
      this.openWindow();
      this.flush();
    }
  }

  hold(type, data) {
    switch (type) {
      case 'position_update': this.positions.set(data.symbol, data); break;
      case 'order_update': this.orders.set(data.orderId, data); break;
      case 'account_update': this.account = data; break;
      case 'trade_executed': this.trades.push(data); break;
      default: break; // not an entity event: nothing to batch
    }
  }

  openWindow() {
    if (this.windowTimer === null) {
      this.windowTimer = setTimeout(() => this.windowEnded(), this.windowMs);
    }
  }

  windowEnded() {
    if (this.size() === 0) {
      this.windowTimer = null;
      return;
    }
    this.flush();
    this.windowTimer = setTimeout(() => this.windowEnded(), this.windowMs);
  }

  size() {
    return this.positions.size + this.orders.size + this.trades.length + (this.account === null ? 0 : 1);
  }

  flush() {
    const size = this.size();
    if (size === 0) {
      return;
    }
    if (size === 1) {
      this.sendSingle();
    } else {
      const frame = {};
      if (this.positions.size > 0) frame.positions = [...this.positions.values()];
      if (this.orders.size > 0) frame.orders = [...this.orders.values()];
      if (this.account !== null) frame.account = this.account;
      if (this.trades.length > 0) frame.trades = this.trades;
      this.send('batch', frame);
    }
    this.positions = new Map();
    this.orders = new Map();
    this.account = null;
    this.trades = [];
  }

  sendSingle() {
    if (this.positions.size === 1) this.send('position_update', this.positions.values().next().value);
    else if (this.orders.size === 1) this.send('order_update', this.orders.values().next().value);
    else if (this.account !== null) this.send('account_update', this.account);
    else this.send('trade_executed', this.trades[0]);
  }

  close() {
    clearTimeout(this.windowTimer);
    clearTimeout(this.urgentTimer);
  }
}

module.exports = { UserWindow, URGENT_LINGER_MS };
