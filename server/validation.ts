import type { z } from 'zod';
import { InvalidInput } from './errors.ts';

/** Parses input with a zod schema; every problem comes back at once as one typed error. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInput(
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || 'input',
      message: issue.message,
    })),
  );
}
