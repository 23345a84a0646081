import { randomUUID } from 'node:crypto';
import { Repeater } from 'graphql-yoga';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import { InvalidInput, NotAllowed, NotFound, SpaceNotLive } from '../errors.ts';
import { toGlobalId } from '../ids.ts';
import type { SpaceEventBus } from '../spaces/space-event.ts';
import type { SpaceGate } from '../spaces/space-gate.ts';
import { createGuestCounter, type GuestRelayLimits } from './guest-limits.ts';
import { type Relay, RelayError } from './relay/relay.ts';

type Session = {
  sessionId: string;
  spaceId: string;
  /** The signed-in owner; null for a guest listening without an account. */
  userId: string | null;
  /** The owner's place in the space; null for a guest. */
  participantId: string | null;
  /** Gives a guest's place under the guest limits back. */
  release?: () => void;
};

/** Relay failures as the API's typed errors; anything else is a bug and stays as it is. */
function translateRelayError(error: unknown, sessionId: string): unknown {
  if (!(error instanceof RelayError)) return error;
  if (error.reason === 'BAD_SDP') return InvalidInput.of('sdp', error.message);
  return new NotFound('RelaySession', sessionId);
}

/** How long after following a space's events a missed one is still thought possible. */
const SUBSCRIPTION_SETTLE_MS = 1_000;

const relayId = (participantId: string) => toGlobalId('Participant', participantId);

/**
 * Who gets a relay connection and whose audio it forwards. Everyone in a live space may listen
 * through the relay; only people on stage and unmuted are heard, and that follows every role
 * change, mute, removal or block the moment its event arrives, whichever instance made it.
 */
export function createRelaySessions(
  prisma: PrismaClient,
  relay: Relay,
  events: SpaceEventBus,
  /**
   * Guests only ever hear the relay: in a mesh space its speakers must publish there too (the
   * space itself stays a mesh unless that outgrows the mesh policy).
   */
  admitRelayAudience: (spaceId: string) => Promise<void>,
  /** Who may receive the space's audio at all (tickets); guests are asked as `null`. */
  gate: SpaceGate,
  /** Guests hold UDP ports without an account: how many sessions they may have. */
  guestLimits: GuestRelayLimits,
) {
  const sessions = new Map<string, Session>();
  const guests = createGuestCounter(guestLimits);
  /** Clients waiting to hear that their session was lost, by session. */
  const lossWatchers = new Map<string, Set<() => void>>();
  const stopHearingLosses = relay.onSessionLost(({ sessionId }) => {
    const watchers = lossWatchers.get(sessionId);
    lossWatchers.delete(sessionId);
    for (const tell of watchers ?? []) tell();
  });

  function drop(id: string, session: Session) {
    sessions.delete(id);
    session.release?.();
  }
  /**
   * Spaces whose events are followed; `synced` once the relay holds their publishers, after which
   * each event that changes them brings them up to date (no need to read them per session).
   */
  const watched = new Map<
    string,
    {
      stop(): void;
      synced: boolean;
      /** Reads started before then may have missed an event: they do not make it synced. */
      trustedFrom: number;
      reads: number;
      applied: number;
    }
  >();

  /** Whether `sessionId` is an open relay session of this caller (null: a guest). */
  function holds(userId: string | null, sessionId: string) {
    const session = sessions.get(sessionId);
    return session !== undefined && session.userId === userId && relay.isOpen(sessionId);
  }

  async function syncPublishers(spaceId: string) {
    const following = watched.get(spaceId);
    const read = following ? ++following.reads : 0;
    const trusted = following !== undefined && performance.now() >= following.trustedFrom;
    let heard: { id: string }[];
    try {
      heard = await prisma.participant.findMany({
        where: { spaceId, leftAt: null, role: { not: 'LISTENER' }, muted: false },
        select: { id: true },
      });
    } catch (error) {
      if (following) following.synced = false;
      throw error;
    }
    // An earlier read answered after a later one would bring back who that one left out.
    if (following && read < following.applied) return;
    relay.setPublishers(spaceId, new Set(heard.map((p) => relayId(p.id))));
    if (following) {
      following.applied = read;
      following.synced = trusted;
    }
  }

  /** Brings the relay's publishers of a followed space up to date, unless events already do. */
  async function publishersKnown(spaceId: string) {
    if (!watched.get(spaceId)?.synced) await syncPublishers(spaceId);
  }

  function forget(spaceId: string, participantId?: string) {
    for (const [id, session] of sessions) {
      if (
        session.spaceId === spaceId &&
        (!participantId || session.participantId === participantId)
      ) {
        drop(id, session);
      }
    }
    unwatchIfIdle(spaceId);
  }

  function unwatchIfIdle(spaceId: string) {
    if (![...sessions.values()].some((session) => session.spaceId === spaceId)) {
      watched.get(spaceId)?.stop();
      watched.delete(spaceId);
    }
  }

  /** Drops sessions the relay closed on its own (failed, timed out): guests never leave. */
  function prune() {
    const spaces = new Set<string>();
    for (const [id, session] of sessions) {
      if (!relay.isOpen(id)) {
        drop(id, session);
        spaces.add(session.spaceId);
      }
    }
    for (const spaceId of spaces) unwatchIfIdle(spaceId);
  }

  function watch(spaceId: string) {
    if (watched.has(spaceId)) return;
    const iterator = events.subscribe(spaceId)[Symbol.asyncIterator]();
    watched.set(spaceId, {
      stop: () => void iterator.return?.(),
      synced: false,
      // The bus may take a round trip (Redis) before it delivers the space's events.
      trustedFrom: performance.now() + SUBSCRIPTION_SETTLE_MS,
      reads: 0,
      applied: 0,
    });
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const event = next.value;
        try {
          if (event.kind === 'SpaceStateChanged' && event.state !== 'LIVE') {
            await relay.closeSpace(spaceId);
            forget(spaceId);
            return;
          }
          const left =
            event.kind === 'ParticipantLeft'
              ? [event.participantId]
              : event.kind === 'ListenersChanged'
                ? event.left.map((participant) => participant.id)
                : [];
          for (const participantId of left) {
            await relay.close(spaceId, relayId(participantId));
            forget(spaceId, participantId);
          }
          if (left.length > 0 || event.kind === 'RoleChanged' || event.kind === 'MuteChanged') {
            await syncPublishers(spaceId);
          }
        } catch (error) {
          // One failed update (a database hiccup) must not end enforcement for the space.
          console.error('relay enforcement: could not apply', event.kind, error);
        }
      }
    })().catch((error: unknown) => console.error('relay enforcement stopped', error));
  }

  /** The caller's place in the live space and how its audio travels; NotAllowed if not in it. */
  async function placeOf(userId: string, spaceId: string) {
    const participant = await prisma.participant.findFirst({
      where: { spaceId, userId, leftAt: null, space: { state: 'LIVE' } },
      select: { id: true, space: { select: { mediaMode: true } } },
    });
    if (!participant) {
      throw new NotAllowed('connect to the relay without being in the live space');
    }
    return { participantId: participant.id, mediaMode: participant.space.mediaMode };
  }

  async function openAt(userId: string, spaceId: string, participantId: string) {
    await gate(prisma, { id: spaceId }, userId);
    const { sessionId, offer } = await relay.open(spaceId, relayId(participantId));
    prune();
    forget(spaceId, participantId);
    sessions.set(sessionId, { sessionId, userId, spaceId, participantId });
    watch(spaceId);
    await publishersKnown(spaceId);
    return { sessionId, offer };
  }

  return {
    /** Opens the caller's relay connection; the offer's audio slots carry the stage. */
    async open(userId: string, spaceId: string) {
      const { participantId } = await placeOf(userId, spaceId);
      return openAt(userId, spaceId, participantId);
    },

    /**
     * Opens the caller's relay connection as `open` does if the space's audio goes through the
     * relay now; null in a mesh (the client opens one if the space moves to the relay), and null
     * while the caller holds an open one here: a new session would close it, and joining again
     * (as a client does after its socket reconnects) must not cut audio that still flows.
     */
    async openIfRelayed(userId: string, spaceId: string) {
      const { participantId, mediaMode } = await placeOf(userId, spaceId);
      if (mediaMode !== 'RELAY') return null;
      for (const session of sessions.values()) {
        if (session.participantId === participantId && relay.isOpen(session.sessionId)) return null;
      }
      return openAt(userId, spaceId, participantId);
    },

    /**
     * Opens a relay connection for someone listening to a public space without an account.
     * Guests are never heard and never counted as participants; each address, and all guests
     * together, may hold only so many sessions (GuestRelayLimitReached).
     */
    async openForGuest(spaceId: string, clientIp: string) {
      prune();
      const release = guests.reserve(clientIp);
      let held = false;
      try {
        const space = await prisma.space.findUnique({ where: { id: spaceId } });
        if (!space) throw new NotFound('Space', spaceId);
        if (space.state !== 'LIVE') throw new SpaceNotLive(space.state);
        await gate(prisma, space, null);
        // Only the first guest of a mesh takes the space's lock; a crowd of guests arriving at a
        // relay space must not queue up on it.
        if (space.mediaMode === 'MESH' && !space.relayAudience) await admitRelayAudience(spaceId);
        const { sessionId, offer } = await relay.open(spaceId, `Guest:${randomUUID()}`);
        prune();
        sessions.set(sessionId, { sessionId, userId: null, spaceId, participantId: null, release });
        held = true;
        watch(spaceId);
        await publishersKnown(spaceId);
        return { sessionId, offer };
      } catch (error) {
        // Once stored, the session holds its place until it is dropped.
        if (!held) release();
        throw error;
      }
    },

    holds,

    /**
     * Yields once if the relay loses the caller's session without the client's doing (its relay
     * worker stopped), so the client opens another at once instead of waiting for ICE to give up.
     */
    watchLoss(userId: string | null, sessionId: string): AsyncIterable<{ sessionId: string }> {
      if (!holds(userId, sessionId)) throw new NotFound('RelaySession', sessionId);
      return new Repeater<{ sessionId: string }>(async (push, stop) => {
        const tell = () => {
          void push({ sessionId });
          stop();
        };
        let watchers = lossWatchers.get(sessionId);
        if (!watchers) {
          watchers = new Set();
          lossWatchers.set(sessionId, watchers);
        }
        watchers.add(tell);
        await stop;
        watchers.delete(tell);
        if (watchers.size === 0 && lossWatchers.get(sessionId) === watchers) {
          lossWatchers.delete(sessionId);
        }
      });
    },

    async answer(userId: string | null, sessionId: string, sdp: string) {
      const session = sessions.get(sessionId);
      if (!session || session.userId !== userId) throw new NotFound('RelaySession', sessionId);
      try {
        await relay.answer(sessionId, sdp);
      } catch (error) {
        throw translateRelayError(error, sessionId);
      }
      return session;
    },

    /** Who holds an open relay connection on this instance (guests aside), for presence. */
    connected() {
      prune();
      return [...sessions.values()].flatMap(({ spaceId, userId }) =>
        userId ? [{ spaceId, userId }] : [],
      );
    },

    sessionCount: () => sessions.size,
    guestSessionCount: () => guests.count(),

    /** Stops following spaces' events; the relay itself is stopped by its owner. */
    stop() {
      stopHearingLosses();
      for (const watcher of watched.values()) watcher.stop();
      watched.clear();
      for (const [id, session] of sessions) drop(id, session);
    },
  };
}

export type RelaySessions = ReturnType<typeof createRelaySessions>;
