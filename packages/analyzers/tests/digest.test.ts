/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { type CallRecord, FinopsError } from '@finops/schema';
import {
  ANALYSIS_REGISTRY,
  CostAnalyzer,
  FEATURES,
  SESSIONS_DIGEST,
  type SessionsDigest,
  defineAnalysis,
  defineDigest,
  grouping,
} from '../src';
import { CUSTOMER_DAY, Cube, SESSION_CELLS, TRACE_CELLS, digestGroupings, digestsOf } from '../src/internal';
import { randomLogV2 } from './fixtures';

/** A random log whose sessions and traces span several calls, with ties on cost and ids beyond ASCII. */
function sessionLog(count: number, seed: number): CallRecord[] {
  const ids = ['a', 'é', '\u{1F600}', '\uFF21', 'z', ''];
  return randomLogV2(count, 9, seed).map((record, index) => ({
    ...record,
    costMicros: index % 3 === 0 ? 1_000 : record.costMicros,
    sessionId: index % 29 === 0 ? '' : `${ids[index % ids.length]}_${index % 31}`,
    traceId: index % 23 === 0 ? '' : `${ids[(index + 2) % ids.length]}${index % 47}`,
  }));
}

function analyzerOf(records: readonly CallRecord[], options: ConstructorParameters<typeof CostAnalyzer>[0]) {
  const analyzer = new CostAnalyzer(options);
  analyzer.addRecords(records);
  return analyzer;
}

const PER_CUSTOMER_MINUTE = grouping({
  name: 'perCustomerMinute',
  dimensions: ['customer', 'minute'],
  measures: ['calls'],
});

/** A digest of a grouping no analysis declares itself: the busiest customer-minute's calls. */
const BUSIEST_MINUTE = defineDigest<{ calls: number; computed: number }>({
  name: 'busiestMinute',
  groupings: [PER_CUSTOMER_MINUTE],
  compute: (aggregates) => {
    const calls = aggregates.grouping(PER_CUSTOMER_MINUTE.name).measure('calls');
    computed++;
    return { calls: Math.max(0, ...calls), computed };
  },
});
let computed = 0;

/** An analysis that reads the digest twice. */
const BUSY = defineAnalysis<'busy', object, { first: number; second: number; times: number }>({
  name: 'busy',
  title: 'Busiest minute',
  category: 'finops',
  purpose: 'Which customer-minute had the most calls, read twice through one digest.',
  settings: {},
  groupings: [CUSTOMER_DAY],
  digests: [BUSIEST_MINUTE],
  finish: (context) => {
    const first = context.digest(BUSIEST_MINUTE);
    const second = context.digest(BUSIEST_MINUTE);
    return { first: first.calls, second: second.calls, times: second.computed - first.computed };
  },
  document: () => {
    throw new Error('not rendered here');
  },
});

describe('digests', () => {
  const records = sessionLog(900, 3);

  it('are computed once per finish from the groupings they declare, filled as if the analysis declared them', () => {
    const registry = [...ANALYSIS_REGISTRY, BUSY];
    const analyzer = analyzerOf(records, { registry, analyses: ['busy'] });
    expect(analyzer.storeSettings().groupings!.map((spec) => spec.name)).toEqual([
      'customerDay',
      'perCustomerMinute',
    ]);
    const result = analyzer.finish().busy as { first: number; second: number; times: number };
    expect(result.first).toBeGreaterThan(0);
    expect(result.second).toBe(result.first);
    expect(result.times).toBe(0);
  });

  it('supplied by another engine, leave their groupings unfilled and are read as given', () => {
    const registry = [...ANALYSIS_REGISTRY, BUSY];
    const analyzer = analyzerOf(records, {
      registry,
      analyses: ['busy'],
      suppliedDigests: ['busiestMinute'],
    });
    expect(analyzer.storeSettings().groupings!.map((spec) => spec.name)).toEqual(['customerDay']);
    const result = analyzer.finish({ busiestMinute: { calls: 77, computed: 0 } }).busy as { first: number };
    expect(result.first).toBe(77);
    let error: unknown;
    try {
      analyzer.finish();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FinopsError);
    expect((error as FinopsError).code).toBe('digest_not_supplied');
    expect((error as Error).message).toContain('"busiestMinute"');
  });

  it('keep a grouping that something else declares, and refuse two digests of one name', () => {
    const other = defineDigest({ name: 'busiestMinute', groupings: [], compute: () => 0 });
    const clash = defineAnalysis({ ...BUSY, name: 'clash', digests: [other] });
    expect(() => digestsOf([BUSY, clash])).toThrow('two different digests are named "busiestMinute"');
    const declared = defineAnalysis({
      ...BUSY,
      name: 'declared',
      groupings: [PER_CUSTOMER_MINUTE],
      digests: [],
    });
    const analyzer = new CostAnalyzer({
      registry: [...ANALYSIS_REGISTRY, BUSY, declared],
      analyses: ['busy', 'declared'],
      suppliedDigests: ['busiestMinute'],
    });
    expect(analyzer.storeSettings().groupings!.map((spec) => spec.name)).toContain('perCustomerMinute');
    expect(() => defineDigest({ name: 'Not a word', groupings: [], compute: () => 0 })).toThrow(FinopsError);
  });

  it('of the features analysis, the sessions and traces, read the cells per session and per trace', () => {
    expect(FEATURES.digests).toEqual([SESSIONS_DIGEST]);
    expect(digestGroupings([FEATURES])).toEqual([SESSION_CELLS, TRACE_CELLS]);
    expect(digestGroupings([FEATURES], ['sessions'])).toEqual([]);
    const settings = new CostAnalyzer({
      analyses: ['features'],
      suppliedDigests: ['sessions'],
    }).storeSettings();
    expect(settings.groupings!.map((spec) => spec.name)).toEqual(['customerDay', 'customerFeature']);
  });

  it('of the sessions, supplied as computed, in any order and with more candidates, give the same results', () => {
    for (const topSessions of [0, 1, 3, 10]) {
      const config = { features: { topSessions } };
      const whole = analyzerOf(records, { analyses: ['features'], config });
      const expected = JSON.stringify(whole.finish().features);
      // What another engine would give: the counts, lists reversed, every costliest candidate of a longer list.
      const longer = analyzerOf(records, {
        analyses: ['features'],
        config: { features: { topSessions: 40 } },
      });
      const counted = JSON.parse(
        JSON.stringify(SESSIONS_DIGEST.compute(readerOf(longer), longer.config)),
      ) as SessionsDigest;
      const tied = counted.costliestSessions.filter(
        (entry) => entry.costMicros >= (counted.costliestSessions[topSessions - 1]?.costMicros ?? Infinity),
      );
      const supplied: SessionsDigest = {
        ...counted,
        byFeature: counted.byFeature.reverse(),
        byCustomer: counted.byCustomer.reverse(),
        costliestSessions: tied.reverse(),
        costliestTraces: counted.costliestTraces.reverse(),
      };
      const elsewhere = analyzerOf(records, {
        analyses: ['features'],
        config,
        suppliedDigests: ['sessions'],
      });
      expect(JSON.stringify(elsewhere.finish({ sessions: supplied }).features)).toBe(expected);
    }
  });
});

/** The read interface of an analyzer's state, as its finish reads it. */
function readerOf(analyzer: CostAnalyzer) {
  return Cube.fromData(analyzer.state().cube, analyzer.catalog).canonical().reader();
}
