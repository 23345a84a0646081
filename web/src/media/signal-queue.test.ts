import { describe, expect, it, vi } from 'vitest';
import type { MeshWireSignal } from './mesh-signal.ts';
import { CANDIDATE_WAIT_MS, SignalQueue } from './signal-queue.ts';
import type { MeshSignal } from './types.ts';

const candidateData = (n: number) =>
  ({
    type: 'candidate',
    candidate: { candidate: `c${n}`, sdpMid: '0', sdpMLineIndex: 0 },
  }) as const;

const candidate = (n: number): MeshWireSignal => ({
  kind: 'peer',
  session: 's',
  data: [candidateData(n)],
});

describe('SignalQueue', () => {
  it('sends an offer with its first candidate, in order, and batches what queued during a call', async () => {
    const sent: MeshSignal[] = [];
    const calls: Array<() => void> = [];
    const queue = new SignalQueue(
      (signal) =>
        new Promise((resolve) => {
          sent.push(signal);
          calls.push(resolve);
        }),
      () => {},
    );
    queue.push({ kind: 'peer', session: 's', data: [{ type: 'offer', sdp: 'o' }] });
    expect(sent).toEqual([]);
    queue.push(candidate(1));
    queue.push(candidate(2));
    queue.push({ kind: 'restart-ice', session: 's' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'amphi-batch', peerSession: 's' });
    expect(sent[0]?.['signals']).toEqual([{ type: 'offer', sdp: 'o' }, candidateData(1)]);
    calls.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent[1]).toMatchObject({ type: 'candidate', peerSession: 's' });
    calls.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent[2]).toEqual({ type: 'amphi-restart-ice', peerSession: 's' });
  });

  it(`sends an answer alone once no candidate came within ${CANDIDATE_WAIT_MS} ms`, async () => {
    vi.useFakeTimers();
    try {
      const sent: MeshSignal[] = [];
      const queue = new SignalQueue(
        async (signal) => {
          sent.push(signal);
        },
        () => {},
      );
      queue.push({ kind: 'peer', session: 's', data: [{ type: 'answer', sdp: 'a' }] });
      await vi.advanceTimersByTimeAsync(CANDIDATE_WAIT_MS - 1);
      expect(sent).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toEqual([{ type: 'answer', sdp: 'a', peerSession: 's' }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a failed call and goes on with the next', async () => {
    const errors: unknown[] = [];
    const sent: MeshSignal[] = [];
    let fail = true;
    const queue = new SignalQueue(
      async (signal) => {
        sent.push(signal);
        if (fail) {
          fail = false;
          throw new Error('rate limited');
        }
      },
      (error) => errors.push(error),
    );
    queue.push(candidate(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    queue.push(candidate(2));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toHaveLength(1);
    expect(sent).toHaveLength(2);
  });
});
