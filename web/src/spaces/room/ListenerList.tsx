import { type Accessor, For, onCleanup, Show } from 'solid-js';
import { Avatar } from '../../ui/Avatar.tsx';
import { HandIcon } from '../../ui/icons.tsx';
import { createPagedList, type FetchPage } from './create-paged-list.ts';
import type { SpaceParticipant } from './create-space-live.ts';
import { FloatingReactions } from './FloatingReactions.tsx';
import { ParticipantMenu } from './ParticipantMenu.tsx';
import type { ParticipantAction } from './participant-actions.ts';
import type { Floater } from './reaction-feed.ts';
import type { RoomChange } from './room-changes.ts';

export type ListenerListProps = {
  fetchPage: FetchPage<SpaceParticipant>;
  /** Changes whenever the space was read again; the list re-reads what it shows. */
  version?: Accessor<number>;
  /** The room's changes as they happen (see createSpaceLive's onChange): applied, not re-read. */
  changes?: (listener: (change: RoomChange<SpaceParticipant>) => void) => () => void;
  total: number;
  selfId?: string | undefined;
  pageSize?: number;
  floatersOf?: (participantId: string) => readonly Floater[];
  actionsFor?: (participant: SpaceParticipant) => readonly ParticipantAction[];
  onAction?: (action: ParticipantAction, participant: SpaceParticipant) => void;
};

/** The audience, read page by page ("Show more"), each with their raised hand if any. */
export function ListenerList(props: ListenerListProps) {
  const list = createPagedList(props.fetchPage, {
    pageSize: props.pageSize ?? 30,
    version: props.version,
  });
  const stopChanges = props.changes?.((change) => {
    if (change.kind === 'left') list.remove(change.participantId);
    if (change.kind !== 'participant') return;
    if (change.participant.role === 'LISTENER') list.put(change.participant);
    else list.remove(change.participant.id);
  });
  onCleanup(() => stopChanges?.());
  return (
    <section class="listeners" aria-labelledby="listeners-title">
      <h2 id="listeners-title" class="section-title">
        Listeners <span class="count">{props.total}</span>
      </h2>
      <Show
        when={list.items().length > 0 || list.loading()}
        fallback={<p class="muted">No one is listening yet.</p>}
      >
        <ul class="listener-grid">
          <For each={list.items()}>
            {(participant) => (
              <li class="listener" data-testid="listener" data-handle={participant.user.handle}>
                <div class="tile-avatar small">
                  <Avatar user={participant.user} size={52} decorative />
                  <Show when={participant.handRaised}>
                    <span class="hand-badge" role="img" aria-label="Hand raised">
                      <HandIcon size={14} />
                    </span>
                  </Show>
                  <FloatingReactions floaters={props.floatersOf?.(participant.id) ?? []} />
                </div>
                <span class="listener-name" title={participant.user.displayName}>
                  {participant.user.displayName}
                </span>
                <Show when={participant.id === props.selfId}>
                  <span class="role-label">You</span>
                </Show>
                <div class="tile-menu">
                  <ParticipantMenu
                    name={participant.user.displayName}
                    actions={props.actionsFor?.(participant) ?? []}
                    onAction={(action) => props.onAction?.(action, participant)}
                  />
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={list.failed()}>
        <p class="alert error" role="alert">
          Could not load listeners.{' '}
          <button type="button" class="link" onClick={() => void list.reload()}>
            Retry
          </button>
        </p>
      </Show>
      <Show when={list.hasMore()}>
        <button
          type="button"
          class="button ghost block"
          disabled={list.loading()}
          onClick={() => void list.loadMore()}
        >
          {list.loading() ? 'Loading…' : 'Show more listeners'}
        </button>
      </Show>
    </section>
  );
}
