import type { IceServer } from '../../api/media-signalling.ts';
import type { StageBeforeJoining } from './stage-offers.ts';

/** What a page listing live spaces read of one: enough to offer to its stage before joining. */
export type SpacePreview = StageBeforeJoining & { iceServers: readonly IceServer[] };

const previews = new Map<string, SpacePreview>();

/**
 * Keeps what the home page read of the live spaces it lists, so that opening one can make its
 * offers to the stage at once, while the room's own first read is under way. A stale preview
 * costs nothing but a peer: the join delivers offers only to those still on stage.
 */
export function rememberSpacePreviews(spaces: readonly (SpacePreview & { id: string })[]) {
  previews.clear();
  for (const { id, ...preview } of spaces) previews.set(id, preview);
}

export const spacePreview = (spaceId: string): SpacePreview | undefined => previews.get(spaceId);
