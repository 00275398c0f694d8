import { InvalidInputError } from '../../../shared/errors.ts';
import type { Service } from '../../../shared/service.ts';
import {
  type LocalReviewFilter,
  type LocalReviewListEntry,
  type LocalReviewStanding,
  listLocalReviews,
  localReviewFilterOf,
  standingWords,
} from '../../../shared/use-cases/local-review-overview.ts';
import { formatDate } from '../../../shared/workflow/london-time.ts';
import { type Page, render } from '../page.ts';
import { localReviewsMenuPage } from './menu.ts';

/**
 * The partnership team's list of local reviews (issue 13), served by
 * functions/local-review-work-web through the LocalReviewWorkPagesList route:
 *
 *   GET /local-reviews                 every local review, newest commissioned first
 *   GET /local-reviews?status=…        those in progress, or those published
 *
 * Each with its reference (linked to its page), where it came from, where it stands in words,
 * its completion target and its reviewer's organisation. Read through the store's list index.
 */

/** The ports the list reads. */
export type LocalReviewListService = Pick<Service, 'clock' | 'profile' | 'publicBaseUrl' | 'localReviews'>;

/** Each standing's tag colour (GOV.UK tag classes). */
const standingTagClasses: Record<LocalReviewStanding, string> = {
  commissioned: 'govuk-tag--grey',
  'reviewer-appointed': 'govuk-tag--blue',
  'final-report-ready': 'govuk-tag--turquoise',
  'held-back': 'govuk-tag--orange',
  late: 'govuk-tag--red',
  published: 'govuk-tag--green',
  stopped: 'govuk-tag--red',
};

const titles: Record<LocalReviewFilter, string> = {
  all: 'Local reviews',
  'in-progress': 'Local reviews in progress',
  published: 'Published local reviews',
};

/** One row as the table shows it: words and links, no ids in the text. */
function rowOf(entry: LocalReviewListEntry) {
  return {
    href: `/local-reviews/${entry.reviewId}`,
    reference: entry.reference,
    source:
      entry.source.kind === 'rapid-review'
        ? {
            text: `Rapid Review ${entry.source.reference}`,
            href: `/cases/${entry.source.caseId}`,
          }
        : {
            text: 'Practice Review Group',
            detail: entry.source.reference,
            href: `/practice-review-group/referrals/${entry.source.referralId}`,
          },
    status: { text: standingWords[entry.status], classes: standingTagClasses[entry.status] },
    completionDue: formatDate(entry.completionDueOn),
    reviewerOrganisation: entry.reviewerOrganisation,
  };
}

function filterChoices(selected: LocalReviewFilter | undefined) {
  return [
    { value: '', text: 'All local reviews', checked: selected === 'all' },
    { value: 'in-progress', text: 'In progress', checked: selected === 'in-progress' },
    { value: 'published', text: 'Published', checked: selected === 'published' },
  ];
}

const listPage: Page<LocalReviewListService> = {
  ...localReviewsMenuPage,
  async handle(request) {
    const asked = request.query.get('status');
    try {
      const filter = localReviewFilterOf(asked);
      const entries = await listLocalReviews(request.service, { status: asked });
      return render('local-review-work/local-reviews.njk', {
        pageTitle: titles[filter],
        rows: entries.map(rowOf),
        filter,
        choices: filterChoices(filter),
      });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const message = error.fields[0]?.message ?? 'Choose which local reviews to show';
      return render(
        'local-review-work/local-reviews.njk',
        {
          pageTitle: titles.all,
          rows: [],
          filter: undefined,
          choices: filterChoices(undefined),
          // As forms.ts shapes them: the layout then starts the title "Error: ".
          errors: { errorList: [{ text: message, href: '#status' }], byField: { status: { text: message } } },
        },
        400,
      );
    }
  },
};

export const localReviewListPages: Page<LocalReviewListService>[] = [listPage];
