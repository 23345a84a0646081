/**
 * An attacker process: runs one kind of attack from `start` to `stop`, then reports how its
 * requests were answered. Requests still in flight at the stop are cut and not counted.
 */
import { Agent } from 'node:http';
import type { Attack } from './attack.ts';
import { largeBodiesAttack } from './attack-large-bodies.ts';
import { nodesAttack } from './attack-nodes.ts';
import { signInAttack } from './attack-sign-ins.ts';
import { count, errorLabel } from './outcomes.ts';
import type { AttackKind, AttackTarget, FromAttacker, Tally, ToAttacker } from './protocol.ts';

const attacks: Record<AttackKind, Attack> = {
  nodes: nodesAttack,
  'large-bodies': largeBodiesAttack,
  'bad-sign-ins': signInAttack,
};

/**
 * Each attack connects from its own loopback address, so the server can tell it from the probe
 * (127.0.0.1) and from the other attacks, as it would tell clients on different hosts apart.
 */
const sourceAddresses: Record<AttackKind, string> = {
  nodes: '127.0.0.2',
  'large-bodies': '127.0.0.3',
  'bad-sign-ins': '127.0.0.4',
};

/** Pause after a refused connection: the server is down, and spinning would only heat the core. */
const REFUSED_PAUSE_MS = 100;

type Run = { stopped: boolean; answers: Tally; bytesSent: number; inFlight: number; agent: Agent };
let current: Run | undefined;

function reply(message: FromAttacker) {
  process.send?.(message);
}

function start(kind: AttackKind, target: AttackTarget) {
  const attack = attacks[kind];
  const run: Run = {
    stopped: false,
    answers: {},
    bytesSent: 0,
    inFlight: 0,
    agent: new Agent({ keepAlive: true, localAddress: sourceAddresses[kind] }),
  };
  current = run;
  let shot = 0;
  const lane = async () => {
    while (!run.stopped) {
      let label: string;
      run.inFlight += 1;
      try {
        const result = await attack.fire({ target, agent: run.agent, shot: shot++ });
        label = result.label;
        if (!run.stopped) run.bytesSent += result.bytesSent;
      } catch (error) {
        label = errorLabel(error);
      } finally {
        run.inFlight -= 1;
      }
      if (run.stopped) return;
      count(run.answers, label);
      if (label.endsWith('refused')) {
        await new Promise((resolve) => setTimeout(resolve, REFUSED_PAUSE_MS));
      }
    }
  };
  for (let index = 0; index < attack.lanes; index++) void lane();
  reply({ type: 'started' });
}

function stop() {
  const run = current;
  current = undefined;
  if (!run) return reply({ type: 'stopped', answers: {}, bytesSent: 0, cut: 0 });
  run.stopped = true;
  const cut = run.inFlight;
  run.agent.destroy();
  reply({ type: 'stopped', answers: run.answers, bytesSent: run.bytesSent, cut });
}

process.on('message', (message: ToAttacker) => {
  if (message.type === 'start') start(message.kind, message.target);
  else stop();
});
process.on('disconnect', () => process.exit(0));
