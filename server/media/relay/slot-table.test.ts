import { describe, expect, it } from 'vitest';
import { createSlotTable } from './slot-table.ts';

describe('createSlotTable', () => {
  it('seats each publisher in the lowest free slot and keeps them there', () => {
    const table = createSlotTable(3);
    expect(table.acquire('ann')).toEqual({ slot: 0, seated: true });
    expect(table.acquire('bob')).toEqual({ slot: 1, seated: true });
    expect(table.acquire('ann')).toEqual({ slot: 0, seated: false });
    table.release('ann');
    expect(table.acquire('cid')).toEqual({ slot: 0, seated: true });
    expect(table.slotOf('bob')).toBe(1);
  });

  it('refuses a publisher when every slot is taken', () => {
    const table = createSlotTable(1);
    table.acquire('ann');
    expect(table.acquire('bob')).toBeUndefined();
  });

  it('releases everyone outside the allowed set and reports who', () => {
    const table = createSlotTable(3);
    for (const name of ['ann', 'bob', 'cid']) table.acquire(name);
    expect(table.keepOnly(new Set(['bob']))).toEqual(['ann', 'cid']);
    expect(table.holders()).toEqual([{ slot: 1, participantId: 'bob' }]);
    expect(table.occupied).toBe(1);
  });
});
