/**
 * One line of the caption bar: what a speaker is saying (partial) or said (final); `degraded`
 * when the server could not keep up (late, or words skipped).
 */
export type CaptionLine = {
  participantId: string;
  text: string;
  final: boolean;
  degraded?: boolean;
};

/** Lines the caption bar shows at once. */
export const MAX_CAPTION_LINES = 3;

/**
 * The caption bar after one more caption: a speaker's partial replaces their line still under
 * way (so the words settle in place), anything else starts a new line; the oldest lines go.
 */
export function nextCaptionLines(
  lines: readonly CaptionLine[],
  caption: CaptionLine,
  max = MAX_CAPTION_LINES,
): CaptionLine[] {
  const open = lines.findLastIndex(
    (line) => line.participantId === caption.participantId && !line.final,
  );
  const next = open >= 0 ? lines.with(open, caption) : [...lines, caption];
  return next.slice(-max);
}
