/**
 * The crowd walking in: each listener sends `joinSpace` over HTTP from its own address, listener
 * i at `i × window / N` after the start whatever the earlier ones got (open loop, as people do).
 */
import { send, Timeout } from '../hostile/http-client.ts';
import { agentOf } from './addresses.ts';
import { now } from './protocol.ts';
import type { Listener } from './seed.ts';

const joinSpace = `mutation ($spaceId: ID!) {
  joinSpace(spaceId: $spaceId) {
    __typename
    ... on MutationJoinSpaceSuccess { participant { id role } }
    ... on Error { message }
  }
}`;

export type Join = {
  handle: string;
  sentAt: number;
  answeredAt: number;
  /** `MutationJoinSpaceSuccess`, another result type, `HTTP 502`, `error: P2028...`, `timeout`. */
  outcome: string;
};

export const JOINED = 'MutationJoinSpaceSuccess';

type Answered = {
  data?: { joinSpace?: { __typename?: string; message?: string } };
  errors?: { message?: string; extensions?: { code?: string } }[];
};

function outcomeOf(status: number, body: Buffer): string {
  if (status !== 200) return `HTTP ${status}`;
  try {
    const answer = JSON.parse(body.toString()) as Answered;
    const error = answer.errors?.[0];
    if (error) return `error: ${error.extensions?.code ?? error.message?.slice(0, 60)}`;
    return answer.data?.joinSpace?.__typename ?? 'no result';
  } catch {
    return 'unreadable answer';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function joinCrowd(
  baseUrl: string,
  spaceId: string,
  listeners: Listener[],
  windowMs: number,
  timeoutMs: number,
): Promise<Join[]> {
  const start = now();
  const spacing = windowMs / Math.max(1, listeners.length);
  const one = async (listener: Listener, slot: number): Promise<Join> => {
    await sleep(start + slot * spacing - now());
    const sentAt = now();
    try {
      const answer = await send({
        url: `${baseUrl}/graphql`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: baseUrl,
          ...listener.credentials,
        },
        body: JSON.stringify({ query: joinSpace, variables: { spaceId } }),
        timeoutMs,
        agent: agentOf(listener.index),
      });
      return {
        handle: listener.handle,
        sentAt,
        answeredAt: now(),
        outcome: outcomeOf(answer.status, answer.body),
      };
    } catch (error) {
      const outcome =
        error instanceof Timeout ? 'timeout' : `${(error as { code?: string }).code ?? error}`;
      return { handle: listener.handle, sentAt, answeredAt: now(), outcome };
    }
  };
  return Promise.all(listeners.map(one));
}
