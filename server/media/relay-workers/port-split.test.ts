import { describe, expect, it } from 'vitest';
import { splitPortRange } from './port-split.ts';

describe('splitPortRange', () => {
  it('gives each worker an equal, disjoint share', () => {
    expect(splitPortRange([40000, 49999], 2)).toEqual([
      [40000, 44999],
      [45000, 49999],
    ]);
    expect(splitPortRange([40000, 40010], 3)).toEqual([
      [40000, 40002],
      [40003, 40005],
      [40006, 40008],
    ]);
  });

  it('refuses a range too small to share', () => {
    expect(() => splitPortRange([40000, 40002], 2)).toThrow(RangeError);
  });
});
