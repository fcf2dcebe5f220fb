import fc from 'fast-check';
import {
  addDecimals,
  importedProvider,
  decimalToMicros,
  epochNanos,
  epochNanoTime,
  nanoTimeMs,
  timestampFromNanoTime,
  exactDecimal,
  isoTimestamp,
  millisecondsBetween,
  providerFromModel,
  stringListOf,
  timestampFromEpochNanos,
  timestampFromEpochSeconds,
  wholeNumber,
} from '../src';

describe('decimals', () => {
  it('keeps reported amounts exactly, in dollars, cents or nano-dollars', () => {
    expect(exactDecimal(4.475e-5)).toBe('0.00004475');
    expect(exactDecimal('41.40', 2)).toBe('0.414');
    expect(exactDecimal('4493400', 9)).toBe('0.0044934');
    expect(exactDecimal('1.507', -3)).toBe('1507');
    expect(exactDecimal(0)).toBe('0');
    expect(exactDecimal('-0.5')).toBe('-0.5');
    expect(exactDecimal('abc')).toBeUndefined();
    expect(exactDecimal(Number.NaN)).toBeUndefined();
    expect(exactDecimal({})).toBeUndefined();
    expect(exactDecimal(12n, 1)).toBe('1.2');
  });

  it('rounds to micro-dollars half up and adds exactly', () => {
    expect(decimalToMicros('0.00024275')).toBe(243);
    expect(decimalToMicros('0.005139299999')).toBe(5139);
    expect(decimalToMicros('-0.0000015')).toBe(-2);
    expect(() => decimalToMicros('x')).toThrow(RangeError);
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(addDecimals('1', '-2.5')).toBe('-1.5');
  });
});

describe('times and numbers', () => {
  it('reads ISO 8601, database times and offsets into one canonical UTC form', () => {
    expect(isoTimestamp('2026-05-04T09:12:03.120Z')).toBe('2026-05-04T09:12:03.12Z');
    expect(isoTimestamp('2026-05-04 09:12:03.120000')).toBe('2026-05-04T09:12:03.12Z');
    expect(isoTimestamp('2026-05-04T11:12:03+02:00')).toBe('2026-05-04T09:12:03Z');
    expect(isoTimestamp('2026-05-04T00:30:00-0130')).toBe('2026-05-04T02:00:00Z');
    expect(isoTimestamp('2026-05-04')).toBe('2026-05-04T00:00:00Z');
    expect(isoTimestamp('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(isoTimestamp('2026-02-28 24:00:00')).toBeUndefined();
    expect(isoTimestamp('2026-12-31T23:59:60Z')).toBeUndefined();
    expect(isoTimestamp(' 2026-05-04 09:12:03.000000 ')).toBe('2026-05-04T09:12:03Z');
    expect(isoTimestamp('2026-05-04T09:12:03.123456789Z')).toBe('2026-05-04T09:12:03.123456789Z');
    expect(isoTimestamp('yesterday')).toBeUndefined();
    expect(timestampFromEpochSeconds(1730419200)).toBe('2024-11-01T00:00:00Z');
    expect(timestampFromEpochSeconds('x')).toBeUndefined();
    expect(timestampFromEpochNanos(1777885923120000001n)).toBe('2026-05-04T09:12:03.120000001Z');
    expect(epochNanos('1777885923120000000')).toBe(1777885923120000000n);
    expect(epochNanos(-1)).toBeUndefined();
    expect(millisecondsBetween('2026-05-04T09:12:03.12Z', '2026-05-04T09:12:05.004Z')).toBe(1884);
    expect(millisecondsBetween('2026-05-04T09:12:05Z', '2026-05-04T09:12:03Z')).toBeUndefined();
  });

  it('reads whole numbers from JSON numbers and OTLP’s strings', () => {
    expect(wholeNumber('1436')).toBe(1436);
    expect(wholeNumber('12.0')).toBe(12);
    expect(wholeNumber(3)).toBe(3);
    expect(wholeNumber(null)).toBeUndefined();
    expect(wholeNumber('1.5')).toBeNaN();
    expect(wholeNumber(-1)).toBeNaN();
    expect(wholeNumber(true)).toBeNaN();
    expect(stringListOf('["a", 1, "b"]')).toEqual(['a', 'b']);
    expect(stringListOf('single')).toEqual(['single']);
    expect(stringListOf('[broken')).toEqual([]);
  });
});

describe('providers', () => {
  it('speaks the OpenTelemetry vocabulary', () => {
    expect(importedProvider('bedrock_converse')).toBe('aws.bedrock');
    expect(importedProvider('AZURE')).toBe('azure.ai.openai');
    expect(importedProvider('vertex_ai-anthropic_models')).toBe('gcp.vertex_ai');
    expect(importedProvider('fireworks_ai')).toBe('fireworks_ai');
    expect(providerFromModel('claude-3-5-haiku')).toBe('anthropic');
    expect(providerFromModel('o3-mini')).toBe('openai');
    expect(providerFromModel('llama-3.1-70b')).toBeUndefined();
  });
});

describe('isoTimestamp on the common UTC shapes', () => {
  it('gives what the general pattern gives for the same instant written with an offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 253_402_300_799 }),
        fc.stringMatching(/^\d{0,9}$/),
        fc.constantFrom('T', ' '),
        fc.boolean(),
        (seconds, fraction, separator, zulu) => {
          const whole = new Date(seconds * 1000).toISOString().slice(0, 19);
          const written = `${whole.replace('T', separator)}${fraction === '' ? '' : `.${fraction}`}`;
          const trimmed = fraction.replace(/0+$/, '');
          const expected = `${whole}${trimmed === '' ? '' : `.${trimmed}`}Z`;
          expect(isoTimestamp(zulu ? `${written}Z` : written)).toBe(expected);
          expect(isoTimestamp(`${written}+00:00`)).toBe(expected);
        },
      ),
    );
  });
});

describe('nanosecond times without bigints', () => {
  it('give the bigint readings, timestamps and rounded milliseconds', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 99_999_999_989_999_999_999n }),
        fc.bigInt({ min: 0n, max: 10_000_000_000n }),
        fc.constantFrom('string', 'bigint', 'number'),
        (start, length, kind) => {
          const written = (value: bigint): unknown =>
            kind === 'string' ? String(value) : kind === 'bigint' ? value : Number(value);
          if (kind === 'number' && start + length > BigInt(Number.MAX_SAFE_INTEGER)) return;
          const from = epochNanoTime(written(start));
          const to = epochNanoTime(written(start + length));
          if (from === undefined || to === undefined) throw new Error('not read');
          if (start < 253_402_300_800_000_000_000n)
            expect(timestampFromNanoTime(from)).toBe(timestampFromEpochNanos(start));
          expect(nanoTimeMs(from, to)).toBe(Number((length + 500_000n) / 1_000_000n));
          expect(nanoTimeMs(to, from)).toBe(length === 0n ? 0 : undefined);
        },
      ),
    );
    expect(epochNanoTime('12a')).toBeUndefined();
    expect(epochNanoTime(-1)).toBeUndefined();
    expect(epochNanoTime(null)).toBeUndefined();
    expect(epochNanoTime('999')).toEqual({ ms: 0, nanos: 999 });
  });
});
