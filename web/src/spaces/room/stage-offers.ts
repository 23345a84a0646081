import { graphql } from '../../api/graphql.ts';
import type { Api } from '../../api/graphql-client.ts';
import { iceConfiguration } from '../../api/media-signalling.ts';
import { run } from '../../api/typed-api.ts';
import { type JoinOffer, type MeshOffers, prepareMeshOffers } from '../../media/index.ts';

const SpaceStageQuery = graphql(`
  query SpaceStage($id: ID!) {
    space(id: $id) { mediaMode viewerParticipant { id } stage { id } }
    iceServers(spaceId: $id) { urls username credential }
  }
`);

/** Past this, the join goes without the offers still being made (they follow as signals). */
const OFFERS_WAIT_MS = 250;

/**
 * Before joining a mesh: an offer to each person on stage, for the join to carry. A joiner is
 * the one to offer to everyone already there, and offers sent with the join reach the stage a
 * round trip sooner than after it, made while the page was not yet busy with the room. Null in
 * a relay space, or when the stage could not be read (the join then goes as it would without).
 * For a page that shows the room before joining (a Listen button): reading the stage costs a
 * round trip of its own, which only pays when it is read before the user asks to listen.
 */
export async function prepareStageOffers(api: Api, spaceId: string): Promise<MeshOffers | null> {
  let stage: string[];
  let rtcConfig: RTCConfiguration | undefined;
  try {
    const { space, iceServers } = await run(api, SpaceStageQuery, { id: spaceId });
    if (space?.mediaMode !== 'MESH') return null;
    const self = space.viewerParticipant?.id;
    stage = space.stage.map(({ id }) => id).filter((id) => id !== self);
    // Before joining only the public (STUN) servers: their reflexive candidates let the stage
    // check the path as soon as the offer lands, where a browser's own may be mDNS names.
    rtcConfig = iceConfiguration(iceServers);
  } catch {
    return null;
  }
  if (stage.length === 0) return null;
  const offers = prepareMeshOffers(stage, { rtcConfig });
  await Promise.race([offers.ready, new Promise((resolve) => setTimeout(resolve, OFFERS_WAIT_MS))]);
  return offers;
}

/** The offers as joinSpace's `meshOffers` takes them. */
export const offerInputs = (offers: readonly JoinOffer[]) =>
  offers.map(({ participantId, signal }) => ({
    toParticipantId: participantId,
    signal: JSON.stringify(signal),
  }));
