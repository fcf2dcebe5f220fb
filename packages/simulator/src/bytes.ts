/**
 * Writing CSV lines straight into a byte buffer: building each line as a
 * string, then joining and encoding the strings, is where most of a run's
 * time and garbage went. Text that repeats (model, customer, feature …) is
 * encoded once; numbers are written from tables of their digits.
 */

const encoder = new TextEncoder();
const ZERO = 48;
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

/*
 * Writing through a `DataView`, eight or four bytes at a time. A line's fixed
 * texts are packed into 64-bit words once, and numbers below 10,000 are looked up as one
 * word of digits: a line is a few dozen stores instead of one per byte. A
 * store may run up to seven bytes past the end of what it writes; the next
 * field overwrites them, so a buffer keeps {@link SPILL_BYTES} spare at its end.
 */

/** Bytes a packed store may write past the end of its text or number. */
export const SPILL_BYTES = 7;
/** Numbers below this are written with one store from a table. */
const WORD_NUMBERS = 10_000;

/**
 * A text packed for {@link putPacked}: its UTF-8 bytes as little-endian
 * 64-bit words read as doubles, the last padded with zeros. A word whose bits
 * make a NaN (its last byte 0x7f or 0xff after one of 0xf0 or more, which
 * valid UTF-8 never has) could lose them on the way, so such bytes are
 * packed in 32-bit words instead.
 */
export interface PackedText {
  /** The 64-bit words, or none when the text is in {@link halves}. */
  readonly words: Float64Array;
  /** The 32-bit words of a text that cannot go in 64-bit ones, else none. */
  readonly halves: Int32Array;
  /** Bytes of the text. */
  readonly length: number;
}

/** Eight bytes being packed, and a view that reads them as one little-endian word. */
const PACKING = new Uint8Array(8);
const PACKING_VIEW = new DataView(PACKING.buffer);
const NO_WORDS = new Float64Array(0);
const NO_HALVES = new Int32Array(0);

/** Whether eight bytes packed at `start` of `bytes` read as a double NaN: all eleven exponent bits set. */
function packsAsNaN(bytes: Uint8Array, start: number): boolean {
  return ((bytes[start + 7] ?? 0) & 0x7f) === 0x7f && ((bytes[start + 6] ?? 0) & 0xf0) === 0xf0;
}

/** Packs `text` (or its UTF-8 bytes) for {@link putPacked}. */
export function packText(text: string | Uint8Array): PackedText {
  const bytes = typeof text === 'string' ? utf8(text) : text;
  let doubles = true;
  for (let start = 0; start < bytes.length; start += 8) if (packsAsNaN(bytes, start)) doubles = false;
  const size = doubles ? 8 : 4;
  const count = Math.ceil(bytes.length / size);
  const words = doubles ? new Float64Array(count) : NO_WORDS;
  const halves = doubles ? NO_HALVES : new Int32Array(count);
  for (let index = 0; index < count; index++) {
    const start = index * size;
    for (let byte = 0; byte < size; byte++) PACKING[byte] = bytes[start + byte] ?? 0;
    if (doubles) words[index] = PACKING_VIEW.getFloat64(0, true);
    else halves[index] = PACKING_VIEW.getInt32(0, true);
  }
  return { words, halves, length: bytes.length };
}

/** A `DataView` over all of `target`'s bytes. */
export function viewOf(target: Uint8Array): DataView {
  return new DataView(target.buffer, target.byteOffset, target.byteLength);
}

/** The four digits of each number below 10,000, zero-padded, as a word (`0042` for 42). */
const PADDED_WORDS = Int32Array.from({ length: WORD_NUMBERS }, (_, value) =>
  wordOf(String(value).padStart(4, '0')),
);
/** The digits of each number below 10,000 without padding, from the word's first byte (`42` then zeros). */
const LEADING_WORDS = Int32Array.from({ length: WORD_NUMBERS }, (_, value) => wordOf(String(value)));
/** The two digits of each number below 100, zero-padded, as a little-endian 16-bit half word. */
const PAIR_HALVES = Uint16Array.from({ length: 100 }, (_, value) => wordOf(String(value).padStart(2, '0')));
/** Digits of each number below 10,000. */
const DIGIT_COUNTS = Uint8Array.from({ length: WORD_NUMBERS }, (_, value) => String(value).length);

/** Up to four ASCII characters as a little-endian word. */
function wordOf(text: string): number {
  let word = 0;
  for (let index = 0; index < text.length; index++) word |= text.charCodeAt(index) << (8 * index);
  return word;
}

/** Copies a packed text at `offset`; returns the offset after it. May spill up to {@link SPILL_BYTES}. */
export function putPacked(view: DataView, offset: number, text: PackedText): number {
  const words = text.words;
  for (let index = 0; index < words.length; index++)
    view.setFloat64(offset + 8 * index, words[index] as number, true);
  const halves = text.halves;
  for (let index = 0; index < halves.length; index++)
    view.setInt32(offset + 4 * index, halves[index] as number, true);
  return offset + text.length;
}

/** Writes an integer in 0–99 as two digits; returns the offset after them. */
export function putTwoDigits(view: DataView, offset: number, value: number): number {
  view.setUint16(offset, PAIR_HALVES[value] as number, true);
  return offset + 2;
}

/** Writes an integer in 0–9,999 as four digits; returns the offset after them. */
export function putFourDigits(view: DataView, offset: number, value: number): number {
  view.setInt32(offset, PADDED_WORDS[value] as number, true);
  return offset + 4;
}

/** Writes an integer in 0–999,999 as six digits; returns the offset after them. */
export function putSixDigits(view: DataView, offset: number, value: number): number {
  const high = (value / WORD_NUMBERS) | 0;
  view.setUint16(offset, PAIR_HALVES[high] as number, true);
  view.setInt32(offset + 2, PADDED_WORDS[value - high * WORD_NUMBERS] as number, true);
  return offset + 6;
}

/** Writes a non-negative integer in decimal; returns the offset after it. May spill. */
export function putNumber(view: DataView, offset: number, value: number): number {
  if (value < WORD_NUMBERS) {
    view.setInt32(offset, LEADING_WORDS[value] as number, true);
    return offset + (DIGIT_COUNTS[value] as number);
  }
  if (value < WORD_NUMBERS * WORD_NUMBERS) {
    const high = (value / WORD_NUMBERS) | 0;
    view.setInt32(offset, LEADING_WORDS[high] as number, true);
    const at = offset + (DIGIT_COUNTS[high] as number);
    view.setInt32(at, PADDED_WORDS[value - high * WORD_NUMBERS] as number, true);
    return at + 4;
  }
  return putInteger(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), offset, value);
}
