import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { StepFunctionsExecutions } from '../../../shared/adapters/workflow-executions.ts';

const STATE_MACHINE = 'arn:aws:states:eu-west-2:111122223333:stateMachine:RapidReview';
const client = new SFNClient({ region: 'eu-west-2' });
const sfn = mockClient(client);
const executions = new StepFunctionsExecutions(client, () => STATE_MACHINE);

describe('the workflow’s executions through the Step Functions API', () => {
  afterEach(() => sfn.reset());

  it('lists every page of executions of the one state machine', async () => {
    // Prepare
    sfn
      .on(ListExecutionsCommand, { nextToken: undefined })
      .resolves({
        executions: [{ name: 'a', status: 'RUNNING', startDate: new Date(1) }] as never,
        nextToken: 'p2',
      })
      .on(ListExecutionsCommand, { nextToken: 'p2' })
      .resolves({
        executions: [{ name: 'b', status: 'FAILED', startDate: new Date(2), stopDate: new Date(3) }] as never,
      });

    // Act
    const listed = await executions.list();

    // Assess
    expect(listed).toEqual([
      { name: 'a', status: 'RUNNING', startDate: new Date(1) },
      { name: 'b', status: 'FAILED', startDate: new Date(2), stopDate: new Date(3) },
    ]);
    expect(
      sfn
        .commandCalls(ListExecutionsCommand)
        .every((call) => call.args[0].input.stateMachineArn === STATE_MACHINE),
    ).toBe(true);
  });

  it('describes an execution by its name, and answers nothing for one that does not exist', async () => {
    sfn
      .on(DescribeExecutionCommand, {
        executionArn: 'arn:aws:states:eu-west-2:111122223333:execution:RapidReview:c1',
      })
      .resolves({
        name: 'c1',
        status: 'FAILED',
        startDate: new Date(1),
        error: 'E',
        cause: '{}',
        input: '{"caseId":"c1"}',
      })
      .on(DescribeExecutionCommand, {
        executionArn: 'arn:aws:states:eu-west-2:111122223333:execution:RapidReview:gone',
      })
      .rejects(Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' }));

    expect(await executions.describe('c1')).toMatchObject({
      name: 'c1',
      status: 'FAILED',
      error: 'E',
      redriveCount: 0,
    });
    expect(await executions.describe('gone')).toBeUndefined();
  });

  it('reads the latest events of a history newest first and answers them oldest first, flattened', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        {
          id: 3,
          type: 'TaskFailed',
          timestamp: new Date(3),
          taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'E', cause: 'C' },
        },
        {
          id: 2,
          type: 'TaskStateEntered',
          timestamp: new Date(2),
          stateEnteredEventDetails: { name: 'S', input: '{}' },
        },
      ],
      nextToken: 'more',
    });

    const events = await executions.history('c1', { latest: 2 });

    expect(events).toEqual([
      { id: 2, type: 'TaskStateEntered', timestamp: new Date(2), state: 'S', input: '{}' },
      { id: 3, type: 'TaskFailed', timestamp: new Date(3), error: 'E', cause: 'C' },
    ]);
    // Only the latest page was read.
    expect(sfn.commandCalls(GetExecutionHistoryCommand)).toHaveLength(1);
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[0]?.args[0].input).toMatchObject({
      reverseOrder: true,
      maxResults: 2,
    });
  });
});
