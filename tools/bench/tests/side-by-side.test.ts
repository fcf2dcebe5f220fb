import {
  alternatingSchedule,
  asReport,
  pairedTimeRatios,
  parseRounds,
  parseSizes,
  ratioLine,
  sideLine,
  summarizeSide,
} from '../src/side-by-side';

const MB = 1024 * 1024;

describe('side by side runs', () => {
  it('reads --rounds and --sizes, and says what is wrong with them', () => {
    expect(parseRounds(undefined)).toBe(5);
    expect(parseRounds('3')).toBe(3);
    expect(() => parseRounds('0')).toThrow(/--rounds must be a whole number of at least 1, not "0"/);
    expect(() => parseRounds('2.5')).toThrow(/not "2.5"/);
    expect(parseSizes(undefined, [50, 500])).toEqual([50, 500]);
    expect(parseSizes('500, 50,500', [50])).toEqual([500, 50]);
    expect(() => parseSizes('50,big', [50])).toThrow(/--sizes must be positive sizes in MB .* not "50,big"/);
    expect(() => parseSizes('-1', [50])).toThrow(/--sizes/);
  });

  it('rotates the order each round so that no side always goes first', () => {
    expect(alternatingSchedule(4, 2)).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    const three = alternatingSchedule(3, 3);
    expect(three).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
    ]);
    expect(three.map((order) => order[0])).toEqual([0, 1, 2]);
  });

  it('takes medians of wall time, MB/s and peak memory, and time ratios paired by round', () => {
    const finops = [2000, 6000, 2200].map((wallMs) =>
      asReport({ wallMs, peakRssBytes: 140 * MB, cpuMs: wallMs, stdout: '' }, 50 * MB),
    );
    // The second round ran on a machine three times slower: both sides took three times as long.
    const duckdb = [800, 2400, 1000].map((wallMs) =>
      asReport({ wallMs, peakRssBytes: 160 * MB, cpuMs: wallMs, stdout: '' }, 50 * MB),
    );
    const side = summarizeSide(finops);
    expect(side.wallSeconds).toBe(2.2);
    expect(side.mbPerSecond).toBeCloseTo(50 / 2.2, 9);
    expect(side.peakRssMb).toBe(140);
    const ratios = pairedTimeRatios(finops, duckdb);
    expect(ratios.ratios.map((ratio) => Number(ratio.toFixed(3)))).toEqual([2.5, 2.5, 2.2]);
    expect(ratios.median).toBeCloseTo(2.5, 9);
    expect(ratioLine(ratios, 'DuckDB')).toBe("×2.50 DuckDB's time (median of 3 pairwise ratios, 2.20–2.50)");
    expect(sideLine('DuckDB GROUP BY', summarizeSide(duckdb), 16)).toBe(
      '    DuckDB GROUP BY  1.00 s · 50.0 MB/s · peak RSS 160 MB',
    );
    expect(() => summarizeSide([])).toThrow(RangeError);
  });
});
