import { StreamSource } from 'mediabunny';
import type { RecordingStorage } from './recording-storage.ts';

/** A stored file as a mediabunny source, read in ranges (never whole into memory). */
export function storageSource(storage: RecordingStorage, key: string, size: number) {
  return new StreamSource({
    getSize: () => size,
    read: (start, end) => storage.readRange(key, start, end),
    prefetchProfile: 'fileSystem',
  });
}
