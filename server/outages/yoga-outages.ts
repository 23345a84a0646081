import { GraphQLError } from 'graphql';
import { createLogger, maskError, type Plugin, type YogaLogger } from 'graphql-yoga';
import { outageOf } from './outage-kind.ts';
import { databaseRecovered, outageFailures, toUnavailable } from './outage-reports.ts';

/**
 * yoga's `maskedErrors.maskError`: outage errors (from the context, nested fields, anywhere the
 * outages plugin does not reach) become `UNAVAILABLE` at their path; the rest are masked as usual.
 */
export function maskOutages(error: unknown, message: string, isDev?: boolean): Error {
  const unavailable = toUnavailable(error);
  if (!unavailable) return maskError(error, message, isDev);
  if (!(error instanceof GraphQLError) || error === unavailable) return unavailable;
  return new GraphQLError(unavailable.message, {
    nodes: error.nodes,
    path: error.path,
    originalError: unavailable,
    extensions: unavailable.extensions,
  });
}

/** yoga's logger, minus the per-request error lines of outages (each outage is logged once). */
export function outageAwareLogger(base: YogaLogger = createLogger()): YogaLogger {
  return {
    debug: (...args) => base.debug(...args),
    info: (...args) => base.info(...args),
    warn: (...args) => base.warn(...args),
    error: (...args) => {
      if (!args.some((arg) => outageOf(arg))) base.error(...args);
    },
  };
}

/** An operation that ran without meeting an outage ends a database outage in the log. */
export function useOutageRecovery(): Plugin {
  return {
    onExecute() {
      const before = outageFailures();
      return {
        onExecuteDone() {
          if (outageFailures() === before) databaseRecovered();
        },
      };
    },
  };
}
