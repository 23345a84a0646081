import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { AppConfig } from '../config.ts';
import { CLIENT_ADDRESS_HEADER } from '../http/client-address.ts';
import type { Counters } from '../limits/counters.ts';
import { betterAuthStorage } from '../limits/limit-stores.ts';
import { createMemoryCounters } from '../limits/memory-counters.ts';
import { signUpBody, updateUserBody } from './auth-input.ts';
import { onAuthError } from './auth-outages.ts';
import { passwordTakingTurns } from './password-turns.ts';
import { createSignInLimit } from './sign-in-limit.ts';

/**
 * Email and password accounts with httpOnly cookie sessions (better-auth), mounted at /api/auth.
 * Sign-up takes a handle besides the display name (`name`) and avatar URL (`image`). Its rate
 * limits count in `counters` (shared through Redis when configured) per client address, as the
 * HTTP server stamps it in `CLIENT_ADDRESS_HEADER`, and sign-ins also per account.
 */
export function createAuth(
  config: AppConfig,
  prisma: PrismaClient,
  secret: string,
  counters: Counters = createMemoryCounters(),
) {
  const limitSignIn = createSignInLimit(counters, config.auth.signInsPerAccount);
  return betterAuth({
    appName: 'Amphi',
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    secret,
    // Callback and redirect URLs must point at these. Which pages may call the routes at all is
    // decided before better-auth, by the router's Origin check, which (unlike better-auth's CSRF
    // check) lets scripts without an Origin header sign in.
    trustedOrigins: [new URL(config.publicUrl).origin, ...config.http.corsOrigins],
    database: prismaAdapter(prisma, { provider: 'postgresql' }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      password: passwordTakingTurns(config.auth.passwordChecksWaiting),
    },
    user: {
      additionalFields: { handle: { type: 'string', required: true, input: true } },
    },
    rateLimit: { enabled: config.auth.rateLimit, customStorage: betterAuthStorage(counters) },
    advanced: {
      disableCSRFCheck: true,
      disableOriginCheck: false,
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    telemetry: { enabled: false },
    onAPIError: { onError: onAuthError },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === '/sign-in/email' && config.auth.rateLimit) await limitSignIn(ctx.body);
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
