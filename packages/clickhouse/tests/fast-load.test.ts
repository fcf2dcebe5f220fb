import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CallRecord, csvHeaderLine, formatCsvRecords } from '@finops/schema';
import { simulateToFile } from '@finops/simulator';
import fc from 'fast-check';
import { CALLS_TABLE, type CallWarehouse, loadCalls, type LoadSummary } from '../src';
import { freshWarehouse } from './engine';
// The engine's path is checked on the analyzers' own fixture logs, not on copies of them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { documentLog } from '../../analyzers/tests/documents/log';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { anyRecordV2 } from '../../schema/tests/arbitraries';

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-fast-'));
const open: CallWarehouse[] = [];

async function warehouse(): Promise<CallWarehouse> {
  const connection = await freshWarehouse('fast');
  open.push(connection);
  return connection;
}

afterAll(async () => {
  for (const connection of open) await connection.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The calls table's rows, less what names the load (and the keys of rows without an id, unique per load). */
async function tableOf(target: CallWarehouse): Promise<string[]> {
  const rows = await target.rows<Record<string, unknown>>({
    sql: `SELECT * EXCEPT (load_id, call_key), if(call_id = '', '', call_key) AS key FROM {database:Identifier}.${CALLS_TABLE}`,
    params: {},
  });
  return rows.map((row) => JSON.stringify(row)).sort();
}

function outcome(summary: LoadSummary): unknown {
  // JSON text, not objects: the order of the reasons and warnings is part of what the reader gives.
  return JSON.stringify({ rows: summary.rowsWritten, tally: summary.tally, rejections: summary.rejections });
}

/** Loads a file by both paths into fresh databases and checks that they give the same tally, rejections and rows. */
async function expectSamePaths(path: string, expectedVia?: 'engine' | 'reader'): Promise<LoadSummary> {
  const byEngine = await warehouse();
  const byReader = await warehouse();
  const engine = await loadCalls(byEngine, path);
  const reader = await loadCalls(byReader, path, { path: 'reader' });
  expect(reader.via).toBe('reader');
  if (expectedVia !== undefined) expect(engine.via).toBe(expectedVia);
  expect(outcome(engine)).toBe(outcome(reader));
  expect(await tableOf(byEngine)).toEqual(await tableOf(byReader));
  return engine;
}

function writeLog(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe('the engine reads a plain CSV itself, with the same outcome as the reader', () => {
  it('on the record-v2 fixture log', async () => {
    const path = writeLog('v2.csv', csvHeaderLine() + formatCsvRecords(randomLogV2(1500, 20)));
    await expectSamePaths(path, 'engine');
  });

  it('on the documents log with hostile ids', async () => {
    const path = writeLog('documents.csv', csvHeaderLine() + formatCsvRecords(documentLog(1500, 30)));
    await expectSamePaths(path);
  });

  it.each(['burst', 'multi-tenant', 'model-migration'] as const)('on the %s scenario', async (scenario) => {
    const path = join(folder, `${scenario}.csv`);
    await simulateToFile({ scenario, seed: 5, days: 7, customers: 8 }, path);
    await expectSamePaths(path, 'engine');
  });

  it('on any log of hostile strings, huge costs and every record-v2 column (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anyRecordV2, { minLength: 1, maxLength: 60 }), async (records) => {
        await expectSamePaths(writeLog(`any-${run++}.csv`, csvHeaderLine() + formatCsvRecords(records)));
      }),
      { numRuns: 4, seed: 12 },
    );
  }, 240_000);
});
