import { isoDate, isoInstant, nonEmpty, optionalText, text, wholeNumber } from './primitives.ts';
import * as z from './zod.ts';

/**
 * An agency's structured return to a Rapid Review (issue 10 part 2): "no involvement", or what
 * its involvement was. The shared contract between the agency's pages (which take it), the team's
 * "return on an agency's behalf", the case store (which keeps every version) and the collated
 * report (which prints the latest). An uploaded file may go with either, or stand alone as today.
 */

/** One key practice episode: when, what happened, what was decided and why. */
export const practiceEpisode = z.object({
  date: isoDate,
  whatHappened: text(4000, { multiline: true }),
  decidedAndWhy: text(4000, { multiline: true }),
});
export type PracticeEpisode = z.infer<typeof practiceEpisode>;

/** The agency knew the child or family: what it did. */
export const involvementReturn = z.object({
  kind: z.literal('involvement'),
  /** The period of involvement: from, and to (absent while it goes on). */
  involvedFrom: isoDate,
  involvedTo: z.optional(isoDate),
  /** Who was involved, by role (never names of staff). */
  rolesInvolved: text(2000, { multiline: true }),
  summary: text(20_000, { multiline: true }),
  episodes: z
    .array(practiceEpisode)
    .check(z.minLength(1, { error: 'Add at least one key practice episode' })),
  immediateActions: text(8000, { multiline: true }),
  earlyLearning: text(8000, { multiline: true }),
  /** Race, ethnicity, disability or other protected characteristics the partnership should know. */
  protectedCharacteristics: optionalText(8000, { multiline: true }),
});
export type InvolvementReturn = z.infer<typeof involvementReturn>;

/** The agency has had no involvement with this child or family: counts as a return; the chasing stops. */
export const noInvolvementReturn = z.object({
  kind: z.literal('no-involvement'),
  confirmed: z.literal(true, { error: 'Confirm that your agency has had no involvement' }),
});
export type NoInvolvementReturn = z.infer<typeof noInvolvementReturn>;

export const structuredReturn = z.discriminatedUnion('kind', [involvementReturn, noInvolvementReturn]);
export type StructuredReturn = z.infer<typeof structuredReturn>;

/**
 * One version of an agency's return as stored: each correction is a new version (the earlier ones
 * are kept). `by` says who entered it: the agency through its link, or the partnership team on
 * its behalf (named).
 */
export const returnVersion = z.object({
  version: wholeNumber(1),
  submittedAt: isoInstant,
  by: z.enum(['agency', 'partnership-team']),
  /** The team member's name when the team entered it on the agency's behalf. */
  byName: z.optional(nonEmpty()),
  answers: structuredReturn,
  /** An uploaded file that goes with this version (PDF or Word), in the documents bucket. */
  documentKey: z.optional(nonEmpty()),
});
export type ReturnVersion = z.infer<typeof returnVersion>;

/**
 * An agency's answers so far, kept between visits until it submits (the agency's pages): each
 * answer as its page accepted it, none required yet. Submitting checks the whole return against
 * `structuredReturn`.
 */
export const returnDraftAnswers = z.object({
  kind: z.optional(z.enum(['involvement', 'no-involvement'])),
  involvedFrom: z.optional(z.string()),
  involvedTo: z.optional(z.string()),
  stillInvolved: z.optional(z.boolean()),
  rolesInvolved: z.optional(z.string()),
  summary: z.optional(z.string()),
  episodes: z.optional(
    z.array(z.object({ date: z.string(), whatHappened: z.string(), decidedAndWhy: z.string() })),
  ),
  immediateActions: z.optional(z.string()),
  earlyLearning: z.optional(z.string()),
  protectedCharacteristics: z.optional(z.string()),
});
export type ReturnDraftAnswers = z.infer<typeof returnDraftAnswers>;

/**
 * One agency's draft on one case, when it was last saved, and the version it was begun from (0
 * before any): once a later version is submitted, the draft is set aside.
 */
export const returnDraft = z.object({
  caseId: nonEmpty(),
  agencyId: nonEmpty(),
  savedAt: isoInstant,
  basedOnVersion: z.number(),
  answers: returnDraftAnswers,
});
export type ReturnDraft = z.infer<typeof returnDraft>;
