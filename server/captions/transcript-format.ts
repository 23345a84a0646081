/** A stored caption as a transcript file shows it. */
export type TranscriptLine = { speaker: string; text: string; startMs: number; endMs: number };

function clock(ms: number, separator: '.' | ','): string {
  const whole = Math.max(0, Math.round(ms));
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor(whole / 60_000) % 60;
  const seconds = Math.floor(whole / 1000) % 60;
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(whole % 1000, 3)}`;
}

/** WebVTT cues escape `&`, `<` and `>`; a blank line would end the cue early. */
function cueText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll(/\s*\n\s*/g, ' ');
}

/** WebVTT with one cue per segment, the speaker as a voice span (`<v Ann>`). */
export function toWebVtt(lines: readonly TranscriptLine[]): string {
  const cues = lines.map(
    (line) =>
      `${clock(line.startMs, '.')} --> ${clock(Math.max(line.endMs, line.startMs), '.')}\n` +
      `<v ${cueText(line.speaker)}>${cueText(line.text)}`,
  );
  return `${['WEBVTT', ...cues].join('\n\n')}\n`;
}

/** Plain text: `[00:01:02] Ann: what was said`, one line per segment. */
export function toPlainText(lines: readonly TranscriptLine[]): string {
  return lines
    .map((line) => `[${clock(line.startMs, '.').slice(0, 8)}] ${line.speaker}: ${line.text}\n`)
    .join('');
}
