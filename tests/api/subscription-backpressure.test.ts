import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { defaultConfig } from '../../server/config.ts';
import { startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const MAX_QUEUED = 8;
/**
 * Each event is ~150 KB as sent, so this is many times what the kernel's buffers between a
 * paused reader and the server hold (a few MB on loopback); the server must give up well before.
 */
const MAX_EVENTS = 1_000;

const SPACE_EVENTS = `subscription ($spaceId: ID!) {
  spaceEvents(spaceId: $spaceId) {
    __typename
    ... on ReactionsSent { reactions { emoji count participant { id user { handle } } } }
  }
}`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    hosting: { minFollowers: 1, minFollowersTicketed: 1 },
    limits: { ...defaultConfig.limits, subscriptionMaxQueued: MAX_QUEUED },
  });
});
afterAll(() => t?.stop());

async function watchersReach(spaceId: string, count: number) {
  for (let i = 0; i < 500 && t.app.bus.watchers('space-events', spaceId) !== count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(t.app.bus.watchers('space-events', spaceId)).toBe(count);
}

type Message = { type: string; id?: string; payload?: { errors?: ErrorShape[] } };
type ErrorShape = { message: string; extensions?: { code?: string } };

/** A graphql-ws client spoken by hand, so the test controls when its socket is read. */
async function rawSubscriber(spaceGlobalId: string) {
  const socket = new WebSocket(`${t.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: Message[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString()) as Message);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  await until(() => messages.some((message) => message.type === 'connection_ack'));
  socket.send(
    JSON.stringify({
      id: '1',
      type: 'subscribe',
      payload: { query: SPACE_EVENTS, variables: { spaceId: spaceGlobalId } },
    }),
  );
  const events = () => messages.filter((message) => message.type === 'next');
  return { socket, messages, events, until };
}

/** A reaction event as the reaction batcher publishes it, made large to fill buffers quickly. */
function bigReactionEvent(spaceId: string, participantId: string) {
  return {
    kind: 'ReactionsSent' as const,
    spaceId,
    at: new Date().toISOString(),
    reactions: Array.from({ length: 2_000 }, (_, index) => ({
      participantId,
      emoji: ['👏', '🔥', '❤️', '😂'][index % 4] ?? '👏',
      count: index + 1,
    })),
  };
}

const lagging = (message: Message | undefined) =>
  message?.payload?.errors?.[0]?.extensions?.code === 'SubscriptionLagging';

describe('Subscription.spaceEvents backpressure', () => {
  it('ends a graphql-ws subscriber that stops reading with SubscriptionLagging, holding at most the bound for it, while others keep receiving', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Backpressure');
    const hostParticipant = await t.app.prisma.participant.findFirstOrThrow({
      where: { spaceId: space.id, userId: host.id },
    });
    const slow = await rawSubscriber(spaceGlobalId);
    const fast = await rawSubscriber(spaceGlobalId);
    await watchersReach(space.id, 2);
    slow.socket.pause();

    const lagBefore = t.app.subscriptionBacklog().lagged;
    let deepest = 0;
    let published = 0;
    while (published < MAX_EVENTS && t.app.subscriptionBacklog().lagged === lagBefore) {
      t.app.bus.publish('space-events', space.id, bigReactionEvent(space.id, hostParticipant.id));
      published += 1;
      // Paced by the reader that keeps up, not by time: each event reaches it before the next.
      await fast.until(() => fast.events().length === published);
      deepest = Math.max(deepest, t.app.subscriptionBacklog().deepest);
    }

    expect(t.app.subscriptionBacklog().lagged).toBe(lagBefore + 1);
    expect(published).toBeLessThan(MAX_EVENTS);
    expect(deepest).toBeLessThanOrEqual(MAX_QUEUED);
    // The slow subscription's queue is gone with it; the fast one keeps none.
    expect(t.app.subscriptionBacklog().queued).toBe(0);

    slow.socket.resume();
    await slow.until(() => slow.messages.some((message) => message.type === 'complete'));
    const slowEvents = slow.events();
    expect(lagging(slowEvents.at(-1))).toBe(true);
    expect(slowEvents.slice(0, -1).every((message) => !lagging(message))).toBe(true);
    expect(slowEvents.length - 1).toBeLessThan(published);
    expect(slow.messages.at(-1)).toEqual({ id: '1', type: 'complete' });

    t.app.bus.publish('space-events', space.id, bigReactionEvent(space.id, hostParticipant.id));
    await fast.until(() => fast.events().length === published + 1);
    expect(fast.events().some(lagging)).toBe(false);
    expect(slow.socket.readyState).toBe(WebSocket.OPEN);
    slow.socket.close();
    fast.socket.close();
  });

  it('ends a server-sent events subscriber that stops reading with SubscriptionLagging', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t, 'Backpressure over SSE');
    const hostParticipant = await t.app.prisma.participant.findFirstOrThrow({
      where: { spaceId: space.id, userId: host.id },
    });
    const fast = await rawSubscriber(spaceGlobalId);
    const body: Buffer[] = [];
    const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = request(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      });
      req.once('response', resolve);
      req.once('error', reject);
      req.end(JSON.stringify({ query: SPACE_EVENTS, variables: { spaceId: spaceGlobalId } }));
    });
    response.pause();
    await watchersReach(space.id, 2);

    const lagBefore = t.app.subscriptionBacklog().lagged;
    let deepest = 0;
    let published = 0;
    while (published < MAX_EVENTS && t.app.subscriptionBacklog().lagged === lagBefore) {
      t.app.bus.publish('space-events', space.id, bigReactionEvent(space.id, hostParticipant.id));
      published += 1;
      await fast.until(() => fast.events().length === published);
      deepest = Math.max(deepest, t.app.subscriptionBacklog().deepest);
    }
    expect(t.app.subscriptionBacklog().lagged).toBe(lagBefore + 1);
    expect(deepest).toBeLessThanOrEqual(MAX_QUEUED);

    response.on('data', (chunk: Buffer) => body.push(chunk));
    response.resume();
    await new Promise((resolve) => response.once('end', resolve));
    const frames = Buffer.concat(body).toString().split('\n\n').filter(Boolean);
    const nexts = frames.filter((frame) => frame.startsWith('event: next'));
    const last = nexts.at(-1) ?? '';
    const result = JSON.parse(last.slice(last.indexOf('data: ') + 'data: '.length)) as {
      errors?: ErrorShape[];
    };
    expect(result.errors?.[0]?.extensions?.code).toBe('SubscriptionLagging');
    expect(frames.at(-1)).toContain('event: complete');
    expect(nexts.length - 1).toBeLessThan(published);
    fast.socket.close();
  });
});
