import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type LocalStepFunctions, startLocalStepFunctions } from '../../../local/stepfunctions/service.ts';
import { VirtualClock } from '../../../local/virtual-clock.ts';
import { ladderOf, milestone } from '../../../shared/schemas/timetable.ts';
import { planRapidReview } from '../../../shared/timetable.ts';
import type { PlanTimetableResult } from '../../../shared/workflow/contracts.ts';
import { FakeWorkflowFunctions } from './fake-workflow-functions.ts';
import { fakeSubstitutions, readRapidReviewAsl } from './rapid-review-definition.ts';

export const rapidReviewMachineName = 'rapid-review';

/** A Monday with no bank holiday in the following three weeks: Day 1 is the day of receipt. */
export const inventedReceipt = new Date('2025-03-03T10:00:00Z');

/** The deadlines the real timetable gives a notification received at {@link inventedReceipt}. */
export function inventedDeadlines(receivedAt: Date = inventedReceipt): {
  deadlines: PlanTimetableResult;
  /** When the ladder's rungs run, each time once, in order: with the default ladder, the reminder and the Day 10 deadline. */
  rungTimes: string[];
  firstDecisionDueAt: string;
} {
  const timetable = planRapidReview({ receivedAt });
  // As Date.toISOString() writes them, so they compare equal to the clock's instants.
  const at = (instant: string) => new Date(instant).toISOString();
  const rungTimes = [...new Set(ladderOf(timetable).map((rung) => at(rung.at)))];
  return {
    rungTimes,
    deadlines: {
      firstRungAt: rungTimes[0] as string,
      collateAt: at(milestone(timetable, 'collateReport').startsAt),
      papersAt: at(milestone(timetable, 'distributePapers').startsAt),
    },
    firstDecisionDueAt: at(milestone(timetable, 'submitToPanel').dueAt),
  };
}

/**
 * The real ASL file on the local Step Functions service, with fake task functions and a
 * virtual clock that only moves when a test moves it. Talks to the service through the real
 * `@aws-sdk/client-sfn`, as the functions do.
 */
export class RapidReviewWorkflow {
  readonly clock: VirtualClock;
  readonly functions: FakeWorkflowFunctions;
  readonly plan: ReturnType<typeof inventedDeadlines>;
  readonly service: LocalStepFunctions;
  readonly sfn: SFNClient;

  private constructor(
    clock: VirtualClock,
    functions: FakeWorkflowFunctions,
    plan: ReturnType<typeof inventedDeadlines>,
    service: LocalStepFunctions,
  ) {
    this.clock = clock;
    this.functions = functions;
    this.plan = plan;
    this.service = service;
    this.sfn = new SFNClient({
      endpoint: service.endpoint,
      region: service.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  }

  static async start(): Promise<RapidReviewWorkflow> {
    const clock = new VirtualClock({ start: inventedReceipt, speed: 0 });
    const plan = inventedDeadlines();
    const functions = new FakeWorkflowFunctions(clock, plan);
    const service = await startLocalStepFunctions({
      clock,
      stateMachines: [
        {
          name: rapidReviewMachineName,
          definition: readRapidReviewAsl(),
          substitutions: fakeSubstitutions(),
        },
      ],
      invokeFunction: functions.invoke,
      retryIntervalScale: 0,
    });
    return new RapidReviewWorkflow(clock, functions, plan, service);
  }

  get stateMachineArn(): string {
    return this.service.stateMachineArn(rapidReviewMachineName);
  }

  /** Starts the review of `caseId` as intake does (execution named by the case id) and lets it run until it blocks. */
  async startReview(caseId: string): Promise<string> {
    const { executionArn } = await this.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: caseId,
        input: JSON.stringify({ caseId }),
      }),
    );
    await this.service.whenSettled();
    return executionArn!;
  }

  /** Jumps the clock to the next pending wait or timeout and lets the workflow run until it blocks again. */
  async advanceToNext(): Promise<{ to: Date; label?: string }> {
    const jump = this.clock.advanceToNext();
    if (!jump) throw new Error('Nothing is waiting on the clock');
    await this.service.whenSettled();
    return jump;
  }

  /** Jumps to each wait in turn until `functionName` has been called `times` times in all. */
  async advanceUntilCalled(functionName: string, times = 1): Promise<void> {
    for (let jumps = 0; this.functions.callsTo(functionName).length < times; jumps++) {
      if (jumps > 20) throw new Error(`${functionName} was not called ${times} times within 20 jumps`);
      await this.advanceToNext();
    }
  }

  /** What the last person's change does once the submission is ready: completes the callback with `{ readyAt }`. */
  async recordDecision(taskToken: string): Promise<string> {
    const decidedAt = this.clock.now().toISOString();
    await this.sfn.send(
      new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ readyAt: decidedAt }) }),
    );
    await this.service.whenSettled();
    return decidedAt;
  }

  async describe(executionArn: string): Promise<DescribeExecutionCommandOutput> {
    return this.sfn.send(new DescribeExecutionCommand({ executionArn }));
  }

  /** The whole history, oldest first. */
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

  /** The names of the states entered, in order. */
  async statesEntered(executionArn: string): Promise<string[]> {
    return (await this.history(executionArn)).flatMap((event) =>
      event.stateEnteredEventDetails?.name ? [event.stateEnteredEventDetails.name] : [],
    );
  }

  async stop(): Promise<void> {
    this.sfn.destroy();
    await this.service.stop();
    this.clock.dispose();
  }
}
