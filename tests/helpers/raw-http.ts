import { request } from 'node:http';
import net from 'node:net';

/** A TCP connection to a test server, for requests no well-behaved client would send. */
export function connect(baseUrl: string): Promise<net.Socket> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sent until it closed the connection. */
export function untilClosed(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.once('close', () => resolve(received));
  });
}

/** Resolves once the server's answer contains `text`. */
export function until(socket: net.Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes(text)) {
        socket.off('data', onData);
        resolve(received);
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed before ${text}: ${received}`)));
  });
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 50));

/**
 * Sends `head` (a request line and headers, without the blank line) with a Content-Length of
 * `bodyBytes` and only half that body, lets the server start reading it, then resets the
 * connection, as a client that crashed mid-upload would.
 */
export async function halfBodyThenReset(baseUrl: string, head: string, bodyBytes = 4096) {
  const socket = await connect(baseUrl);
  socket.on('error', () => {});
  socket.write(`${head}\r\nContent-Length: ${bodyBytes}\r\n\r\n`);
  socket.write('{"query":"'.padEnd(bodyBytes / 2, 'x'));
  await pause();
  socket.resetAndDestroy();
  await pause();
}

export type RawResponse = { status: number; headers: Record<string, unknown>; body: string };

/**
 * One request through node:http, which (unlike fetch) sends a body with any method and can
 * stream it without a Content-Length.
 */
export function send(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer; chunked?: boolean },
): Promise<RawResponse> {
  const { method = 'POST', headers = {}, body, chunked = false } = options;
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, baseUrl),
      {
        method,
        headers: { ...headers, ...(body && !chunked && { 'content-length': body.length }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    if (body && chunked) {
      for (let at = 0; at < body.length; at += 64 * 1024)
        req.write(body.subarray(at, at + 64 * 1024));
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}
