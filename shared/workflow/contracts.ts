import { z } from 'zod';
import { caseId, isoInstant } from '../schemas/primitives.ts';

/**
 * What the rapid-review state machine hands each task and what it takes back: the one place
 * the ASL (statemachines/rapid-review.asl.json) and the task functions agree. Case ids,
 * attempt counts and timestamps only (ARCHITECTURE §4.3).
 */
export const caseTaskPayload = z.object({ caseId });
export type CaseTaskPayload = z.infer<typeof caseTaskPayload>;

/** plan-timetable → the deadlines the Wait states use (TimestampPath). */
export const planTimetableResult = z.object({
  reminderAt: isoInstant,
  returnsDueAt: isoInstant,
  collateAt: isoInstant,
  papersAt: isoInstant,
});
export type PlanTimetableResult = z.infer<typeof planTimetableResult>;

/** schedule-decision-deadline: attempt 0 means "first wait" (until the end of Day 15). */
export const scheduleDecisionDeadlinePayload = caseTaskPayload.extend({
  previousAttempt: z.number().int().min(0),
});
export const scheduleDecisionDeadlineResult = z.object({
  attempt: z.number().int().min(1),
  dueAt: isoInstant,
  /** Whole seconds from now until dueAt, at least 1: the callback task's TimeoutSecondsPath. */
  timeoutSeconds: z.number().int().min(1),
});
export type ScheduleDecisionDeadlineResult = z.infer<typeof scheduleDecisionDeadlineResult>;

/** await-decision is invoked with the callback token; record-decision later completes it with `decisionRecordedOutput`. */
export const awaitDecisionPayload = caseTaskPayload.extend({
  taskToken: z.string().min(1),
  attempt: z.number().int().min(1),
});
export const decisionRecordedOutput = z.object({ decidedAt: isoInstant });

export const escalateMissingDecisionPayload = caseTaskPayload.extend({ attempt: z.number().int().min(1) });

/** record-failure gets the caught error; it finds the failed step in the execution history. */
export const recordFailurePayload = caseTaskPayload.extend({
  executionArn: z.string().min(1),
  error: z.string().default('Unknown'),
  cause: z.string().default(''),
});

/** How many times a missing decision is escalated (and waited for again) before the workflow gives up. */
export const MAX_DECISION_WAITS = 4;
