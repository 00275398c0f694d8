import { ConflictError, NotFoundError, StaleWriteError, UnavailableError } from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import { type CaseRecord, rapidReviewDecision } from '../schemas/case.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import { type Actor, type StaffMember, staffActor } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { emailContext, signOffRequestEmail } from '../workflow/emails.ts';
import { resumeNowOrLater } from '../workflow/owed-resume.ts';
import { caseUrl } from '../workflow/steps.ts';

/** What recording a decision touches. */
export type RecordDecisionPorts = Pick<
  Service,
  'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl' | 'workflow'
>;

/** The chair's decision on a case, as given. */
export interface DecisionSubmission {
  caseId: string;
  /** Both answers with their reasons: validated here, every bad field named. */
  decision: unknown;
  /** The chair recording it. */
  chair: StaffMember;
}

/** A decision as saved on the case. */
export type RecordedDecision = NonNullable<CaseRecord['decision']>;

/** Another writer (the workflow) may change the case between our read and our write; re-read this many times. */
const SAVE_ATTEMPTS = 4;

const notFound = () => new NotFoundError('There is no case with this id');

/** Refuses a decision the case cannot take now; answers undefined when it can. */
export function decisionRefusal(record: CaseRecord | undefined): NotFoundError | ConflictError | undefined {
  if (!record) return notFound();
  if (record.decision) {
    return new ConflictError(
      `The decision on case ${record.reference} was already recorded`,
      'Already decided',
    );
  }
  if (record.status !== 'awaiting-decision') {
    return new ConflictError(
      `Case ${record.reference} is not waiting for a decision: its status is ${record.status}`,
      'Not awaiting a decision',
    );
  }
  return undefined;
}

/** Saves the decision on the case with its audit event; a concurrent change is re-read and re-checked. */
async function saveDecision(
  service: RecordDecisionPorts,
  caseId: string,
  decision: RecordedDecision,
  actor: Actor,
) {
  for (let attempt = 1; ; attempt += 1) {
    const record = await service.cases.getCase(caseId);
    const refused = decisionRefusal(record);
    if (refused) throw refused;
    try {
      return await service.cases.updateCase(
        record!,
        // The workflow is owed a resume: written with the decision, settled after it (owed-resume.ts).
        { decision, status: 'decided', resumeOwed: decision.decidedAt },
        {
          actor,
          at: decision.decidedAt,
          action: 'decision.recorded',
          reason: 'RRG chair recorded the decision',
          details: {
            commissionLocalReview: decision.commissionLocalReview,
            recommendNationalReview: decision.recommendNationalReview,
          },
        },
      );
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Asks each safeguarding partner (its lead and delegates) to sign the decision off, once.
 */
async function askPartnersToSignOff(service: RecordDecisionPorts, record: CaseRecord) {
  const people = Object.values(service.profile.safeguardingPartners).flatMap(({ lead, delegates }) => [
    lead.email,
    ...delegates.map((delegate) => delegate.email),
  ]);
  const to = [...new Map(people.map((address) => [address.toLowerCase(), address])).values()];
  await service.mailer.sendOnce(
    `${record.caseId}:SignOffRequest`,
    signOffRequestEmail(
      emailContext(service.profile, record),
      to,
      caseUrl(service.publicBaseUrl, record.caseId),
    ),
  );
}

/**
 * After the decision is saved: the workflow is resumed if the submission is now ready (it waits
 * for the sign-offs and the report too), now or, when Step Functions cannot be reached, by the
 * resume sweep; then the partners are asked to sign off.
 */
async function afterDecision(service: RecordDecisionPorts, record: CaseRecord) {
  await resumeNowOrLater(service, record.caseId);
  try {
    await askPartnersToSignOff(service, record);
  } catch (error) {
    logError('Decision saved; the partners were not asked to sign it off', {
      caseId: record.caseId,
      error: (error as Error).name,
    });
    throw new UnavailableError(
      `The decision on case ${record.reference} is saved. The safeguarding partners could not be asked to sign it off just now: ` +
        'ask the partnership team to tell them. Do not record the decision again.',
      'Decision saved; partners not asked yet',
    );
  }
}

/**
 * The RRG chair records whether a local review is commissioned and whether a national review is
 * recommended, each with its reason; then the workflow is resumed, now or by the resume sweep.
 *
 * @throws NotFoundError (no such case), InvalidInputError (every bad field named), ConflictError
 * (not awaiting a decision, or already decided), UnavailableError (saved; the partners not asked yet).
 * A workflow that cannot be told just now is told by the resume sweep: the decision is saved
 * with a `resumeOwed` marker.
 */
export async function recordDecision(
  service: RecordDecisionPorts,
  submission: DecisionSubmission,
): Promise<RecordedDecision> {
  const parsedId = caseIdSchema.safeParse(submission.caseId);
  if (!parsedId.success) throw notFound();
  const answers = parseInput(rapidReviewDecision, submission.decision, 'decision');
  const decision: RecordedDecision = {
    ...answers,
    decidedAt: service.clock.now().toISOString(),
    decidedBy: submission.chair.id,
    ...(submission.chair.name ? { decidedByName: submission.chair.name } : {}),
  };
  const actor: Actor = staffActor(submission.chair, 'rrg-chair');
  const record = await saveDecision(service, parsedId.data, decision, actor);
  await afterDecision(service, record);
  logInfo('Decision recorded', { caseId: record.caseId });
  return decision;
}
