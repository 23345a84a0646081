import { createSignal, For, onCleanup, Show } from 'solid-js';
import { MoreIcon } from '../../ui/icons.tsx';
import { actionLabels, type ParticipantAction } from './participant-actions.ts';

/** The host team's "⋯" menu on a person: a WAI-ARIA menu button, usable from the keyboard. */
export function ParticipantMenu(props: {
  name: string;
  actions: readonly ParticipantAction[];
  onAction: (action: ParticipantAction) => void;
}) {
  const [open, setOpen] = createSignal(false);
  let button: HTMLButtonElement | undefined;
  let menu: HTMLDivElement | undefined;

  const items = () => [...(menu?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button?.focus();
  };
  const toggle = () => {
    setOpen(!open());
    if (open()) queueMicrotask(() => items()[0]?.focus());
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      all[(at + step + all.length) % all.length]?.focus();
    } else if (event.key === 'Tab') {
      close(false);
    }
  };
  const onOutside = (event: MouseEvent) => {
    if (open() && !menu?.contains(event.target as Node) && !button?.contains(event.target as Node))
      close(false);
  };
  document.addEventListener('click', onOutside);
  onCleanup(() => document.removeEventListener('click', onOutside));

  return (
    <Show when={props.actions.length > 0}>
      <div class="menu-anchor">
        <button
          ref={button}
          type="button"
          class="icon-button menu-button"
          aria-haspopup="menu"
          aria-expanded={open()}
          aria-label={`Actions for ${props.name}`}
          onClick={toggle}
        >
          <MoreIcon size={18} />
        </button>
        <Show when={open()}>
          <div
            ref={menu}
            class="menu"
            role="menu"
            aria-label={`Actions for ${props.name}`}
            onKeyDown={onKeyDown}
          >
            <For each={props.actions}>
              {(action) => (
                <button
                  type="button"
                  role="menuitem"
                  class={`menu-item ${action === 'remove' || action === 'block' ? 'danger' : ''}`}
                  onClick={() => {
                    close(true);
                    props.onAction(action);
                  }}
                >
                  {actionLabels[action]}
                </button>
              )}
            </For>
          </div>
        </Show>
      </div>
    </Show>
  );
}
