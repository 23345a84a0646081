import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiskRecordingStorage } from './disk-recording-storage.ts';

describe('createDiskRecordingStorage', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps files under its root and removes a recording’s files together', async () => {
    dir = await mkdtemp(join(tmpdir(), 'amphi-storage-'));
    const storage = createDiskRecordingStorage(join(dir, 'recordings'));
    for (const key of ['rec-1/a.ogg', 'rec-1/b.ogg', 'rec-2/a.ogg']) {
      const file = await storage.create(key);
      await file.write(new TextEncoder().encode(key), 0);
      await file.close();
    }
    expect(await storage.size('rec-1/a.ogg')).toBe(11);
    expect(new TextDecoder().decode(await storage.readRange('rec-1/a.ogg', 4, 7))).toBe('1/a');
    expect(new TextDecoder().decode(await storage.readRange('rec-1/a.ogg', 8, 100))).toBe('ogg');
    await storage.removeAll('rec-1');
    expect(await storage.size('rec-1/a.ogg')).toBeNull();
    expect(await storage.read('rec-2/a.ogg')).toEqual(new TextEncoder().encode('rec-2/a.ogg'));
    expect(await readdir(join(dir, 'recordings'))).toEqual(['rec-2']);
  });

  it('refuses keys that would leave its root', async () => {
    dir = await mkdtemp(join(tmpdir(), 'amphi-storage-'));
    const storage = createDiskRecordingStorage(join(dir, 'recordings'));
    for (const key of ['../escape.ogg', '/etc/passwd', 'rec/../../x', '', 'rec//a', 'rec/.']) {
      await expect(storage.create(key)).rejects.toThrow('Not a recording key');
      await expect(storage.removeAll(key)).rejects.toThrow('Not a recording key');
    }
    expect(await readdir(dir)).toEqual([]);
  });
});
