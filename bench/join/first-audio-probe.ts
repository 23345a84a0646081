import type { Page } from 'playwright-core';
import type { LabWindow } from './lab-page.ts';

/** Milliseconds since the page's navigation start (`performance.now()` in the page). */
export type FirstAudioMarks = {
  /** The lab page has joined, loaded the roster and created its room connection. */
  ready?: number;
  /** The first peer connection was created (the relay's offer has arrived, on the relay). */
  created?: number;
  /** A remote offer was applied to it; then its ICE gathering completed (the answer can go). */
  offerApplied?: number;
  gathered?: number;
  /** Its connection state (ICE and DTLS) first became connected. */
  connected?: number;
  /** The first data-channel message arrived (the relay's slot announcement, on the relay). */
  channelMessage?: number;
  /** A remote peer connection's getStats() first showed an inbound audio packet with a level. */
  packet?: number;
  /** `room.remotes()` first showed a speaker with packets and a level: what the app knows. */
  heard?: number;
  /** ... every one of the expected speakers. */
  heardAll?: number;
  error?: string;
};

type ProbeWindow = LabWindow & { firstAudio?: FirstAudioMarks };

/**
 * An init script for the lab page: polls `room.remotes()` every 5 ms, and, to tell the network
 * path from the app's own sampling (the room samples getStats on a 200 ms tick), every peer
 * connection's getStats() every 20 ms until the first audio packet. Runs before the page's
 * scripts, so `performance.now()` counts from the navigation start.
 */
export function firstAudioProbe(speakers: number) {
  const marks: FirstAudioMarks = {};
  const probeWindow = window as ProbeWindow;
  probeWindow.firstAudio = marks;
  const connections: RTCPeerConnection[] = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      connections.push(this);
      marks.created ??= performance.now();
      this.addEventListener('icegatheringstatechange', () => {
        if (this.iceGatheringState === 'complete') marks.gathered ??= performance.now();
      });
      this.addEventListener('datachannel', ({ channel }) => {
        channel.addEventListener('message', () => {
          marks.channelMessage ??= performance.now();
        });
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') marks.connected ??= performance.now();
      });
    }

    override async setRemoteDescription(description: RTCSessionDescriptionInit) {
      await super.setRemoteDescription(description);
      if (description.type === 'offer') marks.offerApplied ??= performance.now();
    }
  };
  const pollStats = async () => {
    while (marks.packet === undefined && marks.error === undefined) {
      for (const pc of connections) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats().catch(() => new Map<string, unknown>());
        for (const stats of report.values()) {
          const entry = stats as { type?: string; kind?: string; packetsReceived?: number };
          const level = (stats as { audioLevel?: number }).audioLevel ?? 0;
          if (entry.type !== 'inbound-rtp' || entry.kind !== 'audio') continue;
          if ((entry.packetsReceived ?? 0) > 0 && level > 0) marks.packet ??= performance.now();
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  void pollStats();
  const pollRoom = () => {
    const { lab } = probeWindow;
    if (lab?.error) {
      marks.error = lab.error;
      return;
    }
    if (lab?.ready) {
      const now = performance.now();
      marks.ready ??= now;
      let heard = 0;
      for (const remote of lab.room.remotes().values()) {
        if (remote.health.packetsReceived > 0 && remote.health.level > 0) heard += 1;
      }
      if (heard > 0) marks.heard ??= now;
      if (heard >= speakers) {
        marks.heardAll = now;
        return;
      }
    }
    setTimeout(pollRoom, 5);
  };
  pollRoom();
}

/**
 * Reads the marks once every expected speaker was heard, or at `deadlineMs` after navigation
 * start with what was reached by then: a lost link can take a 15 s watchdog to recover, and
 * waiting for it would stretch a run of 20 joins past its time budget.
 */
export async function readFirstAudio(page: Page, deadlineMs: number): Promise<FirstAudioMarks> {
  await page.waitForFunction(
    (deadline) => {
      const seen = (window as ProbeWindow).firstAudio;
      if (seen?.error) throw new Error(seen.error);
      return (
        (seen?.heardAll !== undefined && seen.packet !== undefined) || performance.now() > deadline
      );
    },
    deadlineMs,
    { timeout: deadlineMs + 30_000, polling: 50 },
  );
  const marks = await page.evaluate(() => ({ ...(window as ProbeWindow).firstAudio }));
  const inTime = (value: number | undefined) =>
    value !== undefined && value <= deadlineMs ? value : undefined;
  return {
    ready: inTime(marks.ready),
    created: inTime(marks.created),
    offerApplied: inTime(marks.offerApplied),
    gathered: inTime(marks.gathered),
    connected: inTime(marks.connected),
    channelMessage: inTime(marks.channelMessage),
    packet: inTime(marks.packet),
    heard: inTime(marks.heard),
    heardAll: inTime(marks.heardAll),
  };
}
