/**
 * The timing process: the speaker and the timed listeners and fan-out receivers (a sample spread
 * over join order, see peer-processes.ts), on the core the relay does not use. It answers
 * the bench process's requests (see protocol.ts) and times each packet from the speaker's send
 * call to each timed listener's receipt. It is kept lightly loaded so that its event loop is
 * idle when a packet arrives: its times are the relay's path, not its own queue.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createRelayListeners, type OnRtp, openUdpReceivers } from './listeners.ts';
import { captureOpus } from './opus-capture.ts';
import { now, type Replies, SPEAKER_ID, type ToPeers } from './protocol.ts';
import { openWindow, type ReceiptWindow } from './receipts.ts';
import { serveRequests } from './serve-requests.ts';
import { createSpeaker, type Speaker } from './speaker.ts';
import { startStunResponder } from './stun-responder.ts';

const CAPTURE_SECONDS = 4;

let speaker: Speaker | undefined;
let window: { audience: 'relay' | 'udp'; receipts: ReceiptWindow } | undefined;
let udp: Awaited<ReturnType<typeof openUdpReceivers>> | undefined;
let strayMark = 0;

const recordFor =
  (audience: 'relay' | 'udp'): OnRtp =>
  (listener, sequenceNumber) => {
    const at = now();
    if (window?.audience === audience) window.receipts.record(listener, sequenceNumber, at);
  };
const stun = await startStunResponder();
const listeners = await createRelayListeners(SPEAKER_ID, recordFor('relay'));

function theSpeaker(): Speaker {
  if (!speaker) throw new Error('no speaker yet: capture first');
  return speaker;
}

async function handle(message: ToPeers): Promise<Replies[ToPeers['type']]> {
  switch (message.type) {
    case 'capture': {
      const packets = await captureOpus(CAPTURE_SECONDS, stun.url);
      speaker = createSpeaker(packets, stun.url);
      const sizes = packets.map((packet) => packet.payload.length);
      return {
        packets: sizes.length,
        meanBytes: sizes.reduce((sum, size) => sum + size, 0) / sizes.length,
        minBytes: Math.min(...sizes),
        maxBytes: Math.max(...sizes),
        stunUrl: stun.url,
      };
    }
    case 'speaker':
      return { answer: await theSpeaker().answer(message.offer) };
    case 'speaker-connected':
      return { srtpProfile: await theSpeaker().connected() };
    case 'target':
      await theSpeaker().setTarget(message.target);
      return {};
    case 'listen':
      return { answer: await listeners.join(message.offer) };
    case 'leave':
      listeners.leave(message.count);
      return {};
    case 'ready':
      return { ...listeners.readiness(), speaker: speaker?.state ?? 'none' };
    case 'udp-open':
      await udp?.close();
      udp = await openUdpReceivers(message.count, recordFor('udp'));
      return { ports: udp.ports };
    case 'udp-close':
      await udp?.close();
      udp = undefined;
      return {};
    case 'count-open':
    case 'count-close':
      throw new Error('the timing process times its listeners: send it measure');
    case 'measure': {
      const from = theSpeaker();
      const count = message.audience === 'relay' ? listeners.count : (udp?.ports.length ?? 0);
      const receipts = openWindow(from.log, from.nextSequence, count, message.windowMs);
      window = { audience: message.audience, receipts };
      await sleep(message.windowMs);
      receipts.endSending();
      await sleep(message.graceMs);
      window = undefined;
      const strays = listeners.strays - strayMark;
      strayMark = listeners.strays;
      return receipts.result(strays);
    }
  }
}

serveRequests(handle, () => {
  listeners.close();
});
