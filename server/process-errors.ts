/**
 * Logs a promise rejection nobody handled, or an exception nobody caught, instead of letting it
 * end the process: every request path handles its own failures, so one arriving here is a bug to
 * find in the log, and one client's request must not take the server down for everyone.
 */
export function logUnhandledErrors(target: NodeJS.Process = process) {
  target.on('unhandledRejection', (reason) => {
    console.error('Unhandled promise rejection (a bug; please report it):', reason);
  });
  target.on('uncaughtException', (error, origin) => {
    console.error(`Uncaught exception from ${origin} (a bug; please report it):`, error);
  });
}
