import { type Agent, type IncomingHttpHeaders, request } from 'node:http';

export type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer };

export type Call = {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The whole exchange, connecting included; past it the socket is destroyed. */
  timeoutMs: number;
  agent?: Agent;
};

/** Raised when `timeoutMs` passed before the answer's last byte. */
export class Timeout extends Error {
  readonly code = 'TIMEOUT';
}

/**
 * One HTTP/1.1 exchange on node:http (what most Node clients sit on). Rejects with the socket's
 * error (its `code`: ECONNRESET, ECONNREFUSED, EPIPE...) or a Timeout; never leaves the request
 * open behind it.
 */
export function send(call: Call): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      call.url,
      { method: call.method ?? 'GET', headers: call.headers, agent: call.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
        });
        res.once('error', fail);
      },
    );
    function fail(error: Error) {
      clearTimeout(timer);
      req.destroy();
      reject(error);
    }
    const timer = setTimeout(
      () => fail(new Timeout(`no answer in ${call.timeoutMs} ms`)),
      call.timeoutMs,
    );
    req.once('error', fail);
    req.end(call.body);
  });
}

/** `name=value` pairs of a response's Set-Cookie headers, ready for a Cookie header. */
export function cookiesOf(answer: Answer): string {
  return (answer.headers['set-cookie'] ?? [])
    .map((cookie) => cookie.split(';')[0] ?? '')
    .filter(Boolean)
    .join('; ');
}

/** Seconds a 429 or 503 asks the client to wait (Retry-After, or better-auth's X-Retry-After). */
export function retryAfterSeconds(answer: Answer): number | undefined {
  const header = answer.headers['retry-after'] ?? answer.headers['x-retry-after'];
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
