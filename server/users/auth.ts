import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { AppConfig } from '../config.ts';
import { avatarUrlSchema, displayNameSchema, handleSchema } from './handle.ts';

const signUpSchema = z.object({
  handle: handleSchema,
  name: displayNameSchema,
  image: avatarUrlSchema.optional(),
});

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
    // Callback and redirect URLs must point at these. Which pages may call the routes at all is
    // decided before better-auth, by the router's Origin check, which (unlike better-auth's CSRF
    // check) lets scripts without an Origin header sign in.
    trustedOrigins: [new URL(config.publicUrl).origin, ...config.http.corsOrigins],
    advanced: { disableCSRFCheck: true, disableOriginCheck: false },
    database: prismaAdapter(prisma, { provider: 'postgresql' }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    user: {
      additionalFields: { handle: { type: 'string', required: true, input: true } },
    },
    rateLimit: { enabled: config.auth.rateLimit },
    telemetry: { enabled: false },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-up/email') return;
        const parsed = signUpSchema.safeParse(ctx.body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new APIError('BAD_REQUEST', {
            code: 'INVALID_INPUT',
            message: `${issue?.path.join('.')}: ${issue?.message}`,
          });
        }
        const taken = await prisma.user.findUnique({ where: { handle: parsed.data.handle } });
        if (taken) {
          throw new APIError('UNPROCESSABLE_ENTITY', {
            code: 'HANDLE_TAKEN',
            message: `@${parsed.data.handle} is taken.`,
          });
        }
        return { context: { ...ctx, body: { ...ctx.body, ...parsed.data } } };
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
