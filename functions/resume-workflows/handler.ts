import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { type ResumeSweepResult, resumeOwedWorkflows } from '../../shared/use-cases/resume-workflows.ts';
import { parseScheduledEvent } from '../../shared/use-cases/sweep-orphans.ts';

const service = environmentService({
  cases: caseStoreFromEnvironment,
  workflow: reviewWorkflowFromEnvironment,
});

/** Every minute, from an EventBridge schedule: resumes each workflow a person's saved change still owes a resume. */
export async function handler(event: unknown): Promise<ResumeSweepResult> {
  parseScheduledEvent(event);
  return resumeOwedWorkflows(service);
}
