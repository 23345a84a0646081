import { APIError } from 'better-auth/api';
import { z } from 'zod';
import { normalizeText } from '../text/text-rules.ts';
import { avatarUrlSchema, displayNameSchema, handleSchema } from './handle.ts';

const signUpSchema = z.object({
  handle: handleSchema,
  name: displayNameSchema,
  image: avatarUrlSchema.optional(),
});

// better-auth's /update-user would otherwise store any name and even a new handle unchecked.
const updateUserSchema = z.object({
  name: displayNameSchema.optional(),
  image: avatarUrlSchema.nullable().optional(),
  handle: z.never({ error: 'is chosen at sign-up and cannot be changed' }).optional(),
});

const invalid = (path: string, message: string) =>
  new APIError('BAD_REQUEST', { code: 'INVALID_INPUT', message: `${path}: ${message}` });

/** The body's strings through the same text rules as every GraphQL argument. */
function normalizedBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const normalized: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    // Passwords are hashed, never stored or shown; rewriting them would lock people out.
    if (typeof value !== 'string' || key === 'password') {
      normalized[key] = value;
      continue;
    }
    const verdict = normalizeText(value);
    if (!verdict.ok) throw invalid(key, verdict.message);
    normalized[key] = verdict.text;
  }
  return normalized;
}

function parsed<Schema extends z.ZodType>(schema: Schema, body: Record<string, unknown>) {
  const result = schema.safeParse(body);
  if (result.success) return result.data as z.output<Schema>;
  const issue = result.error.issues[0];
  throw invalid(issue?.path.join('.') ?? 'body', issue?.message ?? 'is invalid');
}

/** Sign-up's body, normalized and checked; throws an INVALID_INPUT APIError naming the field. */
export function signUpBody(body: unknown) {
  const normalized = normalizedBody(body);
  return { ...normalized, ...parsed(signUpSchema, normalized) };
}

/** /update-user's body, normalized and checked like updateProfile's input. */
export function updateUserBody(body: unknown) {
  const normalized = normalizedBody(body);
  parsed(updateUserSchema, normalized);
  return normalized;
}
