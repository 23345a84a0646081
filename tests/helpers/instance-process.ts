import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { testAuthSecret } from './test-database.ts';

const repo = path.resolve(import.meta.dirname, '../..');

/**
 * Amphi started as `npm start` starts it (server/main.ts), in a process of its own, so a test can
 * kill it the way a crash does: no shutdown, no cleanup. `env` adds to a quiet test setup.
 */
export async function startInstanceProcess(env: Record<string, string>) {
  // Node itself with tsx's loader, not the tsx CLI: that would run the server in a child of its
  // own, which outlives a SIGKILL sent to the CLI.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repo,
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_SECRET: testAuthSecret,
      SEED_DEMO_DATA: 'false',
      CAPTIONS_ENGINE: 'off',
      RELAY_ENABLED: 'false',
      GRAPHIQL: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 200 s:\n${output}`)), 200_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /http:\/\/localhost:(\d+)\/graphql/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    url,
    /** What it printed so far (both streams). */
    output: () => output,
    /** Kills the process at once (SIGKILL), as a crash or a pulled plug would. */
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
