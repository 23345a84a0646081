import { useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { run } from '../../api/typed-api.ts';
import { useSession } from '../../app/session.tsx';
import { ScheduledSpaceView } from '../../scheduling/ScheduledSpaceView.tsx';
import { TicketGate } from '../../tickets/TicketPanel.tsx';
import { SpaceRoom } from './SpaceRoom.tsx';
import { SpaceStateQuery } from './space.queries.ts';
import './space.css';

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

/** Before a space starts (or once canceled) it is a scheduled page; otherwise the room. */
function SpaceByState(props: { spaceId: string; signedIn: boolean }) {
  const { api } = useSession();
  const [state, { mutate }] = createResource(async () => {
    try {
      return (await run(api, SpaceStateQuery, { id: props.spaceId })).space?.state ?? 'MISSING';
    } catch {
      return 'MISSING';
    }
  });
  const upcoming = () => state() === 'SCHEDULED' || state() === 'CANCELED';
  return (
    <Show when={state()} fallback={<div class="page space-skeleton" aria-busy="true" />}>
      <Show
        when={!upcoming()}
        fallback={<ScheduledSpaceView spaceId={props.spaceId} onLive={() => mutate('LIVE')} />}
      >
        <TicketGate spaceId={props.spaceId}>
          <SpaceRoom spaceId={props.spaceId} signedIn={props.signedIn} />
        </TicketGate>
      </Show>
    </Show>
  );
}
