/**
 * Timestamps: ISO 8601 parsing without `Date` (fast and strict), and the UTC
 * calendar helpers every analysis buckets by.
 */

/** Milliseconds in one UTC day. */
export const MS_PER_DAY = 86_400_000;
/** Milliseconds in one hour. */
export const MS_PER_HOUR = 3_600_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

// The last valid date seen (`YYYY-MM-DD`) and its day number, and the last valid hour and minute
// seen on that date (`THH:MM`, the separator included) and the time they start at.
let lastDateText = '\u0000'.repeat(10); // matches no timestamp
let lastDateDays = 0;
const NO_CLOCK = '\u0000'.repeat(6); // matches no hour and minute
let lastClockText = NO_CLOCK;
let lastClockMs = 0;

/**
 * Parses an ISO 8601 timestamp — `YYYY-MM-DDTHH:MM:SS`, an optional fraction
 * of any length, and an optional `Z` or `±HH:MM` / `±HHMM` / `±HH` offset — to
 * milliseconds since the epoch (UTC; a timestamp without an offset is UTC).
 * A space is accepted in place of `T`. Returns `NaN` for anything else,
 * including impossible dates such as `2025-02-30`. `start` and `end` select
 * a part of `text` (so that a row's field is read without copying it).
 */
export function parseTimestamp(text: string, start = 0, end = text.length): number {
  const length = end - start;
  if (length < 19) return NaN;
  let minuteMs: number;
  // Rows come in time order: most share the previous row's date, many its hour and minute too,
  // whose values are kept (only text that was valid is kept, so a match needs no other check).
  if (text.startsWith(lastDateText, start) && text.startsWith(lastClockText, start + 10)) {
    minuteMs = lastClockMs;
  } else {
    minuteMs = parseMinute(text, start);
    if (Number.isNaN(minuteMs)) return NaN;
  }
  if (text.charCodeAt(start + 16) !== 58) return NaN;
  const second = digitsAt(text, start + 17, 2);
  if (second < 0 || second > 59) return NaN;
  let position = 19;
  let millis = 0;
  if (
    position < length &&
    (text.charCodeAt(start + position) === 46 || text.charCodeAt(start + position) === 44)
  ) {
    position++;
    const fractionStart = position;
    // The milliseconds are the first three digits; the digits past them only round down. (Past a
    // dozen digits, the sum below in floating point could come within rounding of the next
    // millisecond: that rare fraction is summed as it always was.)
    while (position < length) {
      const code = text.charCodeAt(start + position);
      if (code < 48 || code > 57) break;
      if (position - fractionStart < 3) millis = millis * 10 + (code - 48);
      position++;
    }
    const digits = position - fractionStart;
    if (digits === 0) return NaN;
    if (digits < 3) millis *= digits === 1 ? 100 : 10;
    else if (digits > 12) millis = longFractionMillis(text, start + fractionStart, start + position);
  }
  let offsetMinutes = 0;
  if (position < length) {
    const code = text.charCodeAt(start + position);
    if ((code === 90 || code === 122) /* Z z */ && position + 1 === length) {
      position++;
    } else if (code === 43 || code === 45 /* + - */) {
      const rest = length - position - 1;
      const offsetHours = digitsAt(text, start + position + 1, 2);
      let offsetMins = 0;
      if (rest === 5 && text.charCodeAt(start + position + 3) === 58)
        offsetMins = digitsAt(text, start + position + 4, 2);
      else if (rest === 4) offsetMins = digitsAt(text, start + position + 3, 2);
      else if (rest !== 2) return NaN;
      if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return NaN;
      offsetMinutes = (offsetHours * 60 + offsetMins) * (code === 45 ? -1 : 1);
      position = length;
    } else {
      return NaN;
    }
  }
  return minuteMs + second * 1000 + millis - offsetMinutes * 60_000;
}

/** The milliseconds of a fraction's digits `text[start, end)`, summed digit by digit in floating point. */
function longFractionMillis(text: string, start: number, end: number): number {
  let millis = 0;
  let scale = 100;
  for (let index = start; index < end; index++) {
    millis += (text.charCodeAt(index) - 48) * scale;
    scale /= 10;
  }
  return Math.floor(millis);
}

/** The start of the minute of `YYYY-MM-DDTHH:MM` at `start` (the first 16 characters of a timestamp), or `NaN`. */
function parseMinute(text: string, start: number): number {
  if (
    text.charCodeAt(start + 4) !== 45 ||
    text.charCodeAt(start + 7) !== 45 ||
    text.charCodeAt(start + 13) !== 58
  ) {
    return NaN;
  }
  const separator = text.charCodeAt(start + 10);
  if (separator !== 84 /* T */ && separator !== 32 /* space */ && separator !== 116 /* t */) return NaN;
  let days: number;
  if (text.startsWith(lastDateText, start)) {
    days = lastDateDays;
  } else {
    const year = digitsAt(text, start + 0, 4);
    const month = digitsAt(text, start + 5, 2);
    const day = digitsAt(text, start + 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1) return NaN;
    const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
    if (day > monthDays) return NaN;
    days = daysFromCivil(year, month, day);
    lastDateText = text.slice(start, start + 10);
    lastDateDays = days;
    // The kept hour and minute belong to the previous date.
    lastClockText = NO_CLOCK;
  }
  const hour = digitsAt(text, start + 11, 2);
  const minute = digitsAt(text, start + 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  const minuteMs = days * MS_PER_DAY + hour * MS_PER_HOUR + minute * 60_000;
  lastClockText = text.slice(start + 10, start + 16);
  lastClockMs = minuteMs;
  return minuteMs;
}

/** The UTC day number (days since 1970-01-01) of an epoch time in milliseconds. */
export function utcDayNumber(epochMs: number): number {
  return Math.floor(epochMs / MS_PER_DAY);
}

/** The UTC hour of day, 0–23. */
export function utcHour(epochMs: number): number {
  return Math.floor((epochMs - utcDayNumber(epochMs) * MS_PER_DAY) / MS_PER_HOUR);
}

/** The UTC weekday: 0 = Monday … 6 = Sunday (ISO order). */
export function utcWeekday(epochMs: number): number {
  // 1970-01-01 was a Thursday (ISO index 3).
  return (((utcDayNumber(epochMs) + 3) % 7) + 7) % 7;
}

/** Names of the ISO weekdays, indexed by {@link utcWeekday}. */
export const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

/** A UTC day number as `YYYY-MM-DD`. */
export function formatUtcDay(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Parses `YYYY-MM-DD` (or a full timestamp) into a UTC day number; `NaN` if invalid. */
export function parseUtcDay(text: string): number {
  const epochMs = parseTimestamp(text.length === 10 ? `${text}T00:00:00` : text);
  return Number.isNaN(epochMs) ? NaN : utcDayNumber(epochMs);
}

/**
 * Formats an epoch time as the log's timestamp form, UTC without an offset and
 * with a six-digit fraction: `2025-11-19T08:00:03.794387`. `microsecond`
 * (0–999) refines the fraction below the millisecond.
 */
export function formatTimestamp(epochMs: number, microsecond = 0): string {
  const iso = new Date(epochMs).toISOString(); // 2025-11-19T08:00:03.794Z
  return `${iso.slice(0, 23)}${String(microsecond).padStart(3, '0')}`;
}
