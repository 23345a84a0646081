import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { AppConfig } from '../config.ts';
import { signUpBody, updateUserBody } from './auth-input.ts';

/**
 * Email and password accounts with httpOnly cookie sessions (better-auth), mounted at /api/auth.
 * Sign-up takes a handle besides the display name (`name`) and avatar URL (`image`).
 */
export function createAuth(config: AppConfig, prisma: PrismaClient) {
  return betterAuth({
    appName: 'Amphi',
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    secret: config.auth.secret,
    trustedOrigins: [config.publicUrl],
    database: prismaAdapter(prisma, { provider: 'postgresql' }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    user: {
      additionalFields: { handle: { type: 'string', required: true, input: true } },
    },
    rateLimit: { enabled: config.auth.rateLimit },
    telemetry: { enabled: false },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === '/update-user') {
          return { context: { ...ctx, body: updateUserBody(ctx.body) } };
        }
        if (ctx.path !== '/sign-up/email') return;
        const body = signUpBody(ctx.body);
        const taken = await prisma.user.findUnique({ where: { handle: body.handle } });
        if (taken) {
          throw new APIError('UNPROCESSABLE_ENTITY', {
            code: 'HANDLE_TAKEN',
            message: `@${body.handle} is taken.`,
          });
        }
        return { context: { ...ctx, body } };
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
