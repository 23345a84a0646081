import { createResource, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import { listen, run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { TranscriptView } from '../captions/TranscriptView.tsx';
import { ClipMaker } from './ClipMaker.tsx';
import { loadTranscript } from './load-transcript.ts';
import { ReplayPlayer } from './ReplayPlayer.tsx';
import { RecordingSettled, ReplayQuery } from './recordings.queries.ts';
import { onTimeline, samePagePath } from './replay-lines.ts';
import './replay.css';

type Recording = {
  id: string;
  state: 'RECORDING' | 'READY' | 'FAILED';
  playbackUrl: string | null;
  durationSeconds: number | null;
  startMs: number;
};

/**
 * An ended space's replay: its recording with the transcript following along, or, where nothing
 * was recorded (or it failed), the transcript alone. A recording still being finished is awaited.
 */
export function SpaceReplay(props: { spaceId: string }) {
  const { api, viewer } = useSession();
  const [recording, setRecording] = createSignal<Recording | null>(null);
  const [loaded] = createResource(async () => {
    const found = (await run(api, ReplayQuery, { id: props.spaceId })).space?.recording ?? null;
    setRecording(found);
    if (found?.state === 'RECORDING') {
      const stop = listen(api, RecordingSettled, { spaceId: props.spaceId }, (data) =>
        setRecording(data.recordingSettled),
      );
      onCleanup(stop);
    }
    return true;
  });
  const [segments] = createResource(
    () => recording()?.state === 'READY',
    () => loadTranscript(api, props.spaceId),
  );
  return (
    <Show when={loaded()}>
      <Switch fallback={<TranscriptView spaceId={props.spaceId} />}>
        <Match when={recording()?.state === 'RECORDING'}>
          <p class="card muted" role="status">
            The recording is being finished; it will play here in a moment.
          </p>
        </Match>
        <Match when={recording()?.state === 'READY' && segments() && recording()}>
          {(ready) => (
            <ReplayPlayer
              src={samePagePath(ready().playbackUrl ?? '')}
              label="Replay"
              durationSeconds={ready().durationSeconds ?? 0}
              lines={onTimeline(segments() ?? [], ready().startMs)}
            >
              {(now) => (
                <Show when={viewer()}>
                  <ClipMaker
                    recordingId={ready().id}
                    now={now}
                    duration={ready().durationSeconds ?? 0}
                  />
                </Show>
              )}
            </ReplayPlayer>
          )}
        </Match>
      </Switch>
    </Show>
  );
}
