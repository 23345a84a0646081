import { createSignal, Show } from 'solid-js';
import { run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { CreateClip } from './recordings.queries.ts';
import { samePagePath } from './replay-lines.ts';

const LENGTHS = [30, 45, 60] as const;

/** Cuts a clip from the current position (30, 45 or 60 s, ending early enough to fit). */
export function ClipMaker(props: { recordingId: string; now: () => number; duration: number }) {
  const { api } = useSession();
  const [length, setLength] = createSignal<number>(LENGTHS[0]);
  const [title, setTitle] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [link, setLink] = createSignal<string | null>(null);
  const cut = async () => {
    const end = Math.min(props.duration, props.now() + length());
    const start = Math.max(0, end - length());
    setBusy(true);
    setError(null);
    try {
      const result = (
        await run(api, CreateClip, {
          recordingId: props.recordingId,
          start,
          end,
          title: title().trim() || null,
        })
      ).createClip;
      if (result.__typename === 'MutationCreateClipSuccess') setLink(result.clip.shareUrl);
      else setError('message' in result ? (result.message ?? 'Could not cut the clip.') : null);
    } catch {
      setError('Could not cut the clip; try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="clip-maker">
      <input
        type="text"
        aria-label="Clip title"
        placeholder="Clip title (optional)"
        maxLength={100}
        value={title()}
        onInput={(event) => setTitle(event.currentTarget.value)}
      />
      <select
        aria-label="Clip length"
        value={String(length())}
        onChange={(event) => setLength(Number(event.currentTarget.value))}
      >
        {LENGTHS.map((seconds) => (
          <option value={String(seconds)}>{seconds} s</option>
        ))}
      </select>
      <button type="button" class="button small" disabled={busy()} onClick={() => void cut()}>
        Clip from here
      </button>
      <Show when={link()}>
        {(url) => (
          <a href={samePagePath(url())} data-testid="clip-link">
            Your clip: {url()}
          </a>
        )}
      </Show>
      <ErrorMessage message={error()} />
    </div>
  );
}
