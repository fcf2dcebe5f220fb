import fc from 'fast-check';
import {
  type ExecutiveSummary,
  type SummaryAction,
  isExecutiveSummary,
  mergeSummaries,
  rankActions,
  topActions,
} from '../src';

const ORDER = ['realtime', 'optimization', 'tokens'];

function action(analysis: string, title: string, monthlyMicros: number): SummaryAction {
  return {
    title,
    text: `${title}.`,
    monthlyUsd: monthlyMicros / 1e6,
    monthlyMicros,
    analysis,
    figures: { monthlyMicros },
  };
}

function summaryOf(candidates: SummaryAction[], analyses: string[], maxActions = 3): ExecutiveSummary {
  const ranked = rankActions(candidates, ORDER);
  return {
    actions: topActions(ranked, maxActions, 1),
    candidates: ranked,
    analyses,
    maxActions,
    minMonthlyUsd: 1,
    windowDays: 30,
  };
}

const arbitraryAction = fc
  .record({
    analysis: fc.constantFrom('realtime', 'optimization', 'tokens', 'custom'),
    title: fc.string({ maxLength: 6 }),
    monthlyMicros: fc.integer({ min: 0, max: 5_000_000 }),
  })
  .map(({ analysis, title, monthlyMicros }) => action(analysis, title, monthlyMicros));

describe('ranking the actions of the executive summary', () => {
  it('ranks by money a month, then by the order of the pages, then by title', () => {
    const ranked = rankActions(
      [
        action('tokens', 'b', 5_000_000),
        action('optimization', 'z', 5_000_000),
        action('custom', 'a', 5_000_000),
        action('tokens', 'a', 5_000_000),
        action('realtime', 'c', 9_000_000),
      ],
      ORDER,
    );
    expect(ranked.map((entry) => `${entry.analysis}/${entry.title}`)).toEqual([
      'realtime/c',
      'optimization/z',
      'tokens/a',
      'tokens/b',
      'custom/a',
    ]);
  });

  it('gives the same ranking whatever order the candidates come in', () => {
    fc.assert(
      fc.property(fc.array(arbitraryAction, { maxLength: 12 }), fc.integer(), (candidates, seed) => {
        const shuffled = candidates
          .map((entry, index) => ({ entry, key: (index * 7919 + seed) % 101 }))
          .sort((a, b) => a.key - b.key)
          .map(({ entry }) => entry);
        expect(rankActions(shuffled, ORDER)).toEqual(rankActions(candidates, ORDER));
      }),
    );
  });

  it('lists at most the maximum, only actions worth the least monthly figure', () => {
    const ranked = rankActions(
      [action('tokens', 'a', 3_000_000), action('tokens', 'b', 999_999), action('tokens', 'c', 0)],
      ORDER,
    );
    expect(topActions(ranked, 5, 1).map((entry) => entry.title)).toEqual(['a']);
    expect(topActions(ranked, 5, 0).map((entry) => entry.title)).toEqual(['a', 'b']);
    expect(topActions(ranked, 1, 0).map((entry) => entry.title)).toEqual(['a']);
  });

  it('after a refresh, replaces the candidates of the analyses run again and keeps the others', () => {
    const older = summaryOf(
      [
        action('realtime', 'r', 4_000_000),
        action('optimization', 'o', 8_000_000),
        action('tokens', 't', 2_000_000),
      ],
      ORDER,
    );
    const newer = summaryOf([action('optimization', 'o2', 1_000_000)], ['optimization']);
    const merged = mergeSummaries(older, newer, ORDER);
    expect(merged.analyses).toEqual(ORDER);
    expect(merged.candidates.map((entry) => entry.title)).toEqual(['r', 't', 'o2']);
    expect(merged.actions.map((entry) => entry.title)).toEqual(['r', 't', 'o2']);
    // A refresh that changes nothing ranks as the full run did.
    expect(mergeSummaries(older, older, ORDER)).toEqual(older);
  });

  it('tells a summary read back from a file from something else', () => {
    const summary = summaryOf([action('tokens', 't', 2_000_000)], ORDER);
    expect(isExecutiveSummary(JSON.parse(JSON.stringify(summary)))).toBe(true);
    expect(isExecutiveSummary(null)).toBe(false);
    expect(isExecutiveSummary({ ...summary, windowDays: '30' })).toBe(false);
    expect(
      isExecutiveSummary({ ...summary, candidates: [{ ...summary.candidates[0], monthlyMicros: 1.5 }] }),
    ).toBe(false);
  });
});
