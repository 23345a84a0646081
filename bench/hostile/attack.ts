import type { Agent } from 'node:http';
import type { AttackTarget } from './protocol.ts';

/** What became of one attack request: its answer's label, and the body bytes written. */
export type Shot = { label: string; bytesSent: number };

/** One kind of hostile traffic: `lanes` loops, each firing its next request once one is done. */
export type Attack = {
  lanes: number;
  fire(context: { target: AttackTarget; agent: Agent; shot: number }): Promise<Shot>;
};
