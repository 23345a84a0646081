import { A } from '@solidjs/router';
import { createResource, createSignal, onCleanup, Show } from 'solid-js';
import { failure, listen, run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { ShareButton } from '../spaces/room/ShareButton.tsx';
import { Avatar } from '../ui/Avatar.tsx';
import { AddToCalendar } from './AddToCalendar.tsx';
import { createNow } from './create-now.ts';
import { EditScheduledSpace } from './EditScheduledSpace.tsx';
import { ReminderButton, type ReminderState } from './ReminderButton.tsx';
import {
  CancelScheduledSpaceMutation,
  ScheduledSpaceEvents,
  ScheduledSpaceQuery,
  StartScheduledSpaceMutation,
} from './scheduling.queries.ts';
import { formatStart, startsIn } from './start-time.ts';
import './scheduling.css';
import { RecordField } from '../spaces/start/RecordField.tsx';
import { TicketPanel } from '../tickets/TicketPanel.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { Topics } from '../ui/Topics.tsx';

/**
 * A space before it starts (or after it was canceled): when it starts, a reminder button and
 * calendar file for listeners, start/edit/cancel for its host. `onLive` opens the live room.
 */
export function ScheduledSpaceView(props: { spaceId: string; onLive(): void }) {
  const { api, viewer } = useSession();
  const now = createNow();
  const [space, { refetch, mutate }] = createResource(async () => {
    const data = await run(api, ScheduledSpaceQuery, { id: props.spaceId });
    return data.space;
  });
  const [editing, setEditing] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [record, setRecord] = createSignal(false);
  const isHost = () => Boolean(viewer() && viewer()?.id === space()?.host.id);

  const stop = listen(api, ScheduledSpaceEvents, { id: props.spaceId }, (data) => {
    if (data.spaceEvents.__typename === 'SpaceStateChanged') void refetch();
  });
  onCleanup(stop);

  const setReminder = (reminder: ReminderState) => {
    const current = space();
    if (current) mutate({ ...current, ...reminder });
  };

  /** Runs a host action; `work` returns the failure to show, or null. */
  const act = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    try {
      setError(await work());
    } catch {
      setError('Something went wrong. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    act(async () => {
      const { startScheduledSpace: result } = await run(api, StartScheduledSpaceMutation, {
        spaceId: props.spaceId,
        record: record(),
      });
      if (!('space' in result)) return failure(result);
      props.onLive();
      return null;
    });

  const cancel = () => {
    if (!window.confirm('Cancel this space? Everyone with a reminder will be told.')) return;
    void act(async () => {
      const { cancelScheduledSpace: result } = await run(api, CancelScheduledSpaceMutation, {
        spaceId: props.spaceId,
      });
      if (!('space' in result)) return failure(result);
      await refetch();
      return null;
    });
  };

  return (
    <section class="page narrow">
      <Show when={!space.loading || space()} fallback={<div class="card skeleton scheduled" />}>
        <Show
          when={space()}
          fallback={
            <div class="card empty-state" role="alert">
              <h1>Space not found</h1>
              <A class="button primary" href="/">
                Find another space
              </A>
            </div>
          }
        >
          {(space) => {
            const startAt = () => new Date(space().scheduledStart ?? Date.now());
            return (
              <article class="card scheduled-space" data-testid="scheduled-space">
                <div class="space-header-top">
                  <Show
                    when={space().state === 'SCHEDULED'}
                    fallback={
                      <span class={`state-badge ${space().state.toLowerCase()}`}>
                        {space().state === 'LIVE' ? 'Live now' : 'Canceled'}
                      </span>
                    }
                  >
                    <span class="state-badge scheduled">Scheduled</span>
                  </Show>
                  <time class="muted" datetime={startAt().toISOString()}>
                    {formatStart(startAt(), now())}
                    <Show when={space().state === 'SCHEDULED'}>
                      {' '}
                      · {startsIn(startAt(), now())}
                    </Show>
                  </time>
                </div>

                <Show
                  when={!editing()}
                  fallback={
                    <EditScheduledSpace
                      space={{ ...space(), scheduledStart: startAt() }}
                      onDone={(saved) => {
                        setEditing(false);
                        if (saved) void refetch();
                      }}
                    />
                  }
                >
                  <h1 class="space-title">{space().title}</h1>
                  <Topics topics={space().topics} />
                </Show>

                <p class="host-line">
                  <Avatar user={space().host} size={32} />
                  <span>
                    Hosted by{' '}
                    <A href={`/@${space().host.handle}`} title={space().host.displayName}>
                      {space().host.displayName}
                    </A>
                  </span>
                </p>
                <p class="muted" data-testid="reminder-count">
                  {space().reminderCount}{' '}
                  {space().reminderCount === 1 ? 'person has' : 'people have'} set a reminder
                </p>

                <Show when={space().state === 'SCHEDULED'}>
                  <TicketPanel spaceId={props.spaceId} />
                </Show>
                <Show when={space().state === 'CANCELED'}>
                  <p class="alert info" role="status">
                    This space was canceled. Everyone with a reminder was told.
                  </p>
                </Show>
                <Show when={space().state === 'LIVE'}>
                  <div class="alert success live-now" role="status">
                    <span>It’s live now.</span>
                    <button type="button" class="button primary" onClick={() => props.onLive()}>
                      Join
                    </button>
                  </div>
                </Show>

                <Show when={space().state === 'SCHEDULED' && !editing()}>
                  <div class="scheduled-actions">
                    <Show
                      when={isHost()}
                      fallback={<ReminderButton space={space()} onChange={setReminder} />}
                    >
                      <RecordField checked={record()} onChange={setRecord} />
                      <button
                        type="button"
                        class="button primary live"
                        disabled={busy()}
                        onClick={() => void start()}
                      >
                        <span class="live-dot" aria-hidden="true" /> Start now
                      </button>
                      <button
                        type="button"
                        class="button"
                        disabled={busy()}
                        onClick={() => setEditing(true)}
                      >
                        Edit
                      </button>
                      <button type="button" class="button ghost" disabled={busy()} onClick={cancel}>
                        Cancel space
                      </button>
                    </Show>
                    <Show when={space().calendarUrl}>{(url) => <AddToCalendar url={url()} />}</Show>
                  </div>
                  <ShareButton url={space().shareUrl} title={space().title} />
                </Show>
                <ErrorMessage message={error()} />
              </article>
            );
          }}
        </Show>
      </Show>
    </section>
  );
}
