import type { Api } from '../../api/graphql-client.ts';
import type { JoinedMedia } from '../../api/media-signalling.ts';
import { run } from '../../api/typed-api.ts';
import type { MeshOffers, RosterEntry } from '../../media/index.ts';
import { JoinSpace } from './space.mutations.ts';
import { offersForJoin } from './stage-offers.ts';

/** The viewer's place as the join answered it: enough to start the audio. */
export type JoinedPlace = RosterEntry & { relayed: boolean };

/** Why the viewer cannot be in the space; shown instead of it. */
export type Closed = {
  kind: 'removed' | 'blocked' | 'ended' | 'missing' | 'failed';
  message: string;
};

export const joinFailure = (typename: string, message: string): Closed => {
  switch (typename) {
    case 'RemovedFromSpace':
      return { kind: 'removed', message: 'You were removed from this space and can’t rejoin it.' };
    case 'BlockedByHost':
      return { kind: 'blocked', message: 'The host has blocked you from their spaces.' };
    case 'SpaceNotLive':
      return { kind: 'ended', message: 'This space has ended.' };
    case 'NotFound':
      return { kind: 'missing', message: 'This space does not exist.' };
    default:
      return { kind: 'failed', message };
  }
};

export type JoinOutcome =
  | { kind: 'joined'; place: JoinedPlace; media: JoinedMedia }
  | { kind: 'closed'; closed: Closed };

/**
 * Joins `spaceId`, carrying `offers` to the stage once they are made (stage-offers.ts); joined,
 * the peers whose offers went along are the media's to take up, otherwise they are closed.
 */
export async function joinSpace(
  api: Api,
  spaceId: string,
  offers: MeshOffers | null,
): Promise<JoinOutcome> {
  try {
    const { joinSpace: result } = await run(api, JoinSpace, {
      spaceId,
      offers: await offersForJoin(offers),
    });
    if (result.__typename === 'MutationJoinSpaceSuccess') {
      const delivered = 'delivered' in result.meshOffers ? result.meshOffers.delivered : [];
      const { id, role, muted } = result.participant;
      return {
        kind: 'joined',
        place: { participantId: id, role, muted, relayed: result.relay !== null },
        media: {
          iceServers: result.iceServers,
          relay: result.relay,
          preparedMesh: offers?.handOver(delivered),
        },
      };
    }
    offers?.close();
    return { kind: 'closed', closed: joinFailure(result.__typename, result.message) };
  } catch {
    offers?.close();
    return { kind: 'closed', closed: joinFailure('NotFound', '') };
  }
}
