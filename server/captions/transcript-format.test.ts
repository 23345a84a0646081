import { describe, expect, it } from 'vitest';
import { toPlainText, toWebVtt } from './transcript-format.ts';

const lines = [
  { speaker: 'Ann', text: 'hello everyone', startMs: 1_234, endMs: 2_500 },
  {
    speaker: 'Bob <the builder>',
    text: 'fish & chips\nfor <all>',
    startMs: 3_723_004,
    endMs: 3_725_000,
  },
];

describe('toWebVtt', () => {
  it('writes a cue per segment with hours, milliseconds and the speaker as a voice', () => {
    expect(toWebVtt(lines)).toBe(
      'WEBVTT\n\n' +
        '00:00:01.234 --> 00:00:02.500\n<v Ann>hello everyone\n\n' +
        '01:02:03.004 --> 01:02:05.000\n<v Bob &lt;the builder&gt;>fish &amp; chips for &lt;all&gt;\n',
    );
  });

  it('is a valid empty file without segments and never ends a cue before it starts', () => {
    expect(toWebVtt([])).toBe('WEBVTT\n');
    expect(toWebVtt([{ speaker: 'A', text: 'x', startMs: 500, endMs: 400 }])).toContain(
      '00:00:00.500 --> 00:00:00.500',
    );
  });
});

describe('toPlainText', () => {
  it('writes one line per segment with its start time and speaker', () => {
    expect(toPlainText(lines.slice(0, 1))).toBe('[00:00:01] Ann: hello everyone\n');
  });
});
