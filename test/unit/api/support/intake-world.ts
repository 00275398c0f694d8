import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { intakeEndpoints } from '../../../../functions/intake/handler.ts';
import { apiHandler } from '../../../../shared/http/api-handler.ts';
import {
  apiEvent,
  InMemoryCaseStore,
  invoke,
  notifier,
  SettableClock,
  type TestCaller,
  testS3Client,
  testService,
} from './api-fixtures.ts';

/** What the intake tests drive: the intake handler over an in-memory store, S3 and Step Functions mocked. */
export interface IntakeWorld {
  store: InMemoryCaseStore;
  s3Client: ReturnType<typeof testS3Client>;
  s3: AwsClientStub<ReturnType<typeof testS3Client>>;
  sfn: AwsClientStub<SFNClient>;
  /** POST /api/notifications, as the notifier unless another caller (or none) is given. */
  submit(
    body: unknown,
    options?: { caller?: TestCaller; idempotencyKey?: string },
  ): ReturnType<typeof invoke>;
}

/**
 * A fresh intake world: S3 takes every put and delete, Step Functions starts every execution, and
 * today is Wednesday 4 March 2026 in London (the sample notification's incident was on Monday 2 March).
 */
export function intakeWorld(): IntakeWorld {
  const store = new InMemoryCaseStore();
  const s3Client = testS3Client();
  const s3 = mockClient(s3Client);
  s3.on(PutObjectCommand).resolves({});
  s3.on(DeleteObjectCommand).resolves({});
  const sfnClient = new SFNClient({ region: 'eu-west-2' });
  const sfn = mockClient(sfnClient);
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });
  const service = testService({
    store,
    clock: new SettableClock('2026-03-04T10:00:00Z'),
    s3: s3Client,
    sfn: sfnClient,
  });
  const handler = apiHandler('intake', intakeEndpoints(service));
  return {
    store,
    s3Client,
    s3,
    sfn,
    submit: (body, options = {}) =>
      invoke(
        handler,
        apiEvent({
          method: 'POST',
          path: '/api/notifications',
          routePath: '/api/notifications',
          body,
          caller: 'caller' in options ? options.caller : notifier,
          headers: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {},
        }),
      ),
  };
}

/** A 400 problem's errors by field. */
export function errorsOf(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    ((body.errors ?? []) as { field: string; message: string }[]).map((error) => [
      error.field,
      error.message,
    ]),
  );
}
