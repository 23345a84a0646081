import { type Agent, type ClientRequest, request } from 'node:http';
import type { Attack, Shot } from './attack.ts';
import { answerLabel, errorLabel } from './outcomes.ts';

const BODY_BYTES = 20 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const EARLY_CUT_BYTES = 256 * 1024;
const TIMEOUT_MS = 60_000;

/** Valid JSON of exactly BODY_BYTES: a prefix, padding, and the suffix that closes it. */
function padded(prefix: string, suffix: string): Buffer {
  const pad = Buffer.alloc(BODY_BYTES - prefix.length - suffix.length, 'a');
  return Buffer.concat([Buffer.from(prefix), pad, Buffer.from(suffix)]);
}

const routes = [
  {
    name: 'graphql',
    path: '/graphql',
    body: padded('{"query":"{ __typename }","variables":{"pad":"', '"}}'),
    headers: {} as Record<string, string>,
  },
  {
    name: 'webhook',
    path: '/api/stripe/webhook',
    body: padded(
      '{"id":"evt_hostile","object":"event","type":"checkout.session.completed","data":{"object":{"pad":"',
      '"}}}',
    ),
    headers: { 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
  },
] as const;

/** Resolves when the request can take more, or when it is closed. */
function drained(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}

/**
 * Streams `body` (or its first `abortAt` bytes, then resets the connection) and labels what
 * happened: the server's answer if one came, whenever it came, else how the exchange ended.
 */
function stream(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  abortAt: number,
  agent: Agent,
): Promise<Shot> {
  return new Promise((resolve) => {
    let sent = 0;
    let settled = false;
    const finish = (label: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ label, bytesSent: sent });
    };
    const req = request(url, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () =>
        finish(
          answerLabel({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        ),
      );
      res.once('error', (error) => finish(errorLabel(error)));
    });
    req.once('error', (error) => finish(errorLabel(error)));
    const timer = setTimeout(() => finish('timeout'), TIMEOUT_MS);
    void (async () => {
      while (sent < abortAt && !settled) {
        const chunk = body.subarray(sent, Math.min(sent + CHUNK_BYTES, abortAt));
        sent += chunk.length;
        if (!req.write(chunk)) await drained(req);
      }
      if (settled) return;
      if (abortAt < body.length) finish(`reset by us after ${abortAt >> 10} KiB`);
      else req.end();
    })();
  });
}

/**
 * Two connections posting 20 MB bodies in turn to /graphql and to the Stripe webhook, with a
 * Content-Length or chunked, every third one reset after 256 KiB or halfway through.
 */
export const largeBodiesAttack: Attack = {
  lanes: 2,
  async fire({ target, agent, shot }) {
    const route = routes[shot % routes.length] ?? routes[0];
    const chunked = Math.floor(shot / routes.length) % 2 === 1;
    // Every third is reset: alternately early (while a server with a 1 MB limit still reads it)
    // and halfway through.
    const cutEarly = Math.floor(shot / 3) % 2 === 0;
    const abortAt = shot % 3 !== 1 ? BODY_BYTES : cutEarly ? EARLY_CUT_BYTES : BODY_BYTES / 2;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      origin: target.origin,
      ...route.headers,
      ...(chunked
        ? { 'transfer-encoding': 'chunked' }
        : { 'content-length': String(route.body.length) }),
    };
    const shotResult = await stream(
      `${target.baseUrl}${route.path}`,
      headers,
      route.body,
      abortAt,
      agent,
    );
    return { ...shotResult, label: `${route.name} ${shotResult.label}` };
  },
};
