import { A } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { useNotifications } from '../notifications/NotificationCenter.tsx';
import { createNow } from '../scheduling/create-now.ts';
import { UpcomingSpacesQuery } from '../scheduling/scheduling.queries.ts';
import { UpcomingSpaceCard } from '../scheduling/UpcomingSpaceCard.tsx';
import { offerWarmer } from '../spaces/room/offer-warmer.ts';
import { rememberSpacePreviews } from '../spaces/room/space-preview.ts';
import { HomeQuery } from './home.queries.ts';
import { SpaceCard, type SpaceCardData } from './SpaceCard.tsx';
import './home.css';

/** People you follow first, then the busiest rooms. */
const ordered = (spaces: SpaceCardData[]) =>
  [...spaces].sort(
    (a, b) =>
      Number(b.host.viewerIsFollowing) - Number(a.host.viewerIsFollowing) ||
      b.participantCount - a.participantCount,
  );

export function HomePage() {
  const { api, viewer } = useSession();
  const [home, { refetch }] = createResource(async () => {
    const data = await run(api, HomeQuery);
    const live = data.live.edges.map((edge) => edge.node);
    const { iceServers } = data;
    // A host or speaker listed on a stage makes no offer to themselves.
    const self = viewer.state === 'ready' ? viewer()?.id : undefined;
    rememberSpacePreviews(
      live.map(({ id, mediaMode, stage }) => ({
        id,
        mediaMode,
        stage,
        viewerParticipant:
          stage.find((place) => self !== undefined && place.user.id === self) ?? null,
        iceServers,
      })),
    );
    return { live: ordered(live) };
  });
  // A separate query: the server's cost limit would not take both lists in one.
  const [upcoming, { refetch: refetchUpcoming }] = createResource(async () => {
    const data = await run(api, UpcomingSpacesQuery);
    const spaces = data.spaces.edges.map((edge) => edge.node);
    // Soonest first, but people you follow before everyone else.
    return [...spaces].sort(
      (a, b) => Number(b.host.viewerIsFollowing) - Number(a.host.viewerIsFollowing),
    );
  });
  // A signed-in viewer joins as a room opens: its offers to the stage are made ahead, for the
  // space pointed at last, else the first listed (offer-warmer.ts). Not in a hidden tab.
  const [pointed, setPointed] = createSignal<string>();
  createEffect(() => {
    const listed = home()?.live;
    if (!viewer() || !listed || document.visibilityState !== 'visible') return;
    const target = listed.find(({ id }) => id === pointed()) ?? listed[0];
    if (target) offerWarmer.warm(target.id);
  });
  onCleanup(() => offerWarmer.release());
  const now = createNow();
  const reload = () => {
    void refetch();
    void refetchUpcoming();
  };
  const poll = setInterval(reload, 15_000);
  onCleanup(() => clearInterval(poll));
  // A space you wait for went live or was canceled: move it between the lists at once.
  createEffect(on(useNotifications().arrivals, reload, { defer: true }));

  return (
    <section class="page">
      <div class="hero">
        <div>
          <h1>Live now</h1>
          <p class="muted">Drop into a conversation. Listen freely; raise your hand to speak.</p>
        </div>
      </div>
      <Show
        when={home.state !== 'errored'}
        fallback={
          <p class="alert error" role="alert">
            Could not load spaces.{' '}
            <button type="button" class="link" onClick={() => refetch()}>
              Try again
            </button>
          </p>
        }
      >
        <Show when={home()} fallback={<SpaceGridSkeleton />}>
          {(data) => (
            <>
              <Show
                when={data().live.length > 0}
                fallback={
                  <div class="card empty-state">
                    <p>No live spaces right now.</p>
                    <Show when={viewer()} fallback={<A href="/signup">Sign up to host one</A>}>
                      <A href="/start">Start the first one</A>
                    </Show>
                  </div>
                }
              >
                <ul class="space-grid" aria-label="Live spaces">
                  <For each={data().live}>
                    {(space) => (
                      <SpaceCard space={space} live onIntent={() => setPointed(space.id)} />
                    )}
                  </For>
                </ul>
              </Show>
            </>
          )}
        </Show>
      </Show>
      <Show when={(upcoming()?.length ?? 0) > 0}>
        <section class="upcoming-section" aria-labelledby="upcoming-title">
          <h2 id="upcoming-title">Upcoming</h2>
          <p class="muted">Set a reminder and Amphi tells you when they start.</p>
          <ul class="space-grid" aria-label="Upcoming spaces">
            <For each={upcoming()}>
              {(space) => <UpcomingSpaceCard space={space} now={now()} />}
            </For>
          </ul>
        </section>
      </Show>
    </section>
  );
}

function SpaceGridSkeleton() {
  return (
    <ul class="space-grid" aria-busy="true" aria-label="Loading spaces">
      <For each={[1, 2, 3]}>{() => <li class="space-card skeleton" />}</For>
    </ul>
  );
}
