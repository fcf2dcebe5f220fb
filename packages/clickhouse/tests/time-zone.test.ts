// The package's jest config sets the process zone to America/Los_Angeles for every test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCosts } from '@finops/analyzers';
import { csvHeaderLine, formatCsvRecords } from '@finops/schema';
import { analyzeWarehouse, type CallWarehouse, loadCalls } from '../src';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { call } from '../../analyzers/tests/fixtures';
import { freshWarehouse } from './engine';

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-tz-'));
let target: CallWarehouse | undefined;

afterAll(async () => {
  await target?.close();
  rmSync(folder, { recursive: true, force: true });
});

it('counts days in UTC under a process zone west of it', async () => {
  expect(process.env.TZ).toBe('America/Los_Angeles');
  expect(new Date(Date.UTC(2025, 10, 3, 3)).getDate()).toBe(2);
  // Calls near midnight UTC: in Los Angeles these fall on the day before.
  const records = [0, 1, 2, 3].flatMap((day) =>
    [0, 1, 23].map((hour) => call({ day, hour, customerId: `cust_${hour}` })),
  );
  const path = join(folder, 'midnight.csv');
  writeFileSync(path, csvHeaderLine() + formatCsvRecords(records));
  const expected = await analyzeCosts(path);
  target = await freshWarehouse('tz');
  await loadCalls(target, path);
  const actual = await analyzeWarehouse(target);
  expect({ ...actual, meta: { ...actual.meta, source: '' } }).toEqual({
    ...expected,
    meta: { ...expected.meta, source: '' },
  });
  const [row] = await target.rows<{ day: string }>({
    sql: 'SELECT toString(toDate(min(ts))) AS day FROM {database:Identifier}.finops_calls',
    params: {},
  });
  expect(row?.day).toBe('2025-11-03');
});
