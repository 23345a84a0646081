import { describe, expect, it } from 'vitest';
import { createSlotStream } from './slot-stream.ts';

describe('createSlotStream', () => {
  it('passes the first speaker through unchanged', () => {
    const stream = createSlotStream(() => 0);
    const header = { sequenceNumber: 7, timestamp: 960 };
    stream.rewrite('ann', 1, header);
    expect(header).toEqual({ sequenceNumber: 7, timestamp: 960 });
  });

  it('continues sequence and timestamp when the speaker changes', () => {
    let now = 0;
    const stream = createSlotStream(() => now);
    stream.rewrite('ann', 1, { sequenceNumber: 65_535, timestamp: 4_294_967_000 });
    now = 1_000;
    const next = { sequenceNumber: 300, timestamp: 5 };
    stream.rewrite('bob', 2, next);
    // 1 s later at 48 kHz, wrapping both fields.
    expect(next).toEqual({ sequenceNumber: 0, timestamp: (4_294_967_000 + 48_000) % 2 ** 32 });
    const after = { sequenceNumber: 301, timestamp: 965 };
    stream.rewrite('bob', 2, after);
    expect(after).toEqual({ sequenceNumber: 1, timestamp: next.timestamp + 960 });
  });

  it('treats a new SSRC from the same participant as a new stream', () => {
    const stream = createSlotStream(() => 0);
    stream.rewrite('ann', 1, { sequenceNumber: 10, timestamp: 0 });
    const header = { sequenceNumber: 5_000, timestamp: 123_456 };
    stream.rewrite('ann', 2, header);
    expect(header).toEqual({ sequenceNumber: 11, timestamp: 960 });
  });
});
