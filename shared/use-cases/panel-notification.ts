import {
  CaseNotFoundError,
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
} from '../errors.ts';
import { logInfo } from '../log.ts';
import type { CaseRecord, StaffDocument } from '../schemas/case.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import { type Actor, type StaffMember, staffActor } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import { mediaTypeOfKind, uploadedFileKind } from '../upload-contents.ts';
import { caseDocumentKeys, hasReached } from '../workflow/steps.ts';
import { saveOnCase } from './save-on-case.ts';

/**
 * The local authority's notification to the Panel (issue 10 part 5): the notifier who sent the
 * notification (or the partnership team) uploads it as a PDF once the case is open, before the
 * papers are collated. It is filed at `cases/<id>/panel-notification.pdf` and recorded on the
 * case; the collated report appends it in place of the notification's own fields.
 */

/** What the upload touches. */
export type PanelNotificationPorts = Pick<Service, 'cases' | 'clock' | 'documents'>;

/** The largest file: 4 MB, as the other staff uploads (its base64 in a JSON body stays under Lambda's 6 MB). */
export const PANEL_NOTIFICATION_MAX_BYTES = 4 * 1024 * 1024;

/** The file as uploaded: its name as given and its bytes. */
export interface PanelNotificationUpload {
  fileName: string;
  content: Uint8Array;
}

const notFound = () => new NotFoundError('There is no case with this id');

/** The file checked by its bytes (a PDF), its size (1 byte to 4 MB); the field named `file`. */
export function checkedPanelNotification(upload: PanelNotificationUpload): { fileName: string } {
  const fail = (message: string) => new InvalidInputError('upload', [{ field: 'file', message }]);
  if (upload.content.byteLength === 0) throw fail('The selected file is empty');
  if (upload.content.byteLength > PANEL_NOTIFICATION_MAX_BYTES)
    throw fail('The selected file must be 4 MB or smaller');
  if (uploadedFileKind(upload.content) !== 'pdf') throw fail('The selected file must be a PDF');
  const fileName =
    upload.fileName
      .replace(/[\p{Cc}\\/]+/gu, ' ')
      .trim()
      .slice(0, 200) || 'panel-notification.pdf';
  return { fileName };
}

/** Refuses the upload on a case whose papers are collated (or which is closed); undefined when it can take it. */
export function panelNotificationRefusal(record: CaseRecord): ConflictError | undefined {
  if (record.status === 'closed' || record.status === 'withdrawn' || record.status === 'failed') {
    return new ConflictError(
      `Case ${record.reference} is closed: its notification to the Panel can no longer be uploaded`,
      'Case closed',
    );
  }
  if (hasReached(record.status, 'collating')) {
    return new ConflictError(
      `The papers for case ${record.reference} have already been collated: the local authority's notification to the Panel can no longer be added to them`,
      'Papers already collated',
    );
  }
  return undefined;
}

/** Whether the signed-in person notified this case: their email is the notifier's, or they sent it. */
export async function notifiedThisCase(
  service: Pick<Service, 'cases'>,
  record: CaseRecord,
  person: StaffMember,
): Promise<boolean> {
  if (person.email && person.email.toLowerCase() === record.notifierEmail.toLowerCase()) return true;
  return sentThisCase(service, record, person);
}

/**
 * Whether the signed-in person sent this case's notification (its `case.opened` actor): only they
 * may see its confirmation page. A notifier matched by email alone did not.
 */
export async function sentThisCase(
  service: Pick<Service, 'cases'>,
  record: CaseRecord,
  person: Pick<StaffMember, 'id'>,
): Promise<boolean> {
  const file = await service.cases.getCaseFile(record.caseId);
  const opened = file.audit.find((event) => event.action === 'case.opened');
  return opened?.actor.kind === 'staff' && opened.actor.id === person.id;
}

/**
 * Who may upload for this case: the partnership team on any case; a notifier only on a case they
 * notified. The actor the audit records, or ForbiddenError.
 */
export async function uploaderOf(
  service: Pick<Service, 'cases'>,
  record: CaseRecord,
  person: StaffMember,
): Promise<Actor & { kind: 'staff' }> {
  if (person.roles.includes('partnership-team')) {
    return staffActor(person, 'partnership-team');
  }
  if (person.roles.includes('notifier') && (await notifiedThisCase(service, record, person))) {
    return staffActor(person, 'notifier');
  }
  throw new ForbiddenError(
    `Only the person who notified case ${record.reference}, or the partnership team, can upload its notification to the Panel`,
  );
}

async function caseRecord(service: Pick<Service, 'cases'>, caseId: string): Promise<CaseRecord> {
  const parsed = caseIdSchema.safeParse(caseId);
  if (!parsed.success) throw notFound();
  try {
    const record = await service.cases.getCase(parsed.data);
    if (!record) throw notFound();
    return record;
  } catch (error) {
    if (error instanceof CaseNotFoundError) throw notFound();
    throw error;
  }
}

/**
 * Uploads the local authority's notification to the Panel (a PDF, checked by its bytes, up to 4
 * MB), filed with the case's documents; a later upload replaces it (audited). Only before the
 * papers are collated.
 *
 * @throws NotFoundError, InvalidInputError (field `file`), ForbiddenError (another notifier), ConflictError (collated or closed).
 */
export async function uploadPanelNotification(
  service: PanelNotificationPorts,
  submission: { caseId: string; upload: PanelNotificationUpload; uploadedBy: StaffMember },
): Promise<StaffDocument> {
  const checked = checkedPanelNotification(submission.upload);
  const record = await caseRecord(service, submission.caseId);
  const actor = await uploaderOf(service, record, submission.uploadedBy);
  const refused = panelNotificationRefusal(record);
  if (refused) throw refused;
  const key = caseDocumentKeys.panelNotification(record.caseId);
  await service.documents.put(key, submission.upload.content, mediaTypeOfKind.pdf);
  const document: StaffDocument = {
    key,
    fileName: checked.fileName,
    mediaType: mediaTypeOfKind.pdf,
    bytes: submission.upload.content.byteLength,
    uploadedAt: service.clock.now().toISOString(),
    uploadedBy: submission.uploadedBy.id,
    ...(submission.uploadedBy.name ? { uploadedByName: submission.uploadedBy.name } : {}),
  };
  const who = actor.role === 'notifier' ? 'The notifier' : 'The partnership team';
  await saveOnCase(
    service,
    record.caseId,
    panelNotificationRefusal,
    (current) => ({
      changes: { panelNotificationDocument: document },
      audit: {
        actor,
        at: document.uploadedAt,
        action: current.panelNotificationDocument
          ? 'panel-notification.replaced'
          : 'panel-notification.uploaded',
        reason: `${who} uploaded the local authority's notification to the Panel`,
        details: { bytes: document.bytes, fileName: document.fileName },
      },
    }),
    { read: record },
  );
  logInfo('Panel notification uploaded', { caseId: record.caseId, bytes: document.bytes });
  return document;
}
