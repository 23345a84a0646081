import { For, Show } from 'solid-js';

/** A space's topics as chips; nothing at all when it has none. */
export function Topics(props: { topics: readonly string[] }) {
  return (
    <Show when={props.topics.length > 0}>
      <ul class="topics" aria-label="Topics">
        <For each={props.topics}>{(topic) => <li class="chip">{topic}</li>}</For>
      </ul>
    </Show>
  );
}
