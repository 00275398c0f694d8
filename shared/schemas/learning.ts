import {
  agencyId,
  caseId,
  emailAddress,
  isoDate,
  isoInstant,
  nonEmpty,
  text,
  wholeNumber,
} from './primitives.ts';
import * as z from './zod.ts';

/**
 * Learning that sticks (issue 14 parts 1 and 2): the learning themes a review is tagged with,
 * its learning points, and the actions its recommendations become. Kept in the case table beside
 * the reviews (shared/stores/learning-store.ts says where); every change audited on the review's
 * own trail.
 */

/** Which kind of review the learning or the action belongs to. */
export const reviewKind = z.enum(['rapid-review', 'local-review']);
export type ReviewKind = z.infer<typeof reviewKind>;

/** A learning theme's key: the profile's theme name in lower case, words joined by hyphens. */
export const themeKey = z
  .string({ error: 'Choose a learning theme' })
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: 'Choose a learning theme' }));
export type ThemeKey = z.infer<typeof themeKey>;

/** Where a learning point said to repeat was first recorded. */
export const earlierLearning = z.object({
  reviewKind,
  reviewId: caseId,
  reference: nonEmpty(),
  pointId: nonEmpty(),
});
export type EarlierLearning = z.infer<typeof earlierLearning>;

/** One learning point: what was learnt, its one theme, and the earlier learning it repeats, if any. */
export const learningPoint = z.object({
  /** `P1`, `P2`…: numbered in the order they were recorded, never reused. */
  pointId: nonEmpty(),
  text: text(2000, { multiline: true }),
  theme: themeKey,
  repeats: z._default(z.array(earlierLearning), []),
});
export type LearningPoint = z.infer<typeof learningPoint>;

/** A review's learning: its themes and its learning points. */
export const reviewLearning = z.object({
  reviewKind,
  reviewId: caseId,
  /** The review's reference (`RR-2026-4`, `LCSPR-2026-4`). */
  reference: nonEmpty(),
  /** The day the review is dated by (a Rapid Review's notification, a local review's decision): earlier reviews are those dated before. */
  reviewedOn: isoDate,
  themes: z.array(themeKey),
  learningPoints: z._default(z.array(learningPoint), []),
  version: wholeNumber(1),
  updatedAt: isoInstant,
  updatedBy: nonEmpty(),
});
export type ReviewLearning = z.infer<typeof reviewLearning>;

/** One review tagged with one theme: an item of the theme's partition (`THEME#<key>`). */
export const themedReview = z.object({
  theme: themeKey,
  reviewKind,
  reviewId: caseId,
  reference: nonEmpty(),
  reviewedOn: isoDate,
});
export type ThemedReview = z.infer<typeof themedReview>;

/** Where an action stands: verified only once evidence of its impact is recorded. */
export const actionStatuses = ['not-started', 'in-progress', 'done', 'verified'] as const;
export const actionStatus = z.enum(actionStatuses, { error: 'Choose the status' });
export type ActionStatus = z.infer<typeof actionStatus>;
/** The statuses of an action still open (not yet verified). */
export const openActionStatuses: readonly ActionStatus[] = ['not-started', 'in-progress', 'done'];
export const actionStatusNames: Record<ActionStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
  verified: 'Verified',
};

export const actionScope = z.enum(['single-agency', 'multi-agency'], {
  error: 'Choose whether the action is for one agency or several',
});
export type ActionScope = z.infer<typeof actionScope>;

/** Where the recommendation came from. */
export const recommendationSource = z.enum(['immediate-learning', 'local-review-report']);
export type RecommendationSource = z.infer<typeof recommendationSource>;

const multiline = (max = 4000) => text(max, { multiline: true });

/** What the partnership team records to create an action. */
export const actionAnswers = z.object({
  recommendation: multiline(2000),
  description: multiline(2000),
  theme: z.optional(themeKey),
  scope: actionScope,
  owningAgencyId: agencyId,
  /** The agencies taking part besides the owner, for a multi-agency action. */
  otherAgencyIds: z._default(z.array(agencyId), []),
  /** The owner's role, as the agency names it ("Named nurse for safeguarding"): never a person's name. */
  ownerRole: text(120),
  /** Where the owner's link and reminders go. */
  ownerEmail: emailAddress,
  dueOn: isoDate,
});
export type ActionAnswers = z.infer<typeof actionAnswers>;

/** One progress update. */
export const progressUpdate = z.object({
  at: isoInstant,
  note: multiline(),
  status: actionStatus,
  /** Who wrote it, as people read it ("the action's owner", or a team member's name). */
  by: nonEmpty(),
});
export type ProgressUpdate = z.infer<typeof progressUpdate>;

/** A document of evidence: its file name and where it is filed in the case document bucket. */
export const evidenceDocument = z.object({ title: text(200), key: nonEmpty(), uploadedAt: isoInstant });
export type EvidenceDocument = z.infer<typeof evidenceDocument>;

/** Evidence of impact, required before an action can be verified. */
export const actionEvidence = z.object({
  note: z.optional(multiline()),
  documents: z._default(z.array(evidenceDocument), []),
  updatedAt: isoInstant,
});
export type ActionEvidence = z.infer<typeof actionEvidence>;

/** An action as stored. */
export const learningAction = z.extend(actionAnswers, {
  actionId: caseId,
  reviewKind,
  reviewId: caseId,
  reviewReference: nonEmpty(),
  /** 1 for the review's first action, one more for each after it (`A1`, `A2`…). */
  number: wholeNumber(1),
  source: recommendationSource,
  owningAgencyName: text(120),
  otherAgencyNames: z._default(z.array(text(120)), []),
  status: actionStatus,
  progress: z._default(z.array(progressUpdate), []),
  evidence: z.optional(actionEvidence),
  verifiedAt: z.optional(isoInstant),
  verifiedBy: z.optional(nonEmpty()),
  verifiedByName: z.optional(nonEmpty()),
  /** Each reminder sent, by its rung (`before-14`, `after-7`). */
  remindersSent: z._default(z.array(z.object({ rung: nonEmpty(), at: isoInstant })), []),
  version: wholeNumber(1),
  createdAt: isoInstant,
  createdBy: nonEmpty(),
  updatedAt: isoInstant,
});
export type LearningAction = z.infer<typeof learningAction>;

/** An action owner's capability link, stored by the hash of its token (the token itself never is). */
export const actionLink = z.object({
  tokenHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  actionId: caseId,
  reviewKind,
  reviewId: caseId,
  issuedAt: isoInstant,
  expiresAt: isoInstant,
});
export type ActionLink = z.infer<typeof actionLink>;

/** The filter of `/actions`: each part optional. */
export const actionFilter = z.object({
  agencyId: z.optional(agencyId),
  theme: z.optional(themeKey),
  status: z.optional(actionStatus),
  /** Due on or before this day. */
  dueBy: z.optional(isoDate),
  /** Only those past their due date (as of today) and not done. */
  overdue: z.optional(z.boolean()),
});
export type ActionFilter = z.infer<typeof actionFilter>;
