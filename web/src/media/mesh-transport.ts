import type { Clock } from './clock.ts';
import type { RemoteHearing } from './drain-policy.ts';
import { createEmitter } from './emitter.ts';
import { MediaError, MediaErrorReason } from './errors.ts';
import type { MediaTransport, TransportEvents } from './media-transport.ts';
import {
  createMeshLinkPeers,
  MAX_BUFFERED_SIGNALS,
  type MeshLinkState,
  type PeerTimings,
} from './mesh-link-peers.ts';
import { destroyPrepared, type PreparedPeer } from './mesh-offers.ts';
import { createSimplePeer, type MeshPeerFactory } from './mesh-peer.ts';
import type { MeshLink } from './mesh-plan.ts';
import { sampleMeshPeers } from './mesh-sample.ts';
import { parseMeshSignal } from './mesh-signal.ts';
import { PendingSignals } from './pending-signals.ts';
import { randomId } from './random-id.ts';
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

export type MeshTimings = PeerTimings & {
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

/** Direct browser-to-browser audio with simple-peer, one peer per planned link. */
export function createMeshTransport(options: MeshTransportOptions): MeshTransport {
  const { signalling, clock } = options;
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const createStream = options.createStream ?? ((track) => new MediaStream([track]));
  const events = createEmitter<TransportEvents>();
  const entries = new Map<string, MeshLinkState>();
  const pending = new PendingSignals(timings.pendingTtlMs, MAX_BUFFERED_SIGNALS);
  const prepared = new Map(options.prepared);
  let connectNew = true;
  let mic: MediaStreamTrack | null = null;
  let micStream: MediaStream | null = null;
  let closed = false;

  const linkPeers = createMeshLinkPeers({
    clock,
    timings,
    createPeer: options.createPeer ?? createSimplePeer,
    rtcConfig: options.rtcConfig,
    signalling,
    events,
    connectNew: () => connectNew,
    microphone: () => ({ track: mic, stream: micStream }),
    remove: removeEntry,
  });

  function receive(from: string, raw: unknown) {
    if (closed) return;
    const signal = parseMeshSignal(raw);
    if (!signal) return;
    const entry = entries.get(from);
    if (entry) return linkPeers.handle(entry, signal);
    const now = clock.now();
    const early = connectNew ? (options.acceptEarly?.(from) ?? null) : null;
    const offered = signal.kind === 'peer' && signal.data[0]?.type === 'offer';
    if (early && !early.initiator && offered) {
      return linkPeers.handle(addEntry(early, now + timings.pendingTtlMs), signal);
    }
    pending.add(from, signal, now);
  }

  function addEntry(link: MeshLink, provisionalUntil: number | null = null): MeshLinkState {
    const { participantId } = link;
    const entry = linkPeers.createLink(link, provisionalUntil);
    entries.set(participantId, entry);
    if (link.initiator) {
      const ready = prepared.get(participantId);
      prepared.delete(participantId);
      linkPeers.startPeer(entry, ready?.session ?? randomId(), ready);
    } else linkPeers.awaitOffer(entry);
    for (const signal of pending.take(participantId)) linkPeers.handle(entry, signal);
    return entry;
  }

  function removeEntry(participantId: string) {
    const entry = entries.get(participantId);
    if (!entry) return;
    entries.delete(participantId);
    entry.queue.clear();
    linkPeers.dropPeer(entry);
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
        if (sendChanged) linkPeers.applyTrack(entry);
        if (connectNew && link.initiator && !entry.peer && !entry.timers.has('retry')) {
          linkPeers.startPeer(entry, randomId());
        }
      }
      dropPrepared();
    },
    setHearing(participantId, hearing) {
      const entry = entries.get(participantId);
      if (entry) linkPeers.setHearing(entry, hearing);
    },
    setMicrophone(track) {
      mic = track;
      if (track && !micStream) micStream = createStream(track);
      for (const entry of entries.values()) linkPeers.applyTrack(entry);
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
