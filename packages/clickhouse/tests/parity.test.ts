import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnalysisResults, analyzeCosts } from '@finops/analyzers';
import { formatCsvRecords, csvHeaderLine } from '@finops/schema';
import { simulateToFile } from '@finops/simulator';
import fc from 'fast-check';
import { analyzeWarehouse, type CallWarehouse, loadCalls } from '../src';
import { freshWarehouse } from './engine';
// Parity runs on the analyzers' own fixture logs (record v2, hostile ids), not on copies of them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { documentLog } from '../../analyzers/tests/documents/log';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { anyRecordV2 } from '../../schema/tests/arbitraries';

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-parity-'));
let warehouse: CallWarehouse | undefined;

async function freshDatabase(): Promise<CallWarehouse> {
  await warehouse?.close();
  warehouse = await freshWarehouse('parity');
  return warehouse;
}

afterAll(async () => {
  await warehouse?.close();
  rmSync(folder, { recursive: true, force: true });
});

function comparable(results: AnalysisResults): unknown {
  return JSON.parse(JSON.stringify({ ...results, meta: { ...results.meta, source: '' } }));
}

async function expectParity(logPath: string): Promise<void> {
  const expected = comparable(await analyzeCosts(logPath));
  const target = await freshDatabase();
  await loadCalls(target, logPath);
  const actual = comparable(await analyzeWarehouse(target));
  expect(actual).toEqual(expected);
}

describe('chDB results equal the in-process results', () => {
  it('on the record-v2 fixture log', async () => {
    const path = join(folder, 'v2.csv');
    writeFileSync(path, csvHeaderLine() + formatCsvRecords(randomLogV2(1500, 20)));
    await expectParity(path);
  });

  it('on the documents log with hostile ids', async () => {
    const path = join(folder, 'documents.csv');
    writeFileSync(path, csvHeaderLine() + formatCsvRecords(documentLog(1500, 30)));
    await expectParity(path);
  });

  it.each(['burst', 'multi-tenant', 'model-migration'] as const)('on the %s scenario', async (scenario) => {
    const path = join(folder, `${scenario}.csv`);
    await simulateToFile({ scenario, seed: 5, days: 7, customers: 8 }, path);
    await expectParity(path);
  });

  it.each(['off-hours', 'oversized-batch'] as const)(
    'on the %s scenario, whose minutes raise abuse flags',
    async (scenario) => {
      const path = join(folder, `${scenario}.csv`);
      await simulateToFile({ scenario, seed: 5, days: 7, customers: 8 }, path);
      const flags = (await analyzeCosts(path, { analyses: ['abuse'] })).abuse?.flags ?? [];
      expect(flags.length).toBeGreaterThan(0);
      await expectParity(path);
    },
  );
  it('on the costly-sessions scenario over ten weeks (sessions, traces, months and weeks)', async () => {
    const path = join(folder, 'costly-sessions.csv');
    await simulateToFile({ scenario: 'costly-sessions', seed: 5, days: 70, customers: 4 }, path);
    await expectParity(path);
  });

  it('on any log of hostile strings, huge costs and every record-v2 column (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anyRecordV2, { minLength: 1, maxLength: 60 }), async (records) => {
        const path = join(folder, `any-${run++}.csv`);
        writeFileSync(path, csvHeaderLine() + formatCsvRecords(records));
        await expectParity(path);
      }),
      { numRuns: 4, seed: 12 },
    );
    // Four fresh tables, each given its projections before the load: on a busy shared machine, minutes.
  }, 240_000);
});
