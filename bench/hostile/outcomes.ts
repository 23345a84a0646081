import { type Answer, retryAfterSeconds } from './http-client.ts';
import type { Tally } from './protocol.ts';

export function count(tally: Tally, label: string, times = 1) {
  tally[label] = (tally[label] ?? 0) + times;
}

type JsonBody = {
  data?: unknown;
  errors?: { extensions?: { code?: unknown } }[];
  code?: unknown;
  __typename?: unknown;
};

function json(answer: Answer): JsonBody | undefined {
  try {
    const parsed: unknown = JSON.parse(answer.body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as JsonBody) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The typed part of an answer: GraphQL's `extensions.code`s (or `data` when there was no error),
 * or the `code` of a JSON error such as better-auth's.
 */
function typedCode(answer: Answer): string | undefined {
  const body = json(answer);
  if (!body) return undefined;
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const codes = new Set(body.errors.map((error) => String(error.extensions?.code ?? 'error')));
    return [...codes].sort().join('+');
  }
  if ('data' in body) return 'data';
  return typeof body.code === 'string' ? body.code : undefined;
}

/** How the report groups an answer: its status, typed code, and whether it said when to retry. */
export function answerLabel(answer: Answer): string {
  const code = typedCode(answer);
  const retry = retryAfterSeconds(answer) !== undefined ? ' (Retry-After)' : '';
  return `${answer.status}${code ? ` ${code}` : ''}${retry}`;
}

const errorNames: Record<string, string> = {
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNREFUSED: 'refused',
  TIMEOUT: 'timeout',
  ERR_STREAM_DESTROYED: 'reset',
  UND_ERR_SOCKET: 'reset',
};

/** How the report groups a request that got no answer. */
export function errorLabel(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
  if (code) return errorNames[code] ?? code;
  return error instanceof Error ? error.message.slice(0, 40) : String(error);
}

/** Whether the connection could not even be made: the server is gone, not busy. */
export const isRefused = (error: unknown) => errorLabel(error) === 'refused';
