import { join } from 'node:path';
import { readCallLog } from '@finops/schema';
import { importToCsv } from '../src';
import { fixture, temporaryFolder } from './helpers';

/** One export of each source, read back by the schema's reader after import. */
const exports = [
  fixture('litellm', 'spend-logs.csv'),
  fixture('langfuse', 'observations-page.json'),
  fixture('otel', 'collector-export.jsonl'),
  fixture('openai-usage', 'completions-by-model.json'),
  fixture('anthropic-usage', 'cost-report.json'),
  fixture('helicone', 'request-response-rmt.jsonl'),
  fixture('focus', 'ai-costs.csv'),
  fixture('finops', 'calls-v2.jsonl'),
];

describe('an imported log read by the schema', () => {
  it.each(exports)(
    '%s: every written row is a valid call, reported costs read back exactly',
    async (file) => {
      const out = join(temporaryFolder(), 'calls.csv');
      const summary = await importToCsv(file, out);
      let reportedMicros = 0;
      let calls = 0;
      let last;
      for await (const batch of readCallLog(out)) {
        for (const record of batch.records) {
          if (record.costSource === 'reported') reportedMicros += record.costMicros;
          calls += record.calls ?? 1;
        }
        last = batch.tally;
      }
      expect(last?.rowsRejected).toBe(0);
      expect(last?.rowsKept).toBe(summary.tally.recordsKept);
      expect(last?.coverage.rowsReported).toBe(summary.tally.withReportedCost);
      expect(reportedMicros).toBe(summary.tally.reportedCostMicros);
      expect(calls).toBe(summary.tally.calls);
    },
  );
});
