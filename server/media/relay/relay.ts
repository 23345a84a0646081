import { randomUUID } from 'node:crypto';
import { useNativeX25519 } from './dtls-key-exchange.ts';
import type { ForwardedRtp } from './forwarded-rtp.ts';
import { hostAddress } from './host-address.ts';
import { withSlots } from './offer-slots.ts';
import { useNativeP256 } from './p256-key-exchange.ts';
import { createPipeMember } from './pipe-member.ts';
import { RelayError } from './relay-error.ts';
import type { PacketTap, Relay, RelayConfig } from './relay-types.ts';
import { createSession, type Session } from './session.ts';
import { createSpace, type PacketCounters, type PipedRoute, type Space } from './space.ts';
import { createUdpMux, type UdpMux, type UdpMuxStats } from './udp-mux.ts';

export { RelayError, type RelayErrorReason } from './relay-error.ts';
export type { RelayMessage, SlotAnnouncement } from './relay-messages.ts';
export type { PacketTap, Relay, RelayConfig, RelayStats } from './relay-types.ts';

/** What a relay tells the process that runs it (a relay worker), beyond the Relay interface. */
export type RelayHooks = {
  /** A session closed, whoever closed it (its owner, a failure, a timeout, a replacement). */
  onSessionClosed?(sessionId: string): void;
  /** Every publisher packet forwarded in a space, with its RFC 6464 level payload if it had one. */
  onForward?(
    spaceId: string,
    participantId: string,
    packet: ForwardedRtp,
    levelPayload: Buffer | undefined,
  ): void;
};

/** A relay that also takes publishers' packets piped from another relay holding the same space. */
export type PipedRelay = Relay & {
  /**
   * Forwards a packet another relay received from `participantId`, as if it were a local
   * publisher, to this relay's members of the space. Ignored where the space has no members here,
   * or where the participant has a real session here. Returns what the addon needs to forward
   * the participant's next piped packets itself, where it may (space.ts `routeFor`).
   */
  receivePiped(
    spaceId: string,
    participantId: string,
    packet: ForwardedRtp,
    /** The publisher's RFC 6464 audio level extension payload, if it sent one. */
    levelPayload: Buffer | undefined,
  ): PipedRoute | undefined;
  /** The shared UDP socket's port and routing counters, once it is bound. */
  udpStats(): (UdpMuxStats & { port: number }) | undefined;
  /** Resolves with the shared UDP port once bound; rejects if it cannot be (e.g. taken). */
  bound(): Promise<number>;
};

const DEFAULT_SLOTS = 13;

/**
 * Creates an audio relay (SFU). Each participant has one session (relay-peer.ts: ICE-lite,
 * DTLS-SRTP and a data channel on the relay's one UDP socket); only the space's publishers are
 * forwarded, each on a stable slot announced over the `amphi` data channel.
 */
export function createRelay(config: RelayConfig = {}, hooks: RelayHooks = {}): PipedRelay {
  const slots = config.slots ?? DEFAULT_SLOTS;
  if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`Invalid slot count ${slots}.`);
  useNativeX25519();
  useNativeP256();
  const address = hostAddress();
  const binding = createUdpMux(config.port ?? 0);
  // Bind failures surface in open(); stop() must not raise them again.
  let mux: UdpMux | undefined;
  binding.then(
    (bound) => {
      mux = bound;
    },
    () => {},
  );
  const counters: PacketCounters = { forwardedPackets: 0, droppedPackets: 0 };
  const sessions = new Map<string, Session>();
  const spaces = new Map<string, Space<Session>>();
  const publishers = new Map<string, ReadonlySet<string>>();
  const taps = new Map<string, Set<PacketTap>>();
  const pipeMembers = new WeakSet<Session>();
  let stopped = false;

  function spaceOf(spaceId: string): Space<Session> {
    let space = spaces.get(spaceId);
    if (!space) {
      space = createSpace<Session>({
        slots,
        counters,
        isPublisher: (participantId) => publishers.get(spaceId)?.has(participantId) ?? false,
        onForward: (participantId, packet, levelPayload) => {
          for (const tap of taps.get(spaceId) ?? []) {
            tap(participantId, packet.payload, packet.header.timestamp);
          }
          hooks.onForward?.(spaceId, participantId, packet, levelPayload);
        },
      });
      spaces.set(spaceId, space);
    }
    return space;
  }

  /** Unregisters a session at once (no more packets reach it), then closes its connection. */
  function closeSession(session: Session): Promise<void> {
    if (sessions.delete(session.id)) hooks.onSessionClosed?.(session.id);
    const space = spaces.get(session.spaceId);
    if (space) {
      space.leave(session);
      if (space.isEmpty) spaces.delete(session.spaceId);
    }
    return session.close();
  }

  function startSession(spaceId: string, participantId: string): Session {
    if (!address) throw new Error('ICE gathering found no usable address or port.');
    const space = spaceOf(spaceId);
    const session: Session = createSession({
      id: randomUUID(),
      spaceId,
      participantId,
      slots,
      announcedIp: config.announcedIp,
      mux: binding,
      address,
      onRtp: (packet, levelPayload) => space.receive(session, packet, levelPayload),
      onChannelOpen: () => space.announceTo(session),
      onSlotsChanged: () => space.announceTo(session),
      onFailed: () => void closeSession(session),
    });
    sessions.set(session.id, session);
    space.join(session);
    return session;
  }

  function assertRunning(): void {
    if (stopped) throw new RelayError('CLOSED', 'The relay has stopped.');
  }

  return {
    async open(spaceId, participantId) {
      assertRunning();
      const previous = spaces.get(spaceId)?.member(participantId);
      const session = startSession(spaceId, participantId);
      if (previous) await closeSession(previous);
      try {
        const onStage = publishers.get(spaceId)?.size ?? 0;
        const offer = await session.offer(spaceOf(spaceId).seatsInUse(onStage));
        const slots = spaces.get(spaceId)?.slotsMessage(session);
        return { sessionId: session.id, offer: slots ? withSlots(offer, slots) : offer };
      } catch (error) {
        await closeSession(session);
        throw error;
      }
    },

    async answer(sessionId, sdp) {
      assertRunning();
      const session = sessions.get(sessionId);
      if (!session) throw new RelayError('UNKNOWN_SESSION', `No session ${sessionId}.`);
      await session.answer(sdp);
    },

    setPublishers(spaceId, participantIds) {
      if (stopped) return;
      const allowed = new Set(participantIds);
      if (allowed.size === 0) publishers.delete(spaceId);
      else publishers.set(spaceId, allowed);
      spaces.get(spaceId)?.restrictTo(allowed);
    },

    async close(spaceId, participantId) {
      const session = spaces.get(spaceId)?.member(participantId);
      if (session) await closeSession(session);
    },

    async closeSpace(spaceId) {
      publishers.delete(spaceId);
      const members = spaces.get(spaceId)?.members() ?? [];
      await Promise.all(members.map(closeSession));
    },

    receivePiped(spaceId, participantId, packet, levelPayload) {
      const space = spaces.get(spaceId);
      if (stopped || !space) return;
      let member = space.member(participantId);
      if (!member) {
        member = createPipeMember(spaceId, participantId);
        pipeMembers.add(member);
        space.join(member);
      }
      if (!pipeMembers.has(member)) return;
      space.receive(member, packet, levelPayload);
      // A tap sees every packet: none may pass it by.
      return taps.has(spaceId) ? undefined : space.routeFor(member);
    },

    isOpen(sessionId) {
      return sessions.has(sessionId);
    },

    // This relay lives and dies with the API process: its clients see that happen.
    onSessionLost: () => () => undefined,

    tapSpace(spaceId, tap) {
      let spaceTaps = taps.get(spaceId);
      if (!spaceTaps) {
        spaceTaps = new Set();
        taps.set(spaceId, spaceTaps);
      }
      spaceTaps.add(tap);
      spaces.get(spaceId)?.invalidate();
      return () => {
        spaceTaps.delete(tap);
        if (spaceTaps.size === 0 && taps.get(spaceId) === spaceTaps) taps.delete(spaceId);
      };
    },

    stats() {
      for (const space of spaces.values()) space.countForwarded();
      return { sessions: sessions.size, ...counters };
    },

    bound() {
      return binding.then((bound) => bound.port);
    },

    udpStats() {
      return mux && { port: mux.port, ...mux.stats() };
    },

    async stop() {
      stopped = true;
      publishers.clear();
      taps.clear();
      await Promise.all([...sessions.values()].map(closeSession));
      await binding.then((bound) => bound.close()).catch(() => {});
    },
  };
}
