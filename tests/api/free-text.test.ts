import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { acceptedText, familyEmoji, invisibleOnly, zalgo } from '../helpers/nasty-strings.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

/**
 * Text people read (titles, topics, names): something visible is required, lengths count what
 * users see, and it is stored in NFC and otherwise exactly as sent.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    hosting: { minFollowers: 1, minFollowersTicketed: 1 },
    limits: { ...defaultConfig.limits, mutationsPerMinute: 10_000 },
  });
});
afterAll(() => t?.stop());

const ISSUES = '__typename ... on InvalidInput { issues { path message } }';
const inTwoDays = () => new Date(Date.now() + 2 * 24 * 60 * 60_000).toISOString();

type Outcome = { __typename: string; issues?: { path: string; message: string }[] };
type Submitted = { outcome: Outcome; stored: string | undefined };

type FreeText = {
  coordinate: string;
  path: string;
  /** Sends `text` as a fresh user, so that no earlier test's spaces or tokens are in the way. */
  submit: (text: string) => Promise<Submitted>;
};

async function host(): Promise<TestUser> {
  return t.createUser('host', { followers: 1 });
}

async function send(user: TestUser, field: string, document: string, variables: object) {
  const result = await user.gql(document, { ...variables });
  expect(result.errors).toBeUndefined();
  return result.data?.[field] as Outcome & Record<string, unknown>;
}

const spaceText =
  (field: string, read: (space: { title: string; topics: string[] }) => string) =>
  async (user: TestUser, document: string, variables: object): Promise<Submitted> => {
    const outcome = await send(user, field, document, variables);
    const space = outcome['space'] as { title: string; topics: string[] } | undefined;
    return { outcome, stored: space && read(space) };
  };

const CREATE = `mutation ($input: CreateSpaceInput!) {
  createSpace(input: $input) { ${ISSUES} ... on MutationCreateSpaceSuccess { space { title topics } } }
}`;
const SCHEDULE = `mutation ($input: ScheduleSpaceInput!) {
  scheduleSpace(input: $input) { ${ISSUES} ... on MutationScheduleSpaceSuccess { space { id title topics } } }
}`;
const UPDATE = `mutation ($spaceId: ID!, $input: UpdateScheduledSpaceInput!) {
  updateScheduledSpace(spaceId: $spaceId, input: $input) {
    ${ISSUES} ... on MutationUpdateScheduledSpaceSuccess { space { title topics } }
  }
}`;
const PROFILE = `mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { ${ISSUES} ... on MutationUpdateProfileSuccess { user { displayName } } }
}`;
const TOKEN = `mutation ($name: String!) {
  createApiToken(name: $name) { ${ISSUES} ... on MutationCreateApiTokenSuccess { created { token { name } } } }
}`;

const freeText: FreeText[] = [
  {
    coordinate: 'Mutation.createSpace(input.title)',
    path: 'title',
    submit: async (text) =>
      spaceText('createSpace', (space) => space.title)(await host(), CREATE, {
        input: { title: text },
      }),
  },
  {
    coordinate: 'Mutation.createSpace(input.topics.0)',
    path: 'topics.0',
    submit: async (text) =>
      spaceText('createSpace', (space) => space.topics[0] ?? '')(await host(), CREATE, {
        input: { title: 'Topics', topics: [text] },
      }),
  },
  {
    coordinate: 'Mutation.scheduleSpace(input.title)',
    path: 'title',
    submit: async (text) =>
      spaceText('scheduleSpace', (space) => space.title)(await host(), SCHEDULE, {
        input: { title: text, scheduledStart: inTwoDays() },
      }),
  },
  {
    coordinate: 'Mutation.updateScheduledSpace(input.title)',
    path: 'title',
    submit: async (text) => {
      const user = await host();
      const scheduled = await t.app.services.scheduling.schedule(user.id, {
        title: 'Before',
        scheduledStart: new Date(inTwoDays()),
      });
      return spaceText('updateScheduledSpace', (space) => space.title)(user, UPDATE, {
        spaceId: toGlobalId('Space', scheduled.id),
        input: { title: text },
      });
    },
  },
  {
    coordinate: 'Mutation.updateProfile(input.displayName)',
    path: 'displayName',
    submit: async (text) => {
      const outcome = await send(await host(), 'updateProfile', PROFILE, {
        input: { displayName: text },
      });
      const user = outcome['user'] as { displayName: string } | undefined;
      return { outcome, stored: user?.displayName };
    },
  },
  {
    coordinate: 'Mutation.createApiToken(name)',
    path: 'name',
    submit: async (text) => {
      const outcome = await send(await host(), 'createApiToken', TOKEN, { name: text });
      const created = outcome['created'] as { token: { name: string } } | undefined;
      return { outcome, stored: created?.token.name };
    },
  },
];

describe.each(freeText.map((row): [string, FreeText] => [row.coordinate, row]))(
  '%s',
  (_coordinate, { path, submit }) => {
    it('text of only zero-width characters and spaces yields InvalidInput: must not be empty', async () => {
      for (const text of [invisibleOnly, ` ${invisibleOnly}\u3164 `]) {
        const { outcome, stored } = await submit(text);
        expect(outcome).toEqual({
          __typename: 'InvalidInput',
          issues: [{ path, message: 'must not be empty' }],
        });
        expect(stored).toBeUndefined();
      }
    });

    it('combining-mark stacks (zalgo) yield InvalidInput', async () => {
      const { outcome } = await submit(zalgo);
      expect(outcome).toEqual({
        __typename: 'InvalidInput',
        issues: [{ path, message: 'must not stack combining marks on a character' }],
      });
    });

    it('stores NFD text in NFC and emoji sequences, SQL- and HTML-looking text as sent', async () => {
      for (const [name, text] of acceptedText) {
        const { outcome, stored } = await submit(text);
        expect(outcome.__typename, name).toMatch(/Success$/);
        expect(stored, name).toBe(text.normalize('NFC'));
      }
    });
  },
);

describe('lengths count characters as users see them', () => {
  it('Mutation.createSpace(input.title): 100 family emoji (1,100 UTF-16 units) are accepted, 101 are not', async () => {
    const hundred = await freeText[0]?.submit(familyEmoji.repeat(100));
    expect(hundred?.stored).toBe(familyEmoji.repeat(100));
    const more = await freeText[0]?.submit(familyEmoji.repeat(101));
    expect(more?.outcome).toEqual({
      __typename: 'InvalidInput',
      issues: [{ path: 'title', message: 'must be at most 100 characters' }],
    });
  });

  it('Mutation.createSpace(input.topics.0): 30 accented letters typed in NFD (60 code units) are accepted', async () => {
    const topic = 'e\u0301'.repeat(30);
    const accepted = await freeText[1]?.submit(topic);
    expect(accepted?.stored).toBe('\u00E9'.repeat(30));
  });
});
