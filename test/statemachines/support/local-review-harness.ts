import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  type FunctionName,
  functionArnPlaceholder,
  functionCatalogue,
} from '../../../functions/catalogue.ts';
import { type LocalStepFunctions, startLocalStepFunctions } from '../../../local/stepfunctions/service.ts';
import { VirtualClock } from '../../../local/virtual-clock.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { FakeWorkflowFunctions } from './fake-workflow-functions.ts';

/** The ASL file exactly as CDK and the local stack load it. */
export const localReviewAslPath = fileURLToPath(
  new URL('../../../statemachines/local-review.asl.json', import.meta.url),
);
export const readLocalReviewAsl = () => readFileSync(localReviewAslPath, 'utf8');

/** The functions the local-review state machine invokes. */
export const localReviewFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) => functionCatalogue[name].trigger === 'local-review-workflow',
);

export const localReviewMachineName = 'local-review';
const ACCOUNT_ARN = 'arn:aws:states:eu-west-2:000000000000:stateMachine:';

/** A review commissioned on Monday 2 March 2026: its target six months on. */
export const commissionedAt = new Date('2026-03-02T10:00:00Z');

/**
 * The real local-review ASL on the local Step Functions service, with fake task functions and a
 * virtual clock that only moves when a test moves it, talked to through the real SDK client.
 */
export class LocalReviewWorkflow {
  readonly clock: VirtualClock;
  readonly functions: FakeWorkflowFunctions;
  readonly service: LocalStepFunctions;
  readonly sfn: SFNClient;

  private constructor(clock: VirtualClock, functions: FakeWorkflowFunctions, service: LocalStepFunctions) {
    this.clock = clock;
    this.functions = functions;
    this.service = service;
    this.sfn = new SFNClient({
      endpoint: service.endpoint,
      region: service.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  }

  static async start(): Promise<LocalReviewWorkflow> {
    const clock = new VirtualClock({ start: commissionedAt, speed: 0 });
    const functions = new FakeWorkflowFunctions(clock, {
      deadlines: { firstRungAt: '', collateAt: '', papersAt: '' },
      rungTimes: [],
      firstDecisionDueAt: commissionedAt.toISOString(),
    });
    const service = await startLocalStepFunctions({
      clock,
      stateMachines: [
        {
          name: localReviewMachineName,
          definition: readLocalReviewAsl(),
          substitutions: {
            ...Object.fromEntries(
              localReviewFunctionNames.map((name) => [
                functionArnPlaceholder(name),
                `arn:aws:lambda:eu-west-2:000000000000:function:${name}`,
              ]),
            ),
            LocalReviewStateMachineArn: `${ACCOUNT_ARN}${localReviewMachineName}`,
          },
        },
      ],
      invokeFunction: functions.invoke,
      retryIntervalScale: 0,
    });
    return new LocalReviewWorkflow(clock, functions, service);
  }

  get stateMachineArn(): string {
    return this.service.stateMachineArn(localReviewMachineName);
  }

  /** Starts the review as commissioning does: named by its id, in its first phase. */
  async startReview(reviewId: string): Promise<string> {
    const { executionArn } = await this.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: reviewId,
        input: JSON.stringify({ reviewId, phase: 'review', generation: 0 }),
      }),
    );
    await this.service.whenSettled();
    return executionArn!;
  }

  /**
   * The port a use case starts a chasing execution through (a request's, a round's): starting
   * `name` starts an execution of this machine by that name, with the input `inputOf` reads from it.
   */
  chasesStartedBy(inputOf: (name: string) => Record<string, string | number>): ReviewWorkflow {
    return {
      start: async (name: string) => {
        await this.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: this.stateMachineArn,
            name,
            input: JSON.stringify(inputOf(name)),
          }),
        );
        return 'started' as const;
      },
    } as unknown as ReviewWorkflow;
  }

  executionArnOf(name: string): string {
    return `arn:aws:states:eu-west-2:000000000000:execution:${localReviewMachineName}:${name}`;
  }

  async advanceToNext(): Promise<Date> {
    const jump = this.clock.advanceToNext();
    if (!jump) throw new Error('Nothing is waiting on the clock');
    await this.service.whenSettled();
    return jump.to;
  }

  /** What the team's page does once the milestone is recorded: completes the latest callback of `milestone`. */
  async complete(milestone: 'completion' | 'publication'): Promise<void> {
    const call = this.functions
      .callsTo('await-local-review')
      .filter((candidate) => candidate.payload.milestone === milestone)
      .at(-1);
    const taskToken = call?.payload.taskToken;
    if (typeof taskToken !== 'string') throw new Error(`No callback waits for ${milestone}`);
    await this.sfn.send(
      new SendTaskSuccessCommand({
        taskToken,
        output: JSON.stringify({ doneAt: this.clock.now().toISOString() }),
      }),
    );
    await this.service.whenSettled();
  }

  async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  async statesEntered(executionArn: string): Promise<string[]> {
    return (await this.history(executionArn)).flatMap((event) =>
      event.stateEnteredEventDetails?.name ? [event.stateEnteredEventDetails.name] : [],
    );
  }

  async status(executionArn: string): Promise<string | undefined> {
    const { DescribeExecutionCommand } = await import('@aws-sdk/client-sfn');
    return (await this.sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
  }

  async stop(): Promise<void> {
    this.sfn.destroy();
    await this.service.stop();
    this.clock.dispose();
  }
}
