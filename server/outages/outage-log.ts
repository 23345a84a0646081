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

export type OutageLogOptions = {
  /** @default console.warn */
  log?: (line: string) => void;
  /**
   * For a dependency whose recovery is not seen: a failure this long after the previous one is
   * logged as a new outage. @default Infinity (only `recovered()` ends an outage)
   */
  quietMs?: number;
  now?: () => number;
};

/**
 * One line when `what` becomes unreachable and one when it is back, however many requests meet
 * the outage in between: an outage is an operator's news, not a bug per request.
 */
export function createOutageLog(
  what: string,
  meanwhile: string,
  { log = (line) => console.warn(line), quietMs = Infinity, now = Date.now }: OutageLogOptions = {},
): OutageLog {
  let downSince: number | null = null;
  let lastFailure = 0;
  return {
    failed(error) {
      const time = now();
      const quiet = time - lastFailure < quietMs;
      lastFailure = time;
      if (downSince !== null && quiet) return;
      downSince = time;
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
