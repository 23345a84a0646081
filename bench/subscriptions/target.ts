import type { SocketMode } from './protocol.ts';

/** A server the subscriber process can connect to and the bench can make publish. */
export type Target = {
  name: string;
  url: string;
  mode: SocketMode;
  /** Subscribers registered on the server right now. */
  subscribers(): number;
  /** Publishes `count` events; resolves with the time each one was handed to the fan-out. */
  publish(count: number): Promise<number[]>;
  /** Database statements run so far outside transactions, where the target has a database. */
  statements?(): number;
  stop(): Promise<void>;
};
