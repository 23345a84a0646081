import { describe, expect, it } from 'vitest';
import { workerPort } from './worker-port.ts';

describe('workerPort', () => {
  it('gives each worker the next port from the base', () => {
    expect([0, 1, 2].map((index) => workerPort(40000, index))).toEqual([40000, 40001, 40002]);
  });

  it('lets every worker take any free port when the base is 0', () => {
    expect(workerPort(0, 3)).toBe(0);
  });

  it('refuses ports past 65535', () => {
    expect(() => workerPort(65535, 1)).toThrow(RangeError);
  });
});
