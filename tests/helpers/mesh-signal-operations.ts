import { defaultConfig } from '../../server/config.ts';
import { meshInbox } from '../../server/media/mesh-signal.ts';
import { startTestApp, type TestApp, type TestUser } from './test-app.ts';

/** The app the mesh's API tests run against: hosting for anyone followed, a low signal budget. */
export const startSignallingApp = () =>
  startTestApp({
    hosting: { minFollowers: 1, minFollowersTicketed: 1 },
    limits: { ...defaultConfig.limits, signalsPerMinute: 40 },
  });

/** Mesh signalling operations and an SDP, shared by the API tests of the mesh. */
export const SEND = /* GraphQL */ `
  mutation ($spaceId: ID!, $to: ID!, $signal: String!) {
    sendMeshSignal(spaceId: $spaceId, toParticipantId: $to, signal: $signal) {
      __typename
      ... on NotAllowed { action }
      ... on InvalidInput { issues { path message } }
      ... on NotFound { resource }
    }
  }
`;

export const SIGNALS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    meshSignals(spaceId: $spaceId) { fromParticipantId signal from { user { handle } } }
  }
`;

export const sdp = (direction: string) =>
  [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    `a=${direction}`,
    '',
  ].join('\r\n');

/** Waits until `user`'s mesh signals in the space are listened for on `t`'s instance. */
export async function signalsWatched(t: TestApp, spaceId: string, user: TestUser) {
  const inbox = meshInbox(spaceId, user.id);
  for (let i = 0; i < 200 && t.app.bus.watchers('mesh-signals', inbox) === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
