import type { EmailMessage } from '../adapters/mailer.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import { CaseNotFoundError, ConflictError, UnavailableError } from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import { type StructuredReturn, structuredReturn } from '../schemas/agency-return.ts';
import { type AgencyRequest, type CaseRecord, type CaseStatus, steerReason } from '../schemas/case.ts';
import type { StaffMember } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { addendumTitle, lateReturnAddendumPdf } from '../workflow/addendum.ts';
import {
  isRemoved,
  isWordKey,
  offeredName,
  returnedDocumentKey,
} from '../workflow/agency-returns-wording.ts';
import { type EmailContext, emailContext, SIGN_OFF } from '../workflow/emails.ts';
import { formatInstant } from '../workflow/london-time.ts';
import { caseUrl, hasReached } from '../workflow/steps.ts';
import { saveReturnVersion } from './agency-structured-return.ts';
import { PAPERS_LINK_SECONDS } from './distribute-papers.ts';
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

/** What a return the team entered answers. */
export interface TeamReturn {
  agencyId: string;
  agencyName: string;
  version: number;
  kind: StructuredReturn['kind'];
  receivedAt: string;
  late: boolean;
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

export type ReturnOnBehalfPorts = Pick<Service, 'cases' | 'clock'>;

/**
 * Enters an agency's structured return on its behalf while the summaries are still gathered: a
 * new version by the partnership team (the member named), the agency received (late after the
 * Day 10 deadline), audited with the reason. No email: the agency's contact is not sent a receipt.
 *
 * @throws NotFoundError, InvalidInputError (each bad field named), ConflictError (collated:
 * take in a late return instead; withdrawn or closed; agency removed).
 */
export async function returnOnBehalf(
  service: ReturnOnBehalfPorts,
  submission: { caseId: string; agencyId: string; answer: unknown; member: StaffMember },
): Promise<TeamReturn> {
  const caseId = validCaseId(submission.caseId);
  const agencyId = validAgencyId(submission.agencyId);
  const { answers, reason } = parseInput(teamReturnAnswers, submission.answer, 'return');
  const saved = await saveReturnVersion(service, {
    read: async () => {
      const file = await caseWithAgencies(service, caseId);
      return { record: file.case, agency: agencyOf(file.agencies, agencyId) };
    },
    refuse: (record, agency) => onBehalfRefusal(record, agency, service.clock.now()),
    answers,
    by: byTheTeam(submission.member),
    audit: ({ agency, entry, late }) => ({
      actor: actorOf(submission.member),
      at: entry.submittedAt,
      action: 'return.entered-by-team',
      reason: `The partnership team entered ${agency.agencyName}'s return on its behalf (version ${entry.version}): ${what(answers)}${late ? ', after the Day 10 deadline' : ''}: ${reason}`,
      details: { agencyId, kind: answers.kind, version: entry.version, late },
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

/** The Rapid Review Group as distribute-papers picks it: chair, deputy chairs, members; one entry per address. */
function rapidReviewGroup(profile: Service['profile']): Map<string, { name: string; email: string }> {
  const { chair, deputyChairs, members } = profile.rapidReviewGroup;
  const group = new Map<string, { name: string; email: string }>();
  for (const person of [chair, ...deputyChairs, ...members]) {
    const address = person.email.toLowerCase();
    if (!group.has(address)) group.set(address, person);
  }
  return group;
}

/** The short email that brings an addendum to one member of the group. Names no child. */
export function addendumEmail(
  context: EmailContext,
  recipient: { name: string; email: string },
  addendum: {
    number: number;
    agencyName: string;
    receivedAt: string;
    url: string;
    expiresAt: string;
    caseUrl: string;
    /** The file the agency sent (PDF or Word), linked on its own: the addendum does not hold it. */
    file?: { fileName: string; url: string };
  },
): EmailMessage {
  const { record, timeZone } = context;
  const word = addendum.file;
  return {
    to: [recipient.email],
    subject: `${context.partnershipName}: addendum to the papers for Rapid Review ${record.reference}: late return from ${addendum.agencyName}`,
    text:
      `Dear ${recipient.name},\n\n` +
      `${addendum.agencyName}'s return for Rapid Review ${record.reference} came after the papers were collated. The partnership team took it in at ${formatInstant(addendum.receivedAt, timeZone)}, and it is now addendum ${addendum.number} to the papers. The collated report itself is unchanged.\n\n` +
      `Addendum (PDF):\n${addendum.url}\n\n` +
      (word ? `The file ${addendum.agencyName} sent (${word.fileName}):\n${word.url}\n\n` : '') +
      `${word ? 'These links stop' : 'This link stops'} working at ${formatInstant(addendum.expiresAt, timeZone)}. After that, sign in and open the case for fresh links:\n${addendum.caseUrl}\n\n` +
      'Please do not forward this link; the papers are confidential to the Rapid Review Group.' +
      SIGN_OFF(context),
  };
}

/**
 * Takes in an agency's return after collation and before the submission to the Panel: a new
 * version by the partnership team (the member named), the agency received and late, audited with
 * the reason; then an addendum to the papers (the agency's section as the collated report lays it
 * out; the agency's file, PDF or Word, linked on its own) filed with the case documents before the write, and one short email to
 * each member of the Rapid Review Group with its link, once per addendum.
 *
 * @throws NotFoundError, InvalidInputError (each bad field named), ConflictError (not collated
 * yet; gone to the Panel or ended; agency removed), UnavailableError (taken in and filed; not
 * everyone emailed yet).
 */
export async function acceptLateReturn(
  service: AcceptLateReturnPorts,
  submission: { caseId: string; agencyId: string; answer: unknown; member: StaffMember },
): Promise<LateReturn> {
  const caseId = validCaseId(submission.caseId);
  const agencyId = validAgencyId(submission.agencyId);
  const { answers, reason } = parseInput(teamReturnAnswers, submission.answer, 'late return');
  // Numbered from the addenda already filed, read with the case each attempt.
  let number = 0;
  const saved = await saveReturnVersion(service, {
    read: async () => {
      const file = await service.cases.getCaseFile(caseId).catch((error: unknown) => {
        throw error instanceof CaseNotFoundError ? caseNotFound() : error;
      });
      number = file.audit.filter((event) => event.action === LATE_RETURN_ACTION).length + 1;
      return { record: file.case, agency: agencyOf(file.agencies, agencyId) };
    },
    refuse: lateReturnRefusal,
    answers,
    by: byTheTeam(submission.member),
    audit: ({ agency, entry, late }) => ({
      actor: actorOf(submission.member),
      at: entry.submittedAt,
      action: LATE_RETURN_ACTION,
      reason: `The partnership team took in ${agency.agencyName}'s late return after collation (version ${entry.version}): ${what(answers)}; it goes to the Rapid Review Group as addendum ${number} to the papers: ${reason}`,
      details: {
        agencyId,
        kind: answers.kind,
        version: entry.version,
        late: late,
        addendum: number,
        addendumKey: addendumKey(caseId, number),
      },
      // One addendum per number: two taken in at once cannot both be number n.
      eventId: `addendum-${number}`,
    }),
  });
  const { record, entry } = saved;
  const agency: AgencyRequest = {
    ...saved.agency,
    status: 'received',
    late: saved.late,
    receivedAt: saved.firstReceipt ? entry.submittedAt : (saved.agency.receivedAt ?? entry.submittedAt),
    returns: [...(saved.agency.returns ?? []), entry],
  };
  const key = addendumKey(caseId, number);
  const group = rapidReviewGroup(service.profile);
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
      { number, receivedAt: entry.submittedAt, ...(file ? { file } : {}) },
    );
    await service.documents.put(key, pdf, 'application/pdf');
    const expiresAt = new Date(now.getTime() + PAPERS_LINK_SECONDS * 1000).toISOString();
    const url = await service.documents.downloadUrl(
      key,
      PAPERS_LINK_SECONDS,
      `addendum-${number}-${record.reference}.pdf`,
    );
    const fileLink = file
      ? {
          fileName: file.fileName,
          url: await service.documents.downloadUrl(file.documentKey, PAPERS_LINK_SECONDS, file.fileName),
        }
      : undefined;
    const context = emailContext(service.profile, record);
    await service.mailer.sendEachOnce(
      [...group].map(([address, person]) => ({
        key: `${caseId}:LateReturnAddendum:${number}:${address}`,
        message: addendumEmail(context, person, {
          number,
          agencyName: agency.agencyName,
          receivedAt: entry.submittedAt,
          url,
          expiresAt,
          caseUrl: caseUrl(service.publicBaseUrl, caseId),
          ...(fileLink ? { file: fileLink } : {}),
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
    version: entry.version,
    kind: answers.kind,
    receivedAt: entry.submittedAt,
    late: saved.late,
    addendum: { number, title: addendumTitle(agency.agencyName), recipients: group.size },
  };
}
