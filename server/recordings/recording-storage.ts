/** A file being written: bytes at positions, durable up to the last `sync`. */
export type StoredFileWriter = {
  write(data: Uint8Array, position: number): Promise<void>;
  /** Makes what was written so far survive a crash of the machine, not only of the process. */
  sync(): Promise<void>;
  close(): Promise<void>;
};

/**
 * Where recordings live. Keys are relative paths (`<recording id>/<track>.ogg`); a store on disk
 * or an S3-compatible bucket implements the same calls, so callers never see paths.
 */
export type RecordingStorage = {
  /** Creates (or truncates) the file at `key`. */
  create(key: string): Promise<StoredFileWriter>;
  read(key: string): Promise<Uint8Array>;
  /** Bytes `start` (inclusive) to `end` (exclusive) of the file at `key`; fewer past its end. */
  readRange(key: string, start: number, end: number): Promise<Uint8Array>;
  /** Bytes stored at `key`, or null when there is no such file. */
  size(key: string): Promise<number | null>;
  /**
   * Puts the file at `from` in place of the one at `to`, at once: a reader (or a crash) sees the
   * old file or the new one, never a mix.
   */
  rename(from: string, to: string): Promise<void>;
  /** Removes the file at `key`, if there is one. */
  remove(key: string): Promise<void>;
  /** Removes every file whose key starts with `prefix/`. */
  removeAll(prefix: string): Promise<void>;
};

const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/;

/** Rejects keys that could leave the store (`..`, absolute paths, odd characters). */
export function checkedKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(`Not a recording key: ${JSON.stringify(key)}`);
  }
  return key;
}
