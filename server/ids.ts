import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { InvalidInput } from './errors.ts';

/** Decodes a Relay global ID of the expected type, or fails with a typed error naming the argument. */
export function parseGlobalId(globalId: string, typename: string, argument: string): string {
  try {
    const { typename: actual, id } = decodeGlobalID(globalId);
    if (actual === typename && id.length > 0) return id;
  } catch {
    // Falls through to the typed error: the id is not base64 or has no type prefix.
  }
  return failInvalidId(argument, typename);
}

function failInvalidId(argument: string, typename: string): never {
  throw InvalidInput.of(argument, `must be the id of a ${typename}`);
}

/** The database id in a global ID of the given type, or null for anything else. */
export function idOfType(globalId: string, typename: string): string | null {
  try {
    const { typename: actual, id } = decodeGlobalID(globalId);
    return actual === typename && id.length > 0 ? id : null;
  } catch {
    return null;
  }
}

export const toGlobalId = (typename: string, id: string) => encodeGlobalID(typename, id);
