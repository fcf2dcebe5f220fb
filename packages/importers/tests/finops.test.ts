import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importToCsv, IMPORT_COLUMNS } from '../src';
import { fixture, importAll, temporaryFolder } from './helpers';

const v1 = fixture('finops', 'calls-v1.csv');
const v2 = fixture('finops', 'calls-v2.jsonl');

describe('finops', () => {
  it('passes our own log through, catching repeated ids and bad values', async () => {
    const { rows, tally, rejections, detection } = await importAll(v1);
    expect(detection.source.name).toBe('finops');
    expect(tally).toMatchObject({
      recordsKept: 2,
      skippedByReason: { duplicate_call_id: 1 },
      rejectedByReason: { invalid_number: 1 },
    });
    expect(rows[0]).toMatchObject({
      timestamp: '2025-11-19T08:00:03.794387',
      call_id: 'call_20251119080003_000412',
      cost_usd: '0.006678',
      subscription_tier: 'pro',
      user_agent: 'FinOpsSDK/1.2 Node/20',
    });
    expect(rows[1]?.user_agent).toBe('FinOpsSDK/1.2 Python/3.12, async');
    expect(rejections[0]).toMatchObject({ line: 5, field: 'input_tokens' });
  });

  it('reads version 2 rows: optional columns, any plan name, tags as an object, call weights', async () => {
    const { rows, tally, rejections } = await importAll(v2);
    expect(tally).toMatchObject({ recordsKept: 2, calls: 4, inputTokens: 2431 + 1200 });
    expect(rows[0]).toMatchObject({
      subscription_tier: 'scale-up',
      tags: '{"feature":"ticket-summary"}',
      cached_input_tokens: 2048,
    });
    expect(rows[1]).toMatchObject({ calls: 3, input_tokens: 1200 });
    expect(rows[1]?.call_id).toBeUndefined();
    expect(rejections[0]).toMatchObject({
      line: 3,
      field: 'reasoning_tokens',
      reason: 'inconsistent_tokens',
    });
  });

  it('writes an import that imports again to the same rows (an export imported twice changes nothing)', async () => {
    const folder = temporaryFolder();
    const first = join(folder, 'first.csv');
    const second = join(folder, 'second.csv');
    await importToCsv(v1, first);
    const summary = await importToCsv(first, second);
    expect(summary.detection.source.name).toBe('finops');
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));
    expect(readFileSync(first, 'utf8').split('\n')[0]).toBe(IMPORT_COLUMNS.join(','));
  });
});
