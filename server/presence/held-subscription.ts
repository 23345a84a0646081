import type { Context } from '../context.ts';
import { eventStream } from '../graphql/event-stream.ts';

/**
 * A subscription to a space that holds the subscriber's place there while it is open, when the
 * server can tell it is: over graphql-ws, whose server pings every socket and drops one that
 * stops answering. Over HTTP (SSE) a silent network looks open for many minutes, so such clients
 * keep their place with `keepPresence` instead, and their subscription passes through as it is.
 */
export function heldWhileOpen<T>(
  ctx: Context,
  spaceId: string,
  events: AsyncIterable<T>,
): AsyncIterable<T> {
  const viewer = ctx.viewer;
  if (!viewer || ctx.transport !== 'websocket') return events;
  return eventStream(events, { onClose: ctx.services.presence.hold(spaceId, viewer.userId) });
}
