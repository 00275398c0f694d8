import {
  localReviewRulesOf,
  type PartnershipProfile,
  rulesOf,
} from '../../../shared/config/partnership-profile.ts';
import type { LocalReview } from '../../../shared/schemas/local-review.ts';
import {
  type LocalReviewMilestone,
  localReviewMilestones,
  type MilestoneState,
} from '../../../shared/use-cases/show-local-review.ts';
import { formatDate } from '../../../shared/workflow/london-time.ts';
import { londonDateTime } from './london.ts';

/**
 * How every page that shows a local review's milestones and terms of reference words them: the
 * review's own page (local-review-web), supervision (local-review-drafts-web) and the enquiry,
 * the reviewer's page for the review (local-review-work-web). The templates' half is
 * functions/web/templates/local-review/the-review.njk.
 */

/** Each milestone's state as a tag. */
export const milestoneTags: Record<MilestoneState, { text: string; classes: string }> = {
  done: { text: 'Done', classes: 'govuk-tag--green' },
  'on-track': { text: 'On track', classes: 'govuk-tag--blue' },
  'at-risk': { text: 'At risk', classes: 'govuk-tag--yellow' },
  late: { text: 'Late', classes: 'govuk-tag--red' },
  held: { text: 'Held back', classes: 'govuk-tag--orange' },
  'not-yet': { text: 'Not yet planned', classes: 'govuk-tag--grey' },
};

/** One milestone as a page shows it. */
export interface MilestoneRow {
  name: string;
  /** In words, or "Not yet known". */
  dueOn: string;
  /** When it was done, in words. */
  doneAt?: string;
  tag: { text: string; classes: string };
}

/** The milestones as the pages show them: the due date and when done in words, the state as a tag. */
export function milestoneRows(milestones: readonly LocalReviewMilestone[]): MilestoneRow[] {
  return milestones.map((milestone) => ({
    name: milestone.name,
    dueOn: milestone.dueOn ? formatDate(milestone.dueOn) : 'Not yet known',
    ...(milestone.doneAt ? { doneAt: londonDateTime(milestone.doneAt) } : {}),
    tag: milestoneTags[milestone.state],
  }));
}

/** The review's milestones at `now`, on the partnership's calendar, as the pages show them. */
export function reviewMilestoneRows(
  review: LocalReview,
  now: Date,
  profile: PartnershipProfile,
): MilestoneRow[] {
  const calendar = { rules: localReviewRulesOf(profile), hours: rulesOf(profile) };
  return milestoneRows(localReviewMilestones(review, now, calendar));
}

/** The terms of reference as the pages show them, or undefined when none are recorded yet. */
export function termsOfReferenceView(review: LocalReview):
  | {
      method: string;
      /** "Monday 1 June 2026 to Tuesday 2 March 2027". */
      period: string;
      /** The agencies taking part, by name. */
      agencies: string;
      keyLinesOfEnquiry: string;
      familyInvolvementPlan: string;
    }
  | undefined {
  const terms = review.termsOfReference;
  if (!terms) return undefined;
  return {
    method: terms.method,
    period: `${formatDate(terms.periodFrom)} to ${formatDate(terms.periodTo)}`,
    agencies: terms.agencyIds
      .map((id) => review.agencies.find((agency) => agency.agencyId === id)?.agencyName ?? id)
      .join(', '),
    keyLinesOfEnquiry: terms.keyLinesOfEnquiry,
    familyInvolvementPlan: terms.familyInvolvementPlan,
  };
}
