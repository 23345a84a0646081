import { send } from './http-client.ts';
import { type Cost, watchCost } from './proc-stats.ts';
import type {
  AttackKind,
  AttackTarget,
  FromAttacker,
  FromProbe,
  ProbeResult,
  ProbeTarget,
  Tally,
  ToAttacker,
  ToProbe,
} from './protocol.ts';
import type { ServerProcess } from './server-process.ts';
import type { startWorker } from './workers.ts';

export type Probe = ReturnType<typeof startWorker<ToProbe, FromProbe>>;
export type Attacker = ReturnType<typeof startWorker<ToAttacker, FromAttacker>>;

export type ProbePlan = { targets: ProbeTarget[]; intervalMs: number; timeoutMs: number };

export type PhaseResult = {
  name: string;
  probed: ProbeResult[];
  answers: { kind: AttackKind; answers: Tally; bytesSent: number; cut: number }[];
  seconds: number;
  cost: Cost;
  /** How the server ended, when it did during the phase, and its last lines. */
  exited: { how: string; output: string[] } | undefined;
};

/** Probes the server for `durationMs` while the given attackers run, and reads its cost. */
export async function measurePhase(
  name: string,
  server: ServerProcess,
  probe: Probe,
  plan: ProbePlan,
  durationMs: number,
  attackers: { kind: AttackKind; attacker: Attacker }[],
  target: AttackTarget,
): Promise<PhaseResult> {
  const started = performance.now();
  const cost = watchCost(server.pid);
  for (const { kind, attacker } of attackers) {
    await attacker.call({ type: 'start', kind, target }, 'started');
  }
  const { results } = await probe.call({ type: 'run', durationMs, ...plan }, 'ran');
  const answers = [];
  for (const { kind, attacker } of attackers) {
    const stopped = await attacker.call({ type: 'stop' }, 'stopped');
    answers.push({
      kind,
      answers: stopped.answers,
      bytesSent: stopped.bytesSent,
      cut: stopped.cut,
    });
  }
  const exit = server.exit;
  return {
    name,
    probed: results,
    answers,
    seconds: (performance.now() - started) / 1000,
    cost: cost.stop(),
    exited: exit && {
      how: exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`,
      output: server.output(),
    },
  };
}

/**
 * Waits until /health answers within `quickMs` three times in a row, for at most `maxMs`: the
 * attack's leftovers (queued requests) are done. False if they are not.
 */
export async function settle(server: ServerProcess, quickMs: number, maxMs: number) {
  const deadline = performance.now() + maxMs;
  let quick = 0;
  while (performance.now() < deadline && !server.exit) {
    const started = performance.now();
    const ok = await send({ url: `${server.baseUrl}/health`, timeoutMs: quickMs * 10 }).then(
      (answer) => answer.status === 200,
      () => false,
    );
    quick = ok && performance.now() - started <= quickMs ? quick + 1 : 0;
    if (quick >= 3) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
