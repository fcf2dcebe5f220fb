/**
 * Money in integer micro-dollars (millionths of a dollar).
 *
 * Sums of micro-dollars are exact while they stay below
 * `Number.MAX_SAFE_INTEGER` (about nine billion dollars), which is why every
 * total in the toolkit is an integer number of micro-dollars and never a sum
 * of floating-point dollars.
 */

/** Micro-dollars in one dollar. */
export const MICROS_PER_DOLLAR = 1_000_000;

/**
 * Parses a non-negative decimal string into an integer scaled by `10^scale`,
 * exactly (no floating-point round trip). Accepts `123`, `123.45`, `.5`,
 * `1e-5` and `1.5E+3`; digits beyond `scale` decimal places are rounded half
 * up. Returns `-1` for anything else (sign, spaces, `NaN`, `Infinity`) or for
 * a result beyond `Number.MAX_SAFE_INTEGER`.
 */
export function parseScaledDecimal(text: string, scale: number): number {
  const length = text.length;
  if (length === 0 || length > 64) return -1;
  let integer = 0;
  let position = 0;
  let digits = 0;
  // Fast path: plain digits, optional fraction of at most `scale` digits.
  for (; position < length; position++) {
    const code = text.charCodeAt(position);
    if (code < 48 || code > 57) break;
    integer = integer * 10 + (code - 48);
    digits++;
  }
  if (position === length) {
    const value = integer * 10 ** scale;
    return digits > 0 && value <= Number.MAX_SAFE_INTEGER ? value : -1;
  }
  if (text.charCodeAt(position) === 46 /* . */) {
    let fraction = 0;
    let fractionDigits = 0;
    let cursor = position + 1;
    for (; cursor < length && fractionDigits < scale; cursor++) {
      const code = text.charCodeAt(cursor);
      if (code < 48 || code > 57) break;
      fraction = fraction * 10 + (code - 48);
      fractionDigits++;
    }
    if (cursor === length && digits + fractionDigits > 0) {
      const value = integer * 10 ** scale + fraction * 10 ** (scale - fractionDigits);
      return value <= Number.MAX_SAFE_INTEGER ? value : -1;
    }
  }
  return parseScaledDecimalSlow(text, scale);
}

const DECIMAL_PATTERN = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

function parseScaledDecimalSlow(text: string, scale: number): number {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return -1;
  const integerDigits = match[1] ?? '';
  const fractionDigits = match[2] ?? '';
  if (integerDigits.length + fractionDigits.length === 0) return -1;
  const exponent = match[3] === undefined ? 0 : Number(match[3]);
  // All digits as one string with the decimal point moved by the exponent.
  let mantissa = (integerDigits + fractionDigits).replace(/^0+(?=\d)/, '');
  let pointPosition = integerDigits.length - (integerDigits.length + fractionDigits.length - mantissa.length);
  pointPosition += exponent + scale;
  if (pointPosition > 30) return -1;
  if (pointPosition < 0) {
    mantissa = '0'.repeat(-pointPosition) + mantissa;
    pointPosition = 0;
  }
  const whole = mantissa.slice(0, pointPosition).padEnd(pointPosition, '0');
  const firstDropped = mantissa.charCodeAt(pointPosition);
  let value = whole.length === 0 ? 0 : Number(whole);
  if (firstDropped >= 53 /* '5' */) value += 1;
  return Number.isSafeInteger(value) ? value : -1;
}

/**
 * Parses a dollar amount such as `0.016928` into micro-dollars, exactly.
 * Returns `-1` when the text is not a non-negative decimal number. `start`
 * and `end` select a part of `text`.
 */
export function parseMicros(text: string, start = 0, end = text.length): number {
  // Fast path for the common form `d+.dddddd` or shorter, read in place.
  let whole = 0;
  let position = start;
  for (; position < end && position - start < 10; position++) {
    const code = text.charCodeAt(position);
    if (code < 48 || code > 57) break;
    whole = whole * 10 + (code - 48);
  }
  if (position > start && position < end && text.charCodeAt(position) === 46 && end - position <= 7) {
    let fraction = 0;
    let cursor = position + 1;
    for (; cursor < end; cursor++) {
      const code = text.charCodeAt(cursor);
      if (code < 48 || code > 57) break;
      fraction = fraction * 10 + (code - 48);
    }
    if (cursor === end) return whole * 1_000_000 + fraction * 10 ** (6 - (end - position - 1));
  }
  return parseScaledDecimal(start === 0 && end === text.length ? text : text.slice(start, end), 6);
}

/** Converts a dollar amount (a JavaScript number) to micro-dollars, rounding half up. */
export function usdToMicros(usd: number): number {
  if (!Number.isFinite(usd)) throw new RangeError(`not a finite amount of dollars: ${usd}`);
  const sign = usd < 0 ? -1 : 1;
  const micros = parseScaledDecimal(String(Math.abs(usd)), 6);
  if (micros < 0) throw new RangeError(`amount out of range: ${usd}`);
  return sign * micros;
}

/** Micro-dollars as a dollar number, for JSON results and charts (not for summing). */
export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_DOLLAR;
}

/**
 * Micro-dollars as a plain decimal string with exactly six places
 * (`16928` → `0.016928`), the form costs take in a CSV log.
 */
export function microsToDecimalString(micros: number): string {
  const negative = micros < 0;
  const absolute = negative ? -micros : micros;
  const whole = Math.floor(absolute / MICROS_PER_DOLLAR);
  const fraction = absolute - whole * MICROS_PER_DOLLAR;
  const fractionText = fraction < 100_000 ? String(fraction).padStart(6, '0') : String(fraction);
  return `${negative ? '-' : ''}${whole}.${fractionText}`;
}

/**
 * Rounds micro-dollars to a number of decimal places of a dollar (half away
 * from zero) and returns the rounded amount in micro-dollars.
 */
export function roundMicros(micros: number, decimals: number): number {
  if (decimals >= 6) return micros;
  const step = 10 ** (6 - decimals);
  const negative = micros < 0;
  const absolute = negative ? -micros : micros;
  const rounded = Math.floor((absolute + step / 2) / step) * step;
  return negative ? -rounded : rounded;
}

/** Options of {@link formatUsd}. */
export interface FormatUsdOptions {
  /** Decimal places, 0–6; 2 by default (4 suits per-call and per-1K-token figures). */
  decimals?: number;
  /** Thousands separators; on by default. */
  grouping?: boolean;
  /** Omit the `$` sign. */
  bare?: boolean;
}

/**
 * Formats micro-dollars as dollars, rounding half away from zero:
 * `formatUsd(1234567890)` → `$1,234.57`, `formatUsd(-5_000_000)` → `-$5.00`.
 */
export function formatUsd(micros: number, options: FormatUsdOptions = {}): string {
  const decimals = Math.min(6, Math.max(0, options.decimals ?? 2));
  const rounded = roundMicros(micros, decimals);
  const negative = rounded < 0;
  const absolute = negative ? -rounded : rounded;
  const whole = Math.floor(absolute / MICROS_PER_DOLLAR);
  let wholeText = String(whole);
  if (options.grouping !== false) wholeText = wholeText.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let text = wholeText;
  if (decimals > 0) {
    const fraction = (absolute - whole * MICROS_PER_DOLLAR) / 10 ** (6 - decimals);
    text += '.' + String(fraction).padStart(decimals, '0');
  }
  return `${negative ? '-' : ''}${options.bare ? '' : '$'}${text}`;
}

/**
 * Splits `totalMicros` into integer parts proportional to `weights` that add
 * up to the total exactly (largest-remainder method; ties go to the earlier
 * weight). Used wherever a cost is allocated, so that allocations reconcile.
 */
export function allocateMicros(totalMicros: number, weights: readonly number[]): number[] {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  if (weights.length === 0) return [];
  if (weightSum <= 0) {
    const parts = weights.map(() => 0);
    parts[0] = totalMicros;
    return parts;
  }
  const exact = weights.map((weight) => (totalMicros * weight) / weightSum);
  const parts = exact.map((value) => Math.floor(value));
  let remainder = totalMicros - parts.reduce((sum, part) => sum + part, 0);
  const order = exact
    .map((value, index) => ({ index, fraction: value - Math.floor(value) }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (let k = 0; remainder > 0 && k < order.length; k++, remainder--) {
    const slot = order[k];
    if (slot) parts[slot.index] = (parts[slot.index] ?? 0) + 1;
  }
  return parts;
}
