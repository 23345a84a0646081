import { describe, expect, it } from 'vitest';
import { formatStart, fromLocalInput, startsIn, toLocalInput } from './start-time.ts';

const inBerlin = { locale: 'en-GB', timeZone: 'Europe/Berlin' };
const inLosAngeles = { locale: 'en-US', timeZone: 'America/Los_Angeles' };

describe('formatStart', () => {
  const now = new Date('2026-11-23T20:00:00Z'); // 21:00 in Berlin, 12:00 in Los Angeles

  it('names today and tomorrow in the viewer’s zone', () => {
    expect(formatStart(new Date('2026-11-23T22:30:00Z'), now, inBerlin)).toBe('Today, 23:30');
    expect(formatStart(new Date('2026-11-23T23:30:00Z'), now, inBerlin)).toBe('Tomorrow, 00:30');
  });

  it('shows the same instant as another day in another zone', () => {
    const start = new Date('2026-11-24T06:00:00Z');
    expect(formatStart(start, now, inBerlin)).toBe('Tomorrow, 07:00');
    expect(formatStart(start, now, inLosAngeles)).toBe('Today, 10:00 PM');
  });

  it('gives weekday and date further ahead, and the year only when it differs', () => {
    expect(formatStart(new Date('2026-11-28T17:30:00Z'), now, inBerlin)).toBe('Sat 28 Nov, 18:30');
    expect(formatStart(new Date('2027-01-02T17:30:00Z'), now, inBerlin)).toBe(
      'Sat, 2 Jan 2027, 18:30',
    );
  });
});

describe('startsIn', () => {
  const now = new Date('2026-11-23T20:00:00Z');
  const fromNow = (ms: number) => new Date(now.getTime() + ms);

  it('counts down in the largest sensible unit', () => {
    expect(startsIn(fromNow(25 * 60_000), now)).toBe('in 25 minutes');
    expect(startsIn(fromNow(60_000), now)).toBe('in 1 minute');
    expect(startsIn(fromNow(3 * 3_600_000), now)).toBe('in 3 hours');
    expect(startsIn(fromNow(2 * 86_400_000), now)).toBe('in 2 days');
  });

  it('says any moment once the time has come', () => {
    expect(startsIn(fromNow(-5 * 60_000), now)).toBe('any moment now');
  });
});

describe('datetime-local values', () => {
  it('round-trip an instant to the minute', () => {
    const date = new Date(2026, 10, 28, 18, 30);
    expect(toLocalInput(date)).toBe('2026-11-28T18:30');
    expect(fromLocalInput('2026-11-28T18:30')?.getTime()).toBe(date.getTime());
  });

  it('refuse empty and malformed values', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('28/11/2026 18:30')).toBeNull();
  });
});
