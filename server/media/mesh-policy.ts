export type MediaMode = 'MESH' | 'RELAY';

export type MeshPolicy = {
  /** The largest space that stays a browser mesh. @default 6 */
  maxMeshParticipants: number;
  /**
   * Audio streams one browser may send in a mesh: a speaker uploads one stream per other
   * participant (about 40 kbit/s each with Opus), plus one to the relay when guests listen there.
   * @default 8
   */
  maxUplinkStreams: number;
};

export const defaultMeshPolicy: MeshPolicy = { maxMeshParticipants: 6, maxUplinkStreams: 8 };

/** Who is in a space, as the mode decision sees it. */
export type SpaceAudience = {
  /** Signed-in participants present (guests are never participants). */
  participants: number;
  /** Participants on stage. */
  speakers: number;
  /**
   * Someone listens through the relay (a guest): speakers of a mesh also publish one stream to
   * the relay.
   */
  relayAudience: boolean;
};

/**
 * Mesh while the space is small and no speaker's uplink is overloaded; relay otherwise. Guests do
 * not count as participants: they listen through the relay alongside a mesh, at the cost of one
 * more uplink stream per speaker. A space never goes back: once people hear each other through
 * the relay, a downgrade would only risk a gap for no gain.
 */
export function chooseMediaMode(
  current: MediaMode,
  space: SpaceAudience,
  policy: MeshPolicy,
): MediaMode {
  if (current === 'RELAY') return 'RELAY';
  const meshStreams = space.speakers > 0 ? space.participants - 1 : 0;
  const relayStreams = space.speakers > 0 && space.relayAudience ? 1 : 0;
  const fits =
    space.participants <= policy.maxMeshParticipants &&
    meshStreams + relayStreams <= policy.maxUplinkStreams;
  return fits ? 'MESH' : 'RELAY';
}
