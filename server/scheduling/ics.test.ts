import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, toIcs } from './ics.ts';

describe('toIcs', () => {
  const event = {
    uid: 'space-1@amphi',
    stamp: new Date('2026-11-23T12:00:00.123Z'),
    start: new Date('2026-11-24T18:30:00Z'),
    summary: 'Audio, WebRTC; and\nmore',
    url: 'http://localhost:4000/spaces/abc',
  };

  it('writes one VEVENT with UTC times and CRLF line ends', () => {
    const ics = toIcs(event);
    expect(ics.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Amphi//Scheduled spaces//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:space-1@amphi',
      'DTSTAMP:20261123T120000Z',
      'DTSTART:20261124T183000Z',
      'SUMMARY:Audio\\, WebRTC\\; and\\nmore',
      'URL:http://localhost:4000/spaces/abc',
      'STATUS:CONFIRMED',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
  });

  it('marks a canceled space CANCELLED', () => {
    expect(toIcs({ ...event, canceled: true })).toContain('\r\nSTATUS:CANCELLED\r\n');
  });
});

describe('escapeText', () => {
  it('escapes backslashes before the characters it escapes with them', () => {
    expect(escapeText('a\\b,c;d\r\ne')).toBe('a\\\\b\\,c\\;d\\ne');
  });
});

describe('foldLine', () => {
  it('folds at 75 octets without splitting a multi-byte character', () => {
    const line = `SUMMARY:${'é'.repeat(80)}`;
    const parts = foldLine(line).split('\r\n ');
    expect(parts.length).toBeGreaterThan(1);
    for (const [index, part] of parts.entries()) {
      expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(index === 0 ? 75 : 74);
    }
    expect(parts.join('')).toBe(line);
  });
});
