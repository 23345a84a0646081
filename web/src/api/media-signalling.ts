import type { MediaSignalling, MeshSignal, PreparedPeer } from '../media/index.ts';
import type { Api } from './graphql-client.ts';
import { MESH_SIGNALS, type MeshInbox, type MeshSignalsData } from './mesh-inbox.ts';

type Result = { __typename: string; message?: string };

export type IceServer = { urls: string[]; username: string | null; credential: string | null };

/** A RelayOffer as the API returns it, from openRelaySession or joinSpace's `relay`. */
export type RelayOffer = { sessionId: string; sdp: string; iceServers: IceServer[] };

/** The selection of a RelayOffer that `graphqlSignalling` needs. */
export const RELAY_OFFER_FIELDS = 'sessionId sdp iceServers { urls username credential }';

/**
 * The relay leaves an offer unanswered for 30 s; one older than this is not worth starting on,
 * as the session may close before the connection is up.
 */
const OPENED_RELAY_FRESH_MS = 10_000;

/** GraphQL's nulls as RTCIceServer's absent members. */
export const toRtcIceServer = ({ urls, username, credential }: IceServer): RTCIceServer => ({
  urls,
  ...(username === null ? {} : { username }),
  ...(credential === null ? {} : { credential }),
});

/** Peer connections' configuration; undefined when the server names no ICE servers, so peers keep their own defaults. */
export const iceConfiguration = (servers: readonly IceServer[]): RTCConfiguration | undefined =>
  servers.length > 0 ? { iceServers: servers.map(toRtcIceServer) } : undefined;

/** The ICE servers a participant of the space may use (TURN only for them). */
export async function participantIceServers(
  api: Api,
  spaceId: string,
): Promise<RTCConfiguration | undefined> {
  const data = await api.request<{ iceServers: IceServer[] }>(
    'query ($spaceId: ID!) { iceServers(spaceId: $spaceId) { urls username credential } }',
    { spaceId },
  );
  return iceConfiguration(data.iceServers);
}

/**
 * What joinSpace brought for the joiner's audio: its ICE servers; in a relay space, its relay
 * offer; in a mesh, the peers whose offers it carried to the stage (and any made too late).
 */
export type JoinedMedia = {
  iceServers: IceServer[];
  relay: RelayOffer | null;
  preparedMesh?: Map<string, PreparedPeer> | undefined;
};

const unwrap = (field: string, result: Result) => {
  if (!result.__typename.endsWith('Success')) {
    throw new Error(`${field} failed: ${result.__typename} ${result.message ?? ''}`.trim());
  }
  return result;
};

const toOpenedRelay = (relay: RelayOffer) => ({
  sessionId: relay.sessionId,
  offer: relay.sdp,
  iceServers: relay.iceServers.map(toRtcIceServer),
});

/**
 * The media module's signalling, spoken over Amphi's GraphQL API. `openedRelay`, the offer
 * joinSpace returned (its `relay`), is what the first relay connection starts from, if it is
 * still fresh then; every later one is opened with openRelaySession. Likewise the first reader
 * of mesh signals takes `inbox`, opened before joining; later ones subscribe anew (and get what
 * the server kept for them).
 */
export function graphqlSignalling(
  api: Api,
  spaceId: string,
  selfParticipantId: string,
  openedRelay: RelayOffer | null = null,
  inbox: MeshInbox | null = null,
): MediaSignalling {
  let opened = openedRelay && { relay: openedRelay, at: performance.now() };
  let early = inbox;
  return {
    selfParticipantId,
    async sendSignal(toParticipantId: string, signal: MeshSignal) {
      const data = await api.request<{ sendMeshSignal: Result }>(
        /* GraphQL */ `
          mutation ($spaceId: ID!, $to: ID!, $signal: String!) {
            sendMeshSignal(spaceId: $spaceId, toParticipantId: $to, signal: $signal) {
              __typename
              ... on Error { message }
            }
          }
        `,
        { spaceId, to: toParticipantId, signal: JSON.stringify(signal) },
      );
      unwrap('sendMeshSignal', data.sendMeshSignal);
    },
    onSignal(handler) {
      const taken = early?.take(handler) ?? null;
      early = null;
      if (taken) return taken;
      return api.subscribe<MeshSignalsData>(MESH_SIGNALS, { spaceId }, (data) =>
        handler(data.meshSignals.fromParticipantId, JSON.parse(data.meshSignals.signal)),
      );
    },
    async openRelay() {
      const early = opened;
      opened = null;
      if (early && performance.now() - early.at < OPENED_RELAY_FRESH_MS) {
        return toOpenedRelay(early.relay);
      }
      const data = await api.request<{
        openRelaySession: Result & { relay?: RelayOffer };
      }>(
        /* GraphQL */ `
          mutation ($spaceId: ID!) {
            openRelaySession(spaceId: $spaceId) {
              __typename
              ... on Error { message }
              ... on MutationOpenRelaySessionSuccess { relay { ${RELAY_OFFER_FIELDS} } }
            }
          }
        `,
        { spaceId },
      );
      const relay = unwrap('openRelaySession', data.openRelaySession) as { relay?: RelayOffer };
      if (!relay.relay) throw new Error('openRelaySession returned no offer');
      return toOpenedRelay(relay.relay);
    },
    async answerRelay(sessionId: string, answer: string) {
      const data = await api.request<{ answerRelaySession: Result }>(
        /* GraphQL */ `
          mutation ($sessionId: ID!, $sdp: String!) {
            answerRelaySession(sessionId: $sessionId, sdp: $sdp) {
              __typename
              ... on Error { message }
            }
          }
        `,
        { sessionId, sdp: answer },
      );
      unwrap('answerRelaySession', data.answerRelaySession);
    },
    onRelayLost(sessionId, handler) {
      return api.subscribe<{ relaySessionLost: { sessionId: string } }>(
        /* GraphQL */ `
          subscription ($sessionId: ID!) {
            relaySessionLost(sessionId: $sessionId) { sessionId }
          }
        `,
        { sessionId },
        () => handler(),
      );
    },
  };
}
