import type { CORSOptions } from 'graphql-yoga';
import type { OriginPolicy } from './origin-policy.ts';

/**
 * yoga's CORS answer per request: credentials (the visitor's cookies) only for allowed origins.
 * Every other page may still call the API without them, anonymously or with an API token, which
 * is how third-party web apps use Amphi.
 */
export function corsOptions(origins: OriginPolicy) {
  return (request: Request): CORSOptions => {
    const origin = request.headers.get('origin');
    if (origin && origins.isAllowed(origin, request.headers.get('host'))) {
      return { origin, credentials: true };
    }
    return { origin: '*', credentials: false };
  };
}
