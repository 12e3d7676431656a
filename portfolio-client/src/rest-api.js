// The REST side of the service as the client uses it: reads (the source of truth and the
// fallback) and state-changing calls with the session cookie and the CSRF token.

/** A REST call answered 401: the session is gone. */
export class SignedOutError extends Error {
  constructor() {
    super('Signed out');
    this.name = 'SignedOutError';
  }
}

/** How long a REST read may wait for its answer (a frozen node behind the balancer never answers). */
export const READ_TIMEOUT_MS = 10000;

function timeoutSignal() {
  return typeof AbortSignal !== 'undefined' && AbortSignal.timeout ? AbortSignal.timeout(READ_TIMEOUT_MS) : undefined;
}

export class RestApi {
  /**
   * @param {{baseUrl: string, fetch?: typeof fetch, csrfToken?: () => string|null}} options
   */
  constructor({ baseUrl, fetch, csrfToken }) {
    this.baseUrl = baseUrl;
    this.fetchImpl = fetch ?? ((...args) => globalThis.fetch(...args));
    this.csrfToken = csrfToken ?? readCookie(CSRF_COOKIE_NAMES);
  }

  url(path) {
    return new URL(path, this.baseUrl).toString();
  }

  /** GET as JSON; 401 rejects with SignedOutError; with allowMissing a 404 resolves to null. */
  async getJson(path, { allowMissing = false } = {}) {
    const response = await this.fetchImpl(this.url(path),
      { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: timeoutSignal() });
    if (response.status === 401) {
      throw new SignedOutError();
    }
    if (allowMissing && response.status === 404) {
      return null;
    }
    if (!response.ok) {
      throw new Error(`GET ${path} answered ${response.status}`);
    }
    return response.json();
  }

  /** Every channel at once: positions, all orders (newest 500), the account (null for none), today's trades. */
  async fetchPortfolio() {
    const [positions, orders, account, trades] = await Promise.all([
      this.getJson('/api/positions'),
      this.getJson('/api/orders?status=all'),
      this.getJson('/api/account', { allowMissing: true }),
      this.getJson('/api/trades'),
    ]);
    return { positions, orders, account, trades };
  }

  /**
   * A state-changing call: JSON body, the CSRF cookie echoed in X-XSRF-TOKEN (a GET fetches one
   * first when there is none; a stale one is refreshed and the call retried once). Rejects with an
   * error carrying the server's status, code, message and details (field → reason).
   */
  async send(method, path, body, retried = false) {
    if (!this.csrfToken()) {
      await this.fetchImpl(this.url('/api/health'), { credentials: 'same-origin' });
    }
    const headers = { 'X-XSRF-TOKEN': this.csrfToken() ?? '', Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.fetchImpl(this.url(path), {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const payload = text ? JSON.parse(text) : null;
    if (response.ok) {
      return payload;
    }
    if (response.status === 403 && payload?.error?.code === 'CSRF_TOKEN_INVALID' && !retried) {
      await this.fetchImpl(this.url('/api/health'), { credentials: 'same-origin' });
      return this.send(method, path, body, true);
    }
    throw Object.assign(new Error(payload?.error?.message ?? `${method} ${path} answered ${response.status}`),
      { status: response.status, code: payload?.error?.code, details: payload?.error?.details ?? {} });
  }
}

/**
 * The CSRF cookie's names: __Host-XSRF-TOKEN when the server marks its cookies Secure (over
 * HTTPS, or COOKIE_SECURE=true behind a TLS balancer), XSRF-TOKEN otherwise; the first found wins.
 */
export const CSRF_COOKIE_NAMES = ['__Host-XSRF-TOKEN', 'XSRF-TOKEN'];

/** Reads a cookie of the page by the first of its names that is set (the CSRF token is readable by design; the session cookie is not). */
export function readCookie(names, source = () => globalThis.document?.cookie ?? '') {
  return () => {
    const found = new Map();
    for (const pair of source().split(';')) {
      const [key, ...value] = pair.trim().split('=');
      if (!found.has(key)) {
        found.set(key, value.join('='));
      }
    }
    const name = names.find((n) => found.has(n));
    return name === undefined ? null : decodeURIComponent(found.get(name));
  };
}
