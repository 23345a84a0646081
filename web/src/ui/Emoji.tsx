import { Show } from 'solid-js';
import { emojiImage } from './emoji-images.ts';

/** An emoji drawn from bundled artwork, falling back to the system font for others. */
export function Emoji(props: { emoji: string }) {
  return (
    <Show when={emojiImage(props.emoji)} fallback={props.emoji}>
      {(src) => <img class="emoji" src={src()} alt={props.emoji} draggable={false} />}
    </Show>
  );
}
