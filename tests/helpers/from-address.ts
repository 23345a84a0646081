import { request } from 'node:http';
import type { GraphQLResponse } from './graphql-client.ts';

export type AddressedResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
};

/**
 * POSTs JSON from a chosen local address, so the server sees that socket peer (Linux routes all
 * of 127/8 to the loopback interface: 127.0.0.2 is a second client on the same machine).
 */
export function postFrom(
  localAddress: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<AddressedResponse> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          origin: new URL(url).origin,
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A GraphQL request from another loopback address: to the server, another client machine. */
export async function gqlFrom<Data = Record<string, unknown>>(
  localAddress: string,
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<Data>> {
  const { body } = await postFrom(localAddress, `${baseUrl}/graphql`, { query, variables });
  return body as GraphQLResponse<Data>;
}
