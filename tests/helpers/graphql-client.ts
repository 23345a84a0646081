import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export type GraphQLResponse<Data = Record<string, unknown>> = {
  data?: Data;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

export type Credentials = { token?: string; cookie?: string };

function authHeaders(credentials: Credentials): Record<string, string> {
  return {
    ...(credentials.token ? { authorization: `Bearer ${credentials.token}` } : {}),
    ...(credentials.cookie ? { cookie: credentials.cookie } : {}),
  };
}

/** Runs one GraphQL operation over HTTP as the given caller. */
export async function gql<Data = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  credentials: Credentials = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(credentials) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

/** A graphql-ws client on a real WebSocket; the cookie rides on the upgrade request. */
export function wsClient(baseUrl: string, credentials: Credentials = {}): Client {
  const cookie = credentials.cookie;
  class AuthWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  }
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: AuthWebSocket,
    connectionParams: credentials.token ? { authorization: `Bearer ${credentials.token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Runs a query or mutation over the socket and resolves with its one result. */
export function wsRequest<Data = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<Data>> {
  return new Promise((resolve, reject) => {
    let result: GraphQLResponse<Data> | undefined;
    client.subscribe<Data>(
      { query, variables },
      {
        next: (value) => {
          result = value as GraphQLResponse<Data>;
        },
        error: reject,
        complete: () => (result ? resolve(result) : reject(new Error('no result'))),
      },
    );
  });
}

/**
 * Subscribes and collects every result, so a test can wait for the events it expects. The
 * subscription is acknowledged by the server before `subscribe` resolves.
 */
export function collect<Data = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const results: GraphQLResponse<Data>[] = [];
  let completed = false;
  let failure: unknown;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const wake of waiters) wake();
  };
  const unsubscribe = client.subscribe<Data>(
    { query, variables },
    {
      next: (value) => {
        results.push(value as GraphQLResponse<Data>);
        notify();
      },
      error: (error) => {
        failure = error;
        notify();
      },
      complete: () => {
        completed = true;
        notify();
      },
    },
  );
  return {
    results,
    get completed() {
      return completed;
    },
    get failure() {
      return failure;
    },
    unsubscribe,
    /** Resolves once `predicate` holds for the collected results; fails after `timeoutMs`. */
    until(predicate: (results: GraphQLResponse<Data>[]) => boolean, timeoutMs = 10_000) {
      return new Promise<GraphQLResponse<Data>[]>((resolve, reject) => {
        const check = () => {
          if (predicate(results)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(results);
          } else if (failure || completed) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(failure ?? new Error(`completed before: ${JSON.stringify(results)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out; received ${JSON.stringify(results)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
