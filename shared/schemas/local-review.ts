import { legacyEnquiryFields } from './local-review-enquiry.ts';
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
 * A Local Child Safeguarding Practice Review (LCSPR, issue 13): the second piece of work a
 * partnership runs, after a Rapid Review whose partners decided to commission one or whose Panel
 * reply asked for one. Kept in the case table beside the cases (`LCSPR#<reviewId>` / `LCSPR`);
 * its audit trail in the audit table under the same partition key. Its workflow is
 * statemachines/local-review.asl.json, one execution per review, named by the review's id.
 */

/** Where a local review stands. The workflow and the partnership team move it forward through these in order. */
export const localReviewStatus = z.enum([
  'commissioned',
  /** The final report is ready and its publication planned: the notice, then publication. */
  'awaiting-publication',
  'published',
  'failed',
]);
export type LocalReviewStatus = z.infer<typeof localReviewStatus>;

/** How the review came to be commissioned. */
export const localReviewRoute = z.enum([
  /** The safeguarding partners' decision at the Rapid Review. */
  'rapid-review-decision',
  /** The Panel's reply to the Rapid Review asked the partnership for one. */
  'panel-request',
  /** The Practice Review Group decided on a referral of a case that was not notifiable (shared/schemas/prg-referral.ts). */
  'practice-review-group',
]);
export type LocalReviewRoute = z.infer<typeof localReviewRoute>;

const multiline = (max = 4000) => text(max, { multiline: true });

/** The terms of reference, as the partnership team records them. */
export const termsOfReferenceAnswers = z
  .object({
    /** For example, a systems approach. */
    method: text(200),
    periodFrom: isoDate,
    periodTo: isoDate,
    /** The agencies taking part, by id: at least one of the review's agencies. */
    agencyIds: z
      .array(agencyId, { error: 'Choose the agencies taking part' })
      .check(z.minLength(1, { error: 'Choose at least one agency taking part' })),
    keyLinesOfEnquiry: multiline(),
    familyInvolvementPlan: multiline(),
  })
  .check(
    z.refine((answers) => answers.periodFrom <= answers.periodTo, {
      message: 'The end of the period in scope must be on or after its start',
      path: ['periodTo'],
    }),
  );
export type TermsOfReferenceAnswers = z.infer<typeof termsOfReferenceAnswers>;

/**
 * The framework's six points for choosing a reviewer, in its order, with what each is about
 * (the keys of the evidence recorded against each).
 */
export const reviewerCriteria = [
  {
    key: 'professionalKnowledge',
    label:
      'Professional knowledge of safeguarding practice reviews, including engaging practitioners, children and families',
  },
  { key: 'research', label: 'Knowledge of safeguarding research' },
  {
    key: 'complexCircumstances',
    label: 'Understanding of the complex circumstances practitioners work in',
  },
  { key: 'withoutHindsight', label: 'Seeing practice as it was at the time, without hindsight' },
  { key: 'communication', label: 'Communicating findings' },
  { key: 'conflicts', label: 'Any real or perceived conflict of interest' },
] as const;
export type ReviewerCriterion = (typeof reviewerCriteria)[number]['key'];

/** The reviewer, as the partnership team records their appointment. */
export const reviewerAnswers = z
  .object({
    name: text(120),
    organisation: text(200),
    /** The reviewer's address: the Panel is told who the reviewer is; later, the reviewer's own sign-in. */
    email: emailAddress,
    evidence: z.object({
      professionalKnowledge: multiline(),
      research: multiline(),
      complexCircumstances: multiline(),
      withoutHindsight: multiline(),
      communication: multiline(),
      conflicts: multiline(),
    }),
    contractStartsOn: isoDate,
    contractEndsOn: isoDate,
    /** The fee, in pence (the pages take pounds). */
    feePence: wholeNumber(0),
  })
  .check(
    z.refine((answers) => answers.contractStartsOn <= answers.contractEndsOn, {
      message: 'The contract must end on or after the day it starts',
      path: ['contractEndsOn'],
    }),
  );
export type ReviewerAnswers = z.infer<typeof reviewerAnswers>;

/** The kinds of process that may run beside the review (issue 13 part 3). */
export const parallelProcessKind = z.enum(
  [
    'police-investigation',
    'criminal-trial',
    'inquest',
    'child-death-review',
    'safeguarding-adult-review',
    'domestic-homicide-review',
    'other',
  ],
  { error: 'Choose what kind of process it is' },
);
export type ParallelProcessKind = z.infer<typeof parallelProcessKind>;

/** What people read for each kind. */
export const parallelProcessNames: Record<ParallelProcessKind, string> = {
  'police-investigation': 'Police investigation',
  'criminal-trial': 'Criminal trial',
  inquest: 'Inquest',
  'child-death-review': 'Child death review',
  'safeguarding-adult-review': 'Safeguarding Adult Review',
  'domestic-homicide-review': 'Domestic Homicide Review',
  other: 'Other process',
};

/** A parallel process as the partnership team records it. */
export const parallelProcessAnswers = z
  .object({
    kind: parallelProcessKind,
    /** Anything that says which process it is (never the child's name). */
    description: z.optional(text(200)),
    startedOn: isoDate,
    expectedEndOn: z.optional(isoDate),
    /** Whether the review may not be published while it is open (a criminal trial, usually). */
    holdsPublication: z.boolean({ error: 'Say whether this process holds publication back' }),
  })
  .check(
    z.refine((answers) => !answers.expectedEndOn || answers.startedOn <= answers.expectedEndOn, {
      message: 'The expected end must be on or after the start',
      path: ['expectedEndOn'],
    }),
  );
export type ParallelProcessAnswers = z.infer<typeof parallelProcessAnswers>;

export const parallelProcess = z.extend(parallelProcessAnswers, {
  /** 1 for the first recorded, one more for each after it. */
  number: wholeNumber(1),
  endedOn: z.optional(isoDate),
  recordedAt: isoInstant,
  recordedBy: nonEmpty(),
});
export type ParallelProcess = z.infer<typeof parallelProcess>;

/** The final report is ready: when the partnership plans to publish it, and whether in full. */
export const publicationPlanAnswers = z
  .object({
    plannedOn: isoDate,
    /** Publishing in full is the rule; otherwise the improvements information is published, with the reasons. */
    inFull: z.boolean({ error: 'Say whether the report will be published in full' }),
    reasonsNotInFull: z.optional(multiline()),
  })
  .check(
    z.refine((answers) => answers.inFull || Boolean(answers.reasonsNotInFull), {
      message: 'Give the reasons the report will not be published in full',
      path: ['reasonsNotInFull'],
    }),
  );
export type PublicationPlanAnswers = z.infer<typeof publicationPlanAnswers>;

/** The review is public: when, and where. */
export const publicationAnswers = z.object({
  publishedOn: isoDate,
  address: z.url({ protocol: /^https?$/, error: 'Enter the web address, starting https://' }),
});
export type PublicationAnswers = z.infer<typeof publicationAnswers>;

/** Why the review is late, and when the partnership now expects to complete it. */
export const localReviewLateAnswers = z.object({
  reason: multiline(),
  expectedOn: isoDate,
});
export type LocalReviewLateAnswers = z.infer<typeof localReviewLateAnswers>;

const recorded = { recordedAt: isoInstant, recordedBy: nonEmpty(), recordedByName: z.optional(nonEmpty()) };

/** A document of the Rapid Review the local review carries: its title and where it is filed. */
export const carriedDocument = z.object({ title: text(200), key: nonEmpty() });
export type CarriedDocument = z.infer<typeof carriedDocument>;

/** A local review as stored. Children's details stay in the Rapid Review's notification document. */
export const localReview = z
  .object({
    reviewId: caseId,
    /** `LCSPR-<the Rapid Review's reference after its RR->`: one local review per Rapid Review. */
    reference: nonEmpty(),
    status: localReviewStatus,
    version: wholeNumber(1),
    route: localReviewRoute,
    /** The Rapid Review it came from (or, for the Practice Review Group's way in, `fromReferral`). */
    fromCase: z.optional(
      z.object({
        caseId,
        reference: nonEmpty(),
        panelReference: nonEmpty(),
        /** Who the children are: the Rapid Review's notification, as received. */
        notificationDocumentKey: nonEmpty(),
      }),
    ),
    /** The Practice Review Group's referral it came from, with the child it names. */
    fromReferral: z.optional(
      z.object({
        referralId: caseId,
        reference: nonEmpty(),
        child: z.object({ name: text(120), dateOfBirth: z.optional(isoDate) }),
      }),
    ),
    /** The day of the decision to commission (the partners' decision, or the Panel's reply). */
    decidedOn: isoDate,
    /** The completion target: by default six months from the decision to commission. */
    completionDueOn: isoDate,
    agencies: z.array(z.object({ agencyId, agencyName: text(120) })),
    documents: z.array(carriedDocument),
    commissionedAt: isoInstant,
    commissionedBy: nonEmpty(),
    commissionedByName: z.optional(nonEmpty()),
    termsOfReference: z.optional(z.extend(termsOfReferenceAnswers, recorded)),
    reviewer: z.optional(z.extend(reviewerAnswers, recorded)),
    parallelProcesses: z._default(z.array(parallelProcess), []),
    /** The final report is ready and its publication planned: the review is complete. */
    publicationPlan: z.optional(z.extend(publicationPlanAnswers, recorded)),
    /** The completion target passed first: the Panel was told; the team records why. */
    late: z.optional(
      z.object({
        dueDate: isoDate,
        panelToldAt: isoInstant,
        reason: z.optional(multiline()),
        expectedOn: z.optional(isoDate),
        reasonRecordedAt: z.optional(isoInstant),
      }),
    ),
    /** Each reminder before the completion target, by how many months before it fell. */
    remindersSent: z._default(z.array(z.object({ monthsBefore: wholeNumber(1), at: isoInstant })), []),
    /** The open processes holding publication back, when the workflow last found them so. */
    publicationHeldSince: z.optional(isoInstant),
    prePublicationNoticeSentAt: z.optional(isoInstant),
    publication: z.optional(z.extend(publicationAnswers, recorded)),
    /** The team was alerted that the minimum period of publication is about to end. */
    minimumPeriodAlertSentAt: z.optional(isoInstant),
    failure: z.optional(z.object({ step: z.string(), error: z.string(), at: isoInstant })),
    /** The enquiry of a review commissioned before it had its own item: read only (shared/schemas/local-review-enquiry.ts). */
    ...legacyEnquiryFields,
    createdAt: isoInstant,
    updatedAt: isoInstant,
  })
  .check(
    z.refine((review) => Boolean(review.fromCase) !== Boolean(review.fromReferral), {
      message: 'A local review comes from a Rapid Review or from a referral, one of the two',
      path: ['fromCase'],
    }),
  );
export type LocalReview = z.infer<typeof localReview>;
