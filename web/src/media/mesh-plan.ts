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
 * The UUID in a participant id, which sorts in the order places were taken (UUIDv7). The API's
 * ids are Relay global IDs, base64 of `Participant:<uuid>`, and base64's alphabet does not sort
 * as the bytes it encodes; an id that is not one compares as it is.
 */
function placeKey(participantId: string): string {
  try {
    const decoded = atob(participantId);
    const colon = decoded.indexOf(':');
    if (colon > 0) return decoded.slice(colon + 1);
  } catch {
    // Not base64: a plain id.
  }
  return participantId;
}

/**
 * Whether `selfId` makes the offer on its link with `otherId`: the newer place in the space does.
 * A joiner thus offers to everyone already there, and can send those offers with its join; and
 * as places never change, neither does the offerer when someone goes on or off stage.
 */
export function offersTo(selfId: string, otherId: string): boolean {
  return placeKey(selfId) > placeKey(otherId);
}

/**
 * The direct connections `selfId` should hold: only people on stage send audio, so a speaker
 * connects to everyone else and two listeners never connect. Empty outside MESH mode or when
 * self is not in the roster.
 *
 * The newer place initiates (`offersTo`), for every pair: on-stage pairs as the media model
 * requires, and speaker–listener pairs too, so the initiator never changes when someone is
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
      initiator: offersTo(selfId, other.participantId),
      send: selfOnStage,
      receive: otherOnStage,
    });
  }
  return [...links.values()].sort((a, b) => (a.participantId < b.participantId ? -1 : 1));
}

/**
 * The link `selfId` holds with `participantId`, whom the roster does not list yet, once their
 * offer arrives: on stage in a mesh, we answer at once (the event saying they joined is on its
 * way). The server lets only participants of the space signal, and their audio is not played
 * before the roster lists them on stage. Null when we wait for the roster instead.
 */
export function linkToUnlisted(
  mode: MediaMode | null,
  roster: readonly RosterEntry[],
  selfId: string,
  participantId: string,
): MeshLink | null {
  if (mode !== 'MESH' || participantId === selfId) return null;
  const self = roster.find((entry) => entry.participantId === selfId);
  if (!self || !isOnStage(self.role)) return null;
  return { participantId, initiator: offersTo(selfId, participantId), send: true, receive: false };
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
