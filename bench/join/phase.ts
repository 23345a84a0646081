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
import { firstSoundTap } from './first-sound-tap.ts';
import { labUrl, openLab, prepareContext, waitHearing, waitRosterSize } from './lab-page.ts';
import { startTrace, type TraceEvent } from './listener-trace.ts';
import {
  listenerSide,
  type MeshMarks,
  meshMarks,
  meshSignalProbe,
  takeMeshLog,
} from './mesh-timeline.ts';
import { joinFromHome } from './room-page.ts';
import type { RoomRequest } from './room-requests.ts';
import { type FloorMarks, webrtcFloor } from './webrtc-floor.ts';

export type Mode = 'mesh' | 'relay';

/**
 * Where the listener joins from: the media lab page's Listen button, or the web client's home
 * page, clicking the live space's card (the room page then joins as users' browsers do).
 */
export type ListenerPage = 'lab' | 'room';

/** How long after the click a join waits for both speakers; later counts as missed. */
export const deadlineMs = 4_000;

export type JoinSample = {
  join: FirstAudioMarks;
  floor: FloorMarks;
  /** The lab page's mesh links, hop by hop. */
  mesh?: MeshMarks;
  /** What the room page asked the server for after the click. */
  requests?: RoomRequest[];
};
export type PageResult = {
  mode: Mode;
  page: ListenerPage;
  warmUp: JoinSample;
  samples: JoinSample[];
};
export type PhaseResult = {
  mode: Mode;
  pages: PageResult[];
  /** Amphi's event-loop delay over the joins. */
  loopDelay: LoopDelay;
};

/** Before a mesh join: the stage's and the server's logs emptied, so what they hold next is its. */
async function startMeshMarks(amphi: AppProcess, stagePages: readonly Page[]): Promise<void> {
  for (const stagePage of stagePages) await takeMeshLog(stagePage);
  await amphi.call({ type: 'takeServerLog' });
  await amphi.call({ type: 'takeJoins' });
}

/** After it: its links hop by hop, from the listener's side, the stage's and the server's. */
async function finishMeshMarks(
  amphi: AppProcess,
  stagePages: readonly Page[],
  side: Awaited<ReturnType<typeof listenerSide>>,
  listenerUserId: string,
  marks: FirstAudioMarks,
): Promise<MeshMarks> {
  const { space } = amphi;
  const stageLogs = await Promise.all(stagePages.map(takeMeshLog));
  return meshMarks({
    clickedAt: side.clickedAt,
    listenerId: side.selfId,
    listenerUserId,
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

/** A new user on the lab page clicks Listen and hears both speakers; the page closes. */
async function joinLab(
  amphi: AppProcess,
  listener: BrowserContext,
  stagePages: readonly Page[],
  mode: Mode,
  trace: ((events: TraceEvent[]) => void) | undefined,
): Promise<{ userId: string; join: FirstAudioMarks; mesh?: MeshMarks }> {
  const { space } = amphi;
  const user = await amphi.call({ type: 'createUser', name: 'listener' });
  const page = await listener.newPage();
  let marks: FirstAudioMarks;
  let mesh: MeshMarks | undefined;
  try {
    await page.addInitScript(firstSoundTap);
    await page.addInitScript(firstAudioProbe, 2);
    if (mode === 'mesh') {
      await page.addInitScript(meshSignalProbe);
      await startMeshMarks(amphi, stagePages);
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
      mesh = await finishMeshMarks(amphi, stagePages, await listenerSide(page), user.id, marks);
    }
  } finally {
    await page.close();
  }
  return mesh ? { userId: user.id, join: marks, mesh } : { userId: user.id, join: marks };
}

/**
 * One listener joins from `page`, hears both speakers, closes the page and leaves; returns once
 * the stage has seen the leave, so every join finds the same space (a fresh user each time, so
 * no peer state of an earlier join can be reused).
 */
async function joinOnce(
  amphi: AppProcess,
  listener: BrowserContext,
  stagePages: readonly Page[],
  mode: Mode,
  page: ListenerPage,
  trace: ((events: TraceEvent[]) => void) | undefined,
): Promise<Omit<JoinSample, 'floor'>> {
  if (page === 'room' && mode === 'mesh') await startMeshMarks(amphi, stagePages);
  let side: Awaited<ReturnType<typeof listenerSide>> | undefined;
  const { userId, ...sample } =
    page === 'lab'
      ? await joinLab(amphi, listener, stagePages, mode, trace)
      : await joinFromHome(
          listener,
          amphi.url,
          amphi.space.spaceGlobalId,
          `listener_${++roomListeners}`,
          deadlineMs,
          trace,
          mode === 'mesh'
            ? {
                initScript: meshSignalProbe,
                inspect: async (roomPage) => {
                  side = await listenerSide(roomPage);
                },
              }
            : undefined,
        );
  const mesh = side && (await finishMeshMarks(amphi, stagePages, side, userId, sample.join));
  await amphi.call({ type: 'leave', userId });
  for (const stagePage of stagePages) await waitRosterSize(stagePage, 2);
  return mesh ? { ...sample, mesh } : sample;
}

/** Room-page listeners signed up so far: their handles' numbers. */
let roomListeners = 0;

/**
 * A fresh Amphi (in a process of its own) whose spaces are a mesh (up to 6 people) or go to the
 * relay from the second participant on, its relay in `relayWorkers` worker processes (0: inside
 * the API process); host and speaker publish from their own browsers; then, from each of
 * `pages`, `joins` listener joins (after one warm-up each; the pages take turns), each preceded
 * by a bare WebRTC floor sample in the same browser. With `trace`, each counted join's listener
 * page is traced from the click until it played both speakers.
 */
export async function runPhase(
  mode: Mode,
  pages: readonly ListenerPage[],
  listener: BrowserContext,
  joins: number,
  relayWorkers: number,
  trace?: (page: ListenerPage, join: number, events: TraceEvent[]) => void,
): Promise<PhaseResult> {
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

    const sample = async (page: ListenerPage, join?: number): Promise<JoinSample> => {
      const floor = await webrtcFloor(listener, amphi.url);
      const traced =
        trace && join !== undefined
          ? (events: TraceEvent[]) => trace(page, join, events)
          : undefined;
      return { ...(await joinOnce(amphi, listener, stagePages, mode, page, traced)), floor };
    };
    const results: PageResult[] = [];
    for (const page of pages) results.push({ mode, page, warmUp: await sample(page), samples: [] });
    // Page after page within each round, so load that drifts over the run weighs on both alike.
    for (let i = 0; i < joins; i++) {
      for (const result of results) result.samples.push(await sample(result.page, i + 1));
    }
    const loopDelay = await amphi.call({ type: 'loopDelay' });
    return { mode, pages: results, loopDelay };
  } finally {
    for (const browser of stage) await browser.close();
    await amphi.stop();
  }
}
