import type { TadaDocumentNode } from 'gql.tada';
import { type DocumentNode, print } from 'graphql';
import type { Api } from './graphql-client.ts';

const printed = new WeakMap<object, string>();

const source = (document: DocumentNode) => {
  let text = printed.get(document);
  if (!text) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
};

type Vars<V> = V extends Record<string, never> ? [] | [V] : [V];

/** Runs a typed query or mutation over the app's one graphql-ws connection. */
export function run<D, V>(
  api: Api,
  document: TadaDocumentNode<D, V>,
  ...variables: Vars<V>
): Promise<D> {
  return api.request<D>(source(document), (variables[0] ?? {}) as Record<string, unknown>);
}

/** Subscribes with a typed document; returns the unsubscribe function. */
export function listen<D, V>(
  api: Api,
  document: TadaDocumentNode<D, V>,
  variables: V,
  onData: (data: D) => void,
  onError?: (error: unknown) => void,
): () => void {
  return api.subscribe<D>(source(document), variables as Record<string, unknown>, onData, onError);
}

/** A mutation result union narrowed to its success member or its error. */
export type Outcome = { __typename: string; message?: string };

/** The human message of a failed mutation result, or null on success. */
export function failure(result: Outcome): string | null {
  if (result.__typename.endsWith('Success')) return null;
  return result.message ?? result.__typename;
}
