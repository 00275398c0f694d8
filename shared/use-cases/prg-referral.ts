import { randomUUID } from 'node:crypto';
import { hashAgencyToken, looksLikeAgencyToken, mintAgencyToken } from '../agency-links.ts';
import { agencyIdFor } from '../cases/open-case.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import { DomainError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { AuditEvent } from '../schemas/case.ts';
import {
  type PrgReferral,
  prgDecisionAnswers,
  prgOutcomeNames,
  referralAnswers,
} from '../schemas/prg-referral.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import { type StaffMember, type StaffRole, staffActor } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { isoDateOf } from '../workflow/london-time.ts';
import {
  approvalUrl,
  decisionToPartnersEmail,
  decisionToReferrerEmail,
  leadApprovalEmail,
  referralReadyEmail,
} from '../workflow/prg-referral-emails.ts';

/**
 * The Practice Review Group's way in to a local review (issue 13 part 1): an agency's contact
 * refers a case that was not notifiable; their agency's strategic lead approves it by a link in
 * an email (a capability link: only its hash is kept; it works once, until it expires); the group
 * records its decision against each criterion, with reasons; the referrer and the safeguarding
 * partners are told. A referral decided "LCSPR" is commissioned as a local review by the
 * partnership team (`commissionLocalReview` in local-review.ts). Every change is audited.
 */

/** How long the strategic lead's approval link works. */
export const APPROVAL_LINK_DAYS = 14;
const dayMs = 24 * 60 * 60 * 1000;

/** Who may read every referral: the group, the partnership team and the safeguarding partners. */
export const referralReaders: readonly StaffRole[] = [
  'prg-member',
  'partnership-team',
  'safeguarding-partner',
];

/** The referral cannot be changed this way now; the message says why. */
export class ReferralRefusedError extends DomainError {
  override readonly name = 'ReferralRefused';
  override readonly kind = 'refused';
  constructor(message: string, title = 'You cannot do this on this referral') {
    super(message, title);
  }
}

/** The strategic lead's link no longer works: expired, or replaced by a newer one. */
export class ApprovalLinkClosedError extends DomainError {
  override readonly name = 'ApprovalLinkClosed';
  override readonly kind = 'refused';
  constructor(message: string) {
    super(message, 'This link no longer works');
  }
}

export class ReferralNotFoundError extends NotFoundError {
  constructor() {
    super('There is no referral with this id');
  }
}

type Ports = Pick<Service, 'clock' | 'profile' | 'publicBaseUrl' | 'referrals'>;
type EmailPorts = Ports & Pick<Service, 'mailer'>;

/** `PRG-2026-4F2A9C`: the year it was made and the start of its id. */
export function referralReference(referralId: string, at: Date, timeZone: string): string {
  return `PRG-${isoDateOf(at, timeZone).slice(0, 4)}-${referralId.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}

/** The referral, or ReferralNotFoundError (an id that is no id is not found either). */
export async function loadReferral(
  service: Pick<Service, 'referrals'>,
  referralId: string,
): Promise<PrgReferral> {
  const id = caseIdSchema.safeParse(referralId);
  const referral = id.success ? await service.referrals.getReferral(id.data) : undefined;
  if (!referral) throw new ReferralNotFoundError();
  return referral;
}

/** Whether the member may read the referral: its readers, or the referrer who made it. */
export function mayReadReferral(referral: PrgReferral, member: StaffMember): boolean {
  return (
    member.roles.some((role) => referralReaders.includes(role)) ||
    (member.roles.includes('referrer') && referral.referrer.id === member.id)
  );
}

/** Refers a case to the group and emails the agency's strategic lead the link to approve it. */
export async function referCase(
  service: EmailPorts,
  input: { answers: unknown; member: StaffMember },
): Promise<PrgReferral> {
  const answers = parseInput(referralAnswers, input.answers, 'referral');
  const now = service.clock.now();
  const at = now.toISOString();
  const timeZone = rulesOf(service.profile).timeZone;
  if (answers.child.dateOfBirth && answers.child.dateOfBirth > isoDateOf(now, timeZone)) {
    throw new InvalidInputError('referral', [
      { field: 'child.dateOfBirth', message: 'The child’s date of birth must be today or in the past' },
    ]);
  }
  const referralId = randomUUID();
  const { token, tokenHash } = mintAgencyToken();
  const referral = await service.referrals.createReferral(
    {
      ...answers,
      referralId,
      reference: referralReference(referralId, now, timeZone),
      status: 'awaiting-approval',
      version: 1,
      referrer: {
        id: input.member.id,
        ...(input.member.name ? { name: input.member.name } : {}),
        ...(input.member.email ? { email: input.member.email } : {}),
      },
      referredAt: at,
      approval: {
        tokenHash,
        sentAt: at,
        expiresAt: new Date(now.getTime() + APPROVAL_LINK_DAYS * dayMs).toISOString(),
      },
      createdAt: at,
      updatedAt: at,
    },
    {
      actor: staffActor(input.member, 'referrer'),
      at,
      action: 'prg-referral.referred',
      reason: `Referred to the Practice Review Group by ${answers.agencyName}; the strategic lead asked to approve it`,
      details: { kind: answers.kind, criteria: answers.criteria.length },
    },
  );
  await sendApprovalLink(service, referral, token);
  return referral;
}

async function sendApprovalLink(service: EmailPorts, referral: PrgReferral, token: string): Promise<void> {
  await service.mailer.sendOnce(
    `${referral.referralId}:LeadApproval:${referral.approval.tokenHash.slice(0, 16)}`,
    leadApprovalEmail(service.profile, referral, approvalUrl(service.publicBaseUrl, token)),
  );
}

/** Sends the strategic lead a new link (the old one stops working), while the referral waits for approval. */
export async function resendApprovalLink(
  service: EmailPorts,
  input: { referralId: string; member: StaffMember },
): Promise<PrgReferral> {
  const referral = await loadReferral(service, input.referralId);
  const isReferrer = referral.referrer.id === input.member.id;
  if (!isReferrer && !input.member.roles.includes('partnership-team')) {
    throw new ForbiddenError(
      'Only the person who made the referral, or the partnership team, can send a new link',
    );
  }
  if (referral.status !== 'awaiting-approval') {
    throw new ReferralRefusedError(`Referral ${referral.reference} has been approved already.`);
  }
  const now = service.clock.now();
  const at = now.toISOString();
  const { token, tokenHash } = mintAgencyToken();
  const updated = await service.referrals.updateReferral(
    referral,
    {
      approval: {
        tokenHash,
        sentAt: at,
        expiresAt: new Date(now.getTime() + APPROVAL_LINK_DAYS * dayMs).toISOString(),
      },
    },
    {
      actor: staffActor(input.member, isReferrer ? 'referrer' : 'partnership-team'),
      at,
      action: 'prg-referral.approval-link-resent',
      reason: 'A new link sent to the strategic lead; the earlier one stops working',
    },
    tokenHash,
  );
  await sendApprovalLink(service, updated, token);
  return updated;
}

/** Where a strategic lead's link stands. */
export type ApprovalLinkState = 'open' | 'approved' | 'expired' | 'replaced';

/** The referral a strategic lead's link is for, and whether it can still approve it. NotFound for a link never issued. */
export async function openApprovalLink(
  service: Pick<Service, 'clock' | 'referrals'>,
  token: string,
): Promise<{ referral: PrgReferral; state: ApprovalLinkState }> {
  if (!looksLikeAgencyToken(token)) throw new NotFoundError('There is no such link');
  const tokenHash = hashAgencyToken(token);
  const referralId = await service.referrals.findReferralByApprovalHash(tokenHash);
  const referral = referralId ? await service.referrals.getReferral(referralId) : undefined;
  if (!referral) throw new NotFoundError('There is no such link');
  const state: ApprovalLinkState =
    referral.approval.tokenHash !== tokenHash
      ? referral.approval.approvedAt
        ? 'approved'
        : 'replaced'
      : referral.approval.approvedAt
        ? 'approved'
        : service.clock.now().toISOString() >= referral.approval.expiresAt
          ? 'expired'
          : 'open';
  return { referral, state };
}

/** The strategic lead approves the referral by their link: it goes to the group, who are told once. Approving again changes nothing. */
export async function approveReferral(
  service: EmailPorts,
  input: { token: string },
): Promise<{ referral: PrgReferral; outcome: 'approved' | 'already-approved' }> {
  const { referral, state } = await openApprovalLink(service, input.token);
  if (state === 'expired') {
    throw new ApprovalLinkClosedError(
      `This link has expired. Ask the person who made referral ${referral.reference} to send you a new one.`,
    );
  }
  if (state === 'replaced') {
    throw new ApprovalLinkClosedError(
      `A newer link was sent for referral ${referral.reference}. Use the link in the latest email.`,
    );
  }
  if (state === 'approved') return { referral, outcome: 'already-approved' };
  const at = service.clock.now().toISOString();
  const approved = await service.referrals.updateReferral(
    referral,
    { status: 'awaiting-decision', approval: { ...referral.approval, approvedAt: at } },
    {
      actor: { kind: 'agency', agencyId: agencyIdFor(referral.agencyName) },
      at,
      action: 'prg-referral.lead-approved',
      reason: `${referral.agencyName}'s strategic lead approved the referral by the link emailed to them`,
    },
  );
  await service.mailer.sendOnce(
    `${approved.referralId}:ReadyForGroup`,
    referralReadyEmail(service.profile, approved, service.publicBaseUrl),
  );
  return { referral: approved, outcome: 'approved' };
}

/** Sends the decision's emails (each once): to the referrer and to the safeguarding partners. */
async function tellOfDecision(service: EmailPorts, referral: PrgReferral): Promise<void> {
  const toReferrer = decisionToReferrerEmail(service.profile, referral, service.publicBaseUrl);
  await service.mailer.sendEachOnce([
    ...(toReferrer ? [{ key: `${referral.referralId}:DecisionToReferrer`, message: toReferrer }] : []),
    {
      key: `${referral.referralId}:DecisionToPartners`,
      message: decisionToPartnersEmail(service.profile, referral, service.publicBaseUrl),
    },
  ]);
}

/**
 * Records the group's decision: each criterion the referral named, met or not, with reasons; what
 * the referral leads to, and why. The referrer and the safeguarding partners are told once.
 */
export async function recordPrgDecision(
  service: EmailPorts,
  input: { referralId: string; answers: unknown; member: StaffMember },
): Promise<PrgReferral> {
  const referral = await loadReferral(service, input.referralId);
  if (referral.status === 'awaiting-approval') {
    throw new ReferralRefusedError(
      `Referral ${referral.reference} is waiting for its agency’s strategic lead to approve it. The group decides once it is approved.`,
    );
  }
  if (referral.decision) {
    // Decided before: finish telling people, in case that was cut short, and say so.
    await tellOfDecision(service, referral);
    throw new ReferralRefusedError(
      `The group has already decided on referral ${referral.reference}.`,
      'Already decided',
    );
  }
  const answers = parseInput(prgDecisionAnswers, input.answers, 'decision');
  const missing = referral.criteria.filter((criterion) => !answers.criteria[criterion]);
  const extra = Object.keys(answers.criteria).filter(
    (criterion) => !referral.criteria.includes(criterion as (typeof referral.criteria)[number]),
  );
  if (missing.length || extra.length) {
    throw new InvalidInputError('decision', [
      ...missing.map((criterion) => ({
        field: `criteria.${criterion}.met`,
        message: 'Say whether the case meets this criterion',
      })),
      ...extra.map((criterion) => ({
        field: `criteria.${criterion}`,
        message: 'Decide only against the criteria the referral names',
      })),
    ]);
  }
  const at = service.clock.now().toISOString();
  const decided = await service.referrals.updateReferral(
    referral,
    {
      status: 'decided',
      decision: {
        ...answers,
        decidedAt: at,
        decidedBy: input.member.id,
        ...(input.member.name ? { decidedByName: input.member.name } : {}),
      },
    },
    {
      actor: staffActor(input.member, 'prg-member'),
      at,
      action: 'prg-referral.decided',
      reason: `The Practice Review Group decided: ${prgOutcomeNames[answers.outcome]}; the referrer and the safeguarding partners told`,
      details: {
        outcome: answers.outcome,
        criteriaMet: Object.values(answers.criteria).filter((answer) => answer?.met).length,
      },
    },
  );
  await tellOfDecision(service, decided);
  return decided;
}

/** The referrals a member may see, newest first: every one for the group, the team and the partners; a referrer's own. */
export async function listReferrals(
  service: Pick<Service, 'referrals'>,
  member: StaffMember,
): Promise<PrgReferral[]> {
  const all = await service.referrals.listReferrals();
  return all.filter((referral) => mayReadReferral(referral, member));
}

/** A referral and its audit trail, for someone who may read it (ForbiddenError otherwise). */
export async function showReferral(
  service: Pick<Service, 'referrals'>,
  input: { referralId: string; member: StaffMember },
): Promise<{ referral: PrgReferral; audit: AuditEvent[] }> {
  const referral = await loadReferral(service, input.referralId);
  if (!mayReadReferral(referral, input.member)) {
    throw new ForbiddenError('Only the person who made this referral can see it');
  }
  return { referral, audit: await service.referrals.getReferralAudit(referral.referralId) };
}
