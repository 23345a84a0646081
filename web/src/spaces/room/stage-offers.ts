import { graphql } from '../../api/graphql.ts';
import type { Api } from '../../api/graphql-client.ts';
import { type IceServer, iceConfiguration } from '../../api/media-signalling.ts';
import { run } from '../../api/typed-api.ts';
import {
  type JoinOffer,
  type MediaMode,
  type MeshOffers,
  prepareMeshOffers,
} from '../../media/index.ts';

const SpaceStageQuery = graphql(`
  query SpaceStage($id: ID!) {
    space(id: $id) { mediaMode viewerParticipant { id } stage { id } }
    iceServers(spaceId: $id) { urls username credential }
  }
`);

/** Past this, the join goes without the offers still being made (they follow as signals). */
const OFFERS_WAIT_MS = 250;

/** What a page read of the space before joining, enough to offer to its stage. */
export type StageBeforeJoining = {
  mediaMode: MediaMode;
  viewerParticipant: { id: string } | null;
  stage: readonly { id: string }[];
};

/**
 * Before joining a mesh: an offer to each person on stage, for the join to carry. A joiner is
 * the one to offer to everyone already there, and offers sent with the join reach the stage a
 * round trip sooner than after it. Null in a relay space or with nobody else on stage.
 * `iceServers` as read before joining, only the public (STUN) ones for a newcomer: their
 * reflexive candidates let the stage check the path as soon as the offer lands, where a
 * browser's own may be mDNS names.
 */
export function offerToStage(
  space: StageBeforeJoining,
  iceServers: readonly IceServer[],
): MeshOffers | null {
  if (space.mediaMode !== 'MESH') return null;
  const self = space.viewerParticipant?.id;
  const stage = space.stage.map(({ id }) => id).filter((id) => id !== self);
  if (stage.length === 0) return null;
  return prepareMeshOffers(stage, { rtcConfig: iceConfiguration(iceServers) });
}

/** Until every offer is made, or the bound has passed (late ones follow the join as signals). */
const madeOrLate = (offers: MeshOffers) =>
  Promise.race([offers.ready, new Promise((resolve) => setTimeout(resolve, OFFERS_WAIT_MS))]);

/**
 * The offers, in joinSpace's `meshOffers` input, once they are made. Waiting costs the join
 * nothing it would not pay anyway: an offer not carried has to be made before it is sent after
 * the join, and then reaches the stage a round trip later.
 */
export async function offersForJoin(offers: MeshOffers | null) {
  if (!offers) return [];
  await madeOrLate(offers);
  return offerInputs(offers.take());
}

/**
 * For a page that shows the room before joining (a Listen button): offers made once the stage
 * is read. Reading the stage costs a round trip of its own, which only pays when it is read
 * before the user asks to listen. Null when the stage could not be read (the join then goes as
 * it would without).
 */
export async function prepareStageOffers(api: Api, spaceId: string): Promise<MeshOffers | null> {
  try {
    const { space, iceServers } = await run(api, SpaceStageQuery, { id: spaceId });
    const offers = space ? offerToStage(space, iceServers) : null;
    if (offers) await madeOrLate(offers);
    return offers;
  } catch {
    return null;
  }
}

/** The offers as joinSpace's `meshOffers` takes them. */
export const offerInputs = (offers: readonly JoinOffer[]) =>
  offers.map(({ participantId, signal }) => ({
    toParticipantId: participantId,
    signal: JSON.stringify(signal),
  }));
