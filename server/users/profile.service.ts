import { z } from 'zod';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import { parseInput } from '../validation.ts';
import { avatarUrlSchema, displayNameSchema } from './handle.ts';

const profileSchema = z.object({
  displayName: displayNameSchema.optional(),
  avatarUrl: avatarUrlSchema.nullable().optional(),
});

/** The parts of a profile a user edits; the handle stays as signed up. */
export function createProfileService(prisma: PrismaClient) {
  return {
    update(userId: string, input: { displayName?: string | null; avatarUrl?: string | null }) {
      const { displayName, avatarUrl } = parseInput(profileSchema, {
        displayName: input.displayName ?? undefined,
        avatarUrl: input.avatarUrl === '' ? null : input.avatarUrl,
      });
      return prisma.user.update({
        where: { id: userId },
        data: {
          ...(displayName !== undefined ? { name: displayName } : {}),
          ...(avatarUrl !== undefined ? { image: avatarUrl } : {}),
        },
      });
    },
  };
}
