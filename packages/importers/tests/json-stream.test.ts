import { streamJsonElements, type StreamedElement, type StreamedLayout } from '../src';
import { temporaryFile } from './helpers';

async function elements(text: string, chunkBytes: number) {
  const file = temporaryFile('doc.json', text);
  const found: StreamedElement[] = [];
  let layout: StreamedLayout | undefined;
  for await (const element of streamJsonElements(file, (seen) => (layout = seen), chunkBytes))
    found.push(element);
  return { found, layout };
}

const records = [
  { id: 'a "quoted" \\ name', nested: [1, [2, { deep: ']' }]], text: 'comma, brace } bracket ]' },
  'a string element',
  42,
  null,
  { emoji: 'café ☕', empty: {} },
];

describe('streaming a JSON document', () => {
  it.each([1, 3, 7, 64, 1 << 16])(
    'splits the records of an array in any chunking (%i bytes)',
    async (chunkBytes) => {
      const { found, layout } = await elements(JSON.stringify(records, null, 2), chunkBytes);
      expect(layout).toBe('array');
      expect(found.map((element) => ('value' in element ? element.value : element.problem))).toEqual(records);
      expect(found.map((element) => element.index)).toEqual([0, 1, 2, 3, 4]);
    },
  );

  it('finds the data array of a page, passing over the other keys, with each record’s first line', async () => {
    const page = `{\n "meta": {"data": [9], "note": "data"},\n "data": [\n  {"n": 1},\n  {"n": 2}\n ],\n "total": 2\n}`;
    const { found, layout } = await elements(page, 5);
    expect(layout).toBe('data');
    expect(found).toEqual([
      { index: 0, line: 4, value: { n: 1 } },
      { index: 1, line: 5, value: { n: 2 } },
    ]);
  });

  it('reports a broken record and goes on; refuses documents without a record array', async () => {
    const { found } = await elements('[{"a": 1}, {"b": tru}, {"c": 3}]', 4);
    expect(found.map((element) => ('problem' in element ? 'problem' : 'value'))).toEqual([
      'value',
      'problem',
      'value',
    ]);
    await expect(elements('{"rows": [1, 2]}', 4)).rejects.toThrow(/without a "data" array/);
    await expect(elements('"just text"', 4)).rejects.toThrow(/not an array or an object/);
    await expect(elements('[1, 2', 4)).rejects.toThrow(/ends inside its array/);
  });
});
