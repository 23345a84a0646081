import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTapBatch } from './tap-batch.ts';
import type { TappedPacket, WorkerToApi } from './worker-protocol.ts';

const packet = (n: number): TappedPacket => ({
  spaceId: 'space',
  participantId: 'speaker',
  payload: new Uint8Array([n]),
  rtpTimestamp: n * 960,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('tapped packets on their way to the API', () => {
  it('go a few at a time, in order, none lost, each within 40 ms', () => {
    vi.useFakeTimers();
    const posted: WorkerToApi[] = [];
    const batch = createTapBatch((message) => posted.push(message));
    batch.add(packet(1));
    batch.add(packet(2));
    expect(posted).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(posted).toEqual([{ type: 'tapped', packets: [packet(1), packet(2)] }]);
    vi.advanceTimersByTime(1_000);
    expect(posted).toHaveLength(1);
  });

  it('go at once when many wait, and on a flush (a worker stopping)', () => {
    vi.useFakeTimers();
    const posted: WorkerToApi[] = [];
    const batch = createTapBatch((message) => posted.push(message));
    for (let n = 0; n < 70; n++) batch.add(packet(n));
    expect(posted).toHaveLength(1);
    batch.flush();
    const counts = posted.map((message) =>
      message.type === 'tapped' ? message.packets.length : 0,
    );
    expect(counts).toEqual([64, 6]);
  });

  it('keep bytes of their own, whatever becomes of the buffer they were read from', () => {
    const posted: WorkerToApi[] = [];
    const batch = createTapBatch((message) => posted.push(message));
    const received = new Uint8Array([7, 7, 7, 7]);
    batch.add({ ...packet(1), payload: received.subarray(1, 3) });
    received.fill(0);
    batch.flush();
    const [message] = posted;
    expect(message?.type === 'tapped' && [...(message.packets[0]?.payload ?? [])]).toEqual([7, 7]);
  });
});
