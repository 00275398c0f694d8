import { requireEnv } from '../env.ts';
import { sfnClient } from './clients/sfn.ts';
import { type ReviewWorkflow, StepFunctionsReviewWorkflow } from './review-workflow.ts';

let workflow: ReviewWorkflow | undefined;
let chases: ReviewWorkflow | undefined;

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

/** The execution chasing a local review's request for information: `<reviewId>-request-<number>`. */
export function informationRequestChaseId(reviewId: string, requestNumber: number): string {
  return `${reviewId}-request-${requestNumber}`;
}

/** The input of a request's chasing execution, read back from its name; a name of no request is refused. */
export function informationRequestChaseInput(name: string): Record<string, string | number> {
  const match = /^([0-9a-f-]{36})-request-([1-9][0-9]{0,5})$/.exec(name);
  if (!match) throw new RangeError(`Not the name of a request's chasing: ${name}`);
  return {
    reviewId: match[1]!,
    requestNumber: Number(match[2]),
    phase: 'information-request',
    generation: 0,
  };
}

/**
 * The chasing of each request for information on Step Functions: an execution of the
 * local-review state machine per request, in its `information-request` phase (issue 13 part 3).
 */
export function informationRequestChasesFromEnvironment(): ReviewWorkflow {
  chases ??= new StepFunctionsReviewWorkflow(
    sfnClient(),
    () => requireEnv('localReviewStateMachineArn'),
    informationRequestChaseInput,
  );
  return chases;
}
