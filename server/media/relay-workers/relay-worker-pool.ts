import { RelayError } from '../relay/relay-error.ts';
import type { PacketTap, Relay, RelayConfig } from '../relay/relay-types.ts';
import type { PipeFederationOptions } from './pipe-federation.ts';
import { createPipeIdentities } from './pipe-identities.ts';
import { createPoolTaps } from './pool-taps.ts';
import { startRelayWorker } from './relay-worker.ts';
import {
  type LeasedWorker,
  type RemoteWorkers,
  type RemoteWorkersOptions,
  startRemoteWorkers,
} from './remote-worker-fleet.ts';
import { createSpaceHoldings } from './space-holdings.ts';
import type { RelayWorker, WorkerReport } from './worker-calls.ts';
import { DEFAULT_SPREAD_AFTER, placeSession } from './worker-placement.ts';
import { workerPort } from './worker-port.ts';
import type { WorkerCommand } from './worker-protocol.ts';
import { createSlot, type Slot } from './worker-slot.ts';

/** A worker that keeps crashing is restarted ever more slowly, up to this. */
const RESTART_MAX_MS = 5_000;

/** How long a crashed worker waits to restart: doubling with each crash in a row. */
const restartDelay = (slot: Slot) =>
  Math.min(50 * 2 ** Math.max(0, slot.crashes - 1), RESTART_MAX_MS);

export type RelayWorkerPoolOptions = {
  /**
   * How many local worker processes; worker i shares UDP port `relay.port` + i (0: any free
   * port). May be 0 when `remote` is set.
   */
  workers: number;
  relay: RelayConfig;
  /**
   * Local workers' pipe sockets: bound on `bindAddress` at `port` + i (0: any free port), reached
   * by other workers at `host`. @default loopback only, any port
   */
  pipe?: { bindAddress: string; host: string; port: number };
  /** Also place sessions on the relay workers registered in this Redis (other hosts). */
  remote?: RemoteWorkersOptions;
  /** Pipe spaces to and from the pools of the other API instances on this Redis. */
  federation?: PipeFederationOptions;
  /**
   * Sessions a worker holding a space may carry beyond the least loaded worker before the
   * space's next session goes to another worker; 0 spreads every space over all workers.
   * @default DEFAULT_SPREAD_AFTER
   */
  spreadAfter?: number;
};

/** A session that ended because its worker did; its client must open a new one. */
export type LostSession = { sessionId: string; spaceId: string; participantId: string };

type Place = { sessionId: string; spaceId: string; participantId: string; slot: Slot };

const key = (spaceId: string, participantId: string) => `${spaceId}\n${participantId}`;

/**
 * The relay as worker processes: implements `Relay`, so its users cannot tell. Each participant's
 * session lives on one worker (the one already holding the participant, else see
 * `placeSession`); a space's publishers are piped from the worker that receives them to every
 * other worker holding the space. A crashed worker is restarted; its sessions are reported lost,
 * and `isOpen` says so.
 */
export function createRelayWorkerPool(options: RelayWorkerPoolOptions) {
  const fewest = options.remote ? 0 : 1;
  if (!Number.isInteger(options.workers) || options.workers < fewest) {
    throw new RangeError(`Invalid relay worker count ${options.workers}.`);
  }
  const pipe = options.pipe ?? { bindAddress: '127.0.0.1', host: '127.0.0.1', port: 0 };
  const spreadAfter = options.spreadAfter ?? DEFAULT_SPREAD_AFTER;
  if (!Number.isInteger(spreadAfter) || spreadAfter < 0) {
    throw new RangeError(`Invalid relay spread threshold ${spreadAfter}.`);
  }
  // Every worker the pool starts, local or remote, seals and opens with one key.
  const identities = createPipeIdentities(
    options.federation,
    {
      onTargets: (spaceId) => holdings.repipe(spaceId),
      onDropPiped: (spaceId, participantId) =>
        broadcast({ type: 'dropPiped', spaceId, participantId }),
    },
    (joined) => holdings.takeUp(joined),
  );
  let nextIndex = options.workers;
  const slots: Slot[] = Array.from({ length: options.workers }, (_, index) => {
    const config = { ...options.relay, port: workerPort(options.relay.port ?? 0, index) };
    const bind = { address: pipe.bindAddress, port: workerPort(pipe.port, index) };
    return createSlot(index, `local:${index}`, false, (setup) =>
      startRelayWorker(config, { ...setup, bind, host: pipe.host }, eventsOf(index)),
    );
  });
  const holdings = createSpaceHoldings(slots, () => identities.federation());
  const { hold, release } = holdings;
  let remoteWorkers: Promise<RemoteWorkers> | null = null;
  const sessions = new Map<string, Place>();
  const current = new Map<string, Place>();
  const publishers = new Map<string, string[]>();
  const taps = createPoolTaps((command) => broadcast(command));
  const lostListeners = new Set<(lost: LostSession) => void>();
  /** Counters of workers that ended, so totals never go backwards. */
  const retired = { forwardedPackets: 0, droppedPackets: 0 };
  let stopped = false;

  function eventsOf(index: number) {
    const slotOf = () => slots.find((slot) => slot.index === index);
    return {
      onMessage: (message: WorkerReport) => {
        const slot = slotOf();
        if (slot) onWorkerMessage(slot, message);
      },
      onExit: (cause: string) => {
        const slot = slotOf();
        if (slot) onWorkerExit(slot, cause);
      },
    };
  }

  function start(slot: Slot): Promise<RelayWorker> {
    const started = identities.next().then(async ({ key, senderId }) => {
      // bind and host are the slot's own (a remote worker's are its host's).
      const bind = { address: pipe.bindAddress, port: 0 };
      const worker = await slot.launch({ key, senderId, bind, host: pipe.host });
      if (stopped) {
        void worker.stop();
        throw new RelayError('CLOSED', 'The relay has stopped.');
      }
      slot.worker = worker;
      slot.senderId = senderId;
      for (const [spaceId, participantIds] of publishers) {
        worker.command({ type: 'setPublishers', spaceId, participantIds });
      }
      for (const command of taps.commands()) worker.command(command);
      return worker;
    });
    started.catch(() => {
      if (slot.started === started) slot.started = null;
    });
    slot.started = started;
    return started;
  }

  function running(slot: Slot): Promise<RelayWorker> {
    if (stopped) return Promise.reject(new RelayError('CLOSED', 'The relay has stopped.'));
    return slot.started ?? start(slot);
  }

  function onWorkerMessage(slot: Slot, message: WorkerReport) {
    if (message.type === 'sessionClosed') {
      const place = sessions.get(message.sessionId);
      if (place?.slot === slot) forget(place);
    } else if (message.type === 'tapped') {
      taps.deliver(message.packets);
    } else {
      slot.forwardedPackets = message.forwardedPackets;
      slot.droppedPackets = message.droppedPackets;
    }
  }

  function onWorkerExit(slot: Slot, cause: string): void {
    slot.worker = null;
    slot.started = null;
    retired.forwardedPackets += slot.forwardedPackets;
    retired.droppedPackets += slot.droppedPackets;
    slot.forwardedPackets = 0;
    slot.droppedPackets = 0;
    const lost = [...sessions.values()].filter((place) => place.slot === slot);
    for (const place of lost) forget(place);
    if (slot.remote) {
      // Nothing to restart here: if the host comes back, it registers and is leased anew.
      slots.splice(slots.indexOf(slot), 1);
    } else if (!stopped) restartLater(slot);
    if (stopped) return;
    const next = slot.remote ? 'not restarted here' : `restarting in ${restartDelay(slot)} ms`;
    console.error(
      `Relay worker ${slot.name} ended (${cause}); sessions lost: ${lost.length}; ${next}`,
    );
    for (const { sessionId, spaceId, participantId } of lost) {
      for (const listener of lostListeners) listener({ sessionId, spaceId, participantId });
    }
  }

  function restartLater(slot: Slot): void {
    slot.crashes++;
    setTimeout(() => {
      if (!stopped && !slot.started) {
        start(slot).then(
          () => {
            slot.crashes = 0;
          },
          () => {},
        );
      }
    }, restartDelay(slot)).unref();
  }

  function addRemote(leased: LeasedWorker): void {
    const index = nextIndex++;
    const slot: Slot = createSlot(index, `remote:${leased.id}`, true, (setup) =>
      leased.start(options.relay, setup, eventsOf(index)),
    );
    slots.push(slot);
    start(slot).catch(() => {
      // It never started: nobody was placed there but opens awaiting it, which failed.
      if (!slot.worker && slots.includes(slot)) slots.splice(slots.indexOf(slot), 1);
    });
  }

  function forget(place: Place): void {
    if (!sessions.delete(place.sessionId)) return;
    release(place.slot, place.spaceId);
    const participant = key(place.spaceId, place.participantId);
    if (current.get(participant) !== place) return;
    current.delete(participant);
    broadcast(
      { type: 'dropPiped', spaceId: place.spaceId, participantId: place.participantId },
      place.slot,
    );
    identities.federation()?.dropPiped(place.spaceId, place.participantId);
  }

  function broadcast(command: WorkerCommand, except?: Slot): void {
    for (const slot of slots) if (slot !== except) slot.worker?.command(command);
  }

  /**
   * The participant's worker if it still runs (a reopen replaces the session in place), else
   * where `placeSession` puts a new one among the running workers: clients of a crashed worker
   * reconnect without waiting for its restart.
   */
  function placeFor(spaceId: string, participantId: string): Slot {
    const previous = current.get(key(spaceId, participantId))?.slot;
    if (previous?.worker) return previous;
    const running = slots.filter((slot) => slot.worker);
    const candidates = running.length > 0 ? running : slots.filter((slot) => !slot.remote);
    if (candidates.length === 0) throw new RelayError('CLOSED', 'No relay worker is running.');
    return placeSession(candidates, spaceId, spreadAfter);
  }

  // Every worker starts now: placement spreads sessions over the running ones.
  for (const slot of slots) running(slot).catch(() => {});
  if (options.remote) {
    remoteWorkers = startRemoteWorkers(options.remote, (leased) => {
      if (!stopped) addRemote(leased);
    });
    remoteWorkers.catch((error: unknown) => {
      console.error('Remote relay workers: could not reach Redis', error);
    });
  }

  const pool = {
    async open(spaceId: string, participantId: string) {
      if (stopped) throw new RelayError('CLOSED', 'The relay has stopped.');
      const slot = placeFor(spaceId, participantId);
      const wasRunning = slot.worker !== null;
      hold(slot, spaceId);
      let opened: { sessionId: string; offer: string };
      try {
        const worker = await running(slot);
        const allowed = publishers.get(spaceId);
        if (allowed) worker.command({ type: 'setPublishers', spaceId, participantIds: allowed });
        if (!wasRunning) holdings.repipe(spaceId);
        opened = await worker.call({ type: 'open', spaceId, participantId });
      } catch (error) {
        release(slot, spaceId);
        throw error;
      }
      // The worker may have died or been asked to close the space meanwhile.
      if (!slot.worker || stopped) {
        release(slot, spaceId);
        throw new RelayError('CLOSED', `Session ${opened.sessionId} was closed.`);
      }
      const place: Place = { ...opened, spaceId, participantId, slot };
      const previous = current.get(key(spaceId, participantId));
      sessions.set(opened.sessionId, place);
      current.set(key(spaceId, participantId), place);
      // The relay replaced the previous session on this worker; on another one, close it there.
      if (previous && sessions.has(previous.sessionId) && previous.slot !== slot) {
        forget(previous);
        void previous.slot.worker?.call({ type: 'close', spaceId, participantId }).catch(() => {});
      }
      return opened;
    },

    async answer(sessionId: string, sdp: string) {
      if (stopped) throw new RelayError('CLOSED', 'The relay has stopped.');
      const place = sessions.get(sessionId);
      if (!place?.slot.worker) throw new RelayError('UNKNOWN_SESSION', `No session ${sessionId}.`);
      await place.slot.worker.call({ type: 'answer', sessionId, sdp });
    },

    setPublishers(spaceId: string, participantIds: ReadonlySet<string>) {
      if (stopped) return;
      const allowed = [...participantIds];
      if (allowed.length === 0) publishers.delete(spaceId);
      else publishers.set(spaceId, allowed);
      broadcast({ type: 'setPublishers', spaceId, participantIds: allowed });
    },

    async close(spaceId: string, participantId: string) {
      const place = current.get(key(spaceId, participantId));
      if (!place) return;
      await place.slot.worker?.call({ type: 'close', spaceId, participantId }).catch(() => {});
      forget(place);
    },

    async closeSpace(spaceId: string) {
      publishers.delete(spaceId);
      const closing = slots.flatMap((slot) =>
        slot.worker ? [slot.worker.call({ type: 'closeSpace', spaceId }).catch(() => {})] : [],
      );
      await Promise.all(closing);
      for (const place of [...sessions.values()]) if (place.spaceId === spaceId) forget(place);
    },

    isOpen(sessionId: string) {
      return sessions.has(sessionId);
    },

    tapSpace(spaceId: string, tap: PacketTap) {
      return taps.tapSpace(spaceId, tap);
    },

    stats() {
      let { forwardedPackets, droppedPackets } = retired;
      for (const slot of slots) {
        forwardedPackets += slot.forwardedPackets;
        droppedPackets += slot.droppedPackets;
      }
      return { sessions: sessions.size, forwardedPackets, droppedPackets };
    },

    async stop() {
      stopped = true;
      publishers.clear();
      taps.clear();
      await Promise.all(
        [...slots].map(async (slot) => {
          const worker = await slot.started?.catch(() => null);
          await worker?.stop();
          slot.worker = null;
        }),
      );
      // Last: remote workers' answers to `stop` come over its connections.
      const fleet = await remoteWorkers?.catch(() => null);
      await fleet?.stop();
      await identities.stop();
      sessions.clear();
      current.clear();
    },

    /** Calls `listener` for each session lost with its worker. Returns a function that removes it. */
    onSessionLost(listener: (lost: LostSession) => void): () => void {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },

    /** Resolves once every local worker runs. */
    async ready(): Promise<void> {
      await Promise.all(slots.filter((slot) => !slot.remote).map(running));
    },

    /** The ids of the remote workers running for this pool. */
    remoteWorkerIds(): string[] {
      return slots.flatMap((slot) => (slot.remote && slot.worker ? [slot.name.slice(7)] : []));
    },

    /** Where a session lives: `local:<index>` or `remote:<worker id>`, if it is open. */
    placeOf(sessionId: string): string | undefined {
      return sessions.get(sessionId)?.slot.name;
    },

    /** The workers' process ids (an operator's view; tests kill them). */
    workerPids(): (number | undefined)[] {
      return slots.map((slot) => slot.worker?.pid);
    },

    /** Which worker holds a session (0-based), if it is open. */
    workerOf(sessionId: string): number | undefined {
      return sessions.get(sessionId)?.slot.index;
    },
  } satisfies Relay & Record<string, unknown>;
  return pool;
}

export type RelayWorkerPool = ReturnType<typeof createRelayWorkerPool>;
