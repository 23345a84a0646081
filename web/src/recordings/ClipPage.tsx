import { A, useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { ApiError } from '../api/graphql-client.ts';
import { run } from '../api/typed-api.ts';
import { NotFoundPage } from '../app/NotFoundPage.tsx';
import { useSession } from '../app/session.tsx';
import { ReplayPlayer } from './ReplayPlayer.tsx';
import { ClipQuery } from './recordings.queries.ts';
import { onTimeline, samePagePath } from './replay-lines.ts';
import './replay.css';

const isTicketRequired = (error: unknown) =>
  error instanceof ApiError &&
  error.errors.some((item) => item.extensions?.['code'] === 'TicketRequired');

/** A clip's own page: just its part of the recording, with what was said in it. */
export function ClipPage() {
  const params = useParams<{ id: string }>();
  const { api } = useSession();
  const [clip] = createResource(
    () => params.id,
    async (id) => {
      try {
        const found = (await run(api, ClipQuery, { id })).clip;
        return found ? { kind: 'clip' as const, clip: found } : { kind: 'missing' as const };
      } catch (error) {
        if (isTicketRequired(error)) return { kind: 'ticketed' as const };
        throw error;
      }
    },
  );
  return (
    <Show when={clip()} fallback={<div class="page" aria-busy="true" />}>
      {(found) => {
        const outcome = found();
        if (outcome.kind === 'missing') {
          return (
            <NotFoundPage
              title="Clip not found"
              message="This clip was deleted, or its link is mistyped."
            />
          );
        }
        if (outcome.kind === 'ticketed') {
          return (
            <NotFoundPage
              title="Ticket holders only"
              message="This clip is from a ticketed space: sign in with the account that holds a ticket."
            />
          );
        }
        const value = outcome.clip;
        const origin = value.recording.startMs + value.startSeconds * 1000;
        return (
          <section class="page narrow">
            <h1>{value.title ?? 'Clip'}</h1>
            <p class="muted">
              From <A href={`/spaces/${value.recording.space.id}`}>{value.recording.space.title}</A>
            </p>
            <ReplayPlayer
              src={samePagePath(value.playbackUrl)}
              label="Clip"
              durationSeconds={value.endSeconds - value.startSeconds}
              lines={onTimeline(
                value.transcript.map((segment) => ({
                  text: segment.text,
                  startMs: segment.startMs,
                  endMs: segment.endMs,
                  speaker: segment.speaker.user.displayName,
                })),
                origin,
              )}
            />
          </section>
        );
      }}
    </Show>
  );
}
