import SchemaBuilder, {
  BasePlugin,
  type PothosInputFieldConfig,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { normalizeArgs } from './normalize-args.ts';

const pluginName = 'textInput';

/**
 * Normalizes every String and ID argument (nested in input objects and lists too) before arg
 * mappers and resolvers run: NFC, and a typed InvalidInput for control characters, NUL, lone
 * surrogates and noncharacters. A field opts a text argument into line breaks with
 * `multiline: true`.
 */
export class TextInputPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onInputFieldConfig(fieldConfig: PothosInputFieldConfig<Types>) {
    if (!fieldConfig.pothosOptions.multiline) return fieldConfig;
    return { ...fieldConfig, extensions: { ...fieldConfig.extensions, multiline: true } };
  }

  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ) {
    if (!resolver || Object.keys(fieldConfig.args).length === 0) return resolver;
    const normalizing: GraphQLFieldResolver<unknown, Types['Context'], object> = (
      parent,
      args,
      context,
      info,
    ) => resolver(parent, normalizeArgs(args, info), context, info);
    return normalizing;
  }
}

SchemaBuilder.registerPlugin(pluginName, TextInputPlugin);

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      textInput: TextInputPlugin<Types>;
    }
    export interface InputFieldOptions {
      /** Allows tabs and line breaks in this text (SDP, JSON documents); text is single-line by default. */
      multiline?: boolean;
    }
  }
}

export default pluginName;
