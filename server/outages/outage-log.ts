/** Something the server depends on that can go away: logged when it goes, and when it is back. */
export type OutageLog = {
  /** Notes a failure; only the first of an outage is logged. */
  failed(error: unknown): void;
  /** Notes that it works; logged only when it ends an outage. */
  recovered(): void;
  readonly down: boolean;
};

const reasonOf = (error: unknown) =>
  error instanceof Error
    ? `${error.message || error.name}${'code' in error && error.code ? ` [${error.code}]` : ''}`
    : String(error);

/**
 * One line when `what` becomes unreachable and one when it is back, however many requests meet
 * the outage in between: an outage is an operator's news, not a bug per request.
 */
export function createOutageLog(
  what: string,
  meanwhile: string,
  log: (line: string) => void = (line) => console.warn(line),
  now: () => number = Date.now,
): OutageLog {
  let downSince: number | null = null;
  return {
    failed(error) {
      if (downSince !== null) return;
      downSince = now();
      log(`outage: ${what} is unreachable (${reasonOf(error)}); ${meanwhile}.`);
    },
    recovered() {
      if (downSince === null) return;
      const seconds = Math.round((now() - downSince) / 1000);
      downSince = null;
      log(`outage over: ${what} is reachable again after ${seconds} s.`);
    },
    get down() {
      return downSince !== null;
    },
  };
}
