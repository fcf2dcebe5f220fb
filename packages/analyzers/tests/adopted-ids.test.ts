import { CallLogParser, type CallRecord, defaultCatalog } from '@finops/schema';
import { CostAnalyzer } from '../src';
import { ColumnIdMap, Cube } from '../src/internal';
import { csvOf, randomLogV2 } from './fixtures';

/**
 * A log whose trace and session ids repeat across its parts, and are
 * sometimes empty: rows 260–319 repeat the trace ids of rows 200–259, and
 * rows 500–599 those of rows 0–99.
 */
function sharedIdLog(): CallRecord[] {
  return randomLogV2(600, 6, 4).map((record, index) => ({
    ...record,
    traceId: index % 7 === 0 ? '' : `trace_${index >= 260 && index < 320 ? index - 60 : index % 500}`,
    sessionId: `sess_${index % 90}_of_a_long_enough_identifier`,
  }));
}

/** The parser's view of records: what the CSV of them reads back as, records or one column batch. */
function parse(records: readonly CallRecord[]): CallLogParser {
  const parser = new CallLogParser({ source: 'log.csv', columns: false });
  parser.push(csvOf(records));
  parser.end();
  return parser;
}

function columnsOf(records: readonly CallRecord[]) {
  const parser = new CallLogParser({ source: 'log.csv', columns: true, sessionColumns: true });
  parser.push(csvOf(records));
  parser.end();
  const taken = parser.takeColumns();
  expect(taken.rejections).toEqual([]);
  return taken;
}

describe('trace and session ids adopted from the parser', () => {
  it('fills the same cube from column batches as from records, whoever else fills its tables', () => {
    const log = sharedIdLog();
    const settings = new CostAnalyzer().storeSettings();
    const records = parse(log).take().records;
    expect(records).toHaveLength(log.length);
    const fromRecords = new Cube(defaultCatalog(), settings);
    const fromColumns = new Cube(defaultCatalog(), settings);
    // Two parsers (two files) feed one cube, with records added between their batches:
    // the second parser and the records meet ids the cube already has.
    const parts = [
      records.slice(0, 200),
      records.slice(200, 260),
      records.slice(260, 400),
      records.slice(400),
    ];
    const first = new ColumnIdMap();
    const second = new ColumnIdMap();
    const steps: [readonly CallRecord[], ColumnIdMap | undefined][] = [
      [parts[0] as CallRecord[], first],
      [parts[1] as CallRecord[], undefined],
      [parts[2] as CallRecord[], first],
      [parts[3] as CallRecord[], second],
    ];
    let parser = new CallLogParser({ source: 'log.csv', columns: true, sessionColumns: true });
    for (const [part, idMap] of steps) {
      fromRecords.addAll(part);
      if (idMap === undefined) {
        fromColumns.addAll(part);
        continue;
      }
      if (idMap === second)
        parser = new CallLogParser({ source: 'log.csv', columns: true, sessionColumns: true });
      parser.push(csvOf(part));
      const { columns, values } = parser.takeColumns();
      fromColumns.addColumns(columns, values, idMap);
    }
    expect(fromColumns.toData()).toEqual(fromRecords.toData());
    expect(fromColumns.canonical().toData()).toEqual(fromRecords.canonical().toData());
  });

  it('gives a cube filled by one parser the parser ids of every trace and session', () => {
    const log = sharedIdLog();
    const { columns, values } = columnsOf(log);
    const cube = new Cube(defaultCatalog(), new CostAnalyzer().storeSettings());
    cube.addColumns(columns, values, new ColumnIdMap());
    expect(cube.traces.values).toEqual(values[12]);
    expect(cube.sessions.values).toEqual(values[13]);
    const other = new Cube(defaultCatalog(), new CostAnalyzer().storeSettings());
    other.addAll(parse(log).take().records);
    expect(cube.canonical().toData()).toEqual(other.canonical().toData());
  });
});
