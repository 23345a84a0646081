import { createSignal } from 'solid-js';
import { run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { UpdateProfileMutation } from './profile.queries.ts';

type Profile = { displayName: string; avatarUrl: string | null };

/** One's own name and picture; `onDone` gets the saved profile, or null when discarded. */
export function EditProfileForm(props: { profile: Profile; onDone(saved: Profile | null): void }) {
  const { api, refreshViewer } = useSession();
  const [displayName, setDisplayName] = createSignal(props.profile.displayName);
  const [avatarUrl, setAvatarUrl] = createSignal(props.profile.avatarUrl ?? '');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { updateProfile: result } = await run(api, UpdateProfileMutation, {
        input: { displayName: displayName().trim(), avatarUrl: avatarUrl().trim() },
      });
      if ('user' in result) {
        refreshViewer();
        return props.onDone(result.user);
      }
      setError(
        'issues' in result && result.issues.length > 0
          ? result.issues.map((issue) => `${issue.path}: ${issue.message}`).join(' · ')
          : (('message' in result ? result.message : null) ?? result.__typename),
      );
    } catch {
      setError('Could not save. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form edit-profile" onSubmit={save} aria-label="Edit profile">
      <label class="field">
        <span>Name</span>
        <input
          required
          maxlength="50"
          value={displayName()}
          onInput={(event) => setDisplayName(event.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span>
          Picture URL <span class="muted">(https, or empty for initials)</span>
        </span>
        <input
          type="url"
          value={avatarUrl()}
          onInput={(event) => setAvatarUrl(event.currentTarget.value)}
        />
      </label>
      <ErrorMessage message={error()} />
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy() || !displayName().trim()}>
          Save
        </button>
        <button type="button" class="button ghost" onClick={() => props.onDone(null)}>
          Discard
        </button>
      </div>
    </form>
  );
}
