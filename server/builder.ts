import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { DateTimeResolver } from 'graphql-scalars';
import type PrismaTypes from '../prisma/generated/pothos-types.ts';
import { getDatamodel } from '../prisma/generated/pothos-types.ts';
import type { Context } from './context.ts';
import { InvalidInput, NotAllowed, NotAuthenticated, NotFound } from './errors.ts';
import TextInputPlugin from './graphql/text-input/text-input-plugin.ts';

/** Prisma's "record not found" (P2025), thrown by the node loaders' findUniqueOrThrow. */
const isRecordMissing = (error: unknown) =>
  error instanceof Error && 'code' in error && error.code === 'P2025';

async function nullWhenMissing(node: unknown): Promise<unknown> {
  try {
    return await node;
  } catch (error) {
    if (isRecordMissing(error)) return null;
    throw error;
  }
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ErrorsPlugin, PrismaPlugin, RelayPlugin, TextInputPlugin],
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // A missing record, or one the caller may not see, is null (as Relay has it), not an error.
    nodeQueryOptions: {
      resolve: (_root, args, _ctx, _info, resolveNode) => nullWhenMissing(resolveNode(args.id)),
    },
    nodesQueryOptions: {
      resolve: (_root, args, _ctx, _info, resolveNodes) =>
        args.ids.map((id) => nullWhenMissing(resolveNodes([id]).then(([node]) => node))),
    },
  },
  errors: {
    // Every mutation can fail in these ways; fields add the outcomes particular to them.
    defaultTypes: [NotAuthenticated, NotAllowed, NotFound, InvalidInput],
    // Text arguments are checked before arg mappers run (TextInputPlugin); this makes a refusal
    // there an InvalidInput result rather than a top-level error. No auth plugin is in use, so
    // nothing is skipped: an anonymous caller learns only that their own input was bad.
    unsafelyHandleInputErrors: true,
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
builder.addScalarType('DateTime', DateTimeResolver);
