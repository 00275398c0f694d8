import { localReviewRulesOf, rulesOf } from '../config/partnership-profile.ts';
import { DomainError } from '../errors.ts';
import type { LocalReview } from '../schemas/local-review.ts';
import { systemActor } from '../schemas/roles.ts';
import type * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { LocalReviewChanges } from '../stores/local-review-store.ts';
import { mediaTypeOfKind } from '../upload-contents.ts';
import {
  type AlertMinimumPeriodResult,
  type AwaitLocalReviewResult,
  type awaitLocalReviewPayload,
  type ChaseLocalReviewResult,
  type chaseLocalReviewPayload,
  localReviewMilestoneOutput,
  type PlanPublicationResult,
  type planPublicationPayload,
  type RecordLocalReviewFailureResult,
  type recordLocalReviewFailurePayload,
  type ScheduleLocalReviewWaitResult,
  type SendPrePublicationNoticeResult,
  type scheduleLocalReviewWaitPayload,
} from '../workflow/local-review-contracts.ts';
import {
  chasingStoppedEmail,
  completionOverdueEmail,
  completionReminderEmail,
  type FinalReportAttachment,
  localReviewEmailContext,
  localReviewFailedEmail,
  localReviewLateEmail,
  minimumPeriodAlertEmail,
  prePublicationNoticeEmail,
  publicationHeldEmail,
  publicationOverdueEmail,
} from '../workflow/local-review-emails.ts';
import {
  completionDueAt,
  completionWaitUntil,
  type LocalReviewCalendar,
  minimumPeriodAlertAt,
  minimumPeriodEndsOn,
  prePublicationNoticeAt,
  processesHoldingPublication,
  publicationDueAt,
  reminderPoints,
  secondsUntil,
  workingDaysAfter,
} from '../workflow/local-review-plan.ts';
import { formatDate } from '../workflow/london-time.ts';
import { writeOnce } from '../workflow/steps.ts';
import { enquiryOf } from './enquiry-of.ts';
import { LocalReviewNotFoundError } from './local-review.ts';

/**
 * The local-review state machine's tasks (statemachines/local-review.asl.json), each safe to
 * run twice: every email is keyed by the step (sent once), every change carries an audit event
 * id derived from the step (written once).
 */

/** Who the workflow's changes are recorded as. */
export const localReviewWorkflowActor = systemActor('local-review-workflow');

/** A step reached out of order (the final report's publication not planned, say). Not retried. */
export class LocalReviewNotReadyError extends DomainError {
  override readonly name = 'LocalReviewNotReady';
  override readonly kind = 'conflict';
}

type TaskPorts = Pick<Service, 'clock' | 'profile' | 'publicBaseUrl' | 'localReviews'>;
type MailingPorts = TaskPorts & Pick<Service, 'mailer'>;

function calendarOf(service: Pick<Service, 'profile'>): LocalReviewCalendar {
  return { rules: localReviewRulesOf(service.profile), hours: rulesOf(service.profile) };
}

async function load(service: Pick<Service, 'localReviews'>, reviewId: string): Promise<LocalReview> {
  const review = await service.localReviews.getLocalReview(reviewId);
  if (!review) throw new LocalReviewNotFoundError();
  return review;
}

/** One change by the workflow, written once under `eventId`. */
async function changeOnce(
  service: TaskPorts,
  review: LocalReview,
  eventId: string,
  changes: LocalReviewChanges,
  audit: { action: string; reason: string; details?: Record<string, string | number | boolean | null> },
): Promise<void> {
  await writeOnce(() =>
    service.localReviews.updateLocalReview(review, changes, {
      actor: localReviewWorkflowActor,
      at: service.clock.now().toISOString(),
      eventId,
      ...audit,
    }),
  );
}

const emailContextOf = (service: TaskPorts, review: LocalReview) =>
  localReviewEmailContext(service.profile, review, service.publicBaseUrl);

/**
 * How long one execution of a review may run before it continues as a new one: a Standard
 * execution lasts at most a year, and a review (a long hold for a criminal trial, a late run, a
 * minimum period of publication longer than a year) may outlast one.
 */
export const EXECUTION_SPAN_DAYS = 330;

/**
 * `natural` as this execution may wait for it: unchanged when it falls within the execution's
 * span, otherwise brought forward to the span's end (at least a second from now) with
 * `continueAsNew`, so that the execution then hands over to the next, named by the review's id,
 * its phase and its generation. Every step reads the review afresh, so the next execution goes on
 * where this one stopped.
 */
export function withinExecutionSpan(
  execution: { reviewId: string; startedAt: string; phase: 'review' | 'minimum-period'; generation: number },
  now: Date,
  natural: Date,
): { at: Date; continueAsNew: boolean; nextExecutionName: string; nextGeneration: number } {
  const end = Date.parse(execution.startedAt) + EXECUTION_SPAN_DAYS * 24 * 60 * 60 * 1000;
  const nextGeneration = execution.generation + 1;
  const nextExecutionName = `${execution.reviewId}${execution.phase === 'minimum-period' ? '-minimum-period' : ''}-g${nextGeneration}`;
  const continueAsNew = natural.getTime() > end;
  const at = continueAsNew ? new Date(Math.max(end, now.getTime() + 1000)) : natural;
  return { at, continueAsNew, nextExecutionName, nextGeneration };
}

/** How long the workflow waits for a milestone, attempt by attempt. */
export async function scheduleLocalReviewWait(
  service: TaskPorts,
  payload: z.infer<typeof scheduleLocalReviewWaitPayload>,
): Promise<ScheduleLocalReviewWaitResult> {
  const review = await load(service, payload.reviewId);
  const calendar = calendarOf(service);
  const now = service.clock.now();
  const attempt = payload.previousAttempt + 1;
  let dueAt: Date;
  if (payload.milestone === 'completion') {
    dueAt = completionWaitUntil(review, now, calendar);
  } else if (payload.milestone === 'publication') {
    const plannedOn = review.publicationPlan?.plannedOn;
    if (!plannedOn)
      throw new LocalReviewNotReadyError(`Local review ${review.reviewId} has no planned publication`);
    const planned = publicationDueAt(plannedOn, calendar);
    dueAt =
      payload.previousAttempt === 0 && planned.getTime() > now.getTime()
        ? planned
        : workingDaysAfter(now, calendar.rules.lateChaseWorkingDays, calendar);
  } else {
    const publishedOn = review.publication?.publishedOn;
    if (!publishedOn) throw new LocalReviewNotReadyError(`Local review ${review.reviewId} is not published`);
    dueAt = minimumPeriodAlertAt(publishedOn, calendar);
  }
  const { at, ...continuation } = withinExecutionSpan(payload, now, dueAt);
  return { attempt, dueAt: at.toISOString(), timeoutSeconds: secondsUntil(at, now), ...continuation };
}

/** Whether the milestone a callback waits for is reached. */
const isDone = (review: LocalReview, milestone: 'completion' | 'publication') =>
  milestone === 'completion' ? Boolean(review.publicationPlan) : Boolean(review.publication);

/** Keeps the callback token with the review; ends the wait at once when the milestone is already reached. */
export async function awaitLocalReview(
  service: TaskPorts & Pick<Service, 'localReviewWorkflow'>,
  payload: z.infer<typeof awaitLocalReviewPayload>,
): Promise<AwaitLocalReviewResult> {
  const { reviewId, milestone, taskToken, attempt } = payload;
  await service.localReviews.saveLocalReviewToken(reviewId, milestone, taskToken, attempt);
  const review = await load(service, reviewId);
  if (!isDone(review, milestone)) return { outcome: 'waiting' };
  try {
    await service.localReviewWorkflow.completeTask(
      taskToken,
      localReviewMilestoneOutput.parse({ doneAt: service.clock.now().toISOString() }),
    );
  } catch (error) {
    // The task is already closed: the person's change completed it with this same token first.
    if ((error as Error).name !== 'TaskTimedOut') throw error;
  }
  return { outcome: 'already-done' };
}

/**
 * A wait ran out. For the final report: each reminder due is sent once; at the completion target
 * the review is marked late and the Panel told (once, the Executive Board copied); after it, the
 * team is chased. For the publication: a process now holding it back sends the workflow back to
 * planning; otherwise the team is asked to record it.
 */
export async function chaseLocalReview(
  service: MailingPorts,
  payload: z.infer<typeof chaseLocalReviewPayload>,
): Promise<ChaseLocalReviewResult> {
  const { reviewId, milestone, attempt } = payload;
  let review = await load(service, reviewId);
  if (isDone(review, milestone)) return { outcome: 'done' };
  const now = service.clock.now();
  const calendar = calendarOf(service);

  if (milestone === 'publication') {
    if (processesHoldingPublication(review).length > 0) return { outcome: 'held' };
    await service.mailer.sendOnce(
      `${reviewId}:PublicationOverdue:${attempt}`,
      publicationOverdueEmail(emailContextOf(service, review), attempt),
    );
    return { outcome: 'chased' };
  }

  if (now.getTime() < completionDueAt(review, calendar).getTime()) {
    const due = reminderPoints(review, calendar).filter((point) => point.at.getTime() <= now.getTime());
    for (const point of due) {
      await service.mailer.sendOnce(
        `${reviewId}:CompletionReminder:${point.monthsBefore}`,
        completionReminderEmail(emailContextOf(service, review), point.monthsBefore),
      );
      await changeOnce(
        service,
        review,
        `${reviewId}:CompletionReminder:${point.monthsBefore}`,
        {
          remindersSent: [
            ...review.remindersSent,
            { monthsBefore: point.monthsBefore, at: now.toISOString() },
          ],
        },
        {
          action: 'local-review.reminded',
          reason: `The partnership team reminded the review is due in ${point.monthsBefore === 1 ? 'a month' : `${point.monthsBefore} months`}`,
          details: { monthsBefore: point.monthsBefore },
        },
      );
      review = await load(service, reviewId);
    }
    return { outcome: 'reminded' };
  }

  if (!review.late) {
    await service.mailer.sendOnce(
      `${reviewId}:LateNotice`,
      localReviewLateEmail(
        emailContextOf(service, review),
        service.profile.panelMailbox,
        service.profile.executiveBoard?.email,
      ),
    );
    await changeOnce(
      service,
      review,
      `${reviewId}:LateNotice`,
      { late: { dueDate: review.completionDueOn, panelToldAt: now.toISOString() } },
      {
        action: 'local-review.late',
        reason: 'The review was not complete by its completion target: the Panel was told it is late',
        details: { dueDate: review.completionDueOn },
      },
    );
    review = await load(service, reviewId);
  }
  await service.mailer.sendOnce(
    `${reviewId}:CompletionOverdue:${attempt}`,
    completionOverdueEmail(emailContextOf(service, review), attempt, Boolean(review.late?.reason)),
  );
  return { outcome: 'late' };
}

/**
 * Publication is held back while a parallel process that holds it is open: recorded, and the
 * team told, once for each set of such processes; looked at again the profile's working days
 * later. Otherwise the notice before publication is due the profile's working days before the
 * planned date (at once, when that has passed).
 */
export async function planPublication(
  service: MailingPorts,
  payload: z.infer<typeof planPublicationPayload>,
): Promise<PlanPublicationResult> {
  const review = await load(service, payload.reviewId);
  const plan = review.publicationPlan;
  if (!plan) throw new LocalReviewNotReadyError(`Local review ${review.reviewId} has no planned publication`);
  const now = service.clock.now();
  const calendar = calendarOf(service);
  const holding = processesHoldingPublication(review);
  if (holding.length > 0) {
    const which = holding.map((process) => process.number).join('-');
    await service.mailer.sendOnce(
      `${review.reviewId}:PublicationHeld:${which}`,
      publicationHeldEmail(emailContextOf(service, review), holding),
    );
    if (!review.publicationHeldSince) {
      await changeOnce(
        service,
        review,
        `${review.reviewId}:PublicationHeld:${which}`,
        { publicationHeldSince: now.toISOString() },
        {
          action: 'local-review.publication-held',
          reason: `Publication held back while ${holding.length === 1 ? 'a parallel process is' : `${holding.length} parallel processes are`} open`,
          details: { processes: which },
        },
      );
    }
    const { at, ...continuation } = withinExecutionSpan(
      payload,
      now,
      workingDaysAfter(now, calendar.rules.holdRecheckWorkingDays, calendar),
    );
    return { held: true, nextAt: at.toISOString(), ...continuation };
  }
  if (review.publicationHeldSince) {
    await changeOnce(
      service,
      review,
      `${review.reviewId}:PublicationHoldLifted:${review.publicationHeldSince}`,
      { publicationHeldSince: undefined },
      {
        action: 'local-review.publication-hold-lifted',
        reason: 'No open parallel process holds publication back any more',
      },
    );
  }
  const noticeAt = prePublicationNoticeAt(plan.plannedOn, calendar);
  const { at, ...continuation } = withinExecutionSpan(
    payload,
    now,
    new Date(Math.max(noticeAt.getTime(), now.getTime())),
  );
  return { held: false, nextAt: at.toISOString(), ...continuation };
}

/**
 * The notice before publication: to the Panel and the Secretary of State (when the profile names
 * a mailbox for them; otherwise the team is told to send that copy), once for each planned date.
 * A process holding publication back since the plan sends the workflow back to planning.
 */
export async function sendPrePublicationNotice(
  service: MailingPorts & Pick<Service, 'localReviewDrafts' | 'documents'>,
  payload: { reviewId: string },
): Promise<SendPrePublicationNoticeResult> {
  const review = await load(service, payload.reviewId);
  const plan = review.publicationPlan;
  if (!plan) throw new LocalReviewNotReadyError(`Local review ${review.reviewId} has no planned publication`);
  if (processesHoldingPublication(review).length > 0) return { outcome: 'held' };
  const secretaryOfState = localReviewRulesOf(service.profile).secretaryOfStateMailbox;
  const key = `${review.reviewId}:PrePublicationNotice:${plan.plannedOn}`;
  // The version the team chose as the final report goes with the notice, as the papers go with
  // the Rapid Review's outcome: the Panel cannot sign in to the service to follow a link.
  const final = await finalReportAttachment(service, review);
  await service.mailer.sendOnce(
    key,
    prePublicationNoticeEmail(
      emailContextOf(service, review),
      [service.profile.panelMailbox, ...(secretaryOfState ? [secretaryOfState] : [])],
      Boolean(secretaryOfState),
      final,
    ),
  );
  await changeOnce(
    service,
    review,
    key,
    { prePublicationNoticeSentAt: service.clock.now().toISOString() },
    {
      action: 'local-review.pre-publication-notice-sent',
      reason: secretaryOfState
        ? 'Notice of the publication sent to the Panel and the Secretary of State'
        : "Notice of the publication sent to the Panel; the profile names no Secretary of State's mailbox, so the team sends that copy",
      details: { plannedOn: plan.plannedOn, finalVersion: final?.version ?? null },
    },
  );
  return { outcome: 'sent' };
}

/** The final version the team chose, as an attachment named by the review's reference; undefined when none is chosen. */
async function finalReportAttachment(
  service: Pick<Service, 'localReviewDrafts' | 'documents'>,
  review: LocalReview,
): Promise<FinalReportAttachment | undefined> {
  const drafts = await service.localReviewDrafts.getDrafts(review.reviewId);
  const chosen = drafts.drafts.find((draft) => draft.version === drafts.finalVersion?.version);
  if (!chosen) return undefined;
  const what = review.publicationPlan?.inFull === false ? 'improvements-information' : 'final-report';
  return {
    version: chosen.version,
    attachment: {
      fileName: `${review.reference}-${what}.${chosen.kind}`,
      contentType: mediaTypeOfKind[chosen.kind],
      content: await service.documents.getBytes(chosen.key),
    },
  };
}

/** A month before the report has been public for the minimum period: the team is told, once. */
export async function alertMinimumPeriod(
  service: MailingPorts,
  payload: { reviewId: string },
): Promise<AlertMinimumPeriodResult> {
  const review = await load(service, payload.reviewId);
  const publishedOn = review.publication?.publishedOn;
  if (!publishedOn) throw new LocalReviewNotReadyError(`Local review ${review.reviewId} is not published`);
  const endsOn = minimumPeriodEndsOn(publishedOn, localReviewRulesOf(service.profile));
  const key = `${review.reviewId}:MinimumPeriodAlert`;
  await service.mailer.sendOnce(key, minimumPeriodAlertEmail(emailContextOf(service, review), endsOn));
  await changeOnce(
    service,
    review,
    key,
    { minimumPeriodAlertSentAt: service.clock.now().toISOString() },
    {
      action: 'local-review.minimum-period-alert',
      reason: 'The partnership team told the report must stay public for a month more at least',
      details: { endsOn },
    },
  );
  return { endsOn };
}

/** The workflow failed: the review is marked failed (once) and the team emailed (once). */
export async function recordLocalReviewFailure(
  service: MailingPorts & Pick<Service, 'localReviewWorkflow' | 'localReviewEnquiries' | 'localReviewDrafts'>,
  payload: z.infer<typeof recordLocalReviewFailurePayload>,
): Promise<RecordLocalReviewFailureResult> {
  const review = await load(service, payload.reviewId);
  if (payload.chase) return recordChasingStopped(service, review, { ...payload, chase: payload.chase });
  const key = `${review.reviewId}:RecordFailure`;
  const failure = review.failure ?? {
    step:
      (await service.localReviewWorkflow.failedStep(payload.executionArn, ['RecordFailure'])) ?? 'unknown',
    error: payload.error.slice(0, 200),
    at: service.clock.now().toISOString(),
  };
  if (review.status !== 'failed') {
    await changeOnce(
      service,
      review,
      key,
      { status: 'failed', failure },
      {
        action: 'workflow.failed',
        reason: 'The service stopped following the local review’s timetable; the rest must be done by hand',
        details: { step: failure.step, error: failure.error },
      },
    );
  }
  await service.mailer.sendOnce(
    key,
    localReviewFailedEmail(emailContextOf(service, review), new Date(failure.at)),
  );
  return { step: failure.step };
}

/**
 * A request's chasing or a round's reminders failed past their retries: only that chasing stops.
 * The review is not marked failed (its other work, and the agency's link, go on); its timeline
 * says which chasing stopped and the partnership team is emailed, once, to chase it by hand.
 */
async function recordChasingStopped(
  service: MailingPorts & Pick<Service, 'localReviewWorkflow' | 'localReviewEnquiries' | 'localReviewDrafts'>,
  review: LocalReview,
  payload: z.infer<typeof recordLocalReviewFailurePayload> & {
    chase: NonNullable<z.infer<typeof recordLocalReviewFailurePayload>['chase']>;
  },
): Promise<RecordLocalReviewFailureResult> {
  const { kind, number } = payload.chase;
  const key = `${review.reviewId}:RecordChaseFailure:${kind}:${number}`;
  const step =
    (await service.localReviewWorkflow.failedStep(payload.executionArn, [
      'RecordRequestChaseFailure',
      'RecordRoundChaseFailure',
    ])) ?? 'unknown';
  const what = await chasedThingOf(service, review, payload.chase);
  await changeOnce(
    service,
    review,
    key,
    {},
    {
      action: 'workflow.chasing-stopped',
      reason: `The service stopped sending reminders for ${what}; they must be sent by hand`,
      details: { step, error: payload.error.slice(0, 200) },
    },
  );
  await service.mailer.sendOnce(
    key,
    chasingStoppedEmail(emailContextOf(service, review), what, service.clock.now()),
  );
  return { step };
}

/** The chasing that stopped, in words: the agency asked for information, or the draft sent for factual accuracy. */
async function chasedThingOf(
  service: Pick<Service, 'localReviewEnquiries' | 'localReviewDrafts'>,
  review: LocalReview,
  chase: { kind: 'information-request' | 'factual-accuracy'; number: number },
): Promise<string> {
  if (chase.kind === 'information-request') {
    const enquiry = await enquiryOf(service, review);
    const request = enquiry.informationRequests.find((each) => each.number === chase.number);
    return request
      ? `the request for information to ${request.agencyName}, due ${formatDate(request.dueOn)}`
      : 'a request for information';
  }
  const drafts = await service.localReviewDrafts.getDrafts(review.reviewId);
  const round = drafts.rounds.find((each) => each.number === chase.number);
  return round
    ? `the factual-accuracy comments on draft version ${round.draftVersion}, due ${formatDate(round.dueOn)}`
    : 'a factual-accuracy round';
}
