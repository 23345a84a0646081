import { describe, expect, it } from 'vitest';
import { type SourceChoiceInput, selectSource } from './source-selection.ts';
import type { SourceKind } from './types.ts';

const none = { available: false, flowing: false };
const silent = { available: true, flowing: false };
const flowing = { available: true, flowing: true };

const choose = (input: Partial<SourceChoiceInput> & { preferred: SourceKind }) =>
  selectSource({ current: null, mesh: none, relay: none, ...input });

describe('selectSource', () => {
  describe('mesh → relay upgrade, make-before-break', () => {
    it('keeps the mesh while the relay has not delivered audio yet', () => {
      expect(choose({ preferred: 'relay', current: 'mesh', mesh: flowing, relay: none })).toBe(
        'mesh',
      );
      expect(choose({ preferred: 'relay', current: 'mesh', mesh: flowing, relay: silent })).toBe(
        'mesh',
      );
    });

    it('switches to the relay once its audio flows, with the mesh still flowing', () => {
      expect(choose({ preferred: 'relay', current: 'mesh', mesh: flowing, relay: flowing })).toBe(
        'relay',
      );
    });

    it('stays on the relay when the mesh peer closes after the switch', () => {
      expect(choose({ preferred: 'relay', current: 'relay', mesh: none, relay: flowing })).toBe(
        'relay',
      );
    });

    it('goes back to the mesh when relay audio stops while the mesh still flows', () => {
      expect(choose({ preferred: 'relay', current: 'relay', mesh: flowing, relay: silent })).toBe(
        'mesh',
      );
      expect(choose({ preferred: 'relay', current: 'relay', mesh: flowing, relay: none })).toBe(
        'mesh',
      );
    });

    it('keeps the current source when nothing flows (a speaker without a microphone)', () => {
      expect(choose({ preferred: 'relay', current: 'mesh', mesh: silent, relay: silent })).toBe(
        'mesh',
      );
      expect(choose({ preferred: 'relay', current: 'relay', mesh: silent, relay: silent })).toBe(
        'relay',
      );
    });
  });

  describe('relay → mesh downgrade', () => {
    it('switches to the mesh only once mesh audio flows', () => {
      expect(choose({ preferred: 'mesh', current: 'relay', mesh: silent, relay: flowing })).toBe(
        'relay',
      );
      expect(choose({ preferred: 'mesh', current: 'relay', mesh: flowing, relay: flowing })).toBe(
        'mesh',
      );
    });
  });

  it('returns exactly one source, never both, through a whole switch', () => {
    const steps: Array<Pick<SourceChoiceInput, 'mesh' | 'relay'>> = [
      { mesh: flowing, relay: none },
      { mesh: flowing, relay: silent },
      { mesh: flowing, relay: flowing },
      { mesh: none, relay: flowing },
    ];
    let current: SourceKind | null = 'mesh';
    const played: Array<SourceKind | null> = [];
    for (const step of steps) {
      current = selectSource({ preferred: 'relay', current, ...step });
      played.push(current);
    }
    expect(played).toEqual(['mesh', 'mesh', 'relay', 'relay']);
  });

  it('never picks a source without a track, and picks none when the participant left', () => {
    expect(choose({ preferred: 'relay', current: 'relay', mesh: none, relay: none })).toBeNull();
    expect(choose({ preferred: 'mesh', current: 'mesh', mesh: none, relay: none })).toBeNull();
    expect(choose({ preferred: 'mesh', current: 'mesh', mesh: none, relay: silent })).toBe('relay');
  });

  it('starts a new participant on the preferred source, or on whichever flows', () => {
    expect(choose({ preferred: 'mesh', mesh: silent })).toBe('mesh');
    expect(choose({ preferred: 'relay', mesh: flowing, relay: silent })).toBe('mesh');
    expect(choose({ preferred: 'relay', mesh: silent, relay: silent })).toBe('relay');
  });
});
