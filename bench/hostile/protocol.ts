/**
 * Messages between the bench process and its probe and attacker processes (Node IPC, advanced
 * serialization), and what each of them reports.
 */

/** How many answers of each kind: "200 data", "429 RATE_LIMITED (Retry-After)", "reset"... */
export type Tally = Record<string, number>;

/** One request the probe repeats at a steady rate. */
export type ProbeTarget = {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** `graphql`: a 200 with data and no errors counts; `ok`: any 200 does. */
  expect: 'graphql' | 'ok';
};

export type ToProbe = {
  type: 'run';
  targets: ProbeTarget[];
  durationMs: number;
  /** Between two requests to the same target; targets are staggered within it. */
  intervalMs: number;
  /** A request still unanswered after this counts as failed ("timeout"). */
  timeoutMs: number;
};

export type ProbeResult = {
  name: string;
  /** Milliseconds from sending to the last byte of the answer, of the requests that succeeded. */
  latencies: number[];
  /** Requests that did not succeed, by how. */
  failures: Tally;
};

export type FromProbe = { type: 'ran'; results: ProbeResult[] };

export const attackKinds = ['nodes', 'large-bodies', 'bad-sign-ins'] as const;
export type AttackKind = (typeof attackKinds)[number];

/** What an attacker knows of the server: what any client can learn from its public API. */
export type AttackTarget = {
  baseUrl: string;
  /** The site's own origin, as a browser on the site would send it. */
  origin: string;
  /** Relay ids the public API returned (spaces, hosts, stage participants). */
  knownIds: string[];
  /** A real account's email, for wrong-password sign-ins. */
  victimEmail: string;
};

export type ToAttacker =
  | { type: 'start'; kind: AttackKind; target: AttackTarget }
  | { type: 'stop' };

export type FromAttacker =
  | { type: 'started' }
  | {
      type: 'stopped';
      /** Answers (or failures) of the requests that completed before the stop. */
      answers: Tally;
      /** Request bodies' bytes written, of the requests counted. */
      bytesSent: number;
      /** Requests in flight at the stop, cut unanswered. */
      cut: number;
    };
