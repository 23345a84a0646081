import { decodeGlobalID } from '@pothos/plugin-relay';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLResolveInfo,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
} from 'graphql';
import { type InputIssue, InvalidInput } from '../../errors.ts';
import { normalizeText, type TextShape } from '../../text/text-rules.ts';

type InputValue = GraphQLArgument | GraphQLInputField;

const shapeOf = (input: InputValue): TextShape =>
  input.extensions['multiline'] === true ? 'multi-line' : 'single-line';

const isTextType = (type: GraphQLInputType) => {
  const named = getNamedType(type).name;
  return named === 'String' || named === 'ID';
};

function holdsText(type: GraphQLInputType, seen = new Set<GraphQLInputType>()): boolean {
  const named = getNamedType(type);
  if (isTextType(named)) return true;
  if (!isInputObjectType(named) || seen.has(named)) return false;
  seen.add(named);
  return Object.values(named.getFields()).some((field) => holdsText(field.type, seen));
}

/** A global id's inner id reaches the database; Relay's own decoding refuses ids of no shape. */
function idProblem(id: string, input: InputValue): string | null {
  try {
    const { id: inner } = decodeGlobalID(id);
    return normalizeText(inner).ok ? null : 'must be a valid id';
  } catch {
    return input.extensions['isRelayGlobalID'] ? 'must be a valid id' : null;
  }
}

class ArgsNormalizer {
  readonly issues: InputIssue[] = [];

  value(value: unknown, input: InputValue, type: GraphQLInputType, path: string[]): unknown {
    if (value === null || value === undefined) return value;
    const nullable = getNullableType(type);
    if (isListType(nullable) && Array.isArray(value)) {
      return value.map((item, index) =>
        this.value(item, input, nullable.ofType, [...path, `${index}`]),
      );
    }
    if (isInputObjectType(nullable) && typeof value === 'object') {
      return this.object(value, nullable.getFields(), path);
    }
    if (typeof value !== 'string' || !isTextType(nullable)) return value;
    return this.text(value, input, getNamedType(nullable).name === 'ID', path);
  }

  object(value: object, fields: Record<string, GraphQLInputField>, path: string[]): object {
    const normalized: Record<string, unknown> = { ...value };
    for (const [name, field] of Object.entries(fields)) {
      if (name in normalized) {
        normalized[name] = this.value(normalized[name], field, field.type, [...path, name]);
      }
    }
    return normalized;
  }

  private text(value: string, input: InputValue, isId: boolean, path: string[]): string {
    const verdict = normalizeText(value, shapeOf(input));
    const problem = verdict.ok ? (isId ? idProblem(value, input) : null) : verdict.message;
    if (problem) {
      this.issues.push({ path: path.join('.') || input.name, message: problem });
      return value;
    }
    // Ids are opaque: checked, never rewritten.
    return isId || !verdict.ok ? value : verdict.text;
  }
}

const textArgsOf = new WeakMap<GraphQLField<unknown, unknown>, GraphQLArgument[]>();

function textArgs(info: GraphQLResolveInfo): GraphQLArgument[] {
  const field = info.parentType.getFields()[info.fieldName];
  if (!field) return [];
  let args = textArgsOf.get(field);
  if (!args) {
    args = field.args.filter((arg) => holdsText(arg.type));
    textArgsOf.set(field, args);
  }
  return args;
}

/**
 * The field's arguments with every string in NFC, or an InvalidInput naming each bad one. An
 * input object's issues are named by the path inside it ("title", "topics.0"), as the zod
 * schemas name them; other arguments by their name ("spaceId", "ids.2").
 */
export function normalizeArgs(args: object, info: GraphQLResolveInfo): object {
  const defs = textArgs(info);
  if (defs.length === 0) return args;
  const normalizer = new ArgsNormalizer();
  const normalized: Record<string, unknown> = { ...args };
  for (const arg of defs) {
    if (!(arg.name in normalized)) continue;
    const inObject = isInputObjectType(getNullableType(arg.type));
    const path = inObject ? [] : [arg.name];
    normalized[arg.name] = normalizer.value(normalized[arg.name], arg, arg.type, path);
  }
  if (normalizer.issues.length > 0) throw new InvalidInput(normalizer.issues);
  return normalized;
}
