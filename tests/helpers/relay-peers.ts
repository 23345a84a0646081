import { createRequire } from 'node:module';
import {
  useAudioLevelIndication,
  useOPUS,
  RTCPeerConnection as WeriftPeerConnection,
} from 'werift';
import type { RelayMessage, SlotAnnouncement } from '../../server/media/relay/relay-messages.ts';

// @roamhq/wrtc is CommonJS whose exports Node's ESM loader cannot name, and its types have no
// default export: require it with its own types.
type Wrtc = typeof import('@roamhq/wrtc');
const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;

const SAMPLE_RATE = 48_000;
const FRAME_SAMPLES = 480;
const FRAME_MS = 10;
/** Decoded frames quieter than this (RMS, 16-bit full scale 32767) count as silence. */
const SILENCE_RMS = 300;

/** Waits until `condition` holds, polling; fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What every test client of the relay exposes: its answer and the relay's messages to it. */
export type RelayTestClient = {
  /** The SDP answer to pass to `relay.answer`, ICE gathered. */
  readonly answer: string;
  readonly messages: readonly RelayMessage[];
  /** Sends a raw message to the relay on the `amphi` data channel. */
  send(message: string): void;
  /** The latest `slots` message, if any. */
  slots(): SlotAnnouncement[] | undefined;
  /** The mid on which this client hears `participantId`, once announced. */
  midOf(participantId: string): string | undefined;
  close(): Promise<void>;
};

type SlotsMessage = Extract<RelayMessage, { type: 'slots' }>;
type OfferMessage = Extract<RelayMessage, { type: 'offer' }>;

/** How a test client treats the relay's re-offers. @default 'answer' */
export type ReofferHandling = 'answer' | 'ignore';

/**
 * Answers each re-offer the relay sends on the data channel, one at a time, as the web client
 * does: `answer` applies it and returns the answer's SDP.
 */
function reofferAnswerer(
  handling: ReofferHandling,
  answer: (offer: string) => Promise<string>,
  send: (message: string) => void,
) {
  let queue = Promise.resolve();
  return (message: RelayMessage) => {
    if (message.type !== 'offer' || handling === 'ignore') return;
    const { revision, sdp } = message as OfferMessage;
    queue = queue.then(async () => {
      const answered = await answer(sdp);
      send(JSON.stringify({ type: 'answer', revision, sdp: answered }));
    });
  };
}

/** The relay's data-channel messages to a test client, and the slots they announced. */
export function messageLog() {
  const messages: RelayMessage[] = [];
  const slots = () =>
    messages.findLast((message): message is SlotsMessage => message.type === 'slots')?.slots;
  return {
    messages,
    receive: (data: string) => {
      const message = JSON.parse(data) as RelayMessage;
      messages.push(message);
      return message;
    },
    slots,
    midOf: (participantId: string) =>
      slots()?.find((slot) => slot.participantId === participantId)?.mid,
  };
}

/** Decoded audio received on one mid: frames, frames with sound, zero crossings for pitch. */
export type AudioTally = { frames: number; loudFrames: number; samples: number; crossings: number };

export type WrtcTestClient = RelayTestClient & {
  /** Decoded audio per slot mid (only with `listen`). */
  audio(mid: string): AudioTally;
  /** The mids of the slot transceivers, including those added by re-offers. */
  readonly slotMids: readonly string[];
  /** RTP packets received on every transceiver, from the client's own statistics. */
  packetsReceived(): Promise<number>;
  /** Packets the relay says it sent, per its latest RTCP sender report, summed over slots. */
  packetsReportedSent(): Promise<number>;
  /** Applies a re-offer and returns its answer without sending it (with `reoffers: 'ignore'`). */
  answerReoffer(sdp: string): Promise<string>;
};

function startSine(source: InstanceType<Wrtc['nonstandard']['RTCAudioSource']>, hz: number) {
  return startFrames(source, (frame) => {
    const samples = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const t = (frame * FRAME_SAMPLES + i) / SAMPLE_RATE;
      samples[i] = Math.round(Math.sin(2 * Math.PI * hz * t) * 0.3 * 32767);
    }
    return samples;
  });
}

/** Plays 48 kHz samples once, then silence. */
function startSpeech(
  source: InstanceType<Wrtc['nonstandard']['RTCAudioSource']>,
  pcm: Int16Array,
  onFrame?: (frame: number) => void,
) {
  return startFrames(source, (frame) => {
    onFrame?.(frame);
    const samples = new Int16Array(FRAME_SAMPLES);
    samples.set(pcm.subarray(frame * FRAME_SAMPLES, (frame + 1) * FRAME_SAMPLES));
    return samples;
  });
}

function startFrames(
  source: InstanceType<Wrtc['nonstandard']['RTCAudioSource']>,
  frameAt: (frame: number) => Int16Array,
) {
  let sent = 0;
  const started = performance.now();
  // Frames are pushed by elapsed time, not per tick, so timer jitter does not slow the stream.
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - started) / FRAME_MS);
    for (; sent < due; sent++) {
      source.onData({ samples: frameAt(sent), sampleRate: SAMPLE_RATE, channelCount: 1 });
    }
  }, FRAME_MS);
  return () => clearInterval(timer);
}

async function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
}

export type WrtcClientOptions = {
  /** Send a sine on the microphone transceiver. */
  speak?: boolean;
  /** Sine pitch in Hz. @default 440 */
  hz?: number;
  /** With `speak`, play these 48 kHz mono samples once (then silence) instead of a sine. */
  speech?: Int16Array;
  /**
   * With `speech`, called as each 10 ms frame is read from it, just before the frame goes to the
   * sender: a benchmark times the speaker's side here, and may write into `speech` ahead of it.
   */
  onSpeechFrame?: (frame: number) => void;
  /** Decode every slot and tally its audio. */
  listen?: boolean;
  reoffers?: ReofferHandling;
};

/**
 * A libwebrtc client (@roamhq/wrtc), as a browser would connect: it applies the relay's offer,
 * optionally sends a sine (48 kHz mono, 10 ms frames) on the first (microphone) transceiver, and
 * optionally decodes every slot to count audible frames and estimate their pitch.
 */
export async function connectWrtcClient(
  offer: string,
  options: WrtcClientOptions = {},
): Promise<WrtcTestClient> {
  const pc = new wrtc.RTCPeerConnection({ iceServers: [] });
  const log = messageLog();
  const tallies = new Map<string, AudioTally>();
  const sinks: { stop(): void }[] = [];
  const slotTransceivers: RTCRtpTransceiver[] = [];
  let channel: RTCDataChannel | undefined;
  let stopSine = () => {};
  const send = (message: string) => channel?.send(message);
  const listenTo = (transceivers: RTCRtpTransceiver[]) => {
    for (const slot of transceivers) {
      slotTransceivers.push(slot);
      if (!options.listen) continue;
      const tally: AudioTally = { frames: 0, loudFrames: 0, samples: 0, crossings: 0 };
      tallies.set(slot.mid ?? '', tally);
      const sink = new wrtc.nonstandard.RTCAudioSink(slot.receiver.track);
      sink.ondata = ({ samples }: { samples: Int16Array }) => tallyFrame(tally, samples);
      sinks.push(sink);
    }
  };
  const answerReoffer = async (sdp: string) => {
    await pc.setRemoteDescription({ type: 'offer', sdp });
    listenTo(pc.getTransceivers().filter((t, i) => i > 0 && !slotTransceivers.includes(t)));
    await pc.setLocalDescription(await pc.createAnswer());
    return pc.localDescription?.sdp ?? '';
  };
  const onReoffer = reofferAnswerer(options.reoffers ?? 'answer', answerReoffer, send);
  pc.addEventListener('datachannel', (event) => {
    channel = event.channel;
    channel.addEventListener('message', ({ data }) => onReoffer(log.receive(String(data))));
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  const [microphone, ...slots] = pc.getTransceivers();
  if (!microphone) throw new Error('The relay offered no microphone transceiver.');
  if (options.speak) {
    const source = new wrtc.nonstandard.RTCAudioSource();
    microphone.direction = 'sendonly';
    await microphone.sender.replaceTrack(source.createTrack());
    stopSine = options.speech
      ? startSpeech(source, options.speech, options.onSpeechFrame)
      : startSine(source, options.hz ?? 440);
  }
  listenTo(slots);
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);

  return {
    answer: pc.localDescription?.sdp ?? '',
    messages: log.messages,
    slots: log.slots,
    midOf: log.midOf,
    send,
    answerReoffer,
    get slotMids() {
      return slotTransceivers.map((slot) => slot.mid ?? '');
    },
    audio: (mid) => tallies.get(mid) ?? { frames: 0, loudFrames: 0, samples: 0, crossings: 0 },
    async packetsReceived() {
      let packets = 0;
      (await pc.getStats()).forEach((report: { type: string; packetsReceived?: number }) => {
        if (report.type === 'inbound-rtp') packets += report.packetsReceived ?? 0;
      });
      return packets;
    },
    async packetsReportedSent() {
      let packets = 0;
      (await pc.getStats()).forEach((report: { type: string; packetsSent?: number }) => {
        if (report.type === 'remote-outbound-rtp') packets += report.packetsSent ?? 0;
      });
      return packets;
    },
    async close() {
      stopSine();
      for (const sink of sinks) sink.stop();
      pc.close();
    },
  };
}

function tallyFrame(tally: AudioTally, samples: Int16Array): void {
  let energy = 0;
  for (const sample of samples) energy += sample * sample;
  tally.frames++;
  if (Math.sqrt(energy / samples.length) < SILENCE_RMS) return;
  tally.loudFrames++;
  tally.samples += samples.length;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i - 1]! < 0 !== samples[i]! < 0) tally.crossings++;
  }
}

/** The pitch of a tally's audible frames, from zero crossings (two per period). */
export function pitchOf(tally: AudioTally): number {
  return tally.samples === 0 ? 0 : (tally.crossings / 2 / tally.samples) * SAMPLE_RATE;
}

export type WeriftTestClient = RelayTestClient & {
  /** RTP packets received on a mid. */
  packetsOn(mid: string): number;
  /** RTP packets received on every mid. */
  totalPackets(): number;
};

/** A werift client that only counts the RTP packets it receives on each mid: cheap for load. */
export async function connectWeriftClient(
  offer: string,
  options: { reoffers?: ReofferHandling } = {},
): Promise<WeriftTestClient> {
  const pc = new WeriftPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    bundlePolicy: 'max-bundle',
    codecs: { audio: [useOPUS()] },
    headerExtensions: { audio: [useAudioLevelIndication()] },
  });
  const log = messageLog();
  const packets = new Map<string, number>();
  const counted = new Set<unknown>();
  let channel: { send(message: string): void } | undefined;
  const send = (message: string) => channel?.send(message);
  const countPackets = () => {
    for (const transceiver of pc.getTransceivers()) {
      if (counted.has(transceiver)) continue;
      counted.add(transceiver);
      const mid = transceiver.mid ?? '';
      for (const track of transceiver.receiver.tracks) {
        track.onReceiveRtp.subscribe(() => packets.set(mid, (packets.get(mid) ?? 0) + 1));
      }
    }
  };
  const onReoffer = reofferAnswerer(
    options.reoffers ?? 'answer',
    async (sdp) => {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      countPackets();
      return pc.localDescription?.sdp ?? '';
    },
    send,
  );
  pc.onDataChannel.subscribe((opened) => {
    channel = opened;
    opened.onMessage.subscribe((data) => onReoffer(log.receive(data.toString())));
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  // Sendonly as browsers make it: werift hands an inactive transceiver to the next new m-line
  // of a re-offer, moving the microphone's mid.
  pc.getTransceivers()[0]?.setDirection('sendonly');
  countPackets();
  await pc.setLocalDescription(await pc.createAnswer());

  return {
    answer: pc.localDescription?.sdp ?? '',
    messages: log.messages,
    slots: log.slots,
    midOf: log.midOf,
    send,
    packetsOn: (mid) => packets.get(mid) ?? 0,
    totalPackets: () => [...packets.values()].reduce((sum, count) => sum + count, 0),
    close: () => pc.close(),
  };
}
