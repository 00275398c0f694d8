import { agencyId, caseId, isoInstant, wholeNumber } from '../schemas/primitives.ts';
import * as z from '../schemas/zod.ts';

/**
 * What the rapid-review state machine hands each task and what each task hands back: the one
 * place the ASL (statemachines/rapid-review.asl.json) and the task functions agree. Both sides
 * are checked at run time by the task handler (shared/workflow/task-handler.ts). Case ids,
 * attempt counts, timestamps and counts only (ARCHITECTURE §4.3).
 */
export const caseTaskPayload = z.object({
  caseId,
  /**
   * The execution's ARN (`$$.Execution.Id`) and the state's name (`$$.State.Name`): keys of the
   * task's log lines (shared/workflow/task-handler.ts), used by no logic. Optional, so a task
   * invoked by hand with its case id alone still runs.
   */
  execution: z.optional(z.string().check(z.minLength(1))),
  step: z.optional(z.string().check(z.minLength(1))),
});
export type CaseTaskPayload = z.infer<typeof caseTaskPayload>;

/** plan-timetable → the deadlines the Wait states use (TimestampPath): the ladder's first rung, collation, papers. */
export const planTimetableResult = z.object({
  firstRungAt: isoInstant,
  collateAt: isoInstant,
  papersAt: isoInstant,
});
export type PlanTimetableResult = z.infer<typeof planTimetableResult>;

/** Day 1: the agencies this run asked (agencies asked by an earlier attempt are not repeated). */
export const requestAgencySummariesResult = z.object({ requestedAgencyIds: z.array(agencyId) });
export type RequestAgencySummariesResult = z.infer<typeof requestAgencySummariesResult>;

/**
 * The escalation ladder (Days 1-10): every rung due by now was climbed; `nextRungAt` is when the
 * next rung is due, and `more` whether there is one to wait for (when not, nextRungAt is the last
 * rung's time, already passed).
 */
export const climbLadderResult = z.object({ nextRungAt: isoInstant, more: z.boolean() });
export type ClimbLadderResult = z.infer<typeof climbLadderResult>;

const count = wholeNumber(0);

/** Day 11: where the report is and how many agencies it counts as received and missing. */
export const collateReportResult = z.object({
  documentKey: z.string().check(z.minLength(1)),
  received: count,
  missing: count,
});
export type CollateReportResult = z.infer<typeof collateReportResult>;

/** Day 12: how many people this run emailed; 0 when the papers were already out (a retry). */
export const distributePapersResult = z.object({ recipients: count });
export type DistributePapersResult = z.infer<typeof distributePapersResult>;

/** schedule-decision-deadline: attempt 0 means "first wait" (until the end of Day 15). */
export const scheduleDecisionDeadlinePayload = z.extend(caseTaskPayload, {
  previousAttempt: wholeNumber(0),
});
export const scheduleDecisionDeadlineResult = z.object({
  attempt: wholeNumber(1),
  dueAt: isoInstant,
  /** Whole seconds from now until dueAt, at least 1: the callback task's TimeoutSecondsPath. */
  timeoutSeconds: wholeNumber(1),
});
export type ScheduleDecisionDeadlineResult = z.infer<typeof scheduleDecisionDeadlineResult>;

/**
 * await-decision is invoked with the callback token. The wait ends when the submission is ready
 * (the chair's decision, the partners' sign-off and the completed report, in any order): whoever
 * makes it ready completes the token with `submissionReadyOutput` (shared/workflow/readiness.ts).
 */
export const awaitDecisionPayload = z.extend(caseTaskPayload, {
  taskToken: z.string().check(z.minLength(1)),
  attempt: wholeNumber(1),
});
/**
 * `waiting`: whoever the submission waits for was asked; `already-ready`: the submission was
 * ready, and the wait was ended at once. (The state's own result is the callback's output, not this.)
 */
export const awaitDecisionResult = z.object({ outcome: z.enum(['waiting', 'already-ready']) });
export type AwaitDecisionResult = z.infer<typeof awaitDecisionResult>;
export const submissionReadyOutput = z.object({ readyAt: isoInstant });

export const escalateMissingDecisionPayload = z.extend(caseTaskPayload, { attempt: wholeNumber(1) });
/**
 * `escalated`: whoever the submission still waits for was chased (and, when the governing date
 * had just passed, the Panel told the review is late); `ready`: the submission became ready as
 * the wait ran out, so nobody was chased and the state machine submits.
 */
export const escalateMissingDecisionResult = z.object({ outcome: z.enum(['escalated', 'ready']) });
export type EscalateMissingDecisionResult = z.infer<typeof escalateMissingDecisionResult>;

/** `submitted`: the email went (or had gone on an earlier attempt) and the case moved on; `already-submitted`: nothing to do. */
export const submitToPanelResult = z.object({ outcome: z.enum(['submitted', 'already-submitted']) });
export type SubmitToPanelResult = z.infer<typeof submitToPanelResult>;

/** How many people the outcome went to (notifier and agencies); 0 when the case was already complete. */
export const notifyOutcomeResult = z.object({ recipients: count });
export type NotifyOutcomeResult = z.infer<typeof notifyOutcomeResult>;

/** record-failure gets the caught error; it finds the failed step in the execution history. */
export const recordFailurePayload = z.extend(caseTaskPayload, {
  executionArn: z.string().check(z.minLength(1)),
  error: z._default(z.string(), 'Unknown'),
  cause: z._default(z.string(), ''),
});
export const recordFailureResult = z.object({ step: z.string().check(z.minLength(1)) });
export type RecordFailureResult = z.infer<typeof recordFailureResult>;

/** The contract of each workflow function (functions/catalogue.ts), by its name. */
export const workflowTaskContracts = {
  'plan-timetable': { payload: caseTaskPayload, result: planTimetableResult },
  'request-agency-summaries': { payload: caseTaskPayload, result: requestAgencySummariesResult },
  'climb-ladder': { payload: caseTaskPayload, result: climbLadderResult },
  'collate-report': { payload: caseTaskPayload, result: collateReportResult },
  'distribute-papers': { payload: caseTaskPayload, result: distributePapersResult },
  'schedule-decision-deadline': {
    payload: scheduleDecisionDeadlinePayload,
    result: scheduleDecisionDeadlineResult,
  },
  'await-decision': { payload: awaitDecisionPayload, result: awaitDecisionResult },
  'escalate-missing-decision': {
    payload: escalateMissingDecisionPayload,
    result: escalateMissingDecisionResult,
  },
  'submit-to-panel': { payload: caseTaskPayload, result: submitToPanelResult },
  'notify-outcome': { payload: caseTaskPayload, result: notifyOutcomeResult },
  'record-failure': { payload: recordFailurePayload, result: recordFailureResult },
} as const;

export type WorkflowTaskName = keyof typeof workflowTaskContracts;

/**
 * After the governing date, each further wait lasts one working day for this many waits (the
 * first working week late), then a working week: the chasing goes on until the review is done.
 */
export const DAILY_LATE_WAITS = 5;
