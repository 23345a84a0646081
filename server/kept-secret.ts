import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A secret kept in a file readable by its owner only; `created` says this call made it. */
export type KeptSecret = { value: string; created: boolean };

/**
 * Reads the secret kept at `file`, or creates it from `generate()` when there is none. Creation
 * is atomic: the secret is written to a private draft first and then linked into place, which
 * fails if the file exists, so processes starting together all end up with the first one's.
 */
export async function keepSecret(file: string, generate: () => string): Promise<KeptSecret> {
  const kept = await readSecret(file);
  if (kept !== undefined) return { value: kept, created: false };
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.draft`;
  await writeFile(draft, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  let created = true;
  try {
    await link(draft, file);
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    created = false;
  } finally {
    await rm(draft, { force: true });
  }
  const value = await readSecret(file);
  if (value === undefined) throw new Error(`${file} vanished while it was being created`);
  return { value, created };
}

async function readSecret(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (text === '') throw new Error(`${file} is empty; delete it to have a new secret made`);
    return text;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

const isCode = (error: unknown, code: string) =>
  error instanceof Error && 'code' in error && error.code === code;
