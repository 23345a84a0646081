import { createSignal } from 'solid-js';
import { run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { createSpaceError, parseTopics } from '../spaces/start/create-space-error.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { StartTimeField } from './StartTimeField.tsx';
import { UpdateScheduledSpaceMutation } from './scheduling.queries.ts';
import { fromLocalInput, toLocalInput } from './start-time.ts';

type Editable = { id: string; title: string; topics: readonly string[]; scheduledStart: Date };

/** The host's form for a scheduled space's title, topics and time; `onDone(saved)` closes it. */
export function EditScheduledSpace(props: { space: Editable; onDone(saved: boolean): void }) {
  const { api } = useSession();
  const [title, setTitle] = createSignal(props.space.title);
  const [topics, setTopics] = createSignal(props.space.topics.join(', '));
  const [when, setWhen] = createSignal(toLocalInput(props.space.scheduledStart));
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const scheduledStart = fromLocalInput(when());
    if (!scheduledStart) return void setError('Pick a date and time.');
    setBusy(true);
    setError(null);
    try {
      const { updateScheduledSpace: result } = await run(api, UpdateScheduledSpaceMutation, {
        spaceId: props.space.id,
        input: {
          title: title().trim(),
          topics: parseTopics(topics()),
          scheduledStart: scheduledStart.toISOString(),
        },
      });
      if ('space' in result) return props.onDone(true);
      setError(createSpaceError(result as Parameters<typeof createSpaceError>[0]));
    } catch {
      setError('Could not save. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form edit-scheduled" onSubmit={save} aria-label="Edit scheduled space">
      <label class="field">
        <span>Title</span>
        <input
          required
          maxlength="100"
          value={title()}
          onInput={(event) => setTitle(event.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span>
          Topics <span class="muted">(up to 3, separated by commas)</span>
        </span>
        <input value={topics()} onInput={(event) => setTopics(event.currentTarget.value)} />
      </label>
      <StartTimeField value={when()} onChange={setWhen} />
      <ErrorMessage message={error()} />
      <div class="scheduled-actions">
        <button type="submit" class="button primary" disabled={busy() || !title().trim()}>
          Save changes
        </button>
        <button type="button" class="button ghost" onClick={() => props.onDone(false)}>
          Discard
        </button>
      </div>
    </form>
  );
}
