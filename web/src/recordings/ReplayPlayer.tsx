import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from 'solid-js';
import { currentLineIndex, playbackClock, type ReplayLine } from './replay-lines.ts';

const SPEEDS = [0.75, 1, 1.25, 1.5, 2] as const;

/**
 * Plays one Ogg Opus file (a recording or a clip) with play/pause, scrubbing and speed; its
 * transcript follows playback (the current line highlighted and scrolled into view) and a click
 * on a line seeks there.
 */
export function ReplayPlayer(props: {
  src: string;
  lines: readonly ReplayLine[];
  /** Known length (s); the audio element's own is used once it knows. */
  durationSeconds: number;
  label: string;
  /** Called with the current time, for actions such as cutting a clip from here. */
  children?: (now: () => number) => JSX.Element;
}) {
  let audio: HTMLAudioElement | undefined;
  const lineElements: HTMLLIElement[] = [];
  const [now, setNow] = createSignal(0);
  const [playing, setPlaying] = createSignal(false);
  const [speed, setSpeed] = createSignal(1);
  const [duration, setDuration] = createSignal(props.durationSeconds);
  const [unplayable, setUnplayable] = createSignal(false);
  const current = () => currentLineIndex(props.lines, now());

  // timeupdate fires only about four times a second: a frame clock keeps the highlight exact.
  let frame = 0;
  const tick = () => {
    if (audio) setNow(audio.currentTime);
    frame = requestAnimationFrame(tick);
  };
  createEffect(() => {
    cancelAnimationFrame(frame);
    if (playing()) frame = requestAnimationFrame(tick);
  });
  onCleanup(() => cancelAnimationFrame(frame));

  createEffect(
    on(current, (index) => {
      lineElements[index]?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }),
  );

  const seek = (seconds: number) => {
    if (!audio) return;
    audio.currentTime = Math.min(Math.max(0, seconds), duration());
    setNow(audio.currentTime);
  };
  const toggle = () => {
    if (!audio) return;
    if (audio.paused) void audio.play().catch(() => setPlaying(false));
    else audio.pause();
  };

  return (
    <section class="card replay" aria-label={props.label}>
      {/* biome-ignore lint/a11y/useMediaCaption: the transcript below follows playback, line by line */}
      <audio
        ref={audio}
        src={props.src}
        preload="metadata"
        data-testid="replay-audio"
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => setPlaying(false)}
        onError={() => setUnplayable(true)}
        onTimeUpdate={(event) => setNow(event.currentTarget.currentTime)}
        onLoadedMetadata={(event) => {
          const known = event.currentTarget.duration;
          if (Number.isFinite(known) && known > 0) setDuration(known);
          event.currentTarget.playbackRate = speed();
        }}
      />
      <div class="replay-controls">
        <button type="button" class="button primary" onClick={toggle}>
          {playing() ? 'Pause' : 'Play'}
        </button>
        <span class="replay-time" data-testid="replay-time">
          {playbackClock(now())} / {playbackClock(duration())}
        </span>
        <input
          class="replay-scrubber"
          type="range"
          aria-label="Position"
          min="0"
          max={duration()}
          step="0.1"
          value={now()}
          onInput={(event) => seek(Number(event.currentTarget.value))}
        />
        <label class="replay-speed">
          Speed{' '}
          <select
            aria-label="Speed"
            value={String(speed())}
            onChange={(event) => {
              const rate = Number(event.currentTarget.value);
              setSpeed(rate);
              if (audio) audio.playbackRate = rate;
            }}
          >
            <For each={SPEEDS}>{(rate) => <option value={String(rate)}>{rate}×</option>}</For>
          </select>
        </label>
      </div>
      <Show when={unplayable()}>
        <p class="alert error" role="alert">
          This audio cannot be played now (it may have been deleted). Reload to try again.
        </p>
      </Show>
      {props.children?.(now)}
      <Show when={props.lines.length > 0}>
        <ol class="replay-lines" aria-label="Transcript">
          <For each={props.lines}>
            {(line, index) => (
              <li
                ref={(element) => {
                  lineElements[index()] = element;
                }}
                data-testid="replay-line"
                aria-current={current() === index() ? 'true' : undefined}
                classList={{ current: current() === index() }}
              >
                <button type="button" class="replay-line" onClick={() => seek(line.startSeconds)}>
                  <span class="muted">{playbackClock(line.startSeconds)}</span>{' '}
                  <strong>{line.speaker}:</strong> {line.text}
                </button>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
