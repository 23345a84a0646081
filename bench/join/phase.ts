import type { BrowserContext, Page } from 'playwright-core';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { openBrowser } from '../../tests/e2e/helpers/chromium.ts';
import { startTestApp, type TestApp } from '../../tests/helpers/test-app.ts';
import {
  clickListen,
  type FirstAudioMarks,
  firstAudioProbe,
  readFirstAudio,
} from './first-audio-probe.ts';
import { labUrl, openLab, prepareContext, waitHearing, waitRosterSize } from './lab-page.ts';
import {
  listenerSide,
  type MeshMarks,
  meshMarks,
  meshSignalProbe,
  type ServerLogEntry,
  takeMeshLog,
  watchServerSignals,
} from './mesh-timeline.ts';
import { type StagedSpace, stagedSpace, waitForMode } from './stage.ts';
import { type FloorMarks, webrtcFloor } from './webrtc-floor.ts';

export type Mode = 'mesh' | 'relay';

/** How long after the click a join waits for both speakers; later counts as missed. */
export const deadlineMs = 4_000;

export type JoinSample = { join: FirstAudioMarks; floor: FloorMarks; mesh?: MeshMarks };
export type PhaseResult = { mode: Mode; warmUp: JoinSample; samples: JoinSample[] };

/**
 * One listener joins, hears both speakers, closes the page and leaves; returns once the stage
 * has seen the leave, so every join finds the same space (a fresh user each time, so no peer
 * state of an earlier join can be reused).
 */
async function joinOnce(
  t: TestApp,
  space: StagedSpace,
  listener: BrowserContext,
  stagePages: readonly Page[],
  mode: Mode,
  serverLog: ServerLogEntry[],
): Promise<{ join: FirstAudioMarks; mesh?: MeshMarks }> {
  const user = await t.createUser('listener');
  const page = await listener.newPage();
  let marks: FirstAudioMarks;
  let mesh: MeshMarks | undefined;
  try {
    await page.addInitScript(firstAudioProbe, 2);
    if (mode === 'mesh') {
      await page.addInitScript(meshSignalProbe);
      for (const stagePage of stagePages) await takeMeshLog(stagePage);
      serverLog.splice(0);
    }
    await clickListen(
      page,
      `${labUrl(t.url, user.credentials.token ?? '', space.spaceGlobalId)}&start=click`,
    );
    marks = await readFirstAudio(page, deadlineMs);
    if (mode === 'mesh') {
      const side = await listenerSide(page);
      const stageLogs = await Promise.all(stagePages.map(takeMeshLog));
      mesh = meshMarks({
        clickedAt: side.clickedAt,
        listenerId: side.selfId,
        listenerUserId: user.id,
        listener: side.log,
        stage: [space.host, space.speaker].map((member, index) => ({
          id: index === 0 ? space.ids.host : space.ids.speaker,
          userId: member.id,
          log: stageLogs[index] ?? [],
        })),
        server: serverLog.splice(0),
        connected: marks.connected,
      });
    }
  } finally {
    await page.close();
  }
  await t.app.services.spaces.leave(user.id, space.spaceId);
  for (const stagePage of stagePages) await waitRosterSize(stagePage, 2);
  return mesh ? { join: marks, mesh } : { join: marks };
}

/**
 * A fresh Amphi whose spaces are a mesh (up to 6 people) or go to the relay from the second
 * participant on, its relay in `relayWorkers` worker processes (0: inside the API process);
 * host and speaker publish from their own browsers; then `joins` listener joins (after one
 * warm-up), each preceded by a bare WebRTC floor sample in the same browser.
 */
export async function runPhase(
  mode: Mode,
  listener: BrowserContext,
  joins: number,
  relayWorkers: number,
) {
  const t = await startTestApp({
    hosting: { minFollowers: 0, minFollowersTicketed: 0 },
    media: {
      ...defaultConfig.media,
      policy: { ...defaultConfig.media.policy, maxMeshParticipants: mode === 'mesh' ? 6 : 1 },
      relay: { ...defaultConfig.media.relay, workers: relayWorkers },
    },
  });
  const stage: Awaited<ReturnType<typeof openBrowser>>[] = [];
  try {
    const space = await stagedSpace(t, `join bench (${mode})`);
    const serverLog =
      mode === 'mesh'
        ? watchServerSignals(t.app.services.signals, (id) => toGlobalId('Participant', id))
        : [];
    await waitForMode(t, space.spaceId, mode === 'mesh' ? 'MESH' : 'RELAY');
    const stagePages: Page[] = [];
    for (const user of [space.host, space.speaker]) {
      const browser = await openBrowser();
      stage.push(browser);
      await prepareContext(browser.context);
      if (mode === 'mesh') await browser.context.addInitScript(meshSignalProbe);
      const url = labUrl(t.url, user.credentials.token ?? '', space.spaceGlobalId);
      stagePages.push(await openLab(browser.context, url));
    }
    const [hostPage, speakerPage] = stagePages;
    if (hostPage) await waitHearing(hostPage, [space.ids.speaker], mode);
    if (speakerPage) await waitHearing(speakerPage, [space.ids.host], mode);

    const sample = async (): Promise<JoinSample> => {
      const floor = await webrtcFloor(listener, t.url);
      return { ...(await joinOnce(t, space, listener, stagePages, mode, serverLog)), floor };
    };
    const warmUp = await sample();
    const samples: JoinSample[] = [];
    for (let i = 0; i < joins; i++) samples.push(await sample());
    return { mode, warmUp, samples } satisfies PhaseResult;
  } finally {
    for (const browser of stage) await browser.close();
    await t.stop();
  }
}
