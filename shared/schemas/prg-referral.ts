import { caseId, emailAddress, isoDate, isoInstant, nonEmpty, text, wholeNumber } from './primitives.ts';
import * as z from './zod.ts';

/**
 * A referral to the Practice Review Group (issue 13 part 1, the second way in): a case that was
 * never notifiable (good practice, poor practice, a near miss) which an agency's contact thinks
 * the partnership could learn from. Their agency's strategic lead approves it by a link in an
 * email; the group then decides, against each criterion, whether it leads to a Local Child
 * Safeguarding Practice Review, another learning review, single-agency learning or nothing more.
 * Kept in the case table (`PRG-REFERRALS` / `REFERRAL#<referralId>`); its audit trail in the
 * audit table under `PRG#<referralId>`.
 */

/** What kind of case it is. */
export const referralKind = z.enum(['good-practice', 'poor-practice', 'near-miss'], {
  error: 'Choose what kind of case this is',
});
export type ReferralKind = z.infer<typeof referralKind>;

export const referralKindNames: Record<ReferralKind, string> = {
  'good-practice': 'Good practice',
  'poor-practice': 'Poor practice',
  'near-miss': 'A near miss',
};

/**
 * The criteria the group weighs a referral against: the questions Working Together to Safeguard
 * Children 2023 asks of a case for a local review, and whether it shows practice others could learn from.
 */
export const prgCriterion = z.enum(
  ['improvements', 'recurrent-themes', 'working-together', 'good-practice'],
  {
    error: 'Choose the criteria the case may meet',
  },
);
export type PrgCriterion = z.infer<typeof prgCriterion>;

export const prgCriterionNames: Record<PrgCriterion, string> = {
  improvements:
    'It highlights, or may highlight, improvements needed to safeguard and promote the welfare of children',
  'recurrent-themes': 'It highlights, or may highlight, recurrent themes in safeguarding children',
  'working-together':
    'It highlights, or may highlight, concerns about two or more organisations working together to safeguard children',
  'good-practice': 'It shows practice that others could learn from',
};

/** What the group decides a referral leads to. */
export const prgOutcome = z.enum(
  ['lcspr', 'other-learning-review', 'single-agency-learning', 'no-further-action'],
  { error: 'Choose what the group decided' },
);
export type PrgOutcome = z.infer<typeof prgOutcome>;

export const prgOutcomeNames: Record<PrgOutcome, string> = {
  lcspr: 'A Local Child Safeguarding Practice Review',
  'other-learning-review': 'Another learning review',
  'single-agency-learning': 'Single-agency learning',
  'no-further-action': 'No further action',
};

const multiline = (max = 4000) => text(max, { multiline: true });

/** What the referrer enters. */
export const referralAnswers = z.object({
  agencyName: text(120),
  kind: referralKind,
  child: z.object({
    name: text(120),
    /** When known. */
    dateOfBirth: z.optional(isoDate),
  }),
  summary: multiline(),
  whyNotNotifiable: multiline(),
  criteria: z
    .array(prgCriterion, { error: 'Choose the criteria the case may meet' })
    .check(z.minLength(1, { error: 'Choose at least one criterion the case may meet' })),
  /** A reference or web address of each related review, when there is one. */
  relatedReviews: z._default(
    z.object({
      safeguardingAdultReview: z.optional(text(300)),
      domesticHomicideReview: z.optional(text(300)),
      childDeathReview: z.optional(text(300)),
    }),
    {},
  ),
  /** The agency's strategic lead, who approves the referral by the link emailed to them. */
  lead: z.object({ name: text(120), email: emailAddress }),
});
export type ReferralAnswers = z.infer<typeof referralAnswers>;

/** The group's decision: each criterion the referral named, met or not and why; then what it leads to, and why. */
export const prgDecisionAnswers = z.object({
  criteria: z.partialRecord(
    prgCriterion,
    z.object({
      met: z.boolean({ error: 'Say whether the case meets this criterion' }),
      reasons: multiline(),
    }),
  ),
  outcome: prgOutcome,
  reasons: multiline(),
});
export type PrgDecisionAnswers = z.infer<typeof prgDecisionAnswers>;

export const referralStatus = z.enum(['awaiting-approval', 'awaiting-decision', 'decided', 'commissioned']);
export type ReferralStatus = z.infer<typeof referralStatus>;

export const referralStatusNames: Record<ReferralStatus, string> = {
  'awaiting-approval': 'Waiting for the strategic lead’s approval',
  'awaiting-decision': 'Waiting for the group’s decision',
  decided: 'Decided',
  commissioned: 'Local review commissioned',
};

export const prgReferral = z.extend(referralAnswers, {
  referralId: caseId,
  /** `PRG-2026-4F2A9C`. */
  reference: nonEmpty(),
  status: referralStatus,
  version: wholeNumber(1),
  referrer: z.object({ id: nonEmpty(), name: z.optional(nonEmpty()), email: z.optional(emailAddress) }),
  referredAt: isoInstant,
  /** The lead's link: only its hash is kept; it works until `expiresAt`, once. */
  approval: z.object({
    tokenHash: nonEmpty(),
    sentAt: isoInstant,
    expiresAt: isoInstant,
    approvedAt: z.optional(isoInstant),
  }),
  decision: z.optional(
    z.extend(prgDecisionAnswers, {
      decidedAt: isoInstant,
      decidedBy: nonEmpty(),
      decidedByName: z.optional(nonEmpty()),
    }),
  ),
  /** The local review commissioned from it. */
  localReviewId: z.optional(caseId),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type PrgReferral = z.infer<typeof prgReferral>;
