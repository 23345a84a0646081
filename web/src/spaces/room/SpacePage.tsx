import { useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { ApiError } from '../../api/graphql-client.ts';
import { run } from '../../api/typed-api.ts';
import { NotFoundPage } from '../../app/NotFoundPage.tsx';
import { useSession } from '../../app/session.tsx';
import { ScheduledSpaceView } from '../../scheduling/ScheduledSpaceView.tsx';
import { TicketGate } from '../../tickets/TicketPanel.tsx';
import { SpaceRoom } from './SpaceRoom.tsx';
import { SpaceStateQuery } from './space.queries.ts';
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
 * Before a space starts (or once canceled) it is a scheduled page; otherwise the room. A failed
 * read reaches the page's error boundary (with its retry) rather than passing for a missing space.
 */
function SpaceByState(props: { spaceId: string; signedIn: boolean }) {
  const { api } = useSession();
  const [state, { mutate }] = createResource(async () => {
    try {
      return (await run(api, SpaceStateQuery, { id: props.spaceId })).space?.state ?? 'MISSING';
    } catch (error) {
      // A mistyped link is not a Space id at all.
      if (error instanceof ApiError && error.errors.some(isInvalidInput)) return 'MISSING';
      throw error;
    }
  });
  const upcoming = () => state() === 'SCHEDULED' || state() === 'CANCELED';
  return (
    <Show when={state()} fallback={<div class="page space-skeleton" aria-busy="true" />}>
      <Show
        when={state() !== 'MISSING'}
        fallback={
          <NotFoundPage
            title="Space not found"
            message="This space does not exist, or its link is mistyped."
          />
        }
      >
        <Show
          when={!upcoming()}
          fallback={<ScheduledSpaceView spaceId={props.spaceId} onLive={() => mutate('LIVE')} />}
        >
          <TicketGate spaceId={props.spaceId}>
            <SpaceRoom spaceId={props.spaceId} signedIn={props.signedIn} />
          </TicketGate>
        </Show>
      </Show>
    </Show>
  );
}
