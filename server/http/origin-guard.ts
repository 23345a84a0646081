import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from '../context.ts';
import { nodeHeaders, type OriginPolicy } from './origin-policy.ts';

type GuardedContext = { req?: IncomingMessage; viewer?: Viewer | null };

/** `extensions.code` of an operation refused because of where the browser sent it from. */
export const FORBIDDEN_ORIGIN = 'FORBIDDEN_ORIGIN';

const foreignOriginError = () =>
  new GraphQLError(
    "A page from another origin may not act with this browser's Amphi session; apps and scripts use an API token (Authorization: Bearer).",
    { extensions: { code: FORBIDDEN_ORIGIN, http: { status: 403 } } },
  );

/**
 * Refuses every operation a session cookie authenticates when a browser sent it from a page of a
 * foreign origin: cross-site request forgery over HTTP and cross-site WebSocket hijacking.
 * Token-authenticated and anonymous operations pass from any origin, since a foreign page cannot
 * borrow a token the way it borrows the browser's cookies.
 */
export function useOriginGuard(origins: OriginPolicy): Plugin<GuardedContext> {
  const refused = ({ req, viewer }: GuardedContext) =>
    viewer?.via === 'session' && req !== undefined && origins.isForeign(nodeHeaders(req));
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (refused(args.contextValue)) setResultAndStopExecution({ errors: [foreignOriginError()] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (refused(args.contextValue)) setResultAndStopExecution({ errors: [foreignOriginError()] });
    },
  };
}
