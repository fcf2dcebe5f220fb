/**
 * The contract of one usage API that `pull` reads: how it is called, how its
 * pages follow each other, and where a later pull resumes. The pages are
 * normalised by the API's source importer, exactly as a saved page would be.
 */
import type { SourceImporter } from '../source';
import { PullError } from './http';

/** What the caller chose, checked and completed with the API's defaults. */
export interface PullSettings {
  /** Which report of the API (`usage`, `costs`, `spend-logs`). */
  report: string;
  /** Bucket width of a bucketed report (`1d`, `1h`, `1m`); `undefined` for per-call logs. */
  bucketWidth?: string;
  /** Grouping keys of a bucketed report. */
  groupBy: readonly string[];
  /** Records (per-call logs) or buckets (reports) per page. */
  pageSize: number;
}

/** The choices a caller may make, before checking. */
export interface PullChoices {
  report?: string;
  bucketWidth?: string;
  groupBy?: readonly string[];
  pageSize?: number;
}

/** What a page source needs: the range, the settings, and a GET that retries. */
export interface PageContext {
  baseUrl: URL;
  /** Inclusive start. */
  since: Date;
  /** Exclusive end. */
  until: Date;
  settings: PullSettings;
  get(url: URL): Promise<unknown>;
}

/** One page of an API, ready for the source importer. */
export interface PulledPage {
  /** The page as the importer reads it (`{ data: [...] }`). */
  body: unknown;
  /** Where a later pull starts once this page is saved; `undefined` when the page moves nothing on. */
  resumeFrom?: Date;
}

/** One usage API. */
export interface PullApi {
  /** The name after `finops pull`, also the module under `src/pull/apis/`. */
  readonly name: string;
  readonly title: string;
  /** The importer that maps its pages. */
  readonly source: SourceImporter;
  /** The environment variable read when no key is given. */
  readonly keyVariable: string;
  /** The API's host; `undefined` when there is none (a self-hosted proxy: the URL is required). */
  readonly defaultBaseUrl?: string;
  /** Its reports; the first is the default. */
  readonly reports: readonly string[];
  /** Request headers carrying the key. */
  headers(key: string): Record<string, string>;
  /** The choices checked and completed; a {@link PullError} `invalid_options` when one is wrong. */
  settings(choices: PullChoices): PullSettings;
  /** The range actually pulled: bucketed reports snap to whole buckets that have ended. */
  snapRange(since: Date, until: Date, settings: PullSettings, now: Date): { since: Date; until: Date };
  /** The pages of the range, in order. */
  pages(context: PageContext): AsyncGenerator<PulledPage>;
  /** Where the next pull starts after this one read the whole range (`lastResume`: the last page's). */
  resumeAfter(range: { since: Date; until: Date }, lastResume: Date | undefined): Date;
}

/** Bucket widths in milliseconds. */
export const BUCKET_MS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};

/** `time` rounded down to a whole bucket (UTC). */
export function floorToBucket(time: Date, width: string): Date {
  const size = BUCKET_MS[width] ?? BUCKET_MS['1d'] ?? 86_400_000;
  return new Date(Math.floor(time.getTime() / size) * size);
}

/** A settings error. */
export function invalidOption(message: string): PullError {
  return new PullError('invalid_options', message);
}

/** Checks one choice against the allowed values. */
export function oneOf(what: string, value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) throw invalidOption(`${what} "${value}" is not one of ${allowed.join(', ')}`);
  return value;
}

/** Checks grouping keys against the allowed ones. */
export function groupKeys(keys: readonly string[], allowed: readonly string[], report: string): string[] {
  for (const key of keys) {
    if (!allowed.includes(key))
      throw invalidOption(`the ${report} report cannot be grouped by "${key}"; keys: ${allowed.join(', ')}`);
  }
  return [...keys];
}

/** Checks a page size against the API's limit. */
export function pageSizeWithin(value: number | undefined, fallback: number, max: number): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max)
    throw invalidOption(`the page size must be a whole number from 1 to ${max}, got ${size}`);
  return size;
}

/** The `{ data, has_more, next_page }` pages of the providers' report APIs, followed by `page=<next_page>`. */
export async function* cursorPages(
  context: PageContext,
  firstUrl: URL,
  bucketEnd: (bucket: Record<string, unknown>) => Date | undefined,
): AsyncGenerator<PulledPage> {
  let url = firstUrl;
  for (;;) {
    const body = await context.get(url);
    const page = pageObject(body, url);
    let last: Date | undefined;
    for (const bucket of page.data) {
      const end =
        typeof bucket === 'object' && bucket !== null
          ? bucketEnd(bucket as Record<string, unknown>)
          : undefined;
      if (end !== undefined && (last === undefined || end > last)) last = end;
    }
    yield { body, ...(last === undefined ? {} : { resumeFrom: last }) };
    const next = page['next_page'];
    if (page['has_more'] !== true || typeof next !== 'string' || next === '') return;
    url = new URL(firstUrl);
    url.searchParams.set('page', next);
  }
}

/** How a bucketed report API spells its query: the range's parameter names and format, the grouping key's name. */
export interface ReportQuery {
  /** The parameter names of the range's start and end. */
  range: readonly [string, string];
  /** A range end as the API wants it (Unix seconds, RFC 3339, …). */
  time(time: Date): string;
  /** The repeated grouping parameter (`group_by`, `group_by[]`). */
  groupKey: string;
  /** When a bucket of a page ended, read from the page. */
  bucketEnd(bucket: Record<string, unknown>): Date | undefined;
}

/** The pages of the chosen report of a bucketed report API, from the range's first bucket on. */
export function reportPages(
  context: PageContext,
  reports: Readonly<Record<string, ReportSpec>>,
  query: ReportQuery,
): AsyncGenerator<PulledPage> {
  const report = reports[context.settings.report] as ReportSpec;
  const url = new URL(report.path, context.baseUrl);
  url.searchParams.set(query.range[0], query.time(context.since));
  url.searchParams.set(query.range[1], query.time(context.until));
  url.searchParams.set('bucket_width', context.settings.bucketWidth ?? '1d');
  url.searchParams.set('limit', String(context.settings.pageSize));
  for (const key of context.settings.groupBy) url.searchParams.append(query.groupKey, key);
  return cursorPages(context, url, query.bucketEnd);
}

/** A page's object, checked to hold a `data` array. */
export function pageObject(body: unknown, url: URL): Record<string, unknown> & { data: unknown[] } {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { data?: unknown }).data)) {
    throw new PullError(
      'invalid_response',
      `${url.origin}${url.pathname} answered JSON without a "data" array; is the URL the API's?`,
    );
  }
  return body as Record<string, unknown> & { data: unknown[] };
}

/** One report of a bucketed API: its path, widths, grouping keys and page limits. */
export interface ReportSpec {
  path: string;
  widths: readonly string[];
  groupBy: readonly string[];
  defaultGroupBy: readonly string[];
  /** The most buckets a page may hold, by width. */
  maxBuckets: Readonly<Record<string, number>>;
}

/** The settings of a bucketed report, checked against its spec (the first report is the default). */
export function reportSettings(
  choices: PullChoices,
  reports: Readonly<Record<string, ReportSpec>>,
): PullSettings {
  const names = Object.keys(reports);
  const report = oneOf('report', choices.report ?? names[0] ?? '', names);
  const spec = reports[report] as ReportSpec;
  const bucketWidth = oneOf(`the ${report} report's bucket width`, choices.bucketWidth ?? '1d', spec.widths);
  const max = spec.maxBuckets[bucketWidth] ?? 31;
  const groupBy =
    choices.groupBy && choices.groupBy.length > 0
      ? groupKeys(choices.groupBy, spec.groupBy, report)
      : [...spec.defaultGroupBy];
  return { report, bucketWidth, groupBy, pageSize: pageSizeWithin(choices.pageSize, max, max) };
}

/** A range snapped to whole buckets that have ended by `now`. */
export function endedBuckets(
  since: Date,
  until: Date,
  settings: PullSettings,
  now: Date,
): { since: Date; until: Date } {
  const width = settings.bucketWidth ?? '1d';
  return { since: floorToBucket(since, width), until: floorToBucket(until < now ? until : now, width) };
}
