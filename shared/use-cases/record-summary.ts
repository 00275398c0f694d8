import type { StoredObjectHead } from '../adapters/documents.ts';
import { agencyUploadRules, parseAgencyUploadKey } from '../agency-links.ts';
import { CaseNotFoundError, DuplicateWriteError, StaleWriteError } from '../errors.ts';
import { logInfo, logWarning } from '../log.ts';
import { countReturnReceived } from '../metrics.ts';
import type { AgencyRequest } from '../schemas/case.ts';
import { nonEmpty } from '../schemas/primitives.ts';
import { type Actor, systemActor } from '../schemas/roles.ts';
import { milestone } from '../schemas/timetable.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { CaseWithAgencies, IssuedUpload, UploadUse } from '../stores/case-store.ts';
import { mediaTypeOfKind, type UploadedFileKind, uploadedFileKind } from '../upload-contents.ts';
import { hasReached } from '../workflow/steps.ts';
import { tellTeamOfLateReturn } from './late-return-notice.ts';

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
            versionId: z.optional(z.string()),
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

/**
 * The parts of GuardDuty's "Object Scan Result" event (EventBridge) this function reads: on AWS
 * it drives acceptance, so a file is copied into the case documents only once it is scanned clean.
 */
export const objectScanResultEvent = z.object({
  'detail-type': z.literal('GuardDuty Malware Protection Object Scan Result'),
  source: z.literal('aws.guardduty'),
  detail: z.object({
    scanStatus: z.optional(z.string()),
    s3ObjectDetails: z.object({
      bucketName: nonEmpty(),
      objectKey: nonEmpty(),
      eTag: z.optional(z.string()),
      versionId: z.optional(z.string()),
    }),
    scanResultDetails: z.object({ scanResultStatus: nonEmpty() }),
  }),
});
export type ObjectScanResultEvent = z.infer<typeof objectScanResultEvent>;

/** Validates a GuardDuty scan result at the boundary, naming every field that does not fit. */
export function parseObjectScanResultEvent(event: unknown): ObjectScanResultEvent {
  const parsed = objectScanResultEvent.safeParse(event);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(event)').join(', ');
    throw new InvalidUploadEventError(`Scan result event invalid at: ${fields}`);
  }
  return parsed.data;
}

/** What became of one uploaded object. */
export type RecordSummaryOutcome =
  | 'received'
  | 'received-late'
  | 'replaced'
  | 'rejected'
  /** This very upload was already recorded: its event was delivered twice. */
  | 'already-recorded'
  /** The object is no longer there (rejected and deleted by an earlier delivery). */
  | 'gone'
  /** Its key is of no form issued for that case and agency: deleted, recorded on no case. */
  | 'not-issued'
  /** Not an agency upload. */
  | 'ignored';

/**
 * What is known of a file's virus scan: scanned with no threat found; not scanned (this copy of
 * the service has no scanner, as locally); a threat found; or the scanner could not check it.
 */
export type UploadScan = 'no-threats-found' | 'not-scanned' | 'threats-found' | 'not-checked';

/** Why an upload is refused, each in words the agency reads on its page. */
export type UploadProblem =
  | 'empty'
  | 'too-large'
  | 'wrong-type'
  | 'form-expired'
  | 'review-collated'
  | 'no-longer-asked'
  | 'link-replaced'
  | 'form-used'
  | 'threat'
  | 'not-checked';

const megabytes = Math.floor(agencyUploadRules.maxBytes / (1024 * 1024));

/** Plain words for each problem (no full stop: the page adds it). */
export const uploadProblemText: Record<UploadProblem, string> = {
  empty: 'The file was empty',
  'too-large': `The file was larger than ${megabytes} MB`,
  'wrong-type': 'The file was not a PDF or a Word document (.docx)',
  'form-expired':
    'The upload form had expired before the file arrived. Open your link again and upload the file again',
  'review-collated':
    'The summaries for this review have already been collated, so files can no longer be accepted. Contact the partnership team',
  'no-longer-asked':
    'The partnership team no longer needs a summary from your agency for this review, so files can no longer be accepted. Contact the partnership team',
  'link-replaced':
    'The partnership team sent your agency a new link after this upload form was opened, so the link it came from no longer works. Upload the file again from the newest link your agency was sent',
  'form-used':
    'This upload form had already been used for another file. Open your link again to upload a new file',
  threat: 'A virus check found a threat in the file',
  'not-checked': 'The file could not be checked for viruses (a password-protected file cannot be checked)',
};

/** One uploaded object, as an S3 event or a GuardDuty scan result names it. */
export interface UploadedObject {
  bucket: string;
  /** The object key, decoded. */
  key: string;
  /** Its version in the (versioned) upload bucket, when the event gives one. */
  versionId?: string;
  /** What tells this object apart from another written to the same key: version, sequencer or ETag. */
  objectId?: string;
  /** When S3 stored it, when the event says; otherwise its LastModified is used. */
  uploadedAt?: string;
  scan: UploadScan;
}

/** How many times a change that lost a race with another writer is re-read and tried again. */
const WRITE_ATTEMPTS = 4;

/** Turns an S3 event key back into the object key: '+' is a space, the rest is percent-encoded. */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, '%20'));
}

/** Why an object is refused before its bytes are read (size and declared type), or undefined. */
export function uploadProblem(head: StoredObjectHead): UploadProblem | undefined {
  if (head.size < 1) return 'empty';
  if (head.size > agencyUploadRules.maxBytes) return 'too-large';
  const mediaType = head.contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType || !(mediaType in agencyUploadRules.allowedTypes)) return 'wrong-type';
  return undefined;
}

/** Where an accepted summary is kept with the case's documents: one object per accepted upload. */
export function agencyReturnDocumentKey(
  ids: { caseId: string; agencyId: string; uploadId: string },
  kind: UploadedFileKind,
): string {
  return `cases/${ids.caseId}/agency-returns/${ids.uploadId}/${ids.agencyId}-summary.${kind}`;
}

function log(level: 'info' | 'warn', message: string, ids: Record<string, string>) {
  (level === 'warn' ? logWarning : logInfo)(message, ids);
}

const isMissingObject = (error: unknown) =>
  ['NotFound', 'NoSuchKey', 'NoSuchVersion'].includes((error as Error).name);

/** Reads the case and the agency's request; undefined when either does not exist. */
async function findRequest(service: Pick<Service, 'cases'>, caseId: string, agencyId: string) {
  let file: CaseWithAgencies;
  try {
    file = await service.cases.getCaseWithAgencies(caseId);
  } catch (error) {
    if (error instanceof CaseNotFoundError) return undefined;
    throw error;
  }
  const agency = file.agencies.find((candidate) => candidate.agencyId === agencyId);
  return agency ? { file, agency } : undefined;
}

/**
 * Runs `change` on the freshest agency request, re-reading when another writer got there first
 * (the first attempt uses `read`, the request as just read, when given). A change with an event
 * id already written is this same upload recorded before.
 */
async function withFreshRequest(
  service: Pick<Service, 'cases'>,
  ids: { caseId: string; agencyId: string },
  change: (file: CaseWithAgencies, agency: AgencyRequest) => Promise<RecordSummaryOutcome>,
  read?: { file: CaseWithAgencies; agency: AgencyRequest },
): Promise<RecordSummaryOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    const found = attempt === 1 && read ? read : await findRequest(service, ids.caseId, ids.agencyId);
    if (!found) {
      log('warn', 'Upload for an unknown case or agency', ids);
      return 'not-issued';
    }
    try {
      return await change(found.file, found.agency);
    } catch (error) {
      if (error instanceof DuplicateWriteError) return 'already-recorded';
      if (!(error instanceof StaleWriteError) || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}

/** What recording an upload touches: the case table, both buckets, the clock, and the team's email of a late one. */
export type RecordSummaryPorts = Pick<
  Service,
  'cases' | 'clock' | 'uploads' | 'documents' | 'mailer' | 'profile' | 'publicBaseUrl'
>;

/**
 * Handles one object in the upload bucket. Its key must be of a form that was issued to that case
 * and agency, not yet used by another file and not expired when the object was stored, under the
 * agency's current link (and the review not yet collated); its size, its declared type and its bytes must be a PDF or a Word
 * document of up to 10 MB; its scan must not have found a threat. A refused object is audited on
 * the agency's request (the agency sees why) and its version deleted; nothing else is touched. An
 * accepted one is copied into the case documents, its own object, and marks the request received
 * (late after the Day 10 deadline, and the partnership team told once), or replaces the earlier
 * summary, which stays where it is.
 */
export async function recordUpload(
  service: RecordSummaryPorts,
  object: UploadedObject,
): Promise<RecordSummaryOutcome> {
  const uploads = service.uploads;
  if (object.bucket !== uploads.bucket) {
    log('info', 'Ignored an event that is not an upload', { bucket: object.bucket });
    return 'ignored';
  }
  const parsed = parseAgencyUploadKey(object.key);
  if (!parsed) {
    log('info', 'Ignored an object that is not an agency upload', { objectId: object.objectId ?? '' });
    return 'ignored';
  }
  const ids = { caseId: parsed.caseId, agencyId: parsed.agencyId };
  const logIds = { ...ids, uploadId: parsed.uploadId };
  // The three reads do not depend on one another: made together, they cost one round trip.
  const [issued, stored, found] = await Promise.all([
    service.cases.findIssuedUpload(parsed.uploadId),
    uploads.head(object.key, object.versionId).then(
      (head) => ({ head }),
      (error: unknown) => {
        if (isMissingObject(error)) return { gone: true } as const;
        throw error;
      },
    ),
    findRequest(service, ids.caseId, ids.agencyId),
  ]);
  if (!issued || issued.caseId !== parsed.caseId || issued.agencyId !== parsed.agencyId) {
    // A key changed in the form (another agency's, another case's) or made up: no case hears of it.
    log('warn', 'Upload to a key that was never issued; deleted', logIds);
    await deleteQuietly(service, object);
    return 'not-issued';
  }
  if (!('head' in stored)) {
    log('info', 'Uploaded object no longer exists', logIds);
    return 'gone';
  }
  const head: StoredObjectHead = stored.head;
  const objectId = object.versionId ?? object.objectId ?? head.lastModified?.toISOString() ?? 'unversioned';
  // One audit event id per stored object, whatever it leads to, so a second delivery writes nothing.
  const eventId = `upload-${parsed.uploadId}-${objectId}`;
  const uploadedAt =
    object.uploadedAt ?? head.lastModified?.toISOString() ?? service.clock.now().toISOString();

  if (!found) {
    log('warn', 'Upload for an unknown case or agency; deleted', logIds);
    await deleteQuietly(service, object);
    return 'not-issued';
  }

  let problem = await formProblem(service, issued, found.file, { usedBy: objectId, usedAt: uploadedAt });
  let kind: UploadedFileKind | undefined;
  let bytes: Uint8Array | undefined;
  problem ??= uploadProblem(head);
  if (!problem) problem = scanProblem(object.scan);
  if (!problem) {
    bytes = await uploads.getBytes(object.key, object.versionId);
    kind = uploadedFileKind(bytes);
    if (bytes.byteLength < 1) problem = 'empty';
    else if (bytes.byteLength > agencyUploadRules.maxBytes) problem = 'too-large';
    else if (!kind) problem = 'wrong-type';
  }

  const details = {
    agencyId: ids.agencyId,
    size: head.size,
    contentType: head.contentType ?? null,
    scan: object.scan,
  };
  if (problem || !kind || !bytes) {
    const reason = uploadProblemText[problem ?? 'wrong-type'];
    const outcome = await withFreshRequest(
      service,
      ids,
      async (_file, agency) => {
        await service.cases.updateAgencyRequest(
          agency,
          {},
          {
            actor: systemActor('record-summary'),
            at: service.clock.now().toISOString(),
            action: 'summary.rejected',
            reason,
            details: { ...details, problem: problem ?? 'wrong-type' },
            eventId,
          },
        );
        return 'rejected';
      },
      found,
    );
    // The rejection is audited first, so a failed delete is retried with the event and audits nothing twice.
    await uploads.delete(object.key, object.versionId);
    log('info', `Upload ${outcome}: ${problem}`, logIds);
    return outcome;
  }

  // The accepted file becomes its own object with the case's documents: no later upload, good or
  // bad, can overwrite or delete it.
  const documentKey = agencyReturnDocumentKey(parsed, kind);
  await service.documents.put(documentKey, bytes, mediaTypeOfKind[kind]);
  const agencyActor: Actor = { kind: 'agency', agencyId: ids.agencyId };
  let receivedLate: { file: CaseWithAgencies; agency: AgencyRequest } | undefined;
  const outcome = await withFreshRequest(
    service,
    ids,
    async (file, agency) => {
      const at = service.clock.now().toISOString();
      // Written only against the case as read here (its version checked with the write): a
      // review collated while the file was being checked and filed refuses it, as it would have
      // on arrival, and the collated report never misses a summary marked received.
      const againstCase = { caseVersion: file.case.version };
      // The agency removed, or the review withdrawn, by the partnership team (issue 10 part 3).
      // A new link sent while the file was being checked stops this one's forms too.
      const problem = noLongerAsked(file, agency.agencyId)
        ? 'no-longer-asked'
        : linkReplaced(file, issued)
          ? 'link-replaced'
          : hasReached(file.case.status, 'collating')
            ? 'review-collated'
            : undefined;
      if (problem) {
        await service.cases.updateAgencyRequest(
          agency,
          {},
          {
            actor: systemActor('record-summary'),
            at,
            action: 'summary.rejected',
            reason: uploadProblemText[problem],
            details: { ...details, problem },
            eventId,
          },
          againstCase,
        );
        return 'rejected';
      }
      const accepted = { ...details, contentType: mediaTypeOfKind[kind], documentKey };
      if (agency.status === 'received') {
        await service.cases.updateAgencyRequest(
          agency,
          // The agency's own file now: no longer the one the partnership team uploaded for it.
          { documentKey, uploadedByTeam: undefined },
          {
            actor: agencyActor,
            at,
            action: 'summary.replaced',
            reason: `${agency.agencyName} uploaded a new version of its summary`,
            details: accepted,
            eventId,
          },
          againstCase,
        );
        return 'replaced';
      }
      const dueAt = milestone(file.case.timetable, 'agencySummariesDue').dueAt;
      // Judged at the upload's time: a slow scan does not make a summary late.
      const late = Date.parse(uploadedAt) > Date.parse(dueAt);
      await service.cases.updateAgencyRequest(
        agency,
        { status: 'received', receivedAt: uploadedAt, late, documentKey, uploadedByTeam: undefined },
        {
          actor: agencyActor,
          at,
          action: late ? 'summary.received-late' : 'summary.received',
          reason: late
            ? `${agency.agencyName} returned its summary after the Day 10 deadline`
            : `${agency.agencyName} returned its summary`,
          details: { ...accepted, late },
          eventId,
        },
        againstCase,
      );
      if (late) receivedLate = { file, agency };
      return late ? 'received-late' : 'received';
    },
    found,
  );
  // A second delivery of an upload recorded late may follow a first that failed before the email.
  const late =
    receivedLate ??
    (outcome === 'already-recorded' ? await recordedLate(service, ids, documentKey, uploadedAt) : undefined);
  if (late) await tellTeamOfLateReturn(service, late.file.case, late.agency, uploadedAt);
  if (outcome === 'received' || outcome === 'received-late') {
    countReturnReceived(outcome === 'received-late' ? 'Late' : 'OnTime');
  }
  log('info', `Upload ${outcome}`, logIds);
  return outcome;
}

/** The case and agency when this very upload (its document, at its time) was recorded as the agency's late first return. */
async function recordedLate(
  service: Pick<Service, 'cases'>,
  ids: { caseId: string; agencyId: string },
  documentKey: string,
  uploadedAt: string,
): Promise<{ file: CaseWithAgencies; agency: AgencyRequest } | undefined> {
  const found = await findRequest(service, ids.caseId, ids.agencyId);
  const agency = found?.agency;
  const thisUpload =
    agency?.status === 'received' &&
    agency.late &&
    agency.documentKey === documentKey &&
    agency.receivedAt === uploadedAt &&
    !agency.uploadedByTeam;
  return thisUpload ? found : undefined;
}

/**
 * Why the form no longer takes this file: expired when the object was stored, the agency removed
 * or the review withdrawn, the link it was issued under replaced, the review
 * collated (the agency's link is dead, and every form issued from it), or used by another file.
 * Claims the form for this object otherwise.
 */
async function formProblem(
  service: Pick<Service, 'cases'>,
  issued: IssuedUpload,
  file: CaseWithAgencies,
  use: UploadUse,
): Promise<UploadProblem | undefined> {
  if (Date.parse(use.usedAt) >= Date.parse(issued.expiresAt)) return 'form-expired';
  if (noLongerAsked(file, issued.agencyId)) return 'no-longer-asked';
  if (linkReplaced(file, issued)) return 'link-replaced';
  if (hasReached(file.case.status, 'collating')) return 'review-collated';
  const holder = await service.cases.claimIssuedUpload(issued.uploadId, use);
  return holder.usedBy === use.usedBy ? undefined : 'form-used';
}

/**
 * The form was issued under a link the partnership team has since replaced (a new contact, or
 * the link resent): a form stops with its link. A form recorded before forms named their link
 * cannot tell, and is judged by its expiry alone (two hours at most).
 */
function linkReplaced(
  file: CaseWithAgencies,
  issued: Pick<IssuedUpload, 'agencyId' | 'linkTokenHash'>,
): boolean {
  if (!issued.linkTokenHash) return false;
  const agency = file.agencies.find((candidate) => candidate.agencyId === issued.agencyId);
  return agency?.linkTokenHash !== undefined && agency.linkTokenHash !== issued.linkTokenHash;
}

/** The partnership team removed the agency, or withdrew the review: its forms stop with its link. */
function noLongerAsked(file: CaseWithAgencies, agencyId: string): boolean {
  if (file.case.status === 'withdrawn') return true;
  return file.agencies.some((agency) => agency.agencyId === agencyId && agency.status === 'removed');
}

function scanProblem(scan: UploadScan): UploadProblem | undefined {
  if (scan === 'threats-found') return 'threat';
  if (scan === 'not-checked') return 'not-checked';
  return undefined;
}

/** Deletes an object that no case will hear of; a missing one is already what was wanted. */
async function deleteQuietly(service: Pick<Service, 'uploads'>, object: UploadedObject): Promise<void> {
  try {
    await service.uploads.delete(object.key, object.versionId);
  } catch (error) {
    if (!isMissingObject(error)) throw error;
  }
}

/**
 * An ObjectCreated record from the upload bucket's own notification: what the local stack sends
 * (it has no scanner, so the file is recorded as not scanned).
 */
export async function recordSummary(
  service: RecordSummaryPorts,
  record: UploadBucketRecord,
): Promise<RecordSummaryOutcome> {
  if (!record.eventName.startsWith('ObjectCreated:')) {
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
  const object = record.s3.object;
  return recordUpload(service, {
    bucket: record.s3.bucket.name,
    key,
    versionId: object.versionId,
    objectId: object.versionId ?? object.sequencer ?? object.eTag,
    uploadedAt: record.eventTime,
    scan: 'not-scanned',
  });
}

const scanOutcomes: Record<string, UploadScan> = {
  NO_THREATS_FOUND: 'no-threats-found',
  THREATS_FOUND: 'threats-found',
};

/**
 * GuardDuty's scan result for an object in the upload bucket (on AWS): a clean file is accepted,
 * a threat refuses it, and a file the scanner could not check (UNSUPPORTED, ACCESS_DENIED,
 * FAILED) is refused too, so nothing unscanned reaches the case documents.
 */
export async function recordScannedUpload(
  service: RecordSummaryPorts,
  event: ObjectScanResultEvent,
): Promise<RecordSummaryOutcome> {
  const details = event.detail.s3ObjectDetails;
  return recordUpload(service, {
    bucket: details.bucketName,
    key: details.objectKey,
    versionId: details.versionId,
    objectId: details.versionId ?? details.eTag,
    scan: scanOutcomes[event.detail.scanResultDetails.scanResultStatus] ?? 'not-checked',
  });
}

/**
 * One event for the upload handler, whichever drives it: GuardDuty's scan result (on AWS) or the
 * bucket's ObjectCreated notification (where there is no scanner). Records are handled in turn.
 *
 * @throws InvalidUploadEventError when the event is neither, naming the fields that do not fit.
 */
export async function recordUploadEvent(
  service: RecordSummaryPorts,
  event: unknown,
): Promise<RecordSummaryOutcome[]> {
  if (typeof event === 'object' && event !== null && 'detail-type' in event) {
    return [await recordScannedUpload(service, parseObjectScanResultEvent(event))];
  }
  const outcomes: RecordSummaryOutcome[] = [];
  for (const record of parseUploadBucketEvent(event).Records)
    outcomes.push(await recordSummary(service, record));
  return outcomes;
}

/** SQS's batch answer: the messages to deliver again (their ids); the rest are done. */
export interface QueuedBatchAnswer {
  batchItemFailures: { itemIdentifier: string }[];
}

/** Whether an event is a batch of SQS messages (on AWS, the scan results' queue). */
export function isQueuedBatch(event: unknown): event is { Records: { messageId: string; body: string }[] } {
  if (typeof event !== 'object' || event === null || !('Records' in event)) return false;
  const records = (event as { Records: unknown }).Records;
  return (
    Array.isArray(records) &&
    records.length > 0 &&
    records.every(
      (record) =>
        typeof record === 'object' &&
        record !== null &&
        (record as { eventSource?: unknown }).eventSource === 'aws:sqs' &&
        typeof (record as { messageId?: unknown }).messageId === 'string' &&
        typeof (record as { body?: unknown }).body === 'string',
    )
  );
}

/**
 * GuardDuty's scan results as they come on AWS: through a queue, so that a result the handler
 * cannot record now (the case table down, a throttled write) waits and is delivered again, for
 * as long as the queue keeps it, and then lands in its dead-letter queue rather than being lost.
 * Each message is one EventBridge event; a message that fails is named for SQS to deliver again,
 * and the others are done. A message that is not a scan result can never succeed: it is logged
 * and dropped.
 */
export async function recordQueuedScanResults(
  service: RecordSummaryPorts,
  batch: { Records: { messageId: string; body: string }[] },
): Promise<QueuedBatchAnswer> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const message of batch.Records) {
    let event: unknown;
    try {
      event = JSON.parse(message.body);
    } catch {
      log('warn', 'Dropped a queued message that is not JSON', { messageId: message.messageId });
      continue;
    }
    let scanResult: ObjectScanResultEvent;
    try {
      // Only GuardDuty's scan results come this way: anything else (an S3 notification, which
      // would be filed as not scanned) is refused, so nothing reaches the case unscanned.
      scanResult = parseObjectScanResultEvent(event);
    } catch {
      log('warn', 'Dropped a queued message that is not a scan result', { messageId: message.messageId });
      continue;
    }
    try {
      await recordScannedUpload(service, scanResult);
    } catch (error) {
      log('warn', 'A scan result could not be recorded yet; the queue delivers it again', {
        messageId: message.messageId,
        error: (error as Error).name,
      });
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
}
