import fc from 'fast-check';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  abortOpenWriters,
  AtomicFileWriter,
  CallIdSet,
  isSpecialFile,
  StringInterner,
  writeFileAtomic,
  writeFileAtomicSync,
  escapeCsvField,
  fingerprintText,
  formatCsvLine,
} from '../src/index';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-files-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('atomic writes', () => {
  it('replaces a file only on commit', async () => {
    const path = join(folder, 'report.html');
    await writeFile(path, 'old');
    const writer = await AtomicFileWriter.open(path, { bufferBytes: 4 });
    await writer.write('new ');
    await writer.write(Buffer.from('content'));
    expect(await readFile(path, 'utf8')).toBe('old');
    await writer.commit();
    expect(await readFile(path, 'utf8')).toBe('new content');
    expect(writer.bytesWritten).toBe(11);
    expect(await readdir(folder)).toEqual(['report.html']);
    await expect(writer.write('more')).rejects.toThrow('write after commit or abort');
    await expect(writer.commit()).rejects.toThrow('already committed');
  });

  it('leaves the old file and no temporary file on abort', async () => {
    const path = join(folder, 'data.csv');
    await writeFile(path, 'old');
    const writer = await AtomicFileWriter.open(path);
    await writer.write('half a fi');
    await writer.abort();
    await writer.abort();
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(folder)).toEqual(['data.csv']);
  });

  it('removes the temporary files of writers still open, for signal handlers', async () => {
    const writer = await AtomicFileWriter.open(join(folder, 'interrupted.csv'));
    await writer.write('x');
    expect(existsSync(writer.temporaryPath)).toBe(true);
    expect(abortOpenWriters()).toBe(1);
    expect(await readdir(folder)).toEqual([]);
    await writer.abort(); // closes the handle; the file is already gone
  });

  it('writes whole files at once, async and sync, and cleans up on failure', async () => {
    const path = join(folder, 'manifest.json');
    await writeFileAtomic(path, '{"a":1}');
    writeFileAtomicSync(join(folder, 'sync.json'), Buffer.from('{}'));
    expect(await readFile(path, 'utf8')).toBe('{"a":1}');
    expect(await readFile(join(folder, 'sync.json'), 'utf8')).toBe('{}');
    expect(() => writeFileAtomicSync(join(folder, 'missing', 'x.json'), 'x')).toThrow();
    await expect(writeFileAtomic(join(folder, 'missing', 'x.json'), 'x')).rejects.toThrow();
    expect((await readdir(folder)).sort()).toEqual(['manifest.json', 'sync.json']);
  });
});

describe('atomic writes to a device or a pipe', () => {
  it('writes a named pipe in place, for a reader at its other end, and leaves the pipe a pipe', async () => {
    const pipe = join(folder, 'calls.pipe');
    execFileSync('mkfifo', [pipe]);
    expect(isSpecialFile(pipe)).toBe(true);
    const received: Buffer[] = [];
    const reader = new Promise<string>((resolve, reject) => {
      createReadStream(pipe)
        .on('data', (chunk) => received.push(Buffer.from(chunk)))
        .on('end', () => resolve(Buffer.concat(received).toString('utf8')))
        .on('error', reject);
    });
    const writer = await AtomicFileWriter.open(pipe, { bufferBytes: 4 });
    expect(writer.inPlace).toBe(true);
    expect(writer.temporaryPath).toBe(pipe);
    await writer.write('through ');
    await writer.write(Buffer.from('the pipe'));
    await writer.commit();
    expect(await reader).toBe('through the pipe');
    expect(statSync(pipe).isFIFO()).toBe(true);
    expect(await readdir(folder)).toEqual(['calls.pipe']);
  });

  it('never replaces or removes /dev/null, on commit, abort or a signal', async () => {
    writeFileAtomicSync('/dev/null', 'discarded');
    await writeFileAtomic('/dev/null', 'discarded');
    const aborted = await AtomicFileWriter.open('/dev/null');
    await aborted.write('x');
    expect(abortOpenWriters()).toBe(0);
    await aborted.abort();
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect((await readdir('/dev')).filter((name) => name.startsWith('.null.'))).toEqual([]);
  });

  it('treats regular files, folders and missing paths as files to replace', async () => {
    await writeFile(join(folder, 'plain.csv'), 'x');
    expect(isSpecialFile(join(folder, 'plain.csv'))).toBe(false);
    expect(isSpecialFile(folder)).toBe(false);
    expect(isSpecialFile(join(folder, 'missing.csv'))).toBe(false);
  });
});

describe('CallIdSet', () => {
  it('tells new ids from repeated ones over a million ids without a false duplicate', () => {
    const set = new CallIdSet(16);
    for (let index = 0; index < 1_000_000; index++) {
      if (!set.add(`call_20251119080003_${index}`)) throw new Error(`false duplicate at ${index}`);
    }
    expect(set.size).toBe(1_000_000);
    expect(set.add('call_20251119080003_999999')).toBe(false);
    expect(set.add('call_20251119080003_0')).toBe(false);
    expect(set.add('')).toBe(true);
    // 8 bytes a slot at most 70 % full: under 24 bytes an id.
    expect(set.byteSize / set.size).toBeLessThan(24);
  });
});

describe('StringInterner', () => {
  it('returns one shared string per value, read from a part of a text', () => {
    const interner = new StringInterner();
    const row = 'openai,gpt-4o,openai';
    const first = interner.intern(row, 0, 6);
    expect(first).toBe('openai');
    expect(interner.lastId).toBe(0);
    expect(interner.intern(row, 14, 20)).toBe(first);
    expect(interner.lastId).toBe(0);
    expect(interner.intern(row, 7, 13)).toBe('gpt-4o');
    expect(interner.lastId).toBe(1);
    for (let index = 0; index < 500; index++) interner.internString(`cust_${index}`);
    expect(interner.size).toBe(502);
    expect(interner.internString('cust_77')).toBe('cust_77');
    expect(interner.values[interner.lastId]).toBe('cust_77');
  });

  it.each([
    ['without its cache of recent values', { seldomRepeated: true }],
    ['by fingerprint', { seldomRepeated: true, fingerprint: true }],
  ])('keeps seldom repeated values, short and long, the same way %s', (_, options) => {
    const cached = new StringInterner(Number.POSITIVE_INFINITY);
    const direct = new StringInterner(Number.POSITIVE_INFINITY, options);
    const ids = Array.from({ length: 3000 }, (_, index) =>
      index % 3 === 0 ? `trace_${index % 1000}` : `0f8fe3a1-${String(index % 700).padStart(8, '0')}-4c1a`,
    );
    const row = ids.join(',');
    const read = (interner: StringInterner): [string, number][] => {
      let start = 0;
      return ids.map((id) => {
        const value = interner.intern(row, start, start + id.length);
        start += id.length + 1;
        return [value, interner.lastId];
      });
    };
    const expected = read(cached);
    expect(expected.map(([value]) => value)).toEqual(ids);
    expect(read(direct)).toEqual(expected);
    expect(direct.values).toEqual(cached.values);
    expect(new Set(direct.values).size).toBe(direct.size);
  });

  it('gives dense ids in order of first sight and the values as written, through every growth (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 14 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3000 }),
        fc.boolean(),
        fc.boolean(),
        (distinct, picks, seldomRepeated, fingerprint) => {
          const interner = new StringInterner(Number.POSITIVE_INFINITY, { seldomRepeated, fingerprint });
          // Many values (past several growths of the table), each read from inside a longer text.
          const wanted = picks.map(
            (pick, index) => `${distinct[pick % distinct.length]}#${pick % 997}${index % 3}`,
          );
          const firstSeen: string[] = [];
          const idOf = new Map<string, number>();
          for (const value of wanted) {
            const text = `x,${value},y`;
            const kept = interner.intern(text, 2, 2 + value.length);
            if (!idOf.has(value)) {
              idOf.set(value, firstSeen.length);
              firstSeen.push(value);
            }
            expect(kept).toBe(value);
            expect(interner.lastId).toBe(idOf.get(value));
            expect(interner.internId(text, 2, 2 + value.length)).toBe(idOf.get(value));
          }
          expect(interner.values).toEqual(firstSeen);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps a long value as written when its middle falls inside a character outside the BMP', () => {
    const interner = new StringInterner(Number.POSITIVE_INFINITY, { seldomRepeated: true });
    // Every position of the emoji (two UTF-16 code units) in values of 13 to 20 code units.
    const values = Array.from({ length: 8 }, (_, extra) =>
      Array.from({ length: 12 + extra }, (_, at) => `${'é'.repeat(at)}😀${'x'.repeat(11 + extra - at)}`),
    ).flat();
    const text = values.join(',');
    let start = 0;
    values.forEach((value, id) => {
      expect(interner.intern(text, start, start + value.length)).toBe(value);
      expect(interner.lastId).toBe(id);
      start += value.length + 1;
    });
    expect(interner.values).toEqual(values);
  });

  it.each([{}, { fingerprint: true }])('stops keeping new values past its limit (%j)', (options) => {
    const interner = new StringInterner(2, options);
    interner.internString('a');
    interner.internString('b');
    expect(interner.internString('c')).toBe('c');
    expect(interner.lastId).toBe(-1);
    expect(interner.internId('c', 0, 1)).toBe(-1);
    expect(interner.internId('b', 0, 1)).toBe(1);
    expect(interner.size).toBe(2);
  });

  it('finds 100,000 trace ids by fingerprint as by their text, with dense ids in order of first sight', () => {
    const byText = new StringInterner(Number.POSITIVE_INFINITY, { seldomRepeated: true });
    const byFingerprint = new StringInterner(Number.POSITIVE_INFINITY, {
      seldomRepeated: true,
      fingerprint: true,
    });
    // Ids that differ in one or two characters, as numbered and hexadecimal ids do, each read twice.
    const idAt = (index: number): string =>
      index % 2 === 0
        ? `trace_${index}`
        : `4bf92f3577b34da6a3ce929d0e0e${index.toString(16).padStart(6, '0')}`;
    for (const pass of [0, 1]) {
      for (let index = 0; index < 100_000; index++) {
        const id = idAt(pass === 0 ? index : 99_999 - index);
        const expected = byText.internId(id, 0, id.length);
        if (byFingerprint.internId(id, 0, id.length) !== expected) throw new Error(`${id}: another id`);
      }
    }
    expect(byFingerprint.size).toBe(100_000);
    expect(byFingerprint.values).toEqual(byText.values);
  });
});

/**
 * An interner whose fingerprint is three plain features of the value (its
 * length, first and last characters): values that share one or two of them
 * are told apart only if every word of a slot is compared.
 */
class PlainFeatureInterner extends StringInterner {
  constructor() {
    super(Number.POSITIVE_INFINITY, { fingerprint: true });
  }
  protected override fingerprintInto(text: string, start: number, end: number, out: Int32Array): void {
    out[0] = end - start;
    out[1] = end > start ? text.charCodeAt(start) : -1;
    out[2] = end > start ? text.charCodeAt(end - 1) : -1;
  }
}

describe('fingerprintText', () => {
  const fingerprint = (value: string, seed = 0): string[] => {
    const out = new Int32Array(3);
    fingerprintText(value, 0, value.length, out, seed);
    return [...out].map(String);
  };

  it('reads the part of a text it is given, and tells apart values that differ by a trailing NUL', () => {
    const out = new Int32Array(3);
    fingerprintText('x,trace_7,y', 2, 9, out, 5);
    expect([...out].map(String)).toEqual(fingerprint('trace_7', 5));
    expect(fingerprint('a')).not.toEqual(fingerprint('a\u0000'));
    expect(fingerprint('')).not.toEqual(fingerprint('\u0000'));
    expect(fingerprint('ab')).not.toEqual(fingerprint('ba'));
    expect(fingerprint('trace_7', 1)).not.toEqual(fingerprint('trace_7', 2));
  });

  it('gives values that differ in one character three different words, under any seed (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 0xffff }),
        fc.integer(),
        (value, position, change, seed) => {
          const at = position % value.length;
          const other =
            value.slice(0, at) + String.fromCharCode(value.charCodeAt(at) ^ change) + value.slice(at + 1);
          const [a, b] = [value, other].map((text) => fingerprint(text, seed));
          a?.forEach((word, index) => expect(word).not.toBe(b?.[index]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not let two changes of a top bit cancel out, as an odd multiplication alone would (property)', () => {
    // Each change below, on the characters of an odd and a later position, left one word of the
    // fingerprint unchanged for every value when each step only multiplied the state.
    const changes: [number, number][][] = [
      [
        [1, 0x8000],
        [3, 0x8000],
      ],
      [
        [1, 0x8000],
        [3, 0x8001],
      ],
      [
        [1, 0x8000],
        [2, 0x10],
      ],
    ];
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 24 }), fc.integer(), (value, seed) => {
        for (const change of changes) {
          const units = Array.from({ length: value.length }, (_, at) => value.charCodeAt(at));
          for (const [at, bits] of change) units[at] = (units[at] as number) ^ bits;
          const other = String.fromCharCode(...units);
          const [a, b] = [fingerprint(value, seed), fingerprint(other, seed)];
          a.forEach((word, index) => expect(word).not.toBe(b[index]));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives distinct values distinct fingerprints (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 40 }), { minLength: 2, maxLength: 400 }),
        fc.integer(),
        (values, seed) => {
          const fingerprints = values.map((value) => fingerprint(value, seed).join(','));
          expect(new Set(fingerprints).size).toBe(values.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('makes the interner compare every word of a slot, and take the fingerprint for the value', () => {
    const interner = new PlainFeatureInterner();
    // 'ab' and 'ac' share their first two words, 'ab' and 'cb' their first and last; 'axb' and 'ayb' all three.
    const ids = ['ab', 'ac', 'cb', 'ab', 'cb', 'ac', 'axb', 'ayb'].map((value) =>
      interner.internId(value, 0, value.length),
    );
    expect(ids).toEqual([0, 1, 2, 0, 2, 1, 3, 3]);
    expect(interner.values).toEqual(['ab', 'ac', 'cb', 'axb']);
    expect(interner.internString('ayb')).toBe('axb');
  });
});

describe('CSV cells', () => {
  it('quotes only when needed and can neutralise spreadsheet formulas', () => {
    expect(escapeCsvField('plain')).toBe('plain');
    expect(escapeCsvField('a,b')).toBe('"a,b"');
    expect(escapeCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvField('=SUM(A1)', { neutralizeFormulas: true })).toBe("'=SUM(A1)");
    expect(escapeCsvField('-1,5', { neutralizeFormulas: true })).toBe('"\'-1,5"');
    expect(escapeCsvField('=SUM(A1)')).toBe('=SUM(A1)');
    expect(formatCsvLine(['@x', 3, 'y'], { neutralizeFormulas: true })).toBe("'@x,3,y\n");
  });
});
