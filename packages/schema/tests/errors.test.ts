import {
  CallLogRowError,
  CallLogSourceError,
  CatalogError,
  ColumnMappingError,
  CsvHeaderError,
  CustomersFileError,
  FinopsError,
  deserializeError,
  isFinopsError,
  serializeError,
} from '../src/index';

describe('errors', () => {
  it('every error of the schema is a FinopsError with a stable code', () => {
    const rejection = {
      line: 3,
      field: 'x',
      value: '',
      reason: 'missing_field' as const,
      message: 'line 3: x',
      raw: '',
    };
    const errors: [FinopsError, string, string][] = [
      [new CsvHeaderError('a.csv', ['model'], []), 'invalid_header', 'CsvHeaderError'],
      [new ColumnMappingError(['bad']), 'invalid_mapping', 'ColumnMappingError'],
      [new CustomersFileError('c.csv', ['bad']), 'invalid_customers_file', 'CustomersFileError'],
      [new CallLogSourceError('unknown_container', 'f', 'why'), 'unknown_container', 'CallLogSourceError'],
      [new CallLogRowError('a.csv', rejection), 'rejected_row', 'CallLogRowError'],
      [new CatalogError('rates.json', ['bad']), 'invalid_catalog', 'CatalogError'],
    ];
    for (const [error, code, name] of errors) {
      expect(isFinopsError(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
      expect([error.code, error.name]).toEqual([code, name]);
    }
    expect(isFinopsError(new Error('plain'))).toBe(false);
  });

  it('crosses a thread boundary as data and keeps its code, name and message', () => {
    const original = new CsvHeaderError('a.csv', ['model'], ['x']);
    const back = deserializeError(JSON.parse(JSON.stringify(serializeError(original))));
    expect(back).toBeInstanceOf(FinopsError);
    expect([(back as FinopsError).code, back.name, back.message]).toEqual([
      'invalid_header',
      'CsvHeaderError',
      original.message,
    ]);
    const plain = deserializeError(serializeError(new TypeError('no')));
    expect(plain).not.toBeInstanceOf(FinopsError);
    expect([plain.name, plain.message]).toEqual(['TypeError', 'no']);
    expect(serializeError('text')).toEqual({ name: 'Error', message: 'text' });
  });
});
