import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bytesToMb, formatBytes, formatNumber, formatValue, serializeJsonForScript } from '../src';

describe('formatValue', () => {
  it.each([
    [1234.5, 'money', undefined, '$1,234.50'],
    [-5, 'money', undefined, '-$5.00'],
    [0.01234, 'money', 4, '$0.0123'],
    [1234567, 'number', undefined, '1,234,567'],
    [1234.567, 'number', 1, '1,234.6'],
    [12.345, 'percent', undefined, '12.3%'],
    [-0.0001, 'percent', 2, '0.00%'],
    [3, 'text', undefined, '3'],
    [3.14159, 'text', undefined, '3.14'],
  ] as const)('formats %p as %s → %s', (value, format, decimals, expected) => {
    expect(formatValue(value, format, decimals)).toBe(expected);
  });

  it('shows strings as given and missing values as a dash', () => {
    expect(formatValue('n/a', 'money')).toBe('n/a');
    expect(formatValue(null, 'number')).toBe('—');
    expect(formatValue(undefined, 'percent')).toBe('—');
  });

  it('groups digits like the built-in en-US formatting', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (value) => {
        expect(formatNumber(value)).toBe(value.toLocaleString('en-US'));
      }),
    );
  });

  it('passes non-finite numbers through as text', () => {
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(formatValue(Number.NaN, 'money')).toBe('NaN');
  });
});

describe('byte sizes', () => {
  it('formats bytes for people and as megabytes for the manifest', () => {
    expect(formatBytes(52_428_800)).toBe('52.43 MB');
    expect(formatBytes(812_000)).toBe('812 KB');
    expect(formatBytes(96)).toBe('96 bytes');
    expect(bytesToMb(52_428_800)).toBe(52.43);
  });
});

describe('serializeJsonForScript', () => {
  it('escapes what could end a script element or break JavaScript string parsing', () => {
    const text = serializeJsonForScript({ label: '</script><script>alert(1)</script> & \u2028\u2029 <!--' });
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain('\\u003c/script\\u003e');
  });

  it('parses back to the same value for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = serializeJsonForScript(value);
        expect(text).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => serializeJsonForScript(undefined)).toThrow(TypeError);
  });
});
