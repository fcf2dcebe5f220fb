import fc from 'fast-check';
import type { CallRecord } from '@finops/schema';
import { type AnalysisResults, type AnalyzerState, CostAnalyzer } from '../src';

/**
 * Asserts the merge laws of some analyses on a log: states of any split,
 * sent through JSON as between processes and merged in either order, give
 * the one-pass results of those analyses.
 */
export function assertMergeLaws(analyses: readonly string[], log: readonly CallRecord[], runs = 15): void {
  const stateOf = (records: readonly CallRecord[]): AnalyzerState => {
    const analyzer = new CostAnalyzer({ analyses: [...analyses] });
    analyzer.addRecords(records);
    return JSON.parse(JSON.stringify(analyzer.state())) as AnalyzerState;
  };
  const comparable = (results: AnalysisResults): unknown =>
    JSON.parse(JSON.stringify(analyses.map((name) => results[name])));
  const whole = comparable(new CostAnalyzer({ analyses: [...analyses] }).merge(stateOf(log)).finish());
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: log.length - 1 }), { maxLength: 4 }),
      fc.boolean(),
      (cuts, reverse) => {
        const points = [0, ...cuts.sort((a, b) => a - b), log.length];
        const parts = points.slice(1).map((end, index) => log.slice(points[index], end));
        if (reverse) parts.reverse();
        const merged = new CostAnalyzer({ analyses: [...analyses] });
        for (const part of parts) merged.merge(stateOf(part));
        expect(comparable(merged.finish())).toEqual(whole);
      },
    ),
    { numRuns: runs },
  );
}
