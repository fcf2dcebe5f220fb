import fc from 'fast-check';
import { CallLogParser, type CallRecord, defaultCatalog } from '@finops/schema';
import { CostAnalyzer } from '../src';
import {
  ColumnIdMap,
  Cube,
  LOOP_FILLED_GROUPINGS,
  REGION_MODEL,
  TOKENS_CUSTOMER_FEATURE,
  TOKENS_MODEL_TASK,
  type CubeSettings,
} from '../src/internal';
import { isLoopFilled } from '../src/store/loop-fills';
import type { GroupingSpec } from '../src/store/grouping';
import { csvOf, randomLogV2 } from './fixtures';

/** The same declaration under another name: the fused loop does not know it, so the generic path fills it. */
function throughGenericPath(spec: GroupingSpec): GroupingSpec {
  return { ...spec, name: `${spec.name}ThroughGenericPath` };
}

/** The store settings of every analysis, with a generic twin of each loop-filled grouping. */
function settingsWithTwins(config: ConstructorParameters<typeof CostAnalyzer>[0] = {}): CubeSettings {
  const settings = new CostAnalyzer(config).storeSettings();
  return {
    ...settings,
    groupings: [...(settings.groupings ?? []), ...LOOP_FILLED_GROUPINGS.map(throughGenericPath)],
  };
}

/** Asserts that each loop-filled grouping holds exactly the cells its generic twin holds. */
function expectTwinsEqual(cube: Cube): void {
  for (const spec of LOOP_FILLED_GROUPINGS) {
    const fused = cube.genericColumns(spec.name);
    const generic = cube.genericColumns(throughGenericPath(spec).name);
    expect(fused).toEqual(generic);
  }
}

/**
 * Edge rows the token conditions and the ratio bin treat apart (no input, no
 * output, neither, many calls), and session and trace ids that several
 * customers and features share, or that are empty: the fills that remember a
 * cell by id must look the others up.
 */
function edgeRecords(log: readonly CallRecord[]): CallRecord[] {
  return log.slice(0, 40).map((record, index) => ({
    ...record,
    callId: `${record.callId}_edge`,
    inputTokens: index % 4 === 0 ? 0 : record.inputTokens * (index % 3),
    outputTokens: index % 4 === 1 ? 0 : index % 5 === 0 ? 1 : record.outputTokens,
    calls: index % 2 === 0 ? 1 : 3 + index,
    sessionId: index % 5 === 0 ? '' : `sess_shared_${index % 3}`,
    traceId: index % 6 === 0 ? '' : `trace_shared_${index % 4}`,
  }));
}

describe('the fused loop fills the tokens, geography, session, trace and minute groupings', () => {
  it('knows a grouping by its whole declaration, not by its name alone', () => {
    for (const spec of LOOP_FILLED_GROUPINGS) expect(isLoopFilled(spec)).toBe(true);
    expect(isLoopFilled(throughGenericPath(TOKENS_MODEL_TASK))).toBe(false);
    expect(isLoopFilled({ ...REGION_MODEL, filter: 'all' })).toBe(false);
    expect(isLoopFilled({ ...TOKENS_CUSTOMER_FEATURE, measures: ['calls'] })).toBe(false);
  });

  it('fills record by record exactly the cells of the generic path, for any log and settings', () => {
    const log = randomLogV2(600, 9, 5);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 599 }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.integer({ min: 0, max: 599 }),
        (seed, length, ratio, slaCall) => {
          // An SLA equal to some call's latency: the bound itself must count as within.
          const slaMs = log[slaCall]?.latencyMs ?? 1000;
          const records = [...edgeRecords(log), ...log].slice(seed % 100, (seed % 100) + length);
          const cube = new Cube(
            defaultCatalog(),
            settingsWithTwins({
              config: {
                tokens: {
                  inputHeavyRatio: ratio * 2,
                  outputHeavyRatio: ratio / 2,
                  oversizedRatio: ratio * 5,
                },
                geography: { slaMs },
              },
            }),
          );
          cube.addAll(records);
          expectTwinsEqual(cube);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('fills column batches of the parser exactly as the generic path does, and merges into the same cells', () => {
    const log = [...edgeRecords(randomLogV2(900, 12, 8)), ...randomLogV2(900, 12, 8)];
    const settings = settingsWithTwins();
    const parts = [log.slice(0, 300), log.slice(300)].map((records) => {
      const parser = new CallLogParser({ columns: true, source: 'log.csv' });
      parser.push(csvOf(records));
      parser.end();
      const { columns, values, rejections } = parser.takeColumns();
      expect(rejections).toEqual([]);
      const cube = new Cube(defaultCatalog(), settings);
      cube.addColumns(columns, values, new ColumnIdMap());
      expectTwinsEqual(cube);
      return cube;
    });
    const merged = (parts[0] as Cube).merge(parts[1] as Cube);
    // After a merge the pair lookups meet cells the other part made: more rows still land in them.
    merged.addAll(log.slice(0, 200));
    expectTwinsEqual(merged);
    expectTwinsEqual(merged.canonical());
  });
});
