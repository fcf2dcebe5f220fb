import { formatUsd } from '@finops/schema';

/** A recommendation: a sentence and the figures it states. Every number in `text` is one of `figures`, formatted. */
export interface Recommendation {
  text: string;
  /** The figures behind the sentence; money in micro-dollars (names ending in `Micros`), shares as percentages (names ending in `Pct`). */
  figures: Record<string, number | string>;
}

/**
 * How a figure is written in a sentence: money (`…Micros`) as dollars with
 * cents (four decimals for `…Per1kMicros`), percentages (`…Pct`) with one decimal and a `%`, multiples
 * (`…Multiple`) with one decimal and `×`, other numbers with thousands
 * separators and at most two decimals; strings as they are.
 */
export function formatFigure(name: string, value: number | string): string {
  if (typeof value === 'string') return value;
  if (name.endsWith('Per1kMicros')) return formatUsd(value, { decimals: 4 });
  if (name.endsWith('Micros')) return formatUsd(value);
  if (name.endsWith('Pct')) return `${value.toFixed(1)}%`;
  if (name.endsWith('Multiple')) return `${value.toFixed(1)}×`;
  const rounded = Math.round(Math.abs(value) * 100) / 100;
  const [whole = '0', fraction] = String(rounded).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (value < 0 && rounded !== 0 ? '-' : '') + grouped + (fraction ? '.' + fraction : '');
}

/** Builds a recommendation from a template with `{name}` placeholders filled from `figures`. */
export function recommend(template: string, figures: Record<string, number | string>): Recommendation {
  const text = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = figures[name];
    if (value === undefined) throw new Error(`recommendation template names an unknown figure: ${name}`);
    return formatFigure(name, value);
  });
  return { text, figures };
}
