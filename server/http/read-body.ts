import type { IncomingMessage } from 'node:http';

export type BodyOutcome =
  | { kind: 'received'; body: Buffer }
  | { kind: 'too-large' }
  /** The client went away (reset, or the server's request timeout) before the body ended. */
  | { kind: 'aborted' };

const empty = Buffer.alloc(0);

/**
 * Reads a request's body into memory, at most `limit` bytes. A declared length over the limit is
 * refused before anything is read; a chunked body is refused as soon as it passes the limit. What
 * is left of a refused body is read and dropped, so the client is still reading when the 413
 * arrives (closing on unread data would reset the connection under it).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyOutcome> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.resolve({ kind: 'too-large' });
  }
  if (declared === 0 && req.headers['transfer-encoding'] === undefined) {
    return Promise.resolve({ kind: 'received', body: empty });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: BodyOutcome) => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish({ kind: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'received', body: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ kind: 'aborted' });
    req.on('data', onData).once('end', onEnd).once('error', onAbort).once('close', onAbort);
  });
}
