import { logInfo, logWarning } from '../log.ts';
import { type OwedResumePorts, settleOwedResume } from '../workflow/owed-resume.ts';

/** What one sweep did: the cases it resumed, found with nothing to resume, and could not reach. */
export interface ResumeSweepResult {
  owed: number;
  resumed: number;
  failed: number;
}

/**
 * Every case owing its workflow a resume (a decision, sign-off, resolution or report completion
 * saved while Step Functions could not be told) is resumed now: its wait ended when the
 * submission is ready, its marker cleared. Run every minute on a schedule (and every few seconds
 * by the local stack), so a failed callback delays a review by a minute, never until its
 * deadline. One case that still cannot be reached does not stop the others; it is tried again
 * next time.
 */
export async function resumeOwedWorkflows(service: OwedResumePorts): Promise<ResumeSweepResult> {
  const owing = (await service.cases.listCases()).filter((record) => record.resumeOwed);
  const result: ResumeSweepResult = { owed: owing.length, resumed: 0, failed: 0 };
  for (const record of owing) {
    try {
      if ((await settleOwedResume(service, record.caseId)) === 'resumed') result.resumed += 1;
    } catch (error) {
      result.failed += 1;
      logWarning('Could not resume the workflow: tried again on the next sweep', {
        caseId: record.caseId,
        error: (error as Error).name,
      });
    }
  }
  if (owing.length > 0) logInfo('Resume sweep', { ...result });
  return result;
}
