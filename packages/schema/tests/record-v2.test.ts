import fc from 'fast-check';
import {
  CallLogParser,
  type CallRecord,
  completeRecord,
  ColumnMappingError,
  CSV_COLUMNS,
  csvHeaderLine,
  formatCsvRecords,
  parseCatalog,
  parseColumnMapping,
  readCallLog,
  type Rejection,
  type ReadTally,
  UNATTRIBUTED,
} from '../src/index';
import { anyRecordV2, splitAt } from './arbitraries';

async function readText(
  text: string,
  options: Parameters<typeof readCallLog>[1] = {},
): Promise<{ records: CallRecord[]; rejections: Rejection[]; tally: ReadTally }> {
  const records: CallRecord[] = [];
  const rejections: Rejection[] = [];
  let tally: ReadTally | undefined;
  for await (const batch of readCallLog([text], options)) {
    records.push(...batch.records);
    rejections.push(...batch.rejections);
    tally = batch.tally;
  }
  return { records, rejections, tally: tally as ReadTally };
}

// $2.50 per million input tokens, $0.25 per million cache reads, $10 per million output tokens.
const catalog = parseCatalog({
  providers: {
    openai: {
      share: 1,
      models: { 'gpt-4o': { input: 0.0025, output: 0.01, class: 'standard', latencyFactor: 1 } },
    },
  },
});

describe('a log of the required columns only', () => {
  const text = [
    'timestamp,provider,model,input_tokens,output_tokens',
    '2026-03-01T10:00:00Z,openai,gpt-4o,1000,200',
    '2026-03-01T11:00:00Z,openai,gpt-4o,3,1',
    '2026-03-01T12:00:00Z,acme,mystery-1,500,50',
  ].join('\n');

  it('prices each call from the catalog, exactly, and leaves the rest unknown', async () => {
    const { records, tally } = await readText(text, { catalog });
    // The log gives none of the version-2 columns: its records leave them out, at their defaults.
    expect(records[0]?.calls).toBeUndefined();
    // 1000 × $2.50/M + 200 × $10/M = $0.0025 + $0.002 = $0.0045.
    expect(completeRecord(records[0] as CallRecord)).toMatchObject({
      costMicros: 4500,
      costSource: 'catalog',
      callId: '',
      latencyMs: null,
      customerId: UNATTRIBUTED,
      subscriptionTier: UNATTRIBUTED,
      environment: UNATTRIBUTED,
      calls: 1,
      status: 'success',
    });
    // 3 × 2.5 + 1 × 10 = 17.5 micro-dollars, rounded half up to 18.
    expect(records[1]?.costMicros).toBe(18);
    expect(records[2]).toMatchObject({ costMicros: 0, costSource: 'unpriced' });
    expect(tally.coverage).toEqual({
      rowsReported: 0,
      rowsPriced: 2,
      rowsUnpriced: 1,
      unpricedTokens: 550,
      rowsWithoutCallId: 3,
      rowsWithoutLatency: 3,
      reportedCostMicros: 0,
      reportedListMicros: 0,
    });
    expect(tally.warningsByKind.unpriced_model).toBe(1);
  });

  it('fills column batches with the same figures, latency unknown as NaN', () => {
    const parser = new CallLogParser({ catalog, columns: true });
    parser.push(text + '\n');
    parser.end();
    const { columns } = parser.takeColumns();
    expect(Array.from(columns.costMicros.subarray(0, 3))).toEqual([4500, 18, 0]);
    expect(Array.from(columns.costSource.subarray(0, 3))).toEqual([1, 1, 2]);
    expect(Number.isNaN(columns.latencyMs[0])).toBe(true);
  });
});

describe('the version-2 columns', () => {
  const header =
    'timestamp,call_id,provider,model,input_tokens,output_tokens,cost_usd,cached_input_tokens,cache_write_input_tokens,reasoning_tokens,status,calls,tags';
  const row = (fields: string): string => `2026-03-01T10:00:00Z,${fields}`;

  it('rejects subsets larger than their totals, bad weights, statuses and tags, with line and field', async () => {
    const text = [
      header,
      row('a,openai,gpt-4o,100,50,,40,20,10,success,1,'),
      row('b,openai,gpt-4o,100,50,,80,30,0,,,'),
      row('c,openai,gpt-4o,100,50,,0,0,60,,,'),
      row('d,openai,gpt-4o,100,50,,,,,,0,'),
      row('e,openai,gpt-4o,100,50,,,,,failed,,'),
      row('f,openai,gpt-4o,100,50,,,,,,,"[1,2]"'),
      row('g,openai,gpt-4o,100,50,0.5,,,,error,12,"{""team"":""x""}"'),
    ].join('\n');
    const { records, rejections } = await readText(text, { catalog });
    expect(records.map((record) => record.callId)).toEqual(['a', 'g']);
    expect(records[1]).toMatchObject({
      status: 'error',
      calls: 12,
      costMicros: 500_000,
      tags: '{"team":"x"}',
    });
    expect(rejections.map(({ line, field, reason }) => [line, field, reason])).toEqual([
      [3, 'cache_write_input_tokens', 'invalid_subset'],
      [4, 'reasoning_tokens', 'invalid_subset'],
      [5, 'calls', 'invalid_weight'],
      [6, 'status', 'invalid_status'],
      [7, 'tags', 'invalid_tags'],
    ]);
    expect(rejections[0]?.message).toBe(
      'line 3: cache_write_input_tokens "30" makes cache reads and writes (110) exceed input_tokens (100), which include them',
    );
  });

  it('keeps a reported cost as reported and sums the gap to the list price', async () => {
    const text = [header, row('a,openai,gpt-4o,1000,200,0.004,,,,,,')].join('\n');
    const { records, tally } = await readText(text, { catalog });
    expect(records[0]).toMatchObject({ costMicros: 4000, costSource: 'reported' });
    expect(tally.coverage).toMatchObject({
      rowsReported: 1,
      reportedCostMicros: 4000,
      reportedListMicros: 4500,
    });
  });

  it('keeps rows without a call id and detects duplicates among the others', async () => {
    const text = [
      header,
      row(',openai,gpt-4o,1,1,,,,,,,'),
      row(',openai,gpt-4o,1,1,,,,,,,'),
      row('x,openai,gpt-4o,1,1,,,,,,,'),
      row('x,openai,gpt-4o,1,1,,,,,,,'),
    ].join('\n');
    const { records, rejections, tally } = await readText(text, { catalog });
    expect(records).toHaveLength(3);
    expect(rejections.map((rejection) => rejection.reason)).toEqual(['duplicate_call_id']);
    expect(tally.coverage.rowsWithoutCallId).toBe(2);
  });

  it('reads back every column exactly as written, in any chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(anyRecordV2, { maxLength: 15, selector: (record) => record.callId }),
        fc.nat({ max: 4000 }),
        async (records, cut) => {
          const bytes = Buffer.from(
            csvHeaderLine([], CSV_COLUMNS) + formatCsvRecords(records, [], CSV_COLUMNS),
          );
          const read: CallRecord[] = [];
          for await (const batch of readCallLog(splitAt(bytes, [cut]))) read.push(...batch.records);
          expect(read).toEqual(records);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('column mapping', () => {
  it('reads a log whose headers differ, by the names the mapping gives', async () => {
    const mapping = parseColumnMapping([
      'customer_id=end_user,timestamp=startTime',
      'input_tokens=prompt_tokens',
    ]);
    const text = [
      'startTime,provider,model,prompt_tokens,output_tokens,end_user',
      '2026-03-01T10:00:00Z,openai,gpt-4o,10,5,acme',
    ].join('\n');
    const { records } = await readText(text, { catalog, mapping });
    expect(records[0]).toMatchObject({ customerId: 'acme', inputTokens: 10, costMicros: 75 });
  });

  it('names every bad pair', () => {
    expect(() => parseColumnMapping(['customer=end_user', 'model=', 'model=a', 'model=b'])).toThrow(
      ColumnMappingError,
    );
    try {
      parseColumnMapping(['customer=end_user', 'model=', 'provider=a', 'provider=b']);
    } catch (error) {
      expect((error as ColumnMappingError).issues).toEqual([
        expect.stringContaining('customer is not a column of the record'),
        expect.stringContaining("expected model=<the log's column name>"),
        expect.stringContaining('provider is mapped twice'),
      ]);
    }
  });
});

describe('warnings of failed calls', () => {
  it('takes no output and a tiny cost as normal for a failed call, not for a successful one', async () => {
    const text = [
      'timestamp,call_id,provider,model,input_tokens,output_tokens,cost_usd,status',
      '2026-03-01T10:00:00Z,a,openai,gpt-4o,2,0,0.000005,error',
      '2026-03-01T10:00:01Z,b,openai,gpt-4o,2,0,0.000005,success',
    ].join('\n');
    const { records, tally } = await readText(text, { catalog });
    expect(records).toHaveLength(2);
    expect(tally.rowsWarned).toBe(1);
    expect(tally.warningsByKind).toEqual({ tokens_out_of_range: 1, cost_out_of_range: 1 });
  });
});
