import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { buildApp } from '../../server/app.ts';
import { defaultConfig } from '../../server/config.ts';

export type ServingRow = {
  server: string;
  listeners: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** Server process CPU per 1,000 requests (ms). */
  cpuMsPer1000: number;
};

const loadScript = fileURLToPath(new URL('./load.ts', import.meta.url));

function runLoad(playlistUrl: string, listeners: number, ms: number) {
  return new Promise<{
    requests: number;
    seconds: number;
    failures: number;
    p50: number;
    p99: number;
  }>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', loadScript, playlistUrl, String(listeners), String(ms)],
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    );
  });
}

async function phase(server: string, playlistUrl: string, listeners: number, ms: number) {
  const cpu = process.cpuUsage();
  const result = await runLoad(playlistUrl, listeners, ms);
  const used = process.cpuUsage(cpu);
  return {
    server,
    listeners,
    requestsPerSecond: Math.round(result.requests / result.seconds),
    p50Ms: +result.p50.toFixed(2),
    p99Ms: +result.p99.toFixed(2),
    failures: result.failures,
    cpuMsPer1000: +(((used.user + used.system) / 1000 / result.requests) * 1000).toFixed(1),
  } satisfies ServingRow;
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

/**
 * HLS serving: one live public space on Amphi (no speakers: the mix of silence is segmented
 * all the same), its playlist and segments fetched by N listeners from Amphi, then the same
 * files, copied once, from a plain static file server (sirv over node:http) in the same process.
 */
export async function benchHlsServing(listenerCounts: number[], ms: number): Promise<ServingRow[]> {
  const app = await buildApp({
    ...defaultConfig,
    port: 0,
    host: '127.0.0.1',
    database: { kind: 'pglite', dataDir: undefined },
    graphiql: false,
    hosting: { ...defaultConfig.hosting, minFollowers: 0 },
    requestRate: null,
  });
  const { url } = await app.start();
  const dir = await mkdtemp(join(tmpdir(), 'amphi-bench-hls-'));
  let staticServer: Server | null = null;
  try {
    const host = await app.prisma.user.create({
      data: { id: 'bench-host', handle: 'bench_host', name: 'Host', email: 'h@bench.invalid' },
    });
    const space = await app.services.spaces.start(host.id, { title: 'Bench', topics: [] });
    const info = await app.services.broadcast.info(space, null);
    if (!info.url) throw new Error('no broadcast URL');
    const playlistUrl = new URL(info.url, url).href;
    let playlist = '';
    for (let tries = 0; tries < 100; tries++) {
      const response = await fetch(playlistUrl);
      playlist = await response.text();
      if (response.status === 200 && playlist.split('.m4s').length > 3) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The static copy: what Amphi served at one moment, under the same names.
    const staticDir = join(dir, 'hls');
    await mkdir(staticDir);
    await writeFile(join(staticDir, 'live.m3u8'), playlist);
    const names = playlist.split('\n').filter((line) => line.endsWith('.m4s'));
    const init = /URI="([^"]+)"/.exec(playlist)?.[1];
    for (const name of [...names, ...(init ? [init] : [])]) {
      const response = await fetch(new URL(name, playlistUrl));
      const body = new Uint8Array(await response.arrayBuffer());
      await writeFile(join(staticDir, name), body);
    }
    // sirv lists its files when made (dev: false, as in production): after they are written.
    staticServer = createServer(sirv(dir, { dev: false }));
    const staticPort = await listen(staticServer);
    const rows: ServingRow[] = [];
    for (const listeners of listenerCounts) {
      rows.push(await phase('amphi', playlistUrl, listeners, ms));
      rows.push(
        await phase('static (sirv)', `http://127.0.0.1:${staticPort}/hls/live.m3u8`, listeners, ms),
      );
    }
    return rows;
  } finally {
    staticServer?.close();
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
