import { agencyId, emailAddress, isoDate, isoInstant, nonEmpty, text, wholeNumber } from './primitives.ts';
import * as z from './zod.ts';

/**
 * The review's enquiry (issue 13 parts 2 and 3): everyone's declarations of conflicts and
 * confidentiality, the information requested in writing from agencies (each with its own
 * capability link, chased on the partnership's escalation ladder), and the merged multi-agency
 * chronology the agencies write through their links. Kept apart from the review's own item, so
 * that none of it races the workflow's changes to the review (shared/stores/local-review-enquiry-store.ts).
 */

const tokenHash = z.string().check(z.regex(/^[0-9a-f]{64}$/));

const multiline = (max = 4000) => text(max, { multiline: true });

/** What someone taking part declares: any conflict of interest, and that they will keep the review confidential. */
export const declarationAnswers = z
  .object({
    hasConflicts: z.boolean({ error: 'Say whether you have any conflict of interest' }),
    conflictDetails: z.optional(multiline(2000)),
    confidentialityAgreed: z.literal(true, {
      error: 'Confirm that you will keep what you learn in this review confidential',
    }),
  })
  .check(
    z.refine((answers) => !answers.hasConflicts || Boolean(answers.conflictDetails), {
      message: 'Describe the conflict of interest',
      path: ['conflictDetails'],
    }),
  );
export type DeclarationAnswers = z.infer<typeof declarationAnswers>;

/** Who declared: a signed-in member of staff (the reviewer, a team member) or an agency through its link. */
export const declarant = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('staff'),
    id: nonEmpty(),
    role: z.enum(['reviewer', 'partnership-team']),
    name: text(200),
  }),
  z.object({ kind: z.literal('agency'), agencyId, agencyName: text(120), name: text(120) }),
]);
export type Declarant = z.infer<typeof declarant>;

export const declaration = z.extend(declarationAnswers, {
  declarant,
  recordedAt: isoInstant,
});
export type Declaration = z.infer<typeof declaration>;

/** An agency's contact declaring through its link names themself. */
export const agencyDeclarationAnswers = z.extend(declarationAnswers, {
  name: text(120),
});

/** What the partnership team asks of an agency, in writing, and by when. */
export const informationRequestAnswers = z.object({
  agencyId: agencyId,
  contactName: text(120),
  contactEmail: emailAddress,
  /** What the review asks the agency for (its records of the period in scope, a chronology…). */
  asks: multiline(),
  dueOn: isoDate,
});
export type InformationRequestAnswers = z.infer<typeof informationRequestAnswers>;

/** Where a request stands: open until the agency says it has finished, or refuses. */
export const informationRequestStatus = z.enum(['open', 'answered', 'refused']);
export type InformationRequestStatus = z.infer<typeof informationRequestStatus>;

export const informationRequest = z.extend(informationRequestAnswers, {
  requestId: z.uuid(),
  /** 1 for the first request, one more for each after it. */
  number: wholeNumber(1),
  agencyName: text(120),
  status: informationRequestStatus,
  /** SHA-256 of the current link's token; a new link replaces it, and the old one stops working. */
  tokenHash,
  /**
   * Links a chasing step minted again when it was retried after storing its new link and before
   * its email was known to be sent: the email (sent once, by its key) carries one of them or the
   * current link, so each works as the current link does, until the next link replaces them all.
   * The others reach no one.
   */
  spareTokenHashes: z._default(z.array(tokenHash), []),
  /** How many links were sent (the first is 1): each has its own email key. */
  linkNumber: wholeNumber(1),
  linkExpiresAt: isoInstant,
  sentAt: isoInstant,
  sentBy: nonEmpty(),
  /**
   * Each rung of the escalation ladder climbed, by its kind, once: the link its email carries (a
   * rung emailed to the agency's contact mints a new one), and `emailPending` from the write that
   * stored that link until the email is sent.
   */
  chases: z._default(
    z.array(
      z.object({
        kind: nonEmpty(),
        at: isoInstant,
        linkNumber: z.optional(wholeNumber(1)),
        emailPending: z.optional(z.literal(true)),
      }),
    ),
    [],
  ),
  answeredAt: z.optional(isoInstant),
  refusal: z.optional(z.object({ reason: multiline(2000), at: isoInstant, partnersToldAt: isoInstant })),
});
export type InformationRequest = z.infer<typeof informationRequest>;

/** One entry an agency adds to the chronology: what happened, when, and where its record of it is. */
export const chronologyEntryAnswers = z.object({
  occurredOn: isoDate,
  whatHappened: multiline(2000),
  /** Where the agency's record of it is (a case note, a GP record, a referral). */
  source: text(300),
});
export type ChronologyEntryAnswers = z.infer<typeof chronologyEntryAnswers>;

export const chronologyEntry = z.extend(chronologyEntryAnswers, {
  entryId: z.uuid(),
  agencyId,
  agencyName: text(120),
  requestId: z.uuid(),
  addedAt: isoInstant,
});
export type ChronologyEntry = z.infer<typeof chronologyEntry>;

/**
 * The most entries one review's chronology takes. Each entry is an item of its own, so no item
 * grows with them; the limit keeps the chronology's page and its PDF and CSV well within what one
 * response may carry (6 MB), at about 2.5 KB an entry at most.
 */
export const CHRONOLOGY_LIMIT = 1000;

/**
 * The most requests for information one review takes: they share the enquiry's item with the
 * declarations, and 30 requests at their longest (about 7 KB each) with the declarations stay
 * well within DynamoDB's 400 KB an item.
 */
export const INFORMATION_REQUEST_LIMIT = 30;

/**
 * A review's enquiry as the store keeps it: the declarations and requests on one item, at a
 * version; the chronology's entries each on an item of their own, read with it, in the order added.
 */
export const localReviewEnquiry = z.object({
  reviewId: z.uuid(),
  /** 0 until anything is recorded. */
  version: wholeNumber(0),
  declarations: z._default(z.array(declaration), []),
  informationRequests: z._default(z.array(informationRequest), []),
  chronology: z._default(z.array(chronologyEntry), []),
});
export type LocalReviewEnquiry = z.infer<typeof localReviewEnquiry>;

/**
 * The enquiry's fields as reviews commissioned before the enquiry had its own item kept them, on
 * the review's item. Read, never written: until the enquiry's item exists its declarations and
 * requests are these, and these entries stay part of the chronology (see `enquiryOf`).
 */
export const legacyEnquiryFields = {
  declarations: z.optional(z.array(declaration)),
  informationRequests: z.optional(z.array(informationRequest)),
  chronology: z.optional(z.array(chronologyEntry)),
};
