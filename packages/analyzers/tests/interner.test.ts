import fc from 'fast-check';
import { Interner, codeUnitOrder, codeUnitRuns } from '../src/interner';

describe('codeUnitOrder', () => {
  it('orders distinct strings as a plain sort does, whatever their code units', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', 'b', '_', '0', '9', '\u0000', '\u00ff', '\u0100', '\uffff', 'é', '😀'),
      fc.string({ unit: 'binary', maxLength: 1 }),
    );
    const text = fc.array(unit, { maxLength: 14 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(text, { maxLength: 300 }), (values) => {
        const ordered = Array.from(codeUnitOrder(values), (id) => values[id]);
        expect(ordered).toEqual(values.slice().sort());
      }),
      { numRuns: 300 },
    );
  });

  it('orders a large set of ids sharing a prefix (the radix passes, not only the small-range sort)', () => {
    const values = Array.from({ length: 20_000 }, (_, index) => `trace_${(index * 7919) % 100_003}`);
    const ordered = Array.from(codeUnitOrder(values), (id) => values[id]);
    expect(ordered).toEqual(values.slice().sort());
  });
  it('orders values whose first code units past their shared prefix tie, by comparing the rest', () => {
    // Eight units past "s-" are shared by each group of values: the keys tie and the rest decides.
    const values = Array.from(
      { length: 5_000 },
      (_, index) => `s-${index % 3}-shared-middle-${(index * 7919) % 10_007}`,
    ).concat(['s-', 's-0', 's-0-shared', 's-\uffff', 's-\u00fe', 's-\u00ff-x']);
    const ordered = Array.from(codeUnitOrder(values), (id) => values[id]);
    expect(ordered).toEqual(values.slice().sort());
  });
});

describe('codeUnitRuns', () => {
  it('orders repeated strings as a plain sort does and marks each value equal to the one before it', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', 'b', '_', '0', '\u0000', '\u00fd', '\u00fe', '\u00ff', '\uffff', '😀'),
      fc.string({ unit: 'binary', maxLength: 1 }),
    );
    const text = fc.array(unit, { maxLength: 12 }).map((parts) => `id_${parts.join('')}`);
    fc.assert(
      fc.property(fc.array(text, { maxLength: 300 }), fc.nat(), (distinct, seed) => {
        // Every value held once or several times, in a shuffled order (as two parts' ids appended).
        const values = distinct.flatMap((value, index) =>
          Array.from({ length: 1 + ((index + seed) % 3) }, () => value),
        );
        values.sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        const { order, repeated } = codeUnitRuns(values);
        const ordered = Array.from(order, (id) => values[id]);
        expect(ordered).toEqual(values.slice().sort());
        expect(Array.from(repeated)).toEqual(
          ordered.map((value, at) => (at > 0 && value === ordered[at - 1] ? 1 : 0)),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('Interner', () => {
  it('gives the same ids to values appended by its sole feeder and found later by lookup', () => {
    const interner = new Interner();
    const feeder = {};
    expect(interner.claim(feeder)).toBe(true);
    expect(interner.appendDistinct('s1')).toBe(0);
    expect(interner.appendDistinct('s2')).toBe(1);
    expect(interner.claim({})).toBe(false);
    expect(interner.find('s2')).toBe(1);
    // A value from elsewhere ends the claim: the feeder's next values are looked up.
    expect(interner.idOfFlat('s3')).toBe(2);
    expect(interner.claim(feeder)).toBe(false);
    expect(interner.idOfFlat('s1')).toBe(0);
    expect(interner.id('s2')).toBe(1);
    expect(interner.values).toEqual(['s1', 's2', 's3']);
  });

  it('finds adopted values without having hashed them at adoption', () => {
    const interner = new Interner();
    interner.adoptDistinct(['b', 'a']);
    expect(interner.claim({})).toBe(false);
    expect(interner.find('a')).toBe(1);
    expect(interner.idOfFlat('c')).toBe(2);
    expect(interner.id('b')).toBe(0);
  });
});
