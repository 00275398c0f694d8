import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { executionStatusChange, recordExecutionFault } from '../../shared/use-cases/record-failure.ts';

const service = environmentService({
  cases: caseStoreFromEnvironment,
  mailer: mailerFromEnvironment,
  workflow: reviewWorkflowFromEnvironment,
});

/** The event was not an execution status change of the rule's: a wiring defect, not worth retrying. */
export class InvalidExecutionStatusEventError extends Error {
  override readonly name = 'InvalidExecutionStatusEvent';
}

/**
 * From the EventBridge rule on the rapid-review state machine's execution status changes
 * (FAILED, TIMED_OUT, ABORTED), and locally from the local Step Functions service: records the
 * fault on the case. A failure is thrown, so EventBridge's retries try again.
 */
export async function handler(event: unknown): Promise<{ outcome: string }> {
  const parsed = executionStatusChange.safeParse(event);
  if (!parsed.success) {
    throw new InvalidExecutionStatusEventError(
      'Not a Step Functions execution status change of a failed execution',
    );
  }
  const { outcome } = await recordExecutionFault(service, parsed.data);
  return { outcome };
}
