import {
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isListType,
} from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';

/** The most items any list argument, or list field of an input, may hold. */
export const MAX_LIST_ITEMS = 100;
/** The largest page a connection serves (Pothos's `maxConnectionSize`). */
export const MAX_PAGE_SIZE = 100;
/** The page a connection serves when asked for no size (Pothos's `defaultConnectionSize`). */
export const DEFAULT_PAGE_SIZE = 20;

// graphql-armor's cost formula, so `maxCost` keeps its meaning; lists multiply what they hold.
const SCALAR_COST = 1;
const OBJECT_COST = 2;
const DEPTH_COST_FACTOR = 1.5;

type Field = GraphQLField<unknown, unknown>;

const coordinate = (type: GraphQLCompositeType, field: Field) => `${type.name}.${field.name}`;

/** A list argument, or a connection page, larger than the server serves. */
export function tooManyItems(argument: string, max: number) {
  return new GraphQLError(`${argument} takes at most ${max} items.`, {
    extensions: { code: 'TOO_MANY_ITEMS', argument, max },
  });
}

function oversizedList(type: GraphQLInputType, value: unknown, path: string): GraphQLError | null {
  const inner = getNullableType(type);
  if (value == null) return null;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return null;
    if (value.length > MAX_LIST_ITEMS) return tooManyItems(path, MAX_LIST_ITEMS);
    for (const [index, item] of value.entries()) {
      const error = oversizedList(inner.ofType, item, `${path}.${index}`);
      if (error) return error;
    }
    return null;
  }
  if (!isInputObjectType(inner) || typeof value !== 'object') return null;
  for (const field of Object.values(inner.getFields())) {
    const nested = (value as Record<string, unknown>)[field.name];
    const error = oversizedList(field.type, nested, `${path}.${field.name}`);
    if (error) return error;
  }
  return null;
}

const isPageArgument = (argument: GraphQLArgument) =>
  argument.name === 'first' || argument.name === 'last';

function pageSizeError(name: string, size: unknown): GraphQLError | null {
  if (typeof size !== 'number') return null;
  if (size < 0) {
    return new GraphQLError(`${name} must not be negative.`, {
      extensions: { code: 'BAD_USER_INPUT', argument: name },
    });
  }
  return size > MAX_PAGE_SIZE ? tooManyItems(name, MAX_PAGE_SIZE) : null;
}

function argumentError(type: GraphQLCompositeType, field: Field, args: Record<string, unknown>) {
  for (const argument of field.args) {
    const name = `${coordinate(type, field)}(${argument.name}:)`;
    const error = isPageArgument(argument)
      ? pageSizeError(name, args[argument.name])
      : oversizedList(argument.type, args[argument.name], name);
    if (error) return error;
  }
  return null;
}

/** How many of its objects a field returns at most: a page's size, or one per listed id. */
function itemsAsked(field: Field, args: Record<string, unknown>): number {
  if (field.args.some(isPageArgument)) {
    const size = args['first'] ?? args['last'];
    return typeof size === 'number' ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  }
  if (!isListType(getNullableType(field.type))) return 1;
  const lengths = Object.values(args).map((value) => (Array.isArray(value) ? value.length : 1));
  return Math.max(1, ...lengths);
}

export type OperationToCheck = {
  schema: GraphQLSchema;
  document: DocumentNode;
  variableValues?: Readonly<Record<string, unknown>> | null | undefined;
  operationName?: string | null | undefined;
};

/**
 * Checks an operation before anything runs: every list argument within its cap, every page
 * within the largest page, and the cost (fields, times the items each list asks for, with the
 * variables' values) within `maxCost`. Returns the errors that refuse it, or none.
 */
export function operationLimitErrors(
  operation: OperationToCheck,
  { maxCost }: { maxCost: number },
): readonly GraphQLError[] {
  let refusal: GraphQLError | null = null;
  const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
    refusal ??= argumentError(type, field, args);
    if (field.name === '__schema' || field.name === '__type') return 0;
    if (!isCompositeType(getNamedType(field.type))) return SCALAR_COST;
    return (OBJECT_COST + DEPTH_COST_FACTOR * childComplexity) * itemsAsked(field, args);
  };
  let cost: number;
  try {
    cost = getComplexity({
      estimators: [estimator],
      schema: operation.schema,
      query: operation.document,
      variables: { ...operation.variableValues },
      ...(operation.operationName ? { operationName: operation.operationName } : {}),
    });
  } catch (error) {
    // Bad variables and the like: the same errors execution would give, only sooner.
    if (error instanceof GraphQLError) return [refusal ?? error];
    throw error;
  }
  if (refusal) return [refusal];
  if (cost <= maxCost) return [];
  return [
    new GraphQLError(`This operation costs ${Math.ceil(cost)}; the limit is ${maxCost}.`, {
      extensions: { code: 'COST_LIMIT_EXCEEDED', cost: Math.ceil(cost), maxCost },
    }),
  ];
}
