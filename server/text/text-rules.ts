/**
 * Whether text may span lines. Single-line is the default; multi-line text (SDP, JSON documents)
 * may also hold tabs, line feeds and carriage returns.
 */
export type TextShape = 'single-line' | 'multi-line';

export type TextVerdict = { ok: true; text: string } | { ok: false; message: string };

// With the u flag a surrogate range matches only halves that have no partner.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const LINE_BREAK = /[\n\r\u2028\u2029]/u;
const CONTROL = /\p{Cc}/u;
const LAYOUT_CONTROL = /[\t\n\r]/gu;
const NONCHARACTER = /\p{Noncharacter_Code_Point}/u;
// Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) reorder the text around them and are the
// spoofing tool ("gpj.exe" shown as "exe.jpg"); isolates and marks stay allowed for RTL writing.
const BIDI_OVERRIDE = /[\u202A-\u202E]/u;

function problemOf(text: string, shape: TextShape): string | null {
  // PostgreSQL refuses both in text columns; anything stored must be well-formed and NUL-free.
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (it has a lone surrogate)';
  if (text.includes('\0')) return 'must not contain NUL characters';
  if (shape === 'single-line' && LINE_BREAK.test(text)) return 'must be a single line';
  const controls = shape === 'multi-line' ? text.replace(LAYOUT_CONTROL, '') : text;
  if (CONTROL.test(controls)) return 'must not contain control characters';
  if (NONCHARACTER.test(text)) return 'must not contain Unicode noncharacters';
  if (BIDI_OVERRIDE.test(text)) return 'must not contain bidirectional override characters';
  return null;
}

/**
 * The one check every string from a client passes before anything uses it: refuses NUL, other
 * control characters, lone surrogates, noncharacters and bidi overrides, and returns the text in
 * NFC, so that what looks the same is stored the same.
 */
export function normalizeText(text: string, shape: TextShape = 'single-line'): TextVerdict {
  const problem = problemOf(text, shape);
  return problem ? { ok: false, message: problem } : { ok: true, text: text.normalize('NFC') };
}
