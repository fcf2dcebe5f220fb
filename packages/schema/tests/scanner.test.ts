import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { CsvScanner, formatCsvLine } from '../src/index';
import { anyField } from './arbitraries';

interface ScannedRow {
  fields: string[];
  line: number;
  raw: string;
}

function scanAll(
  text: string,
  options: { generalPathOnly?: boolean } = {},
): { rows: ScannedRow[]; malformed: string[] } {
  const scanner = new CsvScanner(options);
  const rows: ScannedRow[] = [];
  const malformed: string[] = [];
  scanner.scan(
    text,
    0,
    true,
    (fieldText, starts, ends, count, line, rawStart, rawEnd, source) => {
      const fields: string[] = [];
      for (let index = 0; index < count; index++) fields.push(fieldText.slice(starts[index], ends[index]));
      rows.push({ fields, line, raw: source.slice(rawStart, rawEnd) });
    },
    (line, why) => malformed.push(`${line}: ${why}`),
  );
  return { rows, malformed };
}

const rowsArbitrary = fc.array(fc.array(anyField, { minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 12,
});

describe('CsvScanner', () => {
  it('agrees with csv-parse on any RFC 4180 text (fast and general paths)', () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.boolean(), (rows, crlf) => {
        let text = rows.map((row) => formatCsvLine(row)).join('');
        if (crlf) text = text.replace(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\r\n');
        const expected = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
        expect(scanAll(text).rows.map((row) => row.fields)).toEqual(expected);
        expect(scanAll(text, { generalPathOnly: true }).rows.map((row) => row.fields)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same fields on both paths for unquoted lines', () => {
    const plainField = fc.string({
      minLength: 0,
      maxLength: 12,
      unit: fc.constantFrom('a', 'b', ' ', '1', '.', 'é', '\t'),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(plainField, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 10 }),
        (rows) => {
          const text = rows.map((row) => `${row.join(',')}\n`).join('');
          const fast = scanAll(text);
          const general = scanAll(text, { generalPathOnly: true });
          expect(general).toEqual(fast);
          expect(fast.rows.map((row) => row.fields)).toEqual(parse(text, { relax_column_count: true }));
        },
      ),
    );
  });

  it('numbers lines physically and reports the first line of a multi-line row', () => {
    const text = 'a,b\n"x\ny",z\n\nlast,row';
    const { rows } = scanAll(text);
    expect(rows).toEqual([
      { fields: ['a', 'b'], line: 1, raw: 'a,b' },
      { fields: ['x\ny', 'z'], line: 2, raw: '"x\ny",z' },
      { fields: ['last', 'row'], line: 5, raw: 'last,row' },
    ]);
  });

  it('reports malformed rows and carries on with the next line', () => {
    const text = 'a,"open\nb,c\nd"e,f\n"q"x,1\ng,h\n';
    const { rows, malformed } = scanAll(text);
    // The quote opened on line 1 closes at `d"` on line 3, where text follows it.
    expect(malformed).toEqual([
      '1: has text after the closing quote of a field',
      '3: has a quote inside a field that does not start with one',
      '4: has text after the closing quote of a field',
    ]);
    expect(rows.map((row) => row.fields)).toEqual([
      ['b', 'c'],
      ['g', 'h'],
    ]);
  });

  it('stops before an unfinished row and resumes when more text comes', () => {
    const scanner = new CsvScanner();
    const seen: string[] = [];
    const onRow = (fieldText: string, starts: Int32Array, ends: Int32Array, count: number): void => {
      const fields: string[] = [];
      for (let index = 0; index < count; index++) fields.push(fieldText.slice(starts[index], ends[index]));
      seen.push(fields.join('|'));
    };
    const first = 'a,b\n"multi\n';
    const consumed = scanner.scan(first, 0, false, onRow, () => undefined);
    expect(consumed).toBe(4);
    expect(seen).toEqual(['a|b']);
    const rest = first.slice(consumed) + 'line",c\n';
    expect(scanner.scan(rest, 0, false, onRow, () => undefined)).toBe(rest.length);
    expect(seen).toEqual(['a|b', 'multi\nline|c']);
    expect(scanner.line).toBe(4);
  });

  it('gives up on a quote left open for longer than the row limit', () => {
    const scanner = new CsvScanner({ maxRowChars: 16 });
    const malformed: number[] = [];
    const text = `"${'x'.repeat(20)}\nnext,row\n`;
    const consumed = scanner.scan(
      text,
      0,
      false,
      () => undefined,
      (line) => malformed.push(line),
    );
    expect(malformed).toEqual([1]);
    expect(consumed).toBe(text.length);
  });
});
