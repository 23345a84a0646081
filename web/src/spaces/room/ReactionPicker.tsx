import { createSignal, For, onCleanup, Show } from 'solid-js';
import { Emoji } from '../../ui/Emoji.tsx';
import { SmileIcon } from '../../ui/icons.tsx';

/** The quick emoji bar: a button that opens the server's allowed emoji. */
export function ReactionPicker(props: {
  emojis: readonly string[];
  onReact: (emoji: string) => void;
}) {
  const [open, setOpen] = createSignal(false);
  let root: HTMLDivElement | undefined;
  const onOutside = (event: MouseEvent) => {
    if (open() && !root?.contains(event.target as Node)) setOpen(false);
  };
  document.addEventListener('click', onOutside);
  onCleanup(() => document.removeEventListener('click', onOutside));
  return (
    <div class="reaction-picker" ref={root}>
      <button
        type="button"
        class="control"
        aria-haspopup="true"
        aria-expanded={open()}
        aria-controls="reaction-tray"
        onClick={() => setOpen(!open())}
      >
        <span class="control-icon">
          <SmileIcon />
        </span>
        <span class="control-label">React</span>
      </button>
      <Show when={open()}>
        <fieldset
          id="reaction-tray"
          class="reaction-tray"
          onKeyDown={(event) => {
            if (event.key === 'Escape') setOpen(false);
          }}
        >
          <legend class="visually-hidden">Reactions</legend>
          <For each={props.emojis}>
            {(emoji) => (
              <button
                type="button"
                class="emoji-button"
                aria-label={`React ${emoji}`}
                onClick={() => props.onReact(emoji)}
              >
                <Emoji emoji={emoji} />
              </button>
            )}
          </For>
        </fieldset>
      </Show>
    </div>
  );
}
