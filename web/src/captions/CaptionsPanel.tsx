import { Show } from 'solid-js';

/**
 * Captions in the side panel: everyone may hide or show them for themselves; the host team turns
 * them on or off for the space (speakers are told in the room).
 */
export function CaptionsPanel(props: {
  captionsOn: boolean;
  canSwitch: boolean;
  shown: boolean;
  onToggleShown: () => void;
  onSwitch: (on: boolean) => void;
}) {
  return (
    <section class="card captions-panel" aria-labelledby="captions-title">
      <h2 id="captions-title" class="section-title">
        Captions
      </h2>
      <p class="muted">
        {props.captionsOn
          ? 'Live captions are on: what speakers say is transcribed on this server.'
          : 'Captions are off.'}
      </p>
      <Show when={props.captionsOn}>
        <button type="button" class="button small" onClick={() => props.onToggleShown()}>
          {props.shown ? 'Hide captions' : 'Show captions'}
        </button>
      </Show>
      <Show when={props.canSwitch}>
        <button
          type="button"
          class="button small primary"
          onClick={() => props.onSwitch(!props.captionsOn)}
        >
          {props.captionsOn ? 'Turn captions off' : 'Turn captions on'}
        </button>
        <Show when={!props.captionsOn}>
          <p class="muted small">Speakers will be told that their speech is captioned and kept.</p>
        </Show>
      </Show>
    </section>
  );
}
