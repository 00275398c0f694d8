import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { uploadsFromEnvironment } from '../../shared/adapters/documents.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import {
  parseUploadBucketEvent,
  type RecordSummaryOutcome,
  recordSummary,
} from '../../shared/use-cases/record-summary.ts';
import { taskErrors } from '../../shared/workflow/task-handler.ts';

const service = environmentService({ cases: caseStoreFromEnvironment, uploads: uploadsFromEnvironment });

/**
 * ObjectCreated events from the agency upload bucket. Records are handled one after another;
 * errors are thrown (an unexpected one logged once), so Lambda retries the event, and every
 * step is safe to repeat.
 */
export const handler = middy<S3Event, RecordSummaryOutcome[]>()
  .use(taskErrors('record-summary'))
  .handler(async (event) => {
    const outcomes: RecordSummaryOutcome[] = [];
    for (const record of parseUploadBucketEvent(event).Records) {
      outcomes.push(await recordSummary(service, record));
    }
    return outcomes;
  });
