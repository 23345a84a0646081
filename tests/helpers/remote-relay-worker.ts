import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');

export const testRedisUrlForRelay = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A UDP port free now (bound and released), for a process that needs a fixed one. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/**
 * `npm run relay-worker` as an operator starts it on another host, here on the loopback with its
 * own ports: resolves once it says it registered. `kill` ends it as a pulled plug would.
 */
export async function startRemoteRelayWorker(env: Record<string, string>) {
  // Node with tsx's loader, not the tsx CLI, whose own child would outlive a SIGKILL.
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/media/relay-workers/remote-worker-main.ts'],
    {
      cwd: repo,
      env: {
        PATH: process.env['PATH'] ?? '',
        REDIS_URL: testRedisUrlForRelay,
        RELAY_PORT: '0',
        RELAY_PIPE_HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // A worker is a server of its own: it must not outlive a test run that ends without cleanup.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not registered in 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('registered')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before registering:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    pid: child.pid,
    output: () => output,
    /** SIGKILL: no deregistration, no goodbye. */
    async kill(): Promise<void> {
      child.kill('SIGKILL');
      await exited;
    },
    /** SIGTERM: deregisters and ends. */
    async stop(): Promise<void> {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export type RemoteRelayWorkerProcess = Awaited<ReturnType<typeof startRemoteRelayWorker>>;
