import { useParams } from '@solidjs/router';
import { createResource, onCleanup, Show } from 'solid-js';
import { ApiError } from '../../api/graphql-client.ts';
import { run } from '../../api/typed-api.ts';
import { NotFoundPage } from '../../app/NotFoundPage.tsx';
import { useSession } from '../../app/session.tsx';
import { ScheduledSpaceView } from '../../scheduling/ScheduledSpaceView.tsx';
import { TicketGate } from '../../tickets/TicketPanel.tsx';
import type { SpaceOpening } from './create-space-live.ts';
import { startEarlyJoin } from './early-join.ts';
import { SpaceRoom } from './SpaceRoom.tsx';
import { SpaceOpeningQuery } from './space.queries.ts';
import './space.css';

const isInvalidInput = (error: { extensions?: Record<string, unknown> }) =>
  error.extensions?.['code'] === 'InvalidInput';

export function SpacePage() {
  const params = useParams<{ id: string }>();
  const { viewer } = useSession();
  return (
    <Show when={!viewer.loading} fallback={<div class="page space-skeleton" aria-busy="true" />}>
      <Show when={params.id} keyed>
        {(id) => <SpaceByState spaceId={id} signedIn={Boolean(viewer())} />}
      </Show>
    </Show>
  );
}

/**
 * Before a space starts (or once canceled) it is a scheduled page; otherwise the room, behind
 * its ticket gate. The state, the ticketing and a mesh's stage are one read, and a signed-in
 * viewer's join goes out beside it (early-join.ts). A failed read reaches the page's error
 * boundary (with its retry) rather than passing for a missing space.
 */
function SpaceByState(props: { spaceId: string; signedIn: boolean }) {
  const { api } = useSession();
  const early = props.signedIn ? startEarlyJoin(api, props.spaceId) : null;
  onCleanup(() => early?.release());
  const read = async (): Promise<SpaceOpening | 'MISSING'> => {
    try {
      const { space } = await run(api, SpaceOpeningQuery, { id: props.spaceId });
      return space ? { space } : 'MISSING';
    } catch (error) {
      // A mistyped link is not a Space id at all.
      if (error instanceof ApiError && error.errors.some(isInvalidInput)) return 'MISSING';
      throw error;
    }
  };
  const [opening, { mutate }] = createResource(read);
  const found = () => {
    const current = opening();
    return current === 'MISSING' ? undefined : current;
  };
  const upcoming = () =>
    found()?.space.state === 'SCHEDULED' || found()?.space.state === 'CANCELED';
  const goneLive = () => {
    const current = found();
    if (current) mutate({ ...current, space: { ...current.space, state: 'LIVE' } });
    // A ticket may have been issued since the space was read: the gate decides on a fresh read.
    read().then(
      (fresh) => fresh !== 'MISSING' && mutate(fresh),
      () => {},
    );
  };
  return (
    <Show when={opening()} fallback={<div class="page space-skeleton" aria-busy="true" />}>
      <Show
        when={found()}
        fallback={
          <NotFoundPage
            title="Space not found"
            message="This space does not exist, or its link is mistyped."
          />
        }
      >
        {(current) => (
          <Show
            when={!upcoming()}
            fallback={<ScheduledSpaceView spaceId={props.spaceId} onLive={goneLive} />}
          >
            <TicketGate space={current().space}>
              <SpaceRoom
                spaceId={props.spaceId}
                signedIn={props.signedIn}
                opening={current()}
                early={early}
              />
            </TicketGate>
          </Show>
        )}
      </Show>
    </Show>
  );
}
