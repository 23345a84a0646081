import type { Page } from 'playwright-core';

/** One thing a page saw of the mesh signalling, at `at` (ms since the epoch, sub-ms). */
export type MeshLogEntry =
  | { at: number; kind: 'sent'; peer: string; types: string[] }
  | { at: number; kind: 'received'; peer: string; types: string[] }
  | { at: number; kind: 'described'; type: string }
  | { at: number; kind: 'joined'; ids: string[] }
  | { at: number; kind: 'subscribing' };

type MeshLogWindow = { meshLog?: MeshLogEntry[] };

/**
 * An init script for every lab page of a mesh run (the listener's and the stage's): logs, in
 * epoch milliseconds so pages of different browsers line up, every mesh signal the page sends
 * (sendMeshSignal over the API socket) and receives (meshSignals), with the simple-peer types it
 * carries; every local description set; and the listeners a ListenersChanged event brings.
 * Only watches: it reads the graphql-ws frames, never changes them.
 */
export function meshSignalProbe() {
  const log: MeshLogEntry[] = [];
  (window as MeshLogWindow).meshLog = log;
  const now = () => performance.timeOrigin + performance.now();
  const typesOf = (text: unknown): string[] => {
    try {
      const signal = JSON.parse(String(text)) as { type?: string; signals?: { type?: string }[] };
      if (signal.type === 'amphi-batch') return (signal.signals ?? []).map((s) => String(s.type));
      return [String(signal.type)];
    } catch {
      return ['?'];
    }
  };
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', ({ data }) => {
        if (typeof data !== 'string' || !data.includes('"next"')) return;
        const at = now();
        const message = JSON.parse(data) as {
          payload?: {
            data?: {
              meshSignals?: { fromParticipantId: string; signal: string };
              spaceEvents?: { joined?: { id: string }[] };
            };
          };
        };
        const signal = message.payload?.data?.meshSignals;
        if (signal) {
          log.push({
            at,
            kind: 'received',
            peer: signal.fromParticipantId,
            types: typesOf(signal.signal),
          });
        }
        const joined = message.payload?.data?.spaceEvents?.joined;
        if (joined) log.push({ at, kind: 'joined', ids: joined.map(({ id }) => id) });
      });
    }

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (
        typeof data === 'string' &&
        data.includes('"subscribe"') &&
        data.includes('meshSignals')
      ) {
        log.push({ at: now(), kind: 'subscribing' });
      }
      if (typeof data === 'string' && data.includes('meshOffers')) {
        // Offers made before the click, carried by joinSpace.
        const message = JSON.parse(data) as {
          payload?: { variables?: { offers?: { toParticipantId: string; signal: string }[] } };
        };
        for (const offer of message.payload?.variables?.offers ?? []) {
          log.push({
            at: now(),
            kind: 'sent',
            peer: offer.toParticipantId,
            types: typesOf(offer.signal),
          });
        }
      }
      if (typeof data === 'string' && data.includes('sendMeshSignal')) {
        const message = JSON.parse(data) as {
          payload?: { variables?: { to?: string; signal?: string } };
        };
        const variables = message.payload?.variables;
        log.push({
          at: now(),
          kind: 'sent',
          peer: String(variables?.to),
          types: typesOf(variables?.signal),
        });
      }
      super.send(data);
    }
  };
  const setLocal = RTCPeerConnection.prototype.setLocalDescription;
  RTCPeerConnection.prototype.setLocalDescription = async function (
    this: RTCPeerConnection,
    ...args: Parameters<typeof setLocal>
  ) {
    await setLocal.apply(this, args);
    log.push({ at: now(), kind: 'described', type: String(this.localDescription?.type) });
  } as typeof setLocal;
}

/** Takes (and clears) what the page has logged so far. */
export const takeMeshLog = (page: Page) =>
  page.evaluate(() => {
    // Emptied in place: the probe keeps pushing to this array.
    return (window as MeshLogWindow).meshLog?.splice(0) ?? [];
  });

/** One signal as the server's signal service saw it: `in` when called, `out` once published. */
export type ServerLogEntry = {
  at: number;
  kind: 'in' | 'out';
  from: string;
  to: string;
  types: string[];
};

const typesOf = (text: string): string[] => {
  try {
    const signal = JSON.parse(text) as { type?: string; signals?: { type?: string }[] };
    return signal.type === 'amphi-batch'
      ? (signal.signals ?? []).map((item) => String(item.type))
      : [String(signal.type)];
  } catch {
    return ['?'];
  }
};

type WatchedSignals = {
  send(userId: string, spaceId: string, to: string, text: string): Promise<unknown>;
  sendJoinOffers(
    userId: string,
    joiner: { id: string; spaceId: string },
    offers: { toParticipantId: string; signal: string }[],
  ): Promise<string[]>;
};

/**
 * Logs every call of the app's signal service (the resolver of sendMeshSignal calls it after
 * the socket, parsing, validation and rate limits; it returns once the signal is published),
 * and each offer a join carries (`in` when joinSpace's meshOffers calls it, `out` once sent):
 * `from` is the sender's user id, `to` the receiver's participant id as the API spells it.
 */
export function watchServerSignals(
  signals: WatchedSignals,
  toApiId: (participantId: string) => string,
): ServerLogEntry[] {
  const log: ServerLogEntry[] = [];
  const send = signals.send.bind(signals);
  const sendJoinOffers = signals.sendJoinOffers.bind(signals);
  const now = () => performance.timeOrigin + performance.now();
  signals.send = async (userId, spaceId, to, text) => {
    const entry = { from: userId, to: toApiId(to), types: typesOf(text) };
    log.push({ at: now(), kind: 'in', ...entry });
    const result = await send(userId, spaceId, to, text);
    log.push({ at: now(), kind: 'out', ...entry });
    return result;
  };
  signals.sendJoinOffers = async (userId, joiner, offers) => {
    const entries = offers.map(({ toParticipantId, signal }) => ({
      from: userId,
      to: toApiId(toParticipantId),
      types: typesOf(signal),
    }));
    const called = now();
    for (const entry of entries) log.push({ at: called, kind: 'in', ...entry });
    const delivered = await sendJoinOffers(userId, joiner, offers);
    const sent = now();
    for (const entry of entries) log.push({ at: sent, kind: 'out', ...entry });
    return delivered;
  };
  return log;
}

/** One call of the space service's join (what joinSpace's resolver calls), in epoch ms. */
export type ServerJoin = { userId: string; called: number; returned: number };

/** Logs every call of the app's space service's `join`: when it was called and returned. */
export function watchJoins(spaces: {
  join(userId: string, spaceId: string): Promise<unknown>;
}): ServerJoin[] {
  const log: ServerJoin[] = [];
  const join = spaces.join.bind(spaces);
  const now = () => performance.timeOrigin + performance.now();
  spaces.join = async (userId, spaceId) => {
    const called = now();
    const result = await join(userId, spaceId);
    log.push({ userId, called, returned: now() });
    return result;
  };
  return log;
}

/** Milliseconds after the click, for one link between the listener and someone on stage. */
export type LinkMarks = {
  /** Who sent the link's first offer: the joining listener or the one on stage. */
  offerer: 'listener' | 'stage';
  /** The stage page saw the ListenersChanged event bringing the listener. */
  stageSawJoin?: number;
  /** The listener page asked for its mesh signals (the meshSignals subscription). */
  listenerSubscribing?: number;
  offerSet?: number;
  offerSent?: number;
  offerAtServer?: number;
  offerPublished?: number;
  offerArrived?: number;
  answerSet?: number;
  answerSent?: number;
  answerAtServer?: number;
  answerPublished?: number;
  answerArrived?: number;
  /** sendMeshSignal calls on this link, both ways, until the listener first connected. */
  calls: number;
};

export type MeshMarks = {
  links: LinkMarks[];
  /** The join at the server: its service called and returned, ms after the click. */
  joinCalled?: number;
  joinReturned?: number;
};

const carries = (entry: { types: string[] }, type: string) => entry.types.includes(type);

export type JoinLogs = {
  clickedAt: number;
  listenerId: string;
  listenerUserId: string;
  listener: readonly MeshLogEntry[];
  /** Each stage page's log, with its participant id and user id. */
  stage: readonly { id: string; userId: string; log: readonly MeshLogEntry[] }[];
  server: readonly ServerLogEntry[];
  joins: readonly ServerJoin[];
  /** ms after the click the listener first connected, to count calls up to. */
  connected: number | undefined;
};

/** The listener's mesh timeline for one join, one entry per link, from every side's log. */
export function meshMarks(logs: JoinLogs): MeshMarks {
  const after = <T extends { at: number }>(entries: readonly T[]) =>
    entries.filter((entry) => entry.at >= logs.clickedAt);
  const first = (entries: readonly { at: number }[]) => {
    const at = entries.reduce((min, entry) => Math.min(min, entry.at), Number.POSITIVE_INFINITY);
    return at === Number.POSITIVE_INFINITY ? undefined : at - logs.clickedAt;
  };
  const listener = after(logs.listener);
  const server = after(logs.server);
  const links: LinkMarks[] = [];
  for (const member of logs.stage) {
    const stage = after(member.log);
    const fromListener = (kind: 'sent' | 'received') =>
      listener.filter((e) => e.kind === kind && e.peer === member.id) as {
        at: number;
        types: string[];
      }[];
    const fromStage = (kind: 'sent' | 'received') =>
      stage.filter((e) => e.kind === kind && e.peer === logs.listenerId) as {
        at: number;
        types: string[];
      }[];
    const toStage = server.filter((e) => e.from === logs.listenerUserId && e.to === member.id);
    const toListener = server.filter((e) => e.from === member.userId && e.to === logs.listenerId);
    const listenerOffer = first(fromListener('sent').filter((e) => carries(e, 'offer')));
    const stageOffer = first(fromStage('sent').filter((e) => carries(e, 'offer')));
    if (listenerOffer === undefined && stageOffer === undefined) continue;
    const offerer =
      (listenerOffer ?? Number.POSITIVE_INFINITY) <= (stageOffer ?? Number.POSITIVE_INFINITY)
        ? 'listener'
        : 'stage';
    const byListener = offerer === 'listener';
    // Local descriptions carry no peer: on stage only this link negotiates meanwhile; on the
    // listener's side, its offers are for the links it offers, its answers for the others.
    const described = (entries: readonly MeshLogEntry[], type: string) =>
      first(entries.filter((e) => e.kind === 'described' && e.type === type));
    const offerPath = byListener
      ? { sent: fromListener('sent'), server: toStage, received: fromStage('received') }
      : { sent: fromStage('sent'), server: toListener, received: fromListener('received') };
    const answerPath = byListener
      ? { sent: fromStage('sent'), server: toListener, received: fromListener('received') }
      : { sent: fromListener('sent'), server: toStage, received: fromStage('received') };
    const limit = logs.clickedAt + (logs.connected ?? Number.POSITIVE_INFINITY);
    const marks: LinkMarks = {
      offerer,
      stageSawJoin: first(
        stage.filter((e) => e.kind === 'joined' && e.ids.includes(logs.listenerId)),
      ),
      listenerSubscribing: first(listener.filter((e) => e.kind === 'subscribing')),
      offerSet: described(byListener ? listener : stage, 'offer'),
      offerSent: first(offerPath.sent.filter((e) => carries(e, 'offer'))),
      offerAtServer: first(offerPath.server.filter((e) => e.kind === 'in' && carries(e, 'offer'))),
      offerPublished: first(
        offerPath.server.filter((e) => e.kind === 'out' && carries(e, 'offer')),
      ),
      offerArrived: first(offerPath.received.filter((e) => carries(e, 'offer'))),
      answerSet: described(byListener ? stage : listener, 'answer'),
      answerSent: first(answerPath.sent.filter((e) => carries(e, 'answer'))),
      answerAtServer: first(
        answerPath.server.filter((e) => e.kind === 'in' && carries(e, 'answer')),
      ),
      answerPublished: first(
        answerPath.server.filter((e) => e.kind === 'out' && carries(e, 'answer')),
      ),
      answerArrived: first(answerPath.received.filter((e) => carries(e, 'answer'))),
      calls: [...toStage, ...toListener].filter((e) => e.kind === 'in' && e.at <= limit).length,
    };
    links.push(marks);
  }
  const join = logs.joins.find((entry) => entry.userId === logs.listenerUserId);
  return join
    ? {
        links,
        joinCalled: join.called - logs.clickedAt,
        joinReturned: join.returned - logs.clickedAt,
      }
    : { links };
}

/** The listener page's log (lab or room page), its click in epoch ms and its participant id (before it closes). */
export const listenerSide = (page: Page) =>
  page.evaluate(() => {
    const probe = window as MeshLogWindow & {
      firstAudio?: { clickedAt?: number };
      lab?: { state(): { self: { id: string } | null } };
      amphi?: { selfParticipantId?: string };
    };
    return {
      log: probe.meshLog ?? [],
      clickedAt: performance.timeOrigin + (probe.firstAudio?.clickedAt ?? Number.NaN),
      // The lab page's state, or the web client's room (create-room-audio.ts).
      selfId: probe.lab?.state().self?.id ?? probe.amphi?.selfParticipantId ?? '',
    };
  });

const LINK_STEPS = [
  ['stageSawJoin', 'stage saw join'],
  ['listenerSubscribing', 'listener subscribes'],
  ['offerSet', 'offer set'],
  ['offerSent', 'offer sent'],
  ['offerAtServer', 'at server'],
  ['offerPublished', 'published'],
  ['offerArrived', 'offer arrived'],
  ['answerSet', 'answer set'],
  ['answerSent', 'answer sent'],
  ['answerAtServer', 'at server'],
  ['answerPublished', 'published'],
  ['answerArrived', 'answer arrived'],
] as const;

/** Rows for bench/join's mesh timeline: p50 of each step over the links one side offered. */
export function meshTimelineRows(
  samples: readonly (MeshMarks | undefined)[],
  p50: (values: (number | undefined)[]) => string,
) {
  const links = samples.flatMap((marks) => marks?.links ?? []);
  const rows = (['listener', 'stage'] as const).map((offerer) => {
    const offered = links.filter((link) => link.offerer === offerer);
    const calls = offered.map((link) => link.calls).sort((a, b) => a - b);
    return [
      `offered by ${offerer} (${offered.length})`,
      ...LINK_STEPS.map(([mark]) => p50(offered.map((link) => link[mark]))),
      String(calls[Math.floor(calls.length / 2)] ?? '-'),
    ];
  });
  return { labels: [...LINK_STEPS.map(([, label]) => label), 'calls'], rows };
}
