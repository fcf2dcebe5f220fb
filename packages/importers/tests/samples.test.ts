import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SOURCES } from '../src';
import { importAll } from './helpers';

/** Real exports written by others, kept beside the repository (never copied into it). */
const samples = resolve(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'samples');

interface ExpectedFile {
  file: string;
  source: string;
  expected: {
    calls: number | null;
    inputTokens: number | null;
    outputTokens: number | null;
    costMicros: number | null;
    costMicrosAlso: number[];
  };
}

const expectedFiles: ExpectedFile[] = existsSync(join(samples, 'EXPECTED.json'))
  ? (JSON.parse(readFileSync(join(samples, 'EXPECTED.json'), 'utf8')) as { files: ExpectedFile[] }).files
  : [];

describe('real sample exports', () => {
  if (expectedFiles.length === 0) {
    it.skip(`skipped: no sample folder at ${samples}`, () => undefined);
    return;
  }
  const registered = new Set(SOURCES.map((source) => source.name));
  for (const sample of expectedFiles) {
    const read = registered.has(sample.source) ? it : it.skip;
    read(`${sample.file} is recognised as ${sample.source} and gives the expected totals`, async () => {
      const { detection, tally } = await importAll(join(samples, sample.file));
      expect(detection).toMatchObject({ forced: false, source: { name: sample.source } });
      const { calls, inputTokens, outputTokens, costMicros, costMicrosAlso } = sample.expected;
      if (calls !== null) expect(tally.calls).toBe(calls);
      if (inputTokens !== null) expect(tally.inputTokens).toBe(inputTokens);
      if (outputTokens !== null) expect(tally.outputTokens).toBe(outputTokens);
      if (costMicros !== null) expect([costMicros, ...costMicrosAlso]).toContain(tally.reportedCostMicros);
      expect(tally.recordsRejected).toBe(0);
    });
  }
});
