import { rulesOf } from '../config/partnership-profile.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  RefusedError,
  UnavailableError,
} from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import {
  type CaseClosure,
  type CaseRecord,
  type CaseStatus,
  closureAnswers,
  type LateReview,
  lateAnswers,
} from '../schemas/case.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import { type Actor, type StaffMember, staffActor } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { caseClosedEmail, emailContext } from '../workflow/emails.ts';
import { stillMissing } from '../workflow/ladder.ts';
import { formatDate, isoDateOf } from '../workflow/london-time.ts';
import { endWorkflowWait } from '../workflow/readiness.ts';
import { saveOnCase, saveOnceOnCase } from './save-on-case.ts';

/**
 * The partnership team's controls on a running case (issue 9 parts 3 and 6): why a late review is
 * late and when it now expects to submit, and closing a looked-after child's or care leaver's
 * death as notification only, no Rapid Review.
 */

const notFound = () => new NotFoundError('There is no case with this id');

/** Statuses in which the review has gone, or ended: nothing more can be steered. */
const finished: readonly CaseStatus[] = ['submitted-to-panel', 'completed', 'failed', 'closed', 'withdrawn'];

const actorOf = (member: StaffMember): Actor => staffActor(member, 'partnership-team');

function validCaseId(caseId: string): string {
  const parsed = caseIdSchema.safeParse(caseId);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

// ── Why the review is late ───────────────────────────────────────────────────────────────────

export type RecordLateReasonPorts = Pick<Service, 'cases' | 'clock' | 'profile'>;

/** Refuses a late reason the case cannot take now. */
export function lateReasonRefusal(
  record: Pick<CaseRecord, 'reference' | 'status' | 'late'>,
): ConflictError | undefined {
  if (finished.includes(record.status)) {
    return new ConflictError(
      `Case ${record.reference} has already gone to the Panel or ended: there is no lateness to explain now`,
      'Review not running',
    );
  }
  if (!record.late) {
    return new ConflictError(
      `Case ${record.reference} is not late: the date it is due has not passed`,
      'Review not late',
    );
  }
  return undefined;
}

/**
 * The partnership team records why the review is late and the date it now expects to submit
 * (today or later). It may change them until the submission goes; each change is audited, and
 * the submission says why it is late.
 *
 * @throws NotFoundError, InvalidInputError (each bad field named), ConflictError (not late, or
 * already submitted).
 */
export async function recordLateReason(
  service: RecordLateReasonPorts,
  submission: { caseId: string; answer: unknown; member: StaffMember },
): Promise<LateReview> {
  const caseId = validCaseId(submission.caseId);
  const answer = parseInput(lateAnswers, submission.answer, 'late reason');
  const now = service.clock.now();
  const today = isoDateOf(now, rulesOf(service.profile).timeZone);
  if (answer.expectedOn < today) {
    throw new InvalidInputError('late reason', [
      { field: 'expectedOn', message: 'The date you now expect to submit must be today or later' },
    ]);
  }
  const record = await saveOnCase(service, caseId, lateReasonRefusal, (current) => ({
    changes: {
      late: {
        ...(current.late as LateReview),
        reason: answer.reason,
        expectedOn: answer.expectedOn,
        reasonRecordedAt: now.toISOString(),
        reasonRecordedBy: submission.member.id,
        ...(submission.member.name ? { reasonRecordedByName: submission.member.name } : {}),
      },
    },
    audit: {
      actor: actorOf(submission.member),
      at: now.toISOString(),
      action: 'review.late-reason',
      reason: `The partnership team recorded why the review is late; it now expects to submit by ${formatDate(answer.expectedOn)}`,
      details: { expectedOn: answer.expectedOn },
    },
  }));
  logInfo('Late reason recorded', { caseId });
  return record.late as LateReview;
}

// ── Notification only, no Rapid Review ───────────────────────────────────────────────────────

export type CloseAsNotificationOnlyPorts = Pick<
  Service,
  'cases' | 'clock' | 'mailer' | 'profile' | 'workflow'
>;

/** Refuses a closure the case cannot take. */
export function closureRefusal(
  record: Pick<CaseRecord, 'reference' | 'status' | 'decision' | 'lookedAfterOrCareLeaverDeath'>,
): ConflictError | RefusedError | undefined {
  if (!record.lookedAfterOrCareLeaverDeath) {
    return new RefusedError(
      `Case ${record.reference} is not a looked-after child's or care leaver's death: only such a notification can be closed as notification only`,
      'Not a looked-after child or care leaver death',
    );
  }
  if (record.status === 'closed') {
    return new ConflictError(
      `Case ${record.reference} is already closed as notification only`,
      'Already closed',
    );
  }
  if (finished.includes(record.status) || record.decision) {
    return new ConflictError(
      `The Rapid Review Group has already decided case ${record.reference}: it can no longer be closed as notification only`,
      'Review already decided',
    );
  }
  return undefined;
}

/**
 * A looked-after child's or care leaver's death where abuse or neglect is not suspected: the
 * partnership team closes it as notification only, no Rapid Review, with a reason. The workflow
 * stops at its next step (or at once, when it is waiting for the decision); the agencies still
 * asked for a summary and the notifier are told it is no longer needed.
 *
 * A repeat on a case already closed this way changes nothing on the case: it does the
 * follow-ups again (the waiting callback failed, the emails sent), each email once only by its
 * key, so after a 503 the same request finishes telling whoever was not told.
 *
 * @throws NotFoundError, InvalidInputError, RefusedError (not such a death), ConflictError
 * (decided, submitted, or otherwise ended), UnavailableError (closed; not everyone told yet).
 */
export async function closeAsNotificationOnly(
  service: CloseAsNotificationOnlyPorts,
  submission: { caseId: string; answer: unknown; member: StaffMember },
): Promise<{ closure: CaseClosure; repeated: boolean }> {
  const caseId = validCaseId(submission.caseId);
  const answer = parseInput(closureAnswers, submission.answer, 'closure');
  const now = service.clock.now().toISOString();
  const closure: CaseClosure = {
    kind: 'notification-only',
    reason: answer.reason,
    closedAt: now,
    closedBy: submission.member.id,
    ...(submission.member.name ? { closedByName: submission.member.name } : {}),
  };
  const { record, repeated } = await saveOnceOnCase(
    service,
    caseId,
    (current) => current.status === 'closed' && current.closure?.kind === 'notification-only',
    closureRefusal,
    () => ({
      changes: { status: 'closed', closure, currentStep: 'ClosedAsNotificationOnly' },
      audit: {
        actor: actorOf(submission.member),
        at: now,
        action: 'case.closed-notification-only',
        reason: `The partnership team closed the case as notification only, no Rapid Review: ${answer.reason}`,
        eventId: 'closed-notification-only',
      },
    }),
  );
  try {
    await endWorkflowWait(service, caseId, 'CaseClosed', 'Closed as notification only');
    const { agencies } = await service.cases.getCaseWithAgencies(caseId);
    const context = emailContext(service.profile, record);
    const stillAsked = agencies.filter(stillMissing);
    await service.mailer.sendEachOnce([
      ...stillAsked.map((agency) => ({
        key: `${caseId}:Closed:${agency.agencyId}`,
        message: caseClosedEmail(context, agency.spoc),
      })),
      {
        key: `${caseId}:Closed:notifier`,
        message: caseClosedEmail(context, undefined, record.notifierEmail),
      },
    ]);
  } catch (error) {
    logError('Case closed; a follow-up did not finish', { caseId, error: (error as Error).name });
    throw new UnavailableError(
      `Case ${record.reference} is closed as notification only. The workflow or the agencies could not all be told just now; the workflow stops at its next step. Close it again in a few minutes to finish: no one is told twice.`,
      'Closed; not everyone told yet',
    );
  }
  logInfo(repeated ? 'Case closure finished' : 'Case closed as notification only', { caseId });
  return { closure: record.closure ?? closure, repeated };
}
