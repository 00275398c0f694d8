import { caseId, isoInstant, wholeNumber } from '../schemas/primitives.ts';
import * as z from '../schemas/zod.ts';

/**
 * What the local-review state machine (statemachines/local-review.asl.json) hands each task and
 * what each task hands back: the one place the ASL and the task functions agree, checked at run
 * time by the task handler (shared/workflow/task-handler.ts). Review ids, milestones, attempt
 * counts and timestamps only (ARCHITECTURE §4.3).
 */
export const reviewId = caseId;
export const localReviewTaskPayload = z.object({ reviewId });
export type LocalReviewTaskPayload = z.infer<typeof localReviewTaskPayload>;

/** What the review waits for: the final report, its publication, the end of its minimum period of publication. */
export const localReviewMilestone = z.enum(['completion', 'publication', 'minimum-period']);
export type LocalReviewMilestone = z.infer<typeof localReviewMilestone>;
/** The milestones a person completes (a callback). */
export const awaitedLocalReviewMilestone = z.enum(['completion', 'publication']);
export type AwaitedLocalReviewMilestone = z.infer<typeof awaitedLocalReviewMilestone>;

/** Which execution of a review this is: its phase and how many times it has continued as a new one. */
export const localReviewPhase = z.enum(['review', 'minimum-period']);
export type LocalReviewPhase = z.infer<typeof localReviewPhase>;
const executionFields = {
  /** `$$.Execution.StartTime`: a Standard execution lasts at most a year, so a long wait continues in a new one. */
  startedAt: isoInstant,
  phase: localReviewPhase,
  generation: wholeNumber(0),
};

/**
 * When the execution must continue as a new one (its year nearly spent): the next execution's
 * name (the review's id, its phase, its generation) and generation.
 */
const continuationFields = {
  continueAsNew: z.boolean(),
  nextExecutionName: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/)),
  nextGeneration: wholeNumber(1),
};

/** schedule-local-review-wait: previousAttempt 0 is the first wait for the milestone. */
export const scheduleLocalReviewWaitPayload = z.extend(localReviewTaskPayload, {
  milestone: localReviewMilestone,
  previousAttempt: wholeNumber(0),
  ...executionFields,
});
/** `continueAsNew`: dueAt was brought forward to the end of the execution's span; then it continues as a new one. */
export const scheduleLocalReviewWaitResult = z.object({
  attempt: wholeNumber(1),
  dueAt: isoInstant,
  /** Whole seconds from now until dueAt, at least 1: a callback's TimeoutSecondsPath. */
  timeoutSeconds: wholeNumber(1),
  ...continuationFields,
});
export type ScheduleLocalReviewWaitResult = z.infer<typeof scheduleLocalReviewWaitResult>;

/** await-local-review is invoked with the callback token, which it keeps with the review. */
export const awaitLocalReviewPayload = z.extend(localReviewTaskPayload, {
  milestone: awaitedLocalReviewMilestone,
  taskToken: z.string().check(z.minLength(1)),
  attempt: wholeNumber(1),
});
/** `waiting`: the token is kept; `already-done`: the milestone was reached, and the wait ended at once. */
export const awaitLocalReviewResult = z.object({ outcome: z.enum(['waiting', 'already-done']) });
export type AwaitLocalReviewResult = z.infer<typeof awaitLocalReviewResult>;
/** What whoever reaches a milestone completes the callback with. */
export const localReviewMilestoneOutput = z.object({ doneAt: isoInstant });

export const chaseLocalReviewPayload = z.extend(localReviewTaskPayload, {
  milestone: awaitedLocalReviewMilestone,
  attempt: wholeNumber(1),
});
/**
 * `done`: the milestone was reached meanwhile; `reminded`: a reminder before the completion
 * target; `late`: the target has passed (the Panel told the first time) and the team chased;
 * `held`: a parallel process now holds publication back; `chased`: the team asked to record
 * the publication.
 */
export const chaseLocalReviewResult = z.object({
  outcome: z.enum(['done', 'reminded', 'late', 'held', 'chased']),
});
export type ChaseLocalReviewResult = z.infer<typeof chaseLocalReviewResult>;

export const planPublicationPayload = z.extend(localReviewTaskPayload, executionFields);
/**
 * `held`: look again at `nextAt` (or, `continueAsNew`, in a new execution at once); otherwise
 * `nextAt` is when the notice before publication is due.
 */
export const planPublicationResult = z.object({
  held: z.boolean(),
  nextAt: isoInstant,
  ...continuationFields,
});
export type PlanPublicationResult = z.infer<typeof planPublicationResult>;

/** `sent`: the notice went (now, or on an earlier attempt); `held`: a process began holding publication back. */
export const sendPrePublicationNoticeResult = z.object({ outcome: z.enum(['sent', 'held']) });
export type SendPrePublicationNoticeResult = z.infer<typeof sendPrePublicationNoticeResult>;

export const alertMinimumPeriodResult = z.object({ endsOn: z.string().check(z.minLength(1)) });
export type AlertMinimumPeriodResult = z.infer<typeof alertMinimumPeriodResult>;

export const recordLocalReviewFailurePayload = z.extend(localReviewTaskPayload, {
  executionArn: z.string().check(z.minLength(1)),
  error: z._default(z.string(), 'Unknown'),
  cause: z._default(z.string(), ''),
  /** Set when the execution was chasing one request or one factual-accuracy round: only that chasing stops. */
  chase: z.optional(
    z.object({
      kind: z.enum(['information-request', 'factual-accuracy']),
      number: z.int().check(z.positive()),
    }),
  ),
});
export const recordLocalReviewFailureResult = z.object({ step: z.string().check(z.minLength(1)) });
export type RecordLocalReviewFailureResult = z.infer<typeof recordLocalReviewFailureResult>;

/**
 * chase-information-request: one request for information (issue 13 part 3), by its number on
 * the review, in its own execution (`<reviewId>-request-<number>`, phase `information-request`).
 */
export const chaseInformationRequestPayload = z.extend(localReviewTaskPayload, {
  requestNumber: wholeNumber(1),
});
/** `done`: nothing more to wait for (answered, refused, the review ended, the ladder climbed); otherwise wait until `nextAt`. */
export const chaseInformationRequestResult = z.object({ done: z.boolean(), nextAt: isoInstant });
export type ChaseInformationRequestResult = z.infer<typeof chaseInformationRequestResult>;

/**
 * chase-factual-accuracy: one factual-accuracy round (issue 13 part 4), by its number on the
 * review, in its own execution (`<reviewId>-round-<number>`, phase `factual-accuracy`).
 */
export const chaseFactualAccuracyPayload = z.extend(localReviewTaskPayload, {
  roundNumber: wholeNumber(1),
});
/** `done`: nothing more to wait for (every agency commented, a later round, the review ended, no reminder left); otherwise wait until `nextAt`. */
export const chaseFactualAccuracyResult = z.object({ done: z.boolean(), nextAt: isoInstant });
export type ChaseFactualAccuracyResult = z.infer<typeof chaseFactualAccuracyResult>;

/** The contract of each local-review workflow function (functions/catalogue.ts), by its name. */
export const localReviewTaskContracts = {
  'schedule-local-review-wait': {
    payload: scheduleLocalReviewWaitPayload,
    result: scheduleLocalReviewWaitResult,
  },
  'await-local-review': { payload: awaitLocalReviewPayload, result: awaitLocalReviewResult },
  'chase-local-review': { payload: chaseLocalReviewPayload, result: chaseLocalReviewResult },
  'plan-publication': { payload: planPublicationPayload, result: planPublicationResult },
  'send-pre-publication-notice': {
    payload: localReviewTaskPayload,
    result: sendPrePublicationNoticeResult,
  },
  'alert-minimum-period': { payload: localReviewTaskPayload, result: alertMinimumPeriodResult },
  'record-local-review-failure': {
    payload: recordLocalReviewFailurePayload,
    result: recordLocalReviewFailureResult,
  },
  'chase-information-request': {
    payload: chaseInformationRequestPayload,
    result: chaseInformationRequestResult,
  },
  'chase-factual-accuracy': {
    payload: chaseFactualAccuracyPayload,
    result: chaseFactualAccuracyResult,
  },
} as const;

export type LocalReviewTaskName = keyof typeof localReviewTaskContracts;
