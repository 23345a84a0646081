import { describe, expect, it } from 'vitest';
import { createSlotStream } from './slot-stream.ts';

/** The indices a stream gives `sequenceNumbers` from one speaker (undefined: dropped). */
function indicesOf(sequenceNumbers: readonly number[]) {
  const stream = createSlotStream(() => 0);
  return sequenceNumbers.map(
    (sequenceNumber) => stream.place('ann', 1, sequenceNumber, sequenceNumber * 960)?.index,
  );
}

describe('createSlotStream', () => {
  it('passes the first speaker through unchanged', () => {
    const stream = createSlotStream(() => 0);
    expect(stream.place('ann', 1, 7, 960)).toEqual({ index: 7, sequenceNumber: 7, timestamp: 960 });
  });

  it('counts the roll-over itself: the index grows by one across the sequence wrap', () => {
    expect(indicesOf([65_534, 65_535, 0, 1])).toEqual([65_534, 65_535, 65_536, 65_537]);
  });

  it('continues sequence and timestamp when the speaker changes', () => {
    let now = 0;
    const stream = createSlotStream(() => now);
    stream.place('ann', 1, 65_535, 4_294_967_000);
    now = 1_000;
    // 1 s later at 48 kHz, wrapping both fields.
    expect(stream.place('bob', 2, 300, 5)).toEqual({
      index: 65_536,
      sequenceNumber: 0,
      timestamp: (4_294_967_000 + 48_000) % 2 ** 32,
    });
    expect(stream.place('bob', 2, 301, 965)).toMatchObject({
      sequenceNumber: 1,
      timestamp: (4_294_967_000 + 48_000 + 960) % 2 ** 32,
    });
  });

  it('treats a new SSRC from the same participant as a new stream', () => {
    const stream = createSlotStream(() => 0);
    stream.place('ann', 1, 10, 0);
    expect(stream.place('ann', 2, 5_000, 123_456)).toEqual({
      index: 11,
      sequenceNumber: 11,
      timestamp: 960,
    });
  });

  it('drops a repeated sequence number, however often the speaker sends it', () => {
    expect(indicesOf([100, 101, 101, 102, 101, 102])).toEqual([
      100,
      101,
      undefined,
      102,
      undefined,
      undefined,
    ]);
  });

  it('keeps a late packet in its place, once, and drops one later than the misorder window', () => {
    expect(indicesOf([10, 12, 11, 11, 13])).toEqual([10, 12, 11, undefined, 13]);
    const long = Array.from({ length: 200 }, (_, i) => 1_000 + i);
    expect(indicesOf([...long, 1_050]).at(-1)).toBeUndefined();
  });

  it('follows a gap of lost packets but not a far jump until a second packet confirms it', () => {
    expect(indicesOf([10, 2_000])).toEqual([10, 2_000]);
    // 40,000 ahead: one packet is noise; two in sequence are a restart, numbered after the top.
    expect(indicesOf([10, 11, 40_000, 40_001, 40_002])).toEqual([10, 11, undefined, 12, 13]);
    // A replay of old packets is a far jump backwards: dropped unless it goes on in sequence.
    expect(indicesOf([5_000, 5_001, 1_000, 5_002])).toEqual([5_000, 5_001, undefined, 5_002]);
  });

  it('never gives an index twice under a hostile mix of repeats, reordering, jumps and wraps', () => {
    const stream = createSlotStream(() => 0);
    const given = new Set<number>();
    let sequenceNumber = 65_000;
    for (let step = 0; step < 20_000; step++) {
      const roll = (step * 7_919) % 100;
      if (roll < 70) sequenceNumber = (sequenceNumber + 1) & 0xffff;
      else if (roll < 80) sequenceNumber = (sequenceNumber - 3) & 0xffff;
      else if (roll < 85) sequenceNumber = (sequenceNumber + 2_500) & 0xffff;
      else if (roll < 90) sequenceNumber = (sequenceNumber + 30_000) & 0xffff;
      const speaker = step % 5_000 < 2_500 ? 'ann' : 'bob';
      const position = stream.place(speaker, 1, sequenceNumber, 0);
      if (!position) continue;
      expect(given.has(position.index)).toBe(false);
      given.add(position.index);
      expect(position.sequenceNumber).toBe(position.index & 0xffff);
    }
    expect(given.size).toBeGreaterThan(5_000);
  });
});
