import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type FromSubscribers, now, type SocketMode, type ToSubscribers } from './protocol.ts';

type Reply<Type extends FromSubscribers['type']> = Extract<FromSubscribers, { type: Type }>;

/** Starts the subscriber process and speaks to it one request at a time. */
export async function startSubscriberProcess() {
  const entry = fileURLToPath(new URL('./subscribers.ts', import.meta.url));
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`subscriber process exited with ${code}`)));
  });
  exited.catch(() => {});

  function request<Type extends FromSubscribers['type']>(
    message: ToSubscribers,
    replyType: Type,
  ): Promise<Reply<Type>> {
    const reply = new Promise<Reply<Type>>((resolve) => {
      const listener = (answer: FromSubscribers) => {
        if (answer.type !== replyType) return;
        child.off('message', listener);
        resolve(answer as Reply<Type>);
      };
      child.on('message', listener);
    });
    child.send(message);
    return Promise.race([reply, exited]);
  }

  /**
   * How far the subscribers' clock runs ahead of ours, from the quickest of a few round trips
   * (both read the wall clock at process start, which may differ slightly).
   */
  async function clockOffset() {
    let best = { roundTrip: Number.POSITIVE_INFINITY, offset: 0 };
    for (let attempt = 0; attempt < 20; attempt++) {
      const answer = await request({ type: 'clock', benchNow: now() }, 'clock');
      const back = now();
      const roundTrip = back - answer.benchNow;
      if (roundTrip < best.roundTrip) {
        best = { roundTrip, offset: answer.subscribersNow - (answer.benchNow + back) / 2 };
      }
    }
    return best;
  }

  return {
    pid: child.pid ?? 0,
    clockOffset,
    connect: (url: string, count: number, mode: SocketMode) =>
      request({ type: 'connect', url, count, mode }, 'connected'),
    /** Arms the counters; resolves with the receipts once every socket has `events` of them. */
    async expect(events: number, timeoutMs: number) {
      const received = new Promise<Reply<'received'>>((resolve) => {
        const listener = (answer: FromSubscribers) => {
          if (answer.type !== 'received') return;
          child.off('message', listener);
          resolve(answer);
        };
        child.on('message', listener);
      });
      await request({ type: 'expect', events, timeoutMs }, 'expecting');
      const receivedOrExit = Promise.race([received, exited]);
      // The caller may fail before it waits for this; its own error is the one to report.
      receivedOrExit.catch(() => {});
      return { received: receivedOrExit };
    },
    close: () => request({ type: 'close' }, 'closed'),
    stop() {
      child.disconnect();
    },
  };
}

export type SubscriberProcess = Awaited<ReturnType<typeof startSubscriberProcess>>;
