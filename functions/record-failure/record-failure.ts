import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import type { z } from 'zod';
import { sfnClient } from '../../shared/adapters/aws-clients.ts';
import type { Service } from '../../shared/service.ts';
import type { recordFailurePayload } from '../../shared/workflow/contracts.ts';
import { emailContext, workflowFailureEmail } from '../../shared/workflow/emails.ts';
import { caseUrl, loadCase, workflowActor, writeOnce } from '../../shared/workflow/steps.ts';

/** What the case says when the history cannot tell which step failed. */
export const UNKNOWN_STEP = 'unknown step';
const THIS_STATE = 'RecordFailure';
/** Pages of history to read back from the end; the failed step is almost always on the first. */
const MAX_HISTORY_PAGES = 10;

/**
 * The state the execution was in when it failed: the last state entered before RecordFailure,
 * read from the newest event backwards, without execution data (it may hold personal data).
 * Answers UNKNOWN_STEP when the history cannot be read or names no such state.
 */
export async function failedStep(sfn: SFNClient, executionArn: string): Promise<string> {
  try {
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const history = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: true,
          includeExecutionData: false,
          maxResults: 100,
          nextToken,
        }),
      );
      const entered = (history.events ?? []).find(
        (event: HistoryEvent) =>
          event.type?.endsWith('StateEntered') && event.stateEnteredEventDetails?.name !== THIS_STATE,
      );
      const name = entered?.stateEnteredEventDetails?.name;
      if (name) return name;
      nextToken = history.nextToken;
      if (!nextToken) break;
    }
  } catch {
    // The history is a diagnostic aid: failing to read it must not stop the failure being recorded.
  }
  return UNKNOWN_STEP;
}

export interface RecordFailureResult {
  step: string;
}

/**
 * The workflow's last step on an unrecovered error: records the failed step and the error's
 * name on the case, marks it failed (with an audit event), and tells the partnership team once.
 * The error's cause is never stored or emailed: it may quote personal data.
 */
export async function recordFailure(
  service: Service,
  payload: z.infer<typeof recordFailurePayload>,
  sfn: SFNClient = sfnClient(),
): Promise<RecordFailureResult> {
  const record = await loadCase(service.cases, payload.caseId);
  const eventId = `${record.caseId}:RecordFailure`;
  const failure =
    record.status === 'failed' && record.failure
      ? record.failure
      : {
          step: await failedStep(sfn, payload.executionArn),
          error: payload.error.slice(0, 200),
          at: service.clock.now().toISOString(),
        };

  if (record.status !== 'failed') {
    await writeOnce(() =>
      service.cases.updateCase(
        record,
        { status: 'failed', failure, currentStep: THIS_STATE },
        {
          actor: workflowActor,
          at: failure.at,
          action: 'workflow.failed',
          reason: `The workflow stopped at ${failure.step} with ${failure.error}`,
          details: { step: failure.step, error: failure.error, previousStatus: record.status },
          eventId,
        },
      ),
    );
  }
  await service.mailer().sendOnce(
    eventId,
    workflowFailureEmail(emailContext(service.profile(), record), {
      ...failure,
      caseUrl: caseUrl(service.publicBaseUrl(), record.caseId),
    }),
  );
  return { step: failure.step };
}
