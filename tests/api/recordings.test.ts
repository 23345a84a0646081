import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { speakThroughRelay, watchersReach } from '../helpers/caption-operations.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { decodeOggOpus } from '../helpers/ogg-opus.ts';
import { waitFor } from '../helpers/relay-peers.ts';
import { liveSpaceWithCast, startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';

const CREATE_SPACE = /* GraphQL */ `
  mutation ($input: CreateSpaceInput!) {
    createSpace(input: $input) {
      __typename
      ... on MutationCreateSpaceSuccess { space { id mediaMode recording { state } } }
      ... on Error { message }
    }
  }
`;

const RECORD_SPACE = /* GraphQL */ `
  mutation ($spaceId: ID!) {
    recordSpace(spaceId: $spaceId) {
      __typename
      ... on MutationRecordSpaceSuccess { space { mediaMode recording { state } } }
    }
  }
`;

const RECORDING_EVENTS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      sequence
      ... on RecordingStarted { recording { state } }
    }
  }
`;

const DELETE_RECORDING = /* GraphQL */ `
  mutation ($spaceId: ID!) {
    deleteRecording(spaceId: $spaceId) {
      __typename
      ... on MutationDeleteRecordingSuccess { space { recording { state } } }
    }
  }
`;

const RECORDING = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) {
      recording { state startMs tracks { speaker { user { handle } } startMs } }
    }
  }
`;

type RecordingView = {
  space: {
    recording: {
      state: string;
      startMs: number;
      tracks: { speaker: { user: { handle: string } }; startMs: number }[];
    } | null;
  };
};

let t: TestApp;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amphi-recordings-'));
  t = await startTestApp({
    hosting: { ...defaultConfig.hosting, minFollowers: 1 },
    recordings: { dir },
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Mutation.createSpace with record', () => {
  it('starts a recorded space on the relay, and listeners see that it is recorded', async () => {
    const host = await t.createUser('host', { followers: 1 });
    const created = await host.gql<{
      createSpace: { space: { id: string; mediaMode: string; recording: { state: string } } };
    }>(CREATE_SPACE, { input: { title: 'On the record', record: true } });
    expect(created.data?.createSpace).toEqual({
      __typename: 'MutationCreateSpaceSuccess',
      space: expect.objectContaining({ mediaMode: 'RELAY', recording: { state: 'RECORDING' } }),
    });
    const seen = await t.anonymous<RecordingView>(RECORDING, {
      id: created.data?.createSpace.space.id,
    });
    // Chosen as the space started: the recording is the whole space.
    expect(seen.data?.space.recording).toMatchObject({
      state: 'RECORDING',
      startMs: 0,
      tracks: [],
    });
  });

  it('yields RecordingUnavailable, and starts nothing, where the server cannot record', async () => {
    const plain = await startTestApp({ hosting: { ...defaultConfig.hosting, minFollowers: 1 } });
    try {
      const host = await plain.createUser('host', { followers: 1 });
      const result = await host.gql(CREATE_SPACE, { input: { title: 'Nope', record: true } });
      expect(result.data?.['createSpace']).toMatchObject({ __typename: 'RecordingUnavailable' });
      expect(await plain.app.prisma.space.count({ where: { hostId: host.id } })).toBe(0);
    } finally {
      await plain.stop();
    }
  }, 120_000);
});

describe('Mutation.recordSpace', () => {
  it('tells everyone in the space once that it is recorded, with a sequence number', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const client = wsClient(t.url);
    const events = collect<{
      spaceEvents: { __typename: string; sequence: number | null; recording?: { state: string } };
    }>(client, RECORDING_EVENTS, { spaceId: spaceGlobalId });
    try {
      await watchersReach(t, space.id, 1);
      for (let i = 0; i < 2; i++) {
        const recorded = await host.gql(RECORD_SPACE, { spaceId: spaceGlobalId });
        expect(recorded.data?.['recordSpace']).toMatchObject({
          __typename: 'MutationRecordSpaceSuccess',
        });
      }
      await events.until((results) =>
        results.some((r) => r.data?.spaceEvents.__typename === 'RecordingStarted'),
      );
      // Events arrive in order: one from the second call would come before the space's end.
      await t.app.services.spaces.end(host.id, space.id);
      await events.until((results) =>
        results.some((r) => r.data?.spaceEvents.__typename === 'SpaceStateChanged'),
      );
      const started = events.results.filter(
        (r) => r.data?.spaceEvents.__typename === 'RecordingStarted',
      );
      expect(started).toHaveLength(1);
      expect(started[0]?.data?.spaceEvents.recording).toEqual({ state: 'RECORDING' });
      expect(started[0]?.data?.spaceEvents.sequence).toEqual(expect.any(Number));
    } finally {
      await client.dispose();
    }
  });

  it('records a speaker to a file that decodes and lasts as long as they were in the space', async () => {
    const cast = await liveSpaceWithCast(t);
    const notHost = await cast.cohost.gql(RECORD_SPACE, { spaceId: cast.spaceGlobalId });
    expect(notHost.data?.['recordSpace']).toMatchObject({ __typename: 'NotAllowed' });
    const recorded = await cast.host.gql(RECORD_SPACE, { spaceId: cast.spaceGlobalId });
    expect(recorded.data?.['recordSpace']).toEqual({
      __typename: 'MutationRecordSpaceSuccess',
      space: { mediaMode: 'RELAY', recording: { state: 'RECORDING' } },
    });
    await waitFor(() => t.app.services.recordingRunner?.isRunning(cast.spaceId) ?? false, 'rec');
    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);

    const speech = await synthesiseAll(TEST_SENTENCES.slice(0, 2), 48_000, 1000);
    const speaker = await speakThroughRelay(cast.speaker, cast.spaceGlobalId, speech);
    try {
      await waitFor(async () => (await t.app.prisma.recordingTrack.count()) > 0, 'a track');
      await new Promise((resolve) => setTimeout(resolve, speech.length / 48));
      const live = await cast.host.gql(DELETE_RECORDING, { spaceId: cast.spaceGlobalId });
      expect(live.data?.['deleteRecording']).toMatchObject({ __typename: 'RecordingInProgress' });
      await t.app.services.spaces.end(cast.host.id, cast.spaceId);
    } finally {
      await speaker.close();
    }
    await waitFor(() => !t.app.services.recordingRunner?.isRunning(cast.spaceId), 'rec stops');

    const view = await cast.listener.gql<RecordingView>(RECORDING, { id: cast.spaceGlobalId });
    const recording = view.data?.space.recording;
    expect(recording?.state).toBe('READY');
    expect(recording?.tracks.map((track) => track.speaker.user.handle)).toEqual([
      cast.speaker.handle,
    ]);
    const space = await t.app.prisma.space.findUniqueOrThrow({ where: { id: cast.spaceId } });
    const spaceMs = space.endedAt!.getTime() - space.startedAt!.getTime();
    const [track] = await t.app.prisma.recordingTrack.findMany({
      where: { recording: { spaceId: cast.spaceId } },
    });
    const decoded = await decodeOggOpus(await readFile(join(dir, track!.key)));
    // The file runs from the speaker's first packet to the end of the space.
    expect(Math.abs(decoded.durationMs - (spaceMs - track!.startMs))).toBeLessThan(1000);
    expect(decoded.loudFrames).toBeGreaterThan(100);

    const deleted = await cast.host.gql(DELETE_RECORDING, { spaceId: cast.spaceGlobalId });
    expect(deleted.data?.['deleteRecording']).toEqual({
      __typename: 'MutationDeleteRecordingSuccess',
      space: { recording: null },
    });
    await expect(stat(join(dir, track!.key))).rejects.toThrow('ENOENT');
    expect(await t.app.prisma.recordingTrack.count({ where: { id: track!.id } })).toBe(0);
  }, 120_000);
});
