/** Text an attacker or a careless client sends, named for test titles. */

/** Refused wherever they appear: stored, they fail in PostgreSQL or fool whoever reads them. */
export const refusedText: [name: string, text: string][] = [
  ['NUL', 'Space\u0000time'],
  ['a lone high surrogate', 'Space \uD83D'],
  ['a lone low surrogate', '\uDE00 Space'],
  ['a C0 control (an ANSI escape)', 'Space\u001B[2J'],
  ['a C0 control (bell)', 'Space\u0007'],
  ['DEL', 'Space\u007F'],
  ['a C1 control (CSI)', 'Space\u009B31m'],
  ['a C1 control (NEL)', 'Space\u0085time'],
  ['a noncharacter (U+FFFE)', 'Space\uFFFE'],
  ['a noncharacter (U+FDD0)', 'Space\uFDD0'],
  ['a noncharacter (U+10FFFF)', 'Space\u{10FFFF}'],
  ['a right-to-left override', 'Invoice \u202Efdp.exe'],
];

/** A line break: refused in single-line text, allowed where an argument opts into lines. */
export const lineBreak: [name: string, text: string] = ['a line break', 'Space\ntime'];

/** Only what renders as nothing: zero-width space, non-joiner, joiner, word joiner and BOM. */
export const invisibleOnly = '\u200B\u200C\u200D\u2060\uFEFF';

/** Two letters under 13 combining marks each: short enough for any length limit. */
export const zalgo = [...'Zo']
  .map(
    (letter) =>
      `${letter}\u0336\u0334\u0335\u0337\u0338\u0321\u0322\u0327\u0328\u031B\u0300\u0301\u0302`,
  )
  .join('');

export const familyEmoji = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';

/** Accepted where free text is: stored verbatim, except that NFD becomes NFC. */
export const acceptedText: [name: string, text: string][] = [
  [
    'emoji ZWJ sequences',
    `${familyEmoji} \u{1F3F3}\uFE0F\u200D\u{1F308} \u{1F469}\u{1F3FD}\u200D\u{1F4BB}`,
  ],
  ['NFD text', 'Cafe\u0301 Tie\u0302\u0301ng Vie\u0323\u0302t'.normalize('NFD')],
  ['SQL-looking text', `'); DROP TABLE "space";--`],
  ['HTML-looking text', '<img src=x onerror=alert(1)>'],
  ['right-to-left text with isolates', 'שלום \u2067עולם\u2069 مرحبا'],
];

/** Text no argument accepts as a value, though each refuses it for its own reason. */
export const neverAccepted: [name: string, text: string][] = [
  ['only zero-width characters', invisibleOnly],
  ['a combining-mark stack (zalgo)', zalgo],
];

/** Whatever else every argument must survive without a 5xx. */
export const otherText: [name: string, text: string][] = [
  ['10,000 characters', 'x'.repeat(10_000)],
  ['1,000 family emoji (11,000 UTF-16 units)', familyEmoji.repeat(1_000)],
  ...acceptedText,
];
