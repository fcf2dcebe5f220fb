/**
 * Reading source values: timestamps in their many forms into one canonical
 * ISO 8601 UTC text, whole numbers from JSON numbers or strings, text from
 * whatever a source put in a field.
 */

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,12}))?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function canonical(epochSeconds: number, fraction: string): string {
  const date = new Date(epochSeconds * 1000);
  const trimmed = fraction.replace(/0+$/, '');
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `${trimmed === '' ? '' : `.${trimmed}`}Z`
  );
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z' || zone === 'UTC') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

/** The shape most exports write: UTC to the second or below, `T` or a space, `Z` or nothing. */
const UTC_SHAPE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,12})?Z?$/;

/** The number written by the digits of `text` from `from` up to `to` (the shape is checked before). */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) value = value * 10 + (text.charCodeAt(index) - 48);
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * {@link isoTimestamp} of text of {@link UTC_SHAPE}, without the general
 * pattern's captures and date arithmetic: the fields are read in place and
 * checked against the calendar, and the text is already in canonical order.
 */
function utcTimestamp(text: string): string | undefined {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (digitsAt(text, 11, 13) > 23 || digitsAt(text, 14, 16) > 59 || digitsAt(text, 17, 19) > 59)
    return undefined;
  const seconds =
    text.charCodeAt(10) === 84 ? text.slice(0, 19) : `${text.slice(0, 10)}T${text.slice(11, 19)}`;
  let end = text.endsWith('Z') ? text.length - 1 : text.length;
  while (end > 20 && text.charCodeAt(end - 1) === 48) end--;
  return end > 20 ? `${seconds}.${text.slice(20, end)}Z` : `${seconds}Z`;
}

/**
 * An ISO 8601 date-time (or a `YYYY-MM-DD HH:MM:SS[.ffffff]` database time,
 * or a bare date) as canonical UTC text: `2026-05-04T09:12:03.12Z` — offsets
 * applied, the fraction kept to its last non-zero digit. A time without an
 * offset is UTC (as databases and exports write it). `undefined` when the
 * text is no such time or names an impossible date.
 */
export function isoTimestamp(text: string): string | undefined {
  const trimmed = text.trim();
  if (UTC_SHAPE.test(trimmed)) return utcTimestamp(trimmed);
  const match = ISO_PATTERN.exec(trimmed);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour ?? 0);
  const mi = Number(minute ?? 0);
  const s = Number(second ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const localMs = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(localMs);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined;
  return canonical(localMs / 1000 - offsetMinutes(zone) * 60, fraction ?? '');
}

/** Unix seconds (a number or digit string, fraction allowed) as canonical UTC text. */
export function timestampFromEpochSeconds(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(text);
  if (!match) return undefined;
  return canonical(Number(match[1]), match[2] ?? '');
}

/** Nanoseconds since the epoch (OTLP's fixed64, a decimal string or a number) as a bigint. */
export function epochNanos(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  }
  if (typeof value === 'string' && /^\d{1,20}$/.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

/** Nanoseconds since the epoch as canonical UTC text (nanosecond fraction kept). */
export function timestampFromEpochNanos(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return canonical(Number(seconds), fraction);
}

/** Nanoseconds since the epoch split into whole milliseconds and the nanoseconds past them. */
export interface NanoTime {
  ms: number;
  /** 0 to 999,999. */
  nanos: number;
}

/**
 * {@link epochNanos} without a bigint (spans are read by the million, and
 * each bigint is an allocation): exact, as milliseconds since the epoch stay
 * far below 2^53 even for 20-digit nanoseconds.
 */
export function epochNanoTime(value: unknown): NanoTime | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    if (!/^\d{1,20}$/.test(text)) return undefined;
    const padded = text.padStart(7, '0');
    return { ms: Number(padded.slice(0, -6)), nanos: Number(padded.slice(-6)) };
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return undefined;
    const ms = Math.floor(value / 1_000_000);
    return { ms, nanos: value - ms * 1_000_000 };
  }
  if (typeof value === 'bigint' && value >= 0n)
    return { ms: Number(value / 1_000_000n), nanos: Number(value % 1_000_000n) };
  return undefined;
}

/** A {@link NanoTime} as canonical UTC text (nanosecond fraction kept). */
export function timestampFromNanoTime(time: NanoTime): string {
  const seconds = Math.floor(time.ms / 1000);
  const fraction = String((time.ms - seconds * 1000) * 1_000_000 + time.nanos).padStart(9, '0');
  return canonical(seconds, fraction);
}

/** Whole milliseconds from `start` to `end`, rounded half up; `undefined` when the end is before the start. */
export function nanoTimeMs(start: NanoTime, end: NanoTime): number | undefined {
  const nanos = (end.ms - start.ms) * 1_000_000 + (end.nanos - start.nanos);
  return nanos < 0 ? undefined : Math.floor((nanos + 500_000) / 1_000_000);
}

/** Milliseconds since the epoch of a canonical timestamp from this module (fraction below 1 ms dropped). */
export function epochMsOf(iso: string): number {
  return Date.parse(iso);
}

/** Whole milliseconds between two canonical timestamps, `undefined` when the end is before the start. */
export function millisecondsBetween(startIso: string, endIso: string): number | undefined {
  const start = fractionalEpochMs(startIso);
  const end = fractionalEpochMs(endIso);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return undefined;
  return Math.round(end - start);
}

function fractionalEpochMs(iso: string): number {
  // Up to milliseconds, Date.parse is exact.
  const dot = iso.lastIndexOf('.');
  if (dot === -1 || iso.length - dot - 2 <= 3) return Date.parse(iso);
  const fraction = /\.(\d+)Z$/.exec(iso)?.[1] ?? '';
  const wholeSeconds = Date.parse(iso.replace(/\.\d+Z$/, 'Z'));
  return wholeSeconds + (fraction === '' ? 0 : Number(`0.${fraction}`) * 1000);
}

/** A whole number ≥ 0 from a JSON number or a digit string; `NaN` when it is something else, `undefined` when absent. */
export function wholeNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : NaN;
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d{1,15}$/.test(text)) return Number(text);
    if (/^\d{1,15}\.0*$/.test(text)) return Number(text.slice(0, text.indexOf('.')));
    return NaN;
  }
  return NaN;
}

/** A finite number (JSON number or numeric string); `NaN` when it is something else, `undefined` when absent. */
export function finiteNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  return Number.isFinite(number) ? number : NaN;
}

/** Text of a scalar value; `undefined` for absent, null, empty or non-scalar values. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? undefined : text;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A value that may be a JSON object written as a string (metadata columns of
 * CSV exports, Langfuse's metadata field): the object, or `undefined`.
 */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  if (isObject(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text.startsWith('{')) return undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      return isObject(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A value that may be a JSON array written as a string: its string items, or `[]`. */
export function stringListOf(value: unknown): string[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text.startsWith('[')) return text === '' ? [] : [text];
    try {
      list = JSON.parse(text);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  return list.filter((item): item is string => typeof item === 'string' && item !== '');
}

/** The first value among `keys` of `record` that is present and not null or empty. */
export function firstOf(record: Readonly<Record<string, unknown>>, ...keys: string[]): unknown {
  for (const key of keys) {
    const value = record[key];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}
