import type { Page } from 'playwright-core';
import type { RoomConnection } from '../../web/src/media/index.ts';
import type { FirstSoundWindow } from './first-sound-tap.ts';
import type { LabWindow } from './lab-page.ts';

/** Milliseconds since the click (the lab page's Listen button, or a live space's card). */
export type FirstAudioMarks = {
  /**
   * joinSpace answered (on the lab page, with the roster); then the room connection was made
   * (and, on the lab page, updated).
   */
  joined?: number;
  ready?: number;
  /** The first peer connection was created (the relay's offer has arrived, on the relay). */
  created?: number;
  /** Its first local description (offer or answer) was set; a remote offer was applied. */
  described?: number;
  offerApplied?: number;
  /** ICE gathering completed (the relay's answer waits for it). */
  gathered?: number;
  /** Its connection state (ICE and DTLS) first became connected. */
  connected?: number;
  /** The first data-channel message arrived (the relay's slot announcement, on the relay). */
  channelMessage?: number;
  /** getStats() first showed an inbound audio packet (the wire). */
  packet?: number;
  /** getStats() first showed decoded audio with energy pulled by the audio output: played. */
  played?: number;
  /**
   * The first sound reached the audio output, timed on the audio thread (first-sound-tap.ts):
   * what `played` polls for, without the page's busy main thread or Chromium's stats cache.
   */
  audible?: number;
  /** ... from every one of the expected speakers. */
  playedAll?: number;
  /** `room.remotes()` first showed a speaker with packets and a level: what the app knows. */
  heard?: number;
  error?: string;
};

type ProbeWindow = LabWindow &
  FirstSoundWindow & {
    firstAudio?: FirstAudioMarks & { clickedAt?: number };
    /** What the web client puts on `window` once its room connection is made. */
    amphi?: { room: RoomConnection };
  };

/**
 * An init script for the lab page (opened with `start=click`) or the web client: records the
 * click's event time, then polls every connected peer connection's getStats() every 5 ms for the
 * first packet and the first audio played (inbound-rtp `totalAudioEnergy`, which Chromium adds
 * to per 10 ms frame as the audio output pulls it; `audioLevel` is refreshed only every tenth
 * frame), and `room.remotes()` for what the app shows. Times are `performance.now()` in the page.
 */
export function firstAudioProbe(speakers: number) {
  const marks: FirstAudioMarks & { clickedAt?: number } = {};
  const probeWindow = window as ProbeWindow;
  probeWindow.firstAudio = marks;
  const connections: RTCPeerConnection[] = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      // Those made before the click count too (a mesh listener's offers wait for it), but only
      // what happens after it is marked: warming WebRTC up is no part of the join.
      connections.push(this);
      const clicked = () => marks.clickedAt !== undefined;
      if (clicked()) marks.created ??= performance.now();
      this.addEventListener('icegatheringstatechange', () => {
        if (clicked() && this.iceGatheringState === 'complete')
          marks.gathered ??= performance.now();
      });
      this.addEventListener('datachannel', ({ channel }) => {
        channel.addEventListener('message', () => {
          marks.channelMessage ??= performance.now();
        });
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') marks.connected ??= performance.now();
      });
      this.addEventListener('track', ({ track }) => {
        if (track.kind !== 'audio') return;
        probeWindow.firstSound?.(track, (at) => {
          if (marks.clickedAt !== undefined && at >= marks.clickedAt) {
            marks.audible = Math.min(marks.audible ?? at, at);
          }
        });
      });
    }

    override async setRemoteDescription(description: RTCSessionDescriptionInit) {
      await super.setRemoteDescription(description);
      if (description.type === 'offer' && marks.clickedAt !== undefined) {
        marks.offerApplied ??= performance.now();
      }
    }

    override async setLocalDescription(description?: RTCLocalSessionDescriptionInit) {
      await super.setLocalDescription(description);
      if (marks.clickedAt !== undefined) marks.described ??= performance.now();
    }
  };
  const finished = () =>
    marks.error !== undefined ||
    (marks.playedAll !== undefined && marks.heard !== undefined) ||
    performance.now() - (marks.clickedAt ?? performance.now()) > 60_000;
  const pollStats = async () => {
    while (!finished()) {
      const played = new Set<string>();
      for (const [index, pc] of connections.entries()) {
        // Nothing can have arrived before it connected, and each getStats() costs the page's
        // main thread, which the join needs meanwhile.
        if (pc.connectionState !== 'connected') continue;
        const report = await pc.getStats().catch(() => new Map<string, unknown>());
        for (const stats of report.values()) {
          const entry = stats as {
            type?: string;
            kind?: string;
            id?: string;
            packetsReceived?: number;
            totalAudioEnergy?: number;
          };
          if (entry.type !== 'inbound-rtp' || entry.kind !== 'audio') continue;
          if ((entry.packetsReceived ?? 0) > 0) marks.packet ??= performance.now();
          if ((entry.totalAudioEnergy ?? 0) > 0) played.add(`${index}:${entry.id}`);
        }
      }
      if (played.size > 0) marks.played ??= performance.now();
      if (played.size >= speakers) marks.playedAll ??= performance.now();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const pollRoom = () => {
    const { lab } = probeWindow;
    if (lab?.error) {
      marks.error = lab.error;
      return;
    }
    const room = lab?.ready ? lab.room : probeWindow.amphi?.room;
    if (room) {
      for (const remote of room.remotes().values()) {
        if (remote.health.packetsReceived > 0 && remote.health.level > 0) {
          marks.heard ??= performance.now();
        }
      }
    }
    if (!finished()) setTimeout(pollRoom, 5);
  };
  window.addEventListener(
    'click',
    (event) => {
      if (marks.clickedAt !== undefined) return;
      // The input event's own time: what the user did, before any handler ran.
      marks.clickedAt = event.timeStamp;
      void pollStats();
      pollRoom();
    },
    { capture: true },
  );
  const readyWatch = setInterval(() => {
    const { lab, amphi } = probeWindow;
    if (lab?.ready || amphi) {
      marks.ready ??= performance.now();
      clearInterval(readyWatch);
    }
  }, 5);
}

/**
 * Opens the lab page at `url` (with `start=click`), waits for its Listen button, runs
 * `beforeClick` (to start a trace, say) and clicks it.
 */
export async function clickListen(page: Page, url: string, beforeClick?: () => Promise<void>) {
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const lab = (window as LabWindow & { lab?: { waiting?: boolean } }).lab;
      if (lab?.error) throw new Error(lab.error);
      return lab?.waiting === true;
    },
    undefined,
    { timeout: 30_000, polling: 20 },
  );
  await beforeClick?.();
  await page.click('#listen');
}

const MARKS = [
  'joined',
  'ready',
  'created',
  'described',
  'offerApplied',
  'gathered',
  'connected',
  'channelMessage',
  'packet',
  'played',
  'audible',
  'playedAll',
  'heard',
] as const;

/**
 * Reads the marks, relative to the click, once every expected speaker was played and the app
 * shows one, or at `deadlineMs` after the click with what was reached by then: a lost link can
 * take a 15 s watchdog to recover, and waiting for it would stretch a run past its time budget.
 */
export async function readFirstAudio(page: Page, deadlineMs: number): Promise<FirstAudioMarks> {
  await page.waitForFunction(
    (deadline) => {
      const seen = (window as ProbeWindow).firstAudio;
      if (seen?.error) throw new Error(seen.error);
      if (seen?.clickedAt === undefined) return false;
      return (
        (seen.playedAll !== undefined && seen.heard !== undefined) ||
        performance.now() - seen.clickedAt > deadline
      );
    },
    deadlineMs,
    { timeout: deadlineMs + 30_000, polling: 50 },
  );
  const seen = await page.evaluate(() => {
    const marks = { ...(window as ProbeWindow).firstAudio };
    const joined = performance.getEntriesByName('lab:joined')[0];
    if (joined) marks.joined = joined.startTime;
    return marks;
  });
  const clickedAt = seen.clickedAt ?? Number.NaN;
  const marks: FirstAudioMarks = {};
  for (const mark of MARKS) {
    const at = seen[mark];
    if (at === undefined) continue;
    const since = at - clickedAt;
    if (since <= deadlineMs) marks[mark] = since;
  }
  return marks;
}
