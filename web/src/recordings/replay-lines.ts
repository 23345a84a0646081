/** A transcript line placed on the timeline of the file being played (seconds). */
export type ReplayLine = {
  text: string;
  speaker: string;
  startSeconds: number;
  endSeconds: number;
};

/** A transcript segment as the API gives it, in ms since the space started. */
export type SegmentTimes = { text: string; startMs: number; endMs: number; speaker: string };

/** Places segments on a file whose time 0 is `originMs` of the space (a recording's or clip's start). */
export function onTimeline(segments: readonly SegmentTimes[], originMs: number): ReplayLine[] {
  return segments.map((segment) => ({
    text: segment.text,
    speaker: segment.speaker,
    startSeconds: Math.max(0, (segment.startMs - originMs) / 1000),
    endSeconds: Math.max(0, (segment.endMs - originMs) / 1000),
  }));
}

/** An audio element lands a seek up to a frame early; a line clicked must still be current. */
const SEEK_SLACK_SECONDS = 0.05;

/**
 * The line being spoken at `seconds`, or else the last one begun (so the highlight stays put in
 * a pause); -1 before the first. Lines are in order of their start.
 */
export function currentLineIndex(lines: readonly ReplayLine[], seconds: number): number {
  let low = 0;
  let high = lines.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (lines[middle]!.startSeconds <= seconds + SEEK_SLACK_SECONDS) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** `m:ss` (or `h:mm:ss`) for a time in seconds. */
export function playbackClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const s = String(whole % 60).padStart(2, '0');
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}:${s}`;
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${s}`;
}

/** The file's path on this page's own server: PUBLIC_URL may name another host than the page's. */
export const samePagePath = (url: string) => {
  const parsed = new URL(url, window.location.href);
  return `${parsed.pathname}${parsed.search}`;
};
