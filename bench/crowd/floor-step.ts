/**
 * The floor beside the crowd: the same joins told the same way, by a bare `ws` server (its own
 * process, on the server's core) to as many sockets of the same subscriber process: the joins
 * scheduled in each interval Amphi gathers (LISTENER_CHANGES_INTERVAL_MS) go out together at its
 * end, in a copy of a ListenersChanged Amphi sent, its person repeated with each one's handle.
 */

import { LISTENER_CHANGES_INTERVAL_MS } from '../../server/spaces/listener-changes.ts';
import { type Cost, watchCost } from '../hostile/proc-stats.ts';
import { startWorker } from '../hostile/workers.ts';
import { type FromBroadcaster, handlesIn, type Lags, type ToBroadcaster } from './protocol.ts';
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
    const original = handlesIn(sample)[0] ?? '';
    // Same length as the sample's handle, so every person in a message keeps the sample's size.
    const handles = Array.from({ length: plan.events }, (_, index) =>
      `raw_${index}`.padEnd(original.length, '_'),
    );
    const joinIntervalMs = plan.windowMs / plan.events;
    const perMessage = Math.max(1, Math.round(LISTENER_CHANGES_INTERVAL_MS / joinIntervalMs));
    const messages: string[] = [];
    for (let start = 0; start < handles.length; start += perMessage) {
      messages.push(gathered(sample, original, handles.slice(start, start + perMessage)));
    }
    const watch = watchCost(broadcaster.pid, 100);
    await subscribers.record();
    const intervalMs = perMessage * joinIntervalMs;
    const { sentAt } = await broadcaster.call(
      { type: 'broadcast', messages, intervalMs },
      'broadcast',
    );
    const waited = await subscribers.wait(handles, plan.drainMs);
    const cost = watch.stop();
    // As Amphi's lag runs from each join's answer, the floor's runs from each join's turn, so
    // both include the wait for the interval's end.
    const first = (sentAt[0] ?? Number.NaN) - intervalMs;
    const lag = await subscribers.lags(
      Object.fromEntries(handles.map((handle, index) => [handle, first + index * joinIntervalMs])),
    );
    await subscribers.close();
    return { lag, cost, timedOut: waited.timedOut, events: plan.events };
  } finally {
    broadcaster.stop();
  }
}

/** `sample` (a ListenersChanged with one person) listing `handles` instead, each as that person. */
function gathered(sample: string, original: string, handles: string[]): string {
  const message = JSON.parse(sample) as {
    payload: { data: { spaceEvents: { joined: unknown[] } } };
  };
  const event = message.payload.data.spaceEvents;
  const person = JSON.stringify(event.joined[0]);
  event.joined = handles.map((handle) =>
    JSON.parse(person.replace(`"handle":"${original}"`, `"handle":"${handle}"`)),
  );
  return JSON.stringify(message);
}
