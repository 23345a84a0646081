import type { RelayWorker } from './worker-calls.ts';
import type { PipeSetup } from './worker-protocol.ts';

/**
 * One worker position. A local one's process comes and goes (crash, restart); its UDP port stays.
 * A remote one lasts as long as its lease: a vanished remote worker's slot goes with it.
 */
export type Slot = {
  index: number;
  /** `local:<index>` or `remote:<worker id>`. */
  name: string;
  launch(pipe: PipeSetup): Promise<RelayWorker>;
  remote: boolean;
  /** The sender id of its current worker's sealed pipe datagrams. */
  senderId: number;
  worker: RelayWorker | null;
  started: Promise<RelayWorker> | null;
  crashes: number;
  /** Open sessions and opens under way, by space: what placement and piping count. */
  spaces: Map<string, number>;
  load: number;
  forwardedPackets: number;
  droppedPackets: number;
};

export function createSlot(
  index: number,
  name: string,
  remote: boolean,
  launch: Slot['launch'],
): Slot {
  return {
    index,
    name,
    launch,
    remote,
    senderId: 0,
    worker: null,
    started: null,
    crashes: 0,
    spaces: new Map(),
    load: 0,
    forwardedPackets: 0,
    droppedPackets: 0,
  };
}
