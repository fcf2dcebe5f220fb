/**
 * Writing CSV lines straight into a byte buffer: building each line as a
 * string, then joining and encoding the strings, is where most of a run's
 * time and garbage went. Text that repeats (model, customer, feature …) is
 * encoded once; numbers are written digit by digit.
 */

const encoder = new TextEncoder();
const ZERO = 48;

/** `text` as UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Copies `bytes` into `target` at `offset`; returns the offset after them. */
export function putBytes(target: Uint8Array, offset: number, bytes: Uint8Array): number {
  const length = bytes.length;
  // Fields are a few bytes long: a plain loop beats `set` and its bounds checks at this size.
  for (let index = 0; index < length; index++) target[offset + index] = bytes[index] as number;
  return offset + length;
}

/** Writes a non-negative integer in decimal; returns the offset after it. */
export function putInteger(target: Uint8Array, offset: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = value;
  for (let position = offset + digits - 1; position >= offset; position--) {
    const next = Math.floor(rest / 10);
    target[position] = ZERO + rest - next * 10;
    rest = next;
  }
  return offset + digits;
}

/** Writes an integer below 10^width padded with zeros to `width` digits; returns the offset after it. */
export function putPadded(target: Uint8Array, offset: number, value: number, width: number): number {
  let rest = value;
  for (let position = offset + width - 1; position >= offset; position--) {
    const next = Math.floor(rest / 10);
    target[position] = ZERO + rest - next * 10;
    rest = next;
  }
  return offset + width;
}

/** Writes one ASCII character given as its code; returns the offset after it. */
export function putCode(target: Uint8Array, offset: number, code: number): number {
  target[offset] = code;
  return offset + 1;
}
