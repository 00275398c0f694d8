import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { requireEnv } from '../env.ts';
import { logWarning } from '../log.ts';
import { sfnClient } from './clients/sfn.ts';

/** Where a case's review execution stands: Step Functions' status and the state it last entered. */
export interface WorkflowView {
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE; NOT_STARTED; or UNKNOWN when Step Functions could not be asked. */
  status: string;
  currentStep?: string;
}

/**
 * The port use cases drive a case's Rapid Review through. A case's execution is named by its
 * case id, so the case id is all a caller needs.
 */
export interface ReviewWorkflow {
  /** Starts the case's review; `already-started` when its execution exists (a retry). */
  start(caseId: string): Promise<'started' | 'already-started'>;
  /**
   * Starts the review again after a failure, as a fresh execution named `executionName` (see
   * `executionNameOf`, shared/workflow/execution-name.ts) that goes straight to `resumeFrom` (a state the ASL's
   * `ResumeAtFailedStep` choice knows) and skips the steps before it. `already-started` when that
   * execution exists (a retry of the same resume).
   */
  resume(caseId: string, executionName: string, resumeFrom: string): Promise<'started' | 'already-started'>;
  /**
   * Completes a waiting callback task with its output. Step Functions' errors keep their names
   * (`TaskTimedOut`, `TaskDoesNotExist`, `InvalidToken`) for the caller to judge.
   */
  completeTask(taskToken: string, output: unknown): Promise<void>;
  /** Fails a waiting callback task with an error name the state machine catches (for example `CaseClosed`). */
  failTask(taskToken: string, error: string, cause: string): Promise<void>;
  /**
   * Where the case's review stands (its current execution: `executionName`, by default the first,
   * named by the case id); never throws, so a page showing it always answers.
   */
  progress(caseId: string, executionName?: string): Promise<WorkflowView>;
  /**
   * The state an execution was in when it failed: the last state entered other than
   * `ignoringStates` (the failure path's own). Undefined when the history cannot tell.
   */
  failedStep(executionArn: string, ignoringStates: readonly string[]): Promise<string | undefined>;
}

/** The case page must answer even when Step Functions does not; it waits this long for it. */
const PROGRESS_QUERY_MILLISECONDS = 3000;
/** Pages of history to read back from the end; the failed step is almost always on the first. */
const MAX_HISTORY_PAGES = 10;

/**
 * The execution of a case's review: named by the case id (or by its resume, `executionNameOf`, shared/workflow/execution-name.ts) on the rapid-review state machine.
 * `arn:aws:states:eu-west-2:123:stateMachine:RapidReview` → `arn:aws:states:eu-west-2:123:execution:RapidReview:<caseId>`.
 */
export function executionArnFor(stateMachineArn: string, caseId: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length < 7 || parts[5] !== 'stateMachine') {
    throw new Error(
      'The state machine ARN is not in the form arn:<partition>:states:<region>:<account>:stateMachine:<name>',
    );
  }
  return [...parts.slice(0, 5), 'execution', parts[6], caseId].join(':');
}

/** The review workflow on Step Functions: the rapid-review state machine. */
export class StepFunctionsReviewWorkflow implements ReviewWorkflow {
  readonly #sfn: SFNClient;
  readonly #stateMachineArn: () => string;
  readonly #inputFor: (id: string) => Record<string, string | number>;

  /**
   * `stateMachineArn` is read when first needed, so a missing setting fails that call clearly.
   * `inputFor` is an execution's input from its id: `{ caseId }` for a Rapid Review.
   */
  constructor(
    sfn: SFNClient,
    stateMachineArn: () => string,
    inputFor: (id: string) => Record<string, string | number> = (caseId) => ({ caseId }),
  ) {
    this.#sfn = sfn;
    this.#stateMachineArn = stateMachineArn;
    this.#inputFor = inputFor;
  }

  async start(caseId: string): Promise<'started' | 'already-started'> {
    return this.#startExecution(caseId, this.#inputFor(caseId));
  }

  async resume(
    caseId: string,
    executionName: string,
    resumeFrom: string,
  ): Promise<'started' | 'already-started'> {
    return this.#startExecution(executionName, { caseId, resumeFrom });
  }

  async #startExecution(name: string, input: object): Promise<'started' | 'already-started'> {
    try {
      await this.#sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.#stateMachineArn(),
          name,
          input: JSON.stringify(input),
        }),
      );
      return 'started';
    } catch (error) {
      // Named by the case id (or the resume), so a second start finds the first: it is running already.
      if ((error as Error).name === 'ExecutionAlreadyExists') return 'already-started';
      throw error;
    }
  }

  async completeTask(taskToken: string, output: unknown): Promise<void> {
    await this.#sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  }

  async failTask(taskToken: string, error: string, cause: string): Promise<void> {
    await this.#sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
  }

  async progress(caseId: string, executionName: string = caseId): Promise<WorkflowView> {
    let executionArn: string;
    try {
      executionArn = executionArnFor(this.#stateMachineArn(), executionName);
    } catch (error) {
      logWarning('Cannot name the execution', { caseId, error: (error as Error).name });
      return { status: 'UNKNOWN' };
    }
    const options = () => ({ abortSignal: AbortSignal.timeout(PROGRESS_QUERY_MILLISECONDS) });
    let status: string;
    try {
      const execution = await this.#sfn.send(new DescribeExecutionCommand({ executionArn }), options());
      status = execution.status ?? 'UNKNOWN';
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return { status: 'NOT_STARTED' };
      logWarning('Could not describe the execution', { caseId, error: (error as Error).name });
      return { status: 'UNKNOWN' };
    }
    try {
      const history = await this.#sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: true,
          maxResults: 100,
          includeExecutionData: false,
        }),
        options(),
      );
      const entered = (history.events ?? []).find((event) => event.type?.endsWith('StateEntered'));
      const currentStep = entered?.stateEnteredEventDetails?.name;
      return currentStep ? { status, currentStep } : { status };
    } catch (error) {
      logWarning('Could not read the execution history', { caseId, error: (error as Error).name });
      return { status };
    }
  }

  async failedStep(executionArn: string, ignoringStates: readonly string[]): Promise<string | undefined> {
    try {
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
        // Without execution data: it may hold personal data.
        const history = await this.#sfn.send(
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
            event.type?.endsWith('StateEntered') &&
            !ignoringStates.includes(event.stateEnteredEventDetails?.name ?? ''),
        );
        const name = entered?.stateEnteredEventDetails?.name;
        if (name) return name;
        nextToken = history.nextToken;
        if (!nextToken) break;
      }
    } catch {
      // The history is a diagnostic aid: failing to read it must not stop a failure being recorded.
    }
    return undefined;
  }
}

let workflow: ReviewWorkflow | undefined;

/** The review workflow from the environment (the state machine's ARN), made once per container. */
export function reviewWorkflowFromEnvironment(): ReviewWorkflow {
  workflow ??= new StepFunctionsReviewWorkflow(sfnClient(), () => requireEnv('stateMachineArn'));
  return workflow;
}
