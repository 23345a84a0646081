import { createSignal, onCleanup } from 'solid-js';
import type { Api } from '../api/graphql-client.ts';
import {
  graphqlSignalling,
  iceConfiguration,
  type JoinedMedia,
  participantIceServers,
} from '../api/media-signalling.ts';
import type { MeshInbox } from '../api/mesh-inbox.ts';
import {
  createRoomConnection,
  destroyPrepared,
  type MediaError,
  type MediaMode,
  type RemoteHealth,
  type RoomConnection,
  type RosterEntry,
} from '../media/index.ts';

/** How long an unmuted speaker may go unheard before we say so. */
const CANT_HEAR_GRACE_MS = 6000;

/**
 * A space's audio as Solid signals: one room connection for the viewer, each audible speaker
 * played in its own <audio> element, levels and health for the tiles, and whether the browser
 * blocked playback until a tap. Leaves the room when the owner is disposed. `inbox`, the mesh
 * signals subscribed to before joining, is what the first room connection reads them from.
 */
export function createRoomAudio(api: Api, spaceId: string, inbox: MeshInbox | null = null) {
  let unread = inbox;
  const [room, setRoom] = createSignal<RoomConnection | null>(null);
  const [levels, setLevels] = createSignal<ReadonlyMap<string, number>>(new Map());
  const [localLevel, setLocalLevel] = createSignal(0);
  const [health, setHealth] = createSignal<ReadonlyMap<string, RemoteHealth>>(new Map());
  const [blocked, setBlocked] = createSignal(false);
  const [error, setError] = createSignal<MediaError | null>(null);
  const players = new Map<string, HTMLAudioElement>();
  const unmutedSince = new Map<string, number>();
  let selfId: string | null = null;

  const play = (player: HTMLAudioElement) =>
    player.play().then(
      () => setBlocked(false),
      (problem: unknown) => {
        if (problem instanceof DOMException && problem.name === 'NotAllowedError') setBlocked(true);
      },
    );

  const attach = ({ participantId, stream }: { participantId: string; stream: MediaStream }) => {
    let player = players.get(participantId);
    if (!player) {
      player = document.createElement('audio');
      player.autoplay = true;
      player.dataset['participant'] = participantId;
      player.hidden = true;
      document.body.append(player);
      players.set(participantId, player);
    }
    player.srcObject = stream;
    void play(player);
  };

  const detach = ({ participantId }: { participantId: string }) => {
    players.get(participantId)?.remove();
    players.delete(participantId);
  };

  // Re-evaluates "can't hear" even when no health report arrives.
  const [tick, setTick] = createSignal(0);
  const ticker = setInterval(() => setTick((n) => n + 1), 1000);

  /** Bumped by every connect() and leave(), so only the latest attempt opens. */
  let generation = 0;
  let opening = false;

  function open(
    participantId: string,
    rtcConfig: RTCConfiguration | undefined,
    joined: JoinedMedia | null,
  ) {
    const next = createRoomConnection({
      signalling: graphqlSignalling(api, spaceId, participantId, joined?.relay ?? null, unread),
      ...(rtcConfig ? { rtcConfig } : {}),
      preparedMesh: joined?.preparedMesh,
    });
    next.on('remote-added', attach);
    next.on('remote-updated', attach);
    next.on('remote-removed', detach);
    next.on('levels', ({ local, remotes }) => {
      setLocalLevel(local);
      setLevels(remotes);
    });
    next.on('health', setHealth);
    next.on('error', setError);
    setRoom(next);
    Object.assign(window, {
      amphi: { room: next, api, spaceId, selfParticipantId: participantId },
    });
  }

  /** The signals subscribed to before joining go unread: end their subscription. */
  function dropUnread() {
    unread?.close();
    unread = null;
  }

  function leave() {
    dropUnread();
    generation++;
    opening = false;
    selfId = null;
    room()?.leave();
    setRoom(null);
    for (const participantId of [...players.keys()]) detach({ participantId });
  }
  onCleanup(() => {
    clearInterval(ticker);
    leave();
  });

  return {
    room,
    levels,
    localLevel,
    health,
    blocked,
    error,
    /**
     * Opens the connection once the viewer has a place in the space; `mode` is the space's media
     * mode then, if known.
     */
    connect(participantId: string, mode?: MediaMode, joined: JoinedMedia | null = null) {
      if (selfId === participantId && (room() || opening)) {
        destroyPrepared(joined?.preparedMesh);
        return;
      }
      room()?.leave();
      setRoom(null);
      selfId = participantId;
      const attempt = ++generation;
      // A relay space never goes back to the mesh, and the relay's session brings its own ICE
      // servers: asking for them first would only hold the relay's offer back a round trip.
      if (mode === 'RELAY') {
        dropUnread();
        open(participantId, undefined, joined);
        return;
      }
      // The join brings them: asking again would hold the mesh's first offer back a round trip.
      if (joined) {
        open(participantId, iceConfiguration(joined.iceServers), joined);
        return;
      }
      opening = true;
      // TURN credentials come only to a participant (a guest's come with its relay session).
      void participantIceServers(api, spaceId)
        .catch(() => undefined)
        .then((rtcConfig) => {
          if (attempt !== generation) return;
          opening = false;
          open(participantId, rtcConfig, null);
        });
    },
    update(state: { mode: MediaMode; roster: readonly RosterEntry[]; relayAudience: boolean }) {
      const now = Date.now();
      for (const entry of state.roster) {
        const audible = entry.role !== 'LISTENER' && !entry.muted;
        if (!audible) unmutedSince.delete(entry.participantId);
        else if (!unmutedSince.has(entry.participantId)) unmutedSince.set(entry.participantId, now);
      }
      room()?.update(state);
    },
    /** Plays every speaker again, from a user gesture ("Tap to listen"). */
    resume() {
      for (const player of players.values()) void play(player);
      if (players.size === 0) setBlocked(false);
    },
    /** True when an unmuted speaker has been silent on the wire past the grace period. */
    cantHear(participantId: string): boolean {
      tick();
      if (participantId === selfId || !room()) return false;
      const since = unmutedSince.get(participantId);
      if (since === undefined) return false;
      const remote = health().get(participantId);
      if (remote) return !remote.receiving && Date.now() - since > CANT_HEAR_GRACE_MS;
      return Date.now() - since > CANT_HEAR_GRACE_MS;
    },
    leave,
  };
}

export type RoomAudio = ReturnType<typeof createRoomAudio>;
