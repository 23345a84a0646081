/**
 * The counting process: every listener that is not timed (see peer-processes.ts), on the core of
 * the timing process, and as many of the fan-out's receivers. Each listener does full ICE and
 * DTLS-SRTP in libdatachannel and counts the speaker's packets it receives, so loss is judged at
 * every listener; none is timed here, since this process's event loop is the busy part of the
 * load generator.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { type CountWindow, openCountWindow } from './count-window.ts';
import { createRelayListeners, type OnRtp, openUdpReceivers } from './listeners.ts';
import { type Replies, SPEAKER_ID, type ToPeers } from './protocol.ts';
import { serveRequests } from './serve-requests.ts';

/**
 * Below the timing process's weight by ten to one while a window is open, so that it preempts
 * this process on their shared core; not the lowest (19), under which other work on a busy host
 * starved this process until 2,000 listeners could not even join (0 of 2,000 ready after 140 s,
 * twice).
 */
const NICENESS_IN_WINDOWS = 10;

/**
 * Sets the priority of every thread there is (threads started later inherit it from the thread
 * that starts them). Niced only during windows: the timing process shares this core and must run
 * the moment a packet reaches it then, while joins (no window open) are this process's heaviest
 * work, which a niced process on a shared host did not finish in the step's budget at 2,000
 * (453-1,207 failed, once at nice 10). Linux lets only a privileged process lower its niceness
 * again; elsewhere this process stays niced after its first window. Linux takes a thread id for
 * a pid here.
 */
function setNiceness(niceness: number): void {
  for (const thread of readdirSync('/proc/self/task')) {
    try {
      setPriority(Number(thread), niceness);
    } catch {
      // A thread that has exited meanwhile, or no privilege to raise the priority again.
    }
  }
}

let window: { audience: 'relay' | 'udp'; counts: CountWindow } | undefined;
let udp: Awaited<ReturnType<typeof openUdpReceivers>> | undefined;
let strayMark = 0;
const recordFor =
  (audience: 'relay' | 'udp'): OnRtp =>
  (listener, sequenceNumber) => {
    if (window?.audience === audience) window.counts.record(listener, sequenceNumber);
  };
const listeners = await createRelayListeners(SPEAKER_ID, recordFor('relay'));

async function handle(message: ToPeers): Promise<Replies[ToPeers['type']]> {
  switch (message.type) {
    case 'listen':
      return { answer: await listeners.join(message.offer) };
    case 'leave':
      listeners.leave(message.count);
      return {};
    case 'ready':
      return { ...listeners.readiness(), speaker: 'none' };
    case 'udp-open':
      await udp?.close();
      udp = await openUdpReceivers(message.count, recordFor('udp'));
      return { ports: udp.ports };
    case 'udp-close':
      await udp?.close();
      udp = undefined;
      return {};
    case 'count-open': {
      const count = message.audience === 'relay' ? listeners.count : (udp?.ports.length ?? 0);
      window = { audience: message.audience, counts: openCountWindow(count) };
      setNiceness(NICENESS_IN_WINDOWS);
      return {};
    }
    case 'count-close': {
      if (!window) throw new Error('no counting window is open');
      const { audience, counts } = window;
      window = undefined;
      setNiceness(0);
      const strays = listeners.strays - strayMark;
      strayMark = listeners.strays;
      return counts.result(message.firstSequence, message.sent, audience === 'relay' ? strays : 0);
    }
    default:
      throw new Error(`the counting process only holds listeners, not ${message.type}`);
  }
}

serveRequests(handle, () => {
  listeners.close();
});
