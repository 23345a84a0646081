import type { BrowserContext, Page } from 'playwright-core';
import { openBrowser } from '../../tests/e2e/helpers/chromium.ts';
import { type AppProcess, startAppProcess } from './app-process.ts';
import type { LoopDelay } from './app-protocol.ts';
import {
  clickListen,
  type FirstAudioMarks,
  firstAudioProbe,
  readFirstAudio,
} from './first-audio-probe.ts';
import { labUrl, openLab, prepareContext, waitHearing, waitRosterSize } from './lab-page.ts';
import { startTrace, type TraceEvent } from './listener-trace.ts';
import {
  listenerSide,
  type MeshMarks,
  meshMarks,
  meshSignalProbe,
  takeMeshLog,
} from './mesh-timeline.ts';
import { type FloorMarks, webrtcFloor } from './webrtc-floor.ts';

export type Mode = 'mesh' | 'relay';

/** How long after the click a join waits for both speakers; later counts as missed. */
export const deadlineMs = 4_000;

export type JoinSample = { join: FirstAudioMarks; floor: FloorMarks; mesh?: MeshMarks };
export type PhaseResult = {
  mode: Mode;
  warmUp: JoinSample;
  samples: JoinSample[];
  /** Amphi's event-loop delay over the joins. */
  loopDelay: LoopDelay;
};

/**
 * One listener joins, hears both speakers, closes the page and leaves; returns once the stage
 * has seen the leave, so every join finds the same space (a fresh user each time, so no peer
 * state of an earlier join can be reused).
 */
async function joinOnce(
  amphi: AppProcess,
  listener: BrowserContext,
  stagePages: readonly Page[],
  mode: Mode,
  trace: ((events: TraceEvent[]) => void) | undefined,
): Promise<{ join: FirstAudioMarks; mesh?: MeshMarks }> {
  const { space } = amphi;
  const user = await amphi.call({ type: 'createUser', name: 'listener' });
  const page = await listener.newPage();
  let marks: FirstAudioMarks;
  let mesh: MeshMarks | undefined;
  try {
    await page.addInitScript(firstAudioProbe, 2);
    if (mode === 'mesh') {
      await page.addInitScript(meshSignalProbe);
      for (const stagePage of stagePages) await takeMeshLog(stagePage);
      await amphi.call({ type: 'takeServerLog' });
      await amphi.call({ type: 'takeJoins' });
    }
    let tracing: Awaited<ReturnType<typeof startTrace>> | undefined;
    await clickListen(
      page,
      `${labUrl(amphi.url, user.token, space.spaceGlobalId)}&start=click`,
      async () => {
        if (trace) tracing = await startTrace(page);
      },
    );
    marks = await readFirstAudio(page, deadlineMs);
    if (tracing) trace?.(await tracing.stop());
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
        server: await amphi.call({ type: 'takeServerLog' }),
        joins: await amphi.call({ type: 'takeJoins' }),
        connected: marks.connected,
      });
    }
  } finally {
    await page.close();
  }
  await amphi.call({ type: 'leave', userId: user.id });
  for (const stagePage of stagePages) await waitRosterSize(stagePage, 2);
  return mesh ? { join: marks, mesh } : { join: marks };
}

/**
 * A fresh Amphi (in a process of its own) whose spaces are a mesh (up to 6 people) or go to the relay from the second
 * participant on, its relay in `relayWorkers` worker processes (0: inside the API process);
 * host and speaker publish from their own browsers; then `joins` listener joins (after one
 * warm-up), each preceded by a bare WebRTC floor sample in the same browser. With `trace`, each
 * counted join's listener page is traced from the click until it played both speakers.
 */
export async function runPhase(
  mode: Mode,
  listener: BrowserContext,
  joins: number,
  relayWorkers: number,
  trace?: (join: number, events: TraceEvent[]) => void,
) {
  const amphi = await startAppProcess({ mode, relayWorkers });
  const stage: Awaited<ReturnType<typeof openBrowser>>[] = [];
  try {
    const { space } = amphi;
    const stagePages: Page[] = [];
    for (const user of [space.host, space.speaker]) {
      const browser = await openBrowser();
      stage.push(browser);
      await prepareContext(browser.context);
      if (mode === 'mesh') await browser.context.addInitScript(meshSignalProbe);
      const url = labUrl(amphi.url, user.token, space.spaceGlobalId);
      stagePages.push(await openLab(browser.context, url));
    }
    const [hostPage, speakerPage] = stagePages;
    if (hostPage) await waitHearing(hostPage, [space.ids.speaker], mode);
    if (speakerPage) await waitHearing(speakerPage, [space.ids.host], mode);

    const sample = async (join?: number): Promise<JoinSample> => {
      const floor = await webrtcFloor(listener, amphi.url);
      const traced =
        trace && join !== undefined ? (events: TraceEvent[]) => trace(join, events) : undefined;
      return { ...(await joinOnce(amphi, listener, stagePages, mode, traced)), floor };
    };
    const warmUp = await sample();
    const samples: JoinSample[] = [];
    for (let i = 0; i < joins; i++) samples.push(await sample(i + 1));
    const loopDelay = await amphi.call({ type: 'loopDelay' });
    return { mode, warmUp, samples, loopDelay } satisfies PhaseResult;
  } finally {
    for (const browser of stage) await browser.close();
    await amphi.stop();
  }
}
