import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { BroadcastControl } from '../../broadcast/BroadcastControl.tsx';
import type { ListeningMode } from '../../broadcast/listening-choice.ts';
import { Topics } from '../../ui/Topics.tsx';
import type { SpaceView } from './create-space-live.ts';

/** The room's title card: live and recorded badges, head count, how one listens, host. */
export function SpaceHeader(props: {
  space: SpaceView;
  listening: ListeningMode;
  broadcast: { url: string | null; latencySeconds: number | null } | null;
  onChooseListening: (mode: ListeningMode) => void;
}) {
  return (
    <header class="card space-header">
      <div class="space-header-top">
        <span class="live-badge">
          <span class="live-dot" aria-hidden="true" />
          Live
        </span>
        <Show when={props.space.recording?.state === 'RECORDING'}>
          <span class="recorded-badge" data-testid="recorded-badge">
            <span class="recorded-dot" aria-hidden="true" />
            Recorded
          </span>
        </Show>
        <span class="muted" data-testid="participant-count">
          {props.space.participantCount} in the room
        </span>
      </div>
      <BroadcastControl
        mode={props.listening}
        url={props.broadcast?.url ?? null}
        latencySeconds={props.broadcast?.latencySeconds ?? null}
        onChoose={props.onChooseListening}
      />
      <h1 class="space-title">{props.space.title}</h1>
      <Topics topics={props.space.topics} />
      <p class="muted">
        Hosted by{' '}
        <A href={`/@${props.space.host.handle}`} title={props.space.host.displayName}>
          {props.space.host.displayName}
        </A>
      </p>
    </header>
  );
}
