/**
 * Step two, in its own process pinned to one core: one event to 10,000 graphql-ws subscribers of
 * Amphi (buildApp, in-memory PGlite), beside a raw `ws` broadcast of the same bytes to as many
 * sockets, with bench/subscriptions' own targets and measurement. Its subscriber process is moved
 * to the other core. Answers `measured` with both rows.
 */
import { pinToCore } from '../hostile/server-process.ts';
import { startAmphiTarget } from '../subscriptions/amphi-target.ts';
import {
  type Budget,
  connectUpTo,
  disconnectAll,
  type Measurement,
  measure,
  warmUp,
} from '../subscriptions/measure.ts';
import { startRawTarget } from '../subscriptions/raw-target.ts';
import { startSubscriberProcess } from '../subscriptions/subscriber-process.ts';
import type { Target } from '../subscriptions/target.ts';

export type ToFanout = { type: 'measure'; subscribers: number; clientCore: number | undefined };
export type FromFanout = { type: 'measured'; amphi: Measurement; raw: Measurement };

const budget: Budget = { maxRounds: 10, roundsMs: 5_000, maxBurst: 2, burstMs: 2_000 };

async function run({ subscribers, clientCore }: ToFanout): Promise<FromFanout> {
  const amphi = await startAmphiTarget(2 + budget.maxRounds + 2 + budget.maxBurst);
  const raw = await startRawTarget();
  const clients = await startSubscriberProcess();
  if (clientCore !== undefined) pinToCore(clients.pid, clientCore);
  try {
    const { offset } = await clients.clockOffset();
    await connectUpTo(amphi, clients, 1);
    const { received } = await clients.expect(1, 30_000);
    await amphi.publish(1);
    const { sample } = await received;
    await disconnectAll(amphi, clients);
    if (!sample) throw new Error('Amphi delivered no message to copy');
    raw.setPayload(sample);
    const once = async (target: Target) => {
      await connectUpTo(target, clients, subscribers);
      await warmUp(target, clients);
      const result = await measure(target, clients, budget, offset);
      await disconnectAll(target, clients);
      return result;
    };
    const rawRow = await once(raw);
    return { type: 'measured', amphi: await once(amphi), raw: rawRow };
  } finally {
    clients.stop();
    await Promise.all([amphi.stop(), raw.stop()]);
  }
}

process.on('message', (message: ToFanout) => {
  void run(message).then(
    (answer) => process.send?.(answer),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
