/**
 * The floor beside the crowd: the same number of events on the same schedule, sent by a bare
 * `ws` server (its own process, on the server's core) to as many sockets of the same subscriber
 * process, each message a copy of one Amphi sent with the handle changed.
 */
import { type Cost, watchCost } from '../hostile/proc-stats.ts';
import { startWorker } from '../hostile/workers.ts';
import { type FromBroadcaster, handleIn, type Lags, type ToBroadcaster } from './protocol.ts';
import type { Subscribers } from './subscriber-client.ts';

export type FloorResult = { lag: Lags; cost: Cost; timedOut: boolean; events: number };

export async function runFloor(
  sample: string,
  subscribers: Subscribers,
  plan: { subscribers: number; events: number; windowMs: number; drainMs: number },
  core: number | undefined,
): Promise<FloorResult> {
  const broadcaster = startWorker<ToBroadcaster, FromBroadcaster>('../crowd/broadcaster.ts', {
    core,
  });
  try {
    const { port } = await broadcaster.call({ type: 'listen' }, 'listening');
    await subscribers.connect(`ws://127.0.0.1:${port}/`, plan.subscribers, { kind: 'raw' });
    // Same length as the sample's handle, so every message keeps the sample's size.
    const original = handleIn(sample) ?? '';
    const handles = Array.from({ length: plan.events }, (_, index) =>
      `raw_${index}`.padEnd(original.length, '_'),
    );
    const messages = handles.map((handle) =>
      sample.replace(`"handle":"${original}"`, `"handle":"${handle}"`),
    );
    const watch = watchCost(broadcaster.pid, 100);
    await subscribers.record();
    const intervalMs = plan.windowMs / plan.events;
    const { sentAt } = await broadcaster.call(
      { type: 'broadcast', messages, intervalMs },
      'broadcast',
    );
    const waited = await subscribers.wait(handles, plan.drainMs);
    const cost = watch.stop();
    const lag = await subscribers.lags(
      Object.fromEntries(handles.map((handle, index) => [handle, sentAt[index] ?? Number.NaN])),
    );
    await subscribers.close();
    return { lag, cost, timedOut: waited.timedOut, events: plan.events };
  } finally {
    broadcaster.stop();
  }
}
