import { describe, expect, it } from 'vitest';
import { isHostTeam, outranks } from './roles.ts';

describe('outranks', () => {
  it('lets the host act on everyone else', () => {
    for (const target of ['COHOST', 'SPEAKER', 'LISTENER'] as const) {
      expect(outranks('HOST', target)).toBe(true);
    }
  });

  it('lets a co-host act on speakers and listeners only', () => {
    expect(outranks('COHOST', 'SPEAKER')).toBe(true);
    expect(outranks('COHOST', 'LISTENER')).toBe(true);
    expect(outranks('COHOST', 'COHOST')).toBe(false);
    expect(outranks('COHOST', 'HOST')).toBe(false);
  });

  it('gives speakers and listeners no power over anyone', () => {
    expect(outranks('SPEAKER', 'LISTENER')).toBe(false);
    expect(outranks('LISTENER', 'LISTENER')).toBe(false);
    expect(isHostTeam('SPEAKER')).toBe(false);
  });
});
