import { request } from 'node:http';
import type { GraphQLResponse } from './graphql-client.ts';

/**
 * A GraphQL request sent from another loopback address (127.0.0.2, …): to the server, another
 * client machine, as far as its socket can tell.
 */
export function gqlFrom<Data = Record<string, unknown>>(
  localAddress: string,
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<Data>> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/graphql`,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLResponse<Data>);
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
