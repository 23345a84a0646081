import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/app.ts';
import { type AppConfig, defaultConfig } from '../../server/config.ts';
import { idOfType, toGlobalId } from '../../server/ids.ts';
import { playbackKeyOf } from '../../server/recordings/playback-file.ts';
import { speakThroughRelay } from '../helpers/caption-operations.ts';
import { gql } from '../helpers/graphql-client.ts';
import { startInstanceProcess } from '../helpers/instance-process.ts';
import { decodeOggOpus } from '../helpers/ogg-opus.ts';
import { waitFor } from '../helpers/relay-peers.ts';
import type { TestUser } from '../helpers/test-app.ts';
import { freshDatabase, testAuthSecret } from '../helpers/test-database.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';

const onPostgres = process.env['AMPHI_TEST_DATABASE'] === 'postgres';
type Instance = Awaited<ReturnType<typeof startInstanceProcess>>;

const CREATE = /* GraphQL */ `
  mutation ($input: CreateSpaceInput!) {
    createSpace(input: $input) {
      __typename
      ... on MutationCreateSpaceSuccess { space { id } }
    }
  }
`;
const SET_MUTED = /* GraphQL */ `
  mutation ($spaceId: ID!) { setMuted(spaceId: $spaceId, muted: false) { __typename } }
`;
const END = /* GraphQL */ `
  mutation ($spaceId: ID!) { endSpace(spaceId: $spaceId) { __typename } }
`;

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The recording instance is a process of its own, killed with SIGKILL mid-speech and started
 * again on the same database and data directory; this process only reads the database.
 */
describe.skipIf(!onPostgres)('a server killed mid-recording', () => {
  let data: App;
  let dir: string;
  let dropDatabase: () => Promise<void>;
  let url = '';
  let instance: Instance | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    const database = await freshDatabase();
    dropDatabase = database.drop;
    if (database.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    dir = await mkdtemp(join(tmpdir(), 'amphi-recording-crash-'));
    const config: AppConfig = {
      ...defaultConfig,
      graphiql: false,
      auth: { ...defaultConfig.auth, secret: testAuthSecret },
      media: { ...defaultConfig.media, relay: { ...defaultConfig.media.relay, enabled: false } },
      presence: { timeoutMs: 10 * 60_000 },
      port: 0,
      host: '127.0.0.1',
      database: database.config,
    };
    data = await buildApp(config);
    await data.start();
    env = {
      DATABASE_URL: database.config.url,
      DATA_DIR: dir,
      RELAY_ENABLED: 'true',
      RELAY_WORKERS: '0',
      RELAY_PORT_MIN: '46500',
      RELAY_PORT_MAX: '46999',
      HOST_MIN_FOLLOWERS: '0',
      HOST_GRACE_SECONDS: '600',
      PRESENCE_TIMEOUT_SECONDS: '600',
    };
  }, 120_000);
  afterAll(async () => {
    await instance?.crash();
    await data?.stop();
    await dropDatabase?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps what was recorded before the kill, and the replay holds both sides of it', async () => {
    const id = randomUUID();
    const handle = `host_${id.slice(0, 6)}`;
    await data.prisma.user.create({
      data: { id, handle, name: 'Host', email: `${handle}@x.invalid` },
    });
    const { secret } = await data.services.apiTokens.create(id, 'tests');
    const credentials = { token: secret };
    const host: TestUser = {
      id,
      globalId: toGlobalId('User', id),
      handle,
      credentials,
      gql: (query, variables) => gql(url, query, variables, credentials),
    };
    const [before, after] = await Promise.all([
      synthesiseAll(TEST_SENTENCES.slice(0, 2), 48_000, 500),
      synthesiseAll(TEST_SENTENCES.slice(2, 3), 48_000, 500),
    ]);

    instance = await startInstanceProcess(env);
    url = instance.url;
    const created = await host.gql<{ createSpace: { space: { id: string } } }>(CREATE, {
      input: { title: 'Recorded through a crash', record: true },
    });
    const spaceGlobalId = created.data?.createSpace.space.id ?? '';
    const spaceId = idOfType(spaceGlobalId, 'Space') ?? '';
    const recording = await data.prisma.recording.findUniqueOrThrow({ where: { spaceId } });
    const folder = join(dir, 'recordings', recording.id);
    await waitFor(() => exists(join(folder, 'mixed.ogg')), 'the first run records');
    await host.gql(SET_MUTED, { spaceId: spaceGlobalId });

    // Killed while the host is still speaking.
    const first = await speakThroughRelay(host, spaceGlobalId, before);
    await sleep(before.length / 48 - 1000);
    const space = await data.prisma.space.findUniqueOrThrow({ where: { id: spaceId } });
    const startedAt = space.startedAt!.getTime();
    await instance.crash();
    const killedAtMs = Date.now() - startedAt;
    await first.close();

    instance = await startInstanceProcess(env);
    url = instance.url;
    await waitFor(() => exists(join(folder, 'mixed.2.ogg')), 'the second run records');
    const resumedAtMs = Date.now() - startedAt;
    const second = await speakThroughRelay(host, spaceGlobalId, after);
    await sleep(after.length / 48 + 500);
    await second.close();
    await host.gql(END, { spaceId: spaceGlobalId });
    await waitFor(async () => {
      const now = await data.prisma.recording.findUnique({ where: { spaceId } });
      return now?.state === 'READY';
    }, 'READY');

    const ended = await data.prisma.space.findUniqueOrThrow({ where: { id: spaceId } });
    const spaceMs = ended.endedAt!.getTime() - startedAt;
    const mix = await decodeOggOpus(
      await readFile(join(dir, 'recordings', playbackKeyOf(recording.id))),
    );
    // The downtime is silence in the file, so it lasts as long as the space.
    expect(Math.abs(mix.durationMs - (spaceMs - recording.startMs))).toBeLessThan(1000);
    expect(mix.loudAtMs.filter((at) => at < killedAtMs - 1500).length).toBeGreaterThan(50);
    expect(mix.loudAtMs.filter((at) => at > resumedAtMs).length).toBeGreaterThan(50);
    expect(mix.loudAtMs.filter((at) => at > killedAtMs + 500 && at < resumedAtMs)).toEqual([]);
  }, 300_000);
});
