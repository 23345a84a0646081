import { type Dependency, outageOf } from './outage-kind.ts';
import { createOutageLog } from './outage-log.ts';
import { Unavailable } from './unavailable.ts';

/** How long a client is told to wait, per dependency. */
const RETRY_AFTER_SECONDS: Record<Dependency, number> = { database: 5, payments: 5 };

// One process, one log line per outage, however many apps or requests meet it.
const logs = {
  database: createOutageLog('the database', 'requests answer UNAVAILABLE until it is back'),
  // Stripe's recovery is not seen here (only ticket sales call it): a minute without failures
  // ends its outage.
  payments: createOutageLog('Stripe', 'payments answer UNAVAILABLE until it is back', {
    quietMs: 60_000,
  }),
};

let failures = 0;

/** The `Unavailable` an outage error becomes (its outage logged once), or null for other errors. */
export function toUnavailable(error: unknown): Unavailable | null {
  if (error instanceof Unavailable) return error;
  const dependency = outageOf(error);
  if (!dependency) return null;
  failures++;
  logs[dependency].failed(error);
  return new Unavailable(RETRY_AFTER_SECONDS[dependency]);
}

/** How many outage errors were met so far. */
export const outageFailures = () => failures;

/** An operation that met no outage error ends a database outage (nearly all of them read it). */
export function databaseRecovered() {
  logs.database.recovered();
}
