import middy from '@middy/core';
import { z } from 'zod';
import { caseId } from '../schemas/primitives.ts';

/** Every task payload carries the case id and nothing personal (ARCHITECTURE §4.3). */
export const taskPayload = z.object({ caseId });

/** The payload did not match the task's schema: a defect in the ASL, never retried. */
export class InvalidTaskPayloadError extends Error {
  override readonly name = 'InvalidTaskPayload';
}

/**
 * Wires a workflow task: validates the payload the state machine hands it with one zod schema
 * and runs the logic. Errors are thrown, never turned into results, so the ASL can retry
 * transient ones and catch domain ones by name.
 */
export function taskHandler<S extends z.ZodType, R>(schema: S, logic: (payload: z.infer<S>) => Promise<R>) {
  return middy<unknown, R>().handler(async (event) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(payload)').join(', ');
      throw new InvalidTaskPayloadError(`Task payload invalid at: ${fields}`);
    }
    return logic(parsed.data);
  });
}
