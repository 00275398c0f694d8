import { localReviewRulesOf, rulesOf } from '../config/partnership-profile.ts';
import { InvalidInputError } from '../errors.ts';
import { type LocalReview, parallelProcessNames } from '../schemas/local-review.ts';
import type { StaffMember } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import {
  type LocalReviewCalendar,
  minimumPeriodEndsOn,
  prePublicationNoticeOn,
  processesHoldingPublication,
} from '../workflow/local-review-plan.ts';
import { isoDateOf } from '../workflow/london-time.ts';
import { enquiryOf } from './enquiry-of.ts';
import { LocalReviewNotFoundError, loadLocalReview } from './local-review.ts';
import { localReviewMilestones, type MilestoneState } from './show-local-review.ts';

/**
 * Every local review at a glance (issue 13), for the partnership team's list (`/local-reviews`)
 * and the JSON API (`GET /api/local-reviews`, `GET /api/local-reviews/{reviewId}`): where each
 * came from, where it stands in words, its dates. Read through the store's list index, never a
 * scan of the table.
 */

type Ports = Pick<Service, 'clock' | 'profile' | 'localReviews'>;
/** What a review's details read besides: its enquiry, for the counts of requests and entries. */
type DetailsPorts = Ports & Pick<Service, 'localReviewEnquiries'>;

/** Where a review stands, as the list says it: one answer per review. */
export type LocalReviewStanding =
  | 'commissioned'
  | 'reviewer-appointed'
  | 'final-report-ready'
  | 'held-back'
  | 'late'
  | 'published'
  | 'stopped';

/** Each standing in words, for the pages. */
export const standingWords: Record<LocalReviewStanding, string> = {
  commissioned: 'Commissioned',
  'reviewer-appointed': 'Reviewer appointed',
  'final-report-ready': 'Final report ready',
  'held-back': 'Held back',
  late: 'Late',
  published: 'Published',
  stopped: 'Stopped',
};

/** Each milestone state in words: the same tags as the review's own page. */
export const milestoneStateWords: Record<MilestoneState, string> = {
  done: 'Done',
  'on-track': 'On track',
  'at-risk': 'At risk',
  late: 'Late',
  held: 'Held back',
  'not-yet': 'Not yet planned',
};

const calendarOf = (service: Pick<Service, 'profile'>): LocalReviewCalendar => ({
  rules: localReviewRulesOf(service.profile),
  hours: rulesOf(service.profile),
});

/**
 * Where a review stands at `now`, the most pressing first: stopped (its workflow failed),
 * published, held back (its publication is planned and a parallel process holds it), late (a
 * milestone's date passed undone: the final report, the notice or the publication), final report
 * ready, reviewer appointed, or commissioned.
 */
export function standingOf(
  review: LocalReview,
  now: Date,
  calendar: LocalReviewCalendar,
): LocalReviewStanding {
  if (review.status === 'failed') return 'stopped';
  if (review.status === 'published') return 'published';
  if (review.publicationPlan && processesHoldingPublication(review).length > 0) return 'held-back';
  const milestones = localReviewMilestones(review, now, calendar);
  if (milestones.some((milestone) => milestone.state === 'late')) return 'late';
  if (review.publicationPlan) return 'final-report-ready';
  if (review.reviewer) return 'reviewer-appointed';
  return 'commissioned';
}

/** Which reviews the list shows: every one, those in progress (not yet published), or the published ones. */
export type LocalReviewFilter = 'all' | 'in-progress' | 'published';

/** The filter as asked (`?status=`): empty or absent is every review; anything else but the two is a field error. */
export function localReviewFilterOf(asked: string | null | undefined): LocalReviewFilter {
  const value = (asked ?? '').trim();
  if (value === '') return 'all';
  if (value === 'in-progress' || value === 'published') return value;
  throw new InvalidInputError('list of local reviews', [
    { field: 'status', message: 'Choose published or in progress, or leave it empty for every local review' },
  ]);
}

/** Where a review came from: its Rapid Review, or the Practice Review Group's referral. */
export type LocalReviewSource =
  | { kind: 'rapid-review'; caseId: string; reference: string }
  | { kind: 'practice-review-group'; referralId: string; reference: string };

function sourceOf(review: LocalReview): LocalReviewSource {
  if (review.fromCase) {
    return { kind: 'rapid-review', caseId: review.fromCase.caseId, reference: review.fromCase.reference };
  }
  return {
    kind: 'practice-review-group',
    referralId: review.fromReferral?.referralId ?? '',
    reference: review.fromReferral?.reference ?? '',
  };
}

/** One review as the list shows it: ids, reference, source, standing and dates (YYYY-MM-DD). No child, no free text but the reviewer's organisation. */
export interface LocalReviewListEntry {
  reviewId: string;
  reference: string;
  source: LocalReviewSource;
  status: LocalReviewStanding;
  /** The day of the decision to commission. */
  decidedOn: string;
  /** The London day it was commissioned in the service. */
  commissionedOn: string;
  completionDueOn: string;
  plannedPublicationOn?: string;
  publishedOn?: string;
  reviewerOrganisation?: string;
}

function listEntryOf(review: LocalReview, now: Date, calendar: LocalReviewCalendar): LocalReviewListEntry {
  return {
    reviewId: review.reviewId,
    reference: review.reference,
    source: sourceOf(review),
    status: standingOf(review, now, calendar),
    decidedOn: review.decidedOn,
    commissionedOn: isoDateOf(review.commissionedAt, calendar.hours.timeZone),
    completionDueOn: review.completionDueOn,
    ...(review.publicationPlan ? { plannedPublicationOn: review.publicationPlan.plannedOn } : {}),
    ...(review.publication ? { publishedOn: review.publication.publishedOn } : {}),
    ...(review.reviewer ? { reviewerOrganisation: review.reviewer.organisation } : {}),
  };
}

/**
 * Every local review, newest commissioned first, or those the filter asks for (`status`: empty,
 * `in-progress` or `published`; anything else an InvalidInputError naming `status`).
 */
export async function listLocalReviews(
  service: Ports,
  input: { status?: string | null },
): Promise<LocalReviewListEntry[]> {
  const filter = localReviewFilterOf(input.status);
  const now = service.clock.now();
  const calendar = calendarOf(service);
  const reviews = await service.localReviews.listLocalReviews();
  return reviews
    .filter((review) => filter === 'all' || (filter === 'published') === (review.status === 'published'))
    .map((review) => listEntryOf(review, now, calendar));
}

// ── One review, for the API ────────────────────────────────────────────────────────────────────

/**
 * Whether the person may read the review: the partnership team any, a reviewer only one whose
 * recorded reviewer has the email they sign in with (the enquiry pages' rule, `mayWorkOn`).
 */
export function mayReadLocalReview(review: LocalReview, member: StaffMember): boolean {
  if (member.roles.includes('partnership-team')) return true;
  const email = member.email?.trim().toLowerCase();
  return (
    member.roles.includes('reviewer') && Boolean(email) && review.reviewer?.email.toLowerCase() === email
  );
}

/**
 * How many requests for information and chronology entries the review has: kept on the review
 * itself (shared/schemas/local-review-enquiry.ts), read here in one place.
 */
export async function enquiryCountsOf(
  service: Pick<Service, 'localReviewEnquiries'>,
  review: LocalReview,
): Promise<{ informationRequests: number; chronologyEntries: number }> {
  const enquiry = await enquiryOf(service, review);
  return {
    informationRequests: enquiry.informationRequests.length,
    chronologyEntries: enquiry.chronology.length,
  };
}

/** The review as the API answers it (dates YYYY-MM-DD); the reviewer's fee only for the partnership team. */
export interface LocalReviewDetails extends LocalReviewListEntry {
  route: LocalReview['route'];
  /** The stored state of its workflow: commissioned, awaiting-publication, published, failed. */
  workflowStatus: LocalReview['status'];
  agencies: { agencyId: string; agencyName: string }[];
  milestones: {
    key: string;
    name: string;
    dueOn?: string;
    doneOn?: string;
    state: MilestoneState;
    tag: string;
  }[];
  late?: { dueDate: string; panelToldOn: string; reason?: string; expectedOn?: string };
  termsOfReference?: {
    method: string;
    periodFrom: string;
    periodTo: string;
    agencyIds: string[];
    keyLinesOfEnquiry: string;
    familyInvolvementPlan: string;
    recordedOn: string;
  };
  reviewer?: {
    name: string;
    organisation: string;
    email: string;
    evidence: Record<string, string>;
    contractStartsOn: string;
    contractEndsOn: string;
    feePence?: number;
    appointedOn: string;
  };
  parallelProcesses: {
    number: number;
    kind: string;
    name: string;
    description?: string;
    startedOn: string;
    expectedEndOn?: string;
    endedOn?: string;
    holdsPublication: boolean;
    holdingPublicationNow: boolean;
  }[];
  publicationPlan?: {
    plannedOn: string;
    inFull: boolean;
    reasonsNotInFull?: string;
    noticeDueOn: string;
    noticeSentOn?: string;
  };
  publication?: { publishedOn: string; address: string; minimumPeriodEndsOn: string };
  informationRequests: number;
  chronologyEntries: number;
}

/**
 * One review for the API: the partnership team any, the review's own reviewer theirs (anyone
 * else, and an unknown id, LocalReviewNotFoundError, as the pages answer). The reviewer sees
 * everything but their own fee, which is the partnership's contract detail.
 */
export async function localReviewDetails(
  service: DetailsPorts,
  input: { reviewId: string; viewer: StaffMember },
): Promise<LocalReviewDetails> {
  const review = await loadLocalReview(service, input.reviewId);
  if (!mayReadLocalReview(review, input.viewer)) throw new LocalReviewNotFoundError();
  return detailsOf(service, review, input.viewer);
}

/** The review as the API answers it, for a viewer already allowed to read it. */
export async function detailsOf(
  service: DetailsPorts,
  review: LocalReview,
  viewer: StaffMember,
): Promise<LocalReviewDetails> {
  const now = service.clock.now();
  const calendar = calendarOf(service);
  const timeZone = calendar.hours.timeZone;
  const day = (instant: string) => isoDateOf(instant, timeZone);
  const team = viewer.roles.includes('partnership-team');
  const holding = new Set(processesHoldingPublication(review).map((process) => process.number));
  const counts = await enquiryCountsOf(service, review);
  const { termsOfReference: terms, reviewer, publicationPlan: plan, publication, late } = review;
  return {
    ...listEntryOf(review, now, calendar),
    route: review.route,
    workflowStatus: review.status,
    agencies: review.agencies.map(({ agencyId, agencyName }) => ({ agencyId, agencyName })),
    milestones: localReviewMilestones(review, now, calendar).map((milestone) => ({
      key: milestone.key,
      name: milestone.name,
      ...(milestone.dueOn ? { dueOn: milestone.dueOn } : {}),
      ...(milestone.doneAt ? { doneOn: day(milestone.doneAt) } : {}),
      state: milestone.state,
      tag: milestoneStateWords[milestone.state],
    })),
    ...(late
      ? {
          late: {
            dueDate: late.dueDate,
            panelToldOn: day(late.panelToldAt),
            ...(late.reason ? { reason: late.reason } : {}),
            ...(late.expectedOn ? { expectedOn: late.expectedOn } : {}),
          },
        }
      : {}),
    ...(terms
      ? {
          termsOfReference: {
            method: terms.method,
            periodFrom: terms.periodFrom,
            periodTo: terms.periodTo,
            agencyIds: [...terms.agencyIds],
            keyLinesOfEnquiry: terms.keyLinesOfEnquiry,
            familyInvolvementPlan: terms.familyInvolvementPlan,
            recordedOn: day(terms.recordedAt),
          },
        }
      : {}),
    ...(reviewer
      ? {
          reviewer: {
            name: reviewer.name,
            organisation: reviewer.organisation,
            email: reviewer.email,
            evidence: { ...reviewer.evidence },
            contractStartsOn: reviewer.contractStartsOn,
            contractEndsOn: reviewer.contractEndsOn,
            ...(team ? { feePence: reviewer.feePence } : {}),
            appointedOn: day(reviewer.recordedAt),
          },
        }
      : {}),
    parallelProcesses: review.parallelProcesses.map((process) => ({
      number: process.number,
      kind: process.kind,
      name: parallelProcessNames[process.kind],
      ...(process.description ? { description: process.description } : {}),
      startedOn: process.startedOn,
      ...(process.expectedEndOn ? { expectedEndOn: process.expectedEndOn } : {}),
      ...(process.endedOn ? { endedOn: process.endedOn } : {}),
      holdsPublication: process.holdsPublication,
      holdingPublicationNow: holding.has(process.number),
    })),
    ...(plan
      ? {
          publicationPlan: {
            plannedOn: plan.plannedOn,
            inFull: plan.inFull,
            ...(plan.reasonsNotInFull ? { reasonsNotInFull: plan.reasonsNotInFull } : {}),
            noticeDueOn: prePublicationNoticeOn(plan.plannedOn, calendar.rules),
            ...(review.prePublicationNoticeSentAt
              ? { noticeSentOn: day(review.prePublicationNoticeSentAt) }
              : {}),
          },
        }
      : {}),
    ...(publication
      ? {
          publication: {
            publishedOn: publication.publishedOn,
            address: publication.address,
            minimumPeriodEndsOn: minimumPeriodEndsOn(publication.publishedOn, calendar.rules),
          },
        }
      : {}),
    informationRequests: counts.informationRequests,
    chronologyEntries: counts.chronologyEntries,
  };
}
