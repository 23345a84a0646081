import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { type IceServer, type TurnConfig, turnCredential } from './turn-credentials.ts';

const isStunOnly = (server: IceServer) =>
  [server.urls].flat().every((url) => url.startsWith('stun:') || url.startsWith('stuns:'));

/**
 * Which ICE servers a client is told about. STUN costs nothing and stays public; TURN relays
 * traffic through someone's bandwidth, so its credentials go only to clients holding a media
 * session (a participant of a live space, or a guest with a relay session), and expire.
 */
export function createIceServers(
  prisma: PrismaClient,
  clock: Clock,
  config: { iceServers: IceServer[]; turn: TurnConfig | null },
) {
  const forSession = (label: string): IceServer[] => [
    ...config.iceServers,
    ...(config.turn ? [turnCredential(config.turn, label, clock.now())] : []),
  ];

  return {
    /** What anyone may know: the configured STUN-only servers. */
    public: (): IceServer[] => config.iceServers.filter(isStunOnly),

    /** Everything, TURN with fresh credentials, for the holder of a media session. */
    forSession,

    /** Everything for a present participant of a live space; the public list for anyone else. */
    async forParticipant(userId: string | null, spaceId: string | null): Promise<IceServer[]> {
      if (!userId || !spaceId) return this.public();
      const participant = await prisma.participant.findUnique({
        where: { spaceId_userId: { spaceId, userId } },
        select: { id: true, leftAt: true, space: { select: { state: true } } },
      });
      const holds = participant && !participant.leftAt && participant.space.state === 'LIVE';
      return holds ? forSession(participant.id) : this.public();
    },
  };
}

export type IceServers = ReturnType<typeof createIceServers>;
