import { createSocket } from 'node:dgram';
import type { RtpPacket } from 'werift';
import { logUnhandledErrors } from '../../process-errors.ts';
import { createRelay, type PipedRelay, RelayError } from '../relay/relay.ts';
import { audioLevelExtensionId } from './audio-level-extension.ts';
import { decodePipedPacket, encodePipedPacket } from './pipe-datagram.ts';
import type { ApiToWorker, WorkerCall, WorkerCallResults, WorkerToApi } from './worker-protocol.ts';

/**
 * A relay worker process: one relay (createRelay, unchanged) driven by the API over IPC, and a
 * loopback UDP socket through which the workers holding a space pipe their publishers to each
 * other. Started by relay-worker.ts; it exits when the API goes away.
 */

const STATS_INTERVAL_MS = 500;

// As in the API process: one client's failure must not end every session of the worker.
logUnhandledErrors();
const LOOPBACK = '127.0.0.1';

function post(message: WorkerToApi): void {
  // While stopping, the API may have hung up already; what is left to say no longer matters.
  if (process.connected) process.send?.(message, undefined, undefined, () => {});
}

const pipe = createSocket('udp4');
/** Real sessions here, by space and participant: only their packets are tapped and piped out. */
const local = new Map<string, Map<string, string>>();
const sessionPlaces = new Map<string, { spaceId: string; participantId: string }>();
/** Each answered session's audio level extension id, to pipe its publisher's levels. */
const levelIds = new Map<string, number>();
const tapped = new Set<string>();
const pipeTargets = new Map<string, number[]>();
let relay: PipedRelay | undefined;
let lastStats = '';

function forward(spaceId: string, participantId: string, packet: RtpPacket): void {
  const sessionId = local.get(spaceId)?.get(participantId);
  if (sessionId === undefined) return;
  if (tapped.has(spaceId)) {
    post({
      type: 'tapped',
      spaceId,
      participantId,
      payload: packet.payload,
      rtpTimestamp: packet.header.timestamp,
    });
  }
  const ports = pipeTargets.get(spaceId);
  if (!ports?.length) return;
  const levelId = levelIds.get(sessionId);
  const levelPayload =
    levelId === undefined
      ? undefined
      : packet.header.extensions.find((extension) => extension.id === levelId)?.payload;
  const datagram = encodePipedPacket({ spaceId, participantId, levelPayload, packet });
  for (const port of ports) pipe.send(datagram, port, LOOPBACK);
}

function forget(sessionId: string): void {
  const place = sessionPlaces.get(sessionId);
  if (!place) return;
  sessionPlaces.delete(sessionId);
  levelIds.delete(sessionId);
  const members = local.get(place.spaceId);
  if (members?.get(place.participantId) !== sessionId) return;
  members.delete(place.participantId);
  if (members.size === 0) local.delete(place.spaceId);
}

async function call(relay: PipedRelay, message: WorkerCall): Promise<unknown> {
  switch (message.type) {
    case 'open': {
      const opened: WorkerCallResults['open'] = await relay.open(
        message.spaceId,
        message.participantId,
      );
      const { spaceId, participantId } = message;
      sessionPlaces.set(opened.sessionId, { spaceId, participantId });
      let members = local.get(spaceId);
      if (!members) {
        members = new Map();
        local.set(spaceId, members);
      }
      members.set(participantId, opened.sessionId);
      return opened;
    }
    case 'answer': {
      await relay.answer(message.sessionId, message.sdp);
      const levelId = audioLevelExtensionId(message.sdp);
      if (levelId !== undefined && sessionPlaces.has(message.sessionId)) {
        levelIds.set(message.sessionId, levelId);
      }
      return undefined;
    }
    case 'close':
      return relay.close(message.spaceId, message.participantId);
    case 'closeSpace':
      pipeTargets.delete(message.spaceId);
      return relay.closeSpace(message.spaceId);
    case 'stop':
      await relay.stop();
      pipe.close();
      return undefined;
  }
}

function reply(id: number, work: Promise<unknown>): void {
  work.then(
    (value) => post({ type: 'reply', id, ok: true, value }),
    (error: unknown) =>
      post({
        type: 'reply',
        id,
        ok: false,
        error: {
          reason: error instanceof RelayError ? error.reason : null,
          message: error instanceof Error ? error.message : String(error),
        },
      }),
  );
}

function handle(message: ApiToWorker): void {
  if (message.type === 'start') {
    relay = createRelay(message.config, {
      onSessionClosed: (sessionId) => {
        forget(sessionId);
        post({ type: 'sessionClosed', sessionId });
      },
      onForward: forward,
    });
    // A worker whose port is taken could open no session: better to fail where it shows, and
    // be restarted (with backoff) until the port is free.
    relay.bound().catch((error: unknown) => {
      process.stderr.write(`Relay worker: ${error instanceof Error ? error.message : error}\n`);
      process.exit(1);
    });
    return;
  }
  if (!relay) throw new Error(`A relay worker got ${message.type} before start.`);
  if ('id' in message) {
    reply(message.id, call(relay, message));
    return;
  }
  switch (message.type) {
    case 'setPublishers':
      relay.setPublishers(message.spaceId, new Set(message.participantIds));
      return;
    case 'tap':
      if (message.on) tapped.add(message.spaceId);
      else tapped.delete(message.spaceId);
      return;
    case 'pipeTargets':
      if (message.ports.length > 0) pipeTargets.set(message.spaceId, message.ports);
      else pipeTargets.delete(message.spaceId);
      return;
    case 'dropPiped':
      // Only a stand-in: the participant may have connected here since.
      if (!local.get(message.spaceId)?.has(message.participantId)) {
        relay.close(message.spaceId, message.participantId).catch(() => {});
      }
      return;
  }
}

pipe.on('message', (datagram, from) => {
  const piped = decodePipedPacket(datagram);
  if (!piped || !relay) return;
  // Pipes are symmetric: only the workers this one pipes the space to may pipe it here, from
  // their own pipe socket. Anything else on the loopback is ignored.
  if (from.address !== LOOPBACK || !pipeTargets.get(piped.spaceId)?.includes(from.port)) return;
  if (local.get(piped.spaceId)?.has(piped.participantId)) return;
  relay.receivePiped(piped.spaceId, piped.participantId, piped.packet, piped.levelPayload);
});

process.on('message', (message: ApiToWorker) => handle(message));
// The API is this process's only reason to live: without it nobody can close its sessions.
process.on('disconnect', () => process.exit(0));

setInterval(() => {
  if (!relay) return;
  const { forwardedPackets, droppedPackets } = relay.stats();
  const stats = `${forwardedPackets}/${droppedPackets}`;
  if (stats === lastStats) return;
  lastStats = stats;
  post({ type: 'stats', forwardedPackets, droppedPackets });
}, STATS_INTERVAL_MS).unref();

pipe.bind(0, LOOPBACK, () => post({ type: 'ready', pipePort: pipe.address().port }));
