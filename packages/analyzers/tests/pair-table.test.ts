import fc from 'fast-check';
import { PairTable } from '../src/pair-table';

describe('PairTable', () => {
  it('gives the same cells through recentCell as through cell, whatever the order pairs come in', () => {
    const pair = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -1, max: 40 }));
    fc.assert(
      fc.property(
        fc.array(pair, { maxLength: 2000 }),
        fc.array(fc.boolean(), { minLength: 2000 }),
        (pairs, recent) => {
          const plain = new PairTable();
          const mixed = new PairTable();
          pairs.forEach(([first, second], index) => {
            const cell = plain.cell(first, second);
            // The two ways are mixed on one table: what recentCell remembers stays true after cell adds cells.
            expect(recent[index] ? mixed.recentCell(first, second) : mixed.cell(first, second)).toBe(cell);
          });
          expect(mixed.first).toEqual(plain.first);
          expect(mixed.second).toEqual(plain.second);
        },
      ),
      { numRuns: 200 },
    );
  });
});
