import { logUnhandledErrors } from '../../process-errors.ts';
import { unpoolBuffers } from '../relay/unpooled-buffers.ts';
import { startWorkerRuntime, type WorkerRuntime } from './relay-worker-runtime.ts';
import type { ApiToWorker, WorkerToApi } from './worker-protocol.ts';

/**
 * A local relay worker process, driven by the API over IPC (relay-worker-runtime.ts does the
 * work). Started by relay-worker.ts; it exits when the API goes away.
 */

// As in the API process: one client's failure must not end every session of the worker.
logUnhandledErrors();
unpoolBuffers();

function post(message: WorkerToApi): void {
  // While stopping, the API may have hung up already; what is left to say no longer matters.
  if (process.connected) process.send?.(message, undefined, undefined, () => {});
}

let runtime: WorkerRuntime | undefined;

process.on('message', (message: ApiToWorker) => {
  if (message.type === 'start') {
    runtime ??= startWorkerRuntime(message, {
      post,
      onFatal: (error) => {
        process.stderr.write(`Relay worker: ${error instanceof Error ? error.message : error}\n`);
        process.exit(1);
      },
    });
    return;
  }
  if (!runtime) throw new Error(`A relay worker got ${message.type} before start.`);
  runtime.handle(message);
});
// The API is this process's only reason to live: without it nobody can close its sessions.
process.on('disconnect', () => process.exit(0));
