import { describe, expect, it } from 'vitest';
import { prepareStateMachine } from '../../../local/stepfunctions/transform.ts';

const definition = JSON.stringify({
  StartAt: 'Step',
  States: {
    Step: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'step', Payload: {} },
      Retry: [
        {
          ErrorEquals: ['Transient'],
          IntervalSeconds: 2,
          MaxAttempts: 10,
          BackoffRate: 2,
          MaxDelaySeconds: 300,
          JitterStrategy: 'FULL',
        },
      ],
      End: true,
    },
  },
});

function retrierOf(options: { retryIntervalScale: number; retryJitter?: boolean }) {
  const prepared = prepareStateMachine('retry-shape', definition, {}, options);
  return (prepared.runnable.States.Step as { Retry: Record<string, unknown>[] }).Retry[0];
}

describe('the local engine’s retry shape', () => {
  it('keeps the jitter and scales the waits by default', () => {
    expect(retrierOf({ retryIntervalScale: 0.5 })).toEqual({
      ErrorEquals: ['Transient'],
      IntervalSeconds: 1,
      MaxAttempts: 10,
      BackoffRate: 2,
      MaxDelaySeconds: 150,
      JitterStrategy: 'FULL',
    });
  });

  it('drops the jitter when asked, so the waits are exactly the backoff', () => {
    expect(retrierOf({ retryIntervalScale: 0.02, retryJitter: false })).toEqual({
      ErrorEquals: ['Transient'],
      IntervalSeconds: 0.04,
      MaxAttempts: 10,
      BackoffRate: 2,
      MaxDelaySeconds: 6,
    });
  });
});
