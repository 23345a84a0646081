import { A } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { TicketChip, type TicketingSummary } from '../tickets/TicketChip.tsx';
import { Avatar } from '../ui/Avatar.tsx';
import { AddToCalendar } from './AddToCalendar.tsx';
import { ReminderButton, type ReminderState } from './ReminderButton.tsx';
import { formatStart } from './start-time.ts';
import './scheduling.css';
import { Topics } from '../ui/Topics.tsx';

export type UpcomingSpace = ReminderState & {
  title: string;
  topics: readonly string[];
  /** Always set on a scheduled space. */
  scheduledStart: string | null;
  calendarUrl: string | null;
  ticketing?: TicketingSummary;
  host: { id: string; handle: string; displayName: string; avatarUrl: string | null };
};

/** A scheduled space on the home page or a profile: when, who, and a reminder button. */
export function UpcomingSpaceCard(props: { space: UpcomingSpace; now: Date }) {
  const [reminder, setReminder] = createSignal<ReminderState>(props.space);
  const start = () => new Date(props.space.scheduledStart ?? Number.NaN);
  return (
    <li class="space-card upcoming" data-testid="upcoming-space">
      <A href={`/spaces/${props.space.id}`} class="space-card-link">
        <div class="space-card-top">
          <Show when={props.space.scheduledStart}>
            <time class="chip scheduled-time" datetime={start().toISOString()}>
              {formatStart(start(), props.now)}
            </time>
          </Show>
          <TicketChip ticketing={props.space.ticketing} />
        </div>
        <h3 class="space-card-title">{props.space.title}</h3>
        <Topics topics={props.space.topics} />
        <div class="space-card-meta">
          <span class="host-line">
            <Avatar user={props.space.host} size={28} />
            <span>
              Hosted by{' '}
              <strong title={props.space.host.displayName}>{props.space.host.displayName}</strong>
            </span>
          </span>
          <span data-testid="reminder-count">
            {reminder().reminderCount} {reminder().reminderCount === 1 ? 'reminder' : 'reminders'}
          </span>
        </div>
      </A>
      <div class="space-card-actions">
        <ReminderButton space={reminder()} onChange={setReminder} small />
        <Show when={props.space.calendarUrl}>{(url) => <AddToCalendar url={url()} small />}</Show>
      </div>
    </li>
  );
}
