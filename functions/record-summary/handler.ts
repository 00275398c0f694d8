import middy from '@middy/core';
import { documentsFromEnvironment, uploadsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { observability } from '../../shared/observability.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import {
  isQueuedBatch,
  type QueuedBatchAnswer,
  type RecordSummaryOutcome,
  recordQueuedScanResults,
  recordUploadEvent,
} from '../../shared/use-cases/record-summary.ts';
import { taskErrors } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  cases: caseStoreFromEnvironment,
  uploads: uploadsFromEnvironment,
  documents: documentsFromEnvironment,
  mailer: mailerFromEnvironment,
});

/**
 * Uploads to the agency upload bucket. On AWS, GuardDuty's "Object Scan Result" event drives it,
 * through a queue (EventBridge to SQS), so only a file scanned clean reaches the case documents
 * and a result that cannot be recorded yet is delivered again, never lost; where there is no
 * scanner (the local stack), the bucket's own ObjectCreated event drives the same checks and the
 * file is recorded as not scanned. Errors are thrown (an unexpected one logged once), so the
 * event is retried, and every step is safe to repeat.
 */
export const handler = middy<unknown, RecordSummaryOutcome[] | QueuedBatchAnswer>()
  .use(observability<unknown, RecordSummaryOutcome[] | QueuedBatchAnswer>())
  .use(taskErrors('record-summary'))
  .handler((event) =>
    isQueuedBatch(event) ? recordQueuedScanResults(service, event) : recordUploadEvent(service, event),
  );
