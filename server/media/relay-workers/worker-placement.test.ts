import { describe, expect, it } from 'vitest';
import { placeSession } from './worker-placement.ts';

/** A worker with `load` sessions, of which `held` are in space "s". */
const worker = (name: string, load: number, held = 0) => ({
  name,
  load,
  spaces: new Map(held > 0 ? [['s', held]] : []),
});

describe('placeSession', () => {
  it('puts a new space on the least loaded worker', () => {
    const workers = [worker('a', 3), worker('b', 1), worker('c', 2)];
    expect(placeSession(workers, 's', 500).name).toBe('b');
  });

  it('keeps a space on the worker holding it while that is less than `spreadAfter` busier', () => {
    const workers = [worker('a', 0), worker('b', 499, 499)];
    expect(placeSession(workers, 's', 500).name).toBe('b');
  });

  it('spreads the space to the least loaded worker past `spreadAfter`', () => {
    const workers = [worker('a', 0), worker('b', 500, 500)];
    expect(placeSession(workers, 's', 500).name).toBe('a');
  });

  it('fills the least loaded of the workers already holding the space', () => {
    const workers = [worker('a', 500, 500), worker('b', 20, 1), worker('c', 0)];
    expect(placeSession(workers, 's', 500).name).toBe('b');
  });

  it('with `spreadAfter` 0, always takes the least loaded worker', () => {
    const workers = [worker('a', 1, 1), worker('b', 0)];
    expect(placeSession(workers, 's', 0).name).toBe('b');
  });
});
