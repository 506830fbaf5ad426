/**
 * Small-number suppression for published counts. A count from 1 to 4 can point at a person in a
 * city-sized population, so it is shown as "<5" (primary suppression; 0 stays 0).
 *
 * Hiding a cell is not enough when totals are shown: subtraction (or, for a window whose cases span
 * several fields, the bounds a row total puts on its cells) can give it back. So the published
 * table is attacked the way a reader could: every hidden cell starts with the range its mark allows
 * ("<5": 1-4; "x": 5 or more, since 0 and 1-4 are never shown as x), the ranges are narrowed by every
 * constraint until nothing changes, and a hidden cell narrowed to one value gets company: the
 * smallest non-zero visible cell of a constraint it is in is hidden too, as "x" (secondary
 * suppression, the mark Japanese official statistics use for 秘匿). Repeated until no "<5" cell
 * can be worked out exactly. The search is greedy and the reasoning is interval propagation, not an
 * exhaustive solver: good enough for a monthly table, and what it could not protect it says.
 */

export type SuppressionMark = '<5' | 'x';
export type ShownCount = number | SuppressionMark;

/**
 * What a reader knows about how cells relate:
 * - `sum`: the members add up to the total exactly (each case is in exactly one member);
 * - `cover`: each case is in at least one member, at most once in each (a window's cases by field,
 *   where a case with several fields counts in each), so every member ≤ total ≤ the members' sum.
 */
export interface CellConstraint {
  kind: 'sum' | 'cover';
  members: readonly string[];
  total: string;
}

export const SMALL_NUMBER_LIMIT = 5;

export const isSmall = (n: number): boolean => n > 0 && n < SMALL_NUMBER_LIMIT;

interface Range {
  lo: number;
  hi: number;
}

/** Enough for any report (ranges only narrow, by at least 1 per round that changes anything). */
const MAX_ROUNDS = 10_000;

function initialRange(value: number, shown: ShownCount): Range {
  if (shown === '<5') return { lo: 1, hi: SMALL_NUMBER_LIMIT - 1 };
  if (shown === 'x') return { lo: SMALL_NUMBER_LIMIT, hi: Number.POSITIVE_INFINITY };
  return { lo: value, hi: value };
}

/** The ranges a reader can narrow every cell to, from the marks and the constraints. */
function narrow(
  values: ReadonlyMap<string, number>,
  shown: ReadonlyMap<string, ShownCount>,
  constraints: readonly CellConstraint[],
): Map<string, Range> {
  const ranges = new Map<string, Range>();
  for (const [id, v] of values) ranges.set(id, initialRange(v, shown.get(id) ?? v));
  const r = (id: string) => ranges.get(id) as Range;
  let changed = true;
  const tighten = (id: string, lo: number, hi: number) => {
    const cur = r(id);
    const next = { lo: Math.max(cur.lo, lo, 0), hi: Math.min(cur.hi, hi) };
    if (next.lo !== cur.lo || next.hi !== cur.hi) {
      ranges.set(id, next);
      changed = true;
    }
  };
  for (let round = 0; changed && round < MAX_ROUNDS; round++) {
    changed = false;
    for (const c of constraints) {
      const total = r(c.total);
      const los = c.members.map((m) => r(m).lo);
      const his = c.members.map((m) => r(m).hi);
      const add = (xs: number[], skip = -1) => xs.reduce((a, b, i) => (i === skip ? a : a + b), 0);
      const sumLo = add(los);
      const sumHi = add(his);
      c.members.forEach((m, i) => {
        const lo = total.lo - add(his, i);
        const hi = c.kind === 'sum' ? total.hi - add(los, i) : total.hi;
        tighten(m, lo, hi);
      });
      if (c.kind === 'sum') tighten(c.total, sumLo, sumHi);
      else tighten(c.total, Math.max(0, ...los), sumHi);
    }
  }
  return ranges;
}

function pinnedCells(
  values: ReadonlyMap<string, number>,
  shown: ReadonlyMap<string, ShownCount>,
  constraints: readonly CellConstraint[],
): string[] {
  const ranges = narrow(values, shown, constraints);
  return [...shown]
    .filter(([id, v]) => v === '<5' && ranges.get(id)?.lo === ranges.get(id)?.hi)
    .map(([id]) => id);
}

export interface Suppression {
  shown: Map<string, ShownCount>;
  /**
   * "<5" cells that can still be worked out exactly: the greedy search found no single cell to hide
   * that helps (a degenerate table, e.g. every other cell of a total at exactly 5). Rare; a caller
   * should warn whoever publishes the figures.
   */
  exposed: string[];
}

export function suppressSmallNumbers(
  values: ReadonlyMap<string, number>,
  constraints: readonly CellConstraint[],
): Suppression {
  for (const c of constraints) {
    for (const id of [...c.members, c.total]) {
      if (!values.has(id)) throw new Error(`suppression: unknown cell "${id}"`);
    }
  }
  const value = (id: string) => values.get(id) ?? 0;
  const shown = new Map<string, ShownCount>();
  for (const [id, n] of values) shown.set(id, isSmall(n) ? '<5' : n);
  const visible = (id: string) => typeof shown.get(id) === 'number' && value(id) > 0;

  // Greedy: of the visible cells that share a constraint with a pinned cell, hide the one that
  // leaves the fewest cells pinned (then the smallest). Each step hides one more cell, so this ends.
  for (let step = 0; step < values.size; step++) {
    const pinned = pinnedCells(values, shown, constraints);
    if (pinned.length === 0) break;
    const candidates = new Set<string>();
    for (const c of constraints) {
      const cells = [...c.members, c.total];
      if (!cells.some((id) => pinned.includes(id))) continue;
      for (const id of cells) if (visible(id)) candidates.add(id);
    }
    let best: { id: string; pinned: number } | undefined;
    for (const id of [...candidates].sort((a, b) => value(a) - value(b) || a.localeCompare(b))) {
      const left = pinnedCells(values, new Map(shown).set(id, 'x'), constraints).length;
      if (!best || left < best.pinned) best = { id, pinned: left };
    }
    if (!best) break;
    shown.set(best.id, 'x');
  }
  return { shown, exposed: pinnedCells(values, shown, constraints) };
}

/**
 * The mark a figure derived from `inputs` must take: "<5" when any input is under 5, "x" when one is
 * hidden to protect another cell, undefined when every input is visible.
 */
export function derivedMark(inputs: readonly ShownCount[]): SuppressionMark | undefined {
  if (inputs.includes('<5')) return '<5';
  if (inputs.includes('x')) return 'x';
  return undefined;
}
