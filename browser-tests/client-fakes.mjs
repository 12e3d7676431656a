// Small stand-ins for the browser around the portfolio client under Node: a clock whose timers
// run when a test says so, a scripted REST server, and WebSockets the test opens, feeds and closes.

/** Timers that fire only in advance(), in due order, with the clock moving to each one's time. */
export class ManualClock {
  constructor() {
    this.time = 0;
    this.nextId = 1;
    this.pending = new Map();
    this.timers = {
      setTimeout: (fn, ms) => {
        const id = this.nextId++;
        this.pending.set(id, { at: this.time + ms, fn, ms });
        return id;
      },
      clearTimeout: id => this.pending.delete(id),
    };
    this.now = () => this.time;
  }

  /** Delays of the timers waiting now, shortest first. */
  waiting() {
    return [...this.pending.values()].map(t => t.at - this.time).sort((a, b) => a - b);
  }

  async advance(ms) {
    const until = this.time + ms;
    for (;;) {
      await settle();
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) {
        break;
      }
      this.pending.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = until;
    await settle();
  }
}

/** Lets pending promise chains (fetch answers, awaits in the client) run. */
export async function settle() {
  for (let i = 0; i < 10; i++) {
    await new Promise(resolve => setImmediate(resolve));
  }
}

/** A REST server answering each path from a table the test can change; records every call. */
export function fakeRest(routes) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    const { pathname, search } = new URL(url);
    calls.push({ method: init.method ?? 'GET', path: pathname + search, headers: init.headers ?? {}, body: init.body });
    const answer = routes[pathname + search] ?? routes[pathname];
    if (answer instanceof Error) {
      throw answer;
    }
    const { status = 200, body = null } = typeof answer === 'function' ? await answer(init) : (answer ?? { status: 404 });
    return {
      status,
      ok: status >= 200 && status < 300,
      json: async () => body,
      text: async () => (body === null ? '' : JSON.stringify(body)),
    };
  };
  return { fetch, calls, routes };
}

/**
 * WebSocket instances the test drives; the class records each one made. Each answers an
 * application ping with a pong, as the server does, until the test sets answerPings = false (a
 * cut network).
 */
export function fakeSockets() {
  const made = [];
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.sent = [];
      this.readyState = 0;
      this.answerPings = true;
      made.push(this);
    }
    send(text) {
      const sent = JSON.parse(text);
      this.sent.push(sent);
      if (sent.type === 'ping' && this.answerPings && this.readyState === 1) {
        this.receive(message('pong', {}));
      }
    }
    close(code = 1000, reason = '') {
      this.readyState = 3;
      this.closedBy = { code, reason };
    }
    // ---- what the "server" does ----
    open() {
      this.readyState = 1;
      this.onopen?.({});
    }
    receive(message) {
      this.onmessage?.({ data: JSON.stringify(message) });
    }
    serverClose(code, reason = '') {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }
    /** A refused handshake: the browser reports 1006 without ever opening. */
    refuse() {
      this.readyState = 3;
      this.onerror?.({});
      this.onclose?.({ code: 1006, reason: '' });
    }
  }
  return { WebSocket: FakeWebSocket, made, last: () => made[made.length - 1] };
}

/** A logger keeping what it was told. */
export function recordingLogger() {
  const warnings = [];
  const errors = [];
  return { warnings, errors, warn: message => warnings.push(message), error: message => errors.push(message) };
}

let seq = 0;
export function message(type, data) {
  seq += 1;
  return { type, timestamp: new Date(0).toISOString(), userId: 'u-1', seq, data };
}

export function position(symbol, version, fields = {}) {
  return { symbol, quantity: '10', entryPrice: '100.00', currentPrice: '101.00', unrealizedPnl: '10.00',
    unrealizedPnlPercent: '1.00', marketValue: '1010.00', side: 'long', version, ...fields };
}

export function order(orderId, status, version, fields = {}) {
  return { orderId, symbol: 'AAPL', side: 'buy', type: 'market', status, qty: '1', filledQty: '0',
    submittedAt: '2026-01-05T15:00:00.000Z', version, ...fields };
}

export function account(equity, version) {
  return { equity, buyingPower: '1000.00', cash: '500.00', dayPnl: '0.00', dayPnlPercent: '0.00', version };
}

export function trade(tradeId, symbol = 'AAPL') {
  return { tradeId, orderId: 'o-1', symbol, side: 'buy', quantity: '1', price: '101.00', executedAt: '2026-01-05T15:00:01.000Z' };
}
