import type { EmailMessage } from '../adapters/mailer.ts';
import { DomainError, DuplicateWriteError, StaleWriteError } from '../errors.ts';
import { logInfo } from '../log.ts';
import { countReturnReceived } from '../metrics.ts';
import {
  type ReturnDraftAnswers,
  type ReturnVersion,
  returnDraftAnswers,
  type StructuredReturn,
  structuredReturn,
} from '../schemas/agency-return.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import { collationStartsAt, milestone } from '../schemas/timetable.ts';
import type { Service } from '../service.ts';
import type { AuditInput } from '../stores/case-store.ts';
import { parseInput } from '../validation.ts';
import { emailSubject } from '../workflow/email-subject.ts';
import { emailContext, replyToTeam, SIGN_OFF } from '../workflow/emails.ts';
import { formatInstant } from '../workflow/london-time.ts';
import { hasReached } from '../workflow/steps.ts';
import { resolveLink } from './agency-request.ts';
import { tellTeamOfLateReturn } from './late-return-notice.ts';

/**
 * An agency's structured return (issue 10 part 2), through its capability link: "no involvement"
 * or its involvement, kept as a draft between visits, submitted as a version of the return, and
 * corrected as a new version until collation starts. Every version is kept in the agency
 * request's `returns`, the latest last; the first one marks the agency's return received, which
 * stops the chasing, as an uploaded file does.
 */

/** Another writer (the workflow's reminder, an upload) may change the request between our read and our write. */
const SAVE_ATTEMPTS = 4;

/** What reading the return and its draft touches. */
export type AgencyReturnReadPorts = Pick<Service, 'cases' | 'clock' | 'profile'>;
/** What submitting touches: the receipt email too, and the team's email of a late return. */
export type AgencyReturnPorts = Pick<Service, 'cases' | 'clock' | 'profile' | 'mailer' | 'publicBaseUrl'>;

/** Collation has started: the agency's link no longer takes a return or a correction. */
export class ReturnsClosedError extends DomainError {
  override readonly name = 'ReturnsClosed';
  override readonly kind = 'conflict';
  constructor() {
    super(
      'The summaries for this review have been collated, so the return can no longer be made or corrected here. Contact the safeguarding partnership team.',
      'Returns closed',
    );
  }
}

/** What the agency's return pages show: the case by reference, the latest version, and until when it can be corrected. */
export interface AgencyReturnView {
  agency: string;
  caseReference: string;
  partnership: string;
  dueAt: string;
  /** When collation starts: the last moment a return or a correction is taken. */
  correctableUntil: string;
  closed: boolean;
  late: boolean;
  /** The latest version, when one was submitted. */
  latest?: ReturnVersion;
  /** Whether an uploaded file was accepted for this agency (the upload flow). */
  hasUpload: boolean;
}

function returnView(
  service: Pick<Service, 'profile'>,
  record: CaseRecord,
  agency: AgencyRequest,
): AgencyReturnView {
  const latest = agency.returns?.at(-1);
  return {
    agency: agency.agencyName,
    caseReference: record.reference,
    partnership: service.profile.partnershipName,
    dueAt: milestone(record.timetable, 'agencySummariesDue').dueAt,
    correctableUntil: collationStartsAt(record.timetable),
    closed: hasReached(record.status, 'collating'),
    late: agency.late,
    ...(latest ? { latest } : {}),
    hasUpload: agency.documentKey !== undefined,
  };
}

/** A submitted return as draft answers, for a correction to start from. */
export function draftFromReturn(answers: StructuredReturn): ReturnDraftAnswers {
  if (answers.kind === 'no-involvement') return { kind: 'no-involvement' };
  return {
    kind: 'involvement',
    involvedFrom: answers.involvedFrom,
    ...(answers.involvedTo ? { involvedTo: answers.involvedTo } : { stillInvolved: true }),
    rolesInvolved: answers.rolesInvolved,
    summary: answers.summary,
    episodes: answers.episodes.map((episode) => ({ ...episode })),
    immediateActions: answers.immediateActions,
    earlyLearning: answers.earlyLearning,
    protectedCharacteristics: answers.protectedCharacteristics ?? '',
  };
}

/**
 * The agency's return as its pages show it, and its answers so far: the saved draft, unless a
 * version was submitted since it was begun (then that version's answers, for a correction), or
 * nothing.
 *
 * @throws LinkNotUsableError
 */
export async function showAgencyReturn(
  service: AgencyReturnReadPorts,
  link: { token: string | undefined },
): Promise<{ view: AgencyReturnView; draft: ReturnDraftAnswers }> {
  const { record, agency } = await resolveLink(service, link.token, 'without-audit');
  const view = returnView(service, record, agency);
  const saved = await service.cases.getReturnDraft(record.caseId, agency.agencyId);
  const latest = view.latest;
  if (saved && saved.basedOnVersion === (latest?.version ?? 0)) return { view, draft: saved.answers };
  return { view, draft: latest ? draftFromReturn(latest.answers) : {} };
}

/**
 * Keeps the agency's answers so far (each already accepted by its page) until it submits. Writes
 * no audit event: nothing on the case changes until the return is submitted.
 *
 * @throws LinkNotUsableError, ReturnsClosedError, InvalidInputError
 */
export async function saveAgencyReturnDraft(
  service: AgencyReturnReadPorts,
  request: { token: string | undefined; answers: unknown },
): Promise<void> {
  const { record, agency } = await resolveLink(service, request.token, 'without-audit');
  if (hasReached(record.status, 'collating')) throw new ReturnsClosedError();
  const answers = parseInput(returnDraftAnswers, request.answers, 'draft');
  await service.cases.putReturnDraft({
    caseId: record.caseId,
    agencyId: agency.agencyId,
    savedAt: service.clock.now().toISOString(),
    basedOnVersion: agency.returns?.at(-1)?.version ?? 0,
    answers,
  });
}

/** What a submitted version answers. */
export interface SubmittedReturn {
  version: number;
  kind: StructuredReturn['kind'];
  /** When this version was received. */
  receivedAt: string;
  late: boolean;
  correctableUntil: string;
}

/** What `saveReturnVersion` works out for the version it is about to write, for its audit event. */
export interface NextReturnVersion {
  record: CaseRecord;
  agency: AgencyRequest;
  entry: ReturnVersion;
  /** Whether this version is the agency's first receipt (its `receivedAt` is now). */
  firstReceipt: boolean;
  late: boolean;
}

/**
 * Writes a return as the agency's next version (the first is version 1; a correction adds one,
 * the earlier versions kept) and marks the agency's return received: late after the Day 10
 * deadline, a return already received keeping its first time and lateness. Re-reads and tries
 * again when another writer changed the request meanwhile. Shared by the agency's own return and
 * the partnership team's (on the agency's behalf, or a late one after collation).
 *
 * @throws whatever `read` or `refuse` throws; StaleWriteError after the last attempt.
 */
export async function saveReturnVersion(
  service: Pick<Service, 'cases' | 'clock'>,
  save: {
    read: () => Promise<{ record: CaseRecord; agency: AgencyRequest }>;
    refuse: (record: CaseRecord, agency: AgencyRequest) => Error | undefined;
    answers: StructuredReturn;
    by: Pick<ReturnVersion, 'by' | 'byName' | 'documentKey'>;
    audit: (next: NextReturnVersion) => AuditInput;
  },
): Promise<NextReturnVersion> {
  for (let attempt = 1; ; attempt += 1) {
    const { record, agency } = await save.read();
    const refused = save.refuse(record, agency);
    if (refused) throw refused;
    const now = service.clock.now().toISOString();
    const earlier = agency.returns ?? [];
    const version = (earlier.at(-1)?.version ?? 0) + 1;
    const firstReceipt = agency.status !== 'received';
    const dueAt = milestone(record.timetable, 'agencySummariesDue').dueAt;
    const late = firstReceipt ? Date.parse(now) > Date.parse(dueAt) : agency.late;
    const documentKey = save.by.documentKey ?? agency.documentKey;
    const entry: ReturnVersion = {
      version,
      submittedAt: now,
      by: save.by.by,
      ...(save.by.byName ? { byName: save.by.byName } : {}),
      answers: save.answers,
      ...(documentKey ? { documentKey } : {}),
    };
    const next = { record, agency, entry, firstReceipt, late };
    try {
      await service.cases.updateAgencyRequest(
        agency,
        {
          status: 'received',
          receivedAt: firstReceipt ? now : (agency.receivedAt ?? now),
          late,
          returns: [...earlier, entry],
          // A file filed with this version (the partnership team's upload) is the agency's file now.
          ...(save.by.documentKey
            ? {
                documentKey: save.by.documentKey,
                // Marked as the team's upload when the team filed it (issue 10 part 3).
                uploadedByTeam:
                  save.by.by === 'partnership-team'
                    ? { at: now, ...(save.by.byName ? { byName: save.by.byName } : {}) }
                    : undefined,
              }
            : {}),
        },
        save.audit(next),
        // Judged on the case as read: a case that moved on meanwhile is refused on the next read.
        { caseVersion: record.version },
      );
    } catch (error) {
      const lostRace = error instanceof StaleWriteError || error instanceof DuplicateWriteError;
      if (!lostRace || attempt >= SAVE_ATTEMPTS) throw error;
      continue;
    }
    if (firstReceipt) countReturnReceived(late ? 'Late' : 'OnTime');
    return next;
  }
}

/**
 * Submits the agency's structured return as its next version (see `saveReturnVersion`), audits
 * the kind and the version (never the answers), and sends the SPOC a receipt, once per version.
 * A first return after the Day 10 deadline is announced to the partnership team, once.
 * An accepted upload, when there is one, is named with the version; the upload flow is unchanged.
 *
 * @throws LinkNotUsableError, InvalidInputError (each bad field named), ReturnsClosedError once
 * collation has started, StaleWriteError after the last attempt.
 */
export async function submitAgencyReturn(
  service: AgencyReturnPorts,
  request: { token: string | undefined; answers: unknown },
): Promise<SubmittedReturn> {
  // The link first: a dead link says nothing about what was sent.
  await resolveLink(service, request.token, 'without-audit');
  const answers = parseInput(structuredReturn, request.answers, 'return');
  const { record, agency, entry, late, firstReceipt } = await saveReturnVersion(service, {
    read: () => resolveLink(service, request.token, 'without-audit'),
    refuse: (record) => (hasReached(record.status, 'collating') ? new ReturnsClosedError() : undefined),
    answers,
    by: { by: 'agency' },
    audit: ({ agency, entry: { version, submittedAt }, late }) => {
      const action = version > 1 ? 'return.corrected' : late ? 'return.received-late' : 'return.received';
      const what = answers.kind === 'no-involvement' ? 'no involvement' : 'its involvement';
      return {
        actor: { kind: 'agency', agencyId: agency.agencyId },
        at: submittedAt,
        action,
        reason:
          version > 1
            ? `${agency.agencyName} corrected its return (version ${version}): ${what}`
            : `${agency.agencyName} returned ${what}${late ? ' after the Day 10 deadline' : ''}`,
        details: { agencyId: agency.agencyId, kind: answers.kind, version, late },
        eventId: `return-${agency.agencyId}-v${version}`,
      };
    },
  });
  const version = entry.version;
  logInfo('Structured return received', { caseId: record.caseId, agencyId: agency.agencyId, version });
  const correctableUntil = collationStartsAt(record.timetable);
  await service.mailer.sendOnce(
    `${record.caseId}:AgencyReturnReceipt:${agency.agencyId}:v${version}`,
    returnReceiptEmail(service, record, agency, entry, correctableUntil),
  );
  if (firstReceipt && late) await tellTeamOfLateReturn(service, record, agency, entry.submittedAt);
  return { version, kind: answers.kind, receivedAt: entry.submittedAt, late, correctableUntil };
}

/** The SPOC's receipt for one version: what was received and when, and until when it can be corrected. Names no child. */
export function returnReceiptEmail(
  service: Pick<Service, 'profile'>,
  record: CaseRecord,
  agency: AgencyRequest,
  entry: ReturnVersion,
  correctableUntil: string,
): EmailMessage {
  const context = emailContext(service.profile, record);
  const when = (instant: string) => formatInstant(instant, context.timeZone);
  const what =
    entry.answers.kind === 'no-involvement'
      ? `It says that ${agency.agencyName} has had no involvement with this child or family.`
      : `It sets out ${agency.agencyName}'s involvement, with ${entry.answers.episodes.length} key practice ${entry.answers.episodes.length === 1 ? 'episode' : 'episodes'}.`;
  const corrected = entry.version > 1;
  return {
    to: [agency.spoc.email],
    ...replyToTeam(context),
    subject: emailSubject(
      record.reference,
      `${corrected ? 'corrected return' : 'return'} received from ${agency.agencyName}`,
    ),
    text:
      `Dear ${agency.spoc.name},\n\n` +
      `We received ${corrected ? 'a corrected version of ' : ''}${agency.agencyName}'s return for Rapid Review ${record.reference} at ${when(entry.submittedAt)} (version ${entry.version}). ${what}\n\n` +
      `You can correct it through the link in our request until ${when(correctableUntil)}. Each correction is kept as a new version; the earlier ones are kept too.` +
      SIGN_OFF(context),
  };
}
