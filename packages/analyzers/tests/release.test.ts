import { type CallRecord, defaultCatalog } from '@finops/schema';
import { CostAnalyzer } from '../src';
import { Cube } from '../src/internal';
import { randomLogV2 } from './fixtures';

/** A log with sessions and traces of a few calls each, so that the generic cells hold repeated keys. */
function log(): CallRecord[] {
  return randomLogV2(900, 11, 6).map((record, index) => ({
    ...record,
    traceId: index % 9 === 0 ? '' : `trace_${index % 400}`,
    sessionId: `sess_${index % 70}`,
  }));
}

/** Cells of the generic groupings of a cube, read through its state. */
function genericCells(cube: Cube): number {
  return cube
    .toData()
    .generic.reduce(
      (sum, grouping) => sum + (grouping.keys[0]?.length ?? grouping.measures[0]?.length ?? 0),
      0,
    );
}

function cubeOf(records: readonly CallRecord[]): Cube {
  const cube = new Cube(defaultCatalog(), new CostAnalyzer().storeSettings());
  cube.addAll(records);
  return cube;
}

describe('stores that let their cells go as they are copied', () => {
  it('merge the same with release as without, and leave the released store empty of generic cells', () => {
    const records = log();
    const kept = cubeOf(records.slice(0, 500)).merge(cubeOf(records.slice(500)));
    const released = cubeOf(records.slice(500));
    const merged = cubeOf(records.slice(0, 500)).merge(released, false, {}, true);
    expect(merged.canonical().toData()).toEqual(kept.canonical().toData());
    expect(genericCells(released)).toBe(0);
    expect(released.traces.size).toBe(0);
    expect(released.sessions.size).toBe(0);
  });

  it('merge a part whose session and trace ids are appended, held twice, into the same canonical copy', () => {
    const records = log();
    const expected = cubeOf(records).canonical().toData();
    const merged = cubeOf(records.slice(0, 450));
    // A part read elsewhere, handed over as data with its rows not yet combined.
    const part = Cube.fromData(cubeOf(records.slice(450)).toData(true), defaultCatalog());
    const sessionsBefore = merged.sessions.size;
    merged.merge(part, false, merged.appendIdsOf(part), true);
    // Both halves use every session id: each is now held twice, until the canonical copy.
    expect(merged.sessions.size).toBe(2 * sessionsBefore);
    const canonical = merged.canonical();
    expect(canonical.toData()).toEqual(expected);
    expect(canonical.sessions.size).toBe(sessionsBefore);
  });

  it('make the same canonical copy with release as without', () => {
    const records = log();
    const expected = cubeOf(records).canonical().toData();
    const source = cubeOf(records);
    expect(genericCells(source)).toBeGreaterThan(0);
    expect(source.canonical(true).toData()).toEqual(expected);
    expect(genericCells(source)).toBe(0);
  });

  it('give the same state as plain data whether taken (typed, emptied) or copied', () => {
    const records = log();
    const copied = cubeOf(records).toData();
    const source = cubeOf(records);
    const taken = source.toData(true);
    // Keys move as 32-bit integers (half the memory of doubles), measures as doubles.
    expect(taken.generic.every((grouping) => grouping.keys.every((ids) => ids instanceof Int32Array))).toBe(
      true,
    );
    expect(
      taken.generic.every((grouping) => grouping.measures.every((values) => values instanceof Float64Array)),
    ).toBe(true);
    expect(Cube.fromData(taken, defaultCatalog()).canonical().toData()).toEqual(
      Cube.fromData(copied, defaultCatalog()).canonical().toData(),
    );
    expect(genericCells(source)).toBe(0);
  });

  it('read the rows of a moved part where they are, or copy them in first, to the same figures', () => {
    const records = log();
    const expected = cubeOf(records).canonical().toData();
    const moved = (from: number, to: number): Cube =>
      Cube.fromData(structuredClone(cubeOf(records.slice(from, to)).toData(true)), defaultCatalog());
    // Kept as it came, then read as data: the rows are copied in, as they are.
    expect(moved(0, 900).toData()).toEqual(cubeOf(records).toData());
    // Merged from a part that is kept (not released): copied in, and the part still reads the same.
    const kept = moved(300, 600);
    const keptData = cubeOf(records.slice(300, 600)).toData();
    const withKept = cubeOf(records.slice(0, 300)).merge(kept).merge(moved(600, 900), false, {}, true);
    expect(withKept.canonical().toData()).toEqual(expected);
    expect(kept.toData()).toEqual(keptData);
    // Merged and released, then more calls added: the pending rows come before the new ones.
    const released = cubeOf(records.slice(0, 300));
    released.merge(moved(300, 600), false, released.appendIdsOf(moved(300, 600)), true);
    released.addAll(records.slice(600));
    expect(released.canonical(true).toData()).toEqual(expected);
    // Two moved parts in a row: the first part's rows are copied in when the second comes.
    const twice = cubeOf(records.slice(0, 300));
    for (const [from, to] of [
      [300, 600],
      [600, 900],
    ] as const) {
      const part = moved(from, to);
      twice.merge(part, false, twice.appendIdsOf(part), true);
    }
    expect(twice.canonical(true).toData()).toEqual(expected);
  });

  it('finishes an analyzer again, and after more calls, as a fresh one would', () => {
    const records = log();
    const analyzer = new CostAnalyzer();
    analyzer.addRecords(records.slice(0, 600));
    const first = analyzer.finish();
    expect(analyzer.finish()).toEqual(first);
    analyzer.addRecords(records.slice(600));
    const whole = new CostAnalyzer();
    whole.addRecords(records);
    expect(analyzer.finish()).toEqual(whole.finish());
    expect(analyzer.state().cube.calls).toBe(whole.state().cube.calls);
  });
});
