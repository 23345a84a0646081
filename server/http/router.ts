import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { WEBHOOK_PATH } from '../payments/webhook-route.ts';
import type { Services } from '../services.ts';
import { serveBroadcast } from './broadcast-route.ts';
import { serveCalendar } from './calendar-route.ts';
import { FORBIDDEN_ORIGIN } from './origin-guard.ts';
import { nodeHeaders, type OriginPolicy } from './origin-policy.ts';
import { readBody } from './read-body.ts';
import { serveRecordingFile } from './recording-file-route.ts';
import type { RefusalHold } from './refusal-hold.ts';
import { overBudgetMessage, type RequestBudget } from './request-budget.ts';
import { serveTranscript } from './transcript-route.ts';

/** A request whose body has been read here, replayed for yoga (see `replay`). */
export type RequestReplay = ReturnType<typeof replay>;

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export type RouteHandlers = {
  /** better-auth, under /api/auth/. */
  auth: Handler;
  /**
   * yoga: GraphQL over GET and POST, and subscriptions over server-sent events. It reads the body
   * from `replayed`; `req` is the original request, for the operation's context.
   */
  graphql: (replayed: RequestReplay, res: ServerResponse, req: IncomingMessage) => unknown;
  stripeWebhook: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void>;
  /** The built web client, or null (API-only). */
  webClient: ((req: IncomingMessage, res: ServerResponse, next: () => void) => void) | null;
  services: Services;
  /** Who is asking (session cookie or API token), for routes outside GraphQL; null: a guest. */
  viewerOf: (req: IncomingMessage) => Promise<string | null>;
};

/**
 * Who is asking, how much of this process they may still ask for (null: unlimited), and how
 * their refusals are held back.
 */
export type Admission = {
  clientGroup: (req: IncomingMessage) => string;
  budget: RequestBudget | null;
  hold: RefusalHold;
};

/**
 * What a request spends of its address's budget, by route, before anything of it is read.
 * Checking a password runs a deliberately slow hash. Static files, /health and the webhook cost
 * nothing: they are cheap, and Stripe must never be refused for a burst of events.
 */
export function requestUnits(method: string | undefined, url: string): number {
  if (url.startsWith('/api/auth/'))
    return method === 'POST' && isPasswordCheck(url) ? PASSWORD_CHECK_UNITS : 1;
  if (url.startsWith('/graphql') || readsSpaceFile.test(url) || readsAudio.test(url)) return 1;
  return 0;
}

/** A password check (scrypt) costs about what 25 ordinary queries do. */
const PASSWORD_CHECK_UNITS = 25;
const readsSpaceFile = /^\/spaces\/[^?]+\.(ics|txt|vtt)(\?|$)/;
const readsAudio = /^\/(recordings|clips)\/[^/?]+\/audio\.ogg(\?|$)/;
const passwordRoutes = ['/sign-in/', '/sign-up/', '/change-password', '/reset-password'];
const isPasswordCheck = (url: string) =>
  passwordRoutes.some((route) => url.startsWith(`/api/auth${route}`));

/** The largest request body each route reads, in bytes. */
export const bodyLimits = {
  /** Operations are text; the web client's largest is a few kilobytes. */
  graphql: 1024 * 1024,
  /** An email, a password, names and an avatar URL. */
  auth: 16 * 1024,
  /** Stripe's events are a few kilobytes; anything far larger is not from Stripe. */
  stripeWebhook: 1024 * 1024,
  /** Every other route only reads (GET) and takes no body. */
  other: 0,
} as const;

type Reply = (res: ServerResponse, status: number, code: string, message: string) => void;

const text: Reply = (res, status, _code, message) =>
  void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);

const json = (res: ServerResponse, status: number, body: unknown) =>
  void res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(body));

/** better-auth's error shape. */
const authJson: Reply = (res, status, code, message) => json(res, status, { code, message });

const graphqlJson: Reply = (res, status, code, message) =>
  json(res, status, { errors: [{ message, extensions: { code } }] });

/**
 * Reads the body a route accepts, or answers for it: 413 when it is too large, nothing when the
 * client went away. Returns null when the route has nothing more to do.
 */
async function receive(req: IncomingMessage, res: ServerResponse, limit: number, reply: Reply) {
  const outcome = await readBody(req, limit);
  if (outcome.kind === 'received') return outcome.body;
  if (outcome.kind === 'too-large') {
    res.setHeader('connection', 'close');
    const allowed = limit === 0 ? 'takes no request body' : `takes at most ${limit} bytes`;
    const path = (req.url ?? '/').split('?')[0];
    reply(res, 413, 'PAYLOAD_TOO_LARGE', `Request body too large: ${path} ${allowed}.`);
  } else {
    res.destroy();
  }
  return null;
}

/**
 * The request as yoga should see it: the same method, URL, headers and socket, and a body stream
 * replaying the bytes read here. (yoga's adapter also takes a body from `req.body`, but first
 * walks it with `Object.keys`: a second per megabyte.)
 */
const replay = (req: IncomingMessage, body: Buffer) =>
  Object.assign(Readable.from([body], { objectMode: false }), {
    method: req.method,
    url: req.url,
    headers: req.headers,
    socket: req.socket,
  });

/** better-auth (better-call) takes the body of an already-read request from `req.body`. */
const withBody = (req: IncomingMessage, body: Buffer) =>
  Object.assign(req, { body: body.toString('utf8') });

/**
 * Amphi's HTTP routes. Every request body is read here, within its route's limit, before a
 * handler sees it, and every handler's failure ends in a logged 500 (or a closed socket once the
 * response has started): no request can leave a promise rejection behind.
 */
export function createRouter(handlers: RouteHandlers, origins: OriginPolicy, admission: Admission) {
  async function route(req: IncomingMessage, res: ServerResponse, url: string) {
    if (url.startsWith('/api/auth/')) {
      // Replaces better-auth's CSRF check, which demands an Origin from Node's fetch (it sends
      // Sec-Fetch-Mode): this one refuses only pages of foreign origins (origin-policy.ts).
      if (origins.isForeign(nodeHeaders(req))) {
        const message = 'Sign-in and sign-up are not open to pages of other origins.';
        return authJson(res, 403, FORBIDDEN_ORIGIN, message);
      }
      const body = await receive(req, res, bodyLimits.auth, authJson);
      if (body) await handlers.auth(withBody(req, body), res);
      return;
    }
    if (url === WEBHOOK_PATH) {
      const body = await receive(req, res, bodyLimits.stripeWebhook, text);
      if (body) await handlers.stripeWebhook(req, res, body);
      return;
    }
    if (url.startsWith('/graphql')) {
      const body = await receive(req, res, bodyLimits.graphql, graphqlJson);
      if (body) await handlers.graphql(replay(req, body), res, req);
      return;
    }
    if (!(await receive(req, res, bodyLimits.other, text))) return;
    if (req.method === 'GET' && serveCalendar(url, res, handlers.services)) return;
    if (req.method === 'GET' && serveTranscript(url, res, handlers.services)) return;
    const reads = req.method === 'GET' || req.method === 'HEAD';
    if (reads && serveRecordingFile(req, res, handlers.services, handlers.viewerOf)) return;
    if (req.method === 'GET' && serveBroadcast(url, res, handlers.services)) return;
    if (url === '/health') return text(res, 200, 'OK', 'ok');
    const notFound = () => {
      if (url === '/') return void res.writeHead(302, { location: '/graphql' }).end();
      text(res, 404, 'NOT_FOUND', 'Not found');
    };
    if (handlers.webClient) return handlers.webClient(req, res, notFound);
    notFound();
  }

  /**
   * Refuses an address out of budget before reading anything more of its request: the answer
   * costs next to nothing, which is the point when an address floods, and is held back a moment
   * (refusal-hold.ts). The connection closes, so an unread body need not be read.
   */
  function admitted(req: IncomingMessage, res: ServerResponse, url: string) {
    const units = requestUnits(req.method, url);
    if (units === 0 || !admission.budget) return true;
    const address = admission.clientGroup(req);
    const verdict = admission.budget.admit(address, units);
    if (verdict.admitted) return true;
    admission.hold.hold(address, res, () => refuse(res, url, verdict.retryAfterSeconds));
    return false;
  }

  function refuse(res: ServerResponse, url: string, retryAfterSeconds: number) {
    res.setHeader('retry-after', String(retryAfterSeconds));
    res.setHeader('connection', 'close');
    const message = overBudgetMessage(retryAfterSeconds);
    if (url.startsWith('/graphql')) {
      json(res, 429, {
        errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds } }],
      });
    } else if (url.startsWith('/api/auth/')) authJson(res, 429, 'RATE_LIMITED', message);
    else text(res, 429, 'RATE_LIMITED', message);
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (!admitted(req, res, url)) return;
    route(req, res, url).catch((error: unknown) => {
      console.error(`${req.method} ${url} failed`, error);
      if (res.headersSent) res.destroy();
      else text(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error');
    });
  };
}
