import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config.ts';
import { type StartFacts, startBanner } from './start-banner.ts';

const facts = (overrides: Partial<StartFacts> = {}): StartFacts => ({
  config: { ...defaultConfig, database: { kind: 'pglite', dataDir: '.data' } },
  port: 4000,
  webClientBuilt: true,
  secret: { kind: 'kept', file: '.data/auth-secret', created: true },
  demo: null,
  captionsProblem: null,
  nativeSrtpProblem: null,
  ...overrides,
});

const lineOf = (lines: string[], label: string) =>
  lines.find((line) => line.trimStart().startsWith(`${label}:`));

describe('startBanner', () => {
  it('says where the web client and the API are', () => {
    const lines = startBanner(facts());
    expect(lineOf(lines, 'Web client')).toContain('http://localhost:4000/');
    expect(lineOf(lines, 'GraphQL API')).toContain('http://localhost:4000/graphql');
    expect(lineOf(startBanner(facts({ webClientBuilt: false })), 'Web client')).toContain(
      'not built',
    );
  });

  it('says captions are off, why, and how to install pocketsphinx when it cannot run', () => {
    const lines = startBanner(
      facts({ captionsProblem: '/usr/bin/python3 has no pocketsphinx module' }),
    );
    expect(lineOf(lines, 'Captions')).toMatch(
      /^ *Captions: +off: .*no pocketsphinx module.*apt-get install/,
    );
    expect(lineOf(startBanner(facts()), 'Captions')).toMatch(/on \(pocketsphinx\)/);
  });

  it('lists ticketing, Redis and the relay as on or off', () => {
    const off = startBanner(facts({ nativeSrtpProblem: 'no C compiler' }));
    expect(lineOf(off, 'Ticketing')).toMatch(/off/);
    expect(lineOf(off, 'Redis')).toMatch(/off/);
    expect(lineOf(off, 'Relay')).toMatch(/JavaScript.*no C compiler/);
    const on = startBanner(
      facts({
        config: {
          ...facts().config,
          redisUrl: 'redis://127.0.0.1:6379',
          ticketing: {
            ...defaultConfig.ticketing,
            stripe: { secretKey: 'sk_test_x', webhookSecret: 'whsec_x' },
          },
        },
      }),
    );
    expect(lineOf(on, 'Ticketing')).toMatch(/^ *Ticketing: +on/);
    expect(lineOf(on, 'Redis')).toMatch(/^ *Redis: +on/);
    expect(lineOf(on, 'Relay')).toMatch(/native SRTP sender/);
    expect(lineOf(on, 'Relay')).toMatch(/in this process/);
    const workers = startBanner(
      facts({
        config: {
          ...facts().config,
          media: {
            ...defaultConfig.media,
            relay: { ...defaultConfig.media.relay, workers: 2 },
          },
        },
      }),
    );
    expect(lineOf(workers, 'Relay')).toMatch(/2 worker processes/);
    expect(lineOf(workers, 'Relay')).not.toMatch(/other instances/);
    const federated = startBanner(
      facts({
        config: {
          ...facts().config,
          redisUrl: 'redis://127.0.0.1:6379',
          media: {
            ...defaultConfig.media,
            relay: { ...defaultConfig.media.relay, workers: 2 },
          },
        },
      }),
    );
    expect(lineOf(federated, 'Relay')).toMatch(/piped with other instances' relays/);
  });

  it('prints the demo sign-in when this start seeded it', () => {
    const lines = startBanner(
      facts({ demo: { emails: ['ada@demo.amphi.invalid'], password: 'p4ss', keptIn: undefined } }),
    );
    expect(lines.join('\n')).toMatch(/ada@demo\.amphi\.invalid[\s\S]*p4ss/);
  });
});
