import { CaseNotFoundError, DomainError, DuplicateWriteError } from '../errors.ts';
import { type CaseRecord, type CaseStatus, caseStatus } from '../schemas/case.ts';
import { systemActor } from '../schemas/roles.ts';
import type { AuditInput, CaseChanges, CaseStore } from '../stores/case-store.ts';

/** Who the workflow's changes are recorded as in the audit trail. */
export const workflowActor = systemActor('rapid-review-workflow');

/** The case is not in the state a step needs: the workflow ran out of order. Not retried. */
export class CaseNotReadyError extends DomainError {
  override readonly name = 'CaseNotReady';
  override readonly kind = 'conflict';
}

/** SubmitToPanel was reached without a recorded decision. Not retried. */
export class DecisionMissingError extends DomainError {
  override readonly name = 'DecisionMissing';
  override readonly kind = 'conflict';
}

/**
 * The partnership team closed the case as notification only: every step after that stops the
 * workflow cleanly (the ASL catches this by name and succeeds). Not retried.
 */
export class CaseClosedError extends DomainError {
  override readonly name = 'CaseClosed';
  override readonly kind = 'conflict';
}

/**
 * The partnership team withdrew the case (issue 10 part 3): every step after that stops the
 * workflow cleanly (the ASL catches this by name and succeeds at `Withdrawn`). Not retried.
 */
export class CaseWithdrawnError extends DomainError {
  override readonly name = 'CaseWithdrawn';
  override readonly kind = 'conflict';
}

/**
 * Throws CaseClosedError when the case was closed as notification only, CaseWithdrawnError when
 * the partnership team withdrew it.
 */
export function stopIfClosed(record: CaseRecord): CaseRecord {
  if (record.status === 'closed') {
    throw new CaseClosedError(`Case ${record.caseId} was closed as notification only`);
  }
  if (record.status === 'withdrawn') {
    throw new CaseWithdrawnError(`Case ${record.caseId} was withdrawn`);
  }
  return record;
}

/**
 * Statuses a case never leaves: failed (only cases failed before failure became a fault flag,
 * `CaseRecord.failure`, which keeps the status), closed as notification only, withdrawn.
 */
export const terminalStatuses: readonly CaseStatus[] = ['failed', 'closed', 'withdrawn'];

/**
 * The statuses a Rapid Review moves through, in the order the schema declares them; `failed`,
 * `closed` (notification only) and `withdrawn` are terminal and outside the order.
 */
const PROGRESS: readonly CaseStatus[] = caseStatus.options.filter(
  (status) => !terminalStatuses.includes(status),
);

/**
 * Whether a case at `status` has already reached `target` (or moved past it). A failed case has
 * nowhere further to go, so it counts as past every step: a step re-run on it changes nothing.
 */
export function hasReached(status: CaseStatus, target: CaseStatus): boolean {
  if (terminalStatuses.includes(status)) return true;
  return PROGRESS.indexOf(status) >= PROGRESS.indexOf(target);
}

/**
 * The case, or CaseNotFoundError; CaseClosedError when it was closed as notification only,
 * CaseWithdrawnError when it was withdrawn (unless `evenIfClosed`, for the failure handler).
 */
export async function loadCase(
  cases: CaseStore,
  caseId: string,
  options: { evenIfClosed?: boolean } = {},
): Promise<CaseRecord> {
  const record = await cases.getCase(caseId);
  if (!record) throw new CaseNotFoundError(caseId);
  return options.evenIfClosed ? record : stopIfClosed(record);
}

/**
 * Runs a write whose audit event id is derived from the step. A DuplicateWriteError means this
 * very change was written by an earlier attempt: the step is already done, not failed.
 */
export async function writeOnce<T>(write: () => Promise<T>): Promise<T | 'already-written'> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DuplicateWriteError) return 'already-written';
    throw error;
  }
}

/**
 * Moves the case to `status` with the audit event, unless it is already there or further on
 * (a retry, or a step that lost a race with a person).
 */
export async function advanceCase(
  cases: CaseStore,
  current: CaseRecord,
  changes: CaseChanges & { status: CaseStatus },
  audit: AuditInput & { eventId: string },
): Promise<'moved' | 'already-there'> {
  if (hasReached(current.status, changes.status)) return 'already-there';
  const outcome = await writeOnce(() => cases.updateCase(current, changes, audit));
  return outcome === 'already-written' ? 'already-there' : 'moved';
}

/** The object key of a case document in the document bucket. */
export const caseDocumentKeys = {
  collatedReport: (caseId: string) => `cases/${caseId}/collated-report.pdf`,
  coveringLetter: (caseId: string) => `cases/${caseId}/covering-letter.pdf`,
  decision: (caseId: string) => `cases/${caseId}/decision.pdf`,
  // The Rapid Review Group meeting (issue 9 part 4): what the partnership team uploads, by kind (pdf, docx).
  meetingMinutes: (caseId: string, kind: string) => `cases/${caseId}/meeting/minutes.${kind}`,
  panelLetter: (caseId: string, kind: string) => `cases/${caseId}/panel-reply/letter.${kind}`,
  // The local authority's notification to the Panel, as the notifier uploaded it (issue 10 part 5).
  panelNotification: (caseId: string) => `cases/${caseId}/panel-notification.pdf`,
};

/** Where staff open the case in the service. */
export function caseUrl(publicBaseUrl: string, caseId: string): string {
  return `${publicBaseUrl}/cases/${caseId}`;
}
