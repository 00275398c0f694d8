import { stepInWords } from '../shared/workflow/wording.ts';

/** The workflow steps a rehearsal can make fail: each state's function, and what it does in words. */
export const rehearsableSteps = [
  { functionName: 'plan-timetable', state: 'PlanTimetable' },
  { functionName: 'request-agency-summaries', state: 'RequestAgencySummaries' },
  { functionName: 'climb-ladder', state: 'ClimbLadder' },
  { functionName: 'collate-report', state: 'CollateReport' },
  { functionName: 'distribute-papers', state: 'DistributePapers' },
  { functionName: 'schedule-decision-deadline', state: 'ScheduleDecisionDeadline' },
  { functionName: 'await-decision', state: 'AwaitDecision' },
  { functionName: 'escalate-missing-decision', state: 'EscalateMissingDecision' },
  { functionName: 'submit-to-panel', state: 'SubmitToPanel' },
  { functionName: 'notify-outcome', state: 'NotifyOutcome' },
].map((step) => ({ ...step, words: stepInWords(step.state) }));

/**
 * The error a rehearsed failure throws: a name no Retry lists, so the workflow's Catch sends it
 * straight to RecordFailure, as any domain error would.
 */
export class RehearsedFailureError extends Error {
  override readonly name = 'RehearsedFailure';
}

/** One failure planned for a rehearsal: the next run of this step for this case fails. */
export interface PlannedFailure {
  caseId: string;
  functionName: string;
}

/**
 * Failures planned on the local controls page, so a rehearsal can see a review fail, be
 * resumed and complete. Each is one-shot: the next run of that step's function for that case
 * fails, and the one after works. Local only: on AWS nothing injects failures.
 */
export class FaultRehearsal {
  readonly #planned: PlannedFailure[] = [];

  /** Plans the next run of `functionName` for `caseId` to fail; a step not in the list is refused. */
  plan(caseId: string, functionName: string): void {
    if (!rehearsableSteps.some((step) => step.functionName === functionName)) {
      throw new RangeError(`${functionName} is not a workflow step a rehearsal can make fail`);
    }
    if (!this.#planned.some((p) => p.caseId === caseId && p.functionName === functionName)) {
      this.#planned.push({ caseId, functionName });
    }
  }

  planned(): readonly PlannedFailure[] {
    return [...this.#planned];
  }

  /** Throws the rehearsed failure, once, when `functionName` runs for a case a failure is planned for. */
  failIfPlanned(functionName: string, payload: unknown): void {
    const caseId = (payload as { caseId?: unknown } | null)?.caseId;
    const index = this.#planned.findIndex((p) => p.caseId === caseId && p.functionName === functionName);
    if (index < 0) return;
    this.#planned.splice(index, 1);
    throw new RehearsedFailureError(`A failure of ${functionName} rehearsed on the local controls page`);
  }
}
