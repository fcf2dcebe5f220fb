import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CallRecord, csvHeaderLine, formatCsvRecords } from '@finops/schema';
import { simulateToFile } from '@finops/simulator';
import fc from 'fast-check';
import { CALLS_TABLE, type CallWarehouse, loadCalls, type LoadSummary, MAX_PARSER_ROWS } from '../src';
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
  const engine = await loadCalls(byEngine, path, { path: 'engine' });
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

/** Defects a row of a log may carry: some the engine's path leaves to the parser, some the parser rejects. */
const DEFECTS = [
  'impossible_date',
  'offset_timestamp',
  'lower_case_t',
  'negative_tokens',
  'many_tokens',
  'leading_zeros',
  'seven_decimals',
  'no_cost',
  'upper_case_status',
  'blank_line',
  'extra_field',
  'missing_field',
  'quoted_field',
  'unknown_model',
  'no_latency',
  'carriage_return',
  'no_call_id',
  'long_field',
  'unicode',
  'cache_beyond_input',
  'zero_calls',
  'tags_object',
  'repeated_call_id',
] as const;
type Defect = (typeof DEFECTS)[number];

function withDefects(records: readonly CallRecord[], defects: readonly [number, Defect][]): string {
  const header = csvHeaderLine().trimEnd();
  const columns = header.split(',');
  const at = (name: string): number => columns.indexOf(name);
  const lines = formatCsvRecords(records).trimEnd().split('\n');
  const out: string[] = [...lines];
  for (const [index, defect] of defects) {
    const position = index % out.length;
    const line = out[position] as string;
    // Rows whose own text has quotes are left alone: splitting them on commas would not give their fields.
    if (line.includes('"') || line === '') continue;
    const fields = line.split(',');
    const set = (name: string, value: string): void => void (fields[at(name)] = value);
    switch (defect) {
      case 'impossible_date':
        set('timestamp', '2025-02-30T10:00:00Z');
        break;
      case 'offset_timestamp':
        set('timestamp', `${(fields[at('timestamp')] as string).replace(/Z$/, '')}+02:00`);
        break;
      case 'lower_case_t':
        set('timestamp', (fields[at('timestamp')] as string).replace('T', 't'));
        break;
      case 'negative_tokens':
        set('input_tokens', '-5');
        break;
      case 'many_tokens':
        set('output_tokens', '123456789');
        break;
      case 'leading_zeros':
        set('input_tokens', `00${fields[at('input_tokens')]}`);
        break;
      case 'seven_decimals':
        set('cost_usd', '0.0012345');
        break;
      case 'no_cost':
        set('cost_usd', '');
        break;
      case 'upper_case_status':
        set('status', 'ERROR');
        break;
      case 'extra_field':
        fields.push('surplus');
        break;
      case 'missing_field':
        fields.pop();
        break;
      case 'quoted_field':
        set('user_agent', '"Agent, quoted"');
        break;
      case 'unknown_model':
        set('model', 'nobody-knows-me');
        break;
      case 'no_latency':
        set('latency_ms', '');
        break;
      case 'no_call_id':
        set('call_id', '');
        break;
      case 'long_field':
        set('customer_id', 'c'.repeat(300));
        break;
      case 'unicode':
        set('customer_id', 'ünïcödé😀');
        break;
      case 'cache_beyond_input':
        set('cached_input_tokens', String(Number(fields[at('input_tokens')]) + 1));
        break;
      case 'zero_calls':
        set('calls', '0');
        break;
      case 'tags_object':
        set('tags', '{}');
        break;
      case 'repeated_call_id':
        set('call_id', (out[0] as string).split(',')[at('call_id')] as string);
        break;
      default:
        break;
    }
    let text = fields.join(',');
    if (defect === 'carriage_return') text += '\r';
    out[position] = text;
    if (defect === 'blank_line') out.splice(position, 0, '');
  }
  return `${header}\n${out.join('\n')}\n`;
}

describe('the engine and the reader agree on logs with defects', () => {
  it('on any mix of defects (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...DEFECTS)), { maxLength: 25 }),
        async (seed, defects) => {
          const text = withDefects(randomLogV2(300, 10, seed), defects);
          const summary = await expectSamePaths(writeLog(`defects-${run++}.csv`, text));
          // Repeated ids take the reader's path (their order across both paths decides); the rest stays on the engine's.
          if (!defects.some(([, defect]) => defect === 'repeated_call_id'))
            expect(summary.via).toBe('engine');
        },
      ),
      { numRuns: 8, seed: 7 },
    );
  }, 400_000);

  it('lists rejections and warnings of the parser rows at their lines, in the strict mode as the reader', async () => {
    const text = withDefects(randomLogV2(200, 5, 3), [
      [40, 'negative_tokens'],
      [90, 'impossible_date'],
      [120, 'no_cost'],
    ]);
    const path = writeLog('strict.csv', text);
    const summary = await expectSamePaths(path, 'engine');
    expect(summary.rejections.map((rejection) => rejection.reason)).toEqual([
      'invalid_integer',
      'invalid_timestamp',
    ]);
    const strictEngine = loadCalls(await warehouse(), path, { strict: true, path: 'engine' });
    const strictReader = loadCalls(await warehouse(), path, { strict: true, path: 'reader' });
    const [engineError, readerError] = await Promise.all([
      strictEngine.then(
        () => undefined,
        (error: Error) => error.message,
      ),
      strictReader.then(
        () => undefined,
        (error: Error) => error.message,
      ),
    ]);
    expect(engineError).toBeDefined();
    expect(engineError).toBe(readerError);
  });

  it('takes the reader on a second load that repeats ids of the first, with the same outcome', async () => {
    const records = randomLogV2(300, 10, 5);
    const first = writeLog('first.csv', csvHeaderLine() + formatCsvRecords(records.slice(0, 200)));
    const second = writeLog('second.csv', csvHeaderLine() + formatCsvRecords(records.slice(150)));
    const byEngine = await warehouse();
    const byReader = await warehouse();
    for (const path of [first, second]) {
      const engine = await loadCalls(byEngine, path, { path: 'engine' });
      const reader = await loadCalls(byReader, path, { path: 'reader' });
      expect(outcome(engine)).toBe(outcome(reader));
    }
    expect(await tableOf(byEngine)).toEqual(await tableOf(byReader));
  });

  it('loads a file with CRLF line ends by the engine, as the reader does', async () => {
    const records = randomLogV2(MAX_PARSER_ROWS + 10, 50, 7).map((record, index) =>
      index % 40 === 0 ? { ...record, userAgent: 'agent "quoted", with a comma' } : record,
    );
    // The carriage return ends each line, not its last field; a few lines still go to the parser (a quoted field).
    const path = writeLog('crlf.csv', (csvHeaderLine() + formatCsvRecords(records)).replace(/\n/g, '\r\n'));
    const byEngine = await warehouse();
    const byReader = await warehouse();
    const engine = await loadCalls(byEngine, path, { path: 'engine' });
    const reader = await loadCalls(byReader, path, { path: 'reader' });
    expect(engine.via).toBe('engine');
    expect(engine.rowsWritten).toBe(records.length);
    expect(outcome(engine)).toBe(outcome(reader));
    expect(await tableOf(byEngine)).toEqual(await tableOf(byReader));
  }, 120_000);

  it('drops the carriage return of a last line no line feed follows, as the reader does', async () => {
    const records = randomLogV2(40, 5, 8);
    // A text column last (an extra one, kept as written), and the file ends with a carriage return.
    const lines = (csvHeaderLine() + formatCsvRecords(records)).split('\n').filter((line) => line !== '');
    const text =
      lines.map((line, index) => `${line},${index === 0 ? 'note' : `note ${index}`}`).join('\r\n') + '\r';
    const path = writeLog('bare-cr.csv', text);
    const byEngine = await warehouse();
    const byReader = await warehouse();
    const engine = await loadCalls(byEngine, path, { path: 'engine' });
    const reader = await loadCalls(byReader, path, { path: 'reader' });
    expect(outcome(engine)).toBe(outcome(reader));
    expect(await tableOf(byEngine)).toEqual(await tableOf(byReader));
  });

  it('reads lines with more than one carriage return at their end as the reader does', async () => {
    // One carriage return ends a line; another before it is the last field's (or makes the line malformed).
    const header = 'timestamp,provider,model,input_tokens,output_tokens,cost_usd,user_agent,latency_ms';
    const lines = [
      '2025-10-01T00:00:00Z,openai,gpt-4o,10,20,0.1,ua,201\r\r',
      '2025-10-01T00:00:01Z,openai,gpt-4o,10,20,0.1,ua,202\r',
      '\r\r',
      '2025-10-01T00:00:02Z,openai,gpt-4o,10,20,0.1,"ua"\r,203\r',
      '2025-10-01T00:00:03Z,openai,gpt-4o,10,20,0.1,ua\r,204\r',
    ];
    const numeric = writeLog('cr-numeric.csv', [`${header}\r`, ...lines].join('\n') + '\n');
    const engine = await expectSamePaths(numeric, 'engine');
    expect(engine.tally.rowsRejected).toBeGreaterThan(0);
    // A text field last: the second carriage return is kept in it, on a last line without a line feed too.
    const text = writeLog(
      'cr-text.csv',
      'timestamp,provider,model,input_tokens,output_tokens,cost_usd,user_agent\r\n' +
        '2025-10-01T00:00:00Z,openai,gpt-4o,10,20,0.1,ua\r\r\n' +
        '2025-10-01T00:00:01Z,openai,gpt-4o,10,20,0.1,ub\r\r',
    );
    await expectSamePaths(text, 'engine');
  });

  it('takes the reader on a file with more lines for the parser than it takes', async () => {
    const records = randomLogV2(MAX_PARSER_ROWS + 10, 50, 9);
    // No line is certain (a quoted field in each): the other lines are known to be too many from the counts.
    const quoted = records.map((record) => ({ ...record, userAgent: 'agent "quoted", with a comma' }));
    const summary = await loadCalls(
      await warehouse(),
      writeLog('quoted.csv', csvHeaderLine() + formatCsvRecords(quoted)),
      {
        path: 'engine',
      },
    );
    expect(summary.via).toBe('reader');
    expect(summary.rowsWritten).toBe(records.length);
    expect(summary.tally.rowsRejected).toBe(0);
  }, 120_000);

  it("takes the reader when the file changes between the engine's reads, with the outcome of the file as it is then", async () => {
    // Twenty lines the engine cannot vouch for (a quoted field), then twenty certain lines appended after the
    // engine counted the file's lines, just before it inserts the rows: the table then holds as many rows as
    // were counted, and only the file's changed state tells that twenty lines were never read for the parser.
    const records = randomLogV2(320, 10, 6).map((record, index) =>
      index % 15 === 0 && index < 300 ? { ...record, userAgent: 'agent "quoted", with a comma' } : record,
    );
    const path = writeLog('growing.csv', csvHeaderLine() + formatCsvRecords(records.slice(0, 300)));
    const byEngine = await warehouse();
    const command = byEngine.command.bind(byEngine);
    let appended = false;
    byEngine.command = async (query) => {
      if (!appended && query.sql.startsWith(`INSERT INTO {database:Identifier}.${CALLS_TABLE} (`)) {
        appended = true;
        appendFileSync(path, formatCsvRecords(records.slice(300)));
      }
      return command(query);
    };
    const engine = await loadCalls(byEngine, path, { path: 'engine' });
    expect(appended).toBe(true);
    expect(engine.via).toBe('reader');
    expect(engine.rowsWritten).toBe(320);
    const byReader = await warehouse();
    expect(outcome(engine)).toBe(outcome(await loadCalls(byReader, path, { path: 'reader' })));
    expect(await tableOf(byEngine)).toEqual(await tableOf(byReader));
  });
});
