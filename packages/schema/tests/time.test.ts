import fc from 'fast-check';
import {
  formatTimestamp,
  formatUtcDay,
  parseTimestamp,
  parseUtcDay,
  recordDay,
  recordHour,
  recordWeekday,
  totalTokens,
  costPer1kTokensMicros,
  utcWeekday,
  windowDays,
  isSubscriptionTier,
  isEnvironment,
} from '../src/index';

describe('parseTimestamp', () => {
  it.each([
    ['2025-11-19T08:00:03.794387', Date.UTC(2025, 10, 19, 8, 0, 3, 794)],
    ['2025-11-19T08:00:03', Date.UTC(2025, 10, 19, 8, 0, 3)],
    ['2025-11-19 08:00:03Z', Date.UTC(2025, 10, 19, 8, 0, 3)],
    ['2025-11-19T08:00:03.5+02:00', Date.UTC(2025, 10, 19, 6, 0, 3, 500)],
    ['2025-11-19T08:00:03-0530', Date.UTC(2025, 10, 19, 13, 30, 3)],
    ['2025-11-19T08:00:03+01', Date.UTC(2025, 10, 19, 7, 0, 3)],
    ['2024-02-29T23:59:59.999z', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
  ])('reads %s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    '2025-02-29T00:00:00',
    '2025-13-01T00:00:00',
    '2025-11-19',
    '2025-11-19T24:00:00',
    '2025-11-19T08:60:00',
    '2025-11-19T08:00:03.',
    '2025-11-19T08:00:03+2',
    '2025-11-19T08:00:03Zjunk',
    '2025/11/19T08:00:03',
    '19-11-2025T08:00:03',
    'not a time at all',
  ])('rejects %s', (text) => {
    expect(parseTimestamp(text)).toBeNaN();
  });

  it('reads each timestamp the same whatever was read before it (the kept date and minute)', () => {
    // A valid date with an invalid hour, then the same date with the previous row's hour and minute.
    expect(parseTimestamp('2025-11-19T08:00:03')).toBe(Date.UTC(2025, 10, 19, 8, 0, 3));
    expect(parseTimestamp('2025-11-20T99:00:03')).toBeNaN();
    expect(parseTimestamp('2025-11-20T08:00:03')).toBe(Date.UTC(2025, 10, 20, 8, 0, 3));
    expect(parseTimestamp('2025-11-20 08:00:03')).toBe(Date.UTC(2025, 10, 20, 8, 0, 3));
    expect(parseTimestamp('2025-11-20T08:00:3x')).toBeNaN();
    expect(parseTimestamp('2025-11-20T08:00-03')).toBeNaN();
    const piece = (options: readonly string[]) => fc.constantFrom(...options);
    const timestamp = fc
      .tuple(
        piece(['2025-11-19', '2025-11-20', '2024-02-29', '2025-02-29', '2025-1l-19']),
        piece(['T', ' ', 't', 'X']),
        piece(['08:00', '08:01', '23:59', '24:00', '08:60', '08-00']),
        piece([':03', ':59', ':60', '-03', ':0']),
        piece(['', '.5', '.794387', '.', 'Z', '+02:00', '-0530', '+2']),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(timestamp, { minLength: 1, maxLength: 30 }), (texts) => {
        for (const text of texts) {
          const inSequence = parseTimestamp(text);
          parseTimestamp('1999-01-01T00:00:00');
          expect(parseTimestamp(text)).toBe(inSequence);
        }
      }),
    );
  });

  it('agrees with Date for any instant written by formatTimestamp', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }),
        fc.integer({ min: 0, max: 999 }),
        (ms, micro) => {
          const text = formatTimestamp(ms, micro);
          expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
          expect(parseTimestamp(text)).toBe(ms);
          expect(parseTimestamp(`${text}Z`)).toBe(Date.parse(`${text.slice(0, 23)}Z`));
        },
      ),
    );
  });

  it('reads a fraction of any length as its milliseconds, rounded down as digit-by-digit sums do (property)', () => {
    // The fraction's value summed digit by digit in floating point, then rounded down: what a
    // fraction has always been read as, however many digits (long runs of 9 included) it has.
    const summed = (digits: string): number => {
      let millis = 0;
      let scale = 100;
      for (const digit of digits) {
        millis += Number(digit) * scale;
        scale /= 10;
      }
      return Math.floor(millis);
    };
    const fraction = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 24 }),
      fc
        .tuple(fc.nat({ max: 999 }), fc.integer({ min: 0, max: 24 }))
        .map(([millis, nines]) => `${String(millis).padStart(3, '0')}${'9'.repeat(nines)}`),
    );
    fc.assert(
      fc.property(fraction, fc.constantFrom('', 'Z', '+01:30'), (digits, zone) => {
        const base = Date.UTC(2025, 10, 19, 8, 0, 3) - (zone === '+01:30' ? 90 * 60_000 : 0);
        expect(parseTimestamp(`2025-11-19T08:00:03.${digits}${zone}`)).toBe(base + summed(digits));
        expect(parseTimestamp(`2025-11-19T08:00:03,${digits}${zone}`)).toBe(base + summed(digits));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a part of a longer text', () => {
    const row = 'x,2025-11-19T08:00:03,y';
    expect(parseTimestamp(row, 2, 21)).toBe(Date.UTC(2025, 10, 19, 8, 0, 3));
  });
});

describe('calendar helpers', () => {
  const record = {
    timeMs: Date.UTC(2025, 10, 23, 22, 30),
    inputTokens: 300,
    outputTokens: 700,
    costMicros: 5_000,
  };

  it('derives day, hour, weekday and totals', () => {
    expect(formatUtcDay(recordDay(record))).toBe('2025-11-23');
    expect(recordHour(record)).toBe(22);
    expect(recordWeekday(record)).toBe(6); // a Sunday
    expect(utcWeekday(Date.UTC(2025, 10, 17))).toBe(0); // a Monday
    expect(utcWeekday(Date.UTC(1969, 11, 31))).toBe(2); // a Wednesday, before the epoch
    expect(totalTokens(record)).toBe(1000);
    expect(costPer1kTokensMicros(record)).toBe(5_000);
    expect(costPer1kTokensMicros({ ...record, inputTokens: 0, outputTokens: 0 })).toBe(0);
    expect(parseUtcDay('2025-11-23')).toBe(recordDay(record));
    expect(parseUtcDay('2025-11-31')).toBeNaN();
  });

  it('counts window days inclusively', () => {
    expect(windowDays(Date.UTC(2025, 10, 1, 23), Date.UTC(2025, 10, 2, 1))).toBe(2);
    expect(windowDays(Date.UTC(2025, 10, 1), Date.UTC(2025, 10, 1, 23))).toBe(1);
    expect(windowDays(Date.UTC(2025, 10, 1), Date.UTC(2025, 10, 30, 12))).toBe(30);
  });

  it('recognises the enums', () => {
    expect(isSubscriptionTier('pro')).toBe(true);
    expect(isSubscriptionTier('Pro')).toBe(false);
    expect(isEnvironment('staging')).toBe(true);
    expect(isEnvironment('prod')).toBe(false);
  });
});
