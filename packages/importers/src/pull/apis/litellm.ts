/**
 * LiteLLM proxy: `GET /spend/logs/v2`, one row per call of its
 * `LiteLLM_SpendLogs` table, over `start_date`/`end_date` (UTC,
 * `YYYY-MM-DD HH:MM:SS`), `page` from 1 and `page_size` up to 1000, sorted
 * by `startTime` ascending; the envelope is `{ data, total, page, page_size,
 * total_pages }`. A later pull starts again at the second of the last call
 * read (repeats are recognised by their `request_id`).
 */
import { litellm as litellmSource } from '../../sources/litellm';
import { isoTimestamp, textOf } from '../../values';
import {
  invalidOption,
  oneOf,
  type PageContext,
  pageObject,
  pageSizeWithin,
  type PulledPage,
  type PullApi,
} from '../api';

/** LiteLLM's time format for `start_date` and `end_date`: UTC to the second. */
export function litellmTime(time: Date): string {
  return time.toISOString().slice(0, 19).replace('T', ' ');
}

function latestStart(rows: readonly unknown[]): Date | undefined {
  let latest: Date | undefined;
  for (const row of rows) {
    const text = textOf((row as Record<string, unknown> | null)?.['startTime']);
    const iso = text === undefined ? undefined : isoTimestamp(text);
    if (iso === undefined) continue;
    const time = new Date(iso);
    if (latest === undefined || time > latest) latest = time;
  }
  // The API filters to the second: start again at the second of the last call.
  return latest === undefined ? undefined : new Date(Math.floor(latest.getTime() / 1000) * 1000);
}

async function* spendLogPages(context: PageContext): AsyncGenerator<PulledPage> {
  const base = new URL('spend/logs/v2', context.baseUrl);
  for (let page = 1; ; page++) {
    const url = new URL(base);
    url.searchParams.set('start_date', litellmTime(context.since));
    url.searchParams.set('end_date', litellmTime(context.until));
    url.searchParams.set('page', String(page));
    url.searchParams.set('page_size', String(context.settings.pageSize));
    url.searchParams.set('sort_by', 'startTime');
    url.searchParams.set('sort_order', 'asc');
    const body = await context.get(url);
    const { data, total_pages: totalPages } = pageObject(body, url);
    const resumeFrom = latestStart(data);
    yield { body, ...(resumeFrom === undefined ? {} : { resumeFrom }) };
    if (data.length === 0 || typeof totalPages !== 'number' || page >= totalPages) return;
  }
}

/** `finops pull litellm`. */
export const litellm: PullApi = {
  name: 'litellm',
  title: 'LiteLLM proxy spend logs (/spend/logs/v2, one row per call)',
  source: litellmSource,
  keyVariable: 'LITELLM_API_KEY',
  reports: ['spend-logs'],
  headers: (key) => ({ authorization: `Bearer ${key}` }),
  settings(choices) {
    if (choices.bucketWidth !== undefined || (choices.groupBy?.length ?? 0) > 0)
      throw invalidOption('LiteLLM spend logs are one row per call: no bucket width or grouping');
    return {
      report: oneOf('report', choices.report ?? 'spend-logs', this.reports),
      groupBy: [],
      pageSize: pageSizeWithin(choices.pageSize, 500, 1000),
    };
  },
  snapRange: (since, until) => ({ since, until }),
  pages: spendLogPages,
  resumeAfter: (range, lastResume) => lastResume ?? range.since,
};
