import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmailClaimHeldError } from '../../../shared/adapters/mailer.ts';
import { CaseNotFoundError, StaleWriteError } from '../../../shared/errors.ts';
import { currentInvocation } from '../../../shared/invocation.ts';
import { logInfo } from '../../../shared/log.ts';
import { workflowTaskContracts } from '../../../shared/workflow/contracts.ts';
import { isTransient, taskHandler } from '../../../shared/workflow/task-handler.ts';
import { captureOutput } from '../../support/log-lines.ts';

const CASE_ID = '5d0c3a8e-0000-4000-8000-000000000001';
const contract = workflowTaskContracts['distribute-papers'];

/** An error as a network failure or the SDK would throw it. */
function errorWith(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} (invented for a test)`), { name }, extra);
}

describe('the workflow task handler', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands the logic the payload its contract validates and answers the result', async () => {
    const logic = vi.fn(async () => ({ recipients: 3 }));
    const handler = taskHandler('distribute-papers', contract, logic);

    const result = await handler({ caseId: CASE_ID }, {} as never);

    expect(result).toEqual({ recipients: 3 });
    expect(logic).toHaveBeenCalledWith({ caseId: CASE_ID });
  });

  it('runs the logic within its invocation: its id, and its deadline by the wall clock from the time Lambda says is left', async () => {
    let seen: ReturnType<typeof currentInvocation>;
    const handler = taskHandler('distribute-papers', contract, async () => {
      seen = currentInvocation();
      return { recipients: 1 };
    });
    const before = Date.now();

    await handler({ caseId: CASE_ID }, {
      awsRequestId: 'invented-request',
      getRemainingTimeInMillis: () => 5_000,
    } as never);

    expect(seen?.id).toBe('invented-request');
    expect(seen!.deadline).toBeGreaterThanOrEqual(before + 5_000);
    expect(seen!.deadline).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(currentInvocation()).toBeUndefined();
  });

  it('keys every line the task logs by its case, its execution and its step, until the invocation ends', async () => {
    const output = captureOutput();
    const execution = `arn:aws:states:eu-west-2:000000000000:execution:rapid-review:${CASE_ID}`;
    const handler = taskHandler('distribute-papers', contract, async () => {
      logInfo('Papers out (invented)');
      return { recipients: 1 };
    });

    await handler({ caseId: CASE_ID, execution, step: 'DistributePapers' }, {} as never);
    logInfo('After the invocation (invented)');

    const [during, done, after] = output.records().filter((record) => record.level === 'INFO');
    expect(during).toMatchObject({
      message: 'Papers out (invented)',
      service: 'safeguarding-reviews',
      caseId: CASE_ID,
      execution,
      step: 'DistributePapers',
    });
    expect(done).toMatchObject({
      message: 'Step done',
      task: 'distribute-papers',
      recipients: 1,
      caseId: CASE_ID,
      step: 'DistributePapers',
    });
    expect(after).toMatchObject({ message: 'After the invocation (invented)' });
    expect(after).not.toHaveProperty('caseId');
    expect(after).not.toHaveProperty('step');
  });

  it('throws an email claim another attempt still holds as Transient, which the ASL retries', async () => {
    const handler = taskHandler('distribute-papers', contract, async () => {
      throw new EmailClaimHeldError('Claimed by another attempt (invented)');
    });

    await expect(handler({ caseId: CASE_ID }, {} as never)).rejects.toMatchObject({ name: 'Transient' });
  });

  it('refuses a payload that breaks the contract, naming the field, without running the logic, logging it once', async () => {
    const logic = vi.fn(async () => ({ recipients: 0 }));
    const handler = taskHandler('distribute-papers', contract, logic);
    const output = captureOutput();

    await expect(handler({ caseId: 'not-a-case-id' }, {} as never)).rejects.toMatchObject({
      name: 'InvalidTaskPayload',
      message: expect.stringContaining('caseId'),
    });
    expect(logic).not.toHaveBeenCalled();
    // Logged once, under the case the state machine named, though the payload failed its check.
    expect(output.errors()).toMatchObject([{ error: 'InvalidTaskPayload', caseId: 'not-a-case-id' }]);
  });

  it('checks the result at run time: a result that breaks the contract fails the task, logged once', async () => {
    const output = captureOutput();
    const handler = taskHandler('distribute-papers', contract, async () => ({ recipients: -1 }));

    await expect(handler({ caseId: CASE_ID }, {} as never)).rejects.toMatchObject({
      name: 'InvalidTaskResult',
      message: expect.stringContaining('recipients'),
    });
    expect(output.errors()).toHaveLength(1);
    expect(output.errors()[0]).toMatchObject({
      message: 'Unexpected error',
      error: 'InvalidTaskResult',
      task: 'distribute-papers',
      caseId: CASE_ID,
    });
  });

  it.each([
    ['a write that lost a race', new StaleWriteError('changed since read')],
    [
      'DynamoDB throttling',
      new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }),
    ],
    ['a server error by status', errorWith('SomethingNew', { $metadata: { httpStatusCode: 503 } })],
    ['an error the SDK marks retryable', errorWith('SomethingElse', { $retryable: {} })],
    ['a client-side timeout', errorWith('TimeoutError')],
    ['a dropped connection', errorWith('Error', { code: 'ECONNRESET' })],
  ])('turns %s into the one Transient error the ASL retries, keeping the original name', async (_, error) => {
    const handler = taskHandler('distribute-papers', contract, async () => {
      throw error;
    });

    const failing = handler({ caseId: CASE_ID }, {} as never);

    await expect(failing).rejects.toMatchObject({ name: 'Transient' });
    await expect(failing).rejects.toHaveProperty('message', expect.stringContaining(error.name));
  });

  it('lets a domain error through by its own name, unlogged, for the ASL to catch', async () => {
    const output = captureOutput();
    const handler = taskHandler('distribute-papers', contract, async () => {
      throw new CaseNotFoundError(CASE_ID);
    });

    await expect(handler({ caseId: CASE_ID }, {} as never)).rejects.toMatchObject({ name: 'CaseNotFound' });
    expect(output.errors()).toEqual([]);
  });

  it('logs an unexpected error once, by name and where it was thrown, never its message, and throws it on', async () => {
    const output = captureOutput();
    const handler = taskHandler('distribute-papers', contract, async () => {
      throw new TypeError('Cannot read a property of Demo Child One');
    });

    await expect(handler({ caseId: CASE_ID }, {} as never)).rejects.toBeInstanceOf(TypeError);
    expect(output.errors()).toHaveLength(1);
    const line = JSON.stringify(output.errors()[0]);
    expect(JSON.parse(line)).toMatchObject({
      error: 'TypeError',
      task: 'distribute-papers',
      caseId: CASE_ID,
    });
    expect(line).toContain('task-handler.test.ts');
    expect(line).not.toContain('Demo Child One');
  });

  it('does not call a refused condition or a missing record transient', () => {
    expect(isTransient(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))).toBe(false);
    expect(isTransient(new CaseNotFoundError(CASE_ID))).toBe(false);
    expect(isTransient(errorWith('ValidationException', { $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isTransient('not an error')).toBe(false);
  });
});
