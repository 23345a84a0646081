import { createSignal, For, Show } from 'solid-js';
import { Avatar } from '../../ui/Avatar.tsx';
import { Emoji } from '../../ui/Emoji.tsx';

export type SpeakerRequest = {
  id: string;
  user: { id: string; handle: string; displayName: string; avatarUrl?: string | null };
};

/**
 * The host team's queue of raised hands, oldest first. Accept brings them on stage; decline
 * lowers their hand. Each row is busy while its answer is on its way, so one click is one call.
 */
export function RequestQueue(props: {
  requests: readonly SpeakerRequest[];
  onAccept: (userId: string) => Promise<unknown>;
  onDecline: (userId: string) => Promise<unknown>;
}) {
  const [busy, setBusy] = createSignal<ReadonlySet<string>>(new Set());
  const answer = async (userId: string, action: (userId: string) => Promise<unknown>) => {
    setBusy(new Set([...busy(), userId]));
    try {
      await action(userId);
    } finally {
      const next = new Set(busy());
      next.delete(userId);
      setBusy(next);
    }
  };
  return (
    <section class="card request-queue" aria-labelledby="requests-title">
      <h2 id="requests-title" class="section-title">
        Requests to speak <span class="count">{props.requests.length}</span>
      </h2>
      <Show
        when={props.requests.length > 0}
        fallback={
          <p class="muted">
            No raised hands. Listeners can ask to speak with <Emoji emoji="✋" />.
          </p>
        }
      >
        <ol class="request-list">
          <For each={props.requests}>
            {(request) => (
              <li class="request" data-testid="speaker-request">
                <Avatar user={request.user} size={36} decorative />
                <span
                  class="request-name"
                  title={`${request.user.displayName} @${request.user.handle}`}
                >
                  {request.user.displayName}
                  <span class="muted"> @{request.user.handle}</span>
                </span>
                <span class="request-actions">
                  <button
                    type="button"
                    class="button small primary"
                    disabled={busy().has(request.user.id)}
                    aria-label={`Accept ${request.user.displayName}`}
                    onClick={() => void answer(request.user.id, props.onAccept)}
                  >
                    Accept
                  </button>
                  <button
                    type="button"
                    class="button small ghost"
                    disabled={busy().has(request.user.id)}
                    aria-label={`Decline ${request.user.displayName}`}
                    onClick={() => void answer(request.user.id, props.onDecline)}
                  >
                    Decline
                  </button>
                </span>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
