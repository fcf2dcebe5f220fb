/**
 * Writing CSV lines straight into a byte buffer: building each line as a
 * string, then joining and encoding the strings, is where most of a run's
 * time and garbage went. Text that repeats (model, customer, feature …) is
 * encoded once; numbers are written two digits at a time from a table.
 */

const encoder = new TextEncoder();
const ZERO = 48;
/** Longest text copied byte by byte rather than with `set` (a call into the runtime, then a fast copy). */
const SHORT_BYTES = 24;
/** Integers below this divide exactly with 32-bit `| 0` truncation. */
const SMALL_INTEGER = 2 ** 31;
/** The ASCII digits of 00 … 99, two bytes each. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, index) =>
  index % 2 === 0 ? ZERO + Math.floor(index / 20) : ZERO + (((index - 1) / 2) % 10),
);

/** `text` as UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Copies `bytes` into `target` at `offset`; returns the offset after them. */
export function putBytes(target: Uint8Array, offset: number, bytes: Uint8Array): number {
  const length = bytes.length;
  // `set` costs a call into the runtime: a plain loop is faster for the short fields of a line.
  if (length > SHORT_BYTES) target.set(bytes, offset);
  else for (let index = 0; index < length; index++) target[offset + index] = bytes[index] as number;
  return offset + length;
}

/** Number of decimal digits of a non-negative integer. */
function digitCount(value: number): number {
  if (value < 10) return 1;
  if (value < 100) return 2;
  if (value < 1000) return 3;
  if (value < 10_000) return 4;
  if (value < 100_000) return 5;
  if (value < 1_000_000) return 6;
  let digits = 7;
  for (let rest = value; rest >= 10_000_000; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

/** Writes the last two digits of `value` (0–99) ending just before `end`. */
function putPairBefore(target: Uint8Array, end: number, value: number): void {
  const pair = value * 2;
  target[end - 2] = DIGIT_PAIRS[pair] as number;
  target[end - 1] = DIGIT_PAIRS[pair + 1] as number;
}

/** Writes a non-negative integer in decimal; returns the offset after it. */
export function putInteger(target: Uint8Array, offset: number, value: number): number {
  const end = offset + digitCount(value);
  let position = end;
  let rest = value;
  while (rest >= SMALL_INTEGER) {
    const next = Math.floor(rest / 10);
    target[--position] = ZERO + (rest - next * 10);
    rest = next;
  }
  while (rest >= 100) {
    const next = (rest / 100) | 0;
    putPairBefore(target, position, rest - next * 100);
    position -= 2;
    rest = next;
  }
  if (rest >= 10) putPairBefore(target, position, rest);
  else target[position - 1] = ZERO + rest;
  return end;
}

/** Writes an integer below 10^width padded with zeros to `width` digits; returns the offset after it. */
export function putPadded(target: Uint8Array, offset: number, value: number, width: number): number {
  let position = offset + width;
  let rest = value;
  while (position - offset >= 2) {
    const next = (rest / 100) | 0;
    putPairBefore(target, position, rest - next * 100);
    position -= 2;
    rest = next;
  }
  if (position > offset) target[offset] = ZERO + rest;
  return offset + width;
}

/** Writes one ASCII character given as its code; returns the offset after it. */
export function putCode(target: Uint8Array, offset: number, code: number): number {
  target[offset] = code;
  return offset + 1;
}
