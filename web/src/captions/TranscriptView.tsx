import { createResource, createSignal, For, Show } from 'solid-js';
import { run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { TranscriptQuery } from './captions.queries.ts';

const PAGE = 50;

type Segment = { text: string; startMs: number; speaker: string };

const clock = (ms: number) => {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
};

/** An ended space's transcript, paged, with the text and WebVTT downloads. */
export function TranscriptView(props: { spaceId: string }) {
  const { api } = useSession();
  const [segments, setSegments] = createSignal<Segment[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [more, setMore] = createSignal(false);
  const loadPage = async (after: string | null) => {
    const data = await run(api, TranscriptQuery, { id: props.spaceId, first: PAGE, after });
    const page = data.space?.transcript;
    if (!page) return;
    const added = page.edges.map(({ node }) => ({
      text: node.text,
      startMs: node.startMs,
      speaker: node.speaker.user.displayName,
    }));
    setSegments((current) => [...current, ...added]);
    setCursor(page.pageInfo.endCursor ?? null);
    setMore(page.pageInfo.hasNextPage);
  };
  const [first] = createResource(() => loadPage(null).then(() => true));
  const base = `/spaces/${encodeURIComponent(props.spaceId)}/transcript`;
  return (
    <Show when={first()}>
      <Show when={segments().length > 0}>
        <section class="card transcript" aria-labelledby="transcript-title">
          <h2 id="transcript-title" class="section-title">
            Transcript
          </h2>
          <p class="transcript-downloads">
            <a class="button small" href={`${base}.txt`} download="transcript.txt">
              Download text
            </a>{' '}
            <a class="button small" href={`${base}.vtt`} download="transcript.vtt">
              Download WebVTT
            </a>
          </p>
          <ol class="transcript-lines">
            <For each={segments()}>
              {(segment) => (
                <li data-testid="transcript-line">
                  <span class="muted">{clock(segment.startMs)}</span>{' '}
                  <strong>{segment.speaker}:</strong> {segment.text}
                </li>
              )}
            </For>
          </ol>
          <Show when={more()}>
            <button type="button" class="button small" onClick={() => void loadPage(cursor())}>
              Show more
            </button>
          </Show>
        </section>
      </Show>
    </Show>
  );
}
