import { selfMutation } from '../spaces/participant-mutation.ts';

selfMutation(
  'keepPresence',
  "Keeps the caller's place in a space for another PRESENCE_TIMEOUT_SECONDS. Only clients without a graphql-ws subscription to the space need it (HTTP and SSE clients, whose connections the server cannot watch): call it at least twice per timeout, or the caller leaves the space as if they had left it themselves.",
  (services, userId, spaceId) => services.presence.heartbeat(userId, spaceId),
);
