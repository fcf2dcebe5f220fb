import { mkdtemp, readFile, writeFile, appendFile, rm, readdir, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import {
  type CallLogBatch,
  CallLogParser,
  CallLogRowError,
  CallLogTail,
  type CallRecord,
  CsvHeaderError,
  V1_COLUMNS as CSV_COLUMNS,
  completeRecord,
  csvHeaderLine,
  formatCsvRecord,
  formatCsvRecords,
  formatCsvLine,
  readCallLog,
  readCallLogFrom,
  type Rejection,
  tallyCallLog,
  writeCallLog,
  CallIdSet,
  DIMENSION_COUNT,
  parseCatalog,
} from '../src/index';
import { anyRecords, sampleRecord, splitAt } from './arbitraries';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-schema-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function collect(
  input: Parameters<typeof readCallLog>[0],
  options: Parameters<typeof readCallLog>[1] = {},
): Promise<{ records: CallRecord[]; rejections: Rejection[]; last: CallLogBatch }> {
  const records: CallRecord[] = [];
  const rejections: Rejection[] = [];
  let last: CallLogBatch | undefined;
  // A version-1 log's records leave the version-2 fields out (their defaults): compare them complete.
  for await (const batch of readCallLog(input, options)) {
    records.push(...batch.records.map(completeRecord));
    rejections.push(...batch.rejections);
    last = batch;
  }
  return { records, rejections, last: last as CallLogBatch };
}

function rowOf(record: CallRecord): string {
  return formatCsvRecord(record).trimEnd();
}

function withField(record: CallRecord, column: (typeof CSV_COLUMNS)[number], value: string): string {
  const cells = parse(formatCsvRecord(record))[0] as string[];
  cells[CSV_COLUMNS.indexOf(column)] = value;
  return formatCsvLine(cells).trimEnd();
}

describe('validation of every kind of bad row', () => {
  it('rejects exactly the bad rows, with line, field, value and reason, and keeps the rest', async () => {
    const good = (id: string, overrides: Partial<CallRecord> = {}): CallRecord =>
      sampleRecord({ callId: id, ...overrides });
    const lines = [
      csvHeaderLine().trimEnd(), // 1
      rowOf(good('ok_1')), // 2
      withField(good('no_customer'), 'customer_id', ''), // 3: unattributed
      withField(good('bad_tokens'), 'input_tokens', '-5'), // 4
      withField(good('bad_output'), 'output_tokens', '12.5'), // 5
      withField(good('bad_latency'), 'latency_ms', 'fast'), // 6
      withField(good('bad_cost'), 'cost_usd', 'NaN'), // 7
      withField(good('bad_cost_negative'), 'cost_usd', '-0.01'), // 8
      withField(good('bad_time'), 'timestamp', '2025-02-30T10:00:00'), // 9
      withField(good('bad_time_2'), 'timestamp', 'yesterday'), // 10
      withField(good('open_plan'), 'subscription_tier', 'gold'), // 11: any plan name
      withField(good('open_env'), 'environment', 'prod'), // 12: any environment
      withField(good('bad_long'), 'user_agent', 'x'.repeat(256)), // 13
      rowOf(good('ok_1')), // 14: duplicate of line 2
      'only,three,fields', // 15
      `${rowOf(good('bad_wide'))},extra`, // 16
      'a,"never closed', // 17
      rowOf(good('ok_2')), // 18
    ];
    const { records, rejections, last } = await collect([lines.join('\n') + '\n']);
    expect(records.map((record) => record.callId)).toEqual([
      'ok_1',
      'no_customer',
      'open_plan',
      'open_env',
      'ok_2',
    ]);
    expect(records[1]?.customerId).toBe('(unattributed)');
    expect(records[2]?.subscriptionTier).toBe('gold');
    expect(records[3]?.environment).toBe('prod');
    expect(rejections.map(({ line, field, reason }) => [line, field, reason])).toEqual([
      [4, 'input_tokens', 'invalid_integer'],
      [5, 'output_tokens', 'invalid_integer'],
      [6, 'latency_ms', 'invalid_integer'],
      [7, 'cost_usd', 'invalid_cost'],
      [8, 'cost_usd', 'invalid_cost'],
      [9, 'timestamp', 'invalid_timestamp'],
      [10, 'timestamp', 'invalid_timestamp'],
      [13, 'user_agent', 'field_too_long'],
      [14, 'call_id', 'duplicate_call_id'],
      [15, 'model', 'missing_field'],
      [16, '', 'malformed_row'],
      [17, '', 'malformed_row'],
    ]);
    expect(rejections[0]?.message).toBe('line 4: input_tokens "-5" is not a non-negative integer');
    expect(rejections[0]?.value).toBe('-5');
    expect(rejections[11]?.raw).toBe('a,"never closed');
    expect(last.tally).toMatchObject({ rowsRead: 17, rowsKept: 5, rowsRejected: 12 });
    expect(last.tally.warningsByKind).toEqual({ unpriced_plan: 1 });
    expect(last.tally.rejectedByReason).toEqual({
      missing_field: 1,
      invalid_integer: 3,
      invalid_cost: 2,
      invalid_timestamp: 2,
      field_too_long: 1,
      duplicate_call_id: 1,
      malformed_row: 2,
    });
  });

  it('keeps plausible but unusual rows with warnings by kind', async () => {
    const lines = [
      csvHeaderLine(),
      formatCsvRecord(sampleRecord({ callId: 'w_tokens', inputTokens: 0, costMicros: 5550 })),
      formatCsvRecord(sampleRecord({ callId: 'w_latency', latencyMs: 45_000 })),
      formatCsvRecord(sampleRecord({ callId: 'w_model', model: 'gpt-9' })),
      formatCsvRecord(sampleRecord({ callId: 'w_price', costMicros: 9_999 })),
      formatCsvRecord(
        sampleRecord({
          callId: 'w_cost',
          inputTokens: 1,
          outputTokens: 1,
          costMicros: 1,
          model: 'gpt-4o-mini',
        }),
      ),
      withField(sampleRecord({ callId: 'w_precision' }), 'cost_usd', '0.00667849') + '\n',
      formatCsvRecord(sampleRecord({ callId: 'clean' })),
    ];
    const { records, last } = await collect([lines.join('')]);
    expect(records).toHaveLength(7);
    expect(last.tally.rowsWarned).toBe(6);
    expect(last.tally.warningsByKind).toEqual({
      tokens_out_of_range: 1,
      latency_out_of_range: 1,
      unknown_model: 1,
      cost_mismatch: 1,
      cost_out_of_range: 1,
      cost_precision: 1,
    });
    expect(records.find((record) => record.callId === 'w_precision')?.costMicros).toBe(6678);
  });
});

describe('reading', () => {
  it('reads any column order, a BOM, CRLF line endings and extra columns', async () => {
    const record = sampleRecord({ callId: 'reordered' });
    const columns = [...CSV_COLUMNS].reverse();
    const cells = parse(formatCsvRecord(record))[0] as string[];
    const header = ['note', ...columns.map((column) => column.toUpperCase())].join(',');
    const row = ['kept aside', ...columns.map((column) => cells[CSV_COLUMNS.indexOf(column)])].join(',');
    const text = `\uFEFF${header}\r\n${row}\r\n`;
    const { records, last } = await collect([Buffer.from(text)]);
    expect(records).toEqual([{ ...completeRecord(record), extra: { note: 'kept aside' } }]);
    expect(last.layout.extras).toEqual([{ name: 'note', position: 0 }]);
    expect(last.tally.bytesRead).toBe(Buffer.byteLength(text));
  });

  it('reads a last line without a line break', async () => {
    const text = csvHeaderLine() + rowOf(sampleRecord({ callId: 'no_newline' }));
    const { records } = await collect([text]);
    expect(records.map((record) => record.callId)).toEqual(['no_newline']);
  });

  it('names the missing columns of a bad header', async () => {
    const error = await collect(['timestamp,call_id,cost\n1,2,3\n']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsvHeaderError);
    expect((error as CsvHeaderError).missing).toContain('provider');
    expect((error as CsvHeaderError).missing).not.toContain('call_id');
    expect((error as Error).message).toContain(
      'required: timestamp, provider, model, input_tokens, output_tokens',
    );
    expect((error as Error).message).toContain('found:    timestamp, call_id, cost');
    await expect(collect([''])).rejects.toThrow('the file is empty');
    await expect(collect([`${csvHeaderLine().trimEnd()},call_id\n`])).rejects.toThrow(
      'names the column call_id twice',
    );
  });

  it('stops at the first bad row in strict mode', async () => {
    const text =
      csvHeaderLine() + rowOf(sampleRecord()) + '\n' + withField(sampleRecord(), 'latency_ms', '-1') + '\n';
    const error = await collect([text], { strict: true, source: 'calls.csv' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CallLogRowError);
    expect((error as Error).message).toBe(
      'calls.csv:3: latency_ms "-1" is not a non-negative integer (invalid_integer)',
    );
  });

  it('writes rejected rows untouched to a quarantine file, atomically', async () => {
    const bad = withField(sampleRecord(), 'input_tokens', 'qa,"lab"');
    const text = csvHeaderLine() + rowOf(sampleRecord()) + '\n' + bad + '\n' + 'x,"open\n';
    const path = join(folder, 'quarantine.csv');
    await collect([text], { quarantine: path });
    const rows = parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      expect.objectContaining({ line: '3', field: 'input_tokens', reason: 'invalid_integer', raw: bad }),
      expect.objectContaining({ line: '4', field: '', reason: 'malformed_row', raw: 'x,"open' }),
    ]);
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('counts rows the same whatever the chunking, and reads from a file path', async () => {
    const records = [sampleRecord(), sampleRecord({ userAgent: 'SDK "x", é\nnext' }), sampleRecord()];
    const text = csvHeaderLine() + formatCsvRecords(records) + '\n';
    const path = join(folder, 'small.csv');
    await writeFile(path, text);
    const fromFile = await collect(path, { chunkBytes: 7, batchSize: 1 });
    expect(fromFile.records).toEqual(records);
    expect(fromFile.last.tally).toMatchObject({ rowsRead: 3, rowsKept: 3, blankLines: 1 });
    expect(await tallyCallLog(path)).toEqual(fromFile.last.tally);
  });
});

describe('round trip and chunking (property)', () => {
  it('reads back exactly what was written, in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyRecords(),
        fc.array(fc.nat({ max: 4000 }), { maxLength: 8 }),
        async (records, cuts) => {
          const bytes = Buffer.from(csvHeaderLine() + formatCsvRecords(records));
          const pieces = splitAt(bytes, cuts);
          const { records: read, last } = await collect(pieces, { batchSize: 3 });
          expect(read).toEqual(records);
          expect(last.tally.rowsRead).toBe(records.length);
          expect(last.tally.bytesRead).toBe(bytes.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads back a written file', async () => {
    await fc.assert(
      fc.asyncProperty(anyRecords(10), async (records) => {
        const path = join(folder, 'round-trip.csv');
        const summary = await writeCallLog(path, [records.slice(0, 3), records.slice(3)]);
        expect(summary.rows).toBe(records.length);
        const { records: read } = await collect(path);
        expect(read).toEqual(records);
      }),
      { numRuns: 30 },
    );
  });
});

describe('reading from an offset', () => {
  it('reads up to the last complete line and resumes there', async () => {
    const path = join(folder, 'growing.csv');
    const first = sampleRecord({ callId: 'g1' });
    const second = sampleRecord({ callId: 'g2', userAgent: 'multi\nline' });
    const secondText = formatCsvRecord(second);
    await writeFile(path, csvHeaderLine() + formatCsvRecord(first) + secondText.slice(0, 30));
    const callIds = new CallIdSet();
    const start = await readCallLogFrom(path, { offset: 0, callIds });
    expect(start.records.map((record) => record.callId)).toEqual(['g1']);
    expect(start.nextOffset).toBe(Buffer.byteLength(csvHeaderLine() + formatCsvRecord(first)));
    await appendFile(path, secondText.slice(30));
    const next = await readCallLogFrom(path, {
      offset: start.nextOffset,
      layout: start.layout,
      firstLine: start.nextLine,
      callIds,
    });
    expect(next.records.map(completeRecord)).toEqual([second]);
    expect(next.bytesRead).toBe(Buffer.byteLength(secondText));
    expect(next.nextLine).toBe(5);
    const again = await readCallLogFrom(path, { offset: next.nextOffset, layout: start.layout, callIds });
    expect(again.records).toEqual([]);
    expect(again.bytesRead).toBe(0);
  });

  it('follows a growing file and starts over when it is replaced or truncated', async () => {
    const path = join(folder, 'tail.csv');
    await writeFile(path, csvHeaderLine() + formatCsvRecord(sampleRecord({ callId: 't1' })));
    const tail = new CallLogTail(path);
    const first = await tail.poll();
    expect(first.kind).toBe('append');
    expect(first.records.map((record) => record.callId)).toEqual(['t1']);
    expect((await tail.poll()).kind).toBe('none');
    const appended = formatCsvRecord(sampleRecord({ callId: 't2' }));
    await appendFile(path, appended + rowOf(sampleRecord({ callId: 't3' })).slice(0, 10));
    const growth = await tail.poll();
    expect(growth.records.map((record) => record.callId)).toEqual(['t2']);
    expect(tail.tally?.rowsKept).toBe(2);
    const replacement = join(folder, 'tail-new.csv');
    await writeFile(replacement, csvHeaderLine() + formatCsvRecord(sampleRecord({ callId: 'r1' })));
    await rename(replacement, path);
    const reset = await tail.poll();
    expect(reset.kind).toBe('reset');
    expect(reset.records.map((record) => record.callId)).toEqual(['r1']);
    expect(tail.tally?.rowsKept).toBe(1);
  });

  it('starts over when the file is rewritten in place and regrows past the offset between polls', async () => {
    const path = join(folder, 'rewritten.csv');
    await writeFile(path, csvHeaderLine() + formatCsvRecord(sampleRecord({ callId: 'old1' })));
    const tail = new CallLogTail(path);
    await tail.poll();
    const { ino } = await stat(path);
    // Same inode, new content, longer than before: only the bytes before the offset tell.
    await writeFile(
      path,
      csvHeaderLine() +
        formatCsvRecord(sampleRecord({ callId: 'new1', customerId: 'cust_9999' })) +
        formatCsvRecord(sampleRecord({ callId: 'new2' })),
    );
    expect((await stat(path)).ino).toBe(ino);
    const update = await tail.poll();
    expect(update.kind).toBe('reset');
    expect(update.rejections).toEqual([]);
    expect(update.records.map((record) => record.callId)).toEqual(['new1', 'new2']);
    expect(tail.tally?.rowsRead).toBe(2);
  });

  it('rejects a duplicate call id across successive reads', () => {
    const parser = new CallLogParser();
    const record = sampleRecord({ callId: 'dup' });
    parser.push(csvHeaderLine() + formatCsvRecord(record));
    parser.push(formatCsvRecord(record));
    parser.end();
    expect(parser.take().rejections.map((rejection) => rejection.reason)).toEqual(['duplicate_call_id']);
  });
});

describe('columns', () => {
  it('holds the same calls as the records, without record objects (property)', async () => {
    await fc.assert(
      fc.asyncProperty(anyRecords(20), fc.nat({ max: 3000 }), async (records, cut) => {
        const bytes = Buffer.from(csvHeaderLine() + formatCsvRecords(records) + 'broken,"row\n');
        const byRecords = new CallLogParser();
        // Trace and session ids come in the batches only when asked for; else they read as ''.
        const sessions = cut % 2 === 0;
        const byColumns = new CallLogParser({ columns: true, sessionColumns: sessions });
        for (const piece of splitAt(bytes, [cut])) {
          byRecords.push(piece);
          byColumns.push(piece);
        }
        byRecords.end();
        byColumns.end();
        const expected = byRecords.take();
        const { columns, rejections, values } = byColumns.takeColumns();
        expect(columns.length).toBe(expected.records.length);
        expect(rejections).toEqual(expected.rejections);
        expect(byColumns.tally).toEqual(byRecords.tally);
        expected.records.map(completeRecord).forEach((record, index) => {
          const ids = Array.from(
            columns.ids.subarray(index * DIMENSION_COUNT, (index + 1) * DIMENSION_COUNT),
          );
          const dimensions = ids.map((id, dimension) => values[dimension]?.[id]);
          expect(dimensions).toEqual([
            record.provider,
            record.model,
            record.customerId,
            record.organizationId,
            record.productId,
            record.featureId,
            record.taskType,
            record.subscriptionTier,
            record.environment,
            record.region,
            record.errorType,
            record.serviceTier,
            sessions ? record.traceId : '',
            sessions ? record.sessionId : '',
          ]);
          expect([
            columns.timeMs[index],
            columns.inputTokens[index],
            columns.outputTokens[index],
            columns.costMicros[index],
            columns.latencyMs[index],
            columns.calls[index],
          ]).toEqual([
            record.timeMs,
            record.inputTokens,
            record.outputTokens,
            record.costMicros,
            record.latencyMs,
            record.calls,
          ]);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('prices a model sold by two providers at the rate of each, rows of both in turn', () => {
    // openai's gpt-4o at a negotiated 2 / 8 per million tokens; azure's stays at the list 2.5 / 10.
    const catalog = parseCatalog({
      extends: 'builtin',
      providers: { openai: { models: { 'gpt-4o-2024-08-06': { inputPerMtok: '2', outputPerMtok: '8' } } } },
    });
    const providers = ['openai', 'azure.ai.openai', 'azure.ai.openai', 'openai', 'openai', 'azure.ai.openai'];
    const text =
      'timestamp,provider,model,input_tokens,output_tokens\n' +
      providers
        .map((provider, index) => `2025-11-0${index + 1}T10:00:00Z,${provider},gpt-4o,1000,1000\n`)
        .join('');
    const byColumns = new CallLogParser({ catalog, columns: true });
    const byRecords = new CallLogParser({ catalog });
    byColumns.push(text);
    byRecords.push(text);
    const expected = providers.map((provider) => (provider === 'openai' ? 10_000 : 12_500));
    const { columns } = byColumns.takeColumns();
    expect(Array.from(columns.costMicros.subarray(0, columns.length))).toEqual(expected);
    expect(Array.from(columns.costSource.subarray(0, columns.length))).toEqual(providers.map(() => 1));
    expect(byRecords.take().records.map((record) => record.costMicros)).toEqual(expected);
  });

  it('grows past its first capacity and refuses takeColumns without the option', () => {
    const parser = new CallLogParser({ columns: true });
    parser.push(csvHeaderLine());
    for (let index = 0; index < 5000; index++) parser.push(formatCsvRecord(sampleRecord()));
    expect(parser.takeColumns().columns.length).toBe(5000);
    expect(parser.takeColumns().columns.length).toBe(0);
    expect(() => new CallLogParser().takeColumns()).toThrow('needs the columns option');
  });
});
