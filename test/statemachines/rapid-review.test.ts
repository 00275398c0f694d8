import { ListExecutionsCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FunctionName, functionArnPlaceholder } from '../../functions/catalogue.ts';
import {
  escalateMissingDecisionResult,
  planTimetableResult,
  scheduleDecisionDeadlineResult,
  submissionReadyOutput,
  type WorkflowTaskName,
  workflowTaskContracts,
} from '../../shared/workflow/contracts.ts';
import { decisionDueAt, type FakeAnswer, failing } from './support/fake-workflow-functions.ts';
import {
  type AslState,
  parseRapidReviewAsl,
  readRapidReviewAsl,
  workflowFunctionNames,
} from './support/rapid-review-definition.ts';
import { inventedReceipt, RapidReviewWorkflow } from './support/rapid-review-harness.ts';

const definition = parseRapidReviewAsl();
const states = Object.entries(definition.States);
const tasks = states.filter(([, state]) => state.Type === 'Task');

/**
 * The one retry policy every task names: the task handler's `Transient` (any SDK throttling,
 * timeout, dropped connection, server error or lost write race, shared/workflow/task-handler.ts),
 * Lambda's own transient service errors, and a function that timed out (Lambda reports
 * `Lambda.Unknown` or `Sandbox.Timedout`). Everything else is a domain error and is not retried.
 */
const transientErrors = [
  'Transient',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
];

/** The payload each workflow function validates (shared/workflow/contracts.ts). */
const payloadSchemaOf = (name: FunctionName): { shape: Record<string, unknown> } =>
  workflowTaskContracts[name as WorkflowTaskName].payload;

/** The only values a payload may take from the execution: ids, attempts, timestamps, tokens and caught error names. */
const allowedPayloadSources = new Set([
  '$.caseId',
  '$.decisionWait.attempt',
  '$$.Task.Token',
  '$$.Execution.Id',
  '$$.State.Name',
  '$.failure.Error',
  '$.failure.Cause',
]);

function placeholderIn(state: AslState): string | undefined {
  return /^\$\{(\w+)\}$/.exec(state.Parameters?.FunctionName ?? '')?.[1];
}

function functionInvokedBy(state: AslState): FunctionName | undefined {
  const placeholder = placeholderIn(state);
  return workflowFunctionNames.find((name) => functionArnPlaceholder(name) === placeholder);
}

function sortedKeys(value: object): string[] {
  return Object.keys(value).sort();
}

describe('the rapid-review state machine definition', () => {
  it('is a JSONPath definition whose only placeholders are function ARNs of workflow functions', () => {
    const placeholders = [...readRapidReviewAsl().matchAll(/\$\{(\w*)\}/g)].map((match) => match[1]);
    const expected = workflowFunctionNames.map(functionArnPlaceholder);

    expect(definition.Comment).toBeTruthy();
    expect(readRapidReviewAsl()).not.toContain('JSONata');
    expect(placeholders.length).toBeGreaterThan(0);
    for (const placeholder of placeholders) expect(expected).toContain(placeholder);
  });

  it('invokes every workflow function of the catalogue, each through lambda:invoke', () => {
    const invoked = new Set(tasks.map(([, state]) => functionInvokedBy(state)));

    for (const name of workflowFunctionNames) expect(invoked, name).toContain(name);
    for (const [name, state] of tasks) {
      expect(functionInvokedBy(state), name).toBeDefined();
      expect(state.Resource, name).toMatch(/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/);
    }
  });

  it('has a payload and a result contract for every workflow function, and none for another', () => {
    expect(Object.keys(workflowTaskContracts).sort()).toEqual([...workflowFunctionNames].sort());
  });

  it('hands each function exactly the payload its contract schema validates', () => {
    for (const [name, state] of tasks) {
      const functionName = functionInvokedBy(state)!;
      const schema = payloadSchemaOf(functionName);
      const payload = state.Parameters?.Payload ?? {};
      const keys = Object.keys(payload).map((key) => key.replace(/\.\$$/, ''));

      expect(keys.sort(), name).toEqual(sortedKeys(schema.shape));
    }
  });

  it('carries only ids, attempts, timestamps and tokens in task parameters, never a name or narrative', () => {
    for (const [name, state] of tasks) {
      expect(sortedKeys(state.Parameters ?? {}), name).toEqual(['FunctionName', 'Payload']);
      for (const [key, value] of Object.entries(state.Parameters?.Payload ?? {})) {
        if (key.endsWith('.$')) expect(allowedPayloadSources, `${name}.${key}`).toContain(value);
        else expect(typeof value, `${name}.${key}`).toBe('number');
      }
    }
  });

  it('keeps only the contract fields of the results it keeps', () => {
    const {
      PlanTimetable,
      ScheduleDecisionDeadline,
      ExtendDecisionDeadline,
      AwaitDecision,
      EscalateMissingDecision,
    } = definition.States;

    expect(PlanTimetable?.ResultPath).toBe('$.deadlines');
    expect(sortedKeys(PlanTimetable?.ResultSelector ?? {})).toEqual(
      sortedKeys(planTimetableResult.shape).map((key) => `${key}.$`),
    );
    for (const state of [ScheduleDecisionDeadline, ExtendDecisionDeadline]) {
      expect(state?.ResultPath).toBe('$.decisionWait');
      expect(sortedKeys(state?.ResultSelector ?? {})).toEqual(
        sortedKeys(scheduleDecisionDeadlineResult.shape).map((key) => `${key}.$`),
      );
    }
    expect(AwaitDecision?.ResultPath).toBe('$.ready');
    expect(sortedKeys(AwaitDecision?.ResultSelector ?? {})).toEqual(
      sortedKeys(submissionReadyOutput.shape).map((key) => `${key}.$`),
    );
    expect(EscalateMissingDecision?.ResultPath).toBe('$.escalation');
    expect(sortedKeys(EscalateMissingDecision?.ResultSelector ?? {})).toEqual(
      sortedKeys(escalateMissingDecisionResult.shape).map((key) => `${key}.$`),
    );
    for (const [name, state] of tasks) {
      if (!state.ResultSelector) expect(state.ResultPath, name).toBeNull();
    }
  });

  it('retries transient errors only, with full jitter and a bounded backoff', () => {
    for (const [name, state] of tasks) {
      expect(state.Retry, name).toHaveLength(1);
      const [retrier] = state.Retry!;
      expect(retrier?.ErrorEquals.sort(), name).toEqual([...transientErrors].sort());
      expect(retrier, name).toMatchObject({ JitterStrategy: 'FULL' });
      expect(retrier?.IntervalSeconds, name).toBeGreaterThan(0);
      expect(retrier?.MaxAttempts, name).toBeGreaterThan(1);
      expect(retrier?.BackoffRate, name).toBeGreaterThan(1);
      expect(retrier?.MaxDelaySeconds, name).toBeGreaterThan(0);
    }
  });

  it('catches every error of every task and sends it to the failure path', () => {
    for (const [name, state] of tasks) {
      const catchAll = state.Catch?.at(-1);
      // A case closed as notification only, or withdrawn, stops cleanly at whichever step comes next.
      if (name !== 'RecordFailure') {
        expect(state.Catch?.slice(0, 2), name).toEqual([
          { ErrorEquals: ['CaseClosed'], ResultPath: null, Next: 'ClosedAsNotificationOnly' },
          { ErrorEquals: ['CaseWithdrawn'], ResultPath: null, Next: 'Withdrawn' },
        ]);
      }
      expect(catchAll?.ErrorEquals, name).toEqual(['States.ALL']);
      if (name === 'RecordFailure') {
        expect(catchAll?.Next).toBe('ReviewFailed');
        expect(catchAll?.ResultPath).not.toBe('$.failure');
      } else {
        expect(catchAll, name).toMatchObject({ ResultPath: '$.failure', Next: 'RecordFailure' });
      }
    }
    expect(definition.States.RecordFailure?.Next).toBe('ReviewFailed');
    expect(definition.States.ReviewFailed?.Type).toBe('Fail');
    expect(definition.States.ClosedAsNotificationOnly?.Type).toBe('Succeed');
    expect(definition.States.Withdrawn).toMatchObject({ Type: 'Succeed', Comment: expect.any(String) });
  });

  it('waits for each deadline of the timetable by TimestampPath', () => {
    const waits = states.filter(([, state]) => state.Type === 'Wait');

    expect(waits.map(([, state]) => state.TimestampPath)).toEqual([
      '$.deadlines.firstRungAt',
      '$.ladder.nextRungAt',
      '$.deadlines.collateAt',
      '$.deadlines.papersAt',
    ]);
  });

  it('climbs the escalation ladder in a loop: each rung at its time, then on to collation', () => {
    const { WaitForFirstRung, ClimbLadder, MoreRungs, WaitForNextRung } = definition.States;

    expect(definition.States.RequestAgencySummaries?.Next).toBe('WaitForFirstRung');
    expect(WaitForFirstRung?.Next).toBe('ClimbLadder');
    expect(ClimbLadder?.ResultSelector).toEqual({
      'nextRungAt.$': '$.Payload.nextRungAt',
      'more.$': '$.Payload.more',
    });
    expect(ClimbLadder?.ResultPath).toBe('$.ladder');
    expect(ClimbLadder?.Next).toBe('MoreRungs');
    expect(MoreRungs?.Choices).toEqual([
      { Variable: '$.ladder.more', BooleanEquals: true, Next: 'WaitForNextRung' },
    ]);
    expect(MoreRungs?.Default).toBe('WaitForCollationDay');
    expect(WaitForNextRung?.Next).toBe('ClimbLadder');
  });

  it('bounds the wait for the submission by the scheduled timeout, escalates when it runs out, and never gives up for lateness', () => {
    const { AwaitDecision, ReadyAfterEscalation } = definition.States;

    expect(AwaitDecision?.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(AwaitDecision?.TimeoutSecondsPath).toBe('$.decisionWait.timeoutSeconds');
    expect(AwaitDecision?.Catch?.[2]).toMatchObject({
      ErrorEquals: ['States.Timeout'],
      Next: 'EscalateMissingDecision',
    });
    expect(ReadyAfterEscalation?.Choices).toEqual([
      { Variable: '$.escalation.outcome', StringEquals: 'ready', Next: 'SubmitToPanel' },
    ]);
    expect(ReadyAfterEscalation?.Default).toBe('ExtendDecisionDeadline');
    expect(definition.States.ExtendDecisionDeadline?.Next).toBe('AwaitDecision');
    expect(Object.keys(definition.States)).not.toContain('DecisionNeverCame');
  });
});

const caseId = '0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de';

/** The order of task calls when everything happens on time. */
const onTimeCalls = [
  'plan-timetable',
  'request-agency-summaries',
  'climb-ladder',
  'climb-ladder',
  'collate-report',
  'distribute-papers',
  'schedule-decision-deadline',
  'await-decision',
  'submit-to-panel',
  'notify-outcome',
];

/** The invented agencies of the case and which have returned, as the fake functions would read them from the case. */
function agencyReturns() {
  const agencies = ['agency-police', 'agency-health', 'agency-children-services'];
  const returned = new Set<string>();
  const missing = () => agencies.filter((agencyId) => !returned.has(agencyId));
  return {
    receive(agencyId: string): void {
      returned.add(agencyId);
    },
    /** An answer for a task function that notes, in `seen`, which agencies were missing each time it ran. */
    notingMissing(seen: string[][], answer: FakeAnswer = () => ({})): FakeAnswer {
      return (payload, call) => {
        seen.push(missing());
        return answer(payload, call);
      };
    },
  };
}

/** The fake climb-ladder's own answer: the plan's next rung time after the call, and whether there is one. */
function climbing(workflow: RapidReviewWorkflow): FakeAnswer {
  return (_payload, call) => {
    const next = workflow.plan.rungTimes.find((at) => Date.parse(at) > call.at.getTime());
    return { nextRungAt: next ?? workflow.plan.rungTimes.at(-1), more: next !== undefined };
  };
}

describe('the rapid-review workflow on the local Step Functions service', () => {
  let workflow: RapidReviewWorkflow;

  beforeEach(async () => {
    workflow = await RapidReviewWorkflow.start();
  });

  afterEach(async () => {
    await workflow.stop();
  });

  it('runs a review whose returns and decision all come on time, each step at its deadline', async () => {
    // Prepare
    const { deadlines, firstDecisionDueAt } = workflow.plan;
    const executionArn = await workflow.startReview(caseId);

    // Act
    const jumps: string[] = [];
    for (let wait = 0; wait < 4; wait++) jumps.push((await workflow.advanceToNext()).to.toISOString());
    const token = workflow.functions.latestDecisionToken();
    const decidedAt = await workflow.recordDecision(token);

    // Assess
    const { collateAt, papersAt } = deadlines;
    const [reminderAt, returnsDueAt] = workflow.plan.rungTimes;
    expect(jumps).toEqual([reminderAt, returnsDueAt, collateAt, papersAt]);
    expect(workflow.functions.names()).toEqual(onTimeCalls);
    const calledAt = (name: string) => workflow.functions.callsTo(name)[0]?.at.toISOString();
    expect(calledAt('request-agency-summaries')).toBe(inventedReceipt.toISOString());
    expect(workflow.functions.callsTo('climb-ladder').map((call) => call.at.toISOString())).toEqual([
      reminderAt,
      returnsDueAt,
    ]);
    expect(calledAt('collate-report')).toBe(collateAt);
    expect(calledAt('distribute-papers')).toBe(papersAt);
    expect(calledAt('submit-to-panel')).toBe(decidedAt);
    for (const call of workflow.functions.calls) {
      const expected: Record<string, unknown> = {
        'schedule-decision-deadline': { caseId, previousAttempt: 0 },
        'await-decision': { caseId, taskToken: expect.any(String), attempt: 1 },
      };
      expect(call.payload, call.functionName).toEqual(expected[call.functionName] ?? { caseId });
      // Each task's log lines are keyed by its execution and its state (each named after its function here).
      expect(call.logKeys, call.functionName).toEqual({
        execution: executionArn,
        step: functionArnPlaceholder(call.functionName).replace(/FunctionArn$/, ''),
      });
    }

    const execution = await workflow.describe(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({
      caseId,
      deadlines,
      decisionWait: {
        attempt: 1,
        dueAt: firstDecisionDueAt,
        timeoutSeconds: (Date.parse(firstDecisionDueAt) - Date.parse(papersAt)) / 1000,
      },
      ladder: { nextRungAt: workflow.plan.rungTimes.at(-1), more: false },
      ready: { readyAt: decidedAt },
    });
    const history = await workflow.history(executionArn);
    expect(
      history
        .filter((event) => event.type === 'WaitStateEntered')
        .map((event) => event.stateEnteredEventDetails?.name),
    ).toEqual(['WaitForFirstRung', 'WaitForNextRung', 'WaitForCollationDay', 'WaitForPapersDay']);
    expect(
      history
        .filter((event) => event.type === 'WaitStateExited')
        .map((event) => event.timestamp?.toISOString()),
    ).toEqual([reminderAt, returnsDueAt, collateAt, papersAt]);
    expect((await workflow.statesEntered(executionArn)).at(-1)).toBe('ReviewComplete');
    expect(JSON.stringify(history)).not.toContain(token);
  });

  it('climbs the ladder at each rung, not before, so a return still missing at the Day 10 deadline is escalated', async () => {
    // Prepare
    const returns = agencyReturns();
    const missingWhenClimbing: string[][] = [];
    workflow.functions.answer('climb-ladder', returns.notingMissing(missingWhenClimbing, climbing(workflow)));
    const executionArn = await workflow.startReview(caseId);
    returns.receive('agency-police');
    await workflow.advanceToNext();

    // Act
    workflow.clock.advanceBy('P1D');
    returns.receive('agency-health');
    await workflow.service.whenSettled();
    const waitingOnTheDayAfterTheReminder = workflow.service.executions()[0]?.waitingOn;
    await workflow.advanceToNext();

    // Assess
    const [reminderAt, returnsDueAt] = workflow.plan.rungTimes;
    expect(missingWhenClimbing).toEqual([
      ['agency-health', 'agency-children-services'],
      ['agency-children-services'],
    ]);
    expect(waitingOnTheDayAfterTheReminder).toEqual([
      { stateName: 'WaitForNextRung', kind: 'clock', until: new Date(returnsDueAt as string) },
    ]);
    expect(workflow.functions.callsTo('climb-ladder')).toMatchObject([
      { functionName: 'climb-ladder', payload: { caseId }, at: new Date(reminderAt as string) },
      { functionName: 'climb-ladder', payload: { caseId }, at: new Date(returnsDueAt as string) },
    ]);
    expect((await workflow.describe(executionArn)).status).toBe('RUNNING');
    expect(workflow.service.executions()[0]?.waitingOn.map((wait) => wait.stateName)).toEqual([
      'WaitForCollationDay',
    ]);
  });

  it('loops for as many rungs as the ladder has, and stops climbing when the task says there are no more', async () => {
    // Prepare: a ladder of three rungs on three days, the second finding every agency returned.
    const rungs = ['2025-03-07T09:00:00.000Z', '2025-03-10T17:00:00.000Z', '2025-03-13T17:00:00.000Z'];
    workflow.functions.answer('plan-timetable', () => ({
      ...workflow.plan.deadlines,
      firstRungAt: rungs[0],
    }));
    let climbs = 0;
    workflow.functions.answer('climb-ladder', () => {
      climbs += 1;
      return climbs === 1 ? { nextRungAt: rungs[1], more: true } : { nextRungAt: rungs[2], more: false };
    });
    const executionArn = await workflow.startReview(caseId);

    // Act
    await workflow.advanceUntilCalled('collate-report');

    // Assess
    expect(workflow.functions.callsTo('climb-ladder').map((call) => call.at.toISOString())).toEqual(
      rungs.slice(0, 2),
    );
    expect(workflow.functions.callsTo('collate-report')[0]?.at.toISOString()).toBe(
      workflow.plan.deadlines.collateAt,
    );
    expect((await workflow.describe(executionArn)).status).toBe('RUNNING');
  });

  it('goes on to collate on Day 11 whatever has come in, a return that arrived after Day 10 included', async () => {
    // Prepare
    const returns = agencyReturns();
    const missingWhenCollated: string[][] = [];
    workflow.functions.answer('collate-report', returns.notingMissing(missingWhenCollated));
    returns.receive('agency-police');
    returns.receive('agency-health');
    const executionArn = await workflow.startReview(caseId);
    await workflow.advanceUntilCalled('climb-ladder', 2);

    // Act
    workflow.clock.advanceBy('PT2H');
    returns.receive('agency-children-services');
    await workflow.advanceUntilCalled('collate-report');

    // Assess
    expect(missingWhenCollated).toEqual([[]]);
    expect(workflow.functions.callsTo('collate-report')[0]?.at.toISOString()).toBe(
      workflow.plan.deadlines.collateAt,
    );
    expect((await workflow.describe(executionArn)).status).toBe('RUNNING');
    expect(workflow.service.executions()[0]?.waitingOn.map((wait) => wait.stateName)).toEqual([
      'WaitForPapersDay',
    ]);
  });

  it('escalates a decision not made by the end of Day 15, waits again with a new token and goes on once it comes', async () => {
    // Prepare
    const executionArn = await workflow.startReview(caseId);
    await workflow.advanceUntilCalled('await-decision');
    const firstToken = workflow.functions.latestDecisionToken();

    // Act
    const timeout = await workflow.advanceToNext();
    const secondToken = workflow.functions.latestDecisionToken();
    const answerToTheFirstToken = await workflow.sfn
      .send(
        new SendTaskSuccessCommand({
          taskToken: firstToken,
          output: JSON.stringify({ readyAt: timeout.to }),
        }),
      )
      .catch((error: unknown) => error);
    const decidedAt = await workflow.recordDecision(secondToken);

    // Assess
    expect(answerToTheFirstToken).toMatchObject({ name: 'TaskTimedOut' });
    expect(timeout.to.toISOString()).toBe(workflow.plan.firstDecisionDueAt);
    expect(timeout.label).toContain('AwaitDecision');
    expect(workflow.functions.names().slice(onTimeCalls.indexOf('await-decision'))).toEqual([
      'await-decision',
      'escalate-missing-decision',
      'schedule-decision-deadline',
      'await-decision',
      'submit-to-panel',
      'notify-outcome',
    ]);
    expect(workflow.functions.callsTo('escalate-missing-decision')).toMatchObject([
      { functionName: 'escalate-missing-decision', payload: { caseId, attempt: 1 }, at: timeout.to },
    ]);
    expect(workflow.functions.callsTo('schedule-decision-deadline').map((call) => call.payload)).toEqual([
      { caseId, previousAttempt: 0 },
      { caseId, previousAttempt: 1 },
    ]);
    expect(workflow.functions.callsTo('await-decision').map((call) => call.payload)).toEqual([
      { caseId, taskToken: firstToken, attempt: 1 },
      { caseId, taskToken: secondToken, attempt: 2 },
    ]);
    expect(secondToken).not.toBe(firstToken);
    const execution = await workflow.describe(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    // The timeout itself leaves nothing behind in the state: ids, attempts and timestamps only.
    expect(JSON.parse(execution.output!)).toEqual({
      caseId,
      deadlines: workflow.plan.deadlines,
      ladder: { nextRungAt: workflow.plan.rungTimes.at(-1), more: false },
      decisionWait: {
        attempt: 2,
        dueAt: decisionDueAt(workflow.plan.firstDecisionDueAt, 2),
        timeoutSeconds: 24 * 60 * 60,
      },
      escalation: { outcome: 'escalated' },
      ready: { readyAt: decidedAt },
    });
    expect(
      (await workflow.history(executionArn)).filter((event) => event.type === 'TaskTimedOut'),
    ).toHaveLength(1);
  });

  it('keeps waiting and chasing a late review, however long it takes, and never fails it for lateness', async () => {
    // Prepare
    const executionArn = await workflow.startReview(caseId);
    await workflow.advanceUntilCalled('await-decision');

    // Act
    const timeouts: string[] = [];
    for (let wait = 0; wait < 8; wait++) timeouts.push((await workflow.advanceToNext()).to.toISOString());
    const decidedAt = await workflow.recordDecision(workflow.functions.latestDecisionToken());

    // Assess
    expect(timeouts).toEqual(
      Array.from({ length: 8 }, (_, index) => decisionDueAt(workflow.plan.firstDecisionDueAt, index + 1)),
    );
    expect(
      workflow.functions.callsTo('escalate-missing-decision').map((call) => call.payload.attempt),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(workflow.functions.callsTo('record-failure')).toEqual([]);
    expect(workflow.functions.callsTo('submit-to-panel').map((call) => call.at.toISOString())).toEqual([
      decidedAt,
    ]);
    expect((await workflow.describe(executionArn)).status).toBe('SUCCEEDED');
  });

  it('submits at once when the escalation finds the submission ready as the wait ran out', async () => {
    // Prepare
    workflow.functions.answer('escalate-missing-decision', () => ({ outcome: 'ready' }));
    const executionArn = await workflow.startReview(caseId);
    await workflow.advanceUntilCalled('await-decision');

    // Act
    const timeout = await workflow.advanceToNext();

    // Assess
    expect(workflow.functions.names().slice(onTimeCalls.indexOf('await-decision'))).toEqual([
      'await-decision',
      'escalate-missing-decision',
      'submit-to-panel',
      'notify-outcome',
    ]);
    expect(workflow.functions.callsTo('submit-to-panel')[0]?.at).toEqual(timeout.to);
    expect((await workflow.describe(executionArn)).status).toBe('SUCCEEDED');
  });

  it('stops cleanly, with no failure recorded, when a step finds the case closed as notification only', async () => {
    // Prepare
    workflow.functions.answer('climb-ladder', failing('CaseClosed'));
    const executionArn = await workflow.startReview(caseId);

    // Act
    await workflow.advanceUntilCalled('climb-ladder');

    // Assess
    expect(workflow.functions.callsTo('climb-ladder')).toHaveLength(1);
    expect(workflow.functions.callsTo('record-failure')).toEqual([]);
    expect((await workflow.statesEntered(executionArn)).slice(-2)).toEqual([
      'ClimbLadder',
      'ClosedAsNotificationOnly',
    ]);
    expect((await workflow.describe(executionArn)).status).toBe('SUCCEEDED');
    expect(workflow.clock.pending()).toEqual([]);
  });

  it('stops cleanly at Withdrawn, with no failure recorded, when a step finds the case withdrawn', async () => {
    // Prepare
    workflow.functions.answer('climb-ladder', failing('CaseWithdrawn'));
    const executionArn = await workflow.startReview(caseId);

    // Act
    await workflow.advanceUntilCalled('climb-ladder');

    // Assess
    expect(workflow.functions.callsTo('climb-ladder')).toHaveLength(1);
    expect(workflow.functions.callsTo('record-failure')).toEqual([]);
    expect((await workflow.statesEntered(executionArn)).slice(-2)).toEqual(['ClimbLadder', 'Withdrawn']);
    expect((await workflow.describe(executionArn)).status).toBe('SUCCEEDED');
    expect(workflow.clock.pending()).toEqual([]);
  });

  it('retries a task that fails with a transient error and goes on when it succeeds', async () => {
    // Prepare
    workflow.functions.answer('collate-report', failing('Lambda.TooManyRequestsException', 2));
    workflow.functions.answer('distribute-papers', failing('Transient', 1));
    const executionArn = await workflow.startReview(caseId);

    // Act
    await workflow.advanceUntilCalled('distribute-papers', 2);

    // Assess
    expect(workflow.functions.callsTo('collate-report')).toHaveLength(3);
    expect(workflow.functions.callsTo('distribute-papers')).toHaveLength(2);
    expect(workflow.functions.callsTo('record-failure')).toEqual([]);
    expect(workflow.functions.names().at(-1)).toBe('await-decision');
    const failures = (await workflow.history(executionArn)).filter((event) => event.type === 'TaskFailed');
    expect(failures.map((event) => event.taskFailedEventDetails?.error)).toEqual([
      'Lambda.TooManyRequestsException',
      'Lambda.TooManyRequestsException',
      'Transient',
    ]);
    expect((await workflow.describe(executionArn)).status).toBe('RUNNING');
  });

  it('retries a task whose function timed out, however Lambda names the timeout, so a slow moment fails no review', async () => {
    // Prepare
    workflow.functions.answer('request-agency-summaries', failing('Sandbox.Timedout', 1));
    workflow.functions.answer('collate-report', failing('Lambda.Unknown', 1));
    const executionArn = await workflow.startReview(caseId);

    // Act
    await workflow.advanceUntilCalled('distribute-papers');

    // Assess
    expect(workflow.functions.callsTo('request-agency-summaries')).toHaveLength(2);
    expect(workflow.functions.callsTo('collate-report')).toHaveLength(2);
    expect(workflow.functions.callsTo('record-failure')).toEqual([]);
    const failures = (await workflow.history(executionArn)).filter((event) => event.type === 'TaskFailed');
    expect(failures.map((event) => event.taskFailedEventDetails?.error)).toEqual([
      'Sandbox.Timedout',
      'Lambda.Unknown',
    ]);
    expect((await workflow.describe(executionArn)).status).toBe('RUNNING');
  });

  it('gives up on a transient error that does not clear after the last retry, recording the failure', async () => {
    // Prepare
    const { MaxAttempts } = parseRapidReviewAsl().States.RequestAgencySummaries?.Retry?.[0] ?? {};
    workflow.functions.answer('request-agency-summaries', failing('Transient'));

    // Act
    const executionArn = await workflow.startReview(caseId);

    // Assess
    expect(workflow.functions.callsTo('request-agency-summaries')).toHaveLength(1 + MaxAttempts!);
    expect(workflow.functions.callsTo('record-failure').map((call) => call.payload)).toEqual([
      { caseId, executionArn, error: 'Transient', cause: expect.any(String) },
    ]);
    expect((await workflow.describe(executionArn)).status).toBe('FAILED');
  });

  it('records a domain error on the case at once, without retrying, and fails the execution', async () => {
    // Prepare
    workflow.functions.answer('collate-report', failing('CaseNotFound'));
    const executionArn = await workflow.startReview(caseId);

    // Act
    await workflow.advanceUntilCalled('collate-report');

    // Assess
    expect(workflow.functions.callsTo('collate-report')).toHaveLength(1);
    expect(workflow.functions.names().slice(-2)).toEqual(['collate-report', 'record-failure']);
    const [recorded] = workflow.functions.callsTo('record-failure');
    expect(recorded?.payload).toEqual({
      caseId,
      executionArn,
      error: 'CaseNotFound',
      cause: expect.any(String),
    });
    expect(recorded?.payload.cause).toContain('CaseNotFound');
    const execution = await workflow.describe(executionArn);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('CaseNotFound');
    expect((await workflow.statesEntered(executionArn)).slice(-3)).toEqual([
      'CollateReport',
      'RecordFailure',
      'ReviewFailed',
    ]);
    expect(workflow.clock.pending()).toEqual([]);
  });

  it('still fails the execution, with the original error, when recording the failure fails too', async () => {
    // Prepare
    workflow.functions.answer('distribute-papers', failing('CaseNotFound'));
    workflow.functions.answer('record-failure', failing('ConfigurationError'));
    const executionArn = await workflow.startReview(caseId);

    // Act
    await workflow.advanceUntilCalled('distribute-papers');

    // Assess
    expect(workflow.functions.callsTo('record-failure')).toHaveLength(1);
    const execution = await workflow.describe(executionArn);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('CaseNotFound');
  });

  it('keeps one execution per case when the review is started again under the same name', async () => {
    // Prepare
    const executionArn = await workflow.startReview(caseId);

    // Act
    const again = await workflow.startReview(caseId);
    const withOtherInput = await workflow.sfn
      .send(
        new StartExecutionCommand({
          stateMachineArn: workflow.stateMachineArn,
          name: caseId,
          input: JSON.stringify({ caseId, repeated: true }),
        }),
      )
      .catch((error: unknown) => error);

    // Assess
    expect(again).toBe(executionArn);
    expect(withOtherInput).toMatchObject({ name: 'ExecutionAlreadyExists' });
    const { executions } = await workflow.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: workflow.stateMachineArn }),
    );
    expect(executions?.map((execution) => execution.executionArn)).toEqual([executionArn]);
    expect(workflow.functions.callsTo('plan-timetable')).toHaveLength(1);
  });
});
