import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportFocus, FOCUS_EXPORT_COLUMNS, importToCsv } from '../src';
import { fixture, importAll, temporaryFolder } from './helpers';

describe('export to FOCUS', () => {
  it('writes one FOCUS row per day, provider, model and attribution, which imports back to the same totals', async () => {
    const folder = temporaryFolder();
    const calls = join(folder, 'calls.csv');
    const imported = await importToCsv(fixture('litellm', 'spend-logs-page.json'), calls);
    const focus = join(folder, 'focus.csv');
    const summary = await exportFocus(calls, focus);
    expect(summary.tally?.rowsKept).toBe(6);
    const lines = readFileSync(focus, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(FOCUS_EXPORT_COLUMNS.join(','));
    expect(lines).toHaveLength(summary.rows + 1);
    // The two Sonnet calls of cust_8841 with the same attribution share a row; the older-LiteLLM row differs in tags.
    expect(summary.rows).toBe(5);

    const back = await importAll(focus, { attribution: { customer_id: 'x_customer_id' } });
    expect(back.detection.source.name).toBe('focus');
    expect(back.tally).toMatchObject({
      recordsKept: summary.rows,
      calls: imported.tally.calls,
      inputTokens: imported.tally.inputTokens,
      outputTokens: imported.tally.outputTokens,
    });
    const sonnet = back.rows.find((row) => row.model === 'claude-sonnet-4-5' && row.calls === 2);
    expect(sonnet).toMatchObject({
      timestamp: '2026-05-04T00:00:00Z',
      provider: 'anthropic',
      customer_id: 'cust_8841',
      subscription_tier: 'pro',
      feature_id: 'ticket-summary',
      input_tokens: 2431 * 2,
      cached_input_tokens: 2048,
      cost_usd: '0.004493',
    });
  });
});
