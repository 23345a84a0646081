import { GraphQLError } from 'graphql';
import { isStripeOutage } from '../payments/stripe-outage.ts';

export type Dependency = 'database' | 'payments';

/** Prisma's codes for "the database cannot be reached / timed out / closed the connection". */
const PRISMA_OUTAGE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Driver adapter error kinds that say the same. */
const ADAPTER_OUTAGE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
]);
/** Node's socket errors, as pg raises them. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
/** PostgreSQL's connection exceptions (class 08), shutdowns (57P0x) and too many clients. */
const isPostgresOutageState = (code: string) =>
  code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300';
/** What PGlite and pg say once closed (on shutdown, or when the embedded database died). */
const CLOSED_MESSAGES = ['PGlite is closed', 'Cannot use a pool after calling end on the pool'];

const field = (value: unknown, name: string): unknown =>
  value && typeof value === 'object' && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;

function isDatabaseOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'PrismaClientInitializationError') return true;
  const code = field(error, 'code');
  if (typeof code === 'string') {
    if (error.name === 'PrismaClientKnownRequestError' && PRISMA_OUTAGE_CODES.has(code)) {
      return true;
    }
    if (SOCKET_CODES.has(code) || isPostgresOutageState(code)) return true;
  }
  const adapterCause = field(field(field(error, 'meta'), 'driverAdapterError'), 'cause');
  const directCause = error.name === 'DriverAdapterError' ? field(error, 'cause') : undefined;
  for (const cause of [adapterCause, directCause]) {
    const kind = field(cause, 'kind');
    if (typeof kind === 'string' && ADAPTER_OUTAGE_KINDS.has(kind)) return true;
    const state = field(cause, 'code');
    if (kind === 'postgres' && typeof state === 'string' && isPostgresOutageState(state)) {
      return true;
    }
  }
  return CLOSED_MESSAGES.some((message) => error.message.includes(message));
}

/**
 * Which dependency an error says is unreachable, or null for anything else (a bug, a refusal).
 * Looks through GraphQL's wrapping and `cause` chains.
 */
export function outageOf(error: unknown): Dependency | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && !seen.has(current)) {
    seen.add(current);
    if (isDatabaseOutage(current)) return 'database';
    if (isStripeOutage(current)) return 'payments';
    current =
      current instanceof GraphQLError && current.originalError
        ? current.originalError
        : field(current, 'cause');
  }
  return null;
}
