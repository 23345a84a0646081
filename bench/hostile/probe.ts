/**
 * The probe process: sends each target's request at a steady rate (open loop: a slow answer does
 * not delay the next request) and times every exchange, so a stalled server shows as latency and
 * timeouts rather than as fewer samples.
 */
import { Agent } from 'node:http';
import { send } from './http-client.ts';
import { count, errorLabel } from './outcomes.ts';
import type { FromProbe, ProbeResult, ProbeTarget, ToProbe } from './protocol.ts';

// Idle sockets are dropped before Node's server closes them (its keepAliveTimeout, 5 s), so a
// request never goes out on a socket the server is closing (a reset that is nobody's fault).
const agent = new Agent({ keepAlive: true, timeout: 2_000 });

async function once(target: ProbeTarget, timeoutMs: number, result: ProbeResult) {
  const started = performance.now();
  try {
    const answer = await send({ ...target, agent, timeoutMs });
    const latency = performance.now() - started;
    const failure = judge(target, answer.status, answer.body);
    if (failure) count(result.failures, failure);
    else result.latencies.push(latency);
  } catch (error) {
    count(result.failures, errorLabel(error));
  }
}

/** Why an answer does not count as served, or undefined when it does. */
function judge(target: ProbeTarget, status: number, body: Buffer): string | undefined {
  if (status !== 200) return String(status);
  if (target.expect === 'ok') return undefined;
  const parsed = JSON.parse(body.toString('utf8')) as { data?: unknown; errors?: unknown[] };
  if (parsed.errors?.length) return '200 with errors';
  return parsed.data ? undefined : '200 without data';
}

async function run({ targets, durationMs, intervalMs, timeoutMs }: ToProbe) {
  const results = targets.map((target) => ({ name: target.name, latencies: [], failures: {} }));
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const rounds = Math.floor(durationMs / intervalMs);
  for (let round = 0; round < rounds; round++) {
    for (const [index, target] of targets.entries()) {
      const due = start + round * intervalMs + (index * intervalMs) / targets.length;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const result = results[index];
      if (result) pending.push(once(target, timeoutMs, result));
    }
  }
  await Promise.all(pending);
  const reply: FromProbe = { type: 'ran', results };
  process.send?.(reply);
}

process.on('message', (message: ToProbe) => {
  if (message.type === 'run') void run(message);
});
process.on('disconnect', () => process.exit(0));
