import { createSignal, onCleanup } from 'solid-js';
import type { ResultOf } from '../../api/graphql.ts';
import type { Api } from '../../api/graphql-client.ts';
import type { JoinedMedia } from '../../api/media-signalling.ts';
import { listen, run } from '../../api/typed-api.ts';
import { type CaptionLine, nextCaptionLines } from '../../captions/caption-lines.ts';
import { destroyPrepared } from '../../media/index.ts';
import {
  type Closed,
  type JoinedPlace,
  type JoinOutcome,
  joinFailure,
  joinSpace,
} from './join-space.ts';
import { createReactionFeed } from './reaction-feed.ts';
import { applyRoomChange, type RoomChange, sequenceStep } from './room-changes.ts';
import {
  SpaceEventsSubscription,
  type SpaceOpeningQuery,
  SpaceViewQuery,
} from './space.queries.ts';

export type SpaceView = NonNullable<ResultOf<typeof SpaceViewQuery>['space']>;
export type SpaceParticipant = SpaceView['stage'][number];

/** The page's read of a space before joining (SpaceOpeningQuery), found. */
export type SpaceOpening = { space: NonNullable<ResultOf<typeof SpaceOpeningQuery>['space']> };

const REFRESH_DEBOUNCE_MS = 120;

/** Events held while the room is being read; past this many, the read to come covers them. */
const MAX_WAITING = 2_000;

type LiveEvent = ResultOf<typeof SpaceEventsSubscription>['spaceEvents'];

/** The changes a space event makes to the room (none for one that changes none of it). */
function changesOf(event: LiveEvent): RoomChange<SpaceParticipant>[] {
  if ('participantCount' in event)
    return [{ kind: 'count', participantCount: event.participantCount }];
  if ('joined' in event) {
    return [
      ...event.joined.map((participant) => ({ kind: 'participant' as const, participant })),
      ...event.left.map(({ id }) => ({ kind: 'left' as const, participantId: id })),
    ];
  }
  if ('removed' in event) return [{ kind: 'left', participantId: event.participant.id }];
  if ('participant' in event && 'role' in event.participant) {
    return [{ kind: 'participant', participant: event.participant }];
  }
  if ('mode' in event) return [{ kind: 'mediaMode', mode: event.mode }];
  if ('recording' in event) return [{ kind: 'recording', recording: event.recording }];
  if ('on' in event) return [{ kind: 'captions', on: event.on }];
  if ('state' in event) return [{ kind: 'state', state: event.state }];
  return [];
}

/**
 * A space kept current: joins it (when signed in, and again after every reconnection), reads it
 * once, then applies each event to what it read (events carry what changed). It reads the room
 * again only when it missed events: a hole in their sequence numbers, or a reconnected socket.
 * Reaction batches become floating emoji.
 */
export function createSpaceLive(
  api: Api,
  spaceId: string,
  options: {
    join: boolean;
    viewerUserId?: () => string | undefined;
    /** The join the page sent as it opened (early-join.ts), for the first join to take up. */
    firstJoin?: Promise<JoinOutcome> | null;
  },
) {
  const [space, setSpace] = createSignal<SpaceView | undefined>();
  const [emojis, setEmojis] = createSignal<readonly string[]>([]);
  const [closed, setClosed] = createSignal<Closed | null>(null);
  /** Bumped on every read of the room, so paged lists read again with it. */
  const [version, setVersion] = createSignal(0);
  const reactions = createReactionFeed();
  const [captionLines, setCaptionLines] = createSignal<readonly CaptionLine[]>([]);
  const changeListeners = new Set<(change: RoomChange<SpaceParticipant>) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  /** The sequence number of the last event the room reflects. */
  let applied = 0;
  /** Until the room is read (again), events wait: applied now, they might be lost or doubled. */
  let stale = true;
  let waiting: LiveEvent[] = [];

  const apply = (event: LiveEvent) => {
    const changes = changesOf(event);
    if (changes.length === 0) return;
    const viewerUserId = options.viewerUserId?.();
    setSpace(
      (view) =>
        view && changes.reduce((room, change) => applyRoomChange(room, change, viewerUserId), view),
    );
    for (const change of changes) for (const listener of changeListeners) listener(change);
  };

  const receive = (event: LiveEvent) => {
    if (stale) {
      if (waiting.length < MAX_WAITING) waiting.push(event);
      return;
    }
    if (typeof event.sequence === 'number') {
      const step = sequenceStep(applied, event.sequence);
      if (step === 'skip') return;
      if (step === 'gap') {
        waiting.push(event);
        return refresh();
      }
      applied = event.sequence;
    }
    apply(event);
  };

  const load = async () => {
    try {
      const data = await run(api, SpaceViewQuery, { id: spaceId });
      if (disposed) return;
      if (!data.space) return void setClosed(joinFailure('NotFound', ''));
      applied = data.space.eventSequence;
      stale = false;
      setEmojis(data.reactionEmojis);
      setSpace(data.space);
      setVersion((n) => n + 1);
      if (data.space.state !== 'LIVE') setClosed(joinFailure('SpaceNotLive', ''));
      const held = waiting;
      waiting = [];
      for (const event of held) receive(event);
    } catch {
      // The socket retries by itself; reconnecting reads the room again.
    }
  };

  /** Reads the room again soon (a burst of reasons is one read); events wait meanwhile. */
  const refresh = () => {
    stale = true;
    clearTimeout(timer);
    timer = setTimeout(() => void load(), REFRESH_DEBOUNCE_MS);
  };

  const stop = listen(
    api,
    SpaceEventsSubscription,
    { id: spaceId },
    ({ spaceEvents: event }) => {
      if (event.__typename === 'ReactionsSent' && 'reactions' in event) {
        reactions.push(
          event.reactions.map((r) => ({
            participantId: r.participant.id,
            emoji: r.emoji,
            count: r.count,
          })),
        );
        return;
      }
      if (event.__typename === 'CaptionSegment' && 'text' in event) {
        const caption = {
          participantId: event.participant.id,
          text: event.text,
          final: event.final,
          degraded: event.degraded,
        };
        setCaptionLines((lines) => nextCaptionLines(lines, caption));
        return;
      }
      if (event.__typename === 'ParticipantLeft' && 'removed' in event) {
        const self = space()?.viewerParticipant?.id;
        if (event.removed && event.participant.id === self) {
          setClosed(joinFailure('RemovedFromSpace', ''));
        }
      }
      if (event.__typename === 'SpaceStateChanged' && 'state' in event && event.state !== 'LIVE') {
        setClosed(joinFailure('SpaceNotLive', ''));
      }
      receive(event);
    },
    () => {},
  );
  /** What the last join brought for the room's audio, until the audio takes it. */
  let joinedMedia: JoinedMedia | null = null;
  const [joined, setJoined] = createSignal<JoinedPlace | null>(null);
  /**
   * Joins when asked to, taking up the page's own join (`adopt`) if that one got in; false when
   * the viewer cannot be in the space (then it is closed).
   */
  const join = async (adopt?: Promise<JoinOutcome> | null) => {
    if (!options.join) return true;
    let outcome = adopt ? await adopt : null;
    // Refused before the page could tell (not live yet, no ticket yet): ask again now.
    if (outcome?.kind !== 'joined' && !disposed) outcome = await joinSpace(api, spaceId, null);
    if (outcome?.kind !== 'joined') {
      if (outcome && !disposed) setClosed(outcome.closed);
      return false;
    }
    if (disposed) {
      destroyPrepared(outcome.media.preparedMesh);
      return false;
    }
    destroyPrepared(joinedMedia?.preparedMesh);
    joinedMedia = outcome.media;
    setJoined(outcome.place);
    return true;
  };

  void join(options.firstJoin).then((joined) => joined && load());
  // Back from a lost connection: events sent meanwhile are gone, so the room is read again (new
  // events wait for that read). Joining again first changes nothing inside the presence window
  // (join is idempotent), and after it brings the viewer back in, as the server let them go.
  const stopWatchingSocket = api.client.on('connected', (_socket, _payload, wasRetry) => {
    if (!wasRetry || disposed) return;
    stale = true;
    void join().then((joined) => joined && refresh());
  });

  onCleanup(() => {
    disposed = true;
    destroyPrepared(joinedMedia?.preparedMesh);
    joinedMedia = null;
    clearTimeout(timer);
    stop();
    stopWatchingSocket();
  });

  return {
    space,
    emojis,
    closed,
    setClosed,
    version,
    reactions,
    refresh,
    captionLines,
    /** The viewer's place as the last join answered it, before the room is read. */
    joined,
    /** What the join brought for the audio (ICE servers, a relay space's offer), once. */
    takeJoinedMedia() {
      const media = joinedMedia;
      joinedMedia = null;
      return media;
    },
    /** Calls `listener` with each change applied to the room; returns how to stop. */
    onChange(listener: (change: RoomChange<SpaceParticipant>) => void) {
      changeListeners.add(listener);
      return () => void changeListeners.delete(listener);
    },
  };
}

export type SpaceLive = ReturnType<typeof createSpaceLive>;
