import type { EmailMessage } from '../adapters/mailer.ts';
import type { PartnershipProfile } from '../config/partnership-profile.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import {
  type PrgReferral,
  prgCriterionNames,
  prgOutcomeNames,
  referralKindNames,
} from '../schemas/prg-referral.ts';
import { emailSubject } from './email-subject.ts';
import { formatInstant } from './london-time.ts';

/**
 * The emails of a referral to the Practice Review Group (issue 13). Each names the referral by its
 * reference, never the child, and replies to the partnership team. Free text (the summary, the
 * group's reasons) stays out of email bodies, where it could name a child: the group's reasons are
 * on the referral's page, which needs a sign-in.
 */

/** Where staff open a referral in the service. */
export function referralUrl(publicBaseUrl: string, referralId: string): string {
  return `${publicBaseUrl}/practice-review-group/referrals/${referralId}`;
}

/** The strategic lead's approval page, by its capability link. */
export function approvalUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/practice-review-group/approval/${token}`;
}

const signOff = (profile: PartnershipProfile) =>
  `\n\n${profile.partnershipName}\nPartnership team: ${profile.partnershipTeamAddress}\n\nThis email was sent by the safeguarding practice review service. It names the referral by its reference only.`;

const replyTo = (profile: PartnershipProfile) => ({ replyTo: [profile.partnershipTeamAddress] });

/** The agency's strategic lead is asked to approve the referral, by a link that works until it expires. */
export function leadApprovalEmail(
  profile: PartnershipProfile,
  referral: PrgReferral,
  link: string,
): EmailMessage {
  const timeZone = rulesOf(profile).timeZone;
  return {
    to: [referral.lead.email],
    ...replyTo(profile),
    subject: emailSubject(referral.reference, 'please approve a referral to the Practice Review Group'),
    text:
      `Dear ${referral.lead.name},\n\n` +
      `Someone at ${referral.agencyName} has referred a case to ${profile.partnershipName}'s Practice Review Group (${referralKindNames[referral.kind].toLowerCase()}), naming you as the agency's strategic lead. The group considers a referral once its strategic lead has approved it.\n\n` +
      `Read the referral and approve it here:\n${link}\n\n` +
      `This link works once, until ${formatInstant(referral.approval.expiresAt, timeZone)}. Do not forward it: whoever holds it can approve the referral. If you do not think the case should go to the group, do nothing and tell the person who referred it.` +
      signOff(profile),
  };
}

/** The group (or, without one, the partnership team) is told a referral is ready for its decision. */
export function referralReadyEmail(
  profile: PartnershipProfile,
  referral: PrgReferral,
  publicBaseUrl: string,
): EmailMessage {
  const group = profile.practiceReviewGroup;
  const to = group ? group.members.map((member) => member.email) : [profile.partnershipTeamAddress];
  return {
    to,
    ...(group ? { cc: [profile.partnershipTeamAddress] } : {}),
    ...replyTo(profile),
    subject: emailSubject(referral.reference, 'referral ready for the Practice Review Group'),
    text:
      `Dear ${group ? 'Practice Review Group' : 'partnership team'},\n\n` +
      `${referral.agencyName}'s strategic lead has approved a referral to the group (${referralKindNames[referral.kind].toLowerCase()}). It is ready for the group's decision.\n\n` +
      `Read it and record the group's decision (sign in):\n${referralUrl(publicBaseUrl, referral.referralId)}` +
      signOff(profile),
  };
}

/** The group's decision: what it leads to and each criterion met or not; the reasons are on the referral's page. */
function decisionText(referral: PrgReferral, publicBaseUrl: string): string {
  const decision = referral.decision;
  if (!decision) throw new Error('The referral has no decision yet');
  const criteria = Object.entries(decision.criteria)
    .map(
      ([criterion, answer]) =>
        `- ${prgCriterionNames[criterion as keyof typeof prgCriterionNames]}: ${answer.met ? 'met' : 'not met'}`,
    )
    .join('\n');
  return (
    `The Practice Review Group has decided on referral ${referral.reference} from ${referral.agencyName}.\n\n` +
    `Decision: ${prgOutcomeNames[decision.outcome]}.\n\nAgainst each criterion:\n${criteria}\n\n` +
    `The group's reasons, for the decision and for each criterion, are on the referral's page (sign in):\n${referralUrl(publicBaseUrl, referral.referralId)}`
  );
}

/** The referrer is told the group's decision. */
export function decisionToReferrerEmail(
  profile: PartnershipProfile,
  referral: PrgReferral,
  publicBaseUrl: string,
): EmailMessage | undefined {
  if (!referral.referrer.email) return undefined;
  return {
    to: [referral.referrer.email],
    ...replyTo(profile),
    subject: emailSubject(referral.reference, "the Practice Review Group's decision"),
    text: `Dear ${referral.referrer.name ?? 'colleague'},\n\n${decisionText(referral, publicBaseUrl)}${signOff(profile)}`,
  };
}

/** The three safeguarding partners' leads are told the group's decision (the partnership team copied). */
export function decisionToPartnersEmail(
  profile: PartnershipProfile,
  referral: PrgReferral,
  publicBaseUrl: string,
): EmailMessage {
  const partners = profile.safeguardingPartners;
  return {
    to: [partners['local-authority'].lead.email, partners.police.lead.email, partners.health.lead.email],
    cc: [profile.partnershipTeamAddress],
    ...replyTo(profile),
    subject: emailSubject(referral.reference, "the Practice Review Group's decision"),
    text: `Dear safeguarding partners,\n\n${decisionText(referral, publicBaseUrl)}${
      referral.decision?.outcome === 'lcspr'
        ? '\n\nThe partnership team will commission the local review from the referral.'
        : ''
    }${signOff(profile)}`,
  };
}
