/** Issue #15: a burst of 500 listeners attached, each hearing its slot, within this. */
export const BURST_GOAL_MS = 2_000;
export const BURST_PEER = 'Janus 1.1.2 here: 1.9-2.2 s';
/** The listeners' processes share one core: busier than this over a burst, they bound it. */
const SATURATED = 0.9;

export type Burst = {
  listeners: number;
  ready: number;
  ms: number;
  /** The relay's CPU over the burst, all threads. */
  cpuMs: number;
  /** The listeners' processes' CPU over the burst (the load generator, on one core). */
  peersCpuMs: number;
};

/** How a burst did against the goal, and whether the load generator was its limit. */
export function burstVerdict(burst: Burst): string {
  const met = burst.ready === burst.listeners && burst.ms <= BURST_GOAL_MS;
  const generatorShare = burst.peersCpuMs / burst.ms;
  return (
    (met ? 'met' : 'FAILED') +
    (generatorShare >= SATURATED
      ? `; the listeners' core was busy ${(generatorShare * 100).toFixed(0)}% of it: the load generator bounds this figure`
      : '')
  );
}
