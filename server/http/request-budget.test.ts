import { afterEach, describe, expect, it } from 'vitest';
import { createRequestBudget, type RequestBudget } from './request-budget.ts';

let clock = 0;
let budget: RequestBudget | undefined;
afterEach(() => budget?.stop());

const start = (perSecond: number, burst: number) => {
  clock = 0;
  budget = createRequestBudget({ perSecond, burst }, () => clock);
  return budget;
};

describe('request budget', () => {
  it('admits a burst, then refuses the address until it has earned units back', () => {
    const b = start(2, 3);
    expect([1, 2, 3].map(() => b.admit('a', 1).admitted)).toEqual([true, true, true]);
    expect(b.admit('a', 1)).toEqual({ admitted: false, retryAfterSeconds: 1 });
    clock = 499;
    expect(b.admit('a', 1).admitted).toBe(false);
    clock = 501;
    expect(b.admit('a', 1).admitted).toBe(true);
    expect(b.admit('a', 1).admitted).toBe(false);
  });

  it('counts each address apart', () => {
    const b = start(1, 1);
    expect(b.admit('a', 1).admitted).toBe(true);
    expect(b.admit('a', 1).admitted).toBe(false);
    expect(b.admit('b', 1).admitted).toBe(true);
  });

  it('lets a heavy request through on its last unit, and makes the address pay the debt', () => {
    const b = start(1, 10);
    expect(b.admit('a', 9).admitted).toBe(true);
    expect(b.admit('a', 10).admitted).toBe(true);
    // 10 − 9 − 10 = −9: ten seconds until a unit is back.
    expect(b.admit('a', 1)).toEqual({ admitted: false, retryAfterSeconds: 10 });
    clock = 9_000;
    expect(b.admit('a', 1).admitted).toBe(false);
    clock = 10_001;
    expect(b.admit('a', 1).admitted).toBe(true);
  });

  it('refusing costs the address nothing more', () => {
    const b = start(1, 1);
    b.admit('a', 1);
    for (let i = 0; i < 100; i++) b.admit('a', 1);
    clock = 1_001;
    expect(b.admit('a', 1).admitted).toBe(true);
  });

  it('never grows past the burst however long the pause', () => {
    const b = start(100, 2);
    b.admit('a', 1);
    clock = 3_600_000;
    expect([1, 2, 3].map(() => b.admit('a', 1).admitted)).toEqual([true, true, false]);
  });
});
