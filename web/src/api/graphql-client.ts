import { type Client, createClient } from 'graphql-ws';

export type GraphQLResult<Data> = {
  data?: Data | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
};

/** How long the socket stays open with no operation running. */
export const SOCKET_LINGER_MS = 5 * 60_000;

/**
 * The one graphql-ws connection a page uses for queries, mutations and subscriptions: relay
 * sessions live on the server instance the socket is connected to. Browsers send the session
 * cookie on the upgrade; scripts and test pages may pass an API token instead.
 */
export function connectApi(options: { url?: string; token?: string } = {}): Api {
  const url = options.url ?? `${location.origin.replace(/^http/, 'ws')}/graphql`;
  const client = createClient({
    url,
    // graphql-ws closes a lazy socket the moment its last operation ends, and the next opens
    // another: between joinSpace and the room's subscriptions, or a page's first query and the
    // click that joins, that costs a WebSocket handshake and connection_init on the way to first
    // audio, and may land on another instance than the relay session it opened.
    lazyCloseTimeout: SOCKET_LINGER_MS,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    keepAlive: 10_000,
  });
  return {
    client,
    request: <Data>(query: string, variables: Record<string, unknown> = {}) =>
      new Promise<Data>((resolve, reject) => {
        let result: GraphQLResult<Data> | undefined;
        client.subscribe<Data>(
          { query, variables },
          {
            next: (value) => {
              result = value as GraphQLResult<Data>;
            },
            error: reject,
            complete: () => {
              if (result?.errors?.length) reject(new ApiError(result.errors));
              else if (result?.data) resolve(result.data);
              else reject(new Error(`no result for ${query.slice(0, 60)}`));
            },
          },
        );
      }),
    subscribe: <Data>(
      query: string,
      variables: Record<string, unknown>,
      onData: (data: Data) => void,
      onError: (error: unknown) => void = console.error,
    ) =>
      client.subscribe<Data>(
        { query, variables },
        {
          next: (value) => {
            if (value.data) onData(value.data as Data);
            // A subscription the server refused (its subscribe threw) ends with errors and no
            // data, not with graphql-ws's error message: it is refused all the same.
            else if (value.errors?.length) onError(new ApiError(value.errors));
          },
          error: onError,
          complete: () => {},
        },
      ),
    close: () => client.dispose(),
  };
}

export type Api = {
  client: Client;
  request<Data>(query: string, variables?: Record<string, unknown>): Promise<Data>;
  subscribe<Data>(
    query: string,
    variables: Record<string, unknown>,
    onData: (data: Data) => void,
    onError?: (error: unknown) => void,
  ): () => void;
  close(): Promise<void> | void;
};

export class ApiError extends Error {
  constructor(
    readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[],
  ) {
    super(errors.map((error) => error.message).join('; '));
  }
}
