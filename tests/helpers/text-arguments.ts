import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLObjectType,
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';

/** One place a string goes into a field: an argument, or a field nested in it. */
export type TextArgument = {
  /** `Mutation.createSpace(input.topics.0)`. */
  coordinate: string;
  field: string;
  /** Where the text goes in the variables. */
  location: (string | number)[];
  /** How an InvalidInput names it: inside an input object, the path in it, as the zod schemas do. */
  issuePath: string;
  multiline: boolean;
};

type Input = GraphQLArgument | GraphQLInputField;
type Position = [input: Input, location: (string | number)[]];

function positions(
  input: Input,
  type: GraphQLInputType,
  location: (string | number)[],
): Position[] {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return positions(input, nullable.ofType, [...location, 0]);
  const named = getNamedType(nullable);
  if (isInputObjectType(named)) {
    return Object.values(named.getFields()).flatMap((field) =>
      positions(field, field.type, [...location, field.name]),
    );
  }
  return named.name === 'String' || named.name === 'ID' ? [[input, location]] : [];
}

/** Every string argument of every field of a root type, as introspection finds them. */
export function textArguments(root: GraphQLObjectType): TextArgument[] {
  return Object.values(root.getFields()).flatMap((field) =>
    field.args.flatMap((arg) =>
      positions(arg, arg.type, [arg.name]).map(([input, location]) => {
        const inObject = isInputObjectType(getNamedType(arg.type));
        return {
          coordinate: `${root.name}.${field.name}(${location.join('.')})`,
          field: field.name,
          location,
          issuePath: (inObject ? location.slice(1) : location).join('.'),
          multiline: input.extensions['multiline'] === true,
        };
      }),
    ),
  );
}

/** A well-formed value for every required input, from the names the schema uses. */
export type Fillers = { ids: Record<string, string>; strings: Record<string, string> };

function filler(name: string, type: GraphQLInputType, fillers: Fillers): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [filler(name, nullable.ofType, fillers)];
  if (isEnumType(nullable)) return nullable.getValues()[0]?.value;
  if (isInputObjectType(nullable)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(nullable.getFields())) {
      if (isNonNullType(field.type) || field.name in fillers.strings) {
        value[field.name] = filler(field.name, field.type, fillers);
      }
    }
    return value;
  }
  switch (nullable.name) {
    case 'ID':
      return fillers.ids[name] ?? 'U29tZXRoaW5nOmVsc2U=';
    case 'String':
      return fillers.strings[name] ?? 'text';
    case 'Int':
      return 500;
    case 'Float':
      return 0;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date(Date.now() + 2 * 24 * 60 * 60_000).toISOString();
    default:
      throw new Error(`no filler for ${nullable.name}`);
  }
}

function place(target: Record<string, unknown>, location: (string | number)[], text: string) {
  const [head, ...rest] = location;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = text;
    return;
  }
  const child = target[head];
  const next =
    Array.isArray(child) || (child === undefined && typeof rest[0] === 'number')
      ? [...((child as unknown[] | undefined) ?? [])]
      : { ...(child as Record<string, unknown>) };
  target[head] = next;
  place(next as Record<string, unknown>, rest, text);
}

/** An operation calling the argument's field with `text` in its place and fillers elsewhere. */
export function operationWith(
  root: GraphQLObjectType,
  argument: TextArgument,
  text: string,
  fillers: Fillers,
) {
  const field = root.getFields()[argument.field] as GraphQLField<unknown, unknown>;
  const used = field.args.filter(
    (arg) => isNonNullType(arg.type) || arg.name === argument.location[0],
  );
  const variables: Record<string, unknown> = {};
  for (const arg of used) variables[arg.name] = filler(arg.name, arg.type, fillers);
  place(variables, argument.location, text);
  const params = used.map((arg) => `$${arg.name}: ${arg.type}`).join(', ');
  const call = used.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const operation = root.name === 'Mutation' ? 'mutation' : 'query';
  const selection = !isCompositeType(getNamedType(field.type))
    ? ''
    : operation === 'mutation'
      ? '{ __typename ... on InvalidInput { issues { path message } } }'
      : '{ __typename }';
  const signature = params ? `(${params})` : '';
  return {
    query: `${operation} ${signature} { ${field.name}(${call}) ${selection} }`,
    variables,
  };
}
