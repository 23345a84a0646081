import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { gql } from '../helpers/graphql-client.ts';
import { MINUTE, scheduleSpace } from '../helpers/scheduling-fixtures.ts';
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

describe('Query.spaces', () => {
  it('lists scheduled spaces soonest first', async () => {
    const late = await scheduleSpace(t, new Date(), 5 * 60 * MINUTE, 'Late');
    const soon = await scheduleSpace(t, new Date(), 1 * 60 * MINUTE, 'Soon');
    const mid = await scheduleSpace(t, new Date(), 3 * 60 * MINUTE, 'Mid');
    const result = await t.anonymous<{
      spaces: { edges: { node: { id: string; scheduledStart: string } }[] };
    }>('{ spaces(state: SCHEDULED, first: 100) { edges { node { id scheduledStart } } } }');
    const edges = result.data?.spaces.edges ?? [];
    const starts = edges.map((edge) => edge.node.scheduledStart);
    expect(starts).toEqual([...starts].sort());
    const mine = [late, soon, mid].map((s) => s.spaceGlobalId);
    expect(edges.map((edge) => edge.node.id).filter((id) => mine.includes(id))).toEqual([
      soon.spaceGlobalId,
      mid.spaceGlobalId,
      late.spaceGlobalId,
    ]);
  });
});

describe('GET /spaces/<id>.ics', () => {
  it('serves a scheduled space as an iCalendar event', async () => {
    const { space, spaceGlobalId } = await scheduleSpace(t, new Date(), 60 * MINUTE, 'Hi, all');
    const read = await t.anonymous<{ space: { calendarUrl: string } }>(
      'query ($id: ID!) { space(id: $id) { calendarUrl } }',
      { id: spaceGlobalId },
    );
    const calendarUrl = read.data?.space.calendarUrl ?? '';
    const response = await fetch(`${t.url}${new URL(calendarUrl).pathname}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    // Unfolds the long lines (RFC 5545 §3.1) before looking for whole properties.
    const body = (await response.text()).replace(/\r\n /g, '');
    const start = (space.scheduledStart ?? new Date()).toISOString();
    const dtstart = `${start.slice(0, 19).replace(/[-:]/g, '')}Z`;
    expect(body).toContain('BEGIN:VEVENT\r\n');
    expect(body).toContain(`\r\nDTSTART:${dtstart}\r\n`);
    expect(body).toContain('\r\nSUMMARY:Hi\\, all\r\n');
    expect(body).toContain(`\r\nUID:${space.id}@`);
    expect(body).toContain(`\r\nURL:http://localhost:4000/spaces/${spaceGlobalId}\r\n`);
  });

  it('answers 404 for a space that was never scheduled', async () => {
    const host = await t.createUser('live', { followers: 1 });
    const space = await t.app.services.spaces.start(host.id, { title: 'Live' });
    const response = await fetch(
      `${t.url}/spaces/${encodeURIComponent(toGlobalId('Space', space.id))}.ics`,
    );
    expect(response.status).toBe(404);
  });
});
