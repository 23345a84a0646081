import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { NotFound } from '../errors.ts';
import { visibleText } from '../text/visible-text.ts';
import { parseInput } from '../validation.ts';

const TOKEN_PREFIX = 'amphi_';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const tokenNameSchema = z.object({ name: visibleText(60) });

/** `lastUsedAt` is kept to the minute, so a busy token costs no write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Personal API tokens: third-party clients send them as `Authorization: Bearer amphi_…`. */
export function createApiTokenService(prisma: PrismaClient, clock: Clock) {
  return {
    /** Creates a token; its secret is returned once and only its hash is kept. */
    async create(userId: string, name: string) {
      const { name: validName } = parseInput(tokenNameSchema, { name });
      const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const token = await prisma.apiToken.create({
        data: { userId, name: validName, tokenHash: hashToken(secret) },
      });
      return { token, secret };
    },

    list(userId: string) {
      return prisma.apiToken.findMany({
        where: { userId, revokedAt: null },
        orderBy: { createdAt: 'desc' },
      });
    },

    async revoke(userId: string, tokenId: string) {
      const { count } = await prisma.apiToken.updateMany({
        where: { id: tokenId, userId, revokedAt: null },
        data: { revokedAt: clock.now() },
      });
      if (count === 0) throw new NotFound('ApiToken', tokenId);
      return prisma.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
    },

    /** The user a presented token belongs to, or null for unknown and revoked tokens. */
    async authenticate(secret: string): Promise<string | null> {
      if (!secret.startsWith(TOKEN_PREFIX)) return null;
      const token = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(secret) } });
      if (!token || token.revokedAt) return null;
      const now = clock.now();
      const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
      if (token.lastUsedAt && token.lastUsedAt >= staleBefore) return token.userId;
      // Conditional, so concurrent requests that all read the stale value still write once.
      await prisma.apiToken.updateMany({
        where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
        data: { lastUsedAt: now },
      });
      return token.userId;
    },
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
