import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  AppHostOptions,
  AppHostReady,
  HostReplies,
  HostReply,
  ToHost,
} from './app-protocol.ts';

/**
 * Starts bench/join's Amphi in a process of its own (app-host.ts; the environment, with
 * AMPHI_TEST_DATABASE and TEST_DATABASE_URL, is inherited) and resolves once its space is
 * staged; then speaks to it by request id.
 */
export async function startAppProcess(options: AppHostOptions) {
  const entry = fileURLToPath(new URL('./app-host.ts', import.meta.url));
  const child: ChildProcess = fork(entry, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  const ready = new Promise<AppHostReady>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench/join's Amphi exited with ${code}`)));
    child.on('message', (message: AppHostReady | HostReply) => {
      if ('type' in message) return resolve(message);
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`bench/join's Amphi: ${message.error}`));
    });
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`Amphi exited with ${code}`));
    pending.clear();
  });
  const { url, space } = await ready;

  return {
    url,
    space,
    call<Message extends ToHost>(message: Message): Promise<HostReplies[Message['type']]> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, {
          resolve: (value) => resolve(value as HostReplies[Message['type']]),
          reject,
        });
        child.send({ ...message, id });
      });
    },
    /** Asks it to stop its app (and drop its database), and waits until it has. */
    async stop() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

export type AppProcess = Awaited<ReturnType<typeof startAppProcess>>;
