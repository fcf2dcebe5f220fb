/** Helpers the importers share: unwrapping pages and arrays, tag lists, durations. */
import { createHash } from 'node:crypto';
import { isObject, millisecondsBetween } from '../values';

/** A source record with where it sits in its JSON value. */
export interface LocatedRecord {
  record: Record<string, unknown>;
  at?: string;
}

/**
 * The records of a JSON value that is one record, an array of records, or
 * an API page `{ "data": [ … ] }`. Items that are not objects come back as
 * `undefined` records, so the caller can reject them with their place.
 */
export function* pageRecords(
  value: unknown,
  isRecord: (candidate: Record<string, unknown>) => boolean,
): Generator<{ record: Record<string, unknown> | undefined; at?: string }> {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      yield { record: isObject(item) ? item : undefined, at: `[${index}]` };
    }
    return;
  }
  if (isObject(value) && Array.isArray(value['data']) && !isRecord(value)) {
    const data = value['data'] as unknown[];
    for (let index = 0; index < data.length; index++) {
      const item: unknown = data[index];
      yield { record: isObject(item) ? item : undefined, at: `data[${index}]` };
    }
    return;
  }
  yield { record: isObject(value) ? value : undefined };
}

/** The first record of a value {@link pageRecords} would read, for recognition. */
export function firstPageRecord(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return isObject(value[0]) ? value[0] : undefined;
  if (isObject(value) && Array.isArray(value['data'])) {
    const first: unknown = (value['data'] as unknown[])[0];
    return isObject(first) ? first : undefined;
  }
  return isObject(value) ? value : undefined;
}

/** Whether `record` has every one of `keys`. */
export function hasKeys(record: Readonly<Record<string, unknown>> | undefined, ...keys: string[]): boolean {
  return record !== undefined && keys.every((key) => key in record);
}

/** Whether a CSV header has every one of `names`. */
export function headerHas(header: readonly string[], ...names: string[]): boolean {
  return names.every((name) => header.includes(name));
}

/**
 * Tags as the JSON object of our `tags` column: `key:value` tags become
 * `"key": "value"`, other tags `"tag": ""`; `extra` entries are added.
 * `undefined` when there is nothing to write.
 */
export function tagsObject(
  tags: readonly string[],
  extra: Readonly<Record<string, string>> = {},
): string | undefined {
  const object: Record<string, string> = {};
  for (const tag of tags) {
    const colon = tag.indexOf(':');
    if (colon > 0) object[tag.slice(0, colon).trim()] = tag.slice(colon + 1).trim();
    else object[tag.trim()] = '';
  }
  Object.assign(object, extra);
  return Object.keys(object).length === 0 ? undefined : JSON.stringify(object);
}

/** Milliseconds from `start` to `end` (canonical timestamps), when both are known and in order. */
export function spanMs(start: string | undefined, end: string | undefined): number | undefined {
  return start === undefined || end === undefined ? undefined : millisecondsBetween(start, end);
}

/** A v4 UUID, as gateways invent for ids the caller did not give. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Input tokens that include the cache. Sources that count input the
 * OpenAI way already do; a total smaller than its own cache parts is a
 * count of the uncached part only (Anthropic's way), and the missing parts
 * are added back.
 */
export function inclusiveInput(input: number, cacheRead: number, cacheWrite: number): number {
  if (input >= cacheRead + cacheWrite) return input;
  if (input >= cacheRead) return input + cacheWrite;
  return input + cacheRead + cacheWrite;
}

/**
 * A stable call id for a bucket row of a usage report: the source, the
 * bucket and its group keys, hashed. Importing the same report twice gives
 * the same ids, so the repeat is caught as a duplicate.
 */
export function bucketCallId(prefix: string, parts: readonly unknown[]): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return `${prefix}_${digest.slice(0, 24)}`;
}

/** The model of a bucket row that was not grouped by model. */
export const UNGROUPED_MODEL = '(unattributed)';

/** The buckets of a usage-report page (`{ data: [ { …, results: [ … ] } ] }`), each result with its place. */
export function* bucketResults(
  page: unknown,
): Generator<{ bucket: Record<string, unknown>; result: unknown; at: string } | { bad: string; at: string }> {
  const pages = Array.isArray(page) ? page : [page];
  for (let p = 0; p < pages.length; p++) {
    const current: unknown = pages[p];
    const prefix = Array.isArray(page) ? `[${p}].` : '';
    const data = isObject(current) ? current['data'] : undefined;
    if (!Array.isArray(data)) {
      yield { bad: 'a usage page has a "data" list of buckets', at: `${prefix}data` };
      continue;
    }
    for (let b = 0; b < data.length; b++) {
      const bucket: unknown = data[b];
      const results = isObject(bucket) ? bucket['results'] : undefined;
      if (!isObject(bucket) || !Array.isArray(results)) {
        yield { bad: 'a bucket is an object with a "results" list', at: `${prefix}data[${b}]` };
        continue;
      }
      for (let r = 0; r < results.length; r++) {
        yield { bucket, result: results[r] as unknown, at: `${prefix}data[${b}].results[${r}]` };
      }
    }
  }
}

/** The first result of the first bucket of a usage page, for recognition. */
export function firstBucketResult(
  page: unknown,
): { bucket: Record<string, unknown>; result: Record<string, unknown> } | undefined {
  const first = Array.isArray(page) ? page[0] : page;
  const data = isObject(first) ? first['data'] : undefined;
  if (!Array.isArray(data)) return undefined;
  for (const bucket of data) {
    if (!isObject(bucket) || !Array.isArray(bucket['results'])) continue;
    const result: unknown = bucket['results'][0];
    if (isObject(result)) return { bucket, result };
  }
  return undefined;
}
