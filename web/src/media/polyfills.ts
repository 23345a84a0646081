/**
 * Node globals simple-peer and its dependencies (readable-stream, randombytes, debug) read in the
 * browser. Imported before simple-peer: randombytes reads `global.crypto` as it loads.
 */
import { Buffer } from 'buffer';
import process from 'process';

globalThis.global ??= globalThis;
globalThis.process ??= process;
globalThis.Buffer ??= Buffer;
