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

let roundChases: ReviewWorkflow | undefined;

/** The execution chasing a local review's factual-accuracy round: `<reviewId>-round-<number>`. */
export function factualAccuracyChaseId(reviewId: string, roundNumber: number): string {
  return `${reviewId}-round-${roundNumber}`;
}

/** The input of a round's chasing execution, read back from its name; a name of no round is refused. */
export function factualAccuracyChaseInput(name: string): Record<string, string | number> {
  const match = /^([0-9a-f-]{36})-round-([1-9][0-9]{0,5})$/.exec(name);
  if (!match) throw new RangeError(`Not the name of a factual-accuracy round's chasing: ${name}`);
  return {
    reviewId: match[1]!,
    roundNumber: Number(match[2]),
    phase: 'factual-accuracy',
    generation: 0,
  };
}

/**
 * The reminders of each factual-accuracy round on Step Functions: an execution of the
 * local-review state machine per round, in its `factual-accuracy` phase (issue 13 part 4).
 */
export function factualAccuracyChasesFromEnvironment(): ReviewWorkflow {
  roundChases ??= new StepFunctionsReviewWorkflow(
    sfnClient(),
    () => requireEnv('localReviewStateMachineArn'),
    factualAccuracyChaseInput,
  );
  return roundChases;
}
