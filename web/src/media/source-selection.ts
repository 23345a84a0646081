import type { SourceKind } from './types.ts';

/** What one source offers for one remote participant right now. */
export type SourceObservation = {
  /** The source has a track for this participant (peer connected / slot assigned). */
  available: boolean;
  /** Inbound packets for this participant grew recently. */
  flowing: boolean;
};

export type SourceChoiceInput = {
  /** The mode's source: relay in RELAY mode, mesh in MESH mode. */
  preferred: SourceKind;
  /** The source played now, or null when the participant is not played. */
  current: SourceKind | null;
  mesh: SourceObservation;
  relay: SourceObservation;
};

const other = (source: SourceKind): SourceKind => (source === 'mesh' ? 'relay' : 'mesh');

/**
 * The single source to play a participant from, or null when neither has a track. A flowing
 * source always beats a silent one, so a participant is never dropped while either source flows;
 * between flowing sources the mode's preferred one wins, which is what moves a participant to the
 * relay (or back to the mesh) once, and only once, its audio arrives there. When nothing flows the
 * current source is kept, so silence does not cause flapping.
 */
export function selectSource(input: SourceChoiceInput): SourceKind | null {
  const byPreference: SourceKind[] = [input.preferred, other(input.preferred)];
  const flowing = byPreference.find((source) => input[source].available && input[source].flowing);
  if (flowing) return flowing;
  const fallback = input.current ? [input.current, ...byPreference] : byPreference;
  return fallback.find((source) => input[source].available) ?? null;
}
