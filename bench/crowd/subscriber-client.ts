import { startWorker } from '../hostile/workers.ts';
import { type FromSubscribers, now, type SocketMode, type ToSubscribers } from './protocol.ts';

/**
 * The subscriber process, spoken to one request at a time. Reference times given to `lags` are
 * in the bench's clock; they are moved into the subscribers' clock (measured at start) here.
 */
export async function startSubscribers(core: number | undefined) {
  const worker = startWorker<ToSubscribers, FromSubscribers>('../crowd/subscribers.ts', { core });
  let best = { roundTrip: Number.POSITIVE_INFINITY, offset: 0 };
  for (let attempt = 0; attempt < 20; attempt++) {
    const answer = await worker.call({ type: 'clock', benchNow: now() }, 'clock');
    const back = now();
    const roundTrip = back - answer.benchNow;
    if (roundTrip < best.roundTrip) {
      best = { roundTrip, offset: answer.subscribersNow - (answer.benchNow + back) / 2 };
    }
  }
  const clock = best;
  return {
    pid: worker.pid,
    clock,
    async connect(url: string, count: number, mode: SocketMode) {
      const answer = await worker.call({ type: 'connect', url, count, mode }, 'connected');
      return {
        connected: answer.count,
        failed: answer.failed,
        retried: answer.retried,
        firstError: answer.firstError,
      };
    },
    record: () => worker.call({ type: 'record' }, 'recording'),
    wait: (handles: string[], timeoutMs: number) =>
      worker.call({ type: 'wait', handles, timeoutMs }, 'waited'),
    async lags(reference: Record<string, number>) {
      const shifted = Object.fromEntries(
        Object.entries(reference).map(([handle, at]) => [handle, at + clock.offset]),
      );
      return (await worker.call({ type: 'lags', reference: shifted }, 'lags')).lags;
    },
    close: () => worker.call({ type: 'close' }, 'closed'),
    stop: () => worker.stop(),
  };
}

export type Subscribers = Awaited<ReturnType<typeof startSubscribers>>;
