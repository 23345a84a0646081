import { GraphQLError } from 'graphql';

/**
 * A dependency (database, payments) could not be reached: nothing the client did is wrong and
 * the same request may succeed later. In mutation results it is the `Unavailable` member; as a
 * GraphQL error its `extensions.code` is `UNAVAILABLE`, and over HTTP the response is 503 with
 * `Retry-After`.
 */
export class Unavailable extends GraphQLError {
  constructor(readonly retryAfterSeconds: number) {
    super(`The service is briefly unavailable; try again in ${retryAfterSeconds} s.`, {
      extensions: {
        code: 'UNAVAILABLE',
        retryAfterSeconds,
        http: { status: 503, headers: { 'Retry-After': String(retryAfterSeconds) } },
      },
    });
  }
}
