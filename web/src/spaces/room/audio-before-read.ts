import type { MediaMode, Role, RosterEntry } from '../../media/index.ts';
import type { JoinedPlace } from './join-space.ts';

/** What the page read of the space before joining (SpaceOpeningQuery) that the audio needs. */
type StageRead = {
  mediaMode: MediaMode;
  relayAudience: boolean;
  stage: readonly { id: string; role: Role; muted: boolean }[];
};

export type AudioRoom = { mode: MediaMode; relayAudience: boolean; roster: RosterEntry[] };

/**
 * The room as the audio needs it, from the join's answer and the page's read before it, until
 * the room itself is read: in a relay space only who we are; in a mesh, the stage too, so that
 * the links whose offers went with the join are there to take the stage's answers.
 */
export function audioRoomBeforeRead(place: JoinedPlace, read: StageRead): AudioRoom | null {
  const self = { participantId: place.participantId, role: place.role, muted: place.muted };
  if (place.relayed) return { mode: 'RELAY', relayAudience: false, roster: [self] };
  if (read.mediaMode !== 'MESH') return null;
  const others = read.stage
    .filter(({ id }) => id !== self.participantId)
    .map(({ id, role, muted }) => ({ participantId: id, role, muted }));
  return { mode: 'MESH', relayAudience: read.relayAudience, roster: [...others, self] };
}
