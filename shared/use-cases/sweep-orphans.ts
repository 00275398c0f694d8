import { logInfo } from '../log.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';

/** What the sweeper touches: the case table (read), the document bucket (list, delete) and the clock. */
export type SweepOrphansPorts = Pick<Service, 'cases' | 'clock' | 'documents'>;

/**
 * How old a notification document must be before a missing case makes it an orphan. Intake
 * writes the document a moment before the case; an hour is far longer than any intake takes,
 * so a document younger than this may still be about to get its case.
 */
export const ORPHAN_AGE_MS = 60 * 60 * 1000;

/** The notification document of a case: `cases/<uuid>/notification.json`. */
const NOTIFICATION_KEY = /^cases\/([^/]+)\/notification\.json$/;
const caseIdPattern = z.uuid();

/** What a sweep did: the keys it removed, and how many notification documents it looked at. */
export interface SweepResult {
  removed: string[];
  checked: number;
}

/**
 * Removes notification documents that no case owns and that are older than an hour: what an
 * intake leaves when it stores the children's details and then fails before (or while) writing
 * the case, and could not clean up itself. Run daily on a schedule; a document whose case exists
 * is never touched, nor is anything other than a notification document.
 */
export async function sweepOrphanNotifications(service: SweepOrphansPorts): Promise<SweepResult> {
  const cutOff = service.clock.now().getTime() - ORPHAN_AGE_MS;
  const removed: string[] = [];
  let checked = 0;
  for (const object of await service.documents.list('cases/')) {
    const caseId = NOTIFICATION_KEY.exec(object.key)?.[1];
    if (caseId === undefined || !caseIdPattern.safeParse(caseId).success) continue;
    checked += 1;
    // An object without a time is left alone: its age cannot be told.
    if (object.lastModified === undefined || object.lastModified.getTime() > cutOff) continue;
    if (await service.cases.getCase(caseId)) continue;
    await service.documents.deleteEveryVersion(object.key);
    removed.push(object.key);
  }
  if (removed.length > 0) logInfo('Removed notification documents no case owns', { count: removed.length });
  return { removed, checked };
}

/** An EventBridge schedule's event, as the sweeper's rule sends it. */
const scheduledEvent = z.object({
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
});

/** The event was not a scheduled one: a wiring defect, not worth retrying. */
export class InvalidScheduledEventError extends Error {
  override readonly name = 'InvalidScheduledEvent';
}

/** Checks the event is the schedule's before sweeping: nothing else may start a sweep. */
export function parseScheduledEvent(event: unknown): void {
  if (!scheduledEvent.safeParse(event).success) {
    throw new InvalidScheduledEventError('Not an EventBridge scheduled event');
  }
}
