import { randomUUID } from 'node:crypto';
import type { Attack } from './attack.ts';
import { send } from './http-client.ts';
import { answerLabel } from './outcomes.ts';

const query = `query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename
    id
    ... on User { handle displayName }
    ... on Space { title participantCount }
  }
}`;

/** A Relay id as the spec has it (base64 of "Type:id"): well formed, naming no record. */
const forged = (typename: string) => Buffer.from(`${typename}:${randomUUID()}`).toString('base64');
const forgedTypes = ['User', 'Space', 'Participant'] as const;

/** 100 to 200 ids: mostly real ones of every type the API showed, the rest unknown. */
function mixedIds(known: string[]): string[] {
  const size = 100 + Math.floor(Math.random() * 101);
  return Array.from({ length: size }, (_, index) => {
    const real = known[Math.floor(Math.random() * known.length)];
    if (real !== undefined && Math.random() < 0.7) return real;
    return forged(forgedTypes[index % forgedTypes.length] ?? 'User');
  });
}

/** One anonymous client asking `Query.nodes` for 100–200 mixed ids, six requests at a time. */
export const nodesAttack: Attack = {
  lanes: 6,
  async fire({ target, agent }) {
    const body = JSON.stringify({ query, variables: { ids: mixedIds(target.knownIds) } });
    const answer = await send({
      url: `${target.baseUrl}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: target.origin },
      body,
      timeoutMs: 60_000,
      agent,
    });
    return { label: answerLabel(answer), bytesSent: Buffer.byteLength(body) };
  },
};
