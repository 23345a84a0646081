import { useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { ApiError } from '../../api/graphql-client.ts';
import { run } from '../../api/typed-api.ts';
import { NotFoundPage } from '../../app/NotFoundPage.tsx';
import { useSession } from '../../app/session.tsx';
import { ScheduledSpaceView } from '../../scheduling/ScheduledSpaceView.tsx';
import { TicketGate } from '../../tickets/TicketPanel.tsx';
import { SpaceTicketingQuery } from '../../tickets/tickets.queries.ts';
import { SpaceRoom } from './SpaceRoom.tsx';
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
 * its ticket gate. The state and the ticketing are one read, the one round trip before joining.
 * A failed read reaches the page's error boundary (with its retry) rather than passing for a
 * missing space.
 */
function SpaceByState(props: { spaceId: string; signedIn: boolean }) {
  const { api } = useSession();
  const [space, { mutate }] = createResource(async () => {
    try {
      return (await run(api, SpaceTicketingQuery, { id: props.spaceId })).space ?? 'MISSING';
    } catch (error) {
      // A mistyped link is not a Space id at all.
      if (error instanceof ApiError && error.errors.some(isInvalidInput)) return 'MISSING';
      throw error;
    }
  });
  const found = () => {
    const read = space();
    return read === 'MISSING' ? undefined : read;
  };
  const upcoming = () => found()?.state === 'SCHEDULED' || found()?.state === 'CANCELED';
  const goneLive = () => {
    const read = found();
    if (read) mutate({ ...read, state: 'LIVE' });
    // A ticket may have been issued since the space was read: the gate decides on a fresh read.
    run(api, SpaceTicketingQuery, { id: props.spaceId }).then(
      (fresh) => fresh.space && mutate(fresh.space),
      () => {},
    );
  };
  return (
    <Show when={space()} fallback={<div class="page space-skeleton" aria-busy="true" />}>
      <Show
        when={found()}
        fallback={
          <NotFoundPage
            title="Space not found"
            message="This space does not exist, or its link is mistyped."
          />
        }
      >
        {(read) => (
          <Show
            when={!upcoming()}
            fallback={<ScheduledSpaceView spaceId={props.spaceId} onLive={goneLive} />}
          >
            <TicketGate space={read()}>
              <SpaceRoom spaceId={props.spaceId} signedIn={props.signedIn} />
            </TicketGate>
          </Show>
        )}
      </Show>
    </Show>
  );
}
