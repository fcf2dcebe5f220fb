/**
 * OpenAI organization reports (admin key): the completions usage report
 * `GET /v1/organization/usage/completions` and the costs report
 * `GET /v1/organization/costs`, over `start_time`/`end_time` (Unix seconds),
 * `bucket_width`, `group_by` (repeated), `limit` buckets a page, followed by
 * `page=<next_page>` while `has_more`. Only buckets that have ended are
 * pulled, so a bucket is read once, complete.
 */
import { openaiUsage } from '../../sources/openai-usage';
import { finiteNumber } from '../../values';
import { endedBuckets, type PullApi, reportPages, reportSettings, type ReportSpec } from '../api';

const REPORTS = {
  usage: {
    path: 'v1/organization/usage/completions',
    widths: ['1d', '1h', '1m'],
    groupBy: ['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier'],
    defaultGroupBy: ['model', 'project_id'],
    maxBuckets: { '1d': 31, '1h': 168, '1m': 1440 },
  },
  costs: {
    path: 'v1/organization/costs',
    widths: ['1d'],
    groupBy: ['project_id', 'line_item', 'api_key_id'],
    defaultGroupBy: ['line_item', 'project_id'],
    maxBuckets: { '1d': 180 },
  },
} satisfies Record<string, ReportSpec>;

function seconds(time: Date): string {
  return String(Math.floor(time.getTime() / 1000));
}

function bucketEnd(bucket: Record<string, unknown>): Date | undefined {
  const end = finiteNumber(bucket['end_time']);
  return end === undefined ? undefined : new Date(end * 1000);
}

/** `finops pull openai`. */
export const openai: PullApi = {
  name: 'openai',
  title: 'OpenAI organization usage (completions) and costs reports (buckets of calls)',
  source: openaiUsage,
  keyVariable: 'OPENAI_ADMIN_KEY',
  defaultBaseUrl: 'https://api.openai.com/',
  reports: Object.keys(REPORTS),
  headers: (key) => ({ authorization: `Bearer ${key}` }),
  settings: (choices) => reportSettings(choices, REPORTS),
  snapRange: endedBuckets,
  pages: (context) =>
    reportPages(context, REPORTS, {
      range: ['start_time', 'end_time'],
      time: seconds,
      groupKey: 'group_by',
      bucketEnd,
    }),
  resumeAfter: (range) => range.until,
};
