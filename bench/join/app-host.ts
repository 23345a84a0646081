/**
 * bench/join's Amphi, in a Node process of its own (forked by app-process.ts), so the bench's
 * own work (Playwright's driver, the probes' polling) never delays the server's event loop: a
 * fresh test app with its space staged, the signal service watched, and a few requests answered
 * over IPC. Its event loop's delay is recorded from the first join on.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp } from '../../tests/helpers/test-app.ts';
import type {
  AppHostOptions,
  AppHostReady,
  HostReplies,
  HostReply,
  HostRequest,
} from './app-protocol.ts';
import { watchJoins, watchServerSignals } from './mesh-timeline.ts';
import { stagedSpace, waitForMode } from './stage.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as AppHostOptions;
const t = await startTestApp({
  hosting: { minFollowers: 0, minFollowersTicketed: 0 },
  media: {
    ...defaultConfig.media,
    policy: { ...defaultConfig.media.policy, maxMeshParticipants: options.mode === 'mesh' ? 6 : 1 },
    relay: { ...defaultConfig.media.relay, workers: options.relayWorkers },
  },
});
const space = await stagedSpace(t, `join bench (${options.mode})`);
const serverLog =
  options.mode === 'mesh'
    ? watchServerSignals(t.app.services.signals, (id) => toGlobalId('Participant', id))
    : [];
await waitForMode(t, space.spaceId, options.mode === 'mesh' ? 'MESH' : 'RELAY');
const joinLog = watchJoins(t.app.services.spaces);
const loopDelay = monitorEventLoopDelay({ resolution: 5 });

async function handle(request: HostRequest): Promise<HostReplies[HostRequest['type']]> {
  switch (request.type) {
    case 'createUser': {
      loopDelay.enable();
      const user = await t.createUser(request.name);
      return { id: user.id, token: user.credentials.token ?? '' };
    }
    case 'leave':
      await t.app.services.spaces.leave(request.userId, space.spaceId);
      return null;
    case 'takeServerLog':
      return serverLog.splice(0);
    case 'takeJoins':
      return joinLog.splice(0);
    case 'loopDelay':
      loopDelay.disable();
      return {
        p50: loopDelay.percentile(50) / 1e6,
        p99: loopDelay.percentile(99) / 1e6,
        max: loopDelay.max / 1e6,
      };
  }
}

const reply = (answer: HostReply) => process.send?.(answer);
process.on('message', (request: HostRequest) => {
  handle(request).then(
    (value) => reply({ id: request.id, ok: true, value }),
    (error: unknown) => reply({ id: request.id, ok: false, error: String(error) }),
  );
});
process.on('disconnect', () => {
  void t.stop().finally(() => process.exit(0));
});
const ready: AppHostReady = {
  type: 'ready',
  url: t.url,
  space: {
    spaceId: space.spaceId,
    spaceGlobalId: space.spaceGlobalId,
    ids: space.ids,
    host: { id: space.host.id, token: space.host.credentials.token ?? '' },
    speaker: { id: space.speaker.id, token: space.speaker.credentials.token ?? '' },
  },
};
process.send?.(ready);
