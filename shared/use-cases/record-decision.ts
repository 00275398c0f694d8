import { ConflictError, NotFoundError, StaleWriteError, UnavailableError } from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import { type CaseRecord, rapidReviewDecision } from '../schemas/case.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import type { Actor, StaffMember } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { decisionRecordedOutput } from '../workflow/contracts.ts';

/** What recording a decision touches. */
export type RecordDecisionPorts = Pick<Service, 'cases' | 'clock' | 'workflow'>;

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
        { decision, status: 'decided' },
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
 * Completes the workflow's AwaitDecision callback. Without a stored token the workflow has not
 * started waiting yet; when it does, it finds the decision already saved.
 */
async function resumeWorkflow(service: RecordDecisionPorts, record: CaseRecord, decidedAt: string) {
  const token = await service.cases.getDecisionToken(record.caseId);
  if (!token) {
    logInfo('Decision saved before the workflow waited for it', { caseId: record.caseId });
    return;
  }
  const output = decisionRecordedOutput.parse({ decidedAt });
  try {
    await service.workflow.completeTask(token.taskToken, output);
  } catch (error) {
    // The token is a credential for the execution: the error's name only, never its message.
    logError('Could not resume the workflow', { caseId: record.caseId, error: (error as Error).name });
    throw new UnavailableError(
      `The decision on case ${record.reference} is saved. The workflow could not be told just now; ` +
        'it will pick the saved decision up when it next checks. Do not record the decision again.',
      'Decision saved; workflow not yet resumed',
    );
  }
}

/**
 * The RRG chair records whether a local review is commissioned and whether a national review is
 * recommended, each with its reason; then the workflow is resumed.
 *
 * @throws NotFoundError (no such case), InvalidInputError (every bad field named), ConflictError
 * (not awaiting a decision, or already decided), UnavailableError (saved; workflow not told yet).
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
  const actor: Actor = { kind: 'staff', id: submission.chair.id, role: 'rrg-chair' };
  const record = await saveDecision(service, parsedId.data, decision, actor);
  await resumeWorkflow(service, record, decision.decidedAt);
  logInfo('Decision recorded', { caseId: record.caseId });
  return decision;
}
