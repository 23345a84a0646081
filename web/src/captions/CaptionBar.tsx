import { For, Show } from 'solid-js';
import type { CaptionLine } from './caption-lines.ts';

/**
 * Live captions under the stage: the last few lines, each with its speaker's name, and a notice
 * while the server is too busy to caption in time.
 */
export function CaptionBar(props: {
  lines: readonly CaptionLine[];
  nameOf: (participantId: string) => string;
}) {
  return (
    <section class="caption-bar" aria-label="Live captions" aria-live="polite">
      <Show
        when={props.lines.length > 0}
        fallback={<p class="muted caption-waiting">Captions appear here when someone speaks.</p>}
      >
        <For each={props.lines}>
          {(line) => (
            <p class="caption-line" classList={{ partial: !line.final }} data-testid="caption-line">
              <strong>{props.nameOf(line.participantId)}:</strong> {line.text}
            </p>
          )}
        </For>
      </Show>
      <Show when={props.lines.at(-1)?.degraded}>
        <p class="caption-degraded" role="status" data-testid="captions-degraded">
          Captions are running behind: the server is busy, so some words may be missing.
        </p>
      </Show>
    </section>
  );
}
