import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkedKey, type RecordingStorage } from './recording-storage.ts';

/** Recordings as files under `root` (the data directory's `recordings/`). */
export function createDiskRecordingStorage(root: string): RecordingStorage {
  const pathOf = (key: string) => join(root, checkedKey(key));
  return {
    async create(key) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const file = await open(path, 'w');
      return {
        async write(data, position) {
          await file.write(data, 0, data.length, position);
        },
        sync: () => file.datasync(),
        close: () => file.close(),
      };
    },
    read: async (key) => new Uint8Array(await readFile(pathOf(key))),
    async readRange(key, start, end) {
      const file = await open(pathOf(key), 'r');
      try {
        const buffer = new Uint8Array(Math.max(0, end - start));
        const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
        return buffer.subarray(0, bytesRead);
      } finally {
        await file.close();
      }
    },
    async size(key) {
      try {
        return (await stat(pathOf(key))).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async rename(from, to) {
      await rename(pathOf(from), pathOf(to));
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async removeAll(prefix) {
      await rm(pathOf(prefix), { recursive: true, force: true });
    },
  };
}
