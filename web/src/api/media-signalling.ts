import type { MediaSignalling, MeshSignal } from '../media/types.ts';
import type { Api } from './graphql-client.ts';

type Result = { __typename: string; message?: string };

type IceServer = { urls: string[]; username: string | null; credential: string | null };
type RelayOffer = { sessionId: string; sdp: string; iceServers: IceServer[] };

/** GraphQL's nulls as RTCIceServer's absent members. */
export const toRtcIceServer = ({ urls, username, credential }: IceServer): RTCIceServer => ({
  urls,
  ...(username === null ? {} : { username }),
  ...(credential === null ? {} : { credential }),
});

/**
 * The ICE servers a participant of the space may use (TURN only for them); undefined when the
 * server names none, so peers keep their own defaults.
 */
export async function participantIceServers(
  api: Api,
  spaceId: string,
): Promise<RTCConfiguration | undefined> {
  const data = await api.request<{ iceServers: IceServer[] }>(
    'query ($spaceId: ID!) { iceServers(spaceId: $spaceId) { urls username credential } }',
    { spaceId },
  );
  return data.iceServers.length > 0
    ? { iceServers: data.iceServers.map(toRtcIceServer) }
    : undefined;
}

const unwrap = (field: string, result: Result) => {
  if (!result.__typename.endsWith('Success')) {
    throw new Error(`${field} failed: ${result.__typename} ${result.message ?? ''}`.trim());
  }
  return result;
};

/** The media module's signalling, spoken over Amphi's GraphQL API. */
export function graphqlSignalling(
  api: Api,
  spaceId: string,
  selfParticipantId: string,
): MediaSignalling {
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
      return api.subscribe<{ meshSignals: { fromParticipantId: string; signal: string } }>(
        /* GraphQL */ `
          subscription ($spaceId: ID!) {
            meshSignals(spaceId: $spaceId) { fromParticipantId signal }
          }
        `,
        { spaceId },
        (data) => handler(data.meshSignals.fromParticipantId, JSON.parse(data.meshSignals.signal)),
      );
    },
    async openRelay() {
      const data = await api.request<{
        openRelaySession: Result & { relay?: RelayOffer };
      }>(
        /* GraphQL */ `
          mutation ($spaceId: ID!) {
            openRelaySession(spaceId: $spaceId) {
              __typename
              ... on Error { message }
              ... on MutationOpenRelaySessionSuccess {
                relay { sessionId sdp iceServers { urls username credential } }
              }
            }
          }
        `,
        { spaceId },
      );
      const relay = unwrap('openRelaySession', data.openRelaySession) as { relay?: RelayOffer };
      if (!relay.relay) throw new Error('openRelaySession returned no offer');
      return {
        sessionId: relay.relay.sessionId,
        offer: relay.relay.sdp,
        iceServers: relay.relay.iceServers.map(toRtcIceServer),
      };
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
