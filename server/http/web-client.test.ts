import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webClientHandler } from './web-client.ts';

describe('webClientHandler', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'amphi-web-client-'));
  let server: Server;
  let base = '';

  beforeAll(async () => {
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(
      path.join(dir, 'index.html'),
      '<!doctype html><script src="/assets/app-Ab12.js">',
    );
    writeFileSync(path.join(dir, 'assets', 'app-Ab12.js'), 'export {};');
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
    const handler = webClientHandler(dir);
    if (!handler) throw new Error('no handler for a built client');
    server = createServer((req, res) => handler(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets browsers keep the hashed build files without asking again', async () => {
    const response = await fetch(`${base}/assets/app-Ab12.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('has the page that names them checked on every visit, on every client route', async () => {
    for (const route of ['/', '/spaces/some-space', '/favicon.svg']) {
      const response = await fetch(`${base}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('cache-control'), route).toBe('no-cache');
    }
    expect(await (await fetch(`${base}/spaces/some-space`)).text()).toContain(
      '/assets/app-Ab12.js',
    );
  });
});
