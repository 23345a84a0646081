import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Tx } from './space-transaction.ts';

/**
 * Who may enter a space beyond the usual rules (blocks, removals). Features that restrict entry
 * (tickets) provide one; joining, signalling and the relay all ask the same gate, so the API and
 * the media layer cannot disagree. Throws a typed error to refuse; `userId` null is a guest.
 */
export type SpaceGate = (
  db: Tx | PrismaClient,
  /** `hostId` when the caller has it at hand; a gate that needs it reads it otherwise. */
  space: { id: string; hostId?: string | undefined },
  userId: string | null,
) => Promise<void>;

export const openGate: SpaceGate = async () => {};
