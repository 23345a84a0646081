import type {
  MediaMode,
  ParticipantRole,
  SpaceState,
} from '../../prisma/generated/client/client.ts';
import type { Listenable } from '../graphql/event-stream.ts';

/**
 * A participant as it stood when an event about it was committed: its own columns and its user's
 * public ones, JSON-safe (dates as ISO strings) so it crosses instances through Redis. It lets
 * subscribers see what changed without a read per event.
 */
export type ParticipantSnapshot = {
  id: string;
  spaceId: string;
  userId: string;
  role: ParticipantRole;
  muted: boolean;
  handRaisedAt: string | null;
  invitedAt: string | null;
  invitedAs: ParticipantRole | null;
  joinedAt: string;
  roleChangedAt: string;
  leftAt: string | null;
  removedAt: string | null;
  user: { id: string; handle: string; name: string; image: string | null; createdAt: string };
};

/**
 * Set once the space's changes are known to have committed; absent on an event as a rule emits it.
 */
type AboutParticipant = { participantId: string; participant?: ParticipantSnapshot };

/**
 * What happened in a space, as published to its subscribers. Events are JSON-safe so they can
 * cross instances through Redis. Events that change the room's state carry a per-space
 * `sequence` (1, 2, 3…) so a subscriber that misses one can tell and re-read the room.
 */
export type SpaceEvent = (
  | ({ kind: 'ParticipantJoined'; spaceId: string; at: string } & AboutParticipant)
  | ({
      kind: 'ParticipantLeft';
      spaceId: string;
      removed: boolean;
      at: string;
    } & AboutParticipant)
  | ({
      kind: 'RoleChanged';
      spaceId: string;
      role: ParticipantRole;
      previousRole: ParticipantRole;
      at: string;
    } & AboutParticipant)
  | ({
      kind: 'HandRaised' | 'HandLowered' | 'SpeakerInvited' | 'CoHostInvited';
      spaceId: string;
      at: string;
    } & AboutParticipant)
  | ({
      kind: 'InvitationDeclined';
      spaceId: string;
      /** The role the declined invitation offered. */
      invitedAs: ParticipantRole;
      at: string;
    } & AboutParticipant)
  | ({ kind: 'MuteChanged'; spaceId: string; muted: boolean; at: string } & AboutParticipant)
  /**
   * Listeners who came or went of their own accord, gathered (see listener-changes.ts); each as
   * they stood after their last change.
   */
  | {
      kind: 'ListenersChanged';
      spaceId: string;
      joined: ParticipantSnapshot[];
      left: ParticipantSnapshot[];
      at: string;
    }
  | { kind: 'ReactionsSent'; spaceId: string; reactions: ReactionCount[]; at: string }
  /** Coalesced: at most one a second per space, whatever the crowd does. */
  | { kind: 'ParticipantCountChanged'; spaceId: string; participantCount: number; at: string }
  | { kind: 'SpaceStateChanged'; spaceId: string; state: SpaceState; at: string }
  | { kind: 'MediaModeChanged'; spaceId: string; mode: MediaMode; at: string }
  | { kind: 'RelayAudienceChanged'; spaceId: string; relayAudience: boolean; at: string }
  | { kind: 'CaptionsChanged'; spaceId: string; on: boolean; at: string }
  | { kind: 'RecordingStarted'; spaceId: string; at: string }
  | {
      kind: 'CaptionSegment';
      spaceId: string;
      participantId: string;
      text: string;
      /** Ms since the space started. */
      startMs: number;
      endMs: number;
      final: boolean;
      /** The engine runs behind this speaker: late, or words dropped to catch up. */
      degraded: boolean;
      at: string;
    }
) & { sequence?: number };

export type ReactionCount = { participantId: string; emoji: string; count: number };

export type SpaceEventKind = SpaceEvent['kind'];

/**
 * Events that say nothing about the room's state (who is in it, in which role, muted or not) and
 * take no sequence number: missing one costs a client nothing, and captions reach only those
 * who may hear them, so numbering them would show everyone else gaps.
 */
const unsequenced = new Set<SpaceEventKind>([
  'ReactionsSent',
  'CaptionSegment',
  'ParticipantCountChanged',
]);

export const isSequenced = (event: SpaceEvent) => !unsequenced.has(event.kind);

export type SpaceEventOf<Kind extends SpaceEventKind> = Extract<SpaceEvent, { kind: Kind }>;

const participantKinds = new Set<SpaceEventKind>([
  'ParticipantJoined',
  'ParticipantLeft',
  'RoleChanged',
  'HandRaised',
  'HandLowered',
  'SpeakerInvited',
  'CoHostInvited',
  'InvitationDeclined',
  'MuteChanged',
]);

/** An event about one participant's place in the space, which carries its snapshot. */
export type ParticipantEvent = SpaceEventOf<
  | 'ParticipantJoined'
  | 'ParticipantLeft'
  | 'RoleChanged'
  | 'HandRaised'
  | 'HandLowered'
  | 'SpeakerInvited'
  | 'CoHostInvited'
  | 'InvitationDeclined'
  | 'MuteChanged'
>;

export const isParticipantEvent = (event: SpaceEvent): event is ParticipantEvent =>
  participantKinds.has(event.kind);

/** Delivers events to a space's subscribers, on this instance or, with Redis, on all. */
export type SpaceEventBus = {
  publish(event: SpaceEvent): void;
  subscribe(spaceId: string): Listenable<SpaceEvent>;
};
