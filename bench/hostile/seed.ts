/**
 * Gives the fresh server something ordinary to serve, through its public API only: a few people
 * sign up (better-auth's REST routes, cookie sessions) and each starts a live space.
 */
import { randomBytes } from 'node:crypto';
import type { Agent } from 'node:http';
import { type Answer, cookiesOf, retryAfterSeconds, send } from './http-client.ts';
import { answerLabel } from './outcomes.ts';

export const homeQuery = `query Home {
  live: spaces(state: LIVE, first: 20) {
    edges {
      node {
        id
        title
        topics
        participantCount
        ticketing { priceMinor currency seatsLeft }
        host { id handle displayName avatarUrl viewerIsFollowing }
        stage { id role user { id handle displayName avatarUrl } }
      }
    }
  }
}`;

export const viewerQuery = `query Viewer {
  viewer {
    user {
      id
      handle
      displayName
      avatarUrl
      followerCount
      hosting { eligible followers requiredFollowers missingFollowers }
    }
  }
}`;

const createSpace = `mutation ($input: CreateSpaceInput!) {
  createSpace(input: $input) {
    __typename
    ... on MutationCreateSpaceSuccess { space { id } }
    ... on Error { message }
  }
}`;

type HomeData = {
  data?: {
    live: {
      edges: { node: { id: string; host: { id: string }; stage: { id: string }[] } }[];
    };
  };
};

export type Seeded = {
  /** Session cookie of the first person (the probe's signed-in viewer). */
  viewerCookie: string;
  viewerEmail: string;
  /** Relay ids the home page shows: spaces, hosts, stage participants. */
  knownIds: string[];
};

const SETUP_TIMEOUT_MS = 60_000;

/** Posts, waiting out 429s as long as they ask (setup is no attack), for up to a minute. */
export async function politePost(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  agent?: Agent,
) {
  const deadline = performance.now() + SETUP_TIMEOUT_MS;
  for (;;) {
    const answer = await send({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      timeoutMs: SETUP_TIMEOUT_MS,
      agent,
    });
    if (answer.status !== 429 || performance.now() > deadline) return answer;
    const seconds = retryAfterSeconds(answer) ?? 1;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0.2, seconds) * 1000));
  }
}

function expectOk(step: string, answer: Answer) {
  if (answer.status !== 200) {
    throw new Error(`${step}: ${answerLabel(answer)} ${answer.body.toString().slice(0, 200)}`);
  }
}

export async function seed(baseUrl: string, people: number): Promise<Seeded> {
  const origin = baseUrl;
  const tag = randomBytes(3).toString('hex');
  const accounts: { email: string; cookie: string }[] = [];
  for (let index = 0; index < people; index++) {
    const email = `hostile-${tag}-${index}@bench.invalid`;
    const signedUp = await politePost(
      `${baseUrl}/api/auth/sign-up/email`,
      { origin },
      {
        email,
        password: randomBytes(12).toString('base64url'),
        name: `Bench person ${index}`,
        handle: `bench_${tag}_${index}`,
      },
    );
    expectOk(`sign-up ${email}`, signedUp);
    const cookie = cookiesOf(signedUp);
    accounts.push({ email, cookie });
    const created = await politePost(
      `${baseUrl}/graphql`,
      { origin, cookie },
      {
        query: createSpace,
        variables: { input: { title: `Hostile bench space ${index}`, topics: ['Bench'] } },
      },
    );
    expectOk('createSpace', created);
    const typename = (
      JSON.parse(created.body.toString()) as {
        data?: { createSpace?: { __typename?: string } };
      }
    ).data?.createSpace?.__typename;
    if (typename !== 'MutationCreateSpaceSuccess') {
      throw new Error(`createSpace: ${created.body.toString().slice(0, 200)}`);
    }
  }
  const home = await politePost(`${baseUrl}/graphql`, { origin }, { query: homeQuery });
  expectOk('home query', home);
  const edges = (JSON.parse(home.body.toString()) as HomeData).data?.live.edges ?? [];
  const knownIds = edges.flatMap(({ node }) => [
    node.id,
    node.host.id,
    ...node.stage.map((participant) => participant.id),
  ]);
  const viewer = accounts[0];
  if (!viewer || knownIds.length === 0) throw new Error('setup made no live space');
  return { viewerCookie: viewer.cookie, viewerEmail: viewer.email, knownIds };
}
