import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepSecret } from './kept-secret.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'amphi-kept-secret-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('keepSecret', () => {
  it('creates the secret once, readable by its owner only, and reuses it afterwards', async () => {
    const file = path.join(dir, 'nested', 'auth-secret');
    const first = await keepSecret(file, () => 'first-secret');
    expect(first).toEqual({ value: 'first-secret', created: true });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await keepSecret(file, () => 'second-secret')).toEqual({
      value: 'first-secret',
      created: false,
    });
    expect((await readFile(file, 'utf8')).trim()).toBe('first-secret');
  });

  it('gives every one of many concurrent callers the same secret, made by exactly one', async () => {
    const file = path.join(dir, 'auth-secret');
    const kept = await Promise.all(
      Array.from({ length: 20 }, (_, i) => keepSecret(file, () => `secret-${i}`)),
    );
    expect(new Set(kept.map((secret) => secret.value)).size).toBe(1);
    expect(kept.filter((secret) => secret.created)).toHaveLength(1);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('leaves no drafts behind', async () => {
    const file = path.join(dir, 'auth-secret');
    await Promise.all(Array.from({ length: 5 }, () => keepSecret(file, () => 'x'.repeat(40))));
    expect(await readdir(dir)).toEqual(['auth-secret']);
  });

  it('refuses an empty secret file instead of signing with an empty secret', async () => {
    const file = path.join(dir, 'auth-secret');
    await writeFile(file, '\n');
    await expect(keepSecret(file, () => 'new')).rejects.toThrow(/is empty/);
  });
});
