import { DomainError } from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import type { CaseRecord } from '../schemas/case.ts';
import type { StoredReport } from '../schemas/report.ts';
import { type SafeguardingPartner, safeguardingPartner } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import { submissionReadyOutput } from './contracts.ts';

/** Where the partners' decision stands: complete when all three agree, or when the Board chair resolves a disagreement. */
export interface PartnersDecision {
  complete: boolean;
  /** How it became complete. */
  completedBy?: 'all-partners-agreed' | 'executive-board';
  /** Partners who have not signed off yet, in the usual order. */
  awaiting: SafeguardingPartner[];
  /** Some partner disagrees and the Board chair has not resolved it yet. */
  awaitingResolution: boolean;
}

/** The partners' decision on a case, from its sign-offs and any resolution. */
export function partnersDecision(
  record: Pick<CaseRecord, 'signOffs' | 'signOffResolution'>,
): PartnersDecision {
  const signOffs = record.signOffs ?? [];
  const awaiting = safeguardingPartner.options.filter(
    (partner) => !signOffs.some((signOff) => signOff.partner === partner),
  );
  const disagreement = signOffs.some((signOff) => !signOff.agrees);
  if (record.signOffResolution) {
    return { complete: true, completedBy: 'executive-board', awaiting, awaitingResolution: false };
  }
  if (awaiting.length === 0 && !disagreement) {
    return { complete: true, completedBy: 'all-partners-agreed', awaiting, awaitingResolution: false };
  }
  return { complete: false, awaiting, awaitingResolution: disagreement };
}

/**
 * What the submission to the Panel still waits for. It goes as soon as the chair's decision is
 * recorded, the safeguarding partners have signed it off (all three agreeing, or the Executive
 * Board chair resolving a disagreement) and the rapid review report is complete, in whatever
 * order those happen (issue 9 part 5).
 */
export type Awaited = 'decision' | 'sign-offs' | 'resolution' | 'report';

export interface SubmissionReadiness {
  ready: boolean;
  /** What is still missing, in the order people usually supply it. */
  waitingFor: Awaited[];
}

/** Whether the case can go to the Panel, and what it still waits for. */
export function submissionReadiness(
  record: Pick<CaseRecord, 'decision' | 'signOffs' | 'signOffResolution'>,
  report: Pick<StoredReport, 'completion'>,
): SubmissionReadiness {
  const waitingFor: Awaited[] = [];
  if (!record.decision) waitingFor.push('decision');
  else {
    const partners = partnersDecision(record);
    if (partners.awaitingResolution) waitingFor.push('resolution');
    else if (!partners.complete) waitingFor.push('sign-offs');
  }
  if (!report.completion) waitingFor.push('report');
  return { ready: waitingFor.length === 0, waitingFor };
}

/** What the submission still waits for, in words for an email or a page. */
export const awaitedInWords: Record<Awaited, string> = {
  decision: "the Rapid Review Group chair's decision",
  'sign-offs': "the safeguarding partners' sign-off of the decision",
  resolution: "the Executive Board chair's resolution of a partner's disagreement",
  report: 'the completed rapid review report',
};

/** The submission was reached before it was ready: a defect in the workflow's order. Not retried. */
export class SubmissionNotReadyError extends DomainError {
  override readonly name = 'SubmissionNotReady';
  override readonly kind = 'conflict';
}

/** The case's readiness, read fresh from the store. */
export async function readinessOf(
  service: Pick<Service, 'cases'>,
  record: CaseRecord,
): Promise<SubmissionReadiness> {
  return submissionReadiness(record, await service.cases.getReport(record.caseId));
}

/** Callback errors that mean the workflow is not waiting on this token now: it finds the case ready itself when it next waits or times out. */
const notWaiting = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

/**
 * After a person's change (the decision, a sign-off, a resolution, the report's completion):
 * when the submission is now ready and the workflow is waiting for it, ends the wait so that
 * the submission goes. Answers whether it ended the wait.
 *
 * When the workflow is not waiting yet, it finds the case ready when it starts waiting; when its
 * wait has just timed out, the escalation finds it ready and submits. Any other failure to reach
 * Step Functions is thrown for the caller to report (the person's change is saved either way).
 */
export async function resumeWhenReady(
  service: Pick<Service, 'cases' | 'clock' | 'workflow'>,
  /** The case as the change just saved it (its decision and sign-offs); the report is read fresh. */
  record: CaseRecord,
): Promise<'resumed' | 'not-ready' | 'not-waiting'> {
  const caseId = record.caseId;
  const readiness = await readinessOf(service, record);
  if (!readiness.ready) return 'not-ready';
  const token = await service.cases.getDecisionToken(caseId);
  if (!token) {
    logInfo('Submission ready before the workflow waited for it', { caseId });
    return 'not-waiting';
  }
  try {
    await service.workflow.completeTask(
      token.taskToken,
      submissionReadyOutput.parse({ readyAt: service.clock.now().toISOString() }),
    );
    return 'resumed';
  } catch (error) {
    const name = (error as Error).name;
    if (notWaiting.has(name)) return 'not-waiting';
    // The token is a credential for the execution: the error's name only, never its message.
    logError('Could not resume the workflow', { caseId, error: name });
    throw error;
  }
}

/**
 * After the case was closed or withdrawn: a waiting decision callback is failed with `error`
 * (`CaseClosed`, `CaseWithdrawn`), which the ASL catches to stop cleanly. When the workflow is not
 * waiting, its next step finds the case ended and stops there. Any other failure is thrown.
 */
export async function endWorkflowWait(
  service: Pick<Service, 'cases' | 'workflow'>,
  caseId: string,
  error: 'CaseClosed' | 'CaseWithdrawn',
  cause: string,
): Promise<void> {
  const token = await service.cases.getDecisionToken(caseId);
  if (!token) return;
  try {
    await service.workflow.failTask(token.taskToken, error, cause);
  } catch (failure) {
    if (!notWaiting.has((failure as Error).name)) throw failure;
  }
}
