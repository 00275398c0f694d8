import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LocalStateMachineSource,
  type LocalStepFunctions,
  startLocalStepFunctions,
} from '../../local/stepfunctions/service.ts';
import { VirtualClock } from '../../local/virtual-clock.ts';

const start = new Date('2026-03-02T09:00:00.000Z');
const days = (count: number) => new Date(start.getTime() + count * 24 * 3600 * 1000).toISOString();

type FunctionHandler = (payload: Record<string, unknown>) => unknown;

/** In-process functions that remember every call, as the local stack's function runner does. */
function functions(handlers: Record<string, FunctionHandler>) {
  const calls: Array<{ name: string; payload: Record<string, unknown> }> = [];
  return {
    calls,
    invoke: async (name: string, payload: unknown) => {
      calls.push({ name, payload: payload as Record<string, unknown> });
      const handler = handlers[name];
      if (!handler) throw new Error(`No function named ${name}`);
      return handler(payload as Record<string, unknown>);
    },
  };
}

class TransientFailure extends Error {
  override readonly name = 'TransientFailure';
}
class CaseNotFound extends Error {
  override readonly name = 'CaseNotFound';
}

const services: LocalStepFunctions[] = [];
const clocks: VirtualClock[] = [];
const directories: string[] = [];

afterEach(async () => {
  for (const service of services.splice(0)) await service.stop();
  for (const clock of clocks.splice(0)) clock.dispose();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function newClock(statePath?: string): VirtualClock {
  const clock = statePath
    ? VirtualClock.load(statePath, { start, speed: 60 })
    : new VirtualClock({ start, speed: 60 });
  clocks.push(clock);
  return clock;
}

async function serve(options: {
  machines: LocalStateMachineSource[];
  invoke: (name: string, payload: unknown) => Promise<unknown>;
  clock?: VirtualClock;
  dataDirectory?: string;
}) {
  const clock = options.clock ?? newClock();
  const service = await startLocalStepFunctions({
    clock,
    stateMachines: options.machines,
    invokeFunction: options.invoke,
    retryIntervalScale: 0,
    region: 'eu-west-2',
    accountId: '123456789012',
    ...(options.dataDirectory ? { dataDirectory: options.dataDirectory } : {}),
  });
  services.push(service);
  const client = new SFNClient({
    endpoint: service.endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { service, client, clock };
}

/** An ASL `${Name}` placeholder, which CDK's definitionSubstitutions (and the local service) fill in. */
function placeholder(name: string): string {
  return `\${${name}}`;
}

function machine(name: string, definition: object, substitutions: Record<string, string> = {}) {
  return { name, definition: JSON.stringify(definition, null, 2), substitutions };
}

async function describeExecution(client: SFNClient, executionArn: string) {
  return client.send(new DescribeExecutionCommand({ executionArn }));
}

async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected the call to fail');
}

const awaitDecisionMachine = machine('await-decision', {
  StartAt: 'AwaitDecision',
  States: {
    AwaitDecision: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: placeholder('AwaitDecisionFunctionArn'),
        Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' },
      },
      TimeoutSecondsPath: '$.timeoutSeconds',
      ResultPath: '$.decision',
      Catch: [
        { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failed', Next: 'DecisionFailed' },
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'EscalateMissingDecision' },
      ],
      Next: 'Decided',
    },
    Decided: { Type: 'Succeed' },
    DecisionFailed: { Type: 'Fail', Error: 'DecisionFailed' },
    EscalateMissingDecision: { Type: 'Pass', Result: 'escalated', ResultPath: '$.outcome', End: true },
  },
});
const awaitDecisionSubstitutions = {
  AwaitDecisionFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:await-decision',
};

describe('local Step Functions service', () => {
  it('invokes a Lambda task in-process and applies ResultSelector to its { Payload }', async () => {
    const fns = functions({ 'look-up-case': () => ({ status: 'open', checkedAt: new Date(start) }) });
    const { client, service } = await serve({
      invoke: fns.invoke,
      machines: [
        machine(
          'look-up',
          {
            StartAt: 'LookUpCase',
            States: {
              LookUpCase: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: {
                  FunctionName: placeholder('LookUpCaseFunctionArn'),
                  Payload: {
                    'caseId.$': '$.caseId',
                    'executionId.$': '$$.Execution.Id',
                    'startedAt.$': '$$.Execution.StartTime',
                  },
                },
                ResultSelector: { 'case.$': '$.Payload', 'statusCode.$': '$.StatusCode' },
                ResultPath: '$.lookup',
                End: true,
              },
            },
          },
          { LookUpCaseFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:look-up-case' },
        ),
      ],
    });

    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: service.stateMachineArn('look-up'),
        name: 'case-17',
        input: JSON.stringify({ caseId: 'case-17' }),
      }),
    );
    await service.whenSettled();

    expect(executionArn).toBe('arn:aws:states:eu-west-2:123456789012:execution:look-up:case-17');
    const described = await describeExecution(client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({
      caseId: 'case-17',
      lookup: { case: { status: 'open', checkedAt: start.toISOString() }, statusCode: 200 },
    });
    expect(fns.calls).toEqual([
      {
        name: 'look-up-case',
        payload: {
          caseId: 'case-17',
          executionId: executionArn,
          startedAt: described.startDate!.toISOString(),
        },
      },
    ]);
    // Dates are virtual: the clock started on 2 March 2026, whatever today is.
    expect(described.startDate!.toISOString().slice(0, 10)).toBe('2026-03-02');
    expect((await history(client, executionArn!)).map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const definition = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: service.stateMachineArn('look-up') }),
    );
    expect(definition.definition).toContain('arn:aws:lambda:eu-west-2:123456789012:function:look-up-case');
  });

  it('waits on the virtual clock until a jump reaches the TimestampPath, and reports it as a Wait', async () => {
    const fns = functions({});
    const { client, service, clock } = await serve({
      invoke: fns.invoke,
      machines: [
        machine('wait', {
          StartAt: 'WaitForReturns',
          States: {
            WaitForReturns: { Type: 'Wait', TimestampPath: '$.returnsDueAt', Next: 'CheckReturns' },
            CheckReturns: { Type: 'Pass', End: true },
          },
        }),
      ],
    });
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: service.stateMachineArn('wait'),
        input: JSON.stringify({ returnsDueAt: days(7) }),
      }),
    );
    await service.whenSettled();

    expect((await describeExecution(client, executionArn!)).status).toBe('RUNNING');
    expect(clock.pending()).toEqual([
      { at: new Date(days(7)), label: expect.stringContaining('WaitForReturns') },
    ]);
    expect(service.executions()[0]?.waitingOn).toEqual([
      { stateName: 'WaitForReturns', kind: 'clock', until: new Date(days(7)) },
    ]);

    expect(clock.advanceToNext()?.to).toEqual(new Date(days(7)));
    await service.whenSettled();

    const described = await describeExecution(client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({ returnsDueAt: days(7) });
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(Date.parse(days(7)));
    const events = await history(client, executionArn!);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    const entered = events[1]!;
    const exited = events[2]!;
    expect(entered.stateEnteredEventDetails).toEqual({
      name: 'WaitForReturns',
      input: JSON.stringify({ returnsDueAt: days(7) }),
      inputDetails: { truncated: false },
    });
    // Virtual timestamps: entered moments after the start, left a week later.
    expect(entered.timestamp!.getTime() - start.getTime()).toBeLessThan(3600 * 1000);
    expect(exited.timestamp!.getTime()).toBeGreaterThanOrEqual(Date.parse(days(7)));
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 4],
      [6, 5],
    ]);

    const newestFirst = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 4 }),
    );
    expect(newestFirst.events?.map((event) => event.id)).toEqual([6, 5, 4, 3]);
    const rest = await client.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: 4,
        nextToken: newestFirst.nextToken,
      }),
    );
    expect(rest.events?.map((event) => event.id)).toEqual([2, 1]);
    expect(rest.nextToken).toBeUndefined();
  });

  it('waits longer than the 24.8 days a Node timer can hold', async () => {
    const { client, service, clock } = await serve({
      invoke: functions({}).invoke,
      machines: [
        machine('long-wait', {
          StartAt: 'WaitForPanelReply',
          States: { WaitForPanelReply: { Type: 'Wait', Seconds: 40 * 24 * 3600, End: true } },
        }),
      ],
    });
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: service.stateMachineArn('long-wait') }),
    );
    await service.whenSettled();
    expect((await describeExecution(client, executionArn!)).status).toBe('RUNNING');

    clock.advanceToNext();
    await service.whenSettled();
    const described = await describeExecution(client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(described.stopDate!.getTime() - start.getTime()).toBeGreaterThanOrEqual(40 * 24 * 3600 * 1000);
  });

  it('completes a callback task with SendTaskSuccess and the token its function received', async () => {
    const fns = functions({ 'await-decision': () => ({ stored: true }) });
    const { client, service } = await serve({
      invoke: fns.invoke,
      machines: [{ ...awaitDecisionMachine, substitutions: awaitDecisionSubstitutions }],
    });
    const stateMachineArn = service.stateMachineArn('await-decision');
    const first = await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        input: JSON.stringify({ caseId: 'case-1', timeoutSeconds: 86_400 }),
      }),
    );
    const second = await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        input: JSON.stringify({ caseId: 'case-2', timeoutSeconds: 86_400 }),
      }),
    );
    await service.whenSettled();

    const tokens = fns.calls.map((call) => call.payload.taskToken as string);
    expect(fns.calls.map((call) => call.payload.caseId)).toEqual(['case-1', 'case-2']);
    expect(new Set(tokens).size).toBe(2);
    expect((await describeExecution(client, first.executionArn!)).status).toBe('RUNNING');

    await client.send(
      new SendTaskSuccessCommand({ taskToken: tokens[0], output: JSON.stringify({ decidedAt: days(1) }) }),
    );
    await service.whenSettled();

    const described = await describeExecution(client, first.executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({
      caseId: 'case-1',
      timeoutSeconds: 86_400,
      decision: { decidedAt: days(1) },
    });
    expect((await describeExecution(client, second.executionArn!)).status).toBe('RUNNING');
    const events = await history(client, first.executionArn!);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(JSON.stringify(events)).not.toContain(tokens[0]);

    const again = await rejection(
      client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' })),
    );
    expect(again.name).toBe('TaskTimedOut');
    const invalid = await rejection(
      client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
    );
    expect(invalid.name).toBe('InvalidToken');
    const unknown = await rejection(
      client.send(new SendTaskSuccessCommand({ taskToken: 'A'.repeat(64), output: '{}' })),
    );
    expect(unknown.name).toBe('TaskDoesNotExist');
  });

  it('fails a callback task with SendTaskFailure, which States.TaskFailed catches', async () => {
    const fns = functions({ 'await-decision': () => null });
    const { client, service } = await serve({
      invoke: fns.invoke,
      machines: [{ ...awaitDecisionMachine, substitutions: awaitDecisionSubstitutions }],
    });
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: service.stateMachineArn('await-decision'),
        input: JSON.stringify({ caseId: 'case-3', timeoutSeconds: 3_600 }),
      }),
    );
    await service.whenSettled();
    await client.send(
      new SendTaskFailureCommand({
        taskToken: fns.calls[0]!.payload.taskToken as string,
        error: 'DecisionWithdrawn',
        cause: 'The chair withdrew the decision',
      }),
    );
    await service.whenSettled();

    const described = await describeExecution(client, executionArn!);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('DecisionFailed');
    const failed = (await history(client, executionArn!)).find((event) => event.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({
      error: 'DecisionWithdrawn',
      cause: 'The chair withdrew the decision',
    });
  });

  it('times a callback out on the virtual clock; States.Timeout is caught, States.TaskFailed is not', async () => {
    const fns = functions({ 'await-decision': () => null });
    const { client, service, clock } = await serve({
      invoke: fns.invoke,
      machines: [{ ...awaitDecisionMachine, substitutions: awaitDecisionSubstitutions }],
    });
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: service.stateMachineArn('await-decision'),
        input: JSON.stringify({ caseId: 'case-4', timeoutSeconds: 3 * 86_400 }),
      }),
    );
    await service.whenSettled();
    const [wake] = clock.pending();
    expect(wake?.label).toContain('AwaitDecision');
    // The timeout counts from when the task started, in virtual time.
    expect(wake!.at.getTime() - start.getTime()).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect(wake!.at.getTime() - start.getTime()).toBeLessThan(3 * 86_400_000 + 3600 * 1000);

    clock.advanceToNext();
    await service.whenSettled();

    const described = await describeExecution(client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({
      caseId: 'case-4',
      timeoutSeconds: 3 * 86_400,
      timedOut: { Error: 'States.Timeout', Cause: expect.any(String) },
      outcome: 'escalated',
    });
    expect((await history(client, executionArn!)).map((event) => event.type)).toContain('TaskTimedOut');
    expect(clock.pending()).toEqual([]);
    const late = await rejection(
      client.send(
        new SendTaskSuccessCommand({ taskToken: fns.calls[0]!.payload.taskToken as string, output: '{}' }),
      ),
    );
    expect(late.name).toBe('TaskTimedOut');
  });

  it('retries a transient error by name, then catches a domain error into ResultPath as { Error, Cause }', async () => {
    let attempts = 0;
    const fns = functions({
      'send-requests': () => {
        attempts += 1;
        if (attempts < 3) throw new TransientFailure('SES throttled');
        return { sent: 3 };
      },
      'record-outcome': (payload) => {
        throw new CaseNotFound(`No case with id ${payload.caseId}`);
      },
    });
    const { client, service } = await serve({
      invoke: fns.invoke,
      machines: [
        machine('retry-and-catch', {
          StartAt: 'SendRequests',
          States: {
            SendRequests: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: 'send-requests', 'Payload.$': '$' },
              ResultSelector: { 'sent.$': '$.Payload.sent' },
              ResultPath: '$.requests',
              Retry: [
                { ErrorEquals: ['CaseNotFound'], MaxAttempts: 0 },
                {
                  ErrorEquals: ['TransientFailure'],
                  IntervalSeconds: 30,
                  MaxAttempts: 3,
                  BackoffRate: 2,
                  JitterStrategy: 'FULL',
                },
              ],
              Next: 'RecordOutcome',
            },
            RecordOutcome: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: 'record-outcome', 'Payload.$': '$' },
              Retry: [{ ErrorEquals: ['TransientFailure'], MaxAttempts: 5 }],
              Catch: [{ ErrorEquals: ['CaseNotFound'], ResultPath: '$.error', Next: 'RecordFailure' }],
              Next: 'Done',
            },
            RecordFailure: { Type: 'Pass', End: true },
            Done: { Type: 'Succeed' },
          },
        }),
      ],
    });
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: service.stateMachineArn('retry-and-catch'),
        input: JSON.stringify({ caseId: 'case-9' }),
      }),
    );
    await service.whenSettled();

    const described = await describeExecution(client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({
      caseId: 'case-9',
      requests: { sent: 3 },
      error: {
        Error: 'CaseNotFound',
        Cause: JSON.stringify({ errorType: 'CaseNotFound', errorMessage: 'No case with id case-9' }),
      },
    });
    expect(fns.calls.map((call) => call.name)).toEqual([
      'send-requests',
      'send-requests',
      'send-requests',
      'record-outcome',
    ]);
    const failures = (await history(client, executionArn!))
      .filter((event) => event.type === 'TaskFailed')
      .map((event) => event.taskFailedEventDetails?.error);
    expect(failures).toEqual(['TransientFailure', 'TransientFailure', 'CaseNotFound']);
  });

  it('fails the execution with the error name and cause when nothing catches it', async () => {
    const fns = functions({
      'record-outcome': () => {
        throw new CaseNotFound('No case with id case-10');
      },
    });
    const { client, service } = await serve({
      invoke: fns.invoke,
      machines: [
        machine('uncaught', {
          StartAt: 'RecordOutcome',
          States: {
            RecordOutcome: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: 'record-outcome', 'Payload.$': '$' },
              End: true,
            },
          },
        }),
      ],
    });
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: service.stateMachineArn('uncaught') }),
    );
    await service.whenSettled();
    const described = await describeExecution(client, executionArn!);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('CaseNotFound');
    expect(JSON.parse(described.cause!)).toEqual({
      errorType: 'CaseNotFound',
      errorMessage: 'No case with id case-10',
    });
  });

  it('runs Waits and Lambda tasks inside Map iterations and Parallel branches', async () => {
    const fns = functions({ 'request-summary': (payload) => ({ requested: payload.agencyId }) });
    const { client, service, clock } = await serve({
      invoke: fns.invoke,
      machines: [
        machine('fan-out', {
          StartAt: 'RequestSummaries',
          States: {
            RequestSummaries: {
              Type: 'Map',
              ItemsPath: '$.agencies',
              ItemSelector: { 'agencyId.$': '$$.Map.Item.Value', 'dueAt.$': '$.dueAt' },
              ItemProcessor: {
                StartAt: 'RequestSummary',
                States: {
                  RequestSummary: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::lambda:invoke',
                    Parameters: { FunctionName: 'request-summary', 'Payload.$': '$' },
                    ResultSelector: { 'requested.$': '$.Payload.requested' },
                    ResultPath: '$.request',
                    Next: 'WaitForSummary',
                  },
                  WaitForSummary: { Type: 'Wait', TimestampPath: '$.dueAt', End: true },
                },
              },
              ResultPath: '$.requests',
              Next: 'Chase',
            },
            Chase: {
              Type: 'Parallel',
              Branches: [
                {
                  StartAt: 'RemindAfterADay',
                  States: { RemindAfterADay: { Type: 'Wait', Seconds: 86_400, End: true } },
                },
                {
                  StartAt: 'RemindAfterTwoDays',
                  States: { RemindAfterTwoDays: { Type: 'Wait', Seconds: 172_800, End: true } },
                },
              ],
              ResultPath: null,
              End: true,
            },
          },
        }),
      ],
    });
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: service.stateMachineArn('fan-out'),
        input: JSON.stringify({ agencies: ['police', 'health'], dueAt: days(3) }),
      }),
    );
    await service.whenSettled();
    expect(fns.calls.map((call) => call.payload)).toEqual([
      { agencyId: 'police', dueAt: days(3) },
      { agencyId: 'health', dueAt: days(3) },
    ]);
    expect(clock.pending().map((wake) => wake.at)).toEqual([new Date(days(3)), new Date(days(3))]);

    clock.advanceToNext();
    await service.whenSettled();
    expect(clock.pending()).toHaveLength(2);
    clock.advanceToNext();
    await service.whenSettled();
    expect((await describeExecution(client, executionArn!)).status).toBe('RUNNING');
    clock.advanceToNext();
    await service.whenSettled();

    const described = await describeExecution(client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!).requests).toEqual([
      { agencyId: 'police', dueAt: days(3), request: { requested: 'police' } },
      { agencyId: 'health', dueAt: days(3), request: { requested: 'health' } },
    ]);
    const types = (await history(client, executionArn!)).map((event) => event.type);
    expect(types.filter((type) => type === 'WaitStateEntered')).toHaveLength(4);
    expect(types).toContain('MapIterationSucceeded');
  });

  it('times a callback out when heartbeats stop, and an execution at its own TimeoutSeconds', async () => {
    const fns = functions({ 'collate-report': () => null });
    const { client, service, clock } = await serve({
      invoke: fns.invoke,
      machines: [
        machine('heartbeat', {
          StartAt: 'CollateReport',
          States: {
            CollateReport: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'collate-report', Payload: { 'taskToken.$': '$$.Task.Token' } },
              TimeoutSeconds: 86_400,
              HeartbeatSeconds: 3_600,
              Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.stalled', Next: 'Stalled' }],
              End: true,
            },
            Stalled: { Type: 'Pass', End: true },
          },
        }),
        machine('slow', {
          TimeoutSeconds: 3_600,
          StartAt: 'WaitTooLong',
          States: { WaitTooLong: { Type: 'Wait', Seconds: 86_400, End: true } },
        }),
      ],
    });
    const heartbeat = await client.send(
      new StartExecutionCommand({ stateMachineArn: service.stateMachineArn('heartbeat') }),
    );
    const slow = await client.send(
      new StartExecutionCommand({ stateMachineArn: service.stateMachineArn('slow') }),
    );
    await service.whenSettled();
    const taskToken = fns.calls[0]!.payload.taskToken as string;
    const heartbeatDeadline = () =>
      clock
        .pending()
        .find((wake) => wake.label?.includes('CollateReport'))
        ?.at.getTime() ?? Number.NaN;
    const firstHeartbeatDeadline = heartbeatDeadline();
    expect(firstHeartbeatDeadline - start.getTime()).toBeLessThan(2 * 3_600_000);

    clock.advanceBy('PT50M');
    await client.send(new SendTaskHeartbeatCommand({ taskToken }));
    // The heartbeat pushed the deadline out by the 50 minutes that had passed.
    expect(heartbeatDeadline()).toBeGreaterThanOrEqual(firstHeartbeatDeadline + 50 * 60_000);

    clock.advanceToNext();
    await service.whenSettled();
    expect((await describeExecution(client, slow.executionArn!)).status).toBe('TIMED_OUT');
    expect((await describeExecution(client, heartbeat.executionArn!)).status).toBe('RUNNING');

    clock.advanceToNext();
    await service.whenSettled();
    const described = await describeExecution(client, heartbeat.executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!).stalled.Error).toBe('States.HeartbeatTimeout');
    expect(clock.pending()).toEqual([]);
  });

  it('starts another state machine of the service with states:startExecution', async () => {
    const { client, service } = await serve({
      invoke: functions({}).invoke,
      machines: [
        machine(
          'rapid',
          {
            StartAt: 'StartPracticeReview',
            States: {
              StartPracticeReview: {
                Type: 'Task',
                Resource: 'arn:aws:states:::states:startExecution',
                Parameters: {
                  StateMachineArn: placeholder('PracticeReviewStateMachineArn'),
                  'Name.$': "States.Format('{}-lcspr', $.caseId)",
                  Input: {
                    'caseId.$': '$.caseId',
                    'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
                  },
                },
                ResultSelector: { 'executionArn.$': '$.ExecutionArn' },
                ResultPath: '$.practiceReview',
                End: true,
              },
            },
          },
          {
            PracticeReviewStateMachineArn:
              'arn:aws:states:eu-west-2:123456789012:stateMachine:practice-review',
          },
        ),
        machine('practice-review', {
          StartAt: 'Commission',
          States: { Commission: { Type: 'Pass', End: true } },
        }),
      ],
    });
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: service.stateMachineArn('rapid'),
        input: JSON.stringify({ caseId: 'case-12' }),
      }),
    );
    await service.whenSettled();

    const childArn = 'arn:aws:states:eu-west-2:123456789012:execution:practice-review:case-12-lcspr';
    expect(JSON.parse((await describeExecution(client, executionArn!)).output!)).toEqual({
      caseId: 'case-12',
      practiceReview: { executionArn: childArn },
    });
    const child = await describeExecution(client, childArn);
    expect(child.status).toBe('SUCCEEDED');
    expect(JSON.parse(child.input!)).toEqual({
      caseId: 'case-12',
      AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: executionArn,
    });
  });

  it('treats ResultPath "$" as replacing the whole state output, as AWS does', async () => {
    const { client, service } = await serve({
      invoke: functions({ 'plan-timetable': () => ({ day1: days(1) }) }).invoke,
      machines: [
        machine('replace', {
          StartAt: 'PlanTimetable',
          States: {
            PlanTimetable: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: 'plan-timetable', 'Payload.$': '$' },
              ResultSelector: { 'day1.$': '$.Payload.day1' },
              ResultPath: '$',
              End: true,
            },
          },
        }),
      ],
    });
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: service.stateMachineArn('replace'),
        input: '{"caseId":"c"}',
      }),
    );
    await service.whenSettled();
    expect(JSON.parse((await describeExecution(client, executionArn!)).output!)).toEqual({ day1: days(1) });
  });

  it('answers a repeated StartExecution like AWS: same input is idempotent, different input is ExecutionAlreadyExists', async () => {
    const { client, service } = await serve({
      invoke: functions({}).invoke,
      machines: [
        machine('wait-a-day', {
          StartAt: 'WaitADay',
          States: { WaitADay: { Type: 'Wait', Seconds: 86_400, End: true } },
        }),
      ],
    });
    const stateMachineArn = service.stateMachineArn('wait-a-day');
    const request = { stateMachineArn, name: 'case-5', input: JSON.stringify({ caseId: 'case-5' }) };

    const first = await client.send(new StartExecutionCommand(request));
    const repeated = await client.send(new StartExecutionCommand(request));
    expect(repeated.executionArn).toBe(first.executionArn);
    expect(repeated.startDate).toEqual(first.startDate);

    const different = await rejection(
      client.send(new StartExecutionCommand({ ...request, input: JSON.stringify({ caseId: 'case-6' }) })),
    );
    expect(different).toBeInstanceOf(ExecutionAlreadyExists);
    expect(different.name).toBe('ExecutionAlreadyExists');

    const listed = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    expect(listed.executions?.map((execution) => execution.name)).toEqual(['case-5']);

    const noMachine = await rejection(
      client.send(new StartExecutionCommand({ stateMachineArn: service.stateMachineArn('no-such-machine') })),
    );
    expect(noMachine.name).toBe('StateMachineDoesNotExist');
    const noExecution = await rejection(
      describeExecution(client, 'arn:aws:states:eu-west-2:123456789012:execution:wait-a-day:nobody'),
    );
    expect(noExecution.name).toBe('ExecutionDoesNotExist');
  });

  it('resumes running executions from the data directory after a restart, re-issuing callback tokens', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'local-sfn-'));
    directories.push(directory);
    const dataDirectory = join(directory, 'data');
    const clockPath = join(directory, 'clock.json');
    const fns = functions({ 'plan-timetable': () => ({ day1: days(1) }), 'await-decision': () => null });
    const machines = [
      machine('review', {
        StartAt: 'PlanTimetable',
        States: {
          PlanTimetable: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'plan-timetable', 'Payload.$': '$' },
            ResultSelector: { 'day1.$': '$.Payload.day1' },
            ResultPath: '$.plan',
            Next: 'WaitForDay1',
          },
          WaitForDay1: { Type: 'Wait', TimestampPath: '$.plan.day1', Next: 'AwaitDecision' },
          AwaitDecision: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'await-decision', Payload: { 'taskToken.$': '$$.Task.Token' } },
            TimeoutSeconds: 7 * 86_400,
            ResultPath: '$.decision',
            End: true,
          },
        },
      }),
    ];

    const firstRun = await serve({ invoke: fns.invoke, machines, dataDirectory, clock: newClock(clockPath) });
    const { executionArn } = await firstRun.client.send(
      new StartExecutionCommand({
        stateMachineArn: firstRun.service.stateMachineArn('review'),
        name: 'case-7',
      }),
    );
    await firstRun.service.whenSettled();
    await firstRun.service.stop();
    firstRun.clock.dispose();

    const secondRun = await serve({
      invoke: fns.invoke,
      machines,
      dataDirectory,
      clock: newClock(clockPath),
    });
    await secondRun.service.whenSettled();
    expect(secondRun.service.executions()).toMatchObject([{ executionArn, status: 'RUNNING' }]);
    // Resumed at the Wait, not from the start: the timetable was planned once.
    expect(fns.calls.map((call) => call.name)).toEqual(['plan-timetable']);
    expect(secondRun.clock.pending()).toEqual([
      { at: new Date(days(1)), label: expect.stringContaining('WaitForDay1') },
    ]);
    secondRun.clock.advanceToNext();
    await secondRun.service.whenSettled();
    const firstToken = fns.calls[1]?.payload.taskToken as string;
    expect(fns.calls.map((call) => call.name)).toEqual(['plan-timetable', 'await-decision']);
    await secondRun.service.stop();
    secondRun.clock.dispose();

    const thirdRun = await serve({ invoke: fns.invoke, machines, dataDirectory, clock: newClock(clockPath) });
    await thirdRun.service.whenSettled();
    expect(thirdRun.clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse(days(1)));
    const secondToken = fns.calls[2]?.payload.taskToken as string;
    expect(fns.calls.map((call) => call.name)).toEqual([
      'plan-timetable',
      'await-decision',
      'await-decision',
    ]);
    expect(secondToken).not.toBe(firstToken);

    const stale = await rejection(
      thirdRun.client.send(new SendTaskSuccessCommand({ taskToken: firstToken, output: '{}' })),
    );
    expect(stale.name).toBe('TaskDoesNotExist');
    await thirdRun.client.send(
      new SendTaskSuccessCommand({ taskToken: secondToken, output: JSON.stringify({ decidedAt: days(2) }) }),
    );
    await thirdRun.service.whenSettled();

    const described = await describeExecution(thirdRun.client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({
      plan: { day1: days(1) },
      decision: { decidedAt: days(2) },
    });
    const types = (await history(thirdRun.client, executionArn!)).map((event) => event.type);
    expect(types.filter((type) => type === 'ExecutionStarted')).toHaveLength(1);
    expect(types.filter((type) => type === 'WaitStateEntered')).toHaveLength(2);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });

  it('refuses at start-up a definition with a placeholder nobody substitutes, naming it', async () => {
    const definition = machine('broken', {
      StartAt: 'Plan',
      States: {
        Plan: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: placeholder('PlanTimetableFunctionArn'), 'Payload.$': '$' },
          End: true,
        },
      },
    });
    await expect(
      startLocalStepFunctions({
        clock: newClock(),
        stateMachines: [definition],
        invokeFunction: functions({}).invoke,
      }),
    ).rejects.toThrow(/broken.*\$\{PlanTimetableFunctionArn\}/);
  });

  it('refuses at start-up a definition the local engine cannot run', async () => {
    const definition = machine('jsonata', {
      QueryLanguage: 'JSONata',
      StartAt: 'Done',
      States: { Done: { Type: 'Succeed' } },
    });
    await expect(
      startLocalStepFunctions({
        clock: newClock(),
        stateMachines: [definition],
        invokeFunction: functions({}).invoke,
      }),
    ).rejects.toThrow(/JSONata/);
  });
});
