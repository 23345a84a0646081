/**
 * What receiving a piped datagram costs a relay worker, at a piped speaker's pace: datagrams one
 * at a time (`--rate` a second, each its own wake-up, as 50 packets a second are), sealed and
 * encoded as a worker pipes them, received by a process of their own (receiver.ts) whose CPU
 * (all threads, /proc) is divided by the datagrams it handed on. The addon reading the socket
 * (what workers do where it is built), against node:dgram with the seal opened in JavaScript
 * (before), and the floor: node:dgram handing each datagram to an empty listener. The modes run
 * in turn, `--rounds` times in ABC CBA order, so a host growing busier weighs on all alike.
 *
 *   npm run bench -- pipe-receive [--rate=250] [--seconds=10] [--rounds=2]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodePipedPacket } from '../../server/media/relay-workers/pipe-datagram.ts';
import { createPipeKey, createPipeSealer } from '../../server/media/relay-workers/pipe-seal.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '250' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
if (![RATE, SECONDS, ROUNDS].every((value) => Number.isInteger(value) && value > 0)) {
  throw new Error('--rate, --seconds and --rounds take positive integers');
}
const MODES = ['native', 'javascript', 'dgram-only'] as const;
type Mode = (typeof MODES)[number];

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const key = createPipeKey();
const seal = createPipeSealer(key, 1);
const datagram = (sequenceNumber: number) =>
  seal(
    encodePipedPacket({
      spaceId: 'cm9x0space0000000000000000',
      participantId: 'cm9x0participant0000000000',
      levelPayload: Buffer.of(0x9e),
      packet: {
        header: { marker: false, sequenceNumber, timestamp: sequenceNumber * 960, ssrc: 7 },
        payload: Buffer.alloc(80, sequenceNumber),
      },
    }),
  );

async function ask(child: ChildProcess, lines: AsyncIterator<string>): Promise<number> {
  child.stdin?.write('\n');
  return Number((await lines.next()).value);
}

async function measure(mode: Mode) {
  const receiver = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(fileURLToPath(new URL('.', import.meta.url)), 'receiver.ts'),
      mode,
      Buffer.from(key).toString('hex'),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: receiver.stdout! })[Symbol.asyncIterator]();
  const port = Number((await lines.next()).value);
  const sender = createSocket('udp4');
  // Warm: V8 compiles the receiving path before it is measured.
  for (let index = 0; index < 2_000; index++) {
    sender.send(datagram(index & 0xffff), port, '127.0.0.1');
    if (index % 20 === 0) await sleep(1);
  }
  await sleep(500);
  const handedBefore = await ask(receiver, lines);
  const cpuBefore = cpuSeconds(receiver.pid!);
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < SECONDS * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * RATE);
    for (; sent < due; sent++) sender.send(datagram(sent & 0xffff), port, '127.0.0.1');
    await sleep(1);
  }
  await sleep(200);
  const cpu = cpuSeconds(receiver.pid!) - cpuBefore;
  const handed = (await ask(receiver, lines)) - handedBefore;
  sender.close();
  receiver.kill();
  await once(receiver, 'exit');
  return { cpu, handed, sent };
}

console.log(
  `bench/pipe-receive: sealed piped datagrams (80-byte frame) one at a time, ${RATE} a second, ` +
    `${SECONDS} s per run, ${ROUNDS} round(s)`,
);
const totals = new Map<Mode, { cpu: number; handed: number }>();
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
    const { cpu, handed, sent } = await measure(mode);
    console.log(
      `round ${round + 1}, ${mode}: ${handed} of ${sent} datagrams handed on, ` +
        `${((cpu / handed) * 1e6).toFixed(1)} µs of CPU each`,
    );
    const total = totals.get(mode) ?? { cpu: 0, handed: 0 };
    totals.set(mode, { cpu: total.cpu + cpu, handed: total.handed + handed });
  }
}
const perDatagram = (mode: Mode) => {
  const total = totals.get(mode);
  return total ? (total.cpu / total.handed) * 1e6 : Number.NaN;
};
const native = perDatagram('native');
const javascript = perDatagram('javascript');
const floor = perDatagram('dgram-only');
console.log(
  `  per datagram over all rounds: addon ${native.toFixed(1)} µs, node:dgram + JavaScript opening ` +
    `${javascript.toFixed(1)} µs (${((native / javascript - 1) * 100).toFixed(0)}%); ` +
    `floor, node:dgram to an empty listener: ${floor.toFixed(1)} µs`,
);
