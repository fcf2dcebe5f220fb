import { putBytes, putCode, putInteger, putPadded, utf8 } from '../src/bytes';

/** The text `write` puts into a fresh buffer, checking the offset it returns. */
function written(write: (target: Uint8Array) => number): string {
  const target = new Uint8Array(64);
  const end = write(target);
  return Buffer.from(target.subarray(0, end)).toString('utf8');
}

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

  it('pad integers to a width as padStart does', () => {
    for (const width of [1, 2, 3, 6]) {
      for (let value = 0; value < 10 ** width; value += width < 3 ? 1 : 7) {
        expect(written((target) => putPadded(target, 0, value, width))).toBe(
          String(value).padStart(width, '0'),
        );
      }
    }
  });

  it('copy encoded text and single characters', () => {
    expect(
      written((target) =>
        putCode(target, putBytes(target, putBytes(target, 0, utf8('zoë')), utf8(',x')), 10),
      ),
    ).toBe('zoë,x\n');
  });
});
