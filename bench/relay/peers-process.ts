import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Replies, Reply, ToPeers } from './protocol.ts';

/**
 * Pins a process and all its threads to one core, so the relay and the peers never share one;
 * threads started later inherit it. Returns false where taskset is missing or refused.
 */
export function pinToCore(pid: number, core: number): boolean {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], {
    stdio: 'ignore',
  });
  return result.status === 0;
}

/** Each peers process's entry: the timing one (speaker, timed listeners) and the counting one. */
const ENTRIES = { timing: './peers.ts', counting: './counting.ts' } as const;

/** Starts a peers process (on `core`, when given) and speaks to it by request id. */
export function startPeersProcess(role: keyof typeof ENTRIES, core: number | undefined) {
  const entry = fileURLToPath(new URL(ENTRIES[role], import.meta.url));
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pinned = core !== undefined && child.pid !== undefined && pinToCore(child.pid, core);
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  child.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(`peers process: ${reply.error}`));
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`the peers process exited with ${code}`));
    }
    pending.clear();
  });

  return {
    pinned,
    pid: child.pid ?? 0,
    call<Message extends ToPeers>(message: Message): Promise<Replies[Message['type']]> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: (value) => resolve(value as Replies[Message['type']]), reject });
        child.send({ ...message, id });
      });
    },
    stop(): void {
      if (child.connected) child.disconnect();
    },
  };
}

export type PeersProcess = ReturnType<typeof startPeersProcess>;
