import fc from 'fast-check';
import {
  allocateMicros,
  formatUsd,
  microsToDecimalString,
  parseMicros,
  parseScaledDecimal,
  roundMicros,
  usdToMicros,
} from '../src/index';

describe('parseMicros', () => {
  it.each([
    ['0.016928', 16_928],
    ['0', 0],
    ['12', 12_000_000],
    ['.5', 500_000],
    ['5.', 5_000_000],
    ['0.0000005', 1],
    ['0.0000004', 0],
    ['1e-5', 10],
    ['1.5E+3', 1_500_000_000],
    ['0.1234565', 123_457],
    ['000.100000', 100_000],
  ])('reads %s as %d micro-dollars', (text, micros) => {
    expect(parseMicros(text)).toBe(micros);
  });

  it.each([
    '',
    '-1',
    '+1',
    ' 1',
    '1 ',
    'abc',
    'NaN',
    'Infinity',
    '1e400',
    '1.2.3',
    '.',
    'e5',
    '0x10',
    '99999999999999999',
  ])('rejects %p', (text) => {
    expect(parseMicros(text)).toBe(-1);
  });

  it('round-trips every six-decimal string exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_000_000_000_000 }), (micros) => {
        expect(parseMicros(microsToDecimalString(micros))).toBe(micros);
      }),
    );
  });

  it('agrees with decimal arithmetic on any digits', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.stringMatching(/^\d{0,9}$/), (whole, fractionDigits) => {
        const text = `${whole}.${fractionDigits}`;
        const padded = fractionDigits.padEnd(7, '0');
        const expected = whole * 1_000_000 + Number(padded.slice(0, 6)) + (Number(padded[6]) >= 5 ? 1 : 0);
        expect(parseMicros(text)).toBe(fractionDigits === '' && whole === 0 ? 0 : expected);
      }),
    );
  });
});

describe('parseScaledDecimal', () => {
  it('scales per-1K prices to pico-dollars per token exactly', () => {
    expect(parseScaledDecimal('0.000075', 9)).toBe(75_000);
    expect(parseScaledDecimal(String(7.5e-7), 9)).toBe(750);
    expect(parseScaledDecimal('0.075', 9)).toBe(75_000_000);
  });
});

describe('formatting', () => {
  it('formats dollars with grouping and half-up rounding', () => {
    expect(formatUsd(1_234_567_890)).toBe('$1,234.57');
    expect(formatUsd(-5_000_000)).toBe('-$5.00');
    expect(formatUsd(16_928, { decimals: 4 })).toBe('$0.0169');
    expect(formatUsd(5_000, { decimals: 2 })).toBe('$0.01');
    expect(formatUsd(4_999, { decimals: 2 })).toBe('$0.00');
    expect(formatUsd(1_000_000_000, { grouping: false, bare: true, decimals: 0 })).toBe('1000');
  });

  it('writes six decimals', () => {
    expect(microsToDecimalString(16_928)).toBe('0.016928');
    expect(microsToDecimalString(12_000_000)).toBe('12.000000');
    expect(microsToDecimalString(-1)).toBe('-0.000001');
  });

  it('rounds to cents and converts dollars', () => {
    expect(roundMicros(1_005_000, 2)).toBe(1_010_000);
    expect(roundMicros(-1_005_000, 2)).toBe(-1_010_000);
    expect(usdToMicros(0.1 + 0.2)).toBe(300_000);
    expect(usdToMicros(-2.5)).toBe(-2_500_000);
    expect(() => usdToMicros(Number.NaN)).toThrow(RangeError);
  });
});

describe('allocateMicros', () => {
  it('splits a total into parts that add up exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocateMicros(total, weights);
          expect(parts.reduce((sum, part) => sum + part, 0)).toBe(total);
          expect(parts.every((part) => Number.isInteger(part) && part >= 0)).toBe(true);
        },
      ),
    );
  });

  it('follows the weights', () => {
    expect(allocateMicros(100, [1, 1, 2])).toEqual([25, 25, 50]);
    expect(allocateMicros(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocateMicros(7, [0, 0])).toEqual([7, 0]);
    expect(allocateMicros(7, [])).toEqual([]);
  });
});
