/**
 * One end of bench/pipe-receive, in a process of its own so that its CPU is only the receiving:
 * a worker's pipe socket on 127.0.0.1, read by the addon (`native`), by node:dgram and opened in
 * JavaScript (`javascript`, as before the addon read it), or by node:dgram with nothing done
 * (`dgram-only`). Each opened datagram is decoded as the worker does. Prints its port, then the
 * datagrams it handed on when its parent asks (a line on stdin).
 */
import { createInterface } from 'node:readline';
import { decodePipedPacket } from '../../server/media/relay-workers/pipe-datagram.ts';
import { createPipeReceiver } from '../../server/media/relay-workers/pipe-receiver.ts';
import { createPipeOpener } from '../../server/media/relay-workers/pipe-seal.ts';
import { createPipeSocket } from '../../server/media/relay-workers/pipe-socket.ts';

const mode = process.argv[2];
const key = Buffer.from(process.argv[3] ?? '', 'hex');
const pipe = createPipeSocket('127.0.0.1');
let handed = 0;
const onDatagram = (_senderId: number, body: Buffer) => {
  if (decodePipedPacket(body)) handed++;
};
const receiver = mode === 'native' ? createPipeReceiver(pipe, key, onDatagram) : undefined;
if (mode === 'javascript') {
  const open = createPipeOpener(key);
  pipe.socket.on('message', (datagram) => {
    const opened = open(datagram);
    if (opened) onDatagram(opened.senderId, opened.body);
  });
} else if (mode === 'dgram-only') {
  pipe.socket.on('message', () => handed++);
}
pipe.socket.bind(0, pipe.bindAddress, () => {
  receiver?.bound();
  if (mode === 'native' && !receiver?.native) throw new Error('the addon does not read the pipe');
  console.log(pipe.socket.address().port);
});
createInterface({ input: process.stdin }).on('line', () => console.log(handed));
