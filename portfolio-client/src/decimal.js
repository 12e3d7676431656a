// Decimal strings as the server sends them ("175.50", "-12.3"): compared and formatted with
// string and BigInt arithmetic only, never through floating point.

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** The parts of a decimal string, or null when it is not one. */
function parse(value) {
  if (value === null || value === undefined) {
    return null;
  }
  const match = DECIMAL.exec(String(value).trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    return null;
  }
  return { negative: match[1] === '-', whole: match[2] || '0', fraction: match[3] ?? '' };
}

function scaled(parts, scale) {
  const digits = parts.whole + parts.fraction.padEnd(scale, '0');
  const magnitude = BigInt(digits);
  return parts.negative ? -magnitude : magnitude;
}

/**
 * -1, 0 or 1 as a is below, equal to or above b; null when either is not a decimal.
 * @param {string|null|undefined} a
 * @param {string|null|undefined} b
 */
export function compareDecimals(a, b) {
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) {
    return null;
  }
  const scale = Math.max(left.fraction.length, right.fraction.length);
  const difference = scaled(left, scale) - scaled(right, scale);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Whether two decimal strings name the same number ("10" and "10.00" do); both absent also match. */
export function sameDecimal(a, b) {
  if ((a === null || a === undefined) && (b === null || b === undefined)) {
    return true;
  }
  const comparison = compareDecimals(a, b);
  return comparison === null ? String(a) === String(b) : comparison === 0;
}

/** Whether a decimal string is zero ("0", "0.000"). */
export function isZero(value) {
  return compareDecimals(value, '0') === 0;
}

/**
 * Formats a decimal string for display: thousands grouped, at least {@code minFraction} places
 * (padded with zeros, never rounded: the server already rounds money), an optional explicit plus.
 * @param {string|null|undefined} value
 * @param {{minFraction?: number, trimZeros?: boolean, plus?: boolean}} [options]
 */
export function formatDecimal(value, options = {}) {
  const parts = parse(value);
  if (!parts) {
    return value === null || value === undefined ? '—' : String(value);
  }
  const { minFraction = 0, trimZeros = false, plus = false } = options;
  let fraction = parts.fraction;
  if (trimZeros) {
    fraction = fraction.replace(/0+$/, '');
  }
  fraction = fraction.padEnd(minFraction, '0');
  const whole = parts.whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const zero = /^0*$/.test(parts.whole + parts.fraction);
  const sign = parts.negative && !zero ? '-' : plus && !zero ? '+' : '';
  return sign + whole + (fraction ? '.' + fraction : '');
}
