/**
 * Exact decimal text for money. Sources report cost as JSON numbers
 * (`4.475e-05`), decimal strings, cents strings or integers scaled by 10⁹;
 * all of them become a plain decimal dollar string without a floating-point
 * round trip, so that a reported cost is kept to its last digit.
 */
import { parseMicros } from '@finops/schema';

const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** A decimal number as `digits × 10^exponent` with a sign. */
interface DecimalParts {
  negative: boolean;
  digits: string;
  exponent: number;
}

function partsOf(text: string): DecimalParts | undefined {
  const match = NUMBER_TEXT.exec(text.trim());
  if (!match) return undefined;
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (whole.length + fraction.length === 0) return undefined;
  const exponent = (match[4] === undefined ? 0 : Number(match[4])) - fraction.length;
  return { negative: match[1] === '-', digits: whole + fraction, exponent };
}

function plainText(parts: DecimalParts): string {
  let digits = parts.digits.replace(/^0+/, '');
  let exponent = parts.exponent;
  if (digits === '') return '0';
  while (exponent < 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent++;
  }
  let text: string;
  if (exponent >= 0) text = digits + '0'.repeat(exponent);
  else if (-exponent >= digits.length) text = `0.${'0'.repeat(-exponent - digits.length)}${digits}`;
  else text = `${digits.slice(0, digits.length + exponent)}.${digits.slice(digits.length + exponent)}`;
  return parts.negative ? `-${text}` : text;
}

/**
 * A number or numeric string as plain decimal text (`4.475e-05` →
 * `0.00004475`), divided by `10^scaleDown` exactly (2 for cents, 9 for
 * nano-dollars). `undefined` when the value is not a finite number.
 */
export function exactDecimal(value: unknown, scaleDown = 0): string | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === 'bigint') {
    text = value.toString();
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return undefined;
  }
  const parts = partsOf(text);
  if (!parts) return undefined;
  return plainText({ ...parts, exponent: parts.exponent - scaleDown });
}

/** Whether a plain decimal text (from {@link exactDecimal}) is below zero. */
export function isNegativeDecimal(text: string): boolean {
  return text.startsWith('-') && text !== '-0';
}

/** Whether a plain decimal text is zero. */
export function isZeroDecimal(text: string): boolean {
  return /^-?0*(\.0*)?$/.test(text);
}

/** Plain decimal dollars as integer micro-dollars, rounded half up (away from zero below zero). */
export function decimalToMicros(text: string): number {
  const negative = isNegativeDecimal(text);
  const micros = parseMicros(negative ? text.slice(1) : text.replace(/^-/, ''));
  if (micros < 0) throw new RangeError(`not a decimal amount of dollars: ${text}`);
  return negative ? -micros : micros;
}

/** The exact sum of two plain decimal texts. */
export function addDecimals(left: string, right: string): string {
  const a = partsOf(left);
  const b = partsOf(right);
  if (!a || !b) throw new RangeError(`not decimal numbers: ${left}, ${right}`);
  const exponent = Math.min(a.exponent, b.exponent);
  const scaled = (parts: DecimalParts): bigint => {
    const value = BigInt(parts.digits + '0'.repeat(parts.exponent - exponent));
    return parts.negative ? -value : value;
  };
  const sum = scaled(a) + scaled(b);
  const negative = sum < 0n;
  return plainText({ negative, digits: (negative ? -sum : sum).toString(), exponent });
}
