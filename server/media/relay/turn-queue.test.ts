import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { createTurnQueue } from './turn-queue.ts';

describe('createTurnQueue', () => {
  it('runs jobs in order in later turns, each after the continuations of the one before', async () => {
    const queue = createTurnQueue();
    const log: string[] = [];
    for (const name of ['first', 'second', 'third']) {
      queue.defer(() => {
        log.push(name);
        // As werift's handshake steps: work continued in a promise, keyed by the job before.
        void Promise.resolve().then(() => log.push(`${name} continued`));
      });
    }
    expect(log).toEqual([]);
    await nextTurn();
    await waitFor(() => log.length === 6, 'every job');
    expect(log).toEqual([
      'first',
      'first continued',
      'second',
      'second continued',
      'third',
      'third continued',
    ]);
  });
});
