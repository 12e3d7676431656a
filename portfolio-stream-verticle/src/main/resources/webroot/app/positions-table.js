// The positions table: rows kept per symbol (so a flash survives the next update), the P&L
// flash with its announcement, and the Live / Delayed badge of each position.
import { compareDecimals, formatDecimal } from '/client/portfolio-client.js';
import { $, setSigned } from './view.js';

const LIVE_MS = 5000;
const DELAYED_MS = 30000;
const FLASH_MS = 500;

export class PositionsTable {
  constructor() {
    this.rows = new Map();
    this.seenAt = new Map();
    this.startedAt = Date.now();
  }

  render(positions, changes) {
    const now = Date.now();
    const changed = new Map(changes.positions.map(change => [change.symbol, change]));
    const tbody = $('positions').tBodies[0];
    const open = new Set(positions.map(p => p.symbol));
    for (const [symbol, row] of this.rows) {
      if (!open.has(symbol)) {
        row.remove();
        this.rows.delete(symbol);
      }
    }
    positions.forEach((position, index) => {
      const row = this.rows.get(position.symbol) ?? this.createRow(position.symbol);
      if (tbody.rows[index] !== row) {
        tbody.insertBefore(row, tbody.rows[index] ?? null);
      }
      const change = changed.get(position.symbol);
      if (change && (changes.source === 'event' || changes.source === 'snapshot'
        || compareDecimals(change.previous?.currentPrice, position.currentPrice) !== 0)) {
        this.seenAt.set(position.symbol, now);
      }
      PositionsTable.fill(row, position);
      if (change?.previous) {
        PositionsTable.flash(row, change.previous.unrealizedPnl, position);
      }
    });
    $('positions-empty').hidden = positions.length > 0;
  }

  createRow(symbol) {
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
    this.rows.set(symbol, row);
    return row;
  }

  static fill(row, position) {
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
  static flash(row, previousPnl, position) {
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

  updateBadges(now) {
    for (const [symbol, row] of this.rows) {
      const age = now - (this.seenAt.get(symbol) ?? this.startedAt);
      const badge = row.cells[8].firstChild;
      const feed = age <= LIVE_MS ? 'live' : age > DELAYED_MS ? 'delayed' : 'recent';
      if (badge.dataset.feed !== feed) {
        badge.dataset.feed = feed;
        badge.textContent = feed === 'live' ? 'Live' : feed === 'delayed' ? 'Delayed' : '·';
      }
    }
  }
}
