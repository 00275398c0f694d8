import type { StoredObjectHead } from '../adapters/documents.ts';
import { agencyUploadRules, parseAgencyUploadKey } from '../agency-links.ts';
import { CaseNotFoundError, DuplicateWriteError, StaleWriteError } from '../errors.ts';
import type { AgencyRequest } from '../schemas/case.ts';
import { nonEmpty } from '../schemas/primitives.ts';
import { type Actor, systemActor } from '../schemas/roles.ts';
import { milestone } from '../schemas/timetable.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { CaseFile } from '../stores/case-store.ts';

/**
 * The parts of an S3 event notification this function reads (ObjectCreated on the upload
 * bucket). Keys arrive URL-encoded, with '+' for a space, as S3 sends them.
 */
export const uploadBucketEvent = z.object({
  Records: z
    .array(
      z.object({
        eventName: nonEmpty(),
        eventTime: z.optional(z.string()),
        s3: z.object({
          bucket: z.object({ name: nonEmpty() }),
          object: z.object({
            key: nonEmpty(),
            size: z.optional(z.number()),
            eTag: z.optional(z.string()),
            sequencer: z.optional(z.string()),
          }),
        }),
      }),
    )
    .check(z.minLength(1)),
});
export type UploadBucketEvent = z.infer<typeof uploadBucketEvent>;
export type UploadBucketRecord = UploadBucketEvent['Records'][number];

/** The event did not have the shape of an S3 event notification: a wiring defect, not worth retrying. */
export class InvalidUploadEventError extends Error {
  override readonly name = 'InvalidUploadEvent';
}

/** Validates the event at the boundary, naming every field that does not fit. */
export function parseUploadBucketEvent(event: unknown): UploadBucketEvent {
  const parsed = uploadBucketEvent.safeParse(event);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(event)').join(', ');
    throw new InvalidUploadEventError(`S3 event invalid at: ${fields}`);
  }
  return parsed.data;
}

/** What became of one uploaded object. */
export type RecordSummaryOutcome =
  | 'received'
  | 'received-late'
  | 'replaced'
  | 'rejected'
  /** This very upload was already recorded: S3 delivered its event twice. */
  | 'already-recorded'
  /** The object is no longer there (rejected and deleted by an earlier delivery). */
  | 'gone'
  /** Not an agency upload of a known case and agency. */
  | 'ignored';

/** How many times a change that lost a race with another writer is re-read and tried again. */
const WRITE_ATTEMPTS = 4;

/** Turns an S3 event key back into the object key: '+' is a space, the rest is percent-encoded. */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, '%20'));
}

/** Why an uploaded object is refused, or undefined when it is acceptable. */
export function uploadProblem(head: StoredObjectHead): string | undefined {
  if (head.size < 1) return 'The file is empty';
  if (head.size > agencyUploadRules.maxBytes) {
    return `The file is ${head.size} bytes, over the limit of ${agencyUploadRules.maxBytes} bytes`;
  }
  const mediaType = head.contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType || !(mediaType in agencyUploadRules.allowedTypes)) {
    return `The file type ${mediaType ?? '(none)'} is not allowed; upload a PDF or a Word document (.docx)`;
  }
  return undefined;
}

function log(level: 'info' | 'warn', message: string, ids: Record<string, string>) {
  console[level](JSON.stringify({ message, ...ids }));
}

const isMissingObject = (error: unknown) => ['NotFound', 'NoSuchKey'].includes((error as Error).name);

/** Reads the case and the agency's request; undefined when either does not exist. */
async function findRequest(service: Pick<Service, 'cases'>, caseId: string, agencyId: string) {
  let file: CaseFile;
  try {
    file = await service.cases.getCaseFile(caseId);
  } catch (error) {
    if (error instanceof CaseNotFoundError) return undefined;
    throw error;
  }
  const agency = file.agencies.find((candidate) => candidate.agencyId === agencyId);
  return agency ? { file, agency } : undefined;
}

/**
 * Runs `change` on the freshest agency request, re-reading when another writer got there first.
 * A change with an event id already written is this same upload recorded before.
 */
async function withFreshRequest(
  service: Pick<Service, 'cases' | 'clock' | 'uploads'>,
  ids: { caseId: string; agencyId: string },
  change: (file: CaseFile, agency: AgencyRequest) => Promise<RecordSummaryOutcome>,
): Promise<RecordSummaryOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    const found = await findRequest(service, ids.caseId, ids.agencyId);
    if (!found) {
      log('warn', 'Upload for an unknown case or agency', ids);
      return 'ignored';
    }
    try {
      return await change(found.file, found.agency);
    } catch (error) {
      if (error instanceof DuplicateWriteError) return 'already-recorded';
      if (!(error instanceof StaleWriteError) || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Handles one object created in the upload bucket. Re-checks its size and type (local S3
 * enforces neither; on AWS the pre-signed POST policy should already have). A bad upload is
 * deleted and its rejection audited, leaving the agency's request as it was; a good one marks
 * the request received (late when after the Day 10 deadline), and a later one replaces it.
 */
export async function recordSummary(
  service: Pick<Service, 'cases' | 'clock' | 'uploads'>,
  record: UploadBucketRecord,
): Promise<RecordSummaryOutcome> {
  const uploads = service.uploads;
  if (!record.eventName.startsWith('ObjectCreated:') || record.s3.bucket.name !== uploads.bucket) {
    log('info', 'Ignored an event that is not an upload', { eventName: record.eventName });
    return 'ignored';
  }
  let key: string;
  try {
    key = decodeS3EventKey(record.s3.object.key);
  } catch {
    log('warn', 'Ignored an object whose key cannot be decoded', {
      sequencer: record.s3.object.sequencer ?? '',
    });
    return 'ignored';
  }
  const ids = parseAgencyUploadKey(key);
  if (!ids) {
    log('info', 'Ignored an object that is not an agency upload', {
      sequencer: record.s3.object.sequencer ?? '',
    });
    return 'ignored';
  }
  // One audit event id per upload, whatever it leads to, so a second delivery of the same event writes nothing.
  const uploadId = record.s3.object.sequencer ?? record.s3.object.eTag;
  const eventId = uploadId ? `upload-${ids.agencyId}-${uploadId}` : undefined;

  let head: StoredObjectHead;
  try {
    head = await uploads.head(key);
  } catch (error) {
    if (!isMissingObject(error)) throw error;
    log('info', 'Uploaded object no longer exists', ids);
    return 'gone';
  }

  const problem = uploadProblem(head);
  if (problem) {
    const outcome = await withFreshRequest(service, ids, async (_file, agency) => {
      await service.cases.updateAgencyRequest(
        agency,
        {},
        {
          actor: systemActor('record-summary'),
          at: service.clock.now().toISOString(),
          action: 'summary.rejected',
          reason: problem,
          details: { agencyId: ids.agencyId, size: head.size, contentType: head.contentType ?? null },
          eventId,
        },
      );
      return 'rejected';
    });
    // The rejection is audited first, so a failed delete is retried with the event and audits nothing twice.
    if (outcome !== 'ignored') await uploads.delete(key);
    log('info', `Upload ${outcome === 'rejected' ? 'rejected' : outcome}`, ids);
    return outcome;
  }

  const agencyActor: Actor = { kind: 'agency', agencyId: ids.agencyId };
  const outcome = await withFreshRequest(service, ids, async (file, agency) => {
    const now = service.clock.now();
    const at = now.toISOString();
    const details = { agencyId: ids.agencyId, size: head.size, contentType: head.contentType ?? null };
    if (agency.status === 'received') {
      await service.cases.updateAgencyRequest(
        agency,
        { documentKey: key },
        {
          actor: agencyActor,
          at,
          action: 'summary.replaced',
          reason: `${agency.agencyName} uploaded a new version of its summary`,
          details,
          eventId,
        },
      );
      return 'replaced';
    }
    const dueAt = milestone(file.case.timetable, 'agencySummariesDue').dueAt;
    const late = now.getTime() > Date.parse(dueAt);
    await service.cases.updateAgencyRequest(
      agency,
      { status: 'received', receivedAt: at, late, documentKey: key },
      {
        actor: agencyActor,
        at,
        action: late ? 'summary.received-late' : 'summary.received',
        reason: late
          ? `${agency.agencyName} returned its summary after the Day 10 deadline`
          : `${agency.agencyName} returned its summary`,
        details: { ...details, late },
        eventId,
      },
    );
    return late ? 'received-late' : 'received';
  });
  log('info', `Upload ${outcome}`, ids);
  return outcome;
}
