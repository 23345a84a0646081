import type { ServerJoin, ServerLogEntry } from './mesh-timeline.ts';

export type AppHostOptions = { mode: 'mesh' | 'relay'; relayWorkers: number };

/** Someone with an API token, as the lab page signs in. */
export type BenchUser = { id: string; token: string };

/** The staged space as the bench sees it: Relay ids of host and speaker, their tokens. */
export type HostedSpace = {
  spaceId: string;
  spaceGlobalId: string;
  ids: { host: string; speaker: string };
  host: BenchUser;
  speaker: BenchUser;
};

export type AppHostReady = { type: 'ready'; url: string; space: HostedSpace };

/** Event-loop delay in ms over the joins. */
export type LoopDelay = { p50: number; p99: number; max: number };

export type ToHost =
  | { type: 'createUser'; name: string }
  | { type: 'leave'; userId: string }
  | { type: 'takeServerLog' }
  | { type: 'takeJoins' }
  | { type: 'loopDelay' };

export type HostReplies = {
  createUser: BenchUser;
  leave: null;
  takeServerLog: ServerLogEntry[];
  takeJoins: ServerJoin[];
  loopDelay: LoopDelay;
};

export type HostRequest = ToHost & { id: number };
export type HostReply =
  | { id: number; ok: true; value: HostReplies[ToHost['type']] }
  | { id: number; ok: false; error: string };
