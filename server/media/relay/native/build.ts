/**
 * Builds the native SRTP sender, which also seals piped datagrams, runs DTLS and signs STUN in
 * OpenSSL (run by `npm install`). It is an accelerator: where it cannot be built (no C compiler, make or
 * python3), the relay forwards and seals in JavaScript, handshakes in werift, and says so at
 * start.
 * It uses only Node-API and OpenSSL 3, so the headers of any Node >= 18 do: those beside the Node
 * that runs this, or a system Node's (npm prunes the project's `node` package's headers on a
 * second install), and nothing is downloaded when one is found.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = dirname(fileURLToPath(import.meta.url));
const built = join(folder, 'build', 'Release', 'srtp_sender.node');
const sources = [
  'srtp_sender.c',
  'srtp_protect.c',
  'srtp_protect.h',
  'pipe_seal.c',
  'pipe_seal.h',
  'pipe_receive.c',
  'pipe_receive.h',
  'pipe_route.c',
  'pipe_route.h',
  'srtp_sender.h',
  'dtls_context.c',
  'dtls_context.h',
  'dtls_session.c',
  'dtls_session.h',
  'stun_integrity.c',
  'stun_integrity.h',
  'napi_args.h',
  'binding.gyp',
].map((name) => join(folder, name));

const upToDate =
  existsSync(built) &&
  sources.every((source) => statSync(source).mtimeMs <= statSync(built).mtimeMs);
if (upToDate) process.exit(0);

const nodeDir = [
  resolve(process.execPath, '..', '..'),
  // The project's `node` package keeps its headers in the platform package it installs.
  resolve(process.execPath, '..', '..', 'node_modules', `node-${process.platform}-${process.arch}`),
  '/usr',
  '/usr/local',
].find(
  (folder) =>
    existsSync(join(folder, 'include', 'node', 'common.gypi')) &&
    existsSync(join(folder, 'include', 'node', 'openssl', 'evp.h')),
);
// npm sets npm_config_node_gyp to its bundled node-gyp for lifecycle scripts.
const nodeGyp = process.env['npm_config_node_gyp'];
const command = nodeGyp ? [process.execPath, nodeGyp] : ['npx', '--yes', 'node-gyp'];
const [program, ...rest] = command as [string, ...string[]];
const result = spawnSync(
  program,
  [...rest, 'rebuild', '--directory', folder, ...(nodeDir ? [`--nodedir=${nodeDir}`] : [])],
  { encoding: 'utf8' },
);
if (result.status !== 0) {
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`;
  const lastLines = output.trim().split('\n').slice(-8).join('\n    ');
  console.warn(
    'Amphi: the native SRTP sender did not build, so the relay will forward in JavaScript ' +
      '(about a third of the listeners per core) and handshake DTLS in werift (a burst of ' +
      'joins costs it about half as much again). It needs a C compiler, make and python3.\n' +
      `    ${lastLines}`,
  );
}
