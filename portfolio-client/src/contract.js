// The shapes of what the server sends (docs/api/asyncapi.yaml, with the entities of openapi.yaml),
// checked before a message touches the cache: a frame that breaks them is logged and dropped whole,
// never merged in part. Hand-written rather than a JSON Schema validator: the client has no
// dependencies, and these nine shapes are all it reads.

const DECIMAL = /^-?[0-9]{1,30}(\.[0-9]{1,18})?$/;
const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9./-]{0,19}$/;
const ORDER_STATUSES = new Set(['pending_new', 'new', 'accepted', 'accepted_for_bidding', 'partially_filled',
  'pending_cancel', 'pending_replace', 'calculated', 'stopped', 'suspended', 'done_for_day', 'filled', 'canceled',
  'expired', 'replaced', 'rejected', 'failed']);
const ORDER_TYPES = new Set(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']);
const SIDES = new Set(['buy', 'sell']);
const POSITION_SIDES = new Set(['long', 'short']);
/** The most entities of one kind a frame may carry: far above any real snapshot, a bound on a broken one. */
const MAX_ENTITIES = 10000;
const MAX_ID = 128;

const isObject = value => value !== null && typeof value === 'object' && !Array.isArray(value);
const isString = (value, max = MAX_ID) => typeof value === 'string' && value.length > 0 && value.length <= max;
const isInstant = value => typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));

/** Checks one field; returns a reason, or null. */
function field(entity, name, check, what, required) {
  const value = entity[name];
  if (value === undefined || value === null) {
    return required ? `${name} is missing` : null;
  }
  return check(value) ? null : `${name} is not ${what}`;
}

const decimal = value => typeof value === 'string' && DECIMAL.test(value);
const version = value => Number.isSafeInteger(value) && value >= 0;

function entityProblem(entity, fields) {
  if (!isObject(entity)) {
    return 'is not an object';
  }
  for (const [name, check, what, required] of fields) {
    const problem = field(entity, name, check, what, required);
    if (problem) {
      return problem;
    }
  }
  return null;
}

const ANY_STRING = [value => isString(value, 1024), 'a string'];
const DECIMAL_FIELD = [decimal, 'a decimal string'];
const INSTANT_FIELD = [isInstant, 'a date-time'];
const VERSION_FIELD = [version, 'a non-negative integer'];

const POSITION = [
  ['symbol', v => typeof v === 'string' && SYMBOL.test(v), 'a symbol', true],
  ['quantity', ...DECIMAL_FIELD, true], ['entryPrice', ...DECIMAL_FIELD, true],
  ['side', v => POSITION_SIDES.has(v), 'long or short', true],
  ['currentPrice', ...DECIMAL_FIELD], ['unrealizedPnl', ...DECIMAL_FIELD], ['unrealizedPnlPercent', ...DECIMAL_FIELD],
  ['marketValue', ...DECIMAL_FIELD], ['openedAt', ...INSTANT_FIELD], ['asOf', ...INSTANT_FIELD],
  ['strategyId', ...ANY_STRING], ['version', ...VERSION_FIELD],
];
const ORDER = [
  ['orderId', isString, 'an id', true], ['symbol', v => typeof v === 'string' && SYMBOL.test(v), 'a symbol', true],
  ['side', v => SIDES.has(v), 'buy or sell', true], ['type', v => ORDER_TYPES.has(v), 'an order type', true],
  ['status', v => ORDER_STATUSES.has(v), 'an order status', true], ['qty', ...DECIMAL_FIELD, true],
  ['filledQty', ...DECIMAL_FIELD], ['filledAvgPrice', ...DECIMAL_FIELD], ['limitPrice', ...DECIMAL_FIELD],
  ['stopPrice', ...DECIMAL_FIELD], ['submittedAt', ...INSTANT_FIELD], ['filledAt', ...INSTANT_FIELD],
  ['canceledAt', ...INSTANT_FIELD], ['updatedAt', ...INSTANT_FIELD], ['brokerOrderId', isString, 'an id'],
  ['rejectReason', ...ANY_STRING], ['strategyId', ...ANY_STRING], ['version', ...VERSION_FIELD],
];
const ACCOUNT = [
  ['equity', ...DECIMAL_FIELD, true], ['buyingPower', ...DECIMAL_FIELD, true], ['cash', ...DECIMAL_FIELD, true],
  ['portfolioValue', ...DECIMAL_FIELD], ['dayPnl', ...DECIMAL_FIELD], ['dayPnlPercent', ...DECIMAL_FIELD],
  ['lastEquity', ...DECIMAL_FIELD], ['timestamp', ...INSTANT_FIELD], ['version', ...VERSION_FIELD],
];
const TRADE = [
  ['tradeId', isString, 'an id', true], ['symbol', v => typeof v === 'string' && SYMBOL.test(v), 'a symbol', true],
  ['side', v => SIDES.has(v), 'buy or sell', true], ['quantity', ...DECIMAL_FIELD, true],
  ['price', ...DECIMAL_FIELD, true], ['executedAt', ...INSTANT_FIELD, true], ['orderId', isString, 'an id'],
  ['pnl', ...DECIMAL_FIELD], ['strategyId', ...ANY_STRING],
];

function listProblem(list, name, fields) {
  if (list === undefined) {
    return null;
  }
  if (!Array.isArray(list) || list.length > MAX_ENTITIES) {
    return `${name} is not a list of at most ${MAX_ENTITIES}`;
  }
  for (let i = 0; i < list.length; i++) {
    const problem = entityProblem(list[i], fields);
    if (problem) {
      return `${name}[${i}] ${problem}`;
    }
  }
  return null;
}

/** A batch or snapshot: each channel optional; the account may be null (none yet). */
function frameProblem(data) {
  return listProblem(data.positions, 'positions', POSITION)
    ?? listProblem(data.orders, 'orders', ORDER)
    ?? (data.account === undefined || data.account === null ? null : prefixed('account', entityProblem(data.account, ACCOUNT)))
    ?? listProblem(data.trades, 'trades', TRADE);
}

const prefixed = (name, problem) => (problem ? `${name} ${problem}` : null);

const DATA_CHECKS = {
  position_update: data => prefixed('position', entityProblem(data, POSITION)),
  order_update: data => prefixed('order', entityProblem(data, ORDER)),
  account_update: data => prefixed('account', entityProblem(data, ACCOUNT)),
  trade_executed: data => prefixed('trade', entityProblem(data, TRADE)),
  batch: frameProblem,
  snapshot: frameProblem,
  info: data => field(data, 'code', isString, 'a code', true),
  error: data => field(data, 'code', isString, 'a code', true),
  pong: () => null,
};

/** The message types the server sends. */
export const SERVER_MESSAGE_TYPES = Object.freeze(Object.keys(DATA_CHECKS));

/**
 * Why a parsed server message breaks the contract (one sentence naming the field), or null when it
 * keeps it. The envelope is {type, timestamp, userId?, seq, data}; data is checked per type.
 */
export function messageProblem(message) {
  if (!isObject(message)) {
    return 'the message is not an object';
  }
  const check = DATA_CHECKS[message.type];
  if (!check) {
    return `type ${JSON.stringify(String(message.type).slice(0, 40))} is not one the server sends`;
  }
  if (!Number.isSafeInteger(message.seq) || message.seq < 1) {
    return `${message.type}: seq is not a positive integer`;
  }
  if (!isInstant(message.timestamp)) {
    return `${message.type}: timestamp is not a date-time`;
  }
  if (!isObject(message.data)) {
    return `${message.type}: data is not an object`;
  }
  return prefixed(`${message.type}:`, check(message.data));
}
