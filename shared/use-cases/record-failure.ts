import { logInfo } from '../log.ts';
import type { CaseRecord } from '../schemas/case.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { RecordFailureResult, recordFailurePayload } from '../workflow/contracts.ts';
import { emailContext, workflowFailureEmail } from '../workflow/emails.ts';
import { caseIdOfExecution, executionNameOf } from '../workflow/execution-name.ts';
import { caseUrl, workflowActor, writeOnce } from '../workflow/steps.ts';
import { stepInWords } from '../workflow/wording.ts';

/** What the case says when the history cannot tell which step failed. */
export const UNKNOWN_STEP = 'unknown step';
/** The failure path's own states: never the step that failed. */
const FAILURE_PATH = ['RecordFailure', 'ReviewFailed'];

/** What recording a failure touches. */
export type RecordFailurePorts = Pick<
  Service,
  'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl' | 'workflow'
>;

/**
 * The key of one failure of a case's review, for its audit event and its email: the first
 * execution's as it always was, each resumed execution's its own, so a failure after a resume is
 * recorded and told again while a repeat of one failure is not.
 */
function failureKey(record: CaseRecord): string {
  return record.resumes
    ? `${record.caseId}:RecordFailure:${record.resumes}`
    : `${record.caseId}:RecordFailure`;
}

/**
 * The workflow's last step on an unrecovered error: raises the case's fault flag (`failure`: the
 * failed step and the error's name; the case keeps its status) with an audit event, and tells the
 * partnership team once. The error's cause is never stored or emailed: it may quote personal
 * data. An operator resumes the case once the cause is fixed (shared/use-cases/resume-case.ts).
 */
export async function recordFailure(
  service: RecordFailurePorts,
  payload: z.infer<typeof recordFailurePayload>,
): Promise<RecordFailureResult> {
  const record = await service.cases.getCase(payload.caseId);
  if (!record) {
    // Nothing to flag: the failure stays in the execution history for the operators.
    logInfo('A failed review has no case', { caseId: payload.caseId });
    return { step: UNKNOWN_STEP };
  }
  const key = failureKey(record);
  const failure = record.failure ?? {
    step: (await service.workflow.failedStep(payload.executionArn, FAILURE_PATH)) ?? UNKNOWN_STEP,
    error: payload.error.slice(0, 200),
    at: service.clock.now().toISOString(),
  };

  if (!record.failure) {
    await writeOnce(() =>
      service.cases.updateCase(
        record,
        { failure },
        {
          actor: workflowActor,
          at: failure.at,
          action: 'workflow.failed',
          // In words for the case page's audit trail; the step and error stay in details, for the operations page.
          reason: `The service stopped working on the review while ${stepInWords(failure.step)}; it carries on from there once it is resumed`,
          details: { step: failure.step, error: failure.error, status: record.status },
          eventId: key,
        },
      ),
    );
  }
  await service.mailer.sendOnce(
    key,
    workflowFailureEmail(emailContext(service.profile, record), {
      ...failure,
      caseUrl: caseUrl(service.publicBaseUrl, record.caseId),
    }),
  );
  return { step: failure.step };
}

/** The statuses of an execution that ended without reaching the end of the review. */
export const faultStatuses = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** An EventBridge "Step Functions Execution Status Change" event, as the rule on the state machine sends it. */
export const executionStatusChange = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    status: z.enum(faultStatuses),
    error: z.optional(z.nullable(z.string())),
  }),
});

/**
 * An execution of the review ended FAILED, TIMED_OUT or ABORTED, as Step Functions reports it to
 * EventBridge: this reaches even the runtime errors no Catch sees (a bad path, a bad result
 * selector) and a failure whose own recording failed. It records the fault on the case as
 * RecordFailure does, with the same keys, so a failure RecordFailure already recorded is not
 * recorded or emailed again. An event about an execution that no longer runs the case's review
 * (one resumed since) changes nothing.
 */
export async function recordExecutionFault(
  service: RecordFailurePorts,
  event: z.infer<typeof executionStatusChange>,
): Promise<{ outcome: 'recorded' | 'not-current' | 'no-case'; step?: string }> {
  const { executionArn, name, status, error } = event.detail;
  const caseId = caseIdOfExecution(name);
  const record = await service.cases.getCase(caseId);
  if (!record) return { outcome: 'no-case' };
  if (executionNameOf(record) !== name) return { outcome: 'not-current' };
  const result = await recordFailure(service, {
    caseId,
    executionArn,
    error:
      error ||
      (status === 'FAILED' ? 'States.Runtime' : `Execution${status === 'ABORTED' ? 'Aborted' : 'TimedOut'}`),
    cause: '',
  });
  return { outcome: 'recorded', step: result.step };
}
