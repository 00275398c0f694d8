import { ConflictError, NotFoundError, StaleWriteError } from '../errors.ts';
import { logInfo } from '../log.ts';
import type { CaseRecord } from '../schemas/case.ts';
import { caseId as caseIdSchema, text } from '../schemas/primitives.ts';
import type { Actor } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { executionNameOf } from '../workflow/execution-name.ts';
import { stepInWords } from '../workflow/wording.ts';

/** What resuming a failed case touches: the case (and its audit trail), the clock, and the workflow. */
export type ResumeCasePorts = Pick<Service, 'cases' | 'clock' | 'workflow'>;

/**
 * Where a resumed review enters the workflow, by the state it failed at: the step itself, or the
 * wait before it (a wait whose time has passed ends at once, one still to come is kept). Every
 * target is a branch of the ASL's `ResumeAtFailedStep` choice (test/statemachines/recovery.test.ts
 * checks it); a step not listed here resumes from the start, which is safe because every step is
 * idempotent.
 */
export const RESUME_POINTS: Readonly<Record<string, string>> = {
  WaitForFirstRung: 'WaitForFirstRung',
  ClimbLadder: 'WaitForFirstRung',
  MoreRungs: 'WaitForFirstRung',
  WaitForNextRung: 'WaitForFirstRung',
  WaitForCollationDay: 'WaitForCollationDay',
  CollateReport: 'WaitForCollationDay',
  WaitForPapersDay: 'WaitForPapersDay',
  DistributePapers: 'WaitForPapersDay',
  ScheduleDecisionDeadline: 'ScheduleDecisionDeadline',
  AwaitDecision: 'ScheduleDecisionDeadline',
  EscalateMissingDecision: 'ScheduleDecisionDeadline',
  ReadyAfterEscalation: 'ScheduleDecisionDeadline',
  ExtendDecisionDeadline: 'ScheduleDecisionDeadline',
  SubmitToPanel: 'SubmitToPanel',
  NotifyOutcome: 'NotifyOutcome',
};

/** Where a review that failed at `step` resumes: a state of the workflow, `PlanTimetable` for the start. */
export function resumePointFor(step: string): string {
  return RESUME_POINTS[step] ?? 'PlanTimetable';
}

const resumeInput = z.object({ reason: text(2000, { multiline: true }) });

const notFound = () => new NotFoundError('There is no case with this id');

/** Another writer may change the case between our read and our write; re-read this many times. */
const SAVE_ATTEMPTS = 4;

/**
 * An operator resumes a review that failed, once its cause is fixed: the case's fault flag is
 * cleared, `case.resumed` is audited with the operator's reason, and a fresh execution of the
 * workflow (named `<caseId>-resume-<n>`) goes straight to the step that failed, skipping the
 * steps already done; none of them sends an email twice (each sends once by its key).
 *
 * The execution is started before the case is written, so a retry after a failed write starts
 * the same execution (same name, same input: Step Functions answers as it did the first time)
 * rather than a second one.
 *
 * @returns the step it resumed from, in plain words ("collating the agencies' summaries").
 * @throws NotFoundError (no such case), InvalidInputError (no reason given, named `reason`),
 * ConflictError (the case has not failed, or was resumed meanwhile).
 */
export async function resumeFailedCase(
  service: ResumeCasePorts,
  input: { caseId: string; actor: Actor; reason: string },
): Promise<{ resumedFrom: string }> {
  const parsedId = caseIdSchema.safeParse(input.caseId);
  if (!parsedId.success) throw notFound();
  const { reason } = parseInput(resumeInput, { reason: input.reason }, 'resume');
  for (let attempt = 1; ; attempt += 1) {
    const record = await service.cases.getCase(parsedId.data);
    if (!record) throw notFound();
    const failure = record.failure;
    if (!failure) {
      throw new ConflictError(
        `Case ${record.reference} has not failed: there is nothing to resume`,
        'Not failed',
      );
    }
    const resumes = (record.resumes ?? 0) + 1;
    const executionName = executionNameOf({ caseId: record.caseId, resumes });
    const resumeFrom = resumePointFor(failure.step);
    await service.workflow.resume(record.caseId, executionName, resumeFrom);
    try {
      await service.cases.updateCase(
        record,
        { failure: undefined, resumes, ...statusBeforeFailure(record) },
        {
          actor: input.actor,
          at: service.clock.now().toISOString(),
          action: 'case.resumed',
          reason,
          details: { step: failure.step, error: failure.error, resumeFrom, execution: executionName },
          eventId: `${record.caseId}:resume:${resumes}`,
        },
      );
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= SAVE_ATTEMPTS) throw error;
      continue;
    }
    logInfo('Failed case resumed', { caseId: record.caseId, step: failure.step, resumeFrom });
    return { resumedFrom: stepInWords(failure.step) };
  }
}

/**
 * A case failed before failure became a fault flag has the status `failed`: resuming it puts it
 * back where the workflow stopped (awaiting summaries until the papers go, then awaiting a
 * decision, or decided), which the steps it resumes at move on from.
 */
function statusBeforeFailure(record: CaseRecord): Partial<Pick<CaseRecord, 'status'>> {
  if (record.status !== 'failed') return {};
  if (record.decision) return { status: 'decided' };
  const step = record.failure?.step ?? '';
  const beforePapers = [
    'PlanTimetable',
    'RequestAgencySummaries',
    'WaitForFirstRung',
    'ClimbLadder',
    'MoreRungs',
    'WaitForNextRung',
    'WaitForCollationDay',
    'CollateReport',
  ];
  return { status: beforePapers.includes(step) ? 'awaiting-summaries' : 'awaiting-decision' };
}
