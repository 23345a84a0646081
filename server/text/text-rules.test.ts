import { describe, expect, it } from 'vitest';
import { normalizeText } from './text-rules.ts';

describe('normalizeText', () => {
  it('returns text in NFC', () => {
    expect(normalizeText('Cafe\u0301')).toEqual({ ok: true, text: 'Café' });
  });

  it.each([
    ['NUL', 'a\u0000', 'must not contain NUL characters'],
    ['a lone high surrogate', 'a\uD800', 'must be well-formed Unicode (it has a lone surrogate)'],
    ['a lone low surrogate', '\uDFFFa', 'must be well-formed Unicode (it has a lone surrogate)'],
    ['a C0 control', 'a\u001B', 'must not contain control characters'],
    ['DEL', 'a\u007F', 'must not contain control characters'],
    ['a C1 control', 'a\u0085', 'must not contain control characters'],
    ['a tab', 'a\tb', 'must not contain control characters'],
    ['a line feed', 'a\nb', 'must be a single line'],
    ['a line separator', 'a\u2028b', 'must be a single line'],
    ['U+FFFE', 'a\uFFFE', 'must not contain Unicode noncharacters'],
    ['U+FDD0', 'a\uFDD0', 'must not contain Unicode noncharacters'],
    ['U+10FFFF', 'a\u{10FFFF}', 'must not contain Unicode noncharacters'],
    ['a right-to-left override', 'a\u202Eb', 'must not contain bidirectional override characters'],
  ])('refuses %s in single-line text', (_, text, message) => {
    expect(normalizeText(text)).toEqual({ ok: false, message });
  });

  it('allows tabs, line feeds and carriage returns only in multi-line text', () => {
    expect(normalizeText('v=0\r\n\ta=x\r\n', 'multi-line')).toEqual({
      ok: true,
      text: 'v=0\r\n\ta=x\r\n',
    });
    expect(normalizeText('a\u0000\n', 'multi-line')).toMatchObject({ ok: false });
    expect(normalizeText('a\u000B\n', 'multi-line')).toMatchObject({ ok: false });
  });

  it('accepts emoji sequences, bidi isolates and marks, and paired surrogates', () => {
    const text = '👩‍👩‍👧‍👦 🏳️‍🌈 \u2067שלום\u2069 \u200Fa 😀';
    expect(normalizeText(text)).toEqual({ ok: true, text });
  });
});
