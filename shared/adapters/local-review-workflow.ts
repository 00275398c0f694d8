import { requireEnv } from '../env.ts';
import { sfnClient } from './clients/sfn.ts';
import { type ReviewWorkflow, StepFunctionsReviewWorkflow } from './review-workflow.ts';

let workflow: ReviewWorkflow | undefined;

/**
 * Each local review's workflow on Step Functions: the local-review state machine (issue 13),
 * one execution per review named by its id, driven through the same port as the Rapid Review's.
 */
export function localReviewWorkflowFromEnvironment(): ReviewWorkflow {
  workflow ??= new StepFunctionsReviewWorkflow(
    sfnClient(),
    () => requireEnv('localReviewStateMachineArn'),
    (reviewId) => ({ reviewId, phase: 'review', generation: 0 }),
  );
  return workflow;
}
