import { createSignal, onCleanup } from 'solid-js';
import type { ResultOf } from '../../api/graphql.ts';
import type { Api } from '../../api/graphql-client.ts';
import { listen, run } from '../../api/typed-api.ts';
import { type CaptionLine, nextCaptionLines } from '../../captions/caption-lines.ts';
import { createReactionFeed } from './reaction-feed.ts';
import { JoinSpace } from './space.mutations.ts';
import { SpaceEventsSubscription, SpaceViewQuery } from './space.queries.ts';

export type SpaceView = NonNullable<ResultOf<typeof SpaceViewQuery>['space']>;
export type SpaceParticipant = SpaceView['stage'][number];

/** Why the viewer cannot be in the space; shown instead of it. */
export type Closed = {
  kind: 'removed' | 'blocked' | 'ended' | 'missing' | 'failed';
  message: string;
};

const REFRESH_DEBOUNCE_MS = 120;

const joinFailure = (typename: string, message: string): Closed => {
  switch (typename) {
    case 'RemovedFromSpace':
      return { kind: 'removed', message: 'You were removed from this space and can’t rejoin it.' };
    case 'BlockedByHost':
      return { kind: 'blocked', message: 'The host has blocked you from their spaces.' };
    case 'SpaceNotLive':
      return { kind: 'ended', message: 'This space has ended.' };
    case 'NotFound':
      return { kind: 'missing', message: 'This space does not exist.' };
    default:
      return { kind: 'failed', message };
  }
};

/**
 * A space kept current: joins it (when signed in, and again after every reconnection), re-reads
 * it after every event (debounced, so a burst of events is one query) and turns reaction batches
 * into floating emoji.
 */
export function createSpaceLive(api: Api, spaceId: string, options: { join: boolean }) {
  const [space, setSpace] = createSignal<SpaceView | undefined>();
  const [emojis, setEmojis] = createSignal<readonly string[]>([]);
  const [closed, setClosed] = createSignal<Closed | null>(null);
  /** Bumped on every re-read, so paged lists refresh with the space. */
  const [version, setVersion] = createSignal(0);
  const reactions = createReactionFeed();
  const [captionLines, setCaptionLines] = createSignal<readonly CaptionLine[]>([]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const load = async () => {
    try {
      const data = await run(api, SpaceViewQuery, { id: spaceId });
      if (disposed) return;
      if (!data.space) return void setClosed(joinFailure('NotFound', ''));
      setEmojis(data.reactionEmojis);
      setSpace(data.space);
      setVersion((n) => n + 1);
      if (data.space.state !== 'LIVE') setClosed(joinFailure('SpaceNotLive', ''));
    } catch {
      // The socket retries by itself; the next event or retry re-reads.
    }
  };

  const refresh = () => {
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
      // Captions come several times a second per speaker: they never re-read the space.
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
      refresh();
    },
    () => {},
  );

  const start = async () => {
    if (options.join) {
      try {
        const { joinSpace } = await run(api, JoinSpace, { spaceId });
        if (!joinSpace.__typename.endsWith('Success')) {
          const message = 'message' in joinSpace ? joinSpace.message : joinSpace.__typename;
          return void setClosed(joinFailure(joinSpace.__typename, message));
        }
      } catch {
        return void setClosed(joinFailure('NotFound', ''));
      }
    }
    await load();
  };
  void start();
  // Back from a lost connection: joining again changes nothing inside the presence window (join
  // is idempotent), and after it brings the viewer back in, as the server let them go.
  const stopRejoining = api.client.on('connected', (_socket, _payload, wasRetry) => {
    if (wasRetry && !disposed) void start();
  });

  onCleanup(() => {
    disposed = true;
    clearTimeout(timer);
    stop();
    stopRejoining();
  });

  return { space, emojis, closed, setClosed, version, reactions, refresh, captionLines };
}

export type SpaceLive = ReturnType<typeof createSpaceLive>;
