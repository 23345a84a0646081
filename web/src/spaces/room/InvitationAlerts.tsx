import { Show } from 'solid-js';
import type { Role } from '../../media/types.ts';

/** The host's invitations to the viewer, to speak or to co-host, each to accept or decline. */
export function InvitationAlerts(props: {
  role: Role | undefined;
  invitedToSpeak: boolean;
  invitedAs: string | null | undefined;
  onAcceptStage: () => void;
  onAcceptCoHost: () => void;
  onDecline: () => void;
}) {
  return (
    <>
      <Show when={props.invitedToSpeak && props.role === 'LISTENER'}>
        <div class="alert invite" role="status">
          <span>The host invited you to speak.</span>
          <button type="button" class="button small primary" onClick={() => props.onAcceptStage()}>
            Join the stage
          </button>
          <button type="button" class="button small" onClick={() => props.onDecline()}>
            Not now
          </button>
        </div>
      </Show>
      <Show when={props.invitedAs === 'COHOST'}>
        <div class="alert invite" role="status" data-testid="cohost-invitation">
          <span>The host invited you to co-host.</span>
          <button type="button" class="button small primary" onClick={() => props.onAcceptCoHost()}>
            Become co-host
          </button>
          <button type="button" class="button small" onClick={() => props.onDecline()}>
            Decline
          </button>
        </div>
      </Show>
    </>
  );
}
