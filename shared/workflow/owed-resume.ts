import { logWarning } from '../log.ts';
import type { Service } from '../service.ts';
import { resumeWhenReady } from './readiness.ts';

/** What settling an owed resume touches. */
export type OwedResumePorts = Pick<Service, 'cases' | 'clock' | 'workflow'>;

/**
 * Settles the resume a case owes its workflow (`resumeOwed`, written with the person's change
 * that may have made the submission ready): when the submission is ready and the workflow waits
 * for it, the wait is ended; then the marker is cleared, unless a later change set it again. When
 * the submission is not ready, or the workflow is not waiting (it finds the case ready when it
 * next waits, or its escalation does), there is nothing more to do and the marker is cleared too.
 * A failure to reach Step Functions is thrown and the marker kept, for the next try.
 */
export async function settleOwedResume(
  service: OwedResumePorts,
  caseId: string,
): Promise<'resumed' | 'not-ready' | 'not-waiting' | 'nothing-owed'> {
  const record = await service.cases.getCase(caseId);
  if (!record?.resumeOwed) return 'nothing-owed';
  const outcome = await resumeWhenReady(service, record);
  await service.cases.clearResumeOwed(caseId, record.resumeOwed);
  return outcome;
}

/**
 * Right after a person's change is saved (with its `resumeOwed` marker): tries the resume once.
 * The change is saved either way, so a failure is not the person's to deal with: it is logged
 * and the resume sweep (functions/resume-workflows) tries again until it works.
 */
export async function resumeNowOrLater(service: OwedResumePorts, caseId: string): Promise<void> {
  try {
    await settleOwedResume(service, caseId);
  } catch (error) {
    logWarning('The workflow could not be resumed just now: the resume sweep will try again', {
      caseId,
      error: (error as Error).name,
    });
  }
}
