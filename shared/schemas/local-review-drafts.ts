import { agencyId, caseId, isoDate, isoInstant, nonEmpty, text, wholeNumber } from './primitives.ts';
import * as z from './zod.ts';

/**
 * The review's work the partnership team keeps in writing beside a local review (issue 13 parts
 * 3 and 4): practitioner learning events, the family plan and its contact log, supervision of the
 * reviewer in writing, the drafts (every version kept), each factual-accuracy round with the
 * agencies' comments, and the quality checklist. One item in the case table,
 * `LCSPR#<reviewId>` / `DRAFTS`, apart from the review itself so that recording these never
 * races the workflow's changes to the review; audited on the review's trail.
 */

const multiline = (max = 4000) => text(max, { multiline: true });
const recorded = { recordedAt: isoInstant, recordedBy: nonEmpty(), recordedByName: z.optional(nonEmpty()) };

/** A practitioner learning event: when, who was invited, who came. */
export const learningEventAnswers = z.object({
  heldOn: isoDate,
  invited: multiline(),
  attended: multiline(),
});
export type LearningEventAnswers = z.infer<typeof learningEventAnswers>;
export const learningEvent = z.extend(learningEventAnswers, { number: wholeNumber(1), ...recorded });
export type LearningEvent = z.infer<typeof learningEvent>;

/** Whether a family member took part in the review. */
export const familyParticipation = z.enum(['yes', 'no', 'not-yet'], {
  error: 'Choose whether they took part',
});
export const familyParticipationNames: Record<z.infer<typeof familyParticipation>, string> = {
  yes: 'Took part',
  no: 'Did not take part',
  'not-yet': 'Not known yet',
};

/**
 * A family member in the family plan. The reason is required whenever they are not invited: the
 * framework expects the family to be involved, so leaving someone out is explained in writing.
 */
export const familyMemberAnswers = z
  .object({
    /** Their relationship to the child ("Mother", "Grandfather"); no child is named. */
    who: text(120),
    invited: z.boolean({ error: 'Say whether they were invited to take part' }),
    reasonNotInvited: z.optional(multiline()),
    tookPart: familyParticipation,
  })
  .check(
    z.refine((answers) => answers.invited || Boolean(answers.reasonNotInvited?.trim()), {
      message: 'Enter why they were not invited',
      path: ['reasonNotInvited'],
    }),
  );
export type FamilyMemberAnswers = z.infer<typeof familyMemberAnswers>;

/** How a family member was contacted. */
export const contactMethod = z.enum(['letter', 'email', 'telephone', 'visit', 'meeting', 'other'], {
  error: 'Choose how they were contacted',
});
export const contactMethodNames: Record<z.infer<typeof contactMethod>, string> = {
  letter: 'Letter',
  email: 'Email',
  telephone: 'Telephone',
  visit: 'Home visit',
  meeting: 'Meeting',
  other: 'Other',
};

/** One contact with a family member: when, how, what. */
export const familyContactAnswers = z.object({ on: isoDate, how: contactMethod, what: multiline() });
export type FamilyContactAnswers = z.infer<typeof familyContactAnswers>;

export const familyMember = z.extend(familyMemberAnswers, {
  number: wholeNumber(1),
  contacts: z._default(z.array(z.extend(familyContactAnswers, recorded)), []),
  ...recorded,
});
export type FamilyMember = z.infer<typeof familyMember>;

/** What the partners asked the reviewer for. */
export const supervisionKind = z.enum(['information', 'draft', 'other'], {
  error: 'Choose what the request is for',
});
export const supervisionKindNames: Record<z.infer<typeof supervisionKind>, string> = {
  information: 'Information',
  draft: 'A draft',
  other: 'Something else',
};

/** A request from the partners to the reviewer, in writing. */
export const supervisionRequestAnswers = z
  .object({
    kind: supervisionKind,
    request: multiline(),
    askedOn: isoDate,
    dueOn: z.optional(isoDate),
  })
  .check(
    z.refine((answers) => !answers.dueOn || answers.askedOn <= answers.dueOn, {
      message: 'The date it is due must be on or after the date it was asked',
      path: ['dueOn'],
    }),
  );
export type SupervisionRequestAnswers = z.infer<typeof supervisionRequestAnswers>;

/** The reviewer's answer to a request. */
export const supervisionAnswerAnswers = z.object({ answer: multiline(), answeredOn: isoDate });
export type SupervisionAnswerAnswers = z.infer<typeof supervisionAnswerAnswers>;

export const supervisionRequest = z.extend(supervisionRequestAnswers, {
  number: wholeNumber(1),
  answer: z.optional(z.extend(supervisionAnswerAnswers, recorded)),
  ...recorded,
});
export type SupervisionRequest = z.infer<typeof supervisionRequest>;

/** One version of the draft report, as uploaded: every version is kept under its own key. */
export const draftVersion = z.object({
  version: wholeNumber(1),
  fileName: text(200),
  key: nonEmpty(),
  kind: z.enum(['pdf', 'docx']),
  bytes: wholeNumber(1),
  note: z.optional(text(200)),
  ...recorded,
});
export type DraftVersion = z.infer<typeof draftVersion>;

const tokenHash = z.string().check(z.regex(/^[0-9a-f]{64}$/));

/**
 * A reminder to an agency that has not commented, by how many working days before the due day
 * it falls (0: the due day). Its email carries a new link of its own; `sentAt` is set once the
 * email has gone (until then its link is made but the email not known to have gone).
 */
export const factualAccuracyReminder = z.object({
  workingDaysBefore: wholeNumber(0),
  sentAt: z.optional(isoInstant),
});
export type FactualAccuracyReminder = z.infer<typeof factualAccuracyReminder>;

/** One agency's part in a factual-accuracy round: its link (only the hash kept) and its comments. */
export const factualAccuracyAgency = z.object({
  agencyId,
  agencyName: text(120),
  tokenHash,
  /**
   * The hashes of the links the reminders carried: each works as the first one does, until the
   * same expiry, so that whichever email the contact opens, its link works.
   */
  reminderTokenHashes: z._default(z.array(tokenHash), []),
  reminders: z._default(z.array(factualAccuracyReminder), []),
  expiresAt: isoInstant,
  comments: z.optional(z.object({ text: multiline(10000), at: isoInstant })),
});
export type FactualAccuracyAgency = z.infer<typeof factualAccuracyAgency>;

/** A factual-accuracy round: a draft version sent to each agency, comments due by a date. */
export const factualAccuracyRound = z.object({
  number: wholeNumber(1),
  draftVersion: wholeNumber(1),
  dueOn: isoDate,
  agencies: z.array(factualAccuracyAgency),
  ...recorded,
});
export type FactualAccuracyRound = z.infer<typeof factualAccuracyRound>;

/** The framework's expectations of a final report, in the order the checklist asks them. */
export const qualityExpectations = [
  { key: 'improvementsSummarised', label: 'The recommended improvements are summarised' },
  { key: 'systemicReasons', label: 'The systemic reasons for what happened are analysed' },
  {
    key: 'recommendationsWhoWhatWhen',
    label: 'Each recommendation names who will do what, by when',
  },
] as const;

const checklistItem = z.object({
  met: z.boolean({ error: 'Say whether the draft meets this' }),
  note: multiline(),
});

/** The partnership's check of a draft against the framework's expectations of a final report. */
export const qualityChecklistAnswers = z.object({
  improvementsSummarised: checklistItem,
  systemicReasons: checklistItem,
  recommendationsWhoWhatWhen: checklistItem,
});
export type QualityChecklistAnswers = z.infer<typeof qualityChecklistAnswers>;

export const qualityChecklist = z.extend(qualityChecklistAnswers, {
  draftVersion: wholeNumber(1),
  ...recorded,
});
export type QualityChecklist = z.infer<typeof qualityChecklist>;

/** Everything above for one review, as stored. */
export const localReviewDrafts = z.object({
  reviewId: caseId,
  /** 0 before anything is recorded (nothing stored yet). */
  version: wholeNumber(0),
  learningEvents: z._default(z.array(learningEvent), []),
  family: z._default(z.array(familyMember), []),
  supervision: z._default(z.array(supervisionRequest), []),
  drafts: z._default(z.array(draftVersion), []),
  rounds: z._default(z.array(factualAccuracyRound), []),
  /** Every checklist recorded, newest last (one per check). */
  checklists: z._default(z.array(qualityChecklist), []),
  /** The version the team chose as the final report: the one the Panel and the Secretary of State get. */
  finalVersion: z.optional(z.object({ version: wholeNumber(1), ...recorded })),
});
export type LocalReviewDrafts = z.infer<typeof localReviewDrafts>;

/** Where a factual-accuracy link leads: kept under the token's hash, never the token. */
export const factualAccuracyLink = z.object({
  reviewId: caseId,
  round: wholeNumber(1),
  agencyId,
  expiresAt: isoInstant,
});
export type FactualAccuracyLink = z.infer<typeof factualAccuracyLink>;
