import type { ForwardedRtp } from '../relay/forwarded-rtp.ts';
import { createRelay, type PipedRelay, RelayError } from '../relay/relay.ts';
import { decodePipedPacket, encodePipedPacket, pipedPublisherKey } from './pipe-datagram.ts';
import { createPipeReceiver } from './pipe-receiver.ts';
import { createPipeSender } from './pipe-sender.ts';
import { createPipeSocket } from './pipe-socket.ts';
import { createTapBatch } from './tap-batch.ts';
import type {
  ApiToWorker,
  PipeTarget,
  WorkerCall,
  WorkerCallResults,
  WorkerToApi,
} from './worker-protocol.ts';

const STATS_INTERVAL_MS = 500;

export type WorkerRuntimeHooks = {
  post(message: WorkerToApi): void;
  /** The relay cannot run (its UDP port is taken): the worker should end, to be restarted. */
  onFatal(error: unknown): void;
};

/**
 * What a relay worker does for the API that started it, whatever carries the messages (IPC for a
 * local worker, Redis for a remote one): one relay (createRelay, unchanged) and one UDP pipe
 * socket through which the workers holding a space send each other its publishers, sealed
 * (pipe-seal.ts). Created on `start`; `shutdown` leaves no socket or timer behind.
 */
export function startWorkerRuntime(
  start: Extract<ApiToWorker, { type: 'start' }>,
  hooks: WorkerRuntimeHooks,
) {
  const { post } = hooks;
  const pipeSocket = createPipeSocket(start.pipe.bind.address);
  const pipe = pipeSocket.socket;
  let pipeOut = createPipeSender(pipeSocket, start.pipe.key, start.pipe.senderId);
  let pipeIn = createPipeReceiver(pipeSocket, start.pipe.key, receivePiped);
  /** Opened datagrams that were no piped packet, or came from a worker not piping the space. */
  let strayPiped = 0;
  /** Piped datagrams the receivers of earlier keys dropped: the counts never go backwards. */
  let droppedUnderEarlierKeys = 0;
  /** Real sessions here, by space and participant: only their packets are tapped and piped out. */
  const local = new Map<string, Map<string, string>>();
  const sessionPlaces = new Map<string, { spaceId: string; participantId: string }>();
  const tapped = new Set<string>();
  const tapBatch = createTapBatch(post);
  const pipeTargets = new Map<string, PipeTarget[]>();
  let lastStats = '';
  let down = false;

  function forward(
    spaceId: string,
    participantId: string,
    packet: ForwardedRtp,
    levelPayload: Buffer | undefined,
  ): void {
    if (!local.get(spaceId)?.has(participantId)) return;
    if (tapped.has(spaceId)) {
      tapBatch.add({
        spaceId,
        participantId,
        payload: packet.payload,
        rtpTimestamp: packet.header.timestamp,
      });
    }
    const targets = pipeTargets.get(spaceId);
    if (!targets?.length) return;
    const body = encodePipedPacket({ spaceId, participantId, levelPayload, packet });
    // Sealed once per target: each datagram's counter is its own, so none looks like a replay.
    for (const target of targets) pipeOut.send(body, target);
  }

  function forget(sessionId: string): void {
    const place = sessionPlaces.get(sessionId);
    if (!place) return;
    sessionPlaces.delete(sessionId);
    const members = local.get(place.spaceId);
    if (members?.get(place.participantId) !== sessionId) return;
    members.delete(place.participantId);
    if (members.size === 0) local.delete(place.spaceId);
  }

  const relay: PipedRelay = createRelay(start.config, {
    onSessionClosed: (sessionId) => {
      forget(sessionId);
      post({ type: 'sessionClosed', sessionId });
    },
    onForward: forward,
  });
  // A worker whose port is taken could open no session: better to fail where it shows, and
  // be restarted (with backoff) until the port is free.
  relay.bound().catch(hooks.onFatal);

  async function call(message: WorkerCall): Promise<unknown> {
    switch (message.type) {
      case 'open': {
        const opened: WorkerCallResults['open'] = await relay.open(
          message.spaceId,
          message.participantId,
        );
        const { spaceId, participantId } = message;
        // Connected here now: piped packets of theirs must stop, and the addon cannot tell.
        pipeIn.forgetRoutes();
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
        return undefined;
      }
      case 'close':
        return relay.close(message.spaceId, message.participantId);
      case 'closeSpace':
        pipeTargets.delete(message.spaceId);
        pipeIn.forgetRoutes();
        return relay.closeSpace(message.spaceId);
      case 'stop':
        await shutdown();
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
    if (message.type === 'start') return;
    if ('id' in message) {
      reply(message.id, call(message));
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
        if (message.targets.length > 0) pipeTargets.set(message.spaceId, message.targets);
        else pipeTargets.delete(message.spaceId);
        pipeIn.forgetRoutes();
        return;
      case 'rekey':
        rekey(message.key, message.senderId);
        return;
      case 'dropPiped':
        // Only a stand-in: the participant may have connected here since.
        if (!local.get(message.spaceId)?.has(message.participantId)) {
          pipeIn.forgetRoutes();
          relay.close(message.spaceId, message.participantId).catch(() => {});
        }
        return;
    }
  }

  /** A loop, not `some` with an arrow: a closure per piped packet costs (tsx keeps its name). */
  function isPipedFrom(spaceId: string, senderId: number): boolean {
    const targets = pipeTargets.get(spaceId);
    if (!targets) return false;
    for (const target of targets) if (target.senderId === senderId) return true;
    return false;
  }

  function receivePiped(senderId: number, body: Buffer): void {
    const piped = decodePipedPacket(body);
    // Pipes are symmetric: only a worker this one pipes the space to may pipe it here.
    if (!piped || !isPipedFrom(piped.spaceId, senderId)) {
      strayPiped++;
      return;
    }
    if (local.get(piped.spaceId)?.has(piped.participantId)) return;
    const { spaceId, participantId, packet, levelPayload } = piped;
    const route = relay.receivePiped(spaceId, participantId, packet, levelPayload);
    // The publisher's next packets may then skip JavaScript, until something changes.
    const key = route && pipedPublisherKey(body);
    if (route && key) pipeIn.route(senderId, key, route);
  }
  pipe.on('error', hooks.onFatal);

  function droppedByReceiver(): number {
    const { forged, replayed, oversized } = pipeIn.stats();
    return forged + replayed + oversized;
  }

  /** Piped datagrams dropped before they reached the relay, whatever the reason. */
  function pipeDropped(): number {
    return droppedUnderEarlierKeys + droppedByReceiver() + strayPiped;
  }

  /**
   * The socket stays, bound (the API sends this only to a worker that said it is ready): its
   * port is what the pools know this worker by. Datagrams still sealed under the old key are
   * dropped until every holder of the space has its new one.
   */
  function rekey(key: Uint8Array, senderId: number): void {
    droppedUnderEarlierKeys += droppedByReceiver();
    pipeIn.close();
    pipeOut.close();
    pipeIn = createPipeReceiver(pipeSocket, key, receivePiped);
    pipeOut = createPipeSender(pipeSocket, key, senderId);
    pipeIn.bound();
    pipeOut.bound();
  }

  const statsTimer = setInterval(() => {
    const { forwardedPackets, droppedPackets: droppedByRelay } = relay.stats();
    const droppedPackets = droppedByRelay + pipeDropped();
    const stats = `${forwardedPackets}/${droppedPackets}`;
    if (stats === lastStats) return;
    lastStats = stats;
    post({ type: 'stats', forwardedPackets, droppedPackets });
  }, STATS_INTERVAL_MS);
  statsTimer.unref();

  async function shutdown(): Promise<void> {
    if (down) return;
    down = true;
    clearInterval(statsTimer);
    tapBatch.flush();
    await relay.stop();
    pipeIn.close();
    pipeOut.close();
    pipe.close();
  }

  pipe.bind(start.pipe.bind.port, pipeSocket.bindAddress, () => {
    pipeOut.bound();
    pipeIn.bound();
    post({ type: 'ready', pipe: { host: start.pipe.host, port: pipe.address().port } });
  });

  return { handle, shutdown };
}

export type WorkerRuntime = ReturnType<typeof startWorkerRuntime>;
