import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/graphql-client.ts';
import { MINUTE } from '../helpers/scheduling-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const UPCOMING = /* GraphQL */ `
  query ($handle: String!) {
    user(handle: $handle) {
      upcomingSpaces(first: 10) { edges { node { title state scheduledStart } } }
    }
  }
`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { minFollowers: 1, minFollowersTicketed: 1 } });
});
afterAll(() => t?.stop());

describe('User.upcomingSpaces', () => {
  it('lists only the spaces a user has scheduled and not yet started, soonest first', async () => {
    const host = await t.createUser('iris', { followers: 1 });
    const other = await t.createUser('otto', { followers: 1 });
    const at = (minutes: number) => new Date(Date.now() + minutes * MINUTE);
    const { scheduling, spaces } = t.app.services;
    await scheduling.schedule(host.id, { title: 'Later', scheduledStart: at(300) });
    await scheduling.schedule(host.id, { title: 'Sooner', scheduledStart: at(60) });
    const canceled = await scheduling.schedule(host.id, { title: 'Gone', scheduledStart: at(90) });
    await scheduling.cancel(host.id, canceled.id);
    const started = await scheduling.schedule(host.id, { title: 'Now', scheduledStart: at(30) });
    await scheduling.start(host.id, started.id);
    await spaces.end(host.id, started.id);
    await scheduling.schedule(other.id, { title: 'Not hers', scheduledStart: at(10) });

    // Signed out: upcoming spaces are public, like the spaces themselves.
    const result = await gql<{
      user: { upcomingSpaces: { edges: { node: { title: string; state: string } }[] } };
    }>(t.url, UPCOMING, { handle: host.handle });
    expect(result.data?.user.upcomingSpaces.edges.map(({ node }) => node.title)).toEqual([
      'Sooner',
      'Later',
    ]);
    expect(
      result.data?.user.upcomingSpaces.edges.every(({ node }) => node.state === 'SCHEDULED'),
    ).toBe(true);
  });
});
