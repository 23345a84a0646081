import SchemaBuilder, {
  BasePlugin,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { toUnavailable } from './outage-reports.ts';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

type Resolver<Context> = GraphQLFieldResolver<unknown, Context, object>;

const translate = (error: unknown) => {
  throw toUnavailable(error) ?? error;
};

function translating<Context>(resolver: Resolver<Context>): Resolver<Context> {
  return (parent, args, context, info) => {
    try {
      const result: unknown = resolver(parent, args, context, info);
      return result instanceof Promise ? result.catch(translate) : result;
    } catch (error) {
      return translate(error);
    }
  };
}

/**
 * Turns outage errors thrown by root fields into `Unavailable` before the errors plugin sees
 * them, so a mutation answers its `Unavailable` member. Registered after ErrorsPlugin in the
 * builder, which makes it the inner wrapper.
 */
export class OutagesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: Resolver<Types['Context']>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): Resolver<Types['Context']> {
    return ROOT_TYPES.has(fieldConfig.parentType) ? translating(resolver) : resolver;
  }

  override wrapSubscribe(
    subscribe: Resolver<Types['Context']> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): Resolver<Types['Context']> | undefined {
    return subscribe && ROOT_TYPES.has(fieldConfig.parentType) ? translating(subscribe) : subscribe;
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      outages: OutagesPlugin<Types>;
    }
  }
}

const pluginName = 'outages';
SchemaBuilder.registerPlugin(pluginName, OutagesPlugin);

export default pluginName;
