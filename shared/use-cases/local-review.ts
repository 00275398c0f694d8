import { createHash, randomUUID } from 'node:crypto';
import { agencyIdFor } from '../cases/open-case.ts';
import { localReviewRulesOf, rulesOf } from '../config/partnership-profile.ts';
import {
  DomainError,
  DuplicateWriteError,
  InvalidInputError,
  NotFoundError,
  UnavailableError,
} from '../errors.ts';
import { logWarning } from '../log.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import {
  type CarriedDocument,
  type LocalReview,
  type LocalReviewRoute,
  localReviewLateAnswers,
  parallelProcessAnswers,
  parallelProcessNames,
  publicationAnswers,
  publicationPlanAnswers,
  reviewerAnswers,
  termsOfReferenceAnswers,
} from '../schemas/local-review.ts';
import { caseId as caseIdSchema, isoDate } from '../schemas/primitives.ts';
import { reportDocumentKeys } from '../schemas/report.ts';
import { type StaffMember, staffActor } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import type { LocalReviewChanges, LocalReviewTokenKind } from '../stores/local-review-store.ts';
import { parseInput } from '../validation.ts';
import {
  commissionedEmail,
  localReviewEmailContext,
  reviewerAppointedEmail,
} from '../workflow/local-review-emails.ts';
import { completionDueOn, processesHoldingPublication } from '../workflow/local-review-plan.ts';
import { isoDateOf } from '../workflow/london-time.ts';
import { caseDocumentKeys, hasReached } from '../workflow/steps.ts';

/**
 * What the partnership team does on a Local Child Safeguarding Practice Review (issue 13): start
 * one from a Rapid Review, record its terms of reference, its reviewer, the processes running
 * beside it, the final report's planned publication, why it is late, and its publication. Each
 * change is written with its audit event; the Panel is emailed (once) on commissioning and on the
 * reviewer's appointment; the final report and the publication end the workflow's waits.
 */

/** A local review cannot be started from this case, or the change is not allowed now; the message says why. */
export class LocalReviewRefusedError extends DomainError {
  override readonly name = 'LocalReviewRefused';
  override readonly kind = 'refused';
  constructor(message: string, title = 'You cannot do this on this local review') {
    super(message, title);
  }
}

/** Publication is held back while a parallel process that holds it is open. */
export class PublicationHeldError extends DomainError {
  override readonly name = 'PublicationHeld';
  override readonly kind = 'conflict';
  constructor(message: string) {
    super(message, 'Publication is held back');
  }
}

export class LocalReviewNotFoundError extends NotFoundError {
  constructor() {
    super('There is no local review with this id');
  }
}

type Ports = Pick<Service, 'clock' | 'profile' | 'publicBaseUrl' | 'localReviews'>;
type EmailPorts = Ports & Pick<Service, 'mailer'>;
type ResumePorts = Ports & Pick<Service, 'localReviewWorkflow'>;

const today = (service: Pick<Service, 'clock' | 'profile'>) =>
  isoDateOf(service.clock.now(), rulesOf(service.profile).timeZone);

/**
 * How a Rapid Review may lead to a local review, and the day of the decision to commission:
 * the partners' decision to commission one, or the Panel's reply asking for one. Undefined
 * when neither.
 */
export function localReviewWayIn(
  record: CaseRecord,
  timeZone = 'Europe/London',
): { route: LocalReviewRoute; decidedOn: string } | undefined {
  if (record.status === 'withdrawn' || record.status === 'closed') return undefined;
  if (record.decision?.commissionLocalReview) {
    return { route: 'rapid-review-decision', decidedOn: isoDateOf(record.decision.decidedAt, timeZone) };
  }
  if (record.panelReply?.asksForLocalReview || (record.localReviewToCommission && record.panelReply)) {
    return { route: 'panel-request', decidedOn: record.panelReply.repliedOn };
  }
  return undefined;
}

/** The plain refusal when a Rapid Review led to no local review. */
export const NOT_COMMISSIONED_MESSAGE =
  'A local review can be started only from a Rapid Review whose safeguarding partners decided to commission one, or whose Panel reply asked for one. This Rapid Review has neither.';

/** The Rapid Review's documents a local review carries: those filed by now. */
function carriedDocuments(record: CaseRecord): CarriedDocument[] {
  const documents: CarriedDocument[] = [{ title: 'Notification', key: record.notificationDocumentKey }];
  if (record.panelNotificationDocument) {
    documents.push({
      title: "The local authority's notification to the Panel",
      key: record.panelNotificationDocument.key,
    });
  }
  if (hasReached(record.status, 'awaiting-decision') && record.status !== 'failed') {
    documents.push({
      title: 'Collated agency summaries',
      key: caseDocumentKeys.collatedReport(record.caseId),
    });
  }
  if (record.meeting?.minutes) {
    documents.push({ title: 'Rapid Review Group meeting minutes', key: record.meeting.minutes.key });
  }
  if (hasReached(record.status, 'submitted-to-panel') && record.status !== 'failed') {
    documents.push(
      { title: 'Rapid review report', key: reportDocumentKeys.pdf(record.caseId) },
      { title: 'Decision', key: caseDocumentKeys.decision(record.caseId) },
      { title: 'Covering letter to the Panel', key: caseDocumentKeys.coveringLetter(record.caseId) },
    );
  }
  if (record.panelReply?.letterDocumentKey) {
    documents.push({ title: "The Panel's letter", key: record.panelReply.letterDocumentKey });
  }
  return documents;
}

/** `RR-2026-0007` → `LCSPR-2026-0007`: one local review per Rapid Review, so the reference follows the case's. */
export function localReviewReference(caseReference: string): string {
  return `LCSPR-${caseReference.replace(/^RR-/, '')}`;
}

export interface CommissionOutcome {
  review: LocalReview;
  outcome: 'commissioned' | 'already-commissioned';
}

/**
 * Starts a local review from a Rapid Review: refused (plainly) unless the partners decided to
 * commission one or the Panel asked for one. It carries the case's reference, agencies and
 * documents (the children stay in its notification), is due the profile's months from the
 * decision, emails the Panel once and starts its workflow. Asked again, it finishes those
 * follow-ups for the review already commissioned.
 */
export async function commissionLocalReview(
  service: EmailPorts & Pick<Service, 'cases' | 'localReviewWorkflow'>,
  input: { caseId: string; member: StaffMember },
): Promise<CommissionOutcome> {
  const caseId = caseIdSchema.safeParse(input.caseId);
  if (!caseId.success) throw new NotFoundError('There is no case with this id');
  const commissioned = await reviewOfSource(
    service,
    () => service.localReviews.findLocalReviewOfCase(caseId.data),
    async () => {
      const { case: record, agencies } = await service.cases.getCaseWithAgencies(caseId.data);
      const timeZone = rulesOf(service.profile).timeZone;
      const wayIn = localReviewWayIn(record, timeZone);
      if (!wayIn)
        throw new LocalReviewRefusedError(NOT_COMMISSIONED_MESSAGE, 'You cannot start a local review');
      const now = service.clock.now().toISOString();
      const actor = staffActor(input.member, 'partnership-team');
      const candidate = newLocalReview(record, agencies, wayIn, input.member, now, service);
      return service.localReviews.commissionLocalReview(
        candidate,
        {
          actor,
          at: now,
          action: 'local-review.commissioned',
          reason: `Commissioned from Rapid Review ${record.reference}: ${wayIn.route === 'panel-request' ? 'the Panel asked for a local review' : 'the safeguarding partners decided to commission one'}`,
          details: { caseId: record.caseId, route: wayIn.route, completionDueOn: candidate.completionDueOn },
        },
        {
          actor,
          at: now,
          action: 'local-review.commissioned',
          reason: `Local review ${candidate.reference} commissioned from this Rapid Review`,
          details: { reviewId: candidate.reviewId },
        },
      );
    },
  );
  await tellPanelAndStart(service, commissioned.review);
  return commissioned;
}

/**
 * The local review a source (a case, a referral) already has, or else the one `commission`
 * writes (which may refuse). Commissioned at the same moment by someone else: theirs, to finish.
 */
async function reviewOfSource(
  service: Pick<Service, 'localReviews'>,
  findId: () => Promise<string | undefined>,
  commission: () => Promise<LocalReview>,
): Promise<CommissionOutcome> {
  const existing = async () => {
    const id = await findId();
    return id ? service.localReviews.getLocalReview(id) : undefined;
  };
  const before = await existing();
  if (before) return { review: before, outcome: 'already-commissioned' };
  try {
    return { review: await commission(), outcome: 'commissioned' };
  } catch (error) {
    if (!(error instanceof DuplicateWriteError)) throw error;
    const raced = await existing();
    if (!raced) throw error;
    return { review: raced, outcome: 'already-commissioned' };
  }
}

/** What follows commissioning, however it came: the Panel emailed (once) and the review's workflow started. */
async function tellPanelAndStart(
  service: EmailPorts & Pick<Service, 'localReviewWorkflow'>,
  review: LocalReview,
): Promise<void> {
  await service.mailer.sendOnce(
    `${review.reviewId}:PanelToldOfCommission`,
    commissionedEmail(
      localReviewEmailContext(service.profile, review, service.publicBaseUrl),
      service.profile.panelMailbox,
    ),
  );
  await service.localReviewWorkflow.start(review.reviewId);
}

/** The plain refusal when a referral's group decided on something other than a local review. */
export const REFERRAL_NOT_LCSPR_MESSAGE =
  'A local review can be started from a referral only once the Practice Review Group has decided it should lead to a Local Child Safeguarding Practice Review.';

/** `PRG-2026-4F2A9C` → `LCSPR-PRG-2026-4F2A9C`: one local review per referral, named by it. */
export function localReviewReferenceOfReferral(referralReference: string): string {
  return `LCSPR-${referralReference}`;
}

/**
 * Starts a local review from a Practice Review Group referral (issue 13 part 1, the second way
 * in): refused (plainly) unless the group decided it should lead to one. It carries the child the
 * referral names and the referring agency; it is due the profile's months from the group's
 * decision; the Panel is emailed once and its workflow started, as for one from a Rapid Review.
 * The referral is marked commissioned, with the review's id (its audit trail says so). Asked
 * again, it finishes those follow-ups for the review already commissioned.
 */
export async function commissionLocalReviewFromReferral(
  service: EmailPorts & Pick<Service, 'referrals' | 'localReviewWorkflow'>,
  input: { referralId: string; member: StaffMember },
): Promise<CommissionOutcome> {
  const referralId = caseIdSchema.safeParse(input.referralId);
  const referral = referralId.success ? await service.referrals.getReferral(referralId.data) : undefined;
  if (!referral) throw new NotFoundError('There is no referral with this id');
  const actor = staffActor(input.member, 'partnership-team');
  const commissioned = await reviewOfSource(
    service,
    () => service.localReviews.findLocalReviewOfReferral(referral.referralId),
    async () => {
      if (referral.decision?.outcome !== 'lcspr') {
        throw new LocalReviewRefusedError(REFERRAL_NOT_LCSPR_MESSAGE, 'You cannot start a local review');
      }
      const timeZone = rulesOf(service.profile).timeZone;
      const now = service.clock.now().toISOString();
      const decidedOn = isoDateOf(referral.decision.decidedAt, timeZone);
      const candidate: LocalReview = {
        reviewId: randomUUID(),
        reference: localReviewReferenceOfReferral(referral.reference),
        status: 'commissioned',
        version: 1,
        route: 'practice-review-group',
        fromReferral: {
          referralId: referral.referralId,
          reference: referral.reference,
          child: referral.child,
        },
        decidedOn,
        completionDueOn: completionDueOn(decidedOn, localReviewRulesOf(service.profile)),
        agencies: [{ agencyId: agencyIdFor(referral.agencyName), agencyName: referral.agencyName }],
        documents: [],
        commissionedAt: now,
        commissionedBy: input.member.id,
        ...(input.member.name ? { commissionedByName: input.member.name } : {}),
        parallelProcesses: [],
        remindersSent: [],
        createdAt: now,
        updatedAt: now,
      };
      return service.localReviews.commissionLocalReview(candidate, {
        actor,
        at: now,
        action: 'local-review.commissioned',
        reason: `Commissioned from Practice Review Group referral ${referral.reference}: the group decided it should lead to a local review`,
        details: {
          referralId: referral.referralId,
          route: candidate.route,
          completionDueOn: candidate.completionDueOn,
        },
      });
    },
  );
  const { review } = commissioned;
  if (referral.localReviewId !== review.reviewId) {
    try {
      await service.referrals.updateReferral(
        referral,
        { status: 'commissioned', localReviewId: review.reviewId },
        {
          actor,
          at: service.clock.now().toISOString(),
          action: 'prg-referral.local-review-commissioned',
          reason: `Local review ${review.reference} commissioned from this referral`,
          details: { reviewId: review.reviewId },
          eventId: `local-review-commissioned-${review.reviewId}`,
        },
      );
    } catch (error) {
      if (!(error instanceof DuplicateWriteError)) throw error;
    }
  }
  await tellPanelAndStart(service, review);
  return commissioned;
}

function newLocalReview(
  record: CaseRecord,
  agencies: readonly AgencyRequest[],
  wayIn: { route: LocalReviewRoute; decidedOn: string },
  member: StaffMember,
  now: string,
  service: Pick<Service, 'profile'>,
): LocalReview {
  return {
    reviewId: randomUUID(),
    reference: localReviewReference(record.reference),
    status: 'commissioned',
    version: 1,
    route: wayIn.route,
    fromCase: {
      caseId: record.caseId,
      reference: record.reference,
      panelReference: record.panelReference,
      notificationDocumentKey: record.notificationDocumentKey,
    },
    decidedOn: wayIn.decidedOn,
    completionDueOn: completionDueOn(wayIn.decidedOn, localReviewRulesOf(service.profile)),
    agencies: agencies
      .filter((agency) => agency.status !== 'removed')
      .map((agency) => ({ agencyId: agency.agencyId, agencyName: agency.agencyName })),
    documents: carriedDocuments(record),
    commissionedAt: now,
    commissionedBy: member.id,
    ...(member.name ? { commissionedByName: member.name } : {}),
    parallelProcesses: [],
    remindersSent: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** The review, or LocalReviewNotFoundError (an id that is no id is not found either). */
export async function loadLocalReview(
  service: Pick<Service, 'localReviews'>,
  reviewId: string,
): Promise<LocalReview> {
  const id = caseIdSchema.safeParse(reviewId);
  const review = id.success ? await service.localReviews.getLocalReview(id.data) : undefined;
  if (!review) throw new LocalReviewNotFoundError();
  return review;
}

function refuseOnceEnded(review: LocalReview, what: string): void {
  if (review.status === 'published') {
    throw new LocalReviewRefusedError(
      `Local review ${review.reference} is published: ${what} can no longer be changed.`,
    );
  }
  if (review.status === 'failed') {
    throw new LocalReviewRefusedError(
      `Local review ${review.reference} has stopped: something went wrong with its timetable. The service's support team has been told.`,
    );
  }
}

const recordedBy = (member: StaffMember, at: string) => ({
  recordedAt: at,
  recordedBy: member.id,
  ...(member.name ? { recordedByName: member.name } : {}),
});

/** One change by the partnership team, with its audit event. */
async function change(
  service: Ports,
  review: LocalReview,
  member: StaffMember,
  changes: (at: string) => LocalReviewChanges,
  audit: { action: string; reason: string; details?: Record<string, string | number | boolean | null> },
): Promise<LocalReview> {
  const at = service.clock.now().toISOString();
  return service.localReviews.updateLocalReview(review, changes(at), {
    actor: staffActor(member, 'partnership-team'),
    at,
    ...audit,
  });
}

/** Records (or changes) the terms of reference; the agencies must be among the review's. */
export async function recordTermsOfReference(
  service: Ports,
  input: { reviewId: string; answers: unknown; member: StaffMember },
): Promise<LocalReview> {
  const review = await loadLocalReview(service, input.reviewId);
  refuseOnceEnded(review, 'its terms of reference');
  const answers = parseInput(termsOfReferenceAnswers, input.answers, 'terms of reference');
  const known = new Set(review.agencies.map((agency) => agency.agencyId));
  const unknown = answers.agencyIds.findIndex((agencyId) => !known.has(agencyId));
  if (unknown >= 0) {
    throw new InvalidInputError('terms of reference', [
      { field: `agencyIds.${unknown}`, message: 'Choose agencies from the Rapid Review' },
    ]);
  }
  return change(
    service,
    review,
    input.member,
    (at) => ({ termsOfReference: { ...answers, ...recordedBy(input.member, at) } }),
    {
      action: 'local-review.terms-recorded',
      reason: `Terms of reference ${review.termsOfReference ? 'changed' : 'recorded'}: ${answers.agencyIds.length} ${answers.agencyIds.length === 1 ? 'agency' : 'agencies'} taking part`,
      details: { periodFrom: answers.periodFrom, periodTo: answers.periodTo },
    },
  );
}

/** Records the reviewer's appointment, with the evidence against each of the six points, and tells the Panel once. */
export async function appointReviewer(
  service: EmailPorts,
  input: { reviewId: string; answers: unknown; member: StaffMember },
): Promise<LocalReview> {
  const review = await loadLocalReview(service, input.reviewId);
  refuseOnceEnded(review, 'its reviewer');
  const answers = parseInput(reviewerAnswers, input.answers, 'reviewer');
  const updated = await change(
    service,
    review,
    input.member,
    (at) => ({ reviewer: { ...answers, ...recordedBy(input.member, at) } }),
    {
      action: 'local-review.reviewer-appointed',
      reason: `Reviewer ${review.reviewer ? 'changed' : 'appointed'}, with evidence against each of the six points; the Panel told`,
      details: { contractStartsOn: answers.contractStartsOn, contractEndsOn: answers.contractEndsOn },
    },
  );
  // Once for each reviewer: a different appointment is news to the Panel again.
  const who = createHash('sha256')
    .update(`${answers.name}\n${answers.email.toLowerCase()}`)
    .digest('hex')
    .slice(0, 16);
  await service.mailer.sendOnce(
    `${review.reviewId}:PanelToldOfReviewer:${who}`,
    reviewerAppointedEmail(
      localReviewEmailContext(service.profile, updated, service.publicBaseUrl),
      service.profile.panelMailbox,
    ),
  );
  return updated;
}

/** Records a process running beside the review (a police investigation, a criminal trial, an inquest…). */
export async function recordParallelProcess(
  service: Ports,
  input: { reviewId: string; answers: unknown; member: StaffMember },
): Promise<LocalReview> {
  const review = await loadLocalReview(service, input.reviewId);
  refuseOnceEnded(review, 'its parallel processes');
  const answers = parseInput(parallelProcessAnswers, input.answers, 'parallel process');
  const number = Math.max(0, ...review.parallelProcesses.map((process) => process.number)) + 1;
  return change(
    service,
    review,
    input.member,
    (at) => ({
      parallelProcesses: [
        ...review.parallelProcesses,
        { ...answers, number, ...recordedBy(input.member, at) },
      ],
    }),
    {
      action: 'local-review.parallel-process-recorded',
      reason: `${parallelProcessNames[answers.kind]} recorded${answers.holdsPublication ? ': it holds publication back while open' : ''}`,
      details: {
        number,
        kind: answers.kind,
        holdsPublication: answers.holdsPublication,
        startedOn: answers.startedOn,
      },
    },
  );
}

/** Records that a parallel process has ended (on or after it started, not in the future). */
export async function recordParallelProcessEnded(
  service: Ports,
  input: { reviewId: string; number: number; endedOn: unknown; member: StaffMember },
): Promise<LocalReview> {
  const review = await loadLocalReview(service, input.reviewId);
  refuseOnceEnded(review, 'its parallel processes');
  const process = review.parallelProcesses.find((candidate) => candidate.number === input.number);
  if (!process) throw new NotFoundError('There is no such parallel process on this local review');
  const endedOn = parseInput(isoDate, input.endedOn, 'end date');
  if (endedOn < process.startedOn || endedOn > today(service)) {
    throw new InvalidInputError('end date', [
      {
        field: 'endedOn',
        message: 'The end date must be on or after the process started, and not in the future',
      },
    ]);
  }
  return change(
    service,
    review,
    input.member,
    () => ({
      parallelProcesses: review.parallelProcesses.map((candidate) =>
        candidate.number === input.number ? { ...candidate, endedOn } : candidate,
      ),
    }),
    {
      action: 'local-review.parallel-process-ended',
      reason: `${parallelProcessNames[process.kind]} ended`,
      details: { number: input.number, endedOn },
    },
  );
}

/**
 * Ends the workflow's wait for `kind` once it is written: hands back the kept callback token.
 * A token the workflow no longer waits on (timed out, replaced) is left: the workflow's own
 * check after each wait finds the step done. Any other failure is an UnavailableError saying the
 * change is saved: asking again (the same answers) hands the token back again. The change itself
 * is never undone.
 */
async function resume(service: ResumePorts, reviewId: string, kind: LocalReviewTokenKind): Promise<void> {
  const token = await service.localReviews.getLocalReviewToken(reviewId, kind);
  if (!token) return;
  try {
    await service.localReviewWorkflow.completeTask(token.taskToken, {
      doneAt: service.clock.now().toISOString(),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') return;
    // The token is a credential for the execution: the error's name only, never its message.
    logWarning('Could not resume the local review workflow', { reviewId, error: name });
    throw new UnavailableError(
      'What you recorded is saved, but the review’s timetable could not be moved on just now. Record it again in a few minutes.',
      'Saved, but not finished',
    );
  }
}

/**
 * The final report is ready: when the partnership plans to publish it (today or later), and
 * whether in full. The first time, the review is complete and its workflow moves on to
 * publication; later, the planned date may change until publication.
 */
export async function planLocalReviewPublication(
  service: ResumePorts,
  input: { reviewId: string; answers: unknown; member: StaffMember },
): Promise<LocalReview> {
  const review = await loadLocalReview(service, input.reviewId);
  refuseOnceEnded(review, 'its planned publication');
  const answers = parseInput(publicationPlanAnswers, input.answers, 'planned publication');
  if (answers.plannedOn < today(service)) {
    throw new InvalidInputError('planned publication', [
      { field: 'plannedOn', message: 'The planned publication date must be today or in the future' },
    ]);
  }
  const plan = { ...answers, ...(answers.inFull ? { reasonsNotInFull: undefined } : {}) };
  const updated = await change(
    service,
    review,
    input.member,
    (at) => ({
      publicationPlan: { ...plan, ...recordedBy(input.member, at) },
      status: 'awaiting-publication',
    }),
    {
      action: review.publicationPlan ? 'local-review.publication-replanned' : 'local-review.completed',
      reason: review.publicationPlan
        ? 'The planned publication date changed'
        : `The final report is ready; publication planned${answers.inFull ? ' in full' : ', not in full, with the reasons'}`,
      details: { plannedOn: answers.plannedOn, inFull: answers.inFull },
    },
  );
  await resume(service, review.reviewId, 'completion');
  return updated;
}

/** Why the review is late, and when the partnership now expects to complete it: only once it is late, until it is complete. */
export async function recordLocalReviewLateReason(
  service: Ports,
  input: { reviewId: string; answers: unknown; member: StaffMember },
): Promise<LocalReview> {
  const review = await loadLocalReview(service, input.reviewId);
  if (!review.late) {
    throw new LocalReviewRefusedError(
      `Local review ${review.reference} is not late: its completion target, ${review.completionDueOn}, has not passed.`,
      'You cannot record why this review is late',
    );
  }
  if (review.publicationPlan) {
    throw new LocalReviewRefusedError(
      `Local review ${review.reference} is complete: why it was late can no longer be changed.`,
      'You cannot record why this review is late',
    );
  }
  const answers = parseInput(localReviewLateAnswers, input.answers, 'late reason');
  if (answers.expectedOn < today(service)) {
    throw new InvalidInputError('late reason', [
      {
        field: 'expectedOn',
        message: 'The date the partnership now expects to complete must be today or later',
      },
    ]);
  }
  const late = review.late;
  return change(
    service,
    review,
    input.member,
    (at) => ({
      late: { ...late, reason: answers.reason, expectedOn: answers.expectedOn, reasonRecordedAt: at },
    }),
    {
      action: 'local-review.late-reason-recorded',
      reason: 'Why the review is late recorded, with the date the partnership now expects to complete it',
      details: { expectedOn: answers.expectedOn },
    },
  );
}

/**
 * The review is published: the date (not in the future) and its public address. Refused while
 * a parallel process holds publication back, and before the final report's publication is
 * planned. The workflow moves on to watching the minimum period of publication.
 */
export async function recordLocalReviewPublication(
  service: ResumePorts,
  input: { reviewId: string; answers: unknown; member: StaffMember },
): Promise<LocalReview> {
  const review = await loadLocalReview(service, input.reviewId);
  if (review.status === 'published') {
    // Recorded before: the wait it ends may not have been handed back then.
    await resume(service, review.reviewId, 'publication');
    throw new LocalReviewRefusedError(`Local review ${review.reference} is already recorded as published.`);
  }
  refuseOnceEnded(review, 'its publication');
  if (!review.publicationPlan) {
    throw new LocalReviewRefusedError(
      `Local review ${review.reference} has no planned publication yet: record that the final report is ready, and when it is to be published, first.`,
    );
  }
  const holding = processesHoldingPublication(review);
  if (holding.length > 0) {
    throw new PublicationHeldError(
      `Local review ${review.reference} may not be published while ${holding.length === 1 ? 'a parallel process that holds publication back is' : `${holding.length} parallel processes that hold publication back are`} open. Record each one's end first.`,
    );
  }
  const answers = parseInput(publicationAnswers, input.answers, 'publication');
  if (answers.publishedOn > today(service)) {
    throw new InvalidInputError('publication', [
      { field: 'publishedOn', message: 'The date it was published must be today or in the past' },
    ]);
  }
  const updated = await change(
    service,
    review,
    input.member,
    (at) => ({ publication: { ...answers, ...recordedBy(input.member, at) }, status: 'published' }),
    {
      action: 'local-review.published',
      reason: 'The review was published, the reviewer named',
      details: { publishedOn: answers.publishedOn },
    },
  );
  await resume(service, review.reviewId, 'publication');
  return updated;
}
