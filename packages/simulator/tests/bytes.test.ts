import {
  packText,
  putFourDigits,
  putInteger,
  putNumber,
  putPacked,
  putSixDigits,
  putTwoDigits,
  SPILL_BYTES,
  viewOf,
} from '../src/bytes';

describe('byte writers', () => {
  it('write integers as String() does, across every digit count', () => {
    const values = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 65_535, 999_999, 1_000_000, 2 ** 31 - 1, 2 ** 31];
    for (let power = 1; power <= 1e15; power *= 7) values.push(Math.floor(power), Math.floor(power) - 1);
    values.push(Number.MAX_SAFE_INTEGER);
    for (const value of values) {
      const target = new Uint8Array(40).fill(35);
      const end = putInteger(target, 5, value);
      expect(Buffer.from(target.subarray(5, end)).toString()).toBe(String(value));
      expect(target[4]).toBe(35);
      expect(target[end]).toBe(35);
    }
  });

  describe('through a view, a word at a time', () => {
    /** The text `write` puts at offset 3 of a buffer, with the bytes it may spill over checked to be spare. */
    function viewed(write: (view: DataView, offset: number) => number): string {
      const target = new Uint8Array(80).fill(35);
      const end = write(viewOf(target), 3);
      expect(target[2]).toBe(35);
      expect(target.subarray(end + SPILL_BYTES).every((byte) => byte === 35)).toBe(true);
      return Buffer.from(target.subarray(3, end)).toString('utf8');
    }

    it('write integers as String() does, across every digit count', () => {
      const values = [0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 10_001, 99_999, 123_456, 9_999_999];
      values.push(99_999_999, 100_000_000, 2 ** 31, Number.MAX_SAFE_INTEGER);
      for (let value = 0; value < 20_000; value += 13) values.push(value);
      for (const value of values)
        expect(viewed((view, at) => putNumber(view, at, value))).toBe(String(value));
    });

    it('pad integers to two, four and six digits', () => {
      for (let value = 0; value < 100; value++)
        expect(viewed((view, at) => putTwoDigits(view, at, value))).toBe(String(value).padStart(2, '0'));
      for (let value = 0; value < 10_000; value += 7)
        expect(viewed((view, at) => putFourDigits(view, at, value))).toBe(String(value).padStart(4, '0'));
      for (let value = 0; value < 1_000_000; value += 997)
        expect(viewed((view, at) => putSixDigits(view, at, value))).toBe(String(value).padStart(6, '0'));
    });

    it('copy packed texts of any length, UTF-8 and the bytes a 64-bit word cannot carry included', () => {
      for (const text of ['', 'a', ',trace_', 'gpt-4o-2024-05-13', 'zoë, 東京 🚀', '\x7f'.repeat(9)])
        expect(viewed((view, at) => putPacked(view, at, packText(text)))).toBe(text);
      expect(packText('abcdefgh').words.length).toBe(1);
      // Bytes whose 64-bit word is a NaN (not UTF-8: a lead byte then DEL) go in 32-bit words, unchanged.
      const nan = Uint8Array.of(97, 98, 99, 100, 101, 102, 0xf8, 0x7f, 103);
      expect(packText(nan).words.length).toBe(0);
      const target = new Uint8Array(24);
      expect(putPacked(viewOf(target), 1, packText(nan))).toBe(10);
      expect([...target.subarray(1, 10)]).toEqual([...nan]);
    });

    it('write one field after another, each overwriting what the one before spilled', () => {
      const line = viewed((view, at) => {
        let offset = putPacked(view, at, packText('cust_1,'));
        offset = putNumber(view, offset, 7);
        view.setUint8(offset++, 44);
        offset = putSixDigits(view, offset, 42);
        return putPacked(view, offset, packText(',success\n'));
      });
      expect(line).toBe('cust_1,7,000042,success\n');
    });
  });
});
