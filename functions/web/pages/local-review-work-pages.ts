import { rulesOf } from '../../../shared/config/partnership-profile.ts';
import { chronologyCsv, chronologyPdf, filterInWords } from '../../../shared/documents/chronology.ts';
import { DomainError, type InvalidField, InvalidInputError } from '../../../shared/errors.ts';
import type { LocalReview } from '../../../shared/schemas/local-review.ts';
import type { InformationRequest, LocalReviewEnquiry } from '../../../shared/schemas/local-review-enquiry.ts';
import type { Service } from '../../../shared/service.ts';
import {
  addChronologyEntry,
  agencyDeclarationOf,
  type ChronologyFilter,
  completeInformationRequest,
  declarationRows,
  enquiryOf,
  isReviewerOf,
  listReviewersReviews,
  loadReviewToWorkOn,
  mergedChronology,
  openInformationLink,
  recordAgencyDeclaration,
  recordStaffDeclaration,
  refuseInformationRequest,
  sendInformationRequest,
  sendNewInformationLink,
} from '../../../shared/use-cases/local-review-enquiry.ts';
import { formatDate, formatInstant } from '../../../shared/workflow/london-time.ts';
import { fieldId, formErrors } from '../forms.ts';
import {
  memberOf,
  notFound,
  type Page,
  type PageResult,
  publicAccess,
  rawResponse,
  redirect,
  render,
  staffOnly,
  todayOf,
  type WebRequest,
} from '../page.ts';
import { reviewMilestoneRows, termsOfReferenceView } from './local-review-view.ts';
import { yourReviewsMenuPage } from './menu.ts';
import { dateFromParts } from './notify/answers.ts';

/**
 * A local review's enquiry (issue 13 parts 2 and 3), served by functions/local-review-work-web
 * through the LocalReviewWorkPages routes of shared/routes.ts:
 *
 *   GET  /your-reviews                                       the reviewer's home: their reviews
 *   GET  /local-reviews/{reviewId}/enquiry                   the review (its target, milestones and terms of
 *                                                            reference), declarations, information requests
 *   GET|POST …/enquiry/declaration                           your declaration (reviewer, team)
 *   GET|POST …/enquiry/request                               a request for information (team)
 *   GET  …/enquiry/request/confirmation                      "Request sent"
 *   POST …/enquiry/requests/{requestId}/new-link             a new link, the old one stopped (team)
 *   GET  …/enquiry/chronology (.pdf, .csv)                   the merged chronology, filtered, exported
 *   GET|POST /local-review-agency/{reviewId}/{token}…        the agency's pages under its link
 *
 * The partnership team sees every review; a reviewer only those whose recorded reviewer has
 * their sign-in's email (any other is "not found").
 */

export type LocalReviewWorkWebService = Pick<
  Service,
  | 'clock'
  | 'profile'
  | 'publicBaseUrl'
  | 'cases'
  | 'sessions'
  | 'mailer'
  | 'localReviews'
  | 'localReviewEnquiries'
  | 'informationRequestChases'
>;
type Request = WebRequest<LocalReviewWorkWebService>;
type WorkPage = Page<LocalReviewWorkWebService>;

const teamOnly = staffOnly('partnership-team');
const teamOrReviewer = staffOnly('partnership-team', 'reviewer');
const timeZoneOf = (request: Request) => rulesOf(request.service.profile).timeZone;
const enquiryPath = (reviewId: string) => `/local-reviews/${reviewId}/enquiry`;

/** A refusal in words, with a way back. */
function problemPage(error: DomainError, back: { href: string; text: string }, status = 409): PageResult {
  return render(
    'local-review/problem.njk',
    { pageTitle: error.title, answer: { title: error.title, detail: error.message }, back },
    status,
  );
}

/** Runs a staff page on a review the person may work on; to anyone else it does not exist. */
function onReview(run: (request: Request, review: LocalReview) => Promise<PageResult> | PageResult) {
  return async (request: Request): Promise<PageResult> => {
    let review: LocalReview;
    try {
      review = await loadReviewToWorkOn(request.service, request.params.reviewId ?? '', memberOf(request));
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not-found') return notFound();
      throw error;
    }
    return run(request, review);
  };
}

/** Runs a staff page on a review the person may work on, with its enquiry. */
function onEnquiry(
  run: (
    request: Request,
    review: LocalReview,
    enquiry: LocalReviewEnquiry,
  ) => Promise<PageResult> | PageResult,
) {
  return onReview(async (request, review) => run(request, review, await enquiryOf(request.service, review)));
}

/** A domain refusal as its page; anything else is the 500 page. */
function refused(error: unknown, back: { href: string; text: string }): PageResult {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'not-found') return notFound();
  return problemPage(error, back, error.kind === 'refused' ? 403 : 409);
}

const statusTags: Record<InformationRequest['status'], { text: string; classes: string }> = {
  open: { text: 'Waiting', classes: 'govuk-tag--yellow' },
  answered: { text: 'Provided', classes: 'govuk-tag--green' },
  refused: { text: 'Refused', classes: 'govuk-tag--red' },
};

const rungNames: Record<string, string> = {
  reminder: 'reminded',
  'lead-copied': 'reminded with its strategic lead copied',
  'formal-request': 'sent a formal request',
};

// ── The reviewer's home ─────────────────────────────────────────────────────────────────────

const yourReviewsPage: WorkPage = {
  ...yourReviewsMenuPage,
  async handle(request) {
    const reviews = await listReviewersReviews(request.service, memberOf(request));
    const enquiries = await Promise.all(reviews.map((review) => enquiryOf(request.service, review)));
    return render('local-review-work/your-reviews.njk', {
      pageTitle: 'Your local reviews',
      reviews: reviews.map((review, index) => {
        const enquiry = enquiries[index] as LocalReviewEnquiry;
        return {
          reviewId: review.reviewId,
          reference: review.reference,
          dueOn: formatDate(review.completionDueOn),
          requests: enquiry.informationRequests.length,
          entries: enquiry.chronology.length,
          declared: enquiry.declarations.some(
            (each) => each.declarant.kind === 'staff' && each.declarant.role === 'reviewer',
          ),
        };
      }),
    });
  },
};

// ── The enquiry page ────────────────────────────────────────────────────────────────────────

const enquiryPage: WorkPage = {
  method: 'GET',
  path: '/local-reviews/{reviewId}/enquiry',
  access: teamOrReviewer,
  handle: onEnquiry((request, review, enquiry) => {
    const timeZone = timeZoneOf(request);
    const isTeam = memberOf(request).roles.includes('partnership-team');
    const mine = enquiry.declarations.find(
      (each) => each.declarant.kind === 'staff' && each.declarant.id === memberOf(request).id,
    );
    return render('local-review-work/enquiry.njk', {
      pageTitle: `Enquiry: local review ${review.reference}`,
      review,
      isTeam,
      isReviewer: isReviewerOf(review, memberOf(request)),
      // The review itself, as the reviewer works to it: its target, milestones and terms of reference.
      completionDueOn: formatDate(review.completionDueOn),
      milestones: reviewMilestoneRows(review, request.service.clock.now(), request.service.profile),
      terms: termsOfReferenceView(review),
      declaredAt: mine ? formatInstant(mine.recordedAt, timeZone) : undefined,
      banner: bannerText(request.query.get('done')),
      declarations: declarationRows(review, enquiry).map((row) => ({
        who: row.who,
        role: row.role,
        declared: row.declaration ? `Yes, ${formatInstant(row.declaration.recordedAt, timeZone)}` : undefined,
        conflicts: row.declaration
          ? row.declaration.hasConflicts
            ? `Declared: ${row.declaration.conflictDetails ?? ''}`
            : 'None declared'
          : undefined,
      })),
      requests: enquiry.informationRequests.map((each) => ({
        requestId: each.requestId,
        number: each.number,
        agencyName: each.agencyName,
        contactName: each.contactName,
        asks: each.asks,
        dueOn: formatDate(each.dueOn),
        sentAt: formatInstant(each.sentAt, timeZone),
        tag: statusTags[each.status],
        chased: each.chases
          .filter((chase) => !chase.emailPending)
          .map((chase) => `${rungNames[chase.kind] ?? chase.kind} ${formatInstant(chase.at, timeZone)}`),
        refusal: each.refusal
          ? { reason: each.refusal.reason, at: formatInstant(each.refusal.at, timeZone) }
          : undefined,
        entries: enquiry.chronology.filter((entry) => entry.requestId === each.requestId).length,
        linkExpires: formatInstant(each.linkExpiresAt, timeZone),
        open: each.status === 'open',
      })),
      entries: enquiry.chronology.length,
    });
  }),
};

function bannerText(done: string | null): string | undefined {
  return (
    {
      declaration: 'Your declaration has been recorded.',
      'new-link': 'A new link has been emailed to the agency. The link before it no longer works.',
    } as Record<string, string>
  )[done ?? ''];
}

// ── Declarations ────────────────────────────────────────────────────────────────────────────

/** A declaration form's answers as the use case takes them. */
function declarationAnswersOf(form: URLSearchParams): Record<string, unknown> {
  const conflicts = form.get('hasConflicts');
  const details = (form.get('conflictDetails') ?? '').trim();
  return {
    ...(conflicts === 'yes' ? { hasConflicts: true } : conflicts === 'no' ? { hasConflicts: false } : {}),
    ...(conflicts === 'yes' && details ? { conflictDetails: details } : {}),
    ...(form.get('confidentialityAgreed') === 'yes' ? { confidentialityAgreed: true } : {}),
    ...(form.has('name') ? { name: (form.get('name') ?? '').trim() } : {}),
  };
}

const declarationMessages: Record<string, string> = {
  hasConflicts: 'Say whether you have any conflict of interest',
  conflictDetails: 'Describe the conflict of interest',
  confidentialityAgreed: 'Confirm that you will keep what you learn in this review confidential',
  name: 'Enter your name',
};

/** The use case's fields in the page's words. */
function inPageWords(fields: readonly InvalidField[], messages: Record<string, string>): InvalidField[] {
  return fields.map(({ field, message }) => {
    const name = field.split('.')[0] ?? field;
    const generic = /^Invalid|^Expected|Enter a value|^Required|^Not a valid/.test(message);
    return { field: name, message: generic ? (messages[name] ?? message) : message };
  });
}

function declarationPage(
  review: LocalReview,
  form: URLSearchParams,
  errors: InvalidField[] = [],
): PageResult {
  return render(
    'local-review-work/declaration.njk',
    {
      pageTitle: 'Your declaration of conflicts and confidentiality',
      review,
      action: `${enquiryPath(review.reviewId)}/declaration`,
      back: enquiryPath(review.reviewId),
      form: Object.fromEntries(form),
      ...(errors.length ? { errors: formErrors(errors, fieldId) } : {}),
    },
    errors.length ? 400 : 200,
  );
}

const declarationPages: WorkPage[] = [
  {
    method: 'GET',
    path: '/local-reviews/{reviewId}/enquiry/declaration',
    access: teamOrReviewer,
    handle: onReview((_request, review) => declarationPage(review, new URLSearchParams())),
  },
  {
    method: 'POST',
    path: '/local-reviews/{reviewId}/enquiry/declaration',
    access: teamOrReviewer,
    handle: onReview(async (request, review) => {
      try {
        await recordStaffDeclaration(request.service, {
          reviewId: review.reviewId,
          member: memberOf(request),
          answers: declarationAnswersOf(request.form),
        });
      } catch (error) {
        if (error instanceof InvalidInputError) {
          return declarationPage(review, request.form, inPageWords(error.fields, declarationMessages));
        }
        return refused(error, { href: enquiryPath(review.reviewId), text: 'Go to the enquiry' });
      }
      return redirect(`${enquiryPath(review.reviewId)}?done=declaration`);
    }),
  },
];

// ── Requests for information ───────────────────────────────────────────────────────────────

const requestMessages: Record<string, string> = {
  agencyId: 'Choose the agency',
  contactName: 'Enter the contact’s name',
  contactEmail: 'Enter the contact’s email address, like name@example.org',
  asks: 'Enter what the review asks the agency for',
  dueOn: 'Enter the date the information is due',
};

function requestPage(
  review: LocalReview,
  form: URLSearchParams,
  errors: InvalidField[] = [],
  wrongParts: string[] = [],
): PageResult {
  const summary = errors.length ? formErrors(errors, fieldId) : undefined;
  if (summary) {
    for (const item of summary.errorList) {
      if (item.href === '#dueOn') item.href = `#dueOn-${wrongParts[0] ?? 'day'}`;
      if (item.href === '#agencyId') item.href = `#agencyId`;
    }
  }
  return render(
    'local-review-work/request.njk',
    {
      pageTitle: 'Ask an agency for information',
      review,
      action: `${enquiryPath(review.reviewId)}/request`,
      back: enquiryPath(review.reviewId),
      agencies: review.agencies,
      form: Object.fromEntries(form),
      wrongParts,
      ...(summary ? { errors: summary } : {}),
    },
    summary ? 400 : 200,
  );
}

const requestPages: WorkPage[] = [
  {
    method: 'GET',
    path: '/local-reviews/{reviewId}/enquiry/request',
    access: teamOnly,
    handle: onReview((_request, review) => requestPage(review, new URLSearchParams())),
  },
  {
    method: 'POST',
    path: '/local-reviews/{reviewId}/enquiry/request',
    access: teamOnly,
    handle: onReview(async (request, review) => {
      const form = request.form;
      const due = dateFromParts(
        form,
        'dueOn',
        { label: 'The date the information is due', enter: 'the date the information is due' },
        { today: todayOf(request), required: true, when: 'future' },
      );
      const answers = {
        agencyId: form.get('agencyId') ?? '',
        contactName: (form.get('contactName') ?? '').trim(),
        contactEmail: (form.get('contactEmail') ?? '').trim(),
        asks: (form.get('asks') ?? '').trim(),
        ...(due.value ? { dueOn: due.value } : {}),
      };
      let sent: InformationRequest;
      try {
        ({ request: sent } = await sendInformationRequest(request.service, {
          reviewId: review.reviewId,
          member: memberOf(request),
          answers,
        }));
      } catch (error) {
        if (error instanceof InvalidInputError || due.error) {
          const fields = [
            ...(due.error ? [{ field: 'dueOn', message: due.error.message }] : []),
            ...inPageWords(error instanceof InvalidInputError ? error.fields : [], requestMessages).filter(
              (field) => !(due.error && field.field === 'dueOn'),
            ),
          ];
          const order = Object.keys(requestMessages);
          fields.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
          return requestPage(review, form, fields, due.error?.parts ?? []);
        }
        return refused(error, { href: enquiryPath(review.reviewId), text: 'Go to the enquiry' });
      }
      return redirect(`${enquiryPath(review.reviewId)}/request/confirmation?request=${sent.requestId}`);
    }),
  },
  {
    method: 'GET',
    path: '/local-reviews/{reviewId}/enquiry/request/confirmation',
    access: teamOnly,
    handle: onEnquiry((request, review, enquiry) => {
      const sent = enquiry.informationRequests.find(
        (each) => each.requestId === request.query.get('request'),
      );
      if (!sent) return redirect(enquiryPath(review.reviewId));
      return render('local-review-work/request-sent.njk', {
        pageTitle: 'Request for information sent',
        review,
        sent: { ...sent, dueOn: formatDate(sent.dueOn) },
      });
    }),
  },
  {
    method: 'POST',
    path: '/local-reviews/{reviewId}/enquiry/requests/{requestId}/new-link',
    access: teamOnly,
    handle: onReview(async (request, review) => {
      try {
        await sendNewInformationLink(request.service, {
          reviewId: review.reviewId,
          requestId: request.params.requestId ?? '',
          member: memberOf(request),
        });
      } catch (error) {
        return refused(error, { href: enquiryPath(review.reviewId), text: 'Go to the enquiry' });
      }
      return redirect(`${enquiryPath(review.reviewId)}?done=new-link`);
    }),
  },
];

// ── The merged chronology ──────────────────────────────────────────────────────────────────

/** The filter from the query: an agency of the review, and dates from and to (each three boxes). */
function filterOf(
  request: Request,
  review: LocalReview,
): { filter: ChronologyFilter; errors: InvalidField[]; wrong: Record<string, string[]> } {
  const query = request.query;
  const errors: InvalidField[] = [];
  const wrong: Record<string, string[]> = {};
  const filter: ChronologyFilter = {};
  const agencyId = query.get('agency') ?? '';
  if (agencyId && review.agencies.some((agency) => agency.agencyId === agencyId)) filter.agencyId = agencyId;
  for (const [name, label] of [
    ['from', 'The date from'],
    ['to', 'The date to'],
  ] as const) {
    const date = dateFromParts(
      query,
      name,
      { label, enter: label.toLowerCase() },
      { today: '9999-12-31', required: false },
    );
    if (date.error) {
      errors.push({ field: name, message: date.error.message });
      wrong[name] = date.error.parts;
    } else if (date.value) filter[name] = date.value;
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.push({ field: 'to', message: 'The date to must be the same as or after the date from' });
    wrong.to = ['day', 'month', 'year'];
  }
  return { filter: errors.length ? {} : filter, errors, wrong };
}

const chronologyPages: WorkPage[] = [
  {
    method: 'GET',
    path: '/local-reviews/{reviewId}/enquiry/chronology',
    access: teamOrReviewer,
    handle: onEnquiry((request, review, enquiry) => {
      const { filter, errors, wrong } = filterOf(request, review);
      const entries = mergedChronology(enquiry, filter);
      const summary = errors.length ? formErrors(errors, fieldId) : undefined;
      if (summary)
        for (const item of summary.errorList)
          item.href = `${item.href}-${wrong[item.href.slice(1)]?.[0] ?? 'day'}`;
      const query = errors.length ? '' : request.query.toString();
      return render(
        'local-review-work/chronology.njk',
        {
          pageTitle: `Multi-agency chronology: local review ${review.reference}`,
          review,
          query: Object.fromEntries(request.query),
          wrong,
          agencies: review.agencies,
          shown: filterInWords(review, filter),
          total: enquiry.chronology.length,
          entries: entries.map((entry) => ({
            ...entry,
            occurredOn: formatDate(entry.occurredOn, { weekday: false }),
          })),
          pdfHref: `${enquiryPath(review.reviewId)}/chronology.pdf${query ? `?${query}` : ''}`,
          csvHref: `${enquiryPath(review.reviewId)}/chronology.csv${query ? `?${query}` : ''}`,
          ...(summary ? { errors: summary } : {}),
        },
        summary ? 400 : 200,
      );
    }),
  },
  {
    method: 'GET',
    path: '/local-reviews/{reviewId}/enquiry/chronology.csv',
    access: teamOrReviewer,
    handle: onEnquiry((request, review, enquiry) => {
      const { filter, errors } = filterOf(request, review);
      if (errors.length)
        return redirect(`${enquiryPath(review.reviewId)}/chronology?${request.query.toString()}`);
      return rawResponse({
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="chronology-${review.reference}.csv"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: chronologyCsv(mergedChronology(enquiry, filter)),
      });
    }),
  },
  {
    method: 'GET',
    path: '/local-reviews/{reviewId}/enquiry/chronology.pdf',
    access: teamOrReviewer,
    handle: onEnquiry(async (request, review, enquiry) => {
      const { filter, errors } = filterOf(request, review);
      if (errors.length)
        return redirect(`${enquiryPath(review.reviewId)}/chronology?${request.query.toString()}`);
      const bytes = await chronologyPdf({
        review,
        entries: mergedChronology(enquiry, filter),
        filter,
        partnershipName: request.service.profile.partnershipName,
        now: request.service.clock.now(),
        timeZone: timeZoneOf(request),
      });
      return rawResponse({
        statusCode: 200,
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `attachment; filename="chronology-${review.reference}.pdf"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: Buffer.from(bytes).toString('base64'),
        isBase64Encoded: true,
      });
    }),
  },
];

// ── The agency's pages under its link ──────────────────────────────────────────────────────

const agencyPath = (request: Request) =>
  `/local-review-agency/${request.params.reviewId ?? ''}/${request.params.token ?? ''}`;

const entryMessages: Record<string, string> = {
  occurredOn: 'Enter the date it happened',
  whatHappened: 'Enter what happened',
  source: 'Enter where your record of it is',
};

/** The agency's page: the request, its declaration (first), its entries and the form for another. */
async function agencyHome(
  request: Request,
  form: URLSearchParams = new URLSearchParams(),
  errors: InvalidField[] = [],
  wrongParts: string[] = [],
  kind: 'declaration' | 'entry' | undefined = undefined,
): Promise<PageResult> {
  let opened: Awaited<ReturnType<typeof openInformationLink>>;
  try {
    opened = await openInformationLink(request.service, {
      reviewId: request.params.reviewId ?? '',
      token: request.params.token ?? '',
    });
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'refused') {
      return render(
        'local-review/problem.njk',
        {
          pageTitle: error.title,
          answer: { title: error.title, detail: error.message },
          back: { href: '/', text: 'Go to the start page' },
        },
        410,
      );
    }
    return refused(error, { href: '/', text: 'Go to the start page' });
  }
  const { review, enquiry, request: asked } = opened;
  const timeZone = timeZoneOf(request);
  const declared = agencyDeclarationOf(enquiry, asked.agencyId);
  const summary = errors.length ? formErrors(errors, fieldId) : undefined;
  if (summary)
    for (const item of summary.errorList)
      if (item.href === '#occurredOn') item.href = `#occurredOn-${wrongParts[0] ?? 'day'}`;
  return render(
    'local-review-work/agency.njk',
    {
      pageTitle: `Information for local review ${review.reference}`,
      reference: review.reference,
      partnershipName: request.service.profile.partnershipName,
      asked: {
        ...asked,
        dueOn: formatDate(asked.dueOn, { weekday: true }),
        linkExpires: formatInstant(asked.linkExpiresAt, timeZone),
      },
      declared: declared
        ? { name: declared.declarant.name, at: formatInstant(declared.recordedAt, timeZone) }
        : undefined,
      entries: mergedChronology(enquiry, { agencyId: asked.agencyId }).map((entry) => ({
        ...entry,
        occurredOn: formatDate(entry.occurredOn, { weekday: false }),
      })),
      base: agencyPath(request),
      banner: bannerForAgency(request.query.get('done')),
      kind,
      form: Object.fromEntries(form),
      wrongParts,
      ...(summary ? { errors: summary } : {}),
    },
    summary ? 400 : 200,
  );
}

function bannerForAgency(done: string | null): string | undefined {
  return (
    {
      declaration: 'Your declaration has been recorded. You can now add to the chronology.',
      entry: 'Your entry has been added to the chronology.',
      finished: 'Thank you. The partnership team has been told you have sent everything.',
    } as Record<string, string>
  )[done ?? ''];
}

/** Runs an agency's form; a refusal shows its page. */
function agencyAction(
  run: (request: Request, ids: { reviewId: string; token: string }) => Promise<PageResult>,
): (request: Request) => Promise<PageResult> {
  return async (request) => {
    const ids = { reviewId: request.params.reviewId ?? '', token: request.params.token ?? '' };
    try {
      return await run(request, ids);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'refused') {
        return problemPage(error, { href: agencyPath(request), text: 'Go back to the request' }, 409);
      }
      return refused(error, { href: agencyPath(request), text: 'Go back to the request' });
    }
  };
}

const agencyPages: WorkPage[] = [
  {
    method: 'GET',
    path: '/local-review-agency/{reviewId}/{token}',
    access: publicAccess,
    handle: (request) => agencyHome(request),
  },
  {
    method: 'POST',
    path: '/local-review-agency/{reviewId}/{token}/declaration',
    access: publicAccess,
    capabilityInPath: true,
    handle: agencyAction(async (request, ids) => {
      try {
        await recordAgencyDeclaration(request.service, {
          ...ids,
          answers: declarationAnswersOf(request.form),
        });
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        return agencyHome(
          request,
          request.form,
          inPageWords(error.fields, declarationMessages),
          [],
          'declaration',
        );
      }
      return redirect(`${agencyPath(request)}?done=declaration`);
    }),
  },
  {
    method: 'POST',
    path: '/local-review-agency/{reviewId}/{token}/entries',
    access: publicAccess,
    capabilityInPath: true,
    handle: agencyAction(async (request, ids) => {
      const form = request.form;
      const date = dateFromParts(
        form,
        'occurredOn',
        { label: 'The date it happened', enter: 'the date it happened' },
        { today: todayOf(request), required: true, when: 'past' },
      );
      const answers = {
        ...(date.value ? { occurredOn: date.value } : {}),
        whatHappened: (form.get('whatHappened') ?? '').trim(),
        source: (form.get('source') ?? '').trim(),
      };
      try {
        if (date.error) throw new InvalidInputError('chronology entry', []);
        await addChronologyEntry(request.service, { ...ids, answers });
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        const fields = [
          ...(date.error ? [{ field: 'occurredOn', message: date.error.message }] : []),
          ...inPageWords(error.fields, entryMessages),
        ];
        if (date.error) {
          // The use case did not run: the other fields are checked here, in the same words.
          if (!answers.whatHappened)
            fields.push({ field: 'whatHappened', message: entryMessages.whatHappened ?? '' });
          if (!answers.source) fields.push({ field: 'source', message: entryMessages.source ?? '' });
        }
        return agencyHome(request, form, fields, date.error?.parts ?? [], 'entry');
      }
      return redirect(`${agencyPath(request)}?done=entry`);
    }),
  },
  {
    method: 'POST',
    path: '/local-review-agency/{reviewId}/{token}/finished',
    access: publicAccess,
    capabilityInPath: true,
    handle: agencyAction(async (request, ids) => {
      await completeInformationRequest(request.service, ids);
      return redirect(`${agencyPath(request)}?done=finished`);
    }),
  },
  {
    method: 'GET',
    path: '/local-review-agency/{reviewId}/{token}/refuse',
    access: publicAccess,
    handle: agencyAction(async (request, ids) => {
      const { review } = await openInformationLink(request.service, ids);
      return render('local-review-work/refuse.njk', {
        pageTitle: 'Tell the review you cannot provide this information',
        reference: review.reference,
        base: agencyPath(request),
        form: {},
      });
    }),
  },
  {
    method: 'POST',
    path: '/local-review-agency/{reviewId}/{token}/refuse',
    access: publicAccess,
    capabilityInPath: true,
    handle: agencyAction(async (request, ids) => {
      const reason = (request.form.get('reason') ?? '').trim();
      try {
        await refuseInformationRequest(request.service, { ...ids, answers: { reason } });
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        const { review } = await openInformationLink(request.service, ids);
        return render(
          'local-review-work/refuse.njk',
          {
            pageTitle: 'Tell the review you cannot provide this information',
            reference: review.reference,
            base: agencyPath(request),
            form: { reason },
            errors: formErrors([
              { field: 'reason', message: 'Enter why your agency cannot provide the information' },
            ]),
          },
          400,
        );
      }
      return render('local-review-work/refused.njk', { pageTitle: 'Your answer has been sent' });
    }),
  },
];

export const localReviewWorkPages: readonly WorkPage[] = [
  yourReviewsPage,
  enquiryPage,
  ...declarationPages,
  ...requestPages,
  ...chronologyPages,
  ...agencyPages,
];
