import { type InvalidField, InvalidInputError } from './errors.ts';
import type * as z from './schemas/zod.ts';

/** Turns zod issues into one message per field, named by dotted path (`children.0.name`). */
export function invalidFields(error: { issues: readonly z.core.$ZodIssue[] }): InvalidField[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/**
 * Validates input against its schema: the value, typed, or InvalidInputError naming every bad
 * field. Every adapter (API, page, task) validates a use case's input through this, so the rules
 * and their messages live once, in the schema.
 */
export function parseInput<T extends z.ZodMiniType>(schema: T, value: unknown, what = 'request'): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInputError(what, invalidFields(result.error));
  return result.data;
}
