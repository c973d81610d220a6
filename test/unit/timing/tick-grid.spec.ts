import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TickGrid } from '../../../lib/timing/tick-grid';

describe('TickGrid', () => {
  it('computes due times from the origin, not by accumulation', () => {
    const grid = new TickGrid(7, 0.1);
    expect(grid.dueTime(3)).toBe(7 + 3 * 0.1);
    expect(grid.dueTime(1_000_000)).toBe(7 + 1_000_000 * 0.1);
  });

  it('gives 0 before the first grid point and counts exact hits as due', () => {
    const grid = new TickGrid(100, 50);
    expect(grid.dueIndex(100)).toBe(0);
    expect(grid.dueIndex(149.999)).toBe(0);
    expect(grid.dueIndex(150)).toBe(1);
    expect(grid.dueIndex(299)).toBe(3);
  });

  it('agrees with dueTime for any origin, period and time, fractions included', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-3, max: 2 ** 31 - 1, noNaN: true }),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        (origin, period, elapsed) => {
          const grid = new TickGrid(origin, period);
          const now = origin + elapsed;
          const index = grid.dueIndex(now);
          expect(index === 0 || grid.dueTime(index) <= now).toBe(true);
          expect(grid.dueTime(index + 1) > now).toBe(true);
        },
      ),
    );
  });

  it('finds a grid point due exactly at its own dueTime', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (origin, period, k) => {
          const grid = new TickGrid(origin, period);
          expect(grid.dueIndex(grid.dueTime(k))).toBe(k);
        },
      ),
    );
  });
});
