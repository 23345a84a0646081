import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AppConfig } from '../config.ts';
import { keepSecret } from '../kept-secret.ts';

/** Where the secret that signs session cookies came from, for the start banner. */
export type AuthSecretOrigin =
  | { kind: 'configured' }
  | { kind: 'kept'; file: string; created: boolean }
  | { kind: 'ephemeral' };

export const AUTH_SECRET_FILE = 'auth-secret';

const generate = () => randomBytes(48).toString('base64url');

/**
 * The configured secret, or one generated on the first start and kept beside the embedded
 * database, so sessions survive restarts. An in-memory database gets a new one per process: its
 * sessions die with it anyway. PostgreSQL instances must share one, so it has to be configured.
 */
export async function resolveAuthSecret(
  config: Pick<AppConfig, 'auth' | 'database'>,
): Promise<{ secret: string; origin: AuthSecretOrigin }> {
  if (config.auth.secret) return { secret: config.auth.secret, origin: { kind: 'configured' } };
  if (config.database.kind === 'postgres') {
    throw new Error('AUTH_SECRET is required with DATABASE_URL: every instance must share it');
  }
  if (!config.database.dataDir) return { secret: generate(), origin: { kind: 'ephemeral' } };
  const file = path.join(config.database.dataDir, AUTH_SECRET_FILE);
  const kept = await keepSecret(file, generate);
  return { secret: kept.value, origin: { kind: 'kept', file, created: kept.created } };
}
