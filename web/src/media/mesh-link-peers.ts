import type { Clock } from './clock.ts';
import type { RemoteHearing } from './drain-policy.ts';
import type { Emitter } from './emitter.ts';
import { MediaErrorReason, toMediaError } from './errors.ts';
import type { TransportEvents } from './media-transport.ts';
import type { PreparedPeer } from './mesh-offers.ts';
import type { MeshPeer, MeshPeerFactory } from './mesh-peer.ts';
import type { MeshLink } from './mesh-plan.ts';
import { type MeshWireSignal, type PeerSignalData, parsePeerMessage } from './mesh-signal.ts';
import { randomId } from './random-id.ts';
import { CANDIDATE_WAIT_MS, SignalQueue } from './signal-queue.ts';
import { createTimers, type Timers } from './timers.ts';
import type { MediaSignalling } from './types.ts';

/** How a link's peer is watched and recovered. */
export type PeerTimings = {
  /** ICE restart after `disconnected` lasted this long. */
  disconnectedMs: number;
  /** Recreate a peer (or ask the initiator to) when not connected after this long. */
  connectTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
};

/** The most signals kept per sender for a session or a link that does not exist yet. */
export const MAX_BUFFERED_SIGNALS = 50;

type TimerName = 'retry' | 'watchdog' | 'disconnected';

/** One planned link and the peer that carries it now. */
export type MeshLinkState = {
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

export type MeshLinkPeersOptions = {
  clock: Clock;
  timings: PeerTimings;
  createPeer: MeshPeerFactory;
  rtcConfig: RTCConfiguration | undefined;
  signalling: Pick<MediaSignalling, 'sendSignal'>;
  /** Where `stream`, `stream-ended` and `error` go out. */
  events: Emitter<TransportEvents>;
  /** False once the space moved to the relay: no peer is created or recreated then. */
  connectNew: () => boolean;
  /** The track sent on links that send, and the stream it goes in. */
  microphone: () => { track: MediaStreamTrack | null; stream: MediaStream | null };
  /** Ends a link whose peer failed or closed while no new peers are made. */
  remove: (participantId: string) => void;
};

const hearingMessage = (source: RemoteHearing) => JSON.stringify({ type: 'hearing', source });

/**
 * The peer behind each mesh link: started (or taken over from before joining), fed its signals,
 * its ICE restarted when it disconnects, and recreated with backoff when it gets stuck or closes.
 */
export function createMeshLinkPeers(options: MeshLinkPeersOptions) {
  const { clock, timings, createPeer, events } = options;

  const fail = (entry: MeshLinkState, reason: MediaErrorReason, cause: unknown) =>
    events.emit('error', toMediaError(reason, cause, entry.link.participantId));

  const backoff = (entry: MeshLinkState) =>
    Math.min(timings.retryBaseMs * 2 ** Math.max(0, entry.failures - 1), timings.retryMaxMs);

  /** A link without a peer yet. */
  function createLink(link: MeshLink, provisionalUntil: number | null): MeshLinkState {
    const { participantId } = link;
    const entry: MeshLinkState = {
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
        (signal) => options.signalling.sendSignal(participantId, signal),
        (error) => fail(entry, MediaErrorReason.SignalFailed, error),
        clock,
        // Without microphone permission Chromium names its host candidates by mDNS, and they came
        // 20-100 ms after the description in traces of listeners joining: waiting for one only
        // held a listener's offer or answer back, and the stage's candidates suffice to connect.
        link.send ? CANDIDATE_WAIT_MS : 0,
      ),
    };
    return entry;
  }

  /** Sends the microphone on the link's peer, or stops sending it, as the link says. */
  function applyTrack(entry: MeshLinkState) {
    if (!entry.peer) return;
    const { track: mic, stream: micStream } = options.microphone();
    const track = entry.link.send ? mic : null;
    if (track && micStream) entry.peer.setTrack(track, micStream);
    else if (micStream) entry.peer.setTrack(null, micStream);
  }

  /** Forgets the current peer without triggering its close handling. */
  function dropPeer(entry: MeshLinkState) {
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

  /** Replaces the link's peer with a new one for `session`, or with `ready` made before joining. */
  function startPeer(entry: MeshLinkState, session: string, ready?: PreparedPeer) {
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
      peer.send(hearingMessage(entry.localHearing));
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
      if (current() && options.connectNew()) fail(entry, MediaErrorReason.PeerFailed, error);
    });
    peer.on('close', () => {
      if (current()) onPeerClosed(entry);
    });
    applyTrack(entry);
    entry.timers.set('watchdog', timings.connectTimeoutMs, () => onStuck(entry));
  }

  /** Gives the other side, the initiator, until the connect timeout to offer. */
  function awaitOffer(entry: MeshLinkState) {
    entry.timers.set('watchdog', timings.connectTimeoutMs, () => onStuck(entry));
  }

  function onIceState(entry: MeshLinkState, peer: MeshPeer, state: RTCIceConnectionState) {
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

  function restartIce(entry: MeshLinkState) {
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

  function onStuck(entry: MeshLinkState) {
    entry.failures += 1;
    if (!options.connectNew()) return options.remove(entry.link.participantId);
    if (entry.link.initiator) {
      // Every offer is a rate-limited API call: an unreachable peer must not cost one per timeout.
      dropPeer(entry);
      entry.timers.set('retry', backoff(entry), () => startPeer(entry, randomId()));
      return;
    }
    entry.queue.push({ kind: 'reconnect', session: entry.session });
    entry.timers.set('watchdog', timings.connectTimeoutMs + backoff(entry), () => onStuck(entry));
  }

  function onPeerClosed(entry: MeshLinkState) {
    const session = entry.session;
    dropPeer(entry);
    if (!options.connectNew()) return options.remove(entry.link.participantId);
    entry.failures += 1;
    if (entry.link.initiator) {
      entry.timers.set('retry', backoff(entry), () => startPeer(entry, randomId()));
    } else {
      entry.queue.push({ kind: 'reconnect', session });
      entry.timers.set('watchdog', timings.connectTimeoutMs, () => onStuck(entry));
    }
  }

  /** Acts on a signal from the link's participant. */
  function handle(entry: MeshLinkState, signal: MeshWireSignal) {
    const { initiator } = entry.link;
    if (signal.kind === 'reconnect') {
      if (!initiator) return;
      if (signal.session !== null && signal.session !== entry.session) return;
      // A request without a session may cross our fresh offer: do not restart that one.
      const fresh = clock.now() - entry.startedAt < 2 * timings.retryBaseMs;
      if (signal.session === null && entry.peer && fresh) return;
      if (options.connectNew()) startPeer(entry, randomId());
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

  /** Tells the peer how we hear them, so it knows when we no longer need it. */
  function setHearing(entry: MeshLinkState, hearing: RemoteHearing) {
    if (entry.localHearing === hearing) return;
    entry.localHearing = hearing;
    if (entry.connected) entry.peer?.send(hearingMessage(hearing));
  }

  return { createLink, startPeer, awaitOffer, dropPeer, applyTrack, handle, setHearing };
}
