import { formatUsd, usdToMicros, type ValueFormat } from '@finops/schema';

/** Decimal places each format uses when a column or axis does not say. */
export const DEFAULT_DECIMALS: Readonly<Record<ValueFormat, number>> = {
  text: 0,
  number: 0,
  money: 2,
  percent: 1,
};

function groupDigits(text: string): string {
  const point = text.indexOf('.');
  const whole = point === -1 ? text : text.slice(0, point);
  const fraction = point === -1 ? '' : text.slice(point);
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + fraction;
}

/** A number with grouped digits and a fixed number of decimals (`1234.5` → `1,234.50`); never `-0`. */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return String(value);
  const places = Math.min(20, Math.max(0, Math.trunc(decimals)));
  const fixed = Math.abs(value).toFixed(places);
  const negative = value < 0 && Number(fixed) !== 0;
  return (negative ? '-' : '') + groupDigits(fixed);
}

/**
 * Formats a table cell or chart value by its format: a number is formatted
 * (`money` is dollars, `percent` is in 0–100 units), a string is shown as
 * given, `null` or `undefined` becomes an em dash.
 */
export function formatValue(
  value: string | number | null | undefined,
  format: ValueFormat,
  decimals?: number,
): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  const places = decimals ?? DEFAULT_DECIMALS[format];
  switch (format) {
    case 'money':
      return Number.isFinite(value)
        ? formatUsd(usdToMicros(value), { decimals: Math.min(6, places) })
        : String(value);
    case 'percent':
      return `${formatNumber(value, places)}%`;
    case 'number':
      return formatNumber(value, places);
    default:
      return Number.isInteger(value) ? formatNumber(value, 0) : formatNumber(value, 2);
  }
}

/** A figure of an alert or recommendation: numbers grouped, up to two decimals. */
export function formatFigure(value: number | string): string {
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? formatNumber(value, 0) : formatNumber(value, 2);
}

/** Bytes in megabytes (10^6 bytes), rounded to two decimals. */
export function bytesToMb(bytes: number): number {
  return Math.round((bytes / 1_000_000) * 100) / 100;
}

/** A byte count for people: `52.43 MB`, `812 KB`, `96 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${formatNumber(bytes / 1_000_000, 2)} MB`;
  if (bytes >= 1_000) return `${formatNumber(bytes / 1_000, 0)} KB`;
  return `${formatNumber(bytes, 0)} bytes`;
}
