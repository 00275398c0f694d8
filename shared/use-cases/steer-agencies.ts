import { createHash, randomUUID } from 'node:crypto';
import { agencyIdFor } from '../cases/open-case.ts';
import { rapidReviewGroupPeople } from '../config/partnership-profile.ts';
import {
  CaseNotFoundError,
  ConflictError,
  DuplicateWriteError,
  NotFoundError,
  StaleWriteError,
  UnavailableError,
} from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import {
  type AgencyRemoval,
  type AgencyRequest,
  addAgencyAnswers,
  type CaseRecord,
  type CaseStatus,
  type CaseWithdrawal,
  replaceContactAnswers,
  steerReason,
} from '../schemas/case.ts';
import { agencyId as agencyIdSchema, caseId as caseIdSchema } from '../schemas/primitives.ts';
import { type Actor, type StaffMember, staffActor } from '../schemas/roles.ts';
import { collationStartsAt } from '../schemas/timetable.ts';
import type { Service } from '../service.ts';
import type { AgencyRequestChanges, AuditInput } from '../stores/case-store.ts';
import { parseInput } from '../validation.ts';
import { caseWithdrawnEmail, emailContext } from '../workflow/emails.ts';
import { stillMissing } from '../workflow/ladder.ts';
import { endWorkflowWait } from '../workflow/readiness.ts';
import { emailAgencyRequests, issueAgencyLinks } from './request-agency-summaries.ts';
import { saveOnceOnCase } from './save-on-case.ts';

/**
 * The partnership team steers a running case (issue 10 part 3), each change with its reason in
 * the audit trail: adds an agency (asked at once, due on the case's own Day 10 deadline; the
 * workflow's reminder and escalation read every agency of the case), replaces an agency's contact
 * or resends its link (the old link stops working at once: the agency keeps the hash of the one
 * link that works), removes an agency (never chased after, not missing from the collated report),
 * and withdraws the case (every link stops working, everyone told once, the workflow stops
 * cleanly at its next step, or at once when it waits for the decision).
 */

export const caseNotFound = () => new NotFoundError('There is no case with this id');
export const agencyNotFound = () => new NotFoundError('There is no agency with this id on this case');

export const actorOf = (member: StaffMember): Actor => staffActor(member, 'partnership-team');

export function validCaseId(caseId: string): string {
  const parsed = caseIdSchema.safeParse(caseId);
  if (!parsed.success) throw caseNotFound();
  return parsed.data;
}

export function validAgencyId(agencyId: string): string {
  const parsed = agencyIdSchema.safeParse(agencyId);
  if (!parsed.success) throw agencyNotFound();
  return parsed.data;
}

/** A short, stable id for one call: from the caller's own key (scoped to them), or fresh. */
function callIdOf(member: StaffMember, requestKey: string | undefined): string {
  const source = requestKey ? `${member.id}:${requestKey}` : randomUUID();
  return createHash('sha256').update(source, 'utf8').digest('hex').slice(0, 32);
}

/** Statuses in which the agencies are still being asked for their summaries. */
const gathering: readonly CaseStatus[] = ['notified', 'awaiting-summaries'];

/**
 * Refuses a change to the agencies once the summaries are collated (or the case has ended):
 * after collation the links stop working and the group reads what came.
 */
export function agenciesRefusal(
  record: Pick<CaseRecord, 'reference' | 'status'> & { timetable: Parameters<typeof collationStartsAt>[0] },
  now: Date,
): ConflictError | undefined {
  if (record.status === 'withdrawn') {
    return new ConflictError(`Case ${record.reference} has been withdrawn`, 'Review withdrawn');
  }
  if (record.status === 'closed') {
    return new ConflictError(`Case ${record.reference} is closed as notification only`, 'Review closed');
  }
  if (
    !gathering.includes(record.status) ||
    now.getTime() >= Date.parse(collationStartsAt(record.timetable))
  ) {
    return new ConflictError(
      `The agencies' summaries for case ${record.reference} have been collated: agencies can no longer be added, changed or removed`,
      'Summaries already collated',
    );
  }
  return undefined;
}

/** Refuses a change to one agency that cannot take it. */
export function agencyRefusal(
  record: Parameters<typeof agenciesRefusal>[0],
  agency: Pick<AgencyRequest, 'agencyName' | 'status'>,
  now: Date,
  change: 'replace-contact' | 'resend-link' | 'remove',
): ConflictError | undefined {
  const refused = agenciesRefusal(record, now);
  if (refused) return refused;
  if (agency.status === 'removed') {
    return new ConflictError(`${agency.agencyName} has been removed from this review`, 'Agency removed');
  }
  if (change === 'resend-link' && agency.status === 'pending') {
    return new ConflictError(
      `${agency.agencyName} has not been asked for its summary yet: the workflow sends its link on Day 1`,
      'Agency not asked yet',
    );
  }
  if (change === 'remove' && agency.status === 'received') {
    return new ConflictError(
      `${agency.agencyName} has already returned its summary: it cannot be removed`,
      'Summary already received',
    );
  }
  return undefined;
}

/** The case and its agencies, or NotFoundError. */
export async function caseWithAgencies(service: Pick<Service, 'cases'>, caseId: string) {
  try {
    return await service.cases.getCaseWithAgencies(caseId);
  } catch (error) {
    if (error instanceof CaseNotFoundError) throw caseNotFound();
    throw error;
  }
}

/** How many times a change on an agency re-reads after losing a race with another writer. */
const SAVE_ATTEMPTS = 4;

/**
 * A person's change to one agency, saved on the freshest copy of the case and the agency (the
 * case's version checked too, so a change judged "before collation" cannot land after it).
 * `'already-done'` when the same change (its audit event id) was written before.
 */
async function saveOnAgency(
  service: Pick<Service, 'cases' | 'clock'>,
  ids: { caseId: string; agencyId: string },
  refuse: (record: CaseRecord, agency: AgencyRequest) => Error | undefined,
  change: (
    record: CaseRecord,
    agency: AgencyRequest,
  ) => Promise<{ changes: AgencyRequestChanges; audit: AuditInput }>,
): Promise<{ record: CaseRecord; agency: AgencyRequest } | 'already-done'> {
  for (let attempt = 1; ; attempt += 1) {
    const { case: record, agencies } = await caseWithAgencies(service, ids.caseId);
    const agency = agencies.find((candidate) => candidate.agencyId === ids.agencyId);
    if (!agency) throw agencyNotFound();
    const refused = refuse(record, agency);
    if (refused) throw refused;
    const { changes, audit } = await change(record, agency);
    try {
      const saved = await service.cases.updateAgencyRequest(agency, changes, audit, {
        caseVersion: record.version,
      });
      return { record, agency: saved };
    } catch (error) {
      if (error instanceof DuplicateWriteError) return 'already-done';
      if (!(error instanceof StaleWriteError) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
}

const emailNotSent = (what: string, agencyName: string) =>
  new UnavailableError(
    `${what} The email to ${agencyName} could not be sent just now: resend the link.`,
    'Saved; email not sent yet',
  );

// ── Add an agency ────────────────────────────────────────────────────────────────────────────

export type SteerAgenciesPorts = Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl'>;

/**
 * Adds an agency to a case whose summaries are still being gathered, and asks it at once: its
 * link (valid until collation) emailed to its single point of contact, due on the case's own
 * Day 10 deadline. The reminder and the escalation reach it as they reach every agency.
 *
 * @throws NotFoundError, InvalidInputError (each bad field named), ConflictError (collated or
 * ended; an agency of that name already asked), UnavailableError (added; the email not sent yet).
 */
export async function addAgency(
  service: SteerAgenciesPorts,
  submission: { caseId: string; answer: unknown; member: StaffMember },
): Promise<AgencyRequest> {
  const caseId = validCaseId(submission.caseId);
  const answer = parseInput(addAgencyAnswers, submission.answer, 'agency');
  for (let attempt = 1; ; attempt += 1) {
    const now = service.clock.now();
    const at = now.toISOString();
    const file = await caseWithAgencies(service, caseId);
    const record = file.case;
    const refused = agenciesRefusal(record, now);
    if (refused) throw refused;
    const sameName = file.agencies.find(
      (agency) =>
        agency.status !== 'removed' && agency.agencyName.toLowerCase() === answer.name.toLowerCase(),
    );
    if (sameName) {
      throw new ConflictError(
        `${sameName.agencyName} is already asked for its summary on this case`,
        'Agency already asked',
      );
    }
    const agencyId = agencyIdFor(answer.name, new Set(file.agencies.map((agency) => agency.agencyId)));
    const draft: AgencyRequest = {
      caseId,
      agencyId,
      agencyName: answer.name,
      spoc: answer.spoc,
      status: 'requested',
      late: false,
      version: 1,
      requestedAt: at,
    };
    const issued = await issueAgencyLinks(service, record, [
      { agency: draft, key: `${caseId}:AddAgency:${agencyId}` },
    ]);
    const agency: AgencyRequest = { ...draft, linkTokenHash: issued.sent[0]?.tokenHash as string };
    try {
      await service.cases.addAgencyRequest(agency, {
        current: record,
        changes: { agencyIds: [...record.agencyIds, agencyId] },
        audit: {
          actor: actorOf(submission.member),
          at,
          action: 'agency.added',
          reason: `The partnership team added ${answer.name} and asked it for its summary: ${answer.reason}`,
          details: { agencyId, linkExpiresAt: issued.expiresAt },
        },
      });
    } catch (error) {
      if (error instanceof StaleWriteError && attempt < SAVE_ATTEMPTS) continue;
      if (error instanceof DuplicateWriteError && attempt < SAVE_ATTEMPTS) continue;
      throw error;
    }
    try {
      await emailAgencyRequests(service, record, issued);
    } catch (error) {
      logError('Agency added; its request not sent', { caseId, agencyId, error: (error as Error).name });
      throw emailNotSent(`${answer.name} is added to case ${record.reference}.`, answer.name);
    }
    logInfo('Agency added', { caseId, agencyId });
    return agency;
  }
}

// ── Replace a contact, resend a link ─────────────────────────────────────────────────────────

/**
 * A fresh link for an agency already asked, emailed to `spoc` (the new contact, or the same
 * one): the agency keeps the new link's hash, so every older link stops working as the change
 * is written. The same call again (the same `requestKey`) changes nothing and sends nothing.
 */
async function reissueLink(
  service: SteerAgenciesPorts,
  submission: {
    caseId: string;
    agencyId: string;
    member: StaffMember;
    requestKey?: string;
    change: 'replace-contact' | 'resend-link';
    spoc?: AgencyRequest['spoc'];
    reason: string;
  },
): Promise<AgencyRequest | 'already-done'> {
  const caseId = validCaseId(submission.caseId);
  const agencyId = validAgencyId(submission.agencyId);
  const callId = callIdOf(submission.member, submission.requestKey);
  const step = submission.change === 'replace-contact' ? 'ReplaceContact' : 'ResendLink';
  const key = `${caseId}:${step}:${agencyId}:${callId}`;
  let issued: Awaited<ReturnType<typeof issueAgencyLinks>> | undefined;
  let caseRecord: CaseRecord | undefined;
  const saved = await saveOnAgency(
    service,
    { caseId, agencyId },
    (record, agency) => agencyRefusal(record, agency, service.clock.now(), submission.change),
    async (record, agency): Promise<{ changes: AgencyRequestChanges; audit: AuditInput }> => {
      const at = service.clock.now().toISOString();
      const spoc = submission.spoc ?? agency.spoc;
      const audit = {
        actor: actorOf(submission.member),
        at,
        eventId: `${step}:${agencyId}:${callId}`,
      };
      // Not asked yet: the workflow's Day 1 step asks the new contact with the first link.
      if (agency.status === 'pending') {
        issued = undefined;
        return {
          changes: { spoc },
          audit: {
            ...audit,
            action: 'agency.contact-replaced',
            reason: `The partnership team replaced the contact for ${agency.agencyName}, not yet asked: ${submission.reason}`,
            details: { agencyId },
          },
        };
      }
      caseRecord = record;
      issued = await issueAgencyLinks(service, record, [{ agency: { ...agency, spoc }, key }]);
      const tokenHash = issued.sent[0]?.tokenHash as string;
      return submission.change === 'replace-contact'
        ? {
            changes: { spoc, linkTokenHash: tokenHash },
            audit: {
              ...audit,
              action: 'agency.contact-replaced',
              reason: `The partnership team replaced the contact for ${agency.agencyName}; the old link stopped working and the new contact was sent a new one: ${submission.reason}`,
              details: { agencyId, linkExpiresAt: issued.expiresAt },
            },
          }
        : {
            changes: { linkTokenHash: tokenHash },
            audit: {
              ...audit,
              action: 'agency.link-resent',
              reason: `The partnership team sent ${agency.agencyName} a new link; the old one stopped working: ${submission.reason}`,
              details: { agencyId, linkExpiresAt: issued.expiresAt },
            },
          };
    },
  );
  if (saved === 'already-done') return saved;
  if (issued && caseRecord) {
    try {
      await emailAgencyRequests(service, caseRecord, issued);
    } catch (error) {
      logError('New agency link not emailed', { caseId, agencyId, error: (error as Error).name });
      throw emailNotSent(
        `The old link for ${saved.agency.agencyName} has stopped working and a new one is made.`,
        saved.agency.agencyName,
      );
    }
  }
  logInfo(submission.change === 'replace-contact' ? 'Agency contact replaced' : 'Agency link resent', {
    caseId,
    agencyId,
  });
  return saved.agency;
}

/** What a replaced contact or a resent link answers: the agency, or that this very call was done before. */
export interface ReissuedLink {
  agencyId: string;
  agencyName: string;
  spoc: AgencyRequest['spoc'];
  /** False when the same call (its request key) was made before: nothing changed, nothing sent. */
  changed: boolean;
}

async function reissued(
  service: SteerAgenciesPorts,
  caseId: string,
  agencyId: string,
  outcome: AgencyRequest | 'already-done',
): Promise<ReissuedLink> {
  if (outcome !== 'already-done') {
    return { agencyId, agencyName: outcome.agencyName, spoc: outcome.spoc, changed: true };
  }
  const { agencies } = await service.cases.getCaseWithAgencies(caseId);
  const agency = agencies.find((candidate) => candidate.agencyId === agencyId) as AgencyRequest;
  return { agencyId, agencyName: agency.agencyName, spoc: agency.spoc, changed: false };
}

/**
 * Replaces an agency's single point of contact: the old link stops working at once, and the new
 * contact is emailed a new link (an agency not asked yet is asked by the workflow on Day 1).
 *
 * @throws NotFoundError, InvalidInputError, ConflictError (collated or ended; agency removed),
 * UnavailableError (replaced; the email not sent yet).
 */
export async function replaceAgencyContact(
  service: SteerAgenciesPorts,
  submission: { caseId: string; agencyId: string; answer: unknown; member: StaffMember; requestKey?: string },
): Promise<ReissuedLink> {
  const answer = parseInput(replaceContactAnswers, submission.answer, 'contact');
  const outcome = await reissueLink(service, {
    ...submission,
    change: 'replace-contact',
    spoc: answer.spoc,
    reason: answer.reason,
  });
  return reissued(service, validCaseId(submission.caseId), submission.agencyId, outcome);
}

/**
 * Sends an agency's contact a fresh link; the old one stops working at once. The same request
 * key again sends nothing more.
 *
 * @throws NotFoundError, InvalidInputError, ConflictError (collated or ended; agency removed or
 * not asked yet), UnavailableError (a new link made; the email not sent yet).
 */
export async function resendAgencyLink(
  service: SteerAgenciesPorts,
  submission: { caseId: string; agencyId: string; answer: unknown; member: StaffMember; requestKey?: string },
): Promise<ReissuedLink> {
  const answer = parseInput(steerReason, submission.answer, 'resend');
  const outcome = await reissueLink(service, { ...submission, change: 'resend-link', reason: answer.reason });
  return reissued(service, validCaseId(submission.caseId), submission.agencyId, outcome);
}

// ── Remove an agency ─────────────────────────────────────────────────────────────────────────

/**
 * Removes an agency from the review, with a reason: its link stops working, it is never chased
 * after, and the collated report shows it as removed, not missing.
 *
 * @throws NotFoundError, InvalidInputError, ConflictError (collated or ended; removed already;
 * its summary already received).
 */
export async function removeAgency(
  service: Pick<Service, 'cases' | 'clock'>,
  submission: { caseId: string; agencyId: string; answer: unknown; member: StaffMember },
): Promise<AgencyRemoval> {
  const caseId = validCaseId(submission.caseId);
  const agencyId = validAgencyId(submission.agencyId);
  const answer = parseInput(steerReason, submission.answer, 'removal');
  const at = service.clock.now().toISOString();
  const removal: AgencyRemoval = {
    reason: answer.reason,
    removedAt: at,
    removedBy: submission.member.id,
    ...(submission.member.name ? { removedByName: submission.member.name } : {}),
  };
  const saved = await saveOnAgency(
    service,
    { caseId, agencyId },
    (record, agency) => agencyRefusal(record, agency, service.clock.now(), 'remove'),
    async (_record, agency) => ({
      changes: { status: 'removed', removal },
      audit: {
        actor: actorOf(submission.member),
        at,
        action: 'agency.removed',
        reason: `The partnership team removed ${agency.agencyName} from the review; its link stopped working and it will not be chased: ${answer.reason}`,
        details: { agencyId },
        eventId: `RemoveAgency:${agencyId}`,
      },
    }),
  );
  if (saved === 'already-done') {
    const { agencies } = await service.cases.getCaseWithAgencies(caseId);
    const agency = agencies.find((candidate) => candidate.agencyId === agencyId) as AgencyRequest;
    throw new ConflictError(`${agency.agencyName} has been removed from this review`, 'Agency removed');
  }
  logInfo('Agency removed', { caseId, agencyId });
  return removal;
}

// ── Withdraw the case ────────────────────────────────────────────────────────────────────────

export type WithdrawCasePorts = Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'workflow'>;

/** Statuses from which a case can no longer be withdrawn: it has gone to the Panel, or ended. */
const beyondWithdrawal: readonly CaseStatus[] = ['submitted-to-panel', 'completed', 'failed', 'closed'];

/** Refuses a withdrawal the case cannot take. */
export function withdrawalRefusal(
  record: Pick<CaseRecord, 'reference' | 'status'>,
): ConflictError | undefined {
  if (record.status === 'withdrawn') {
    return new ConflictError(`Case ${record.reference} is already withdrawn`, 'Already withdrawn');
  }
  if (beyondWithdrawal.includes(record.status)) {
    return new ConflictError(
      `Case ${record.reference} has already gone to the Panel or ended: it can no longer be withdrawn`,
      'Review not running',
    );
  }
  return undefined;
}

/** What a withdrawal answers: the withdrawal as recorded, and whether this call made it or repeated it. */
export interface WithdrawalOutcome {
  withdrawal: CaseWithdrawal;
  /** True when the case was already withdrawn: this call only finished what was left to do. */
  repeated: boolean;
}

/**
 * Withdraws the case before the submission (the criteria turn out not to be met, say): every
 * open link stops working at once, the agencies still asked, the Rapid Review Group (chair,
 * deputies, members) and the notifier are each emailed once (no child, no reason: the reason
 * stays on the case), and the workflow stops cleanly at its next step, or at once when it is
 * waiting for the decision (its callback failed with CaseWithdrawn).
 *
 * A repeat on a case already withdrawn changes nothing on the case: it does the follow-ups again
 * (the waiting callback failed, the emails sent), each email once only by its key, so after a 503
 * the same request finishes telling whoever was not told, and tells no one twice.
 *
 * @throws NotFoundError, InvalidInputError, ConflictError (submitted or ended), UnavailableError
 * (withdrawn; not everyone told yet).
 */
export async function withdrawCase(
  service: WithdrawCasePorts,
  submission: { caseId: string; answer: unknown; member: StaffMember },
): Promise<WithdrawalOutcome> {
  const caseId = validCaseId(submission.caseId);
  const answer = parseInput(steerReason, submission.answer, 'withdrawal');
  const at = service.clock.now().toISOString();
  const withdrawal: CaseWithdrawal = {
    reason: answer.reason,
    withdrawnAt: at,
    withdrawnBy: submission.member.id,
    ...(submission.member.name ? { withdrawnByName: submission.member.name } : {}),
  };
  const { record, repeated } = await saveOnceOnCase(
    service,
    caseId,
    (current) => current.status === 'withdrawn',
    withdrawalRefusal,
    () => ({
      changes: { status: 'withdrawn', withdrawal, currentStep: 'Withdrawn' },
      audit: {
        actor: actorOf(submission.member),
        at,
        action: 'case.withdrawn',
        reason: `The partnership team withdrew the review; every agency link stopped working: ${answer.reason}`,
        eventId: 'withdrawn',
      },
    }),
  );
  try {
    await endWorkflowWait(service, caseId, 'CaseWithdrawn', 'Withdrawn by the partnership team');
    const { agencies } = await service.cases.getCaseWithAgencies(caseId);
    const context = emailContext(service.profile, record);
    const stillAsked = agencies.filter(stillMissing);
    const group = rapidReviewGroupPeople(service.profile);
    await service.mailer.sendEachOnce([
      ...stillAsked.map((agency) => ({
        key: `${caseId}:Withdrawn:agency:${agency.agencyId}`,
        message: caseWithdrawnEmail(context, agency.spoc, 'agency'),
      })),
      ...group.map((person) => ({
        key: `${caseId}:Withdrawn:group:${person.email.toLowerCase()}`,
        message: caseWithdrawnEmail(context, person, 'group'),
      })),
      {
        key: `${caseId}:Withdrawn:notifier`,
        message: caseWithdrawnEmail(context, { email: record.notifierEmail }, 'notifier'),
      },
    ]);
  } catch (error) {
    logError('Case withdrawn; a follow-up did not finish', { caseId, error: (error as Error).name });
    throw new UnavailableError(
      `Case ${record.reference} is withdrawn and its links have stopped working. The workflow or everyone to be told could not all be reached just now; the workflow stops at its next step. Send the withdrawal again in a few minutes to finish: no one is told twice.`,
      'Withdrawn; not everyone told yet',
    );
  }
  logInfo(repeated ? 'Case withdrawal finished' : 'Case withdrawn', { caseId });
  return { withdrawal: record.withdrawal ?? withdrawal, repeated };
}
