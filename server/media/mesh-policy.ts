export type MediaMode = 'MESH' | 'RELAY';

export type MeshPolicy = {
  /** The largest space that stays a browser mesh. @default 6 */
  maxMeshParticipants: number;
  /**
   * Audio streams one browser may send in a mesh: a speaker uploads one stream per other
   * participant (about 40 kbit/s each with Opus). @default 8
   */
  maxUplinkStreams: number;
};

export const defaultMeshPolicy: MeshPolicy = { maxMeshParticipants: 6, maxUplinkStreams: 8 };

/**
 * Mesh while the space is small and no speaker's uplink is overloaded; relay otherwise. A space
 * never goes back: once people hear each other through the relay, a downgrade would only risk
 * a gap for no gain.
 */
export function chooseMediaMode(
  current: MediaMode,
  space: { participants: number; speakers: number },
  policy: MeshPolicy,
): MediaMode {
  if (current === 'RELAY') return 'RELAY';
  const uplinkStreams = space.speakers > 0 ? space.participants - 1 : 0;
  const fits =
    space.participants <= policy.maxMeshParticipants && uplinkStreams <= policy.maxUplinkStreams;
  return fits ? 'MESH' : 'RELAY';
}
