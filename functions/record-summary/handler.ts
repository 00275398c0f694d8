import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { serviceFromEnvironment } from '../../shared/service.ts';
import { parseUploadBucketEvent, type RecordSummaryOutcome, recordSummary } from './record-summary.ts';

/**
 * ObjectCreated events from the agency upload bucket. Records are handled one after another;
 * errors are thrown, so Lambda retries the event, and every step is safe to repeat.
 */
export const handler = middy<S3Event, RecordSummaryOutcome[]>().handler(async (event) => {
  const service = serviceFromEnvironment();
  const outcomes: RecordSummaryOutcome[] = [];
  for (const record of parseUploadBucketEvent(event).Records)
    outcomes.push(await recordSummary(service, record));
  return outcomes;
});
