import type { Client } from 'graphql-ws';
import type WebSocket from 'ws';
import type { App } from '../../server/app.ts';
import { type Credentials, collect, wsClient } from './graphql-client.ts';

export const PRESENCE_EVENTS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      ... on ParticipantJoined { participant { id } }
      ... on ParticipantLeft { participant { id } removed }
      ... on ListenersChanged { joined { id } left { id } }
      ... on RoleChanged { participant { id } role }
      ... on SpaceStateChanged { state }
    }
  }
`;

export type PresenceEvent = {
  spaceEvents: {
    __typename: string;
    participant?: { id: string };
    joined?: { id: string }[];
    left?: { id: string }[];
    role?: string;
    state?: string;
  };
};

export type Connection = {
  client: Client;
  events: ReturnType<typeof collect<PresenceEvent>>;
  /**
   * Cuts the socket the way a killed browser does, with no close handshake; resolves once the
   * server has noticed.
   */
  cut(): Promise<void>;
};

/** Counts the subscriptions to the space the server runs (on one instance, or across Redis). */
export type Watchers = () => number | Promise<number>;

/** Watchers of a space on one in-process instance. */
export const watchersOn =
  (app: App, spaceId: string): Watchers =>
  () =>
    app.bus.watchers('space-events', spaceId);

async function watchersReach(watchers: Watchers, done: (count: number) => boolean) {
  for (let i = 0; i < 500; i++) {
    if (done(await watchers())) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the server never saw the subscription start or end');
}

/**
 * A graphql-ws client subscribed to a space's events, as the web client is while someone is in
 * the room; resolves once the server runs the subscription (and so holds their place).
 */
export async function connectToSpace(
  url: string,
  credentials: Credentials,
  space: { id: string; globalId: string },
  watchers: Watchers,
): Promise<Connection> {
  const client = wsClient(url, credentials);
  let socket: WebSocket | undefined;
  client.on('connected', (connected) => {
    socket = connected as WebSocket;
  });
  const before = await watchers();
  const events = collect<PresenceEvent>(client, PRESENCE_EVENTS, { spaceId: space.globalId });
  await watchersReach(watchers, (count) => count > before);
  return {
    client,
    events,
    async cut() {
      const connected = await watchers();
      socket?.terminate();
      await watchersReach(watchers, (count) => count < connected);
    },
  };
}

/** Whether an event says that the participant `participantId` left. */
export const leftEvent = (participantId: string) => (event: PresenceEvent['spaceEvents']) =>
  (event.__typename === 'ParticipantLeft' && event.participant?.id === participantId) ||
  (event.left ?? []).some((participant) => participant.id === participantId);

/** Whether an event says that the participant `participantId` came in or went out. */
export const cameOrWent = (participantId: string) => (event: PresenceEvent['spaceEvents']) =>
  leftEvent(participantId)(event) ||
  (event.__typename === 'ParticipantJoined' && event.participant?.id === participantId) ||
  (event.joined ?? []).some((participant) => participant.id === participantId);

export const eventsOf = (connection: Connection) =>
  connection.events.results.flatMap((result) => (result.data ? [result.data.spaceEvents] : []));
