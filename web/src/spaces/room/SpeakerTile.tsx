import { Show } from 'solid-js';
import { Avatar } from '../../ui/Avatar.tsx';
import { MicOffIcon, WarningIcon } from '../../ui/icons.tsx';
import type { SpaceParticipant } from './create-space-live.ts';
import { FloatingReactions } from './FloatingReactions.tsx';
import { ParticipantMenu } from './ParticipantMenu.tsx';
import type { ParticipantAction } from './participant-actions.ts';
import type { Floater } from './reaction-feed.ts';

const roleLabels = { HOST: 'Host', COHOST: 'Co-host', SPEAKER: 'Speaker', LISTENER: 'Listener' };

/** One person on stage: who they are, whether they are talking, muted or unheard. */
export function SpeakerTile(props: {
  participant: SpaceParticipant;
  isSelf: boolean;
  speaking: boolean;
  cantHear: boolean;
  floaters: readonly Floater[];
  actions: readonly ParticipantAction[];
  onAction: (action: ParticipantAction) => void;
}) {
  const name = () => props.participant.user.displayName;
  const status = () =>
    [
      roleLabels[props.participant.role],
      props.participant.muted ? 'muted' : props.speaking ? 'speaking' : null,
      props.cantHear ? 'you can’t hear them' : null,
    ]
      .filter(Boolean)
      .join(', ');
  return (
    <li
      class="speaker-tile"
      classList={{ speaking: props.speaking && !props.participant.muted }}
      data-testid="speaker-tile"
      data-participant={props.participant.id}
      data-handle={props.participant.user.handle}
      aria-label={`${name()}${props.isSelf ? ' (you)' : ''}: ${status()}`}
    >
      <div class="tile-avatar">
        <span class="speaking-ring" aria-hidden="true" />
        <Avatar user={props.participant.user} size={72} decorative />
        <Show when={props.participant.muted}>
          <span class="mute-badge" title="Muted" aria-hidden="true">
            <MicOffIcon size={14} />
          </span>
        </Show>
        <FloatingReactions floaters={props.floaters} />
      </div>
      <span class="tile-name" title={name()}>
        {name()}
      </span>
      <span class={`role-label role-${props.participant.role.toLowerCase()}`}>
        {roleLabels[props.participant.role]}
        <Show when={props.isSelf}>
          <span class="muted"> · You</span>
        </Show>
      </span>
      <Show when={props.cantHear}>
        <span class="tile-warning" data-testid="cant-hear">
          <WarningIcon size={14} /> Can’t hear
        </span>
      </Show>
      <div class="tile-menu">
        <ParticipantMenu name={name()} actions={props.actions} onAction={props.onAction} />
      </div>
    </li>
  );
}
