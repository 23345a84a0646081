/**
 * The subscriber process: opens N sockets to Amphi (graphql-ws spoken directly, no client
 * library) or to the raw broadcaster, and timestamps every message. It runs apart from the
 * bench process so the clients' parsing does not share the servers' event loop.
 */
import WebSocket from 'ws';
import { type FromSubscribers, now, type SocketMode, type ToSubscribers } from './protocol.ts';

/** Handshakes in flight at once: enough to ramp quickly, few enough for the accept backlog. */
const connectConcurrency = 200;
const connectTimeoutMs = 60_000;

let sockets: WebSocket[] = [];
let expectation: Expectation | undefined;

type Expectation = {
  events: number;
  times: Float64Array;
  counts: Uint32Array;
  remaining: number;
  unexpected: number;
  firstUnexpected: string | undefined;
  sample: string | undefined;
  timer: NodeJS.Timeout;
};

const nextMarker = Buffer.from('"type":"next"');

function send(message: FromSubscribers) {
  process.send?.(message);
}

function onMessage(index: number, mode: SocketMode, data: Buffer) {
  const at = now();
  const expecting = expectation;
  if (!expecting) return;
  if (mode.kind === 'graphql-ws' && !data.includes(nextMarker)) {
    expecting.unexpected += 1;
    expecting.firstUnexpected ??= data.toString();
    return;
  }
  const seen = expecting.counts[index] ?? 0;
  if (seen >= expecting.events) return;
  expecting.counts[index] = seen + 1;
  expecting.times[index * expecting.events + seen] = at;
  expecting.sample ??= data.toString();
  expecting.remaining -= 1;
  if (expecting.remaining === 0) finish(false);
}

function finish(timedOut: boolean) {
  const done = expectation;
  if (!done) return;
  expectation = undefined;
  clearTimeout(done.timer);
  send({
    type: 'received',
    times: done.times,
    events: done.events,
    unexpected: done.unexpected,
    firstUnexpected: done.firstUnexpected,
    sample: done.sample,
    timedOut,
  });
}

/** Opens one socket and resolves once it is ready to receive events (subscribed, for graphql-ws). */
function open(url: string, mode: SocketMode, index: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const protocol = mode.kind === 'graphql-ws' ? 'graphql-transport-ws' : undefined;
    const socket = new WebSocket(url, protocol, { perMessageDeflate: false });
    const fail = (error: Error) => reject(error);
    socket.once('error', fail);
    socket.once('close', (code, reason) => {
      if (!expectation) reject(new Error(`closed ${code} ${reason.toString()}`));
    });
    socket.once('open', () => {
      if (mode.kind === 'raw') {
        socket.on('message', (data: Buffer) => onMessage(index, mode, data));
        resolve(socket);
        return;
      }
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      socket.once('message', (data: Buffer) => {
        const ack = JSON.parse(data.toString()) as { type?: string };
        if (ack.type !== 'connection_ack') return fail(new Error(`expected ack: ${data}`));
        socket.on('message', (message: Buffer) => onMessage(index, mode, message));
        const payload = { query: mode.query, variables: mode.variables };
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }), (error) =>
          error ? fail(error) : resolve(socket),
        );
      });
    });
  });
}

/** Opens `count` more sockets beside those already open. */
async function connect(url: string, count: number, mode: SocketMode) {
  const base = sockets.length;
  sockets.length = base + count;
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const deadline = Date.now() + connectTimeoutMs;
  async function lane() {
    while (next < count && Date.now() < deadline) {
      const index = base + next++;
      try {
        sockets[index] = await open(url, mode, index);
      } catch (error) {
        failed += 1;
        firstError ??= String(error);
      }
    }
  }
  await Promise.all(Array.from({ length: connectConcurrency }, lane));
  failed += count - next;
  send({ type: 'connected', count: count - failed, failed, firstError });
}

async function closeAll() {
  const closing = sockets.filter(Boolean).map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.terminate();
      }),
  );
  await Promise.all(closing);
  sockets = [];
  send({ type: 'closed' });
}

process.on('message', (message: ToSubscribers) => {
  switch (message.type) {
    case 'clock':
      send({ type: 'clock', benchNow: message.benchNow, subscribersNow: now() });
      return;
    case 'connect':
      void connect(message.url, message.count, message.mode);
      return;
    case 'expect': {
      const count = sockets.length;
      const live = sockets.filter(Boolean).length;
      expectation = {
        events: message.events,
        times: new Float64Array(count * message.events).fill(Number.NaN),
        counts: new Uint32Array(count),
        remaining: live * message.events,
        unexpected: 0,
        firstUnexpected: undefined,
        sample: undefined,
        timer: setTimeout(() => finish(true), message.timeoutMs),
      };
      send({ type: 'expecting' });
      return;
    }
    case 'close':
      void closeAll();
      return;
  }
});

process.on('disconnect', () => process.exit(0));
