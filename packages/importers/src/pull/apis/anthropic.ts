/**
 * Anthropic Admin API reports (admin key, `x-api-key` and
 * `anthropic-version: 2023-06-01`): the Messages usage report
 * `GET /v1/organizations/usage_report/messages` and the cost report
 * `GET /v1/organizations/cost_report`, over `starting_at`/`ending_at`
 * (RFC 3339), `bucket_width`, `group_by[]`, `limit` buckets a page, followed
 * by `page=<next_page>` while `has_more`. Only buckets that have ended are
 * pulled, so a bucket is read once, complete.
 */
import { anthropicUsage } from '../../sources/anthropic-usage';
import { isoTimestamp, textOf } from '../../values';
import { endedBuckets, type PullApi, reportPages, reportSettings, type ReportSpec } from '../api';

const REPORTS = {
  usage: {
    path: 'v1/organizations/usage_report/messages',
    widths: ['1d', '1h', '1m'],
    groupBy: [
      'api_key_id',
      'workspace_id',
      'model',
      'service_tier',
      'context_window',
      'inference_geo',
      'speed',
      'account_id',
      'service_account_id',
    ],
    defaultGroupBy: ['model', 'workspace_id', 'service_tier', 'context_window'],
    maxBuckets: { '1d': 31, '1h': 168, '1m': 1440 },
  },
  cost: {
    path: 'v1/organizations/cost_report',
    widths: ['1d'],
    groupBy: ['workspace_id', 'description'],
    defaultGroupBy: ['workspace_id', 'description'],
    maxBuckets: { '1d': 31 },
  },
} satisfies Record<string, ReportSpec>;

function rfc3339(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function bucketEnd(bucket: Record<string, unknown>): Date | undefined {
  const text = textOf(bucket['ending_at']);
  const iso = text === undefined ? undefined : isoTimestamp(text);
  return iso === undefined ? undefined : new Date(iso);
}

/** `finops pull anthropic`. */
export const anthropic: PullApi = {
  name: 'anthropic',
  title: 'Anthropic Admin API Messages usage report and cost report (buckets of calls)',
  source: anthropicUsage,
  keyVariable: 'ANTHROPIC_ADMIN_KEY',
  defaultBaseUrl: 'https://api.anthropic.com/',
  reports: Object.keys(REPORTS),
  headers: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' }),
  settings: (choices) => reportSettings(choices, REPORTS),
  snapRange: endedBuckets,
  pages: (context) =>
    reportPages(context, REPORTS, {
      range: ['starting_at', 'ending_at'],
      time: rfc3339,
      groupKey: 'group_by[]',
      bucketEnd,
    }),
  resumeAfter: (range) => range.until,
};
