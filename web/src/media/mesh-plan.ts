import type { MediaMode, Role, RosterEntry } from './types.ts';

/** One direct connection this participant should hold in a mesh. */
export type MeshLink = {
  participantId: string;
  /** This side creates the offer. */
  initiator: boolean;
  /** This side sends its microphone on the link (it is on stage). */
  send: boolean;
  /** The other side sends on the link (they are on stage). */
  receive: boolean;
};

export function isOnStage(role: Role): boolean {
  return role !== 'LISTENER';
}

/**
 * The direct connections `selfId` should hold: only people on stage send audio, so a speaker
 * connects to everyone else and two listeners never connect. Empty outside MESH mode or when
 * self is not in the roster.
 *
 * The smaller participantId (string order) initiates, for every pair: on-stage pairs as the media
 * model requires, and speaker–listener pairs too, so the initiator never changes when someone is
 * invited to or leaves the stage and a role change is a renegotiation, never a new connection.
 */
export function planMeshConnections(
  mode: MediaMode,
  roster: readonly RosterEntry[],
  selfId: string,
): MeshLink[] {
  if (mode !== 'MESH') return [];
  const self = roster.find((entry) => entry.participantId === selfId);
  if (!self) return [];
  const selfOnStage = isOnStage(self.role);
  const links = new Map<string, MeshLink>();
  for (const other of roster) {
    if (other.participantId === selfId || links.has(other.participantId)) continue;
    const otherOnStage = isOnStage(other.role);
    if (!selfOnStage && !otherOnStage) continue;
    links.set(other.participantId, {
      participantId: other.participantId,
      initiator: selfId < other.participantId,
      send: selfOnStage,
      receive: otherOnStage,
    });
  }
  return [...links.values()].sort((a, b) => (a.participantId < b.participantId ? -1 : 1));
}

/**
 * Whether `selfId` must send its microphone to the relay while the space is a mesh: when on
 * stage and someone (a guest) listens through the relay, alongside every mesh link. In RELAY mode
 * everyone holds a relay connection anyway.
 */
export function publishesToRelay(
  mode: MediaMode,
  relayAudience: boolean,
  roster: readonly RosterEntry[],
  selfId: string,
): boolean {
  if (mode !== 'MESH' || !relayAudience) return false;
  const self = roster.find((entry) => entry.participantId === selfId);
  return self !== undefined && isOnStage(self.role);
}
