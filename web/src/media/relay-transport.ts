import type { Clock } from './clock.ts';
import { createEmitter } from './emitter.ts';
import { MediaError, MediaErrorReason, toMediaError } from './errors.ts';
import { type InboundSample, readInboundAudio } from './inbound-stats.ts';
import type { MediaTransport, TransportEvents } from './media-transport.ts';
import {
  parseOfferSlots,
  parseRelayMessage,
  type RelayParseResult,
  reofferAnswerMessage,
  type SlotAssignment,
} from './relay-messages.ts';
import { answerRelayOffer, answerRelayReoffer } from './relay-session.ts';
import { createTimers } from './timers.ts';
import type { MediaSignalling } from './types.ts';

export type RelayState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export type RelayEvents = TransportEvents & { state: RelayState };

/** The relay connection as `stats()` shows it. */
export type RelayInfo = { state: RelayState; sessionId: string | null; slots: SlotAssignment[] };

export interface RelayTransport extends MediaTransport<RelayEvents> {
  /** Opens the relay session; reopens it by itself whenever it fails. */
  connect(): void;
  state(): RelayState;
  /**
   * Each relayed speaker's level now, 0..1: the RFC 6464 level the relay forwards with every
   * packet, as the browser keeps it per source. A speaker whose packets carry none is left out.
   */
  levels(): ReadonlyMap<string, number>;
  info(): RelayInfo;
}

export type RelayTimings = {
  /** Reopen the session after ICE stayed `disconnected` this long. */
  disconnectedMs: number;
  /** Reopen when not connected this long after opening. */
  connectTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
};

export type RelayTransportOptions = {
  signalling: Pick<
    MediaSignalling,
    'selfParticipantId' | 'openRelay' | 'answerRelay' | 'onRelayLost'
  >;
  rtcConfig?: RTCConfiguration | undefined;
  clock: Clock;
  createPeerConnection?: ((config: RTCConfiguration | undefined) => RTCPeerConnection) | undefined;
  createStream?: ((track: MediaStreamTrack) => MediaStream) | undefined;
  timings?: Partial<RelayTimings> | undefined;
};

const DEFAULT_TIMINGS: RelayTimings = {
  disconnectedMs: 3_000,
  connectTimeoutMs: 20_000,
  retryBaseMs: 1_000,
  retryMaxMs: 10_000,
};

type Session = {
  generation: number;
  id: string;
  pc: RTCPeerConnection;
  stopWatchingLoss: () => void;
  uplink: RTCRtpTransceiver | null;
  slotTracks: Map<string, MediaStreamTrack>;
  slots: SlotAssignment[];
  channel: RTCDataChannel | null;
  /** Re-offers are answered one at a time, in the order they came. */
  renegotiation: Promise<void>;
};

/** A source's level stops counting after this long without a packet. */
const LEVEL_FRESH_MS = 1_000;

function levelOf(receiver: RTCRtpReceiver | undefined): number | undefined {
  // Not every RTCPeerConnection has it (older browsers, test fakes): then no level, no error.
  const source = receiver?.getSynchronizationSources?.()[0];
  if (source?.audioLevel === undefined) return undefined;
  // The spec counts from the page's time origin; older Chromium counted from the epoch.
  const now = source.timestamp > 1e12 ? Date.now() : performance.now();
  return now - source.timestamp > LEVEL_FRESH_MS ? 0 : source.audioLevel;
}

/** Audio through the server relay: one RTCPeerConnection, slots mapped by the data channel. */
export function createRelayTransport(options: RelayTransportOptions): RelayTransport {
  const { signalling, clock } = options;
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const createPc =
    options.createPeerConnection ?? ((config) => new RTCPeerConnection(config ?? {}));
  const createStream = options.createStream ?? ((track) => new MediaStream([track]));
  const events = createEmitter<RelayEvents>();
  const streams = new Map<string, { mid: string; stream: MediaStream }>();
  const timers = createTimers<'retry' | 'watchdog' | 'disconnected'>(clock);
  let state: RelayState = 'idle';
  let session: Session | null = null;
  let generation = 0;
  let failures = 0;
  let mic: MediaStreamTrack | null = null;

  const setState = (next: RelayState) => {
    if (state === next) return;
    state = next;
    events.emit('state', next);
  };

  function endStreams() {
    for (const participantId of [...streams.keys()]) {
      streams.delete(participantId);
      events.emit('stream-ended', { participantId });
    }
  }

  function teardown() {
    generation += 1;
    timers.clearAll();
    const pc = session?.pc;
    session?.stopWatchingLoss();
    session = null;
    pc?.close();
    endStreams();
  }

  function fail(forGeneration: number, cause: unknown) {
    if (forGeneration !== generation || state === 'closed') return;
    failures += 1;
    teardown();
    events.emit('error', toMediaError(MediaErrorReason.RelayFailed, cause));
    setState('reconnecting');
    const delay = Math.min(timings.retryBaseMs * 2 ** (failures - 1), timings.retryMaxMs);
    timers.set('retry', delay, open);
  }

  function applySlots(current: Session, slots: SlotAssignment[]) {
    current.slots = slots;
    const next = new Map<string, string>();
    for (const { mid, participantId } of slots) {
      if (participantId === signalling.selfParticipantId) continue;
      if (current.slotTracks.has(mid)) next.set(participantId, mid);
      else events.emit('error', protocolError(`slot mid ${mid} is not a receiving transceiver`));
    }
    // Removals first: a slot's track handed to someone else must never be played for two people.
    for (const [participantId, { mid }] of [...streams]) {
      if (next.get(participantId) === mid) continue;
      streams.delete(participantId);
      events.emit('stream-ended', { participantId });
    }
    for (const [participantId, mid] of next) {
      const track = current.slotTracks.get(mid);
      if (streams.has(participantId) || !track) continue;
      const stream = createStream(track);
      streams.set(participantId, { mid, stream });
      events.emit('stream', { participantId, stream });
    }
  }

  function onMessage(current: Session, data: unknown) {
    apply(current, parseRelayMessage(data));
  }

  function apply(current: Session, result: RelayParseResult) {
    if (!result.ok) return events.emit('error', protocolError(result.error));
    const { message } = result;
    if (message.type === 'slots') applySlots(current, message.slots);
    if (message.type === 'offer') answerReoffer(current, message.revision, message.sdp);
  }

  /**
   * A re-offer adds slot sections. Answered on the data channel, not through the API: the relay
   * sends the slots on the new sections once it has the answer. A failure leaves the session as
   * it was (hearing the slots it had), so it is reported, not fatal.
   */
  function answerReoffer(current: Session, revision: number, sdp: string) {
    const live = () => session === current && current.generation === generation;
    current.renegotiation = current.renegotiation.then(async () => {
      const { uplink, channel } = current;
      if (!live() || !uplink || !channel) return;
      try {
        const answer = await answerRelayReoffer(current.pc, sdp, uplink);
        if (!live()) return;
        current.slotTracks = answer.slotTracks;
        channel.send(reofferAnswerMessage(revision, answer.answer));
      } catch (error) {
        if (live()) events.emit('error', toMediaError(MediaErrorReason.RelayFailed, error));
      }
    });
  }

  function watch(current: Session) {
    const { pc, generation: own } = current;
    const live = () => session === current && own === generation;
    pc.addEventListener('datachannel', ({ channel }) => {
      if (channel.label !== 'amphi') return;
      current.channel = channel;
      channel.addEventListener('message', ({ data }) => {
        if (live()) onMessage(current, data);
      });
      channel.addEventListener('close', () => {
        if (live()) fail(own, new Error('the relay closed its data channel'));
      });
    });
    pc.addEventListener('iceconnectionstatechange', () => {
      if (!live()) return;
      const ice = pc.iceConnectionState;
      if (ice === 'connected' || ice === 'completed') {
        failures = 0;
        timers.clear('watchdog');
        timers.clear('disconnected');
        setState('connected');
      } else if (ice === 'disconnected') {
        timers.set('disconnected', timings.disconnectedMs, () =>
          fail(own, new Error('relay ICE disconnected')),
        );
      } else if (ice === 'failed') {
        fail(own, new Error('relay ICE failed'));
      }
    });
    pc.addEventListener('connectionstatechange', () => {
      if (live() && pc.connectionState === 'failed')
        fail(own, new Error('relay connection failed'));
    });
  }

  async function open() {
    const own = ++generation;
    setState(failures > 0 ? 'reconnecting' : 'connecting');
    timers.set('watchdog', timings.connectTimeoutMs, () =>
      fail(own, new Error('relay connection timed out')),
    );
    try {
      const { sessionId, offer, iceServers } = await signalling.openRelay();
      if (own !== generation) return;
      const pc = createPc(
        iceServers?.length ? { ...options.rtcConfig, iceServers } : options.rtcConfig,
      );
      const current: Session = {
        generation: own,
        id: sessionId,
        pc,
        stopWatchingLoss: signalling.onRelayLost(sessionId, () =>
          fail(own, new Error('the relay lost this session')),
        ),
        uplink: null,
        slotTracks: new Map(),
        slots: [],
        channel: null,
        renegotiation: Promise.resolve(),
      };
      session = current;
      watch(current);
      const answer = await answerRelayOffer(pc, offer, mic);
      if (own !== generation) return;
      current.uplink = answer.uplink;
      current.slotTracks = answer.slotTracks;
      // Slots held when the relay offered: played from the first packet; the data channel
      // brings every change after that.
      const offered = parseOfferSlots(offer);
      if (offered) apply(current, offered);
      if (answer.uplink.sender.track !== mic) await answer.uplink.sender.replaceTrack(mic);
      await signalling.answerRelay(sessionId, answer.answer);
    } catch (error) {
      fail(own, error);
    }
  }

  return {
    source: 'relay',
    connect() {
      if (state === 'closed') throw new MediaError(MediaErrorReason.Closed, 'relay closed');
      if (state === 'idle') void open();
    },
    state: () => state,
    levels() {
      const result = new Map<string, number>();
      const current = session;
      if (!current) return result;
      const receivers = new Map(current.pc.getTransceivers().map((t) => [t.mid, t.receiver]));
      for (const [participantId, { mid }] of streams) {
        const level = levelOf(receivers.get(mid));
        if (level !== undefined) result.set(participantId, level);
      }
      return result;
    },
    info: () => ({ state, sessionId: session?.id ?? null, slots: session?.slots ?? [] }),
    setMicrophone(track) {
      mic = track;
      const sender = session?.uplink?.sender;
      if (!sender || sender.track === track) return;
      sender.replaceTrack(track).catch((error: unknown) => {
        events.emit('error', toMediaError(MediaErrorReason.RelayFailed, error));
      });
    },
    streams() {
      return new Map([...streams].map(([participantId, { stream }]) => [participantId, stream]));
    },
    async sample() {
      const result = new Map<string, InboundSample>();
      const current = session;
      if (!current) return result;
      let report: RTCStatsReport;
      try {
        report = await current.pc.getStats();
      } catch {
        return result;
      }
      const midOfTrack = new Map([...current.slotTracks].map(([mid, track]) => [track.id, mid]));
      const byMid = new Map<string, { packetsReceived: number; audioLevel: number | null }>();
      for (const stats of readInboundAudio(report.values())) {
        const mid = stats.mid ?? midOfTrack.get(stats.trackIdentifier ?? '');
        if (mid) byMid.set(mid, stats);
      }
      for (const [participantId, { mid }] of streams) {
        const stats = byMid.get(mid);
        if (!stats) continue;
        const { packetsReceived, audioLevel } = stats;
        result.set(participantId, { trackId: `${current.id}:${mid}`, packetsReceived, audioLevel });
      }
      return result;
    },
    on: events.on,
    close() {
      if (state === 'closed') return;
      teardown();
      setState('closed');
      events.clear();
    },
  };
}

const protocolError = (message: string) =>
  new MediaError(MediaErrorReason.RelayProtocol, `ignored relay message: ${message}`);
