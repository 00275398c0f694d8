import middy from '@middy/core';
import { documentsFromEnvironment, uploadsFromEnvironment } from '../../shared/adapters/documents.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { type RecordSummaryOutcome, recordUploadEvent } from '../../shared/use-cases/record-summary.ts';
import { taskErrors } from '../../shared/workflow/task-handler.ts';

const service = environmentService({
  cases: caseStoreFromEnvironment,
  uploads: uploadsFromEnvironment,
  documents: documentsFromEnvironment,
});

/**
 * Uploads to the agency upload bucket. On AWS, GuardDuty's "Object Scan Result" event
 * (EventBridge) drives it, so only a file scanned clean reaches the case documents; where there
 * is no scanner (the local stack), the bucket's own ObjectCreated event drives the same checks and
 * the file is recorded as not scanned. Errors are thrown (an unexpected one logged once), so the
 * event is retried, and every step is safe to repeat.
 */
export const handler = middy<unknown, RecordSummaryOutcome[]>()
  .use(taskErrors('record-summary'))
  .handler((event) => recordUploadEvent(service, event));
