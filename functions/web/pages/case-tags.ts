import type { CaseStatus } from '../../../shared/schemas/case.ts';

/**
 * The tags a case's status shows as, on the cases list and on the case page alike (apart from
 * both, so that a function serving only one of them holds no more than it needs).
 */

/** How each status reads on a page, and the colour of its tag. */
export const statusTags: Record<CaseStatus, { text: string; classes: string }> = {
  notified: { text: 'Notified', classes: 'govuk-tag--grey' },
  'awaiting-summaries': { text: 'Awaiting summaries', classes: 'govuk-tag--blue' },
  collating: { text: 'Collating', classes: 'govuk-tag--light-blue' },
  'awaiting-decision': { text: 'Awaiting decision', classes: 'govuk-tag--yellow' },
  decided: { text: 'Decided', classes: 'govuk-tag--turquoise' },
  'submitted-to-panel': { text: 'Submitted to the Panel', classes: 'govuk-tag--green' },
  completed: { text: 'Completed', classes: 'govuk-tag--green' },
  failed: { text: 'Failed', classes: 'govuk-tag--red' },
  closed: { text: 'Notification only', classes: 'govuk-tag--grey' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--grey' },
};

/** A status's tag; an unknown status reads as itself, in grey. */
export function statusTag(status: string): { text: string; classes: string } {
  return statusTags[status as CaseStatus] ?? { text: status, classes: 'govuk-tag--grey' };
}

/** The review's governing date passed without a submission (issue 9 part 6): beside the status, on the case page and the list. */
export const lateTag = { text: 'Late', classes: 'govuk-tag--red' };

/** The Panel asked for a local review (issue 9 part 6): a tag beside the status, on the case page and the list. */
export const localReviewToCommissionTag = {
  text: 'Local review to commission',
  classes: 'govuk-tag--purple',
};
