import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { SpaceReplay } from '../../recordings/SpaceReplay.tsx';
import type { Closed } from './join-space.ts';

/** Why the viewer is not in the room (removed, blocked, ended…), with an ended space's replay (or transcript). */
export function ClosedNotice(props: { closed: Closed; spaceId: string }) {
  const titles: Record<Closed['kind'], string> = {
    removed: 'You were removed',
    blocked: 'You can’t join this space',
    ended: 'This space has ended',
    missing: 'Space not found',
    failed: 'Could not join',
  };
  return (
    <section class="page narrow">
      <div class="card empty-state" role="alert" data-testid="space-closed">
        <h1>{titles[props.closed.kind]}</h1>
        <p class="muted">{props.closed.message}</p>
        <A class="button primary" href="/">
          Find another space
        </A>
      </div>
      <Show when={props.closed.kind === 'ended'}>
        <SpaceReplay spaceId={props.spaceId} />
      </Show>
    </section>
  );
}
