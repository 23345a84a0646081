import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pinToCore } from './server-process.ts';

type Typed = { type: string };

/**
 * A bench helper process (probe, attacker, floor server) spoken to one request at a time:
 * `call` sends a message and resolves with the first reply of the given type.
 */
export function startWorker<To extends Typed, From extends Typed>(
  file: string,
  { core, nice }: { core: number | undefined; nice?: number },
) {
  const entry = fileURLToPath(new URL(file, import.meta.url));
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pid = child.pid ?? 0;
  if (core !== undefined) pinToCore(pid, core);
  // Attackers yield to the probe sharing their core, so the probe times the server, not them.
  if (nice !== undefined) setPriority(pid, nice);
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  exited.catch(() => {});

  return {
    pid,
    call<Type extends From['type']>(
      message: To,
      replyType: Type,
    ): Promise<Extract<From, { type: Type }>> {
      const reply = new Promise<Extract<From, { type: Type }>>((resolve) => {
        const listener = (answer: From) => {
          if (answer.type !== replyType) return;
          child.off('message', listener);
          resolve(answer as Extract<From, { type: Type }>);
        };
        child.on('message', listener);
      });
      child.send(message);
      return Promise.race([reply, exited]);
    },
    stop() {
      if (child.connected) child.disconnect();
    },
  };
}
