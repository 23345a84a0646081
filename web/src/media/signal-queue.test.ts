import { describe, expect, it } from 'vitest';
import type { MeshWireSignal } from './mesh-signal.ts';
import { SignalQueue } from './signal-queue.ts';
import type { MeshSignal } from './types.ts';

const candidate = (n: number): MeshWireSignal => ({
  kind: 'peer',
  session: 's',
  data: [{ type: 'candidate', candidate: { candidate: `c${n}`, sdpMid: '0', sdpMLineIndex: 0 } }],
});

describe('SignalQueue', () => {
  it('sends in order and batches what queued during a call', async () => {
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
    queue.push(candidate(1));
    queue.push(candidate(2));
    queue.push({ kind: 'restart-ice', session: 's' });
    expect(sent).toEqual([{ type: 'offer', sdp: 'o', peerSession: 's' }]);
    calls.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent[1]).toMatchObject({ type: 'amphi-batch', peerSession: 's' });
    expect(sent[1]?.['signals']).toHaveLength(2);
    calls.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent[2]).toEqual({ type: 'amphi-restart-ice', peerSession: 's' });
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
