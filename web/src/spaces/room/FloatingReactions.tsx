import { For } from 'solid-js';
import { Emoji } from '../../ui/Emoji.tsx';
import type { Floater } from './reaction-feed.ts';

/** Emoji rising over a tile; decorative, since the sender's tile already names them. */
export function FloatingReactions(props: { floaters: readonly Floater[] }) {
  return (
    <div class="floating-reactions" aria-hidden="true">
      <For each={props.floaters}>
        {(floater, index) => (
          <span
            class="floating-reaction"
            data-testid="floating-reaction"
            style={{
              '--drift': `${floater.drift * 18}px`,
              'animation-delay': `${(index() % 5) * 90}ms`,
            }}
          >
            <Emoji emoji={floater.emoji} />
          </span>
        )}
      </For>
    </div>
  );
}
