import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/env.ts';
import type { GraphQLResponse } from '../helpers/graphql-client.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

/** What the environment makes of GraphiQL and suggestions for this NODE_ENV. */
function exposureFor(nodeEnv: 'production' | 'development') {
  const parsed = parseConfig({ NODE_ENV: nodeEnv, AUTH_SECRET: 'x'.repeat(32) });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return { graphiql: parsed.config.graphiql, graphqlSuggestions: parsed.config.graphqlSuggestions };
}

const SPACES = (args: string, fields = 'id') =>
  `{ spaces${args} { edges { node { ${fields} } } } }`;

/** One mistake of each kind graphql-js answers with "Did you mean …?". */
const mistakes: { kind: string; query: string; variables?: Record<string, unknown> }[] = [
  { kind: 'field', query: SPACES('', 'titl') },
  { kind: 'argument', query: SPACES('(stat: LIVE)') },
  {
    kind: 'type',
    query: 'query ($s: SpaceStat) { spaces(state: $s) { edges { node { id } } } }',
  },
  { kind: 'enum value', query: SPACES('(state: LIV)') },
  {
    kind: 'enum value in a variable',
    query: 'query ($s: SpaceState) { spaces(state: $s) { edges { node { id } } } }',
    variables: { s: 'LIV' },
  },
  {
    kind: 'input field',
    query: 'mutation { createSpace(input: { titl: "x" }) { __typename } }',
  },
  {
    kind: 'input field in a variable',
    query: 'mutation ($i: CreateSpaceInput!) { createSpace(input: $i) { __typename } }',
    variables: { i: { title: 'x', topicz: [] } },
  },
];

async function errorMessages(t: TestApp) {
  const messages: Record<string, string> = {};
  for (const mistake of mistakes) {
    const result: GraphQLResponse = await t.anonymous(mistake.query, mistake.variables);
    expect(result.errors, mistake.kind).toBeDefined();
    messages[mistake.kind] = (result.errors ?? []).map((error) => error.message).join(' | ');
  }
  return messages;
}

async function graphiqlPage(t: TestApp) {
  const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
  const body = await response.text();
  return { type: response.headers.get('content-type') ?? '', body };
}

let production: TestApp;
let development: TestApp;
beforeAll(async () => {
  production = await startTestApp(exposureFor('production'));
  development = await startTestApp(exposureFor('development'));
});
afterAll(async () => {
  await production?.stop();
  await development?.stop();
});

describe('GET /graphql', () => {
  it('serves GraphiQL to a development app and not to a production one', async () => {
    const developmentPage = await graphiqlPage(development);
    expect(developmentPage.type).toMatch(/text\/html/);
    expect(developmentPage.body).toMatch(/graphiql/i);

    const productionPage = await graphiqlPage(production);
    expect(productionPage.type).not.toMatch(/text\/html/);
    expect(productionPage.body).not.toMatch(/graphiql/i);
  });
});

describe('validation and variable errors', () => {
  it('a production app answers every kind of mistake without "Did you mean"', async () => {
    const messages = await errorMessages(production);
    for (const [kind, message] of Object.entries(messages)) {
      expect(message, kind).not.toMatch(/did you mean/i);
    }
    expect(messages['field']).toBe('Cannot query field "titl" on type "Space".');
    expect(messages['enum value']).toBe('Value "LIV" does not exist in "SpaceState" enum.');
    expect(messages['type']).toBe('Unknown type "SpaceStat".');
    expect(messages['enum value in a variable']).toBe(
      'Variable "$s" got invalid value "LIV"; Value "LIV" does not exist in "SpaceState" enum.',
    );
    expect(messages['input field in a variable']).toBe(
      'Variable "$i" got invalid value { title: "x", topicz: [] }; ' +
        'Field "topicz" is not defined by type "CreateSpaceInput".',
    );
  });

  it('a development app suggests the right name for every kind of mistake', async () => {
    expect(await errorMessages(development)).toEqual({
      field: expect.stringContaining('Did you mean "title"?'),
      argument: expect.stringContaining('Did you mean "state"?'),
      type: expect.stringContaining('Did you mean "SpaceState", "Space", or "SpaceEvent"?'),
      'enum value': expect.stringContaining('Did you mean the enum value "LIVE"?'),
      'enum value in a variable': expect.stringContaining('Did you mean the enum value "LIVE"?'),
      'input field': expect.stringContaining('Did you mean "title"?'),
      'input field in a variable': expect.stringContaining('Did you mean "topics"?'),
    });
  });
});
