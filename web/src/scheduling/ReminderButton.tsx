import { A } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { failure, run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { askForBrowserNotifications } from '../notifications/browser-notifications.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { BellIcon } from '../ui/icons.tsx';
import { RemoveReminderMutation, SetReminderMutation } from './scheduling.queries.ts';

export type ReminderState = { id: string; reminderCount: number; viewerHasReminder: boolean };

/** "Set reminder" / "Reminder set": signed-out people are sent to sign in first. */
export function ReminderButton(props: {
  space: ReminderState;
  onChange(space: ReminderState): void;
  small?: boolean;
}) {
  const { api, viewer } = useSession();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      const variables = { spaceId: props.space.id };
      const result = props.space.viewerHasReminder
        ? (await run(api, RemoveReminderMutation, variables)).removeReminder
        : (await run(api, SetReminderMutation, variables)).setReminder;
      const problem = failure(result);
      if (problem) return void setError(problem);
      if ('space' in result) {
        props.onChange(result.space);
        if (result.space.viewerHasReminder) void askForBrowserNotifications();
      }
    } catch {
      setError('Could not change the reminder. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const size = () => (props.small ? ' small' : '');
  return (
    <Show
      when={viewer()}
      fallback={
        <A class={`button ghost${size()}`} href={`/signin?next=/spaces/${props.space.id}`}>
          <BellIcon size={18} /> Sign in to set a reminder
        </A>
      }
    >
      <button
        type="button"
        class={`button${props.space.viewerHasReminder ? ' ghost' : ' primary'}${size()}`}
        aria-pressed={props.space.viewerHasReminder}
        disabled={busy()}
        onClick={toggle}
      >
        <BellIcon size={18} /> {props.space.viewerHasReminder ? 'Reminder set' : 'Set reminder'}
      </button>
      <ErrorMessage message={error()} />
    </Show>
  );
}
