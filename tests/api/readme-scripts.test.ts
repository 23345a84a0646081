import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const repo = path.join(import.meta.dirname, '..', '..');
// The project's own Node 22 (global WebSocket), as `npm start` runs; the system Node otherwise.
const projectNode = path.join(repo, 'node_modules', 'node', 'bin', 'node');
const node = existsSync(projectNode) ? projectNode : process.execPath;

let t: TestApp;
let token: string;
let spaceId: string;

beforeAll(async () => {
  t = await startTestApp();
  const host = await t.createUser('host', { followers: t.app.config.hosting.minFollowers });
  const follower = await t.createUser('follower');
  token = follower.credentials.token ?? '';
  spaceId = (await t.app.services.spaces.start(host.id, { title: 'Scripts', topics: [] })).id;
});

afterAll(() => t?.stop());

/** The README's ```js block that follows `marker`, saved where its imports resolve. */
async function readmeScript(marker: string, name: string): Promise<string> {
  const readme = await readFile(path.join(repo, 'README.md'), 'utf8');
  const from = readme.indexOf(marker);
  expect(from, `README has no "${marker}"`).toBeGreaterThan(0);
  const block = /```js\n([\s\S]*?)\n```/.exec(readme.slice(from))?.[1];
  const dir = path.join(repo, 'artifacts', 'readme-scripts');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeFile(file, block ?? '');
  return file;
}

/** Runs a script until it exits, with people joining the space meanwhile; its output lines. */
async function runWhilePeopleJoin(file: string): Promise<string[]> {
  const child = spawn(node, [file], {
    env: {
      ...process.env,
      AMPHI_URL: t.url,
      AMPHI_TOKEN: token,
      AMPHI_SPACE: toGlobalId('Space', spaceId),
      AMPHI_EVENTS: '2',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  // The script subscribes at its own pace: keep people coming until it has seen its events.
  for (let joins = 0; running && joins < 100; joins++) {
    const listener = await t.createUser('listener');
    await t.app.services.spaces.join(listener.id, spaceId);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (running) child.kill();
  const code = await exited;
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout.trim().split('\n');
}

/** Two lines of `<time> <event type>`, people joining among them (the space may also move to the relay). */
function expectSpaceEventLines(lines: string[]) {
  expect(lines).toHaveLength(2);
  for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z [A-Z]\w+$/);
  expect(lines.some((line) => line.endsWith(' ListenersChanged'))).toBe(true);
}

describe('README: following a space from a script', () => {
  it('the Server-Sent Events script prints the space events it receives', async () => {
    const lines = await runWhilePeopleJoin(
      await readmeScript('Over **Server-Sent Events**', 'sse.mjs'),
    );
    expectSpaceEventLines(lines);
  });

  it('the graphql-ws script prints the space events it receives', async () => {
    const lines = await runWhilePeopleJoin(await readmeScript('Over **graphql-ws**', 'ws.mjs'));
    expectSpaceEventLines(lines);
  });
});
