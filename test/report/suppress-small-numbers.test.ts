import { describe, expect, it } from 'vitest';
import {
  type CellConstraint,
  derivedMark,
  suppressSmallNumbers,
} from '../../src/report/suppress-small-numbers.js';

const cells = (values: Record<string, number>) => new Map(Object.entries(values));
const sum = (total: string, ...members: string[]): CellConstraint => ({ kind: 'sum', members, total });
const cover = (total: string, ...members: string[]): CellConstraint => ({ kind: 'cover', members, total });
const shownOf = (values: Record<string, number>, constraints: CellConstraint[]) =>
  Object.fromEntries(suppressSmallNumbers(cells(values), constraints).shown);

describe('suppressSmallNumbers', () => {
  it('shows 1 to 4 as "<5" and keeps 0 and 5 or more', () => {
    expect(shownOf({ a: 0, b: 1, c: 4, d: 5, e: 120 }, [])).toEqual({ a: 0, b: '<5', c: '<5', d: 5, e: 120 });
  });

  it('hides the smallest other cell of a total that would give a "<5" back', () => {
    expect(shownOf({ a: 3, b: 6, c: 10, t: 19 }, [sum('t', 'a', 'b', 'c')])).toEqual({
      a: '<5',
      b: 'x',
      c: 10,
      t: 19,
    });
  });

  it('knows that "x" means 5 or more: hiding a 5 next to a 1 protects nothing', () => {
    // a + b = 6 with b ≥ 5 pins a at 1; hiding the total leaves a anywhere in 1-4.
    expect(shownOf({ a: 1, b: 5, t: 6 }, [sum('t', 'a', 'b')])).toEqual({ a: '<5', b: 5, t: 'x' });
  });

  it('treats a row that only bounds its cells (a case in several fields) as a constraint too', () => {
    // The window's row: one non-zero field, so that cell equals the window total. Hiding s would
    // leave it pinned at 6 by the row, and h = 9 - 6; hiding the column total instead holds.
    const result = shownOf({ h: 3, s: 6, T: 9, e: 0, w: 6 }, [sum('T', 'h', 's'), cover('w', 's', 'e')]);
    expect(result).toEqual({ h: '<5', s: 6, T: 'x', e: 0, w: 6 });
  });

  it('leaves a total alone when two of its cells are already hidden', () => {
    expect(shownOf({ a: 2, b: 3, c: 10, t: 15 }, [sum('t', 'a', 'b', 'c')])).toEqual({
      a: '<5',
      b: '<5',
      c: 10,
      t: 15,
    });
  });

  it('reports the cells it could not protect', () => {
    const { exposed } = suppressSmallNumbers(cells({ a: 1, b: 5, c: 5, t: 11 }), [sum('t', 'a', 'b', 'c')]);
    expect(exposed).toEqual([]);
    const stuck = suppressSmallNumbers(cells({ a: 1, b: 5, t: 6, u: 6 }), [
      sum('t', 'a', 'b'),
      sum('u', 't'),
    ]);
    expect(stuck.exposed).toEqual(['a']);
  });

  it('refuses a constraint over a cell it was not given', () => {
    expect(() => suppressSmallNumbers(cells({ a: 1 }), [sum('t', 'a')])).toThrow(/unknown cell "t"/);
  });
});

describe('derivedMark', () => {
  it('takes "<5" over "x", and nothing when every input is shown', () => {
    expect(derivedMark([10, '<5', 'x'])).toBe('<5');
    expect(derivedMark([10, 'x'])).toBe('x');
    expect(derivedMark([10, 0])).toBeUndefined();
  });
});
