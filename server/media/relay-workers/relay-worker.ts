import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { RelayError } from '../relay/relay-error.ts';
import type { RelayConfig } from '../relay/relay-types.ts';
import { createWorkerCalls, type RelayWorker, type RelayWorkerEvents } from './worker-calls.ts';
import type { ApiToWorker, PipeAddress, PipeSetup, WorkerToApi } from './worker-protocol.ts';

/** A worker that does not answer `stop` in this time is killed. */
const STOP_TIMEOUT_MS = 5_000;

const entry = new URL('./relay-worker-main.ts', import.meta.url);
// Workers run the project's TypeScript as the API does: through tsx's loader, found from here so
// that the API's working directory does not matter.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Starts a local relay worker process: typed calls with replies, commands, and the worker's own
 * reports over IPC. Resolves once the worker's relay runs and its pipe socket is bound.
 */
export async function startRelayWorker(
  config: RelayConfig,
  pipe: PipeSetup,
  events: RelayWorkerEvents,
): Promise<RelayWorker> {
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', tsx],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited = false;
  let stopping = false;

  function send(message: ApiToWorker): void {
    if (exited || !child.connected) return;
    child.send(message);
  }
  const calls = createWorkerCalls(send);

  const ready = new Promise<PipeAddress>((resolve, reject) => {
    child.on('message', (message: WorkerToApi) => {
      if (message.type === 'ready') resolve(message.pipe);
      else if (message.type === 'reply') calls.settle(message);
      else events.onMessage(message);
    });
    child.on('exit', (code, signal) => {
      exited = true;
      calls.end();
      reject(new RelayError('CLOSED', 'The relay worker ended.'));
      if (!stopping) events.onExit(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });
  // Stops an unhandled rejection when the worker dies before it was ever awaited.
  ready.catch(() => {});
  send({ type: 'start', config, pipe });
  const pipeAddress = await ready;

  return {
    pid: child.pid,
    pipe: pipeAddress,
    call: calls.call,
    command: send,
    get alive(): boolean {
      return !exited;
    },

    /** Closes the worker's relay, then its process; kills it if it does not answer. */
    async stop(): Promise<void> {
      if (exited) return;
      stopping = true;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await calls.call({ type: 'stop' }).catch(() => {});
      if (child.connected) child.disconnect();
      await gone;
      clearTimeout(timer);
    },
  };
}
