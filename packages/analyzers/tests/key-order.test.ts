import fc from 'fast-check';
import { GenericGrouping, keyOrder } from '../src/store/generic';
import { MODEL_TASK_COST, SESSION_CELLS } from '../src/store/builtin-groupings';
import { type HistogramData, addToHistogram, mergeHistogram, newHistogram } from '../src/histogram';

describe('keyOrder', () => {
  it('orders cells by their key tuples, equal tuples in their own order, for narrow and wide ids', () => {
    const id = fc.oneof(
      fc.integer({ min: -1, max: 20 }),
      fc.integer({ min: -1, max: 2_000_000 }),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.array(id, { minLength: 3, maxLength: 3 }), { maxLength: 400 }),
        (width, tuples) => {
          const keys = Array.from({ length: width }, (_, dimension) =>
            tuples.map((tuple) => tuple[dimension] as number),
          );
          const expected = tuples
            .map((_, cell) => cell)
            .sort((a, b) => {
              for (const ids of keys) if (ids[a] !== ids[b]) return (ids[a] as number) - (ids[b] as number);
              return a - b;
            });
          expect(Array.from(keyOrder(keys, tuples.length))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('rows appended without a lookup', () => {
  /** Adds `calls` and `cost` to the grouping's cell of `key`, found by lookup or as a new row. */
  function add(grouping: GenericGrouping, key: number[], calls: number, cost: number, byRow: boolean): void {
    const cell = byRow ? grouping.appendRow(key) : grouping.cellOf(key);
    const callsColumn = grouping.measureColumn('calls');
    const costColumn = grouping.measureColumn('cost');
    callsColumn[cell] = (callsColumn[cell] as number) + calls;
    costColumn[cell] = (costColumn[cell] as number) + cost;
  }

  it('hold, once combined, the cells a lookup of every row makes, in the same order, past several combinings', () => {
    const random = seeded(11);
    const byLookup = new GenericGrouping(SESSION_CELLS, {});
    const byRow = new GenericGrouping(SESSION_CELLS, {});
    // Enough rows to be combined several times while they come (every 2¹⁶ rows beyond four times the cells).
    for (let row = 0; row < 200_000; row++) {
      const key = [Math.floor(random() * 2000) - 1, Math.floor(random() * 3), Math.floor(random() * 2)];
      const calls = 1 + Math.floor(random() * 3);
      add(byLookup, key, calls, calls * 17, false);
      add(byRow, key, calls, calls * 17, true);
    }
    expect(byRow.generation).toBeGreaterThanOrEqual(2);
    expect(byRow.columns()).toEqual(byLookup.columns());
  });

  it('hold the cells a lookup makes when a fill hands its rows over in typed arrays, combined in between', () => {
    const random = seeded(13);
    const byLookup = new GenericGrouping(SESSION_CELLS, {});
    const byTyped = new GenericGrouping(SESSION_CELLS, {});
    const held = { keys: [[], [], []] as number[][], calls: [] as number[], cost: [] as number[] };
    const handOver = (): void => {
      byTyped.appendTyped(
        held.calls.length,
        held.keys.map((ids) => Int32Array.from(ids)),
        [Float64Array.from(held.calls), Float64Array.from(held.cost)],
      );
      held.keys.forEach((ids) => (ids.length = 0));
      held.calls.length = held.cost.length = 0;
    };
    // Past several combinings (every 2¹⁸ rows beyond four times the cells), and handed over now and then.
    for (let row = 0; row < 600_000; row++) {
      const key = [Math.floor(random() * 2000) - 1, Math.floor(random() * 3), Math.floor(random() * 2)];
      const calls = 1 + Math.floor(random() * 3);
      add(byLookup, key, calls, calls * 17, false);
      if (byTyped.needsSettling(held.calls.length)) {
        handOver();
        byTyped.settle();
      }
      if (row % 50_000 === 49_999) handOver();
      key.forEach((id, dimension) => held.keys[dimension]?.push(id));
      held.calls.push(calls);
      held.cost.push(calls * 17);
    }
    handOver();
    expect(byTyped.generation).toBeGreaterThanOrEqual(2);
    expect(byTyped.columns()).toEqual(byLookup.columns());
  });

  it('merge another part as rows, combined with this one’s when read, as a lookup of each would', () => {
    const random = seeded(5);
    const parts = [0, 1, 2].map(() => new GenericGrouping(SESSION_CELLS, {}));
    const whole = new GenericGrouping(SESSION_CELLS, {});
    for (const part of parts)
      for (let row = 0; row < 2000; row++) {
        const key = [Math.floor(random() * 300), Math.floor(random() * 4), 0];
        add(part, key, 1, 3, true);
        add(whole, key, 1, 3, false);
      }
    const merged = new GenericGrouping(SESSION_CELLS, {});
    for (const part of parts) merged.merge(part, {}, false);
    expect(merged.columns()).toEqual(whole.columns());
    const canonical = new GenericGrouping(SESSION_CELLS, {});
    canonical.merge(merged, {}, true);
    const sorted = new GenericGrouping(SESSION_CELLS, {});
    sorted.merge(whole, {}, true);
    expect(canonical.columns()).toEqual(sorted.columns());
  });
});

/** A small seeded generator (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the canonical copy of a grouping', () => {
  it('holds its cells in key order, rows of a key combined, by one composite key or, for wider ids, by dimension', () => {
    const narrow = fc.integer({ min: -1, max: 30 });
    const id = fc.oneof(narrow, fc.integer({ min: 0, max: 3_000_000 }));
    const rowOf = (ids: fc.Arbitrary<number>) => fc.tuple(ids, ids, ids, fc.integer({ min: 1, max: 5 }));
    fc.assert(
      fc.property(
        // Narrow ids make one composite key per row; wide ones pass 2³² and are ordered by dimension.
        fc.oneof(fc.array(rowOf(narrow), { maxLength: 300 }), fc.array(rowOf(id), { maxLength: 300 })),
        fc.boolean(),
        (rows, byRow) => {
          const source = new GenericGrouping(SESSION_CELLS, {});
          for (const [session, customer, feature, calls] of rows) {
            const key = [session, customer, feature];
            const cell = byRow ? source.appendRow(key) : source.cellOf(key);
            const column = source.measureColumn('calls');
            column[cell] = (column[cell] as number) + calls;
          }
          // The oracle: sums by key tuple, in the order of the tuples.
          const sums = new Map<string, { key: number[]; calls: number }>();
          for (const [session, customer, feature, calls] of rows) {
            const entry = sums.get(`${session},${customer},${feature}`) ?? {
              key: [session, customer, feature],
              calls: 0,
            };
            entry.calls += calls;
            sums.set(`${session},${customer},${feature}`, entry);
          }
          const expected = [...sums.values()].sort((a, b) => {
            for (let index = 0; index < 3; index++)
              if (a.key[index] !== b.key[index]) return (a.key[index] as number) - (b.key[index] as number);
            return 0;
          });
          const copy = new GenericGrouping(SESSION_CELLS, {});
          copy.merge(source, {}, true);
          const columns = copy.columns();
          expect(columns.size).toBe(expected.length);
          expect(columns.keys.session).toEqual(expected.map((entry) => entry.key[0]));
          expect(columns.keys.customer).toEqual(expected.map((entry) => entry.key[1]));
          expect(columns.keys.feature).toEqual(expected.map((entry) => entry.key[2]));
          expect(columns.measures?.['calls']).toEqual(expected.map((entry) => entry.calls));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a canonical copy of rows with histograms', () => {
  it('combines the rows of a repeated key, histograms merged in row order, as lookups in key order would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.nat(400)), {
          maxLength: 120,
        }),
        (rows) => {
          const histogramOf = (value: number): HistogramData => {
            const histogram = newHistogram(true);
            addToHistogram(histogram, value);
            return histogram;
          };
          // A state handed over with its rows not combined (as a part is): its keys may repeat.
          const source = new GenericGrouping(MODEL_TASK_COST, {});
          source.load({
            name: MODEL_TASK_COST.name,
            keys: [rows.map(([model]) => model), rows.map(([, task]) => task)],
            measures: [],
            histograms: [rows.map(([, , cost]) => histogramOf(cost))],
            repeats: true,
          });
          const expected = new GenericGrouping(MODEL_TASK_COST, {});
          const order = rows
            .map((_, row) => row)
            .sort((a, b) => {
              const [modelA, taskA] = rows[a] as [number, number, number];
              const [modelB, taskB] = rows[b] as [number, number, number];
              return modelA - modelB || taskA - taskB || a - b;
            });
          for (const row of order) {
            const [model, task, cost] = rows[row] as [number, number, number];
            const cell = expected.cellOf([model, task]);
            mergeHistogram(expected.histogramColumn('costPerCall')[cell] as HistogramData, histogramOf(cost));
          }
          const copy = new GenericGrouping(MODEL_TASK_COST, {});
          copy.merge(source, {}, true, true);
          expect(copy.columns()).toEqual(expected.columns());
        },
      ),
      { numRuns: 200 },
    );
  });
});
