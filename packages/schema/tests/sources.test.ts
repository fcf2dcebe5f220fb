import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  CallLogParser,
  CallLogRowError,
  CallLogSourceError,
  type CallRecord,
  COLUMN_SPECS,
  CSV_COLUMNS,
  CsvHeaderError,
  detectLogFormat,
  expandExponent,
  formatCsvLine,
  formatCsvRecord,
  JsonLinesParser,
  listCallLogFiles,
  parquetValueText,
  readCallLog,
  type Rejection,
  streamCallLogFiles,
  tallyCallLog,
} from '../src/index';
import { anyRecordV2, sampleRecord, splitAt } from './arbitraries';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-sources-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const KIND_OF = new Map(COLUMN_SPECS.map((spec) => [spec.column as string, spec.kind]));

/** A log as CSV text with every column of the record. */
function csvOf(records: readonly CallRecord[]): string {
  return (
    formatCsvLine(CSV_COLUMNS) + records.map((record) => formatCsvRecord(record, [], CSV_COLUMNS)).join('')
  );
}

/** The cells of a CSV log as objects: column → text (empty cells left out). */
function cellsOf(csv: string): Record<string, string>[] {
  const rows = parse(csv, { columns: true, relaxQuotes: false }) as Record<string, string>[];
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, value]) => value !== '')));
}

/** The same log as JSON Lines: integers and costs as JSON numbers, tags as a nested object. */
function jsonLinesOf(csv: string): string {
  return cellsOf(csv)
    .map((cells) => {
      const object: Record<string, unknown> = {};
      for (const [column, text] of Object.entries(cells)) {
        const kind = KIND_OF.get(column);
        if (kind === 'integer' || kind === 'decimal') object[column] = Number(text);
        else if (kind === 'json') object[column] = JSON.parse(text);
        else object[column] = text;
      }
      return `${JSON.stringify(object)}\n`;
    })
    .join('');
}

/** The same log as Parquet (strings throughout, like the CSV cells), in row groups of `rowGroupSize`. */
function parquetOf(csv: string, rowGroupSize = 1000): Uint8Array {
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  const columnData = CSV_COLUMNS.map((column) => ({
    name: column as string,
    data: rows.map((row) => (row[column] === '' ? null : (row[column] as string))),
    type: 'STRING' as const,
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize }));
}

async function readAll(
  input: string,
  options: Parameters<typeof readCallLog>[1] = {},
): Promise<{ records: CallRecord[]; rejections: Rejection[] }> {
  const records: CallRecord[] = [];
  const rejections: Rejection[] = [];
  for await (const batch of readCallLog(input, options)) {
    records.push(...batch.records);
    rejections.push(...batch.rejections);
  }
  return { records, rejections };
}

const sample = (count: number, from = 0): CallRecord[] =>
  Array.from({ length: count }, (_, index) =>
    sampleRecord({
      callId: `call_${from + index}`,
      inputTokens: 100 + index,
      customerId: `cust_${index % 7}`,
    }),
  );

describe('container detection', () => {
  it('tells containers by name and by magic bytes, the bytes winning', async () => {
    const csv = csvOf(sample(2));
    const cases: [string, string | Uint8Array, { container: string; gzip: boolean }][] = [
      ['a.csv', csv, { container: 'csv', gzip: false }],
      ['a.jsonl', jsonLinesOf(csv), { container: 'json-lines', gzip: false }],
      ['a.ndjson', jsonLinesOf(csv), { container: 'json-lines', gzip: false }],
      ['a.csv.gz', gzipSync(csv), { container: 'csv', gzip: true }],
      ['a.NDJSON.GZ', gzipSync(jsonLinesOf(csv)), { container: 'json-lines', gzip: true }],
      ['a.parquet', parquetOf(csv), { container: 'parquet', gzip: false }],
      ['parquet-named.csv', parquetOf(csv), { container: 'parquet', gzip: false }],
      ['gzip-named.csv', gzipSync(csv), { container: 'csv', gzip: true }],
      ['export.log', jsonLinesOf(csv), { container: 'json-lines', gzip: false }],
      ['export', csv, { container: 'csv', gzip: false }],
      ['export.gz', gzipSync(jsonLinesOf(csv)), { container: 'json-lines', gzip: true }],
      ['empty', '', { container: 'csv', gzip: false }],
    ];
    for (const [name, content, expected] of cases) {
      const path = join(folder, name);
      await writeFile(path, content);
      expect([name, await detectLogFormat(path)]).toEqual([name, expected]);
    }
  });

  it('names the file of an unknown or corrupt container, with a stable code', async () => {
    const cases: [string, Uint8Array | string, string, RegExp][] = [
      ['binary.bin', Uint8Array.from([0, 1, 2, 3, 255, 254, 0, 7]), 'unknown_container', /neither CSV/],
      ['fake.parquet', 'timestamp,provider\n', 'corrupt_container', /does not start with PAR1/],
      ['fake.csv.gz', 'timestamp,provider\n', 'corrupt_container', /not gzip data/],
      ['cut.parquet', Buffer.from('PAR1 and then nothing'), 'corrupt_container', /truncated/],
      ['zipped.parquet', gzipSync('x'), 'corrupt_container', /gzip-compressed Parquet/],
      [
        'odd.gz',
        gzipSync(Uint8Array.from([0, 0, 0, 255])),
        'unknown_container',
        /neither CSV nor JSON Lines/,
      ],
    ];
    for (const [name, content, code, message] of cases) {
      const path = join(folder, name);
      await writeFile(path, content);
      const error = await detectLogFormat(path).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CallLogSourceError);
      expect(error).toMatchObject({ code, file: path });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.startsWith(`${path}: `)).toBe(true);
    }
  });

  it('names a corrupt gzip stream and a broken Parquet body when they are read', async () => {
    const whole = gzipSync(csvOf(sample(300)));
    const cut = join(folder, 'cut.csv.gz');
    await writeFile(cut, whole.subarray(0, whole.length - 100));
    await expect(tallyCallLog(cut)).rejects.toMatchObject({ code: 'corrupt_container', file: cut });
    const garbled = Buffer.from(parquetOf(csvOf(sample(50))));
    garbled.fill(7, 4, garbled.length - 8);
    const broken = join(folder, 'broken.parquet');
    await writeFile(broken, garbled);
    await expect(tallyCallLog(broken)).rejects.toMatchObject({ code: 'corrupt_container', file: broken });
  });
});

describe('folders and patterns', () => {
  it('lists a folder, subfolders included, in name order, skipping hidden and other files', async () => {
    const root = join(folder, 'listing');
    await mkdir(join(root, 'day=02'), { recursive: true });
    await mkdir(join(root, '.cache'), { recursive: true });
    const csv = csvOf(sample(1));
    for (const name of ['b.csv', 'a.jsonl', 'day=02/c.csv.gz', '.cache/x.csv', '.hidden.csv', 'notes.txt'])
      await writeFile(join(root, name), name.endsWith('.gz') ? gzipSync(csv) : csv);
    const files = await listCallLogFiles(root);
    expect(files.map((file) => file.path)).toEqual(
      ['a.jsonl', 'b.csv', 'day=02/c.csv.gz'].map((name) => join(root, name)),
    );
    expect(files[2]?.format).toEqual({ container: 'csv', gzip: true });
    expect(files[1]?.size).toBe(Buffer.byteLength(csv));
  });

  it('enters a folder linked from inside itself only once', async () => {
    const root = join(folder, 'looped');
    await mkdir(join(root, 'a'), { recursive: true });
    await writeFile(join(root, 'a', 'x.csv'), csvOf(sample(1)));
    await symlink(root, join(root, 'a', 'back'));
    await symlink(join(root, 'a', 'x.csv'), join(root, 'linked.csv'));
    expect((await listCallLogFiles(root)).map((file) => file.path.slice(root.length + 1))).toEqual([
      'a/x.csv',
      'linked.csv',
    ]);
    expect(
      (await listCallLogFiles(join(root, '**', '*.csv'))).map((file) => file.path.slice(root.length + 1)),
    ).toEqual(['a/x.csv', 'linked.csv']);
  });

  it('matches patterns with *, ?, [...] and **', async () => {
    const root = join(folder, 'patterns');
    await mkdir(join(root, 'x', 'y'), { recursive: true });
    const csv = csvOf(sample(1));
    for (const name of ['p1.csv', 'p2.csv', 'p10.csv', 'q1.csv', 'x/p3.csv', 'x/y/p4.csv'])
      await writeFile(join(root, name), csv);
    const paths = async (pattern: string): Promise<string[]> =>
      (await listCallLogFiles(join(root, pattern))).map((file) => file.path.slice(root.length + 1));
    expect(await paths('p*.csv')).toEqual(['p1.csv', 'p10.csv', 'p2.csv']);
    expect(await paths('p?.csv')).toEqual(['p1.csv', 'p2.csv']);
    expect(await paths('[pq]1.csv')).toEqual(['p1.csv', 'q1.csv']);
    expect(await paths('[!p]*.csv')).toEqual(['q1.csv']);
    expect(await paths('**/p*.csv')).toEqual(['p1.csv', 'p10.csv', 'p2.csv', 'x/p3.csv', 'x/y/p4.csv']);
    expect(await paths('*/p*.csv')).toEqual(['x/p3.csv']);
    await expect(listCallLogFiles(join(root, 'none-*.csv'))).rejects.toMatchObject({ code: 'no_log_files' });
    const empty = join(folder, 'empty-folder');
    await mkdir(empty);
    await expect(listCallLogFiles(empty)).rejects.toMatchObject({ code: 'no_log_files', file: empty });
    await expect(listCallLogFiles(join(root, 'missing.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads a folder as one log: own headers, own line numbers, one call-id set, named rejections', async () => {
    const root = join(folder, 'as-one');
    await mkdir(root);
    const first = sample(3, 0);
    const second = sample(3, 3);
    // The second file has its columns in another order, a bad row and a call id of the first file.
    const reordered = [...CSV_COLUMNS].reverse();
    const cellsOfRecord = (record: CallRecord): string[] => {
      const line = formatCsvRecord(record, [], CSV_COLUMNS);
      const cells = (parse(line) as string[][])[0] as string[];
      return reordered.map((column) => cells[CSV_COLUMNS.indexOf(column)] as string);
    };
    const bad = cellsOfRecord({ ...(second[0] as CallRecord), callId: 'call_bad' });
    bad[reordered.indexOf('input_tokens')] = 'many';
    const secondText =
      formatCsvLine(reordered) +
      [...second.map(cellsOfRecord), bad, cellsOfRecord({ ...(first[1] as CallRecord) })]
        .map((cells) => formatCsvLine(cells))
        .join('');
    await writeFile(join(root, '1.csv'), csvOf(first));
    await writeFile(join(root, '2.csv.gz'), gzipSync(secondText));
    const quarantine = join(folder, 'as-one-rejected.csv');
    const { records, rejections } = await readAll(root, { quarantine });
    expect(records.map((record) => record.callId)).toEqual(
      [...first, ...second].map((record) => record.callId),
    );
    expect(
      rejections.map(({ line, reason, message }) => ({ line, reason, message: message.slice(0, 60) })),
    ).toEqual([
      {
        line: 5,
        reason: 'invalid_integer',
        message: `${join(root, '2.csv.gz')}: line 5: input_tokens "many"`.slice(0, 60),
      },
      {
        line: 6,
        reason: 'duplicate_call_id',
        message: `${join(root, '2.csv.gz')}: line 6: call_id "call_1" was`.slice(0, 60),
      },
    ]);
    const tally = await tallyCallLog(root);
    expect(tally).toMatchObject({ rowsRead: 8, rowsKept: 6, rowsRejected: 2 });
    const quarantined = parse(
      await import('node:fs/promises').then((fs) => fs.readFile(quarantine, 'utf8')),
      {
        columns: true,
      },
    ) as Record<string, string>[];
    expect(quarantined.map((row) => row.line)).toEqual(['5', '6']);
    expect(quarantined[0]?.message).toContain('2.csv.gz');
  });
});

describe('JSON Lines', () => {
  it('reads the same records as the CSV of the same log, whatever the text and the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(anyRecordV2, { maxLength: 12, selector: (record) => record.callId }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (records, cuts) => {
          const csv = csvOf(records);
          const fromCsv = new CallLogParser();
          fromCsv.push(csv);
          fromCsv.end();
          const fromJson = new JsonLinesParser();
          const bytes = Buffer.from(jsonLinesOf(csv));
          for (const piece of splitAt(bytes, cuts)) fromJson.push(piece);
          fromJson.end();
          const expected = fromCsv.take();
          const actual = fromJson.take();
          expect(actual.rejections).toEqual([]);
          expect(actual.records).toEqual(expected.records);
          expect(fromJson.tally.rowsKept).toBe(records.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('takes values as strings or numbers, keys in any order and case, null for unknown, extras aside', () => {
    const parser = new JsonLinesParser({ source: 'calls.jsonl' });
    const lines = [
      '{"timestamp":"2025-11-19T08:00:03Z","provider":"openai","model":"gpt-4o","input_tokens":"451","output_tokens":555,"cost_usd":"0.006678","call_id":"a"}',
      '{ "Output_Tokens" : 1.2e2 , "MODEL":"gpt-4o", "provider":"openai", "timestamp":"2025-11-19T09:00:00Z", "input_tokens":4E1, "call_id":"b", "latency_ms":null, "note":"fine", "meta":{"a": [1, 2]}, "flag": true}',
      '{"timestamp":"2025-11-19T10:00:00Z","provider":"openai","model":"gpt-\\u0034o","input_tokens":1,"output_tokens":1,"call_id":"c\\"q","customer_id":"caf\\u00e9","tags":{"team": "a b", "n": 1}}',
    ];
    parser.push(`${lines.join('\r\n')}\r\n`);
    parser.end();
    const { records, rejections } = parser.take();
    expect(rejections).toEqual([]);
    expect(
      records.map((record) => [record.callId, record.model, record.inputTokens, record.outputTokens]),
    ).toEqual([
      ['a', 'gpt-4o', 451, 555],
      ['b', 'gpt-4o', 40, 120],
      ['c"q', 'gpt-4o', 1, 1],
    ]);
    expect(records[0]?.costMicros).toBe(6678);
    expect(records[1]?.latencyMs ?? null).toBeNull();
    expect(records[1]?.extra).toEqual({ note: 'fine', meta: '{"a":[1,2]}', flag: 'true' });
    expect(records[2]?.customerId).toBe('café');
    expect(records[2]?.tags).toBe('{"team":"a b","n":1}');
  });

  it('rejects a line that is not a JSON object with its line number, and goes on', () => {
    const good = (id: string): string =>
      JSON.stringify({
        timestamp: '2025-11-19T08:00:00Z',
        provider: 'openai',
        model: 'gpt-4o',
        input_tokens: 5,
        output_tokens: 5,
        call_id: id,
      });
    const bad = [
      '[1, 2]',
      '"text"',
      '{"timestamp": "2025-11-19T08:00:00Z"',
      '{"provider" "openai"}',
      '{"input_tokens": 01}',
      '{"input_tokens": -}',
      '{"input_tokens": 1.}',
      '{"input_tokens": 1e}',
      '{"a": tru}',
      '{"a": {"b": 1}',
      '{"a": {"b": }}',
      '{"a": "\\x"}',
      '{"\\x": 1}',
      '{"a": 1} trailing',
      '{"a": 1,}',
      '{"a": "never closed}',
      '{provider: 1}',
    ];
    const parser = new JsonLinesParser({ source: 'calls.jsonl' });
    parser.push(['', good('first'), '   ', ...bad, good('last'), ''].join('\n'));
    parser.end();
    const { records, rejections } = parser.take();
    expect(records.map((record) => record.callId)).toEqual(['first', 'last']);
    expect(rejections).toHaveLength(bad.length);
    rejections.forEach((rejection, index) => {
      expect(rejection).toMatchObject({ line: index + 4, reason: 'malformed_row', raw: bad[index] });
      expect(rejection.message).toMatch(/^line \d+: the row (is not|has text)/);
    });
    expect(parser.tally).toMatchObject({ rowsRead: bad.length + 2, rowsRejected: bad.length, blankLines: 2 });
    expect(parser.nextLine).toBe(bad.length + 5);
  });

  it('validates fields like the CSV reader, skips a byte-order mark, and stops a strict read at the first bad row', async () => {
    const path = join(folder, 'strict.jsonl');
    const row = (tokens: unknown): string =>
      JSON.stringify({
        timestamp: '2025-11-19T08:00:00Z',
        provider: 'openai',
        model: 'gpt-4o',
        input_tokens: tokens,
        output_tokens: 3,
      });
    await writeFile(path, `\ufeff${row(5)}\n${row(-5)}\n${row('x')}`);
    const { records, rejections } = await readAll(path);
    expect(records).toHaveLength(1);
    expect(rejections.map((rejection) => [rejection.line, rejection.field, rejection.reason])).toEqual([
      [2, 'input_tokens', 'invalid_integer'],
      [3, 'input_tokens', 'invalid_integer'],
    ]);
    const error = await tallyCallLog(path, { strict: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallLogRowError);
    expect((error as Error).message).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: `),
    );
  });

  it('hands rejected rows over in batches too, so that a log of bad rows is read in flat memory', async () => {
    const path = join(folder, 'all-bad.jsonl');
    await writeFile(path, 'not json\n'.repeat(60));
    const sizes: number[] = [];
    for await (const batch of readCallLog(path, { batchSize: 10, chunkBytes: 45 }))
      sizes.push(batch.rejections.length);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(60);
    expect(sizes.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...sizes)).toBeLessThan(16);
  });

  it('writes exponents out exactly', () => {
    expect(expandExponent('1.5e3')).toBe('1500');
    expect(expandExponent('2E-4')).toBe('0.0002');
    expect(expandExponent('-12.50e-1')).toBe('-1.25');
    expect(expandExponent('1e0')).toBe('1');
    expect(expandExponent('0.0e5')).toBe('0');
    expect(expandExponent('1e999')).toBe('1e999');
    expect(expandExponent('12')).toBe('12');
  });
});

describe('gzip and Parquet', () => {
  it('reads .csv.gz, .jsonl.gz and Parquet (in several row groups) to the records of the plain CSV', async () => {
    const records = sample(1500);
    const csv = csvOf(records);
    const plain = join(folder, 'same.csv');
    await writeFile(plain, csv);
    await writeFile(join(folder, 'same.csv.gz'), gzipSync(csv));
    await writeFile(join(folder, 'same.jsonl.gz'), gzipSync(jsonLinesOf(csv)));
    await writeFile(join(folder, 'same.parquet'), parquetOf(csv, 400));
    const expected = await readAll(plain);
    expect(expected.records).toHaveLength(1500);
    for (const name of ['same.csv.gz', 'same.jsonl.gz', 'same.parquet']) {
      const actual = await readAll(join(folder, name), { batchSize: 1000 });
      expect([name, actual.records]).toEqual([name, expected.records]);
    }
    const batches: number[] = [];
    for await (const batch of readCallLog(join(folder, 'same.parquet'), { batchSize: 150 }))
      batches.push(batch.records.length);
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(1500);
    expect(Math.max(...batches)).toBe(150);
    const groups: number[] = [];
    for await (const slice of streamCallLogFiles(join(folder, 'same.parquet'), { columns: true }))
      groups.push(slice.columns?.length ?? 0);
    expect(groups).toEqual([400, 400, 400, 300, 0]);
    const tally = await tallyCallLog(join(folder, 'same.parquet'));
    expect(tally.bytesRead).toBe(
      (await import('node:fs/promises').then((fs) => fs.stat(join(folder, 'same.parquet')))).size,
    );
  });

  it('reads gzip files of several members and Parquet pages compressed with gzip or Brotli', async () => {
    const records = sample(40);
    const csv = csvOf(records);
    const cut = csv.indexOf('\n', csv.length / 2) + 1;
    const members = join(folder, 'members.csv.gz');
    await writeFile(members, Buffer.concat([gzipSync(csv.slice(0, cut)), gzipSync(csv.slice(cut))]));
    const expected = (await readAll(members)).records;
    expect(expected.map((record) => record.callId)).toEqual(records.map((record) => record.callId));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    for (const codec of ['GZIP', 'BROTLI'] as const) {
      const path = join(folder, `${codec}.parquet`);
      const columnData = CSV_COLUMNS.map((column) => ({
        name: column as string,
        data: rows.map((row) => (row[column] === '' ? null : (row[column] as string))),
        type: 'STRING' as const,
      }));
      await writeFile(
        path,
        new Uint8Array(
          parquetWriteBuffer({
            columnData,
            codec,
            compressors: { GZIP: (input) => gzipSync(input), BROTLI: (input) => brotliCompressSync(input) },
          }),
        ),
      );
      expect([codec, (await readAll(path)).records]).toEqual([codec, expected]);
    }
  });

  it('reads typed Parquet columns, numbers rows from 1 in rejections, and needs the required columns', async () => {
    const path = join(folder, 'typed.parquet');
    const times = [Date.UTC(2025, 10, 19, 8), Date.UTC(2025, 10, 19, 9), Date.UTC(2025, 10, 19, 10)];
    await writeFile(
      path,
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'timestamp', data: times.map((time) => new Date(time)), type: 'TIMESTAMP' },
            { name: 'provider', data: ['openai', 'openai', 'openai'], type: 'STRING' },
            { name: 'model', data: ['gpt-4o', 'gpt-4o', 'gpt-4o'], type: 'STRING' },
            { name: 'input_tokens', data: [10n, -1n, 30n], type: 'INT64' },
            { name: 'output_tokens', data: [1, 2, 3], type: 'INT32' },
            { name: 'cost_usd', data: [0.000123, 0.5, null], type: 'DOUBLE', nullable: true },
            { name: 'cached', data: [true, false, true], type: 'BOOLEAN' },
          ],
        }),
      ),
    );
    const { records, rejections } = await readAll(path);
    expect(
      records.map((record) => [record.timeMs, record.inputTokens, record.costMicros, record.extra]),
    ).toEqual([
      [times[0], 10, 123, { cached: 'true' }],
      [times[2], 30, records[1]?.costMicros, { cached: 'true' }],
    ]);
    expect(rejections).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'input_tokens',
        reason: 'invalid_integer',
        raw: expect.stringContaining(',-1,2,0.5,false'),
      }),
    ]);
    const lacking = join(folder, 'lacking.parquet');
    await writeFile(
      lacking,
      new Uint8Array(
        parquetWriteBuffer({ columnData: [{ name: 'provider', data: ['openai'], type: 'STRING' }] }),
      ),
    );
    await expect(tallyCallLog(lacking)).rejects.toBeInstanceOf(CsvHeaderError);
  });

  it('writes Parquet values as the text the validator reads', () => {
    expect(parquetValueText(null)).toBe('');
    expect(parquetValueText(undefined)).toBe('');
    expect(parquetValueText(1e-7)).toBe('0.0000001');
    expect(parquetValueText(12345678901234567890n)).toBe('12345678901234567890');
    expect(parquetValueText(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)))).toBe('2025-01-02T03:04:05.006Z');
    expect(parquetValueText(new Date(Number.NaN))).toBe('Invalid Date');
    expect(parquetValueText(new TextEncoder().encode('bytes'))).toBe('bytes');
    expect(parquetValueText({ team: 'a', size: 2n, raw: new TextEncoder().encode('x') })).toBe(
      '{"team":"a","size":"2","raw":"x"}',
    );
  });
});
