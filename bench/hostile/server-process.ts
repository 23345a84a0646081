import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { send } from './http-client.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Pins a process and all its threads to one core; threads started later inherit it. False where
 * taskset is missing or refused.
 */
export function pinToCore(pid: number, core: number): boolean {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], {
    stdio: 'ignore',
  });
  return result.status === 0;
}

/** A port free now, for a server that must know its own public URL before it listens. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export type ServerSettings = {
  port: number;
  dataDir: string;
  /** Kept across restarts, so sessions signed before one still count after it. */
  authSecret: string;
  core: number | undefined;
  /** Set over the deployment's own (another database, other limits). */
  env?: Record<string, string>;
};

/**
 * The environment of a public deployment as `npm start` runs it (server/env.ts), from scratch so
 * nothing of the caller's (DATABASE_URL, REDIS_URL, NODE_ENV=test) leaks in: embedded database,
 * ticketing on (so the Stripe webhook reads bodies; Stripe's API itself is never called), hosting
 * open to anyone, no demo data, captions off.
 */
function deploymentEnv({ port, dataDir, authSecret, env }: ServerSettings): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    TMPDIR: process.env['TMPDIR'],
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    AUTH_SECRET: authSecret,
    SEED_DEMO_DATA: 'false',
    HOST_MIN_FOLLOWERS: '0',
    HOST_GRACE_SECONDS: '3600',
    CAPTIONS_ENGINE: 'off',
    TICKETING_ENABLED: 'true',
    STRIPE_SECRET_KEY: 'sk_test_hostile_bench',
    STRIPE_WEBHOOK_SECRET: 'whsec_hostile_bench',
    STRIPE_API_URL: 'http://127.0.0.1:9',
    ...env,
  };
}

/** Lines kept of the server's output, to say why it ended. */
const KEPT_LINES = 30;

export type ServerProcess = Awaited<ReturnType<typeof startAmphi>>;

/**
 * Starts `server/main.ts` in its own Node process (pinned to `core` when given) and resolves
 * once /health answers. The same settings and secret restart it on the same data.
 */
export async function startAmphi(settings: ServerSettings, readyTimeoutMs: number) {
  const baseUrl = `http://127.0.0.1:${settings.port}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: deploymentEnv(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid ?? 0;
  const pinned = settings.core !== undefined && pinToCore(pid, settings.core);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
  });

  const started = performance.now();
  for (;;) {
    if (exit) throw new Error(`Amphi exited while starting:\n${lines.join('\n')}`);
    if (performance.now() - started > readyTimeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`Amphi did not answer /health in ${readyTimeoutMs / 1000} s`);
    }
    const up = await send({ url: `${baseUrl}/health`, timeoutMs: 1_000 }).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    pid,
    pinned,
    baseUrl,
    startedInMs: performance.now() - started,
    /** How it ended (exit code or signal), or undefined while it runs. */
    get exit() {
      return exit;
    },
    /** The last lines it printed. */
    output: () => [...lines],
    /** SIGTERM (Amphi's own shutdown), SIGKILL if it takes longer than `graceMs`. */
    async stop(graceMs = 5_000) {
      if (exit) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
