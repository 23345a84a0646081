import { createEffect, on, Show } from 'solid-js';
import { createBroadcastPlayer } from './create-broadcast-player.ts';
import type { ListeningMode } from './listening-choice.ts';

/**
 * Plays the broadcast while `mode` is BROADCAST, says how far behind it is, and lets a listener
 * switch between it and live audio.
 */
export function BroadcastControl(props: {
  mode: ListeningMode;
  url: string | null;
  latencySeconds: number | null;
  onChoose(mode: ListeningMode): void;
}) {
  const player = createBroadcastPlayer();
  createEffect(
    on([() => props.mode, () => props.url], ([mode, url]) => {
      if (mode === 'BROADCAST' && url) player.play(url);
      else player.stop();
    }),
  );
  const behind = () => Math.round(props.latencySeconds ?? 8);
  return (
    <Show when={props.url}>
      <div class="broadcast-control" data-testid="broadcast-control">
        <Show
          when={props.mode === 'BROADCAST'}
          fallback={
            <button type="button" class="btn" onClick={() => props.onChoose('BROADCAST')}>
              Listen via broadcast
            </button>
          }
        >
          <span class="muted" data-testid="broadcast-behind">
            Broadcast: about {behind()} s behind live. Captions, reactions and the stage are live.
          </span>
          <button type="button" class="btn" onClick={() => props.onChoose('RELAY')}>
            Listen live
          </button>
        </Show>
        <Show when={player.error()}>{(message) => <span role="alert">{message()}</span>}</Show>
      </div>
    </Show>
  );
}
