import { A, useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { run } from '../../api/typed-api.ts';
import { useSession } from '../../app/session.tsx';
import { createMicrophone } from '../../audio/create-microphone.ts';
import { DevicePicker } from '../../audio/DevicePicker.tsx';
import { LevelMeter } from '../../audio/LevelMeter.tsx';
import { MicIcon } from '../../ui/icons.tsx';
import { hostingMessage } from '../../users/hosting-message.ts';
import { createSpaceError, parseTopics } from './create-space-error.ts';
import { CreateSpaceMutation } from './start.queries.ts';
import './start.css';

export function StartSpacePage() {
  const { api, viewer } = useSession();
  const navigate = useNavigate();
  const mic = createMicrophone();
  const [title, setTitle] = createSignal('');
  const [topics, setTopics] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const goLive = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    if (!mic.track()) return void setError('Check your microphone before going live.');
    setBusy(true);
    try {
      const { createSpace } = await run(api, CreateSpaceMutation, {
        input: { title: title().trim(), topics: parseTopics(topics()) },
      });
      if (createSpace.__typename === 'MutationCreateSpaceSuccess' && 'space' in createSpace) {
        navigate(`/spaces/${createSpace.space.id}`);
        return;
      }
      setError(createSpaceError(createSpace as Parameters<typeof createSpaceError>[0]));
    } catch {
      setError('Could not start the space. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="page narrow">
      <Show
        when={viewer() || viewer.loading}
        fallback={
          <div class="card empty-state">
            <h1>Host a space</h1>
            <p class="muted">Sign in to start a live audio room.</p>
            <A class="button primary" href="/signin?next=/start">
              Sign in
            </A>
          </div>
        }
      >
        <form class="card form" onSubmit={goLive} aria-labelledby="start-title">
          <h1 id="start-title">Start a space</h1>
          <Show when={viewer()?.hosting}>
            {(hosting) => (
              <Show when={!hosting().eligible}>
                <p class="alert info" data-testid="hosting-eligibility">
                  {hostingMessage(hosting())}
                </p>
              </Show>
            )}
          </Show>
          <label class="field">
            <span>Title</span>
            <input
              name="title"
              required
              maxlength="100"
              placeholder="What do you want to talk about?"
              value={title()}
              onInput={(event) => setTitle(event.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>
              Topics <span class="muted">(up to 3, separated by commas)</span>
            </span>
            <input
              name="topics"
              placeholder="music, tech, design"
              value={topics()}
              onInput={(event) => setTopics(event.currentTarget.value)}
            />
          </label>
          <fieldset class="mic-check">
            <legend>Microphone check</legend>
            <Show
              when={mic.track()}
              fallback={
                <div class="mic-check-row">
                  <p class="muted">Amphi needs your microphone so people can hear you.</p>
                  <button
                    type="button"
                    class="button"
                    disabled={mic.starting()}
                    onClick={() => void mic.start()}
                  >
                    <MicIcon /> Allow microphone
                  </button>
                </div>
              }
            >
              <p class="muted">Say something — the bar should move.</p>
              <LevelMeter level={mic.level()} label="Microphone level" />
              <DevicePicker mic={mic} id="start-mic" />
            </Show>
            <Show when={mic.error()}>
              <p class="alert error" role="alert">
                {mic.error()}
              </p>
            </Show>
          </fieldset>
          <Show when={error()}>
            <p class="alert error" role="alert" data-testid="start-error">
              {error()}
            </p>
          </Show>
          <button
            class="button primary block live"
            type="submit"
            disabled={busy() || !title().trim()}
          >
            <span class="live-dot" aria-hidden="true" /> {busy() ? 'Going live…' : 'Go live'}
          </button>
        </form>
      </Show>
    </section>
  );
}
