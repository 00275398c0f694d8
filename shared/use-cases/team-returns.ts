import type { EmailMessage } from '../adapters/mailer.ts';
import { rapidReviewGroupPeople, rulesOf } from '../config/partnership-profile.ts';
import {
  CaseNotFoundError,
  ConflictError,
  DuplicateWriteError,
  type InvalidField,
  InvalidInputError,
  StaleWriteError,
  UnavailableError,
} from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import { countReturnReceived } from '../metrics.ts';
import { type StructuredReturn, structuredReturn } from '../schemas/agency-return.ts';
import { type AgencyRequest, type CaseRecord, type CaseStatus, steerReason } from '../schemas/case.ts';
import type { StaffMember } from '../schemas/roles.ts';
import { milestone } from '../schemas/timetable.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { AuditInput } from '../stores/case-store.ts';
import { invalidFields } from '../validation.ts';
import { addendumTitle, lateReturnAddendumPdf } from '../workflow/addendum.ts';
import {
  isRemoved,
  isWordKey,
  offeredName,
  returnedDocumentKey,
} from '../workflow/agency-returns-wording.ts';
import { emailSubject } from '../workflow/email-subject.ts';
import { type EmailContext, emailContext, replyToTeam, SIGN_OFF } from '../workflow/emails.ts';
import { formatInstant } from '../workflow/london-time.ts';
import { caseUrl, hasReached } from '../workflow/steps.ts';
import { type NextReturnVersion, saveReturnVersion } from './agency-structured-return.ts';
import { checkedUpload, type StaffUpload } from './rrg-meeting.ts';
import { staffUploadBody } from './staff-upload-body.ts';
import {
  actorOf,
  agenciesRefusal,
  agencyNotFound,
  caseNotFound,
  caseWithAgencies,
  validAgencyId,
  validCaseId,
} from './steer-agencies.ts';

/**
 * The partnership team makes an agency's return for it (issue 10 part 3), each with its reason in
 * the audit trail and the version marked as entered by the team (named):
 *
 * - on the agency's behalf while the summaries are gathered: received as the agency's own return
 *   would be (late after the Day 10 deadline); the agency's contact is not emailed a receipt (the
 *   team has the return in hand, and the contact did not send it through the link);
 * - a late return after collation, before the submission to the Panel: the return goes to the
 *   Rapid Review Group as an addendum to the papers (a PDF filed with the case documents) with
 *   one short email each, once per addendum.
 */

/** The return the team enters, and why. */
export const teamReturnAnswers = z.extend(steerReason, { answers: structuredReturn });
export type TeamReturnAnswers = z.infer<typeof teamReturnAnswers>;

/**
 * What the team's routes take: the answers, the agency's summary as a file (PDF or Word .docx,
 * `{ fileName, contentBase64 }`, at most 4 MB), or both; and the reason. At least one of the
 * answers or the file (a 400 naming `answers` when neither).
 */
export const teamReturnInput = z.extend(steerReason, {
  answers: z.optional(structuredReturn),
  file: z.optional(staffUploadBody),
});

/** The team's return as checked: the answers and the file (checked by its bytes), at least one. */
export interface CheckedTeamReturn {
  answers?: StructuredReturn;
  file?: StaffUpload & ReturnType<typeof checkedUpload>;
  reason: string;
}

/**
 * Checks what the team sent, before the case is read: the answers and the reason by the schema;
 * the file (from the JSON body, or `upload` from the pages' multipart form) by its bytes, named
 * `file`; each bad field named at once.
 */
export function checkTeamReturn(
  body: unknown,
  upload: StaffUpload | undefined,
  what: string,
): CheckedTeamReturn {
  const parsed = teamReturnInput.safeParse(body);
  const fields: InvalidField[] = parsed.success ? [] : invalidFields(parsed.error);
  const given = parsed.success ? parsed.data : undefined;
  const raw =
    upload ??
    (given?.file
      ? {
          fileName: given.file.fileName,
          content: new Uint8Array(Buffer.from(given.file.contentBase64, 'base64')),
        }
      : undefined);
  let file: CheckedTeamReturn['file'];
  if (raw) {
    try {
      file = { ...raw, ...checkedUpload(raw) };
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      fields.push(...error.fields);
    }
  }
  const bodyAnswers = body && typeof body === 'object' ? (body as { answers?: unknown }).answers : undefined;
  const bodyFile = body && typeof body === 'object' ? (body as { file?: unknown }).file : undefined;
  if (bodyAnswers === undefined && bodyFile === undefined && !upload) {
    fields.push({ field: 'answers', message: "Enter the agency's return, or upload its summary" });
  }
  if (fields.length > 0 || !given) throw new InvalidInputError(what, fields);
  return {
    ...(given.answers ? { answers: given.answers } : {}),
    ...(file ? { file } : {}),
    reason: given.reason,
  };
}

/** Where the n-th file the team uploads for an agency is filed, with the case documents. */
export const teamUploadKey = (caseId: string, agencyId: string, number: number, kind: 'pdf' | 'docx') =>
  `cases/${caseId}/agencies/${agencyId}/team-upload-${number}.${kind}`;

/**
 * The audit events that filed a team upload for the agency: how many numbers were used before
 * the store kept a counter of them (see `takeTeamUploadNumber`).
 */
const teamUploadsOf = (audit: readonly { details?: Record<string, unknown> }[], agencyId: string) =>
  audit.filter(
    (event) => event.details?.agencyId === agencyId && typeof event.details?.teamUpload === 'string',
  ).length;

/** The team's file filed with the case documents, under the agency's next key; before any write. */
async function fileTeamUpload(
  service: Pick<Service, 'cases' | 'documents'>,
  ids: { caseId: string; agencyId: string },
  file: NonNullable<CheckedTeamReturn['file']>,
  refuse: (record: CaseRecord, agency: AgencyRequest) => Error | undefined,
): Promise<string> {
  const caseFile = await service.cases.getCaseFile(ids.caseId).catch((error: unknown) => {
    throw error instanceof CaseNotFoundError ? caseNotFound() : error;
  });
  const refused = refuse(caseFile.case, agencyOf(caseFile.agencies, ids.agencyId));
  if (refused) throw refused;
  // Taken by an atomic increment, not counted from the audit alone: two uploads at once would
  // count the same and the second file would overwrite the first.
  const number = await service.cases.takeTeamUploadNumber(
    ids.caseId,
    ids.agencyId,
    teamUploadsOf(caseFile.audit, ids.agencyId),
  );
  const key = teamUploadKey(ids.caseId, ids.agencyId, number, file.kind);
  await service.documents.put(key, file.content, file.mediaType);
  return key;
}

/** What the audit keeps of the team's file: its key, name, kind and size (never its contents). */
const uploadDetails = (key: string, file: NonNullable<CheckedTeamReturn['file']>) => ({
  teamUpload: key,
  documentKey: key,
  fileName: file.fileName,
  fileKind: file.kind,
  bytes: file.content.byteLength,
});

/** How many times a file-only return re-reads after losing a race with another writer. */
const SAVE_ATTEMPTS = 4;

/**
 * A return that is only a file (no answers, so no version: a version holds answers): the agency
 * marked received as the agency's own upload marks it (record-summary): its `documentKey`,
 * `status`, `receivedAt` and `late` (late after the Day 10 deadline; a return already received
 * keeps its first time and lateness), written with its audit event against the case as read.
 */
async function saveFileOnly(
  service: Pick<Service, 'cases' | 'clock'>,
  save: {
    read: () => Promise<{ record: CaseRecord; agency: AgencyRequest }>;
    refuse: (record: CaseRecord, agency: AgencyRequest) => Error | undefined;
    documentKey: string;
    /** The team member's name: the file is marked as uploaded by the team for the agency. */
    byName?: string | undefined;
    audit: (next: { agency: AgencyRequest; at: string; late: boolean }) => AuditInput;
  },
): Promise<{ record: CaseRecord; agency: AgencyRequest; at: string; late: boolean; firstReceipt: boolean }> {
  for (let attempt = 1; ; attempt += 1) {
    const { record, agency } = await save.read();
    const refused = save.refuse(record, agency);
    if (refused) throw refused;
    const at = service.clock.now().toISOString();
    const firstReceipt = agency.status !== 'received';
    const dueAt = milestone(record.timetable, 'agencySummariesDue').dueAt;
    const late = firstReceipt ? Date.parse(at) > Date.parse(dueAt) : agency.late;
    const receivedAt = firstReceipt ? at : (agency.receivedAt ?? at);
    try {
      const saved = await service.cases.updateAgencyRequest(
        agency,
        {
          status: 'received',
          receivedAt,
          late,
          documentKey: save.documentKey,
          uploadedByTeam: { at, ...(save.byName ? { byName: save.byName } : {}) },
        },
        save.audit({ agency, at, late }),
        { caseVersion: record.version },
      );
      if (firstReceipt) countReturnReceived(late ? 'Late' : 'OnTime');
      return { record, agency: saved, at, late, firstReceipt };
    } catch (error) {
      const lostRace = error instanceof StaleWriteError || error instanceof DuplicateWriteError;
      if (!lostRace || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
}

/** What a return the team entered answers. */
export interface TeamReturn {
  agencyId: string;
  agencyName: string;
  /** The version the answers were kept as; none for a return that is only a file. */
  version?: number;
  kind?: StructuredReturn['kind'];
  receivedAt: string;
  late: boolean;
  /** The file the team uploaded for the agency, filed with the case documents. */
  file?: { fileName: string; kind: 'pdf' | 'docx'; documentKey: string };
}

const what = (answers: StructuredReturn) =>
  answers.kind === 'no-involvement' ? 'no involvement' : 'its involvement';

const byTheTeam = (member: StaffMember) =>
  ({ by: 'partnership-team', ...(member.name ? { byName: member.name } : {}) }) as const;

function agencyOf(agencies: readonly AgencyRequest[], agencyId: string): AgencyRequest {
  const agency = agencies.find((candidate) => candidate.agencyId === agencyId);
  if (!agency) throw agencyNotFound();
  return agency;
}

const removedRefusal = (agency: AgencyRequest) =>
  isRemoved(agency)
    ? new ConflictError(`${agency.agencyName} has been removed from this review`, 'Agency removed')
    : undefined;

// ── On the agency's behalf, before collation ────────────────────────────────────────────────

/**
 * Refuses a return on the agency's behalf the case cannot take. Like the agency's own return, it
 * is taken until the workflow collates (not only until collation's start time), so a return that
 * came in by phone on Day 10 evening still reaches the collated report; after that, it is a late
 * return (an addendum).
 */
export function onBehalfRefusal(
  record: CaseRecord,
  agency: AgencyRequest,
  now: Date,
): ConflictError | undefined {
  if (record.status === 'withdrawn' || record.status === 'closed') return agenciesRefusal(record, now);
  if (hasReached(record.status, 'collating')) {
    return new ConflictError(
      `The summaries for case ${record.reference} have been collated: take in ${agency.agencyName}'s return as a late return instead`,
      'Summaries already collated',
    );
  }
  return removedRefusal(agency);
}

export type ReturnOnBehalfPorts = Pick<Service, 'cases' | 'clock' | 'documents'>;

/**
 * Makes an agency's return on its behalf while the summaries are still gathered: the answers as a
 * new version by the partnership team (the member named), the agency's summary as a file the team
 * uploads (filed with the case documents, the agency's file and the version's), or both. The
 * agency received (late after the Day 10 deadline), audited with the reason. A file alone makes no
 * version (a version holds answers): it marks the agency received as its own upload would. No
 * email: the agency's contact is not sent a receipt.
 *
 * @throws NotFoundError, InvalidInputError (each bad field named; `answers` when neither answers
 * nor a file; `file` for a file that is not a PDF or Word document, empty, or over 4 MB),
 * ConflictError (collated: take in a late return instead; withdrawn or closed; agency removed).
 */
export async function returnOnBehalf(
  service: ReturnOnBehalfPorts,
  submission: {
    caseId: string;
    agencyId: string;
    answer: unknown;
    upload?: StaffUpload;
    member: StaffMember;
  },
): Promise<TeamReturn> {
  const caseId = validCaseId(submission.caseId);
  const agencyId = validAgencyId(submission.agencyId);
  const { answers, file, reason } = checkTeamReturn(submission.answer, submission.upload, 'return');
  const read = async () => {
    const found = await caseWithAgencies(service, caseId);
    return { record: found.case, agency: agencyOf(found.agencies, agencyId) };
  };
  const refuse = (record: CaseRecord, agency: AgencyRequest) =>
    onBehalfRefusal(record, agency, service.clock.now());
  const documentKey = file ? await fileTeamUpload(service, { caseId, agencyId }, file, refuse) : undefined;
  const uploaded =
    file && documentKey ? { fileName: file.fileName, kind: file.kind, documentKey } : undefined;
  if (!answers) {
    const saved = await saveFileOnly(service, {
      read,
      refuse,
      documentKey: documentKey as string,
      byName: submission.member.name,
      audit: ({ agency, at, late }) => ({
        actor: actorOf(submission.member),
        at,
        action: 'return.uploaded-by-team',
        reason: `The partnership team uploaded ${agency.agencyName}'s summary for it${late ? ', after the Day 10 deadline' : ''}: ${reason}`,
        details: {
          agencyId,
          late,
          ...uploadDetails(documentKey as string, file as NonNullable<typeof file>),
        },
        eventId: `${agencyId}-${(documentKey as string).split('/').at(-1)}`,
      }),
    });
    logInfo('Summary uploaded by the partnership team', { caseId, agencyId });
    return {
      agencyId,
      agencyName: saved.agency.agencyName,
      receivedAt: saved.firstReceipt ? saved.at : (saved.agency.receivedAt ?? saved.at),
      late: saved.late,
      ...(uploaded ? { file: uploaded } : {}),
    };
  }
  const saved = await saveReturnVersion(service, {
    read,
    refuse,
    answers,
    by: { ...byTheTeam(submission.member), ...(documentKey ? { documentKey } : {}) },
    audit: ({ agency, entry, late }) => ({
      actor: actorOf(submission.member),
      at: entry.submittedAt,
      action: 'return.entered-by-team',
      reason: `The partnership team entered ${agency.agencyName}'s return on its behalf (version ${entry.version}): ${what(answers)}${file ? ', with its summary uploaded' : ''}${late ? ', after the Day 10 deadline' : ''}: ${reason}`,
      details: {
        agencyId,
        kind: answers.kind,
        version: entry.version,
        late,
        ...(documentKey && file ? uploadDetails(documentKey, file) : {}),
      },
      // The agency's own return uses the same id: two writers of one version cannot both land.
      eventId: `return-${agencyId}-v${entry.version}`,
    }),
  });
  logInfo('Return entered by the partnership team', { caseId, agencyId, version: saved.entry.version });
  return {
    agencyId,
    agencyName: saved.agency.agencyName,
    version: saved.entry.version,
    kind: answers.kind,
    receivedAt: saved.entry.submittedAt,
    late: saved.late,
    ...(uploaded ? { file: uploaded } : {}),
  };
}

// ── A late return after collation: an addendum to the papers ─────────────────────────────────

export type AcceptLateReturnPorts = Pick<
  Service,
  'cases' | 'clock' | 'documents' | 'mailer' | 'profile' | 'publicBaseUrl'
>;

/** Where the case may take a late return: collated, not yet gone to the Panel. */
const takingLateReturns: readonly CaseStatus[] = ['collating', 'awaiting-decision', 'decided'];

/** The audit action that files an addendum; how many there are numbers the next. */
export const LATE_RETURN_ACTION = 'return.late-taken-in';

/** Where the n-th addendum to a case's papers is filed. */
export const addendumKey = (caseId: string, number: number) => `cases/${caseId}/addendum-${number}.pdf`;

/** Refuses a late return the case cannot take. */
export function lateReturnRefusal(
  record: Pick<CaseRecord, 'reference' | 'status'>,
  agency: AgencyRequest,
): ConflictError | undefined {
  if (record.status === 'withdrawn') {
    return new ConflictError(`Case ${record.reference} has been withdrawn`, 'Review withdrawn');
  }
  if (record.status === 'closed') {
    return new ConflictError(`Case ${record.reference} is closed as notification only`, 'Review closed');
  }
  if (record.status === 'notified' || record.status === 'awaiting-summaries') {
    return new ConflictError(
      `The summaries for case ${record.reference} have not been collated yet: enter ${agency.agencyName}'s return on its behalf instead`,
      'Not collated yet',
    );
  }
  if (!takingLateReturns.includes(record.status)) {
    return new ConflictError(
      `Case ${record.reference} has already gone to the Panel or ended: it can no longer take a late return`,
      'Review not taking returns',
    );
  }
  return removedRefusal(agency);
}

/** What taking in a late return answers: the return, and the addendum that carried it. */
export interface LateReturn extends TeamReturn {
  addendum: { number: number; title: string; recipients: number };
}

/**
 * The short email that brings an addendum to one member of the group: the addendum and the
 * agency's file are on the case page, behind a sign-in. Names no child.
 */
export function addendumEmail(
  context: EmailContext,
  recipient: { name: string; email: string },
  addendum: {
    number: number;
    agencyName: string;
    receivedAt: string;
    caseUrl: string;
    /** The agency's file (PDF or Word) is on the case page beside the addendum, which does not hold it. */
    withFile?: boolean;
    /** The file was uploaded by the partnership team for the agency. */
    fileByTeam?: boolean;
  },
): EmailMessage {
  const { record, timeZone } = context;
  const file = addendum.withFile
    ? ` Beside it is ${addendum.fileByTeam ? `the file the partnership team uploaded for ${addendum.agencyName}` : `the file ${addendum.agencyName} sent`}.`
    : '';
  return {
    to: [recipient.email],
    ...replyToTeam(context),
    subject: emailSubject(
      record.reference,
      `addendum to the papers: late return from ${addendum.agencyName}`,
    ),
    text:
      `Dear ${recipient.name},\n\n` +
      `${addendum.agencyName}'s return for Rapid Review ${record.reference} came after the papers were collated. The partnership team took it in at ${formatInstant(addendum.receivedAt, timeZone)}, and it is now addendum ${addendum.number} to the papers. The collated report itself is unchanged.\n\n` +
      `The addendum (PDF) is on the case page, under Documents.${file}\n\n` +
      `Sign in to read it:\n${addendum.caseUrl}\n\n` +
      'The papers are confidential to the Rapid Review Group.' +
      SIGN_OFF(context),
  };
}

/**
 * Takes in an agency's return after collation and before the submission to the Panel: a new
 * version by the partnership team (the member named), the agency received and late, audited with
 * the reason; then an addendum to the papers (the agency's section as the collated report lays it
 * out; the agency's file, PDF or Word, named in it) filed with the case documents before the write, and one short email to
 * each member of the Rapid Review Group saying it is on the case page, once per addendum.
 *
 * @throws NotFoundError, InvalidInputError (each bad field named), ConflictError (not collated
 * yet; gone to the Panel or ended; agency removed), UnavailableError (taken in and filed; not
 * everyone emailed yet).
 */
export async function acceptLateReturn(
  service: AcceptLateReturnPorts,
  submission: {
    caseId: string;
    agencyId: string;
    answer: unknown;
    upload?: StaffUpload;
    member: StaffMember;
  },
): Promise<LateReturn> {
  const caseId = validCaseId(submission.caseId);
  const agencyId = validAgencyId(submission.agencyId);
  const { answers, file, reason } = checkTeamReturn(submission.answer, submission.upload, 'late return');
  const documentKey = file
    ? await fileTeamUpload(service, { caseId, agencyId }, file, lateReturnRefusal)
    : undefined;
  const uploaded =
    file && documentKey ? { fileName: file.fileName, kind: file.kind, documentKey } : undefined;
  // Numbered from the addenda already filed, read with the case each attempt.
  let number = 0;
  const read = async () => {
    const found = await service.cases.getCaseFile(caseId).catch((error: unknown) => {
      throw error instanceof CaseNotFoundError ? caseNotFound() : error;
    });
    number = found.audit.filter((event) => event.action === LATE_RETURN_ACTION).length + 1;
    return { record: found.case, agency: agencyOf(found.agencies, agencyId) };
  };
  const addendumDetails = () => ({ addendum: number, addendumKey: addendumKey(caseId, number) });
  let record: CaseRecord;
  let agency: AgencyRequest;
  let receivedAt: string;
  let late: boolean;
  let entry: NextReturnVersion['entry'] | undefined;
  if (!answers) {
    const saved = await saveFileOnly(service, {
      read,
      refuse: lateReturnRefusal,
      documentKey: documentKey as string,
      byName: submission.member.name,
      audit: ({ agency, at, late }) => ({
        actor: actorOf(submission.member),
        at,
        action: LATE_RETURN_ACTION,
        reason: `The partnership team uploaded ${agency.agencyName}'s summary for it after collation; it goes to the Rapid Review Group as addendum ${number} to the papers: ${reason}`,
        details: {
          agencyId,
          late,
          ...uploadDetails(documentKey as string, file as NonNullable<typeof file>),
          ...addendumDetails(),
        },
        // One addendum per number: two taken in at once cannot both be number n.
        eventId: `addendum-${number}`,
      }),
    });
    ({ record, agency, late } = saved);
    receivedAt = saved.at;
  } else {
    const saved = await saveReturnVersion(service, {
      read,
      refuse: lateReturnRefusal,
      answers,
      by: { ...byTheTeam(submission.member), ...(documentKey ? { documentKey } : {}) },
      audit: ({ agency, entry, late }) => ({
        actor: actorOf(submission.member),
        at: entry.submittedAt,
        action: LATE_RETURN_ACTION,
        reason: `The partnership team took in ${agency.agencyName}'s late return after collation (version ${entry.version}): ${what(answers)}${file ? ', with its summary uploaded' : ''}; it goes to the Rapid Review Group as addendum ${number} to the papers: ${reason}`,
        details: {
          agencyId,
          kind: answers.kind,
          version: entry.version,
          late: late,
          ...(documentKey && file ? uploadDetails(documentKey, file) : {}),
          ...addendumDetails(),
        },
        // One addendum per number: two taken in at once cannot both be number n.
        eventId: `addendum-${number}`,
      }),
    });
    ({ record, entry, late } = saved);
    receivedAt = entry.submittedAt;
    agency = {
      ...saved.agency,
      status: 'received',
      late: saved.late,
      receivedAt: saved.firstReceipt ? entry.submittedAt : (saved.agency.receivedAt ?? entry.submittedAt),
      returns: [...(saved.agency.returns ?? []), entry],
      ...(documentKey ? { documentKey } : {}),
    };
  }
  const key = addendumKey(caseId, number);
  const group = rapidReviewGroupPeople(service.profile);
  try {
    const now = service.clock.now();
    const fileKey = returnedDocumentKey(agency);
    const file = fileKey
      ? {
          agencyName: agency.agencyName,
          documentKey: fileKey,
          fileName: offeredName(agency.agencyName, record.reference, isWordKey(fileKey) ? 'docx' : 'pdf'),
        }
      : undefined;
    const pdf = await lateReturnAddendumPdf(
      record,
      agency,
      { partnershipName: service.profile.partnershipName, timeZone: rulesOf(service.profile).timeZone, now },
      { number, receivedAt, ...(file ? { file } : {}), ...(uploaded ? { byTeam: true } : {}) },
    );
    await service.documents.put(key, pdf, 'application/pdf');
    const context = emailContext(service.profile, record);
    await service.mailer.sendEachOnce(
      group.map((person) => ({
        key: `${caseId}:LateReturnAddendum:${number}:${person.email.toLowerCase()}`,
        message: addendumEmail(context, person, {
          number,
          agencyName: agency.agencyName,
          receivedAt,
          caseUrl: caseUrl(service.publicBaseUrl, caseId),
          ...(file ? { withFile: true, fileByTeam: Boolean(agency.uploadedByTeam) } : {}),
        }),
      })),
    );
  } catch (error) {
    logError('Late return taken in; its addendum not sent', {
      caseId,
      agencyId,
      error: (error as Error).name,
    });
    throw new UnavailableError(
      `${agency.agencyName}'s late return is saved on case ${record.reference}, but its addendum could not be filed or sent to the Rapid Review Group just now. Tell the group, or send it yourselves from the case page.`,
      'Saved; addendum not sent yet',
    );
  }
  logInfo('Late return taken in; addendum sent', { caseId, agencyId, addendum: number });
  return {
    agencyId,
    agencyName: agency.agencyName,
    ...(entry ? { version: entry.version } : {}),
    ...(answers ? { kind: answers.kind } : {}),
    receivedAt,
    late,
    ...(uploaded ? { file: uploaded } : {}),
    addendum: { number, title: addendumTitle(agency.agencyName), recipients: group.length },
  };
}
