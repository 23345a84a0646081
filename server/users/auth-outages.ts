import { AsyncLocalStorage } from 'node:async_hooks';
import { APIError } from 'better-auth/api';
import { toUnavailable } from '../outages/outage-reports.ts';
import type { Unavailable } from '../outages/unavailable.ts';

type Request = { outage: Unavailable | null };

const requests = new AsyncLocalStorage<Request>();

/**
 * better-auth's `onAPIError.onError`, which replaces its own logging: notes that the request met
 * an outage (the database is unreachable), and logs what is a bug. better-auth answers both with
 * a bare 500; the hook cannot change that answer, so `answerOutages` does.
 */
export function onAuthError(error: unknown) {
  const outage = toUnavailable(error);
  if (outage) {
    const request = requests.getStore();
    if (request) request.outage ??= outage;
    return;
  }
  if (error instanceof APIError && error.statusCode < 500) return;
  console.error('an auth request failed', error);
}

/**
 * Wraps better-auth's handler: a 500 caused by an outage becomes what GraphQL answers for one,
 * 503 with Retry-After and `{ code: "UNAVAILABLE", message, retryAfterSeconds }`, which a client
 * can retry on, unlike a bug.
 */
export function answerOutages(handler: (request: globalThis.Request) => Promise<Response>) {
  return async (request: globalThis.Request): Promise<Response> => {
    const seen: Request = { outage: null };
    const response = await requests.run(seen, () => handler(request));
    if (response.status !== 500 || !seen.outage) return response;
    const { message, retryAfterSeconds } = seen.outage;
    return Response.json(
      { code: 'UNAVAILABLE', message, retryAfterSeconds },
      { status: 503, headers: { 'retry-after': String(retryAfterSeconds) } },
    );
  };
}
