import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FunctionName, functionArnPlaceholder } from '../../functions/catalogue.ts';
import {
  type LocalReviewTaskName,
  localReviewTaskContracts,
  type ScheduleLocalReviewWaitResult,
} from '../../shared/workflow/local-review-contracts.ts';
import { failing } from './support/fake-workflow-functions.ts';
import {
  LocalReviewWorkflow,
  localReviewFunctionNames,
  readLocalReviewAsl,
} from './support/local-review-harness.ts';
import type { AslDefinition, AslState } from './support/rapid-review-definition.ts';

const definition = JSON.parse(readLocalReviewAsl()) as AslDefinition;
const lambdaTasks = Object.entries(definition.States).filter(
  ([, state]) => state.Type === 'Task' && state.Resource?.startsWith('arn:aws:states:::lambda:invoke'),
);

function functionInvokedBy(state: AslState): FunctionName | undefined {
  const placeholder = /^\$\{(\w+)\}$/.exec(state.Parameters?.FunctionName ?? '')?.[1];
  return localReviewFunctionNames.find((name) => functionArnPlaceholder(name) === placeholder);
}

/** The only values a payload may take from the execution: ids, attempts, tokens and caught errors. */
const allowedPayloadSources = new Set([
  '$.reviewId',
  '$.requestNumber',
  '$.roundNumber',
  '$.phase',
  '$.generation',
  '$$.Execution.StartTime',
  '$.wait.attempt',
  '$$.Task.Token',
  '$$.Execution.Id',
  '$.failure.Error',
  '$.failure.Cause',
]);

describe('the local-review state machine definition', () => {
  it('uses only the placeholders of its workflow functions and its own ARN, in JSONPath', () => {
    const placeholders = new Set([...readLocalReviewAsl().matchAll(/\$\{(\w*)\}/g)].map((match) => match[1]));
    const expected = new Set([
      ...localReviewFunctionNames.map(functionArnPlaceholder),
      'LocalReviewStateMachineArn',
    ]);

    expect(readLocalReviewAsl()).not.toContain('JSONata');
    expect(placeholders).toEqual(expected);
  });

  it('invokes every local-review function of the catalogue, and has a contract for each and no other', () => {
    const invoked = new Set(lambdaTasks.map(([, state]) => functionInvokedBy(state)));

    for (const name of localReviewFunctionNames) expect(invoked, name).toContain(name);
    expect(Object.keys(localReviewTaskContracts).sort()).toEqual([...localReviewFunctionNames].sort());
  });

  it('hands each function exactly the payload its contract validates, carrying only ids, attempts and tokens', () => {
    for (const [name, state] of lambdaTasks) {
      const contract = localReviewTaskContracts[functionInvokedBy(state) as LocalReviewTaskName];
      const payload = state.Parameters?.Payload ?? {};
      const keys = Object.keys(payload).map((key) => key.replace(/\.\$$/, ''));

      const shape = contract.payload.shape as Record<
        string,
        { safeParse(value: unknown): { success: boolean } }
      >;
      expect(Object.keys(shape), name).toEqual(expect.arrayContaining(keys));
      // A key the state leaves out is one its contract may do without.
      for (const missing of Object.keys(shape).filter((key) => !keys.includes(key))) {
        expect(shape[missing]!.safeParse(undefined).success, `${name}.${missing}`).toBe(true);
      }
      const leaves = Object.entries(payload).flatMap(([key, value]) =>
        typeof value === 'object' && value !== null
          ? Object.entries(value).map(([inner, leaf]) => [`${key}.${inner}`, leaf] as const)
          : [[key, value] as const],
      );
      for (const [key, value] of leaves) {
        if (key.endsWith('.$')) expect(allowedPayloadSources, `${name}.${key}`).toContain(value);
        else expect(['number', 'string'], `${name}.${key}`).toContain(typeof value);
      }
    }
  });

  it('gives every callback a timeout, retries transient errors only, and records every other failure', () => {
    for (const [name, state] of lambdaTasks) {
      if (state.Resource?.endsWith('waitForTaskToken')) {
        expect(state.TimeoutSecondsPath, name).toBe('$.wait.timeoutSeconds');
        expect(state.Catch?.[0], name).toMatchObject({ ErrorEquals: ['States.Timeout'] });
      }
      expect(state.Retry?.[0]?.ErrorEquals, name).toContain('Transient');
      expect(state.Retry?.[0]?.ErrorEquals, name).not.toContain('States.ALL');
      expect(state.Retry?.[0]?.JitterStrategy, name).toBe('FULL');
      // A request's or a round's chasing records its failure as its own (only that chasing stops).
      const recordedBy: Record<string, string> = {
        ChaseInformationRequest: 'RecordRequestChaseFailure',
        ChaseFactualAccuracy: 'RecordRoundChaseFailure',
      };
      if (name === 'RecordRequestChaseFailure' || name === 'RecordRoundChaseFailure') {
        expect(state.Catch?.at(-1), name).toEqual({
          ErrorEquals: ['States.ALL'],
          ResultPath: '$.recordFailureError',
          Next: 'ChaseFailed',
        });
      } else if (name !== 'RecordFailure') {
        expect(state.Catch?.at(-1), name).toEqual({
          ErrorEquals: ['States.ALL'],
          ResultPath: '$.failure',
          Next: recordedBy[name] ?? 'RecordFailure',
        });
      }
    }
  });
});

/** What a task answers while the execution's span is not spent. */
const stayInThisExecution = { continueAsNew: false, nextExecutionName: 'unused', nextGeneration: 1 };
/** What plan-publication answers: held back (look again at `nextAt`) or not (the notice is due at `nextAt`). */
const planned = (held: boolean, nextAt: string) => ({ held, nextAt, ...stayInThisExecution });

/** When each wait of a milestone ends, attempt by attempt (the last repeats). */
type WaitPlan = Record<'completion' | 'publication' | 'minimum-period', string[]>;

const onTimePlan: WaitPlan = {
  // The reminders three months and one month before the target, then the target itself.
  completion: ['2026-06-02T08:00:00.000Z', '2026-08-03T08:00:00.000Z', '2026-09-02T16:00:00.000Z'],
  publication: ['2026-10-01T16:00:00.000Z', '2026-10-08T16:00:00.000Z'],
  'minimum-period': ['2027-09-01T08:00:00.000Z'],
};
/** The notice before publication, seven working days before 1 October 2026. */
const noticeAt = '2026-09-22T08:00:00.000Z';

describe('a local review on the local engine', () => {
  let workflow: LocalReviewWorkflow;
  const reviewId = '6a1f2c3d-4e5f-4a6b-8c7d-00000000c001';

  beforeEach(async () => {
    workflow = await LocalReviewWorkflow.start();
  });
  afterEach(async () => {
    await workflow.stop();
  });

  function planWaits(plan: WaitPlan): void {
    workflow.functions.answer('schedule-local-review-wait', (payload): ScheduleLocalReviewWaitResult => {
      const attempt = Number(payload.previousAttempt) + 1;
      const times = plan[payload.milestone as keyof WaitPlan];
      const dueAt = times[Math.min(attempt, times.length) - 1] as string;
      const seconds = Math.ceil((Date.parse(dueAt) - workflow.clock.now().getTime()) / 1000);
      return { attempt, dueAt, timeoutSeconds: Math.max(1, seconds), ...stayInThisExecution };
    });
  }

  /** Answers in turn, the last one repeating. */
  function inTurn(...answers: unknown[]) {
    let calls = 0;
    return () => answers[Math.min(calls++, answers.length - 1)];
  }

  const chaseOutcomes = () =>
    workflow.functions.callsTo('chase-local-review').map((call) => ({
      milestone: call.payload.milestone,
      attempt: call.payload.attempt,
      at: call.at.toISOString(),
    }));

  it('on time: reminds the team before the target, sends the notice before publication, and watches the minimum period', async () => {
    planWaits(onTimePlan);
    workflow.functions.answer('chase-local-review', () => ({ outcome: 'reminded' }));
    workflow.functions.answer('plan-publication', () => planned(false, noticeAt));
    workflow.functions.answer('send-pre-publication-notice', () => ({ outcome: 'sent' }));
    workflow.functions.answer('alert-minimum-period', () => ({ endsOn: '2027-10-01' }));
    const executionArn = await workflow.startReview(reviewId);

    await workflow.advanceToNext();
    await workflow.advanceToNext();
    await workflow.complete('completion');
    expect(chaseOutcomes()).toEqual([
      { milestone: 'completion', attempt: 1, at: onTimePlan.completion[0] },
      { milestone: 'completion', attempt: 2, at: onTimePlan.completion[1] },
    ]);

    expect(await workflow.advanceToNext()).toEqual(new Date(noticeAt));
    expect(
      workflow.functions.callsTo('send-pre-publication-notice').map((call) => call.at.toISOString()),
    ).toEqual([noticeAt]);
    await workflow.complete('publication');

    expect(await workflow.status(executionArn)).toBe('SUCCEEDED');
    expect((await workflow.statesEntered(executionArn)).slice(-9)).toEqual([
      'PlanPublication',
      'PublicationHeld',
      'WaitForPrePublicationNotice',
      'SendPrePublicationNotice',
      'HeldAtNotice',
      'SchedulePublicationWait',
      'AwaitPublication',
      'StartMinimumPeriodWatch',
      'Published',
    ]);
    const watch = workflow.executionArnOf(`${reviewId}-minimum-period`);
    expect(await workflow.status(watch)).toBe('RUNNING');

    expect(await workflow.advanceToNext()).toEqual(new Date(onTimePlan['minimum-period'][0] as string));
    expect(workflow.functions.callsTo('alert-minimum-period')).toHaveLength(1);
    expect(await workflow.status(watch)).toBe('SUCCEEDED');
    expect(workflow.functions.names()).not.toContain('record-local-review-failure');
  });

  it('late with a reason: past the target the review is late, not failed, and is chased until the final report is ready', async () => {
    planWaits({
      ...onTimePlan,
      completion: [...onTimePlan.completion, '2026-09-09T16:00:00.000Z', '2026-09-16T16:00:00.000Z'],
    });
    workflow.functions.answer(
      'chase-local-review',
      inTurn({ outcome: 'reminded' }, { outcome: 'reminded' }, { outcome: 'late' }),
    );
    workflow.functions.answer('plan-publication', () => planned(false, '2026-10-20T08:00:00.000Z'));
    workflow.functions.answer('send-pre-publication-notice', () => ({ outcome: 'sent' }));
    const executionArn = await workflow.startReview(reviewId);

    for (let jump = 0; jump < 4; jump++) await workflow.advanceToNext();

    expect(chaseOutcomes().slice(2)).toEqual([
      { milestone: 'completion', attempt: 3, at: '2026-09-02T16:00:00.000Z' },
      { milestone: 'completion', attempt: 4, at: '2026-09-09T16:00:00.000Z' },
    ]);
    expect(await workflow.status(executionArn)).toBe('RUNNING');
    expect((await workflow.statesEntered(executionArn)).at(-1)).toBe('AwaitCompletion');

    await workflow.complete('completion');
    expect((await workflow.statesEntered(executionArn)).at(-1)).toBe('WaitForPrePublicationNotice');
    expect(workflow.functions.names()).not.toContain('record-local-review-failure');
  });

  it('publication held back by a criminal trial: no notice while it is open, then the notice and the publication', async () => {
    planWaits(onTimePlan);
    workflow.functions.answer('chase-local-review', () => ({ outcome: 'reminded' }));
    workflow.functions.answer(
      'plan-publication',
      inTurn(
        planned(true, '2026-08-10T16:00:00.000Z'),
        planned(true, '2026-08-17T16:00:00.000Z'),
        planned(false, noticeAt),
      ),
    );
    workflow.functions.answer('send-pre-publication-notice', () => ({ outcome: 'sent' }));
    const executionArn = await workflow.startReview(reviewId);
    await workflow.advanceToNext();
    await workflow.advanceToNext();
    await workflow.complete('completion');

    expect(workflow.functions.callsTo('send-pre-publication-notice')).toHaveLength(0);
    expect(await workflow.advanceToNext()).toEqual(new Date('2026-08-10T16:00:00.000Z'));
    expect(workflow.functions.callsTo('send-pre-publication-notice')).toHaveLength(0);
    expect(await workflow.advanceToNext()).toEqual(new Date('2026-08-17T16:00:00.000Z'));
    expect(await workflow.advanceToNext()).toEqual(new Date(noticeAt));

    expect(workflow.functions.callsTo('plan-publication')).toHaveLength(3);
    expect(workflow.functions.callsTo('send-pre-publication-notice')).toHaveLength(1);
    const entered = await workflow.statesEntered(executionArn);
    expect(entered.filter((state) => state === 'WaitWhileHeld')).toHaveLength(2);
    expect(entered.indexOf('SendPrePublicationNotice')).toBeGreaterThan(entered.lastIndexOf('WaitWhileHeld'));

    await workflow.complete('publication');
    expect(await workflow.status(executionArn)).toBe('SUCCEEDED');
  });

  it('a trial that opens after the notice holds publication back again when the planned date passes', async () => {
    planWaits(onTimePlan);
    workflow.functions.answer('chase-local-review', inTurn({ outcome: 'held' }, { outcome: 'chased' }));
    workflow.functions.answer(
      'plan-publication',
      inTurn(planned(false, noticeAt), planned(true, '2026-10-08T16:00:00.000Z')),
    );
    workflow.functions.answer('send-pre-publication-notice', () => ({ outcome: 'sent' }));
    const executionArn = await workflow.startReview(reviewId);
    await workflow.complete('completion');
    await workflow.advanceToNext();
    // The planned date passes while the trial is open.
    await workflow.advanceToNext();

    const entered = await workflow.statesEntered(executionArn);
    expect(entered.slice(-5)).toEqual([
      'ChasePublication',
      'PublishedAfterChase',
      'PlanPublication',
      'PublicationHeld',
      'WaitWhileHeld',
    ]);
    expect(await workflow.status(executionArn)).toBe('RUNNING');
  });

  it('finds the watch over the minimum period already started (a retry) and still succeeds', async () => {
    planWaits(onTimePlan);
    workflow.functions.answer('plan-publication', () => planned(false, noticeAt));
    workflow.functions.answer('send-pre-publication-notice', () => ({ outcome: 'sent' }));
    await workflow.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: workflow.stateMachineArn,
        name: `${reviewId}-minimum-period`,
        input: JSON.stringify({ reviewId, phase: 'minimum-period', generation: 0 }),
      }),
    );
    const executionArn = await workflow.startReview(reviewId);
    await workflow.complete('completion');
    await workflow.advanceToNext();
    await workflow.complete('publication');

    expect(await workflow.status(executionArn)).toBe('SUCCEEDED');
    expect((await workflow.statesEntered(executionArn)).at(-1)).toBe('Published');
  });

  it('continues in a new execution, by name, when a wait would outlast the execution’s year', async () => {
    planWaits(onTimePlan);
    const spanEnd = '2027-01-26T10:00:00.000Z';
    workflow.functions.answer('schedule-local-review-wait', (payload): ScheduleLocalReviewWaitResult => {
      const generation = Number(payload.generation);
      const dueAt = generation === 0 ? spanEnd : '2027-03-02T16:00:00.000Z';
      const seconds = Math.ceil((Date.parse(dueAt) - workflow.clock.now().getTime()) / 1000);
      return {
        attempt: Number(payload.previousAttempt) + 1,
        dueAt,
        timeoutSeconds: Math.max(1, seconds),
        continueAsNew: generation === 0,
        nextExecutionName: `${reviewId}-g${generation + 1}`,
        nextGeneration: generation + 1,
      };
    });
    const first = await workflow.startReview(reviewId);

    expect(await workflow.advanceToNext()).toEqual(new Date(spanEnd));

    expect(await workflow.status(first)).toBe('SUCCEEDED');
    expect((await workflow.statesEntered(first)).slice(-3)).toEqual([
      'CompletionWaitEnded',
      'ContinueAsNew',
      'ContinuedAsNew',
    ]);
    expect(workflow.functions.names()).not.toContain('chase-local-review');
    const next = workflow.executionArnOf(`${reviewId}-g1`);
    expect(await workflow.status(next)).toBe('RUNNING');
    expect((await workflow.statesEntered(next)).at(-1)).toBe('AwaitCompletion');
    expect(workflow.functions.callsTo('schedule-local-review-wait').at(-1)?.payload).toMatchObject({
      reviewId,
      phase: 'review',
      generation: 1,
    });
  });

  it('continues a long hold in a new execution at the end of the execution’s span', async () => {
    planWaits(onTimePlan);
    const spanEnd = '2027-01-26T10:00:00.000Z';
    workflow.functions.answer('plan-publication', () => ({
      held: true,
      nextAt: spanEnd,
      continueAsNew: true,
      nextExecutionName: `${reviewId}-g1`,
      nextGeneration: 1,
    }));
    const first = await workflow.startReview(reviewId);
    await workflow.complete('completion');

    expect(await workflow.advanceToNext()).toEqual(new Date(spanEnd));

    expect(await workflow.status(first)).toBe('SUCCEEDED');
    expect((await workflow.statesEntered(first)).slice(-4)).toEqual([
      'PublicationHeld',
      'WaitBeforeContinuing',
      'ContinueAsNewFromPlanning',
      'ContinuedAsNew',
    ]);
    expect(await workflow.status(workflow.executionArnOf(`${reviewId}-g1`))).toBe('RUNNING');
  });

  it('records an unrecoverable failure on the review before the execution fails', async () => {
    planWaits(onTimePlan);
    workflow.functions.answer('plan-publication', failing('LocalReviewNotReady'));
    workflow.functions.answer('record-local-review-failure', () => ({ step: 'PlanPublication' }));
    const executionArn = await workflow.startReview(reviewId);
    await workflow.complete('completion');

    expect(await workflow.status(executionArn)).toBe('FAILED');
    expect(workflow.functions.callsTo('record-local-review-failure')[0]?.payload).toMatchObject({
      reviewId,
      error: 'LocalReviewNotReady',
    });
  });
});
