import { describe, expect, it } from 'vitest';
import { createRecordBatch } from './record-batch.ts';

const record = (byte: number, length: number) => Buffer.alloc(length, byte);

describe('createRecordBatch', () => {
  it('sends the records of one run together, in order, in datagrams that fit', async () => {
    const sent: Buffer[] = [];
    const batch = createRecordBatch((datagram) => sent.push(datagram), 100);
    batch.push(record(1, 40));
    batch.push(record(2, 50));
    batch.push(record(3, 30));
    batch.push(record(4, 150));
    batch.push(record(5, 10));
    expect(sent).toEqual([]);
    await Promise.resolve();
    expect(sent).toEqual([
      Buffer.concat([record(1, 40), record(2, 50)]),
      record(3, 30),
      record(4, 150),
      record(5, 10),
    ]);

    batch.push(record(6, 20));
    await Promise.resolve();
    expect(sent.at(-1)).toEqual(record(6, 20));
    expect(sent).toHaveLength(5);
  });
});
