import { isRealDate } from '../calendar/dates.ts';
import { rapidReviewGroupPeople, rulesOf } from '../config/partnership-profile.ts';
import {
  CaseNotFoundError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  StaleWriteError,
  UnavailableError,
} from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import {
  type AttendanceAnswers,
  attendanceAnswers,
  type CaseRecord,
  type CaseStatus,
  declaresNoConflicts,
  type MeetingAnswers,
  meetingFields,
  placeOrCallLink,
  type RrgMeeting,
  type StaffDocument,
} from '../schemas/case.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import { type Actor, type StaffMember, staffActor } from '../schemas/roles.ts';
import { milestone } from '../schemas/timetable.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { AuditInput, CaseChanges } from '../stores/case-store.ts';
import { mediaTypeOfKind, uploadedFileKind } from '../upload-contents.ts';
import { parseInput } from '../validation.ts';
import { emailContext, meetingInvitationEmail } from '../workflow/emails.ts';
import { formatDate, isoDateOf } from '../workflow/london-time.ts';
import { caseDocumentKeys, caseUrl, hasReached } from '../workflow/steps.ts';

/**
 * The Rapid Review Group meeting (issue 9 part 4), kept by the partnership team: scheduled (and
 * rescheduled), the invitation emailed to the chair, the deputy chairs and the members; who
 * attended, each with their declaration of conflicts and their agreement to confidentiality; the
 * minutes uploaded after; and the Panel's letter, uploaded once its reply is recorded.
 */

/** What the meeting's use cases touch. */
export type MeetingPorts = Pick<
  Service,
  'cases' | 'clock' | 'documents' | 'mailer' | 'profile' | 'publicBaseUrl'
>;

/** Once the review has gone to the Panel (or the case is closed), the meeting can no longer be (re)scheduled. */
export const meetingClosedStatuses: readonly CaseStatus[] = [
  'submitted-to-panel',
  'completed',
  'closed',
  'withdrawn',
];

/** The largest file a member of staff may upload: 4 MB (its base64 in a JSON body stays under Lambda's 6 MB). */
export const STAFF_UPLOAD_MAX_BYTES = 4 * 1024 * 1024;

/** Another writer may change the case between our read and our write. */
const SAVE_ATTEMPTS = 4;

const notFound = () => new NotFoundError('There is no case with this id');

/** The label the date's messages use, on the API and the page alike. */
export const meetingDateLabel = 'The date of the meeting';

/** The meeting's answers as they may be given on `today` (YYYY-MM-DD, London): the date is not in the past. */
export function meetingOn(today: string) {
  const date = meetingFields.shape.date.check(
    z.superRefine((value: string, ctx) => {
      if (!isRealDate(value)) return;
      if (value < today) {
        ctx.addIssue({
          code: 'custom',
          message: `${meetingDateLabel} must be today or in the future`,
          input: value,
        });
      }
    }),
  );
  return z.extend(meetingFields, { date }).check(placeOrCallLink());
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

/** Refuses (re)scheduling on a case that cannot take it now; undefined when it can. */
export function scheduleRefusal(record: CaseRecord): ConflictError | undefined {
  if (meetingClosedStatuses.includes(record.status)) {
    return new ConflictError(
      `The Rapid Review Group meeting on case ${record.reference} can no longer be scheduled: its status is ${record.status}`,
      'Meeting can no longer be scheduled',
    );
  }
  return undefined;
}

/** Refuses what needs a scheduled meeting (attendance, minutes) on a case without one. */
export function notScheduledRefusal(record: CaseRecord): ConflictError | undefined {
  if (!record.meeting) {
    return new ConflictError(
      `The Rapid Review Group meeting on case ${record.reference} has not been scheduled yet`,
      'Meeting not scheduled',
    );
  }
  if (record.status === 'closed' || record.status === 'withdrawn') {
    return new ConflictError(`Case ${record.reference} is closed`, 'Case closed');
  }
  return undefined;
}

const actorOf = (member: StaffMember): Actor => staffActor(member, 'partnership-team');

/** Saves `change(record)` on the freshest case, re-reading after another writer got there first. */
async function saveWith<T>(
  service: Pick<Service, 'cases'>,
  caseId: string,
  change: (record: CaseRecord) => { changes: CaseChanges; audit: AuditInput; answer: T } | { done: T },
): Promise<{ record: CaseRecord; answer: T; saved: boolean }> {
  for (let attempt = 1; ; attempt += 1) {
    const record = await caseRecord(service, caseId);
    const planned = change(record);
    if ('done' in planned) return { record, answer: planned.done, saved: false };
    try {
      const saved = await service.cases.updateCase(record, planned.changes, planned.audit);
      return { record: saved, answer: planned.answer, saved: true };
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
}

/** Everyone the invitation goes to: the chair, the deputy chairs and the members, one email per address. */
export function meetingRecipients(profile: MeetingPorts['profile']): { name: string; email: string }[] {
  return rapidReviewGroupPeople(profile);
}

/**
 * Emails the invitation for the meeting's current version to everyone on the group, once per
 * version and person (the mailer's key makes a second call find it sent). The papers are on the
 * case page when they have gone out (the case has reached `awaiting-decision`), else promised for
 * papers day.
 */
async function sendInvitations(service: MeetingPorts, record: CaseRecord): Promise<number> {
  const meeting = record.meeting;
  if (!meeting) return 0;
  const papersOut = hasReached(record.status, 'awaiting-decision');
  const context = emailContext(service.profile, record);
  const recipients = meetingRecipients(service.profile);
  try {
    await service.mailer.sendEachOnce(
      recipients.map((person) => ({
        key: `${record.caseId}:MeetingInvitation:v${meeting.version}:${person.email.toLowerCase()}`,
        message: meetingInvitationEmail(context, person, {
          meeting,
          changed: meeting.version > 1,
          caseUrl: caseUrl(service.publicBaseUrl, record.caseId),
          ...(papersOut
            ? { papersOut }
            : { papersDay: milestone(record.timetable, 'distributePapers').date }),
        }),
      })),
    );
  } catch (error) {
    logError('Could not email the meeting invitations', {
      caseId: record.caseId,
      error: (error as Error).name,
    });
    throw new UnavailableError(
      `The meeting on case ${record.reference} is saved, but the invitations could not all be emailed just now. ` +
        'Schedule it again with the same details to send the rest: nobody gets the same invitation twice.',
      'Meeting saved; invitations not yet all sent',
    );
  }
  return recipients.length;
}

/** The same meeting as the one stored: a repeat of the same PUT changes nothing. */
function sameMeeting(stored: RrgMeeting | undefined, answers: MeetingAnswers): boolean {
  return (
    stored !== undefined &&
    stored.date === answers.date &&
    stored.time === answers.time &&
    (stored.place ?? '') === (answers.place ?? '') &&
    (stored.callLink ?? '') === (answers.callLink ?? '')
  );
}

/**
 * Schedules the meeting, or changes it: the date not in the past, a place or a call link; refused
 * once the review has gone to the Panel or the case is closed. Each change is audited and makes a
 * new version, whose invitation (saying it changed) goes to the whole group once. The same
 * details again change nothing, and send any invitation that did not go.
 *
 * @throws NotFoundError, InvalidInputError (every bad field named), ConflictError, UnavailableError (saved; not every invitation sent).
 */
export async function scheduleMeeting(
  service: MeetingPorts,
  submission: { caseId: string; meeting: unknown; scheduledBy: StaffMember },
): Promise<RrgMeeting> {
  const now = service.clock.now();
  const today = isoDateOf(now, rulesOf(service.profile).timeZone);
  // A malformed body is a 400 on any case; the date's rule is checked with the rest.
  const answers = parseInput(meetingOn(today), submission.meeting, 'meeting');
  const { record, answer } = await saveWith<RrgMeeting>(service, submission.caseId, (current) => {
    const refused = scheduleRefusal(current);
    if (refused) throw refused;
    if (sameMeeting(current.meeting, answers)) return { done: current.meeting as RrgMeeting };
    const previous = current.meeting;
    const meeting: RrgMeeting = {
      ...(previous ?? {}),
      date: answers.date,
      time: answers.time,
      ...(answers.place ? { place: answers.place } : {}),
      ...(answers.callLink ? { callLink: answers.callLink } : {}),
      version: (previous?.version ?? 0) + 1,
      scheduledAt: now.toISOString(),
      scheduledBy: submission.scheduledBy.id,
      ...(submission.scheduledBy.name ? { scheduledByName: submission.scheduledBy.name } : {}),
    };
    // A change from a place to a call (or back) drops the other.
    if (!answers.place) delete meeting.place;
    if (!answers.callLink) delete meeting.callLink;
    return {
      changes: { meeting },
      answer: meeting,
      audit: {
        actor: actorOf(submission.scheduledBy),
        at: now.toISOString(),
        action: previous ? 'meeting.rescheduled' : 'meeting.scheduled',
        reason: previous
          ? `The partnership team changed the Rapid Review Group meeting to ${answers.time} on ${formatDate(answers.date)}`
          : `The partnership team scheduled the Rapid Review Group meeting for ${answers.time} on ${formatDate(answers.date)}`,
        details: {
          version: meeting.version,
          date: meeting.date,
          time: meeting.time,
          where: meeting.place ? 'place' : 'call',
          ...(previous ? { previousDate: previous.date, previousTime: previous.time } : {}),
        },
      },
    };
  });
  const invited = await sendInvitations(service, record);
  logInfo('Meeting scheduled', { caseId: record.caseId, version: answer.version, invited });
  return answer;
}

/**
 * Records who attended: the whole list, replacing any before (audited); each attendee's
 * declaration of conflicts ("none", or what they declared) and their agreement to confidentiality
 * (every attendee must have agreed). Only once the meeting is scheduled.
 *
 * @throws NotFoundError, InvalidInputError (`attendees.2.confidentialityAgreed`…), ConflictError.
 */
export async function recordAttendance(
  service: MeetingPorts,
  submission: { caseId: string; attendance: unknown; recordedBy: StaffMember },
): Promise<RrgMeeting> {
  const answers: AttendanceAnswers = parseInput(attendanceAnswers, submission.attendance, 'attendance');
  const now = service.clock.now().toISOString();
  const { answer } = await saveWith(service, submission.caseId, (current) => {
    const refused = notScheduledRefusal(current);
    if (refused) throw refused;
    const meeting: RrgMeeting = {
      ...(current.meeting as RrgMeeting),
      attendees: answers.attendees,
      attendanceRecordedAt: now,
      attendanceRecordedBy: submission.recordedBy.id,
      ...(submission.recordedBy.name ? { attendanceRecordedByName: submission.recordedBy.name } : {}),
    };
    const declared = answers.attendees.filter((attendee) => !declaresNoConflicts(attendee.conflicts)).length;
    return {
      changes: { meeting },
      answer: meeting,
      audit: {
        actor: actorOf(submission.recordedBy),
        at: now,
        action: current.meeting?.attendees ? 'meeting.attendance-replaced' : 'meeting.attendance-recorded',
        reason: `The partnership team recorded who attended the Rapid Review Group meeting: ${answers.attendees.length} ${answers.attendees.length === 1 ? 'attendee' : 'attendees'}, ${declared} declaring a conflict of interest`,
        details: { attendees: answers.attendees.length, conflictsDeclared: declared },
      },
    };
  });
  return answer;
}

// ── Staff uploads: the minutes and the Panel's letter ────────────────────────────────────────

/** A file a member of staff uploaded: its name as given and its bytes. */
export interface StaffUpload {
  fileName: string;
  content: Uint8Array;
}

/** The file checked by its bytes (PDF or Word .docx), its size (1 byte to 4 MB); the field named `file`. */
export function checkedUpload(upload: StaffUpload) {
  const fail = (message: string) => new InvalidInputError('upload', [{ field: 'file', message }]);
  if (upload.content.byteLength === 0) throw fail('The selected file is empty');
  if (upload.content.byteLength > STAFF_UPLOAD_MAX_BYTES)
    throw fail('The selected file must be 4 MB or smaller');
  const kind = uploadedFileKind(upload.content);
  if (!kind) throw fail('The selected file must be a PDF or a Word document (.docx)');
  const fileName =
    upload.fileName
      .replace(/[\p{Cc}\\/]+/gu, ' ')
      .trim()
      .slice(0, 200) || `document.${kind}`;
  return { kind, mediaType: mediaTypeOfKind[kind], fileName };
}

/**
 * Uploads the meeting's minutes (PDF or Word .docx, checked by their bytes), filed with the case's
 * documents; a later upload replaces them (audited). Only once the meeting is scheduled.
 *
 * @throws NotFoundError, InvalidInputError (field `file`), ConflictError.
 */
export async function uploadMinutes(
  service: MeetingPorts,
  submission: { caseId: string; upload: StaffUpload; uploadedBy: StaffMember },
): Promise<StaffDocument> {
  const checked = checkedUpload(submission.upload);
  const record = await caseRecord(service, submission.caseId);
  const refused = notScheduledRefusal(record);
  if (refused) throw refused;
  const key = caseDocumentKeys.meetingMinutes(record.caseId, checked.kind);
  await service.documents.put(key, submission.upload.content, checked.mediaType);
  const document = staffDocumentOf(service, key, checked, submission);
  const { answer } = await saveWith(service, record.caseId, (current) => {
    const again = notScheduledRefusal(current);
    if (again) throw again;
    return {
      changes: { meeting: { ...(current.meeting as RrgMeeting), minutes: document } },
      answer: document,
      audit: {
        actor: actorOf(submission.uploadedBy),
        at: document.uploadedAt,
        action: current.meeting?.minutes ? 'meeting.minutes-replaced' : 'meeting.minutes-uploaded',
        reason: 'The partnership team uploaded the minutes of the Rapid Review Group meeting',
        details: { kind: checked.kind, bytes: document.bytes },
      },
    };
  });
  return answer;
}

/** Refuses the Panel's letter on a case whose reply is not recorded yet. */
export function panelLetterRefusal(record: CaseRecord): ConflictError | undefined {
  if (!record.panelReply) {
    return new ConflictError(
      `The Panel's reply on case ${record.reference} has not been recorded yet: record it before uploading its letter`,
      'Panel reply not yet recorded',
    );
  }
  return undefined;
}

/**
 * Uploads the Panel's letter (PDF or Word .docx, checked by its bytes), filed with the case's
 * documents, once the Panel's reply is recorded; a later upload replaces it (audited).
 *
 * @throws NotFoundError, InvalidInputError (field `file`), ConflictError.
 */
export async function uploadPanelLetter(
  service: MeetingPorts,
  submission: { caseId: string; upload: StaffUpload; uploadedBy: StaffMember },
): Promise<StaffDocument> {
  const checked = checkedUpload(submission.upload);
  const record = await caseRecord(service, submission.caseId);
  const refused = panelLetterRefusal(record);
  if (refused) throw refused;
  const key = caseDocumentKeys.panelLetter(record.caseId, checked.kind);
  await service.documents.put(key, submission.upload.content, checked.mediaType);
  const document = staffDocumentOf(service, key, checked, submission);
  const { answer } = await saveWith(service, record.caseId, (current) => {
    const again = panelLetterRefusal(current);
    if (again) throw again;
    const reply = current.panelReply as NonNullable<CaseRecord['panelReply']>;
    return {
      changes: { panelReply: { ...reply, letterDocumentKey: key } },
      answer: document,
      audit: {
        actor: actorOf(submission.uploadedBy),
        at: document.uploadedAt,
        action: reply.letterDocumentKey ? 'panel-reply.letter-replaced' : 'panel-reply.letter-uploaded',
        reason: "The partnership team uploaded the Panel's letter",
        details: { kind: checked.kind, bytes: document.bytes, fileName: document.fileName },
      },
    };
  });
  return answer;
}

function staffDocumentOf(
  service: Pick<Service, 'clock'>,
  key: string,
  checked: { mediaType: string; fileName: string },
  submission: { upload: StaffUpload; uploadedBy: StaffMember },
): StaffDocument {
  return {
    key,
    fileName: checked.fileName,
    mediaType: checked.mediaType,
    bytes: submission.upload.content.byteLength,
    uploadedAt: service.clock.now().toISOString(),
    uploadedBy: submission.uploadedBy.id,
    ...(submission.uploadedBy.name ? { uploadedByName: submission.uploadedBy.name } : {}),
  };
}
