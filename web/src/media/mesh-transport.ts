import type { Clock } from './clock.ts';
import type { RemoteHearing } from './drain-policy.ts';
import { createEmitter } from './emitter.ts';
import { MediaError, MediaErrorReason, toMediaError } from './errors.ts';
import type { MediaTransport, TransportEvents } from './media-transport.ts';
import { destroyPrepared, type PreparedPeer } from './mesh-offers.ts';
import { createSimplePeer, type MeshPeer, type MeshPeerFactory } from './mesh-peer.ts';
import type { MeshLink } from './mesh-plan.ts';
import { sampleMeshPeers } from './mesh-sample.ts';
import {
  type MeshWireSignal,
  type PeerSignalData,
  parseMeshSignal,
  parsePeerMessage,
} from './mesh-signal.ts';
import { PendingSignals } from './pending-signals.ts';
import { randomId } from './random-id.ts';
import { CANDIDATE_WAIT_MS, SignalQueue } from './signal-queue.ts';
import { createTimers, type Timers } from './timers.ts';
import type { MediaSignalling } from './types.ts';

/** A mesh peer as `stats()` shows it. */
export type MeshPeerInfo = {
  participantId: string;
  initiator: boolean;
  session: string | null;
  connected: boolean;
  iceState: RTCIceConnectionState;
  /** How they last said they hear us, null before any report. */
  remoteHearing: RemoteHearing | null;
};

export interface MeshTransport extends MediaTransport {
  /**
   * The links to hold. Peers not listed are closed. With `connectNew` false (the space moved to
   * the relay) no peer is created or recreated: listed peers live until closed or unlisted.
   */
  update(links: readonly MeshLink[], options: { connectNew: boolean }): void;
  /** What we tell a peer about how we hear them, so it knows when we no longer need it. */
  setHearing(participantId: string, hearing: RemoteHearing): void;
  peers(): MeshPeerInfo[];
}

export type MeshTimings = {
  /** ICE restart after `disconnected` lasted this long. */
  disconnectedMs: number;
  /** Recreate a peer (or ask the initiator to) when not connected after this long. */
  connectTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long signals from someone not (yet) in our plan are kept. */
  pendingTtlMs: number;
};

export type MeshTransportOptions = {
  signalling: Pick<MediaSignalling, 'selfParticipantId' | 'sendSignal' | 'onSignal'>;
  rtcConfig?: RTCConfiguration | undefined;
  clock: Clock;
  createPeer?: MeshPeerFactory | undefined;
  /** The stream our track is sent in (its id is the msid the other side sees). */
  createStream?: ((track: MediaStreamTrack) => MediaStream) | undefined;
  timings?: Partial<MeshTimings> | undefined;
  /**
   * The link to hold at once with someone not (yet) in the plan whose offer arrives (our roster
   * may lag theirs by an event), or null to keep their signals until the plan has them.
   * Such a link lasts `pendingTtlMs` unless the plan takes it up.
   */
  acceptEarly?: ((participantId: string) => MeshLink | null) | undefined;
  /**
   * Peers made before joining (`prepareMeshOffers`), taken up by the links this side initiates;
   * those the first `update` does not take up are destroyed.
   */
  prepared?: Map<string, PreparedPeer> | undefined;
};

const DEFAULT_TIMINGS: MeshTimings = {
  disconnectedMs: 3_000,
  connectTimeoutMs: 15_000,
  retryBaseMs: 1_000,
  retryMaxMs: 10_000,
  pendingTtlMs: 15_000,
};
const MAX_BUFFERED_SIGNALS = 50;

type TimerName = 'retry' | 'watchdog' | 'disconnected';

type Entry = {
  link: MeshLink;
  peer: MeshPeer | null;
  session: string | null;
  startedAt: number;
  connected: boolean;
  iceState: RTCIceConnectionState;
  remoteStream: MediaStream | null;
  remoteHearing: RemoteHearing | null;
  localHearing: RemoteHearing;
  failures: number;
  lastIceRestartAt: number;
  timers: Timers<TimerName>;
  queue: SignalQueue;
  /** Signals of a session whose offer has not arrived yet. */
  early: MeshWireSignal[];
  /** Accepted before the plan listed them: dropped at this time unless the plan takes them up. */
  provisionalUntil: number | null;
};

/** Direct browser-to-browser audio with simple-peer, one peer per planned link. */
export function createMeshTransport(options: MeshTransportOptions): MeshTransport {
  const { signalling, clock } = options;
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const createPeer = options.createPeer ?? createSimplePeer;
  const createStream = options.createStream ?? ((track) => new MediaStream([track]));
  const events = createEmitter<TransportEvents>();
  const entries = new Map<string, Entry>();
  const pending = new PendingSignals(timings.pendingTtlMs, MAX_BUFFERED_SIGNALS);
  const prepared = new Map(options.prepared);
  let connectNew = true;
  let mic: MediaStreamTrack | null = null;
  let micStream: MediaStream | null = null;
  let closed = false;

  const fail = (entry: Entry, reason: MediaErrorReason, cause: unknown) =>
    events.emit('error', toMediaError(reason, cause, entry.link.participantId));

  const backoff = (entry: Entry) =>
    Math.min(timings.retryBaseMs * 2 ** Math.max(0, entry.failures - 1), timings.retryMaxMs);

  function applyTrack(entry: Entry) {
    if (!entry.peer) return;
    const track = entry.link.send ? mic : null;
    if (track && micStream) entry.peer.setTrack(track, micStream);
    else if (micStream) entry.peer.setTrack(null, micStream);
  }

  /** Forgets the current peer without triggering its close handling. */
  function dropPeer(entry: Entry) {
    const { peer } = entry;
    entry.timers.clearAll();
    entry.peer = null;
    entry.connected = false;
    entry.iceState = 'closed';
    entry.remoteHearing = null;
    peer?.destroy();
    if (entry.remoteStream) {
      entry.remoteStream = null;
      events.emit('stream-ended', { participantId: entry.link.participantId });
    }
  }

  function startPeer(entry: Entry, session: string, ready?: PreparedPeer) {
    dropPeer(entry);
    entry.queue.clear();
    const { participantId, initiator } = entry.link;
    const peer = ready?.peer ?? createPeer({ initiator, config: options.rtcConfig });
    entry.peer = peer;
    entry.session = session;
    entry.startedAt = clock.now();
    entry.iceState = 'new';
    entry.early = [];
    const current = () => entry.peer === peer;
    const onSignal = (data: PeerSignalData) => {
      if (current()) entry.queue.push({ kind: 'peer', session, data: [data] });
    };
    if (ready) ready.forward(onSignal);
    else peer.on('signal', onSignal);
    peer.on('connect', () => {
      if (!current()) return;
      entry.connected = true;
      entry.failures = 0;
      entry.timers.clear('watchdog');
      peer.send(JSON.stringify({ type: 'hearing', source: entry.localHearing }));
    });
    peer.on('track', (track, stream) => {
      if (!current() || track.kind !== 'audio' || entry.remoteStream === stream) return;
      entry.remoteStream = stream;
      events.emit('stream', { participantId, stream });
    });
    peer.on('data', (text) => {
      const message = current() ? parsePeerMessage(text) : null;
      if (message) entry.remoteHearing = message.source;
    });
    peer.on('ice-state', (state) => onIceState(entry, peer, state));
    peer.on('error', (error) => {
      // While draining, the other side closing the peer is the expected end, not a failure.
      if (current() && connectNew) fail(entry, MediaErrorReason.PeerFailed, error);
    });
    peer.on('close', () => {
      if (current()) onPeerClosed(entry);
    });
    applyTrack(entry);
    entry.timers.set('watchdog', timings.connectTimeoutMs, () => onStuck(entry));
  }

  function onIceState(entry: Entry, peer: MeshPeer, state: RTCIceConnectionState) {
    if (entry.peer !== peer) return;
    entry.iceState = state;
    if (state === 'connected' || state === 'completed') {
      entry.timers.clear('disconnected');
      // Before the data channel opens ('connect') the peer is not usable yet.
      if (entry.connected) entry.timers.clear('watchdog');
    } else if (state === 'disconnected') {
      entry.timers.set('disconnected', timings.disconnectedMs, () => restartIce(entry));
      entry.timers.set('watchdog', timings.connectTimeoutMs, () => onStuck(entry));
    }
  }

  function restartIce(entry: Entry) {
    const { peer, session } = entry;
    if (!peer || !session) return;
    if (!entry.link.initiator) {
      // Only the offerer can restart ICE; the answerer asks it to.
      entry.queue.push({ kind: 'restart-ice', session });
      return;
    }
    if (clock.now() - entry.lastIceRestartAt < timings.disconnectedMs) return;
    entry.lastIceRestartAt = clock.now();
    const pc = peer.pc;
    if (pc && typeof pc.restartIce === 'function') {
      pc.restartIce();
      peer.negotiate();
    } else {
      startPeer(entry, randomId());
    }
  }

  function onStuck(entry: Entry) {
    entry.failures += 1;
    if (!connectNew) return removeEntry(entry.link.participantId);
    if (entry.link.initiator) {
      // Every offer is a rate-limited API call: an unreachable peer must not cost one per timeout.
      dropPeer(entry);
      entry.timers.set('retry', backoff(entry), () => startPeer(entry, randomId()));
      return;
    }
    entry.queue.push({ kind: 'reconnect', session: entry.session });
    entry.timers.set('watchdog', timings.connectTimeoutMs + backoff(entry), () => onStuck(entry));
  }

  function onPeerClosed(entry: Entry) {
    const session = entry.session;
    dropPeer(entry);
    if (!connectNew) return removeEntry(entry.link.participantId);
    entry.failures += 1;
    if (entry.link.initiator) {
      entry.timers.set('retry', backoff(entry), () => startPeer(entry, randomId()));
    } else {
      entry.queue.push({ kind: 'reconnect', session });
      entry.timers.set('watchdog', timings.connectTimeoutMs, () => onStuck(entry));
    }
  }

  function handle(entry: Entry, signal: MeshWireSignal) {
    const { initiator } = entry.link;
    if (signal.kind === 'reconnect') {
      if (!initiator) return;
      if (signal.session !== null && signal.session !== entry.session) return;
      // A request without a session may cross our fresh offer: do not restart that one.
      const fresh = clock.now() - entry.startedAt < 2 * timings.retryBaseMs;
      if (signal.session === null && entry.peer && fresh) return;
      if (connectNew) startPeer(entry, randomId());
      return;
    }
    if (signal.kind === 'restart-ice') {
      if (initiator && signal.session === entry.session) restartIce(entry);
      return;
    }
    if (signal.session === entry.session && entry.peer) {
      for (const data of signal.data) entry.peer.signal(data);
      return;
    }
    if (initiator) return;
    if (signal.data[0]?.type === 'offer') {
      const early = entry.early.filter((item) => item.kind === 'peer');
      startPeer(entry, signal.session);
      for (const data of signal.data) entry.peer?.signal(data);
      for (const item of early) if (item.kind === 'peer') handle(entry, item);
    } else if (entry.early.length < MAX_BUFFERED_SIGNALS) {
      entry.early.push(signal);
    }
  }

  function receive(from: string, raw: unknown) {
    if (closed) return;
    const signal = parseMeshSignal(raw);
    if (!signal) return;
    const entry = entries.get(from);
    if (entry) return handle(entry, signal);
    const now = clock.now();
    const early = connectNew ? (options.acceptEarly?.(from) ?? null) : null;
    const offered = signal.kind === 'peer' && signal.data[0]?.type === 'offer';
    if (early && !early.initiator && offered) {
      return handle(addEntry(early, now + timings.pendingTtlMs), signal);
    }
    pending.add(from, signal, now);
  }

  function addEntry(link: MeshLink, provisionalUntil: number | null = null): Entry {
    const { participantId } = link;
    const entry: Entry = {
      link,
      peer: null,
      session: null,
      startedAt: clock.now(),
      connected: false,
      iceState: 'new',
      remoteStream: null,
      remoteHearing: null,
      localHearing: 'none',
      failures: 0,
      lastIceRestartAt: Number.NEGATIVE_INFINITY,
      timers: createTimers<TimerName>(clock),
      early: [],
      provisionalUntil,
      queue: new SignalQueue(
        (signal) => signalling.sendSignal(participantId, signal),
        (error) => fail(entry, MediaErrorReason.SignalFailed, error),
        clock,
        // Without microphone permission Chromium names its host candidates by mDNS, and they came
        // 20-100 ms after the description in traces of listeners joining: waiting for one only
        // held a listener's offer or answer back, and the stage's candidates suffice to connect.
        link.send ? CANDIDATE_WAIT_MS : 0,
      ),
    };
    entries.set(participantId, entry);
    if (link.initiator) {
      const ready = prepared.get(participantId);
      prepared.delete(participantId);
      startPeer(entry, ready?.session ?? randomId(), ready);
    } else entry.timers.set('watchdog', timings.connectTimeoutMs, () => onStuck(entry));
    for (const signal of pending.take(participantId)) handle(entry, signal);
    return entry;
  }

  function removeEntry(participantId: string) {
    const entry = entries.get(participantId);
    if (!entry) return;
    entries.delete(participantId);
    entry.queue.clear();
    dropPeer(entry);
  }

  /** Peers made before joining that no link took up. */
  function dropPrepared() {
    destroyPrepared(prepared);
    prepared.clear();
  }

  const unsubscribe = signalling.onSignal(receive);

  return {
    source: 'mesh',
    update(links, updateOptions) {
      if (closed) throw new MediaError(MediaErrorReason.Closed, 'mesh transport closed');
      connectNew = updateOptions.connectNew;
      const wanted = new Map(links.map((link) => [link.participantId, link]));
      const now = clock.now();
      for (const [id, entry] of [...entries]) {
        if (wanted.has(id)) continue;
        const provisional = entry.provisionalUntil !== null && now < entry.provisionalUntil;
        if (!provisional || !connectNew) removeEntry(id);
      }
      for (const link of links) {
        const entry = entries.get(link.participantId);
        if (!entry) {
          if (connectNew) addEntry(link);
          continue;
        }
        entry.provisionalUntil = null;
        const sendChanged = entry.link.send !== link.send;
        entry.link = link;
        if (sendChanged) applyTrack(entry);
        if (connectNew && link.initiator && !entry.peer && !entry.timers.has('retry')) {
          startPeer(entry, randomId());
        }
      }
      dropPrepared();
    },
    setHearing(participantId, hearing) {
      const entry = entries.get(participantId);
      if (!entry || entry.localHearing === hearing) return;
      entry.localHearing = hearing;
      if (entry.connected) entry.peer?.send(JSON.stringify({ type: 'hearing', source: hearing }));
    },
    setMicrophone(track) {
      mic = track;
      if (track && !micStream) micStream = createStream(track);
      for (const entry of entries.values()) applyTrack(entry);
    },
    streams() {
      const result = new Map<string, MediaStream>();
      for (const [id, entry] of entries) if (entry.remoteStream) result.set(id, entry.remoteStream);
      return result;
    },
    sample() {
      return sampleMeshPeers(
        [...entries].map(([id, entry]) => [
          id,
          { pc: entry.peer?.pc, stream: entry.remoteStream, session: entry.session },
        ]),
      );
    },
    peers() {
      return [...entries.values()].map((entry) => ({
        participantId: entry.link.participantId,
        initiator: entry.link.initiator,
        session: entry.session,
        connected: entry.connected,
        iceState: entry.iceState,
        remoteHearing: entry.remoteHearing,
      }));
    },
    on: events.on,
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      for (const id of [...entries.keys()]) removeEntry(id);
      dropPrepared();
      pending.clear();
      events.clear();
    },
  };
}
