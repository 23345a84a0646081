import { describe, expect, it } from 'vitest';
import { createOutageLog } from './outage-log.ts';

describe('createOutageLog', () => {
  it('logs the first failure of an outage and its end, once each', () => {
    const lines: string[] = [];
    let now = 0;
    const outage = createOutageLog('Redis', 'counting in memory', {
      log: (line) => lines.push(line),
      now: () => now,
    });
    outage.recovered();
    for (let i = 0; i < 50; i++) outage.failed(new Error('connect ECONNREFUSED'));
    now = 12_000;
    outage.recovered();
    outage.recovered();
    expect(lines).toEqual([
      'outage: Redis is unreachable (connect ECONNREFUSED); counting in memory.',
      'outage over: Redis is reachable again after 12 s.',
    ]);
    expect(outage.down).toBe(false);
  });

  it('with quietMs, takes a failure after a quiet spell as a new outage', () => {
    const lines: string[] = [];
    let now = 0;
    const outage = createOutageLog('Stripe', 'payments wait', {
      log: (line) => lines.push(line),
      quietMs: 60_000,
      now: () => now,
    });
    outage.failed(new Error('timeout'));
    now = 30_000;
    outage.failed(new Error('timeout'));
    now = 200_000;
    outage.failed(new Error('timeout'));
    expect(lines).toHaveLength(2);
  });
});
