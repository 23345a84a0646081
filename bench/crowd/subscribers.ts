/**
 * The subscriber process: opens N sockets (graphql-ws spoken directly, or plain `ws` to the raw
 * broadcaster) and times every event each socket receives, under the handle of the person who
 * joined. Apart from the bench and the server, so parsing here costs neither of them.
 */
import WebSocket from 'ws';
import { ascending, percentile } from '../subscriptions/stats.ts';
import {
  type FromSubscribers,
  handlesIn,
  now,
  type SocketMode,
  type ToSubscribers,
} from './protocol.ts';

/** Handshakes in flight at once: enough to ramp quickly, few enough for the accept backlog. */
const CONNECT_CONCURRENCY = 20;
/** A socket the server refused or timed out (graphql-ws 4408 on a busy server) tries again. */
const CONNECT_ATTEMPTS = 5;
const CONNECT_TIMEOUT_MS = 120_000;
const nextMarker = '"type":"next"';

let sockets: WebSocket[] = [];
let recording = false;
let closedWhileRecording = 0;
let unexpected = 0;
let firstUnexpected: string | undefined;
let sample: string | undefined;
/** Receipt time per handle and socket (NaN: not yet). */
const receipts = new Map<string, { times: Float64Array; count: number }>();
let waiting:
  | { handles: Set<string>; expected: number; received: number; timer: NodeJS.Timeout }
  | undefined;

const send = (message: FromSubscribers) => process.send?.(message);

function onMessage(index: number, mode: SocketMode, data: Buffer) {
  if (!recording) return;
  const at = now();
  const text = data.toString();
  const isEvent = mode.kind === 'raw' || text.includes(nextMarker);
  const handles = isEvent ? handlesIn(text) : [];
  // Other events (a mode change, counts) are not timed; anything but an event is reported.
  if (handles.length === 0) {
    if (!isEvent) {
      unexpected += 1;
      firstUnexpected ??= text.slice(0, 300);
    }
    return;
  }
  sample ??= text;
  for (const handle of handles) {
    let entry = receipts.get(handle);
    if (!entry) {
      entry = { times: new Float64Array(sockets.length).fill(Number.NaN), count: 0 };
      receipts.set(handle, entry);
    }
    if (!Number.isNaN(entry.times[index] ?? 0)) continue;
    entry.times[index] = at;
    entry.count += 1;
    if (waiting?.handles.has(handle)) {
      waiting.received += 1;
      if (waiting.received >= waiting.expected) return finishWaiting(false);
    }
  }
}

function finishWaiting(timedOut: boolean) {
  if (!waiting) return;
  clearTimeout(waiting.timer);
  waiting = undefined;
  send({
    type: 'waited',
    timedOut,
    sample,
    unexpected,
    firstUnexpected,
    closed: closedWhileRecording,
  });
}

/** Opens one socket and resolves once it is ready to receive events (subscribed, for graphql-ws). */
function open(url: string, mode: SocketMode, index: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const protocol = mode.kind === 'graphql-ws' ? 'graphql-transport-ws' : undefined;
    const socket = new WebSocket(url, protocol, { perMessageDeflate: false });
    socket.once('error', reject);
    socket.once('close', (code, reason) => {
      if (recording) closedWhileRecording += 1;
      reject(new Error(`closed ${code} ${reason.toString()}`));
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
        if (ack.type !== 'connection_ack') return reject(new Error(`expected ack: ${data}`));
        socket.on('message', (message: Buffer) => onMessage(index, mode, message));
        const payload = { query: mode.query, variables: mode.variables };
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }), (error) =>
          error ? reject(error) : resolve(socket),
        );
      });
    });
  });
}

async function connect(url: string, count: number, mode: SocketMode) {
  const base = sockets.length;
  sockets.length = base + count;
  let next = 0;
  let failed = 0;
  let retried = 0;
  let firstError: string | undefined;
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  const lane = async () => {
    while (next < count && Date.now() < deadline) {
      const index = base + next++;
      for (let attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
        try {
          sockets[index] = await open(url, mode, index);
          break;
        } catch (error) {
          firstError ??= String(error);
          if (attempt === CONNECT_ATTEMPTS) failed += 1;
          else retried += 1;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, lane));
  failed += count - next;
  send({ type: 'connected', count: count - failed, failed, retried, firstError });
}

function lags(reference: Record<string, number>) {
  const all: number[] = [];
  let missing = 0;
  // Sockets that never subscribed are reported as such, not as missing deliveries.
  const subscribed = sockets.flatMap((socket, index) => (socket ? [index] : []));
  for (const [handle, sentAt] of Object.entries(reference)) {
    const times = receipts.get(handle)?.times;
    for (const index of subscribed) {
      const at = times?.[index] ?? Number.NaN;
      if (Number.isNaN(at)) missing += 1;
      else all.push(at - sentAt);
    }
  }
  const sorted = ascending(all);
  send({
    type: 'lags',
    lags: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] ?? Number.NaN),
      delivered: sorted.length,
      missing,
    },
  });
}

async function closeAll() {
  recording = false;
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
  receipts.clear();
  unexpected = 0;
  firstUnexpected = undefined;
  sample = undefined;
  closedWhileRecording = 0;
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
    case 'record':
      recording = true;
      send({ type: 'recording' });
      return;
    case 'wait': {
      const handles = new Set(message.handles);
      const live = sockets.filter((socket) => socket?.readyState === WebSocket.OPEN).length;
      let received = 0;
      for (const handle of handles) received += receipts.get(handle)?.count ?? 0;
      waiting = {
        handles,
        expected: handles.size * live,
        received,
        timer: setTimeout(() => finishWaiting(true), message.timeoutMs),
      };
      if (received >= waiting.expected) finishWaiting(false);
      return;
    }
    case 'lags':
      lags(message.reference);
      return;
    case 'close':
      void closeAll();
      return;
  }
});

process.on('disconnect', () => process.exit(0));
