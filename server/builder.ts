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
import OutagesPlugin from './outages/outage-plugin.ts';
import { Unavailable } from './outages/unavailable.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  // OutagesPlugin after ErrorsPlugin: it wraps inside it, so errors see its Unavailable.
  plugins: [ErrorsPlugin, PrismaPlugin, RelayPlugin, OutagesPlugin, TextInputPlugin],
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Defined in graphql/node-fields.ts: batched, capped, null for ids the caller may not see.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  errors: {
    // Every mutation can fail in these ways; fields add the outcomes particular to them.
    defaultTypes: [NotAuthenticated, NotAllowed, NotFound, InvalidInput, Unavailable],
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
