import type {
  MediaMode,
  ParticipantRole,
  SpaceState,
} from '../../prisma/generated/client/client.ts';

/**
 * What happened in a space, as published to its subscribers. Events are small (ids, not
 * records) and JSON-safe so they can cross instances through Redis; subscribers re-read what
 * they selected.
 */
export type SpaceEvent =
  | { kind: 'ParticipantJoined'; spaceId: string; participantId: string; at: string }
  | {
      kind: 'ParticipantLeft';
      spaceId: string;
      participantId: string;
      removed: boolean;
      at: string;
    }
  | {
      kind: 'RoleChanged';
      spaceId: string;
      participantId: string;
      role: ParticipantRole;
      previousRole: ParticipantRole;
      at: string;
    }
  | {
      kind: 'HandRaised' | 'HandLowered' | 'SpeakerInvited' | 'CoHostInvited';
      spaceId: string;
      participantId: string;
      at: string;
    }
  | {
      kind: 'InvitationDeclined';
      spaceId: string;
      participantId: string;
      /** The role the declined invitation offered. */
      invitedAs: ParticipantRole;
      at: string;
    }
  | { kind: 'MuteChanged'; spaceId: string; participantId: string; muted: boolean; at: string }
  | { kind: 'ReactionsSent'; spaceId: string; reactions: ReactionCount[]; at: string }
  | { kind: 'SpaceStateChanged'; spaceId: string; state: SpaceState; at: string }
  | { kind: 'MediaModeChanged'; spaceId: string; mode: MediaMode; at: string }
  | { kind: 'RelayAudienceChanged'; spaceId: string; relayAudience: boolean; at: string }
  | { kind: 'CaptionsChanged'; spaceId: string; on: boolean; at: string }
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
    };

export type ReactionCount = { participantId: string; emoji: string; count: number };

export type SpaceEventKind = SpaceEvent['kind'];

export type SpaceEventOf<Kind extends SpaceEventKind> = Extract<SpaceEvent, { kind: Kind }>;

/** Delivers events to a space's subscribers, on this instance or, with Redis, on all. */
export type SpaceEventBus = {
  publish(event: SpaceEvent): void;
  subscribe(spaceId: string): AsyncIterable<SpaceEvent>;
};
