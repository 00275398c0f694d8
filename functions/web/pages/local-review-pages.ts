import { localReviewRulesOf, rulesOf } from '../../../shared/config/partnership-profile.ts';
import { type InvalidField, InvalidInputError, NotFoundError } from '../../../shared/errors.ts';
import type { Problem } from '../../../shared/http/problem.ts';
import {
  type LocalReview,
  localReviewLateAnswers,
  parallelProcessAnswers,
  parallelProcessKind,
  parallelProcessNames,
  publicationAnswers,
  publicationPlanAnswers,
  reviewerAnswers,
  reviewerCriteria,
  termsOfReferenceAnswers,
} from '../../../shared/schemas/local-review.ts';
import { caseId as caseIdSchema, isoDate } from '../../../shared/schemas/primitives.ts';
import * as z from '../../../shared/schemas/zod.ts';
import type { Service } from '../../../shared/service.ts';
import {
  appointReviewer,
  commissionLocalReview,
  LocalReviewNotFoundError,
  loadLocalReview,
  localReviewWayIn,
  NOT_COMMISSIONED_MESSAGE,
  planLocalReviewPublication,
  recordLocalReviewLateReason,
  recordLocalReviewPublication,
  recordParallelProcess,
  recordParallelProcessEnded,
  recordTermsOfReference,
} from '../../../shared/use-cases/local-review.ts';
import { showLocalReview } from '../../../shared/use-cases/show-local-review.ts';
import { completionDueOn, prePublicationNoticeOn } from '../../../shared/workflow/local-review-plan.ts';
import { formatDate } from '../../../shared/workflow/london-time.ts';
import {
  answersOf,
  checkRows,
  errorsOf,
  type Field,
  type FormRules,
  postedValues,
  questionFields,
  refusedFields,
  problemPage as sharedProblemPage,
  refusal as sharedRefusal,
} from '../field-flow.ts';
import {
  memberOf,
  notFound,
  type Page,
  type PageResult,
  redirect,
  render,
  staffOnly,
  todayOf,
  type WebRequest,
} from '../page.ts';
import { milestoneRows, termsOfReferenceView } from './local-review-view.ts';
import { londonDateTime } from './london.ts';
import { dateToParts } from './notify/answers.ts';

/**
 * The partnership team's pages for Local Child Safeguarding Practice Reviews (issue 13), served
 * by their own function (functions/local-review-web) through the LocalReviewPages routes of
 * shared/routes.ts:
 *
 *   GET  /cases/{caseId}/local-review                   what the review will carry → start it
 *   POST /cases/{caseId}/local-review/confirm           starts it (the Panel emailed, its workflow started)
 *   GET  /cases/{caseId}/local-review/confirmation      "Local review started"
 *   GET  /local-reviews/{reviewId}                      the review: milestones, timeline, what was recorded
 *   …and under it, each a question page, check your answers and a confirmation: `terms`,
 *   `reviewer`, `parallel-process`, `parallel-processes/{number}/ended`, `publication-plan`,
 *   `late-reason` and `publication`. The answers travel in the forms until confirmed.
 */

/** The ports these pages use. */
export type LocalReviewWebService = Pick<
  Service,
  | 'clock'
  | 'profile'
  | 'publicBaseUrl'
  | 'cases'
  | 'documents'
  | 'sessions'
  | 'mailer'
  | 'localReviews'
  | 'localReviewWorkflow'
>;
type Request = WebRequest<LocalReviewWebService>;
type LocalReviewPage = Page<LocalReviewWebService>;

const teamOnly = staffOnly('partnership-team');

// ── The form of one flow ─────────────────────────────────────────────────────────────────────

/** One "record one thing on a local review" flow: its questions, how they become the use case's answers, and what it records. */
interface Flow {
  /** Under `/local-reviews/{reviewId}/`. */
  slug: string;
  title: (review: LocalReview) => string;
  fields: (review: LocalReview, request: Request) => Field[];
  schema: z.ZodMiniType;
  /** The form as it starts on GET: what was recorded before, if anything. */
  prefill?: (review: LocalReview, request: Request) => Record<string, string | string[]>;
  /** Why this cannot be recorded now, if it cannot (checked before the questions). */
  refusal?: (review: LocalReview, request: Request) => string | undefined;
  record: (request: Request, review: LocalReview, answers: unknown) => Promise<unknown>;
  button: string;
  confirmation: { title: string; text: (review: LocalReview, request: Request) => string };
}

/** How these pages' forms ask (the shared form machinery of ../field-flow.ts). */
const rules: FormRules = { issueMatches: ['inside-field', 'pence'], listSeparator: ', ' };

function questionPage(
  request: Request,
  flow: Flow,
  review: LocalReview,
  form: URLSearchParams,
  errors: InvalidField[] = [],
  dateParts: Record<string, string[]> = {},
): PageResult {
  const { fields, summary } = questionFields(flow.fields(review, request), form, errors, dateParts);
  return render(
    'local-review/question.njk',
    {
      pageTitle: flow.title(review),
      review,
      fields,
      action: `/local-reviews/${review.reviewId}/${flow.slug.replace('{number}', request.params.number ?? '')}`,
      ...(summary ? { errors: summary } : {}),
    },
    summary ? 400 : 200,
  );
}

/** A refusal in words, with a link back to the review (or the case). */
const problemPage = (answer: Problem, back: { href: string; text: string }): PageResult =>
  sharedProblemPage('local-review/problem.njk', answer, back);

const refusal = (error: unknown, back: { href: string; text: string }): PageResult =>
  sharedRefusal('local-review/problem.njk', error, back);

const backToReview = (review: LocalReview) => ({
  href: `/local-reviews/${review.reviewId}`,
  text: `Go to local review ${review.reference}`,
});

/** The four pages of a flow, and its confirmation. */
function flowPages(flow: Flow): LocalReviewPage[] {
  const path = `/local-reviews/{reviewId}/${flow.slug}`;
  const step =
    (run: (request: Request, review: LocalReview) => PageResult | Promise<PageResult>) =>
    async (request: Request): Promise<PageResult> => {
      let review: LocalReview;
      try {
        review = await loadLocalReview(request.service, request.params.reviewId ?? '');
      } catch (error) {
        if (error instanceof LocalReviewNotFoundError) return notFound();
        throw error;
      }
      const refused = flow.refusal?.(review, request);
      if (refused)
        return problemPage(
          { status: 409, title: `You cannot do this now`, detail: refused },
          backToReview(review),
        );
      return run(request, review);
    };
  const prefilled = (request: Request, review: LocalReview) => {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(flow.prefill?.(review, request) ?? {})) {
      for (const item of [value].flat()) form.append(name, item);
    }
    return form;
  };
  return [
    {
      method: 'GET',
      path,
      access: teamOnly,
      handle: step((request, review) => questionPage(request, flow, review, prefilled(request, review))),
    },
    {
      method: 'POST',
      path,
      access: teamOnly,
      handle: step((request, review) => questionPage(request, flow, review, request.form)),
    },
    {
      method: 'POST',
      path: `${path}/check`,
      access: teamOnly,
      handle: step((request, review) => {
        const fields = flow.fields(review, request);
        const { answers, errors, dateParts } = answersOf(fields, request.form, todayOf(request), rules);
        const all = errorsOf(fields, flow.schema, answers, errors, rules);
        if (all.length) return questionPage(request, flow, review, request.form, all, dateParts);
        return render('local-review/check.njk', {
          pageTitle: `Check your answers: ${flow.title(review).toLowerCase()}`,
          review,
          rows: checkRows(fields, request.form, answers, rules),
          posted: postedValues(request.form),
          action: `/local-reviews/${review.reviewId}/${flow.slug.replace('{number}', request.params.number ?? '')}`,
          button: flow.button,
        });
      }),
    },
    {
      method: 'POST',
      path: `${path}/confirm`,
      access: teamOnly,
      handle: step(async (request, review) => {
        const fields = flow.fields(review, request);
        const { answers, errors, dateParts } = answersOf(fields, request.form, todayOf(request), rules);
        const all = errorsOf(fields, flow.schema, answers, errors, rules);
        if (all.length) return questionPage(request, flow, review, request.form, all, dateParts);
        try {
          await flow.record(request, review, answers);
        } catch (error) {
          if (error instanceof InvalidInputError) {
            return questionPage(request, flow, review, request.form, refusedFields(fields, error.fields));
          }
          return refusal(error, backToReview(review));
        }
        return redirect(
          `/local-reviews/${review.reviewId}/${flow.slug.replace('{number}', request.params.number ?? '')}/confirmation`,
        );
      }),
    },
    {
      method: 'GET',
      path: `${path}/confirmation`,
      access: teamOnly,
      async handle(request) {
        let review: LocalReview;
        try {
          review = await loadLocalReview(request.service, request.params.reviewId ?? '');
        } catch (error) {
          if (error instanceof LocalReviewNotFoundError) return notFound();
          throw error;
        }
        return render('local-review/confirmation.njk', {
          pageTitle: flow.confirmation.title,
          review,
          text: flow.confirmation.text(review, request),
        });
      },
    },
  ];
}

// ── The flows ───────────────────────────────────────────────────────────────────────────────

const longText = (name: string, label: string, enter: string, hint?: string): Field => ({
  name,
  label,
  enter,
  kind: 'textarea',
  ...(hint ? { hint } : {}),
});

const termsFlow: Flow = {
  slug: 'terms',
  title: (review) =>
    review.termsOfReference ? 'Change the terms of reference' : 'Record the terms of reference',
  schema: termsOfReferenceAnswers,
  fields: (review) => [
    {
      name: 'method',
      label: 'Method',
      enter: 'the method',
      hint: 'For example, a systems approach',
      kind: 'text',
    },
    {
      name: 'periodFrom',
      label: 'Start of the period in scope',
      enter: 'the start of the period in scope',
      kind: 'date',
      when: 'past',
    },
    {
      name: 'periodTo',
      label: 'End of the period in scope',
      enter: 'the end of the period in scope',
      kind: 'date',
      when: 'past',
    },
    {
      name: 'agencyIds',
      label: 'Agencies taking part',
      enter: 'the agencies taking part',
      kind: 'checkboxes',
      options: review.agencies.map((agency) => ({ value: agency.agencyId, text: agency.agencyName })),
    },
    longText(
      'keyLinesOfEnquiry',
      'Key lines of enquiry',
      'the key lines of enquiry',
      'Do not name the child',
    ),
    longText(
      'familyInvolvementPlan',
      'How the family will be involved',
      'how the family will be involved',
      'Who will be invited, how, and by whom',
    ),
  ],
  prefill: (review) => {
    const terms = review.termsOfReference;
    if (!terms) return { agencyIds: review.agencies.map((agency) => agency.agencyId) };
    return {
      method: terms.method,
      ...dateToParts('periodFrom', terms.periodFrom),
      ...dateToParts('periodTo', terms.periodTo),
      agencyIds: terms.agencyIds,
      keyLinesOfEnquiry: terms.keyLinesOfEnquiry,
      familyInvolvementPlan: terms.familyInvolvementPlan,
    };
  },
  refusal: (review) =>
    review.status === 'published' ? `Local review ${review.reference} is published.` : undefined,
  record: (request, review, answers) =>
    recordTermsOfReference(request.service, {
      reviewId: review.reviewId,
      answers,
      member: memberOf(request),
    }),
  button: 'Record the terms of reference',
  confirmation: {
    title: 'Terms of reference recorded',
    text: () => 'You can change the terms of reference from the review’s page until the review is published.',
  },
};

const reviewerFlow: Flow = {
  slug: 'reviewer',
  title: (review) => (review.reviewer ? 'Change the reviewer' : 'Appoint the reviewer'),
  schema: reviewerAnswers,
  fields: () => [
    { name: 'name', label: 'Reviewer’s name', enter: 'the reviewer’s name', kind: 'text' },
    { name: 'organisation', label: 'Organisation', enter: 'the reviewer’s organisation', kind: 'text' },
    { name: 'email', label: 'Email address', enter: 'the reviewer’s email address', kind: 'text' },
    ...reviewerCriteria.map((criterion) =>
      longText(
        `evidence.${criterion.key}`,
        criterion.label,
        `the evidence for: ${criterion.label.charAt(0).toLowerCase()}${criterion.label.slice(1)}`,
        criterion.key === 'conflicts' ? 'Write "None" if there is none' : undefined,
      ),
    ),
    {
      name: 'contractStartsOn',
      label: 'Contract starts',
      enter: 'the date the contract starts',
      kind: 'date',
    },
    { name: 'contractEndsOn', label: 'Contract ends', enter: 'the date the contract ends', kind: 'date' },
    {
      name: 'feePounds',
      label: 'Fee',
      enter: 'the fee',
      hint: 'In pounds, for example 12500',
      kind: 'money',
    },
  ],
  prefill: (review) => {
    const reviewer = review.reviewer;
    if (!reviewer) return {};
    return {
      name: reviewer.name,
      organisation: reviewer.organisation,
      email: reviewer.email,
      ...Object.fromEntries(
        Object.entries(reviewer.evidence).map(([key, value]) => [`evidence.${key}`, value]),
      ),
      ...dateToParts('contractStartsOn', reviewer.contractStartsOn),
      ...dateToParts('contractEndsOn', reviewer.contractEndsOn),
      feePounds: (reviewer.feePence / 100).toFixed(2),
    };
  },
  refusal: (review) =>
    review.status === 'published' ? `Local review ${review.reference} is published.` : undefined,
  record: (request, review, answers) =>
    appointReviewer(request.service, { reviewId: review.reviewId, answers, member: memberOf(request) }),
  button: 'Appoint the reviewer and tell the Panel',
  confirmation: {
    title: 'Reviewer appointed',
    text: () =>
      'The national Child Safeguarding Practice Review Panel has been emailed who the reviewer is. The partnership team was copied.',
  },
};

const processFlow: Flow = {
  slug: 'parallel-process',
  title: () => 'Record a parallel process',
  schema: parallelProcessAnswers,
  fields: () => [
    {
      name: 'kind',
      label: 'Kind of process',
      enter: 'what kind of process it is',
      kind: 'radios',
      options: parallelProcessKind.options.map((kind) => ({ value: kind, text: parallelProcessNames[kind] })),
    },
    {
      name: 'description',
      label: 'Which process',
      enter: 'which process it is',
      hint: 'Optional: a court or reference. Do not name the child.',
      kind: 'text',
      optional: true,
    },
    { name: 'startedOn', label: 'Date it started', enter: 'the date it started', kind: 'date', when: 'past' },
    {
      name: 'expectedEndOn',
      label: 'Date it is expected to end',
      enter: 'the date it is expected to end',
      hint: 'Optional',
      kind: 'date',
      optional: true,
    },
    {
      name: 'holdsPublication',
      label: 'Holds publication back while open',
      enter: 'whether this process holds publication back',
      hint: 'A criminal trial usually does: the review is not published until it ends',
      kind: 'yes-no',
    },
  ],
  refusal: (review) =>
    review.status === 'published' ? `Local review ${review.reference} is published.` : undefined,
  record: (request, review, answers) =>
    recordParallelProcess(request.service, { reviewId: review.reviewId, answers, member: memberOf(request) }),
  button: 'Record the parallel process',
  confirmation: {
    title: 'Parallel process recorded',
    text: () =>
      'If it holds publication back, the review will not be published, and no notice will go before publication, until you record that it has ended.',
  },
};

const processEndedFlow: Flow = {
  slug: 'parallel-processes/{number}/ended',
  title: () => 'Record that a parallel process has ended',
  schema: z.object({ endedOn: isoDate }),
  fields: () => [
    { name: 'endedOn', label: 'Date it ended', enter: 'the date it ended', kind: 'date', when: 'past' },
  ],
  refusal: (review, request) =>
    review.parallelProcesses.some((process) => String(process.number) === request.params.number)
      ? undefined
      : 'There is no such parallel process on this review.',
  record: (request, review, answers) =>
    recordParallelProcessEnded(request.service, {
      reviewId: review.reviewId,
      number: Number(request.params.number),
      endedOn: (answers as { endedOn?: string }).endedOn,
      member: memberOf(request),
    }),
  button: 'Record that it has ended',
  confirmation: {
    title: 'Parallel process ended',
    text: () => 'If no other open process holds publication back, publication can go ahead as planned.',
  },
};

const publicationPlanFlow: Flow = {
  slug: 'publication-plan',
  title: (review) =>
    review.publicationPlan
      ? 'Change the planned publication date'
      : 'Record the final report ready and plan its publication',
  schema: publicationPlanAnswers,
  fields: (_review, request) => [
    {
      name: 'plannedOn',
      label: 'Planned publication date',
      enter: 'the planned publication date',
      hint: `The notice goes to the Panel and the Secretary of State ${rulesFor(request).prePublicationNoticeWorkingDays} working days before it`,
      kind: 'date',
      when: 'future',
    },
    {
      name: 'inFull',
      label: 'Published in full',
      enter: 'whether the report will be published in full',
      hint: 'If not, the improvements information is published, with the reasons',
      kind: 'yes-no',
    },
    {
      ...longText(
        'reasonsNotInFull',
        'Why it will not be published in full',
        'why it will not be published in full',
        'Only if it will not be published in full',
      ),
      optional: true,
    },
  ],
  prefill: (review) => {
    const plan = review.publicationPlan;
    if (!plan) return {};
    return {
      ...dateToParts('plannedOn', plan.plannedOn),
      inFull: plan.inFull ? 'yes' : 'no',
      ...(plan.reasonsNotInFull ? { reasonsNotInFull: plan.reasonsNotInFull } : {}),
    };
  },
  refusal: (review) =>
    review.status === 'published' ? `Local review ${review.reference} is published.` : undefined,
  record: (request, review, answers) =>
    planLocalReviewPublication(request.service, {
      reviewId: review.reviewId,
      answers,
      member: memberOf(request),
    }),
  button: 'Record the planned publication',
  confirmation: {
    title: 'Publication planned',
    text: (review, request) =>
      review.publicationPlan
        ? `The review is planned for publication on ${formatDate(review.publicationPlan.plannedOn)}. The notice goes to the Panel and the Secretary of State on ${formatDate(prePublicationNoticeOn(review.publicationPlan.plannedOn, rulesFor(request)))}, unless a parallel process holds publication back.`
        : 'The review’s publication is planned.',
  },
};

/** The partnership's local review rules. */
const rulesFor = (request: Request) => localReviewRulesOf(request.service.profile);

const lateFlow: Flow = {
  slug: 'late-reason',
  title: (review) =>
    review.late?.reason ? 'Change why the review is late' : 'Record why the review is late',
  schema: localReviewLateAnswers,
  fields: () => [
    longText('reason', 'Why the review is late', 'why the review is late', 'Do not name the child'),
    {
      name: 'expectedOn',
      label: 'The date the partnership now expects to complete it',
      enter: 'the date the partnership now expects to complete it',
      kind: 'date',
      when: 'future',
    },
  ],
  prefill: (review) =>
    review.late?.reason
      ? { reason: review.late.reason, ...dateToParts('expectedOn', review.late.expectedOn) }
      : {},
  refusal: (review) =>
    !review.late
      ? `Local review ${review.reference} is not late: it is due by ${formatDate(review.completionDueOn)}.`
      : review.publicationPlan
        ? `Local review ${review.reference} is complete: why it was late can no longer be changed.`
        : undefined,
  record: (request, review, answers) =>
    recordLocalReviewLateReason(request.service, {
      reviewId: review.reviewId,
      answers,
      member: memberOf(request),
    }),
  button: 'Record why the review is late',
  confirmation: {
    title: 'Why the review is late recorded',
    text: () =>
      'The Panel was told the review is late. You can change the reason until the final report is ready.',
  },
};

const publicationFlow: Flow = {
  slug: 'publication',
  title: () => 'Record the publication',
  schema: publicationAnswers,
  fields: () => [
    {
      name: 'publishedOn',
      label: 'Date it was published',
      enter: 'the date it was published',
      kind: 'date',
      when: 'past',
    },
    {
      name: 'address',
      label: 'Public web address',
      enter: 'the public web address',
      hint: 'Where anyone can read the report, starting https://',
      kind: 'text',
    },
  ],
  // Confirming again after "saved, but not finished" reaches the use case, which hands the wait back again.
  refusal: (review, request) =>
    review.status === 'published' && request.method === 'GET'
      ? `Local review ${review.reference} is already recorded as published.`
      : !review.publicationPlan
        ? `Record that the final report of local review ${review.reference} is ready, and when it is to be published, first.`
        : undefined,
  record: (request, review, answers) =>
    recordLocalReviewPublication(request.service, {
      reviewId: review.reviewId,
      answers,
      member: memberOf(request),
    }),
  button: 'Record the publication',
  confirmation: {
    title: 'Publication recorded',
    text: (_review, request) =>
      `The review is published. The partnership team will be reminded a month before it has been public for ${rulesFor(request).minimumPublicationMonths} months, so that it is not taken down early.`,
  },
};

// ── Starting a review from a Rapid Review, and its own page ───────────────────────────────────

async function caseForLocalReview(request: Request) {
  const caseId = caseIdSchema.safeParse(request.params.caseId);
  if (!caseId.success) return undefined;
  const record = await request.service.cases.getCase(caseId.data);
  return record;
}

const startPages: LocalReviewPage[] = [
  {
    method: 'GET',
    path: '/cases/{caseId}/local-review',
    access: teamOnly,
    async handle(request) {
      const record = await caseForLocalReview(request);
      if (!record) return notFound();
      const existing = await request.service.localReviews.findLocalReviewOfCase(record.caseId);
      if (existing) return redirect(`/local-reviews/${existing}`);
      const back = { href: `/cases/${record.caseId}`, text: 'Go to the case' };
      const wayIn = localReviewWayIn(record, rulesOf(request.service.profile).timeZone);
      if (!wayIn) {
        return problemPage(
          { status: 409, title: 'You cannot start a local review', detail: NOT_COMMISSIONED_MESSAGE },
          back,
        );
      }
      const { agencies } = await request.service.cases.getCaseWithAgencies(record.caseId);
      const rules = localReviewRulesOf(request.service.profile);
      return render('local-review/start.njk', {
        pageTitle: 'Start the local review',
        record,
        why:
          wayIn.route === 'panel-request'
            ? 'The Panel asked for a local review in its reply'
            : 'The safeguarding partners decided to commission a local review',
        decidedOn: formatDate(wayIn.decidedOn),
        dueOn: formatDate(completionDueOn(wayIn.decidedOn, rules)),
        months: rules.completionMonths,
        agencies: agencies.filter((agency) => agency.status !== 'removed').map((agency) => agency.agencyName),
      });
    },
  },
  {
    method: 'POST',
    path: '/cases/{caseId}/local-review/confirm',
    access: teamOnly,
    async handle(request) {
      const caseId = request.params.caseId ?? '';
      try {
        await commissionLocalReview(request.service, { caseId, member: memberOf(request) });
      } catch (error) {
        if (error instanceof NotFoundError) return notFound();
        return refusal(error, { href: `/cases/${caseId}`, text: 'Go to the case' });
      }
      return redirect(`/cases/${caseId}/local-review/confirmation`);
    },
  },
  {
    method: 'GET',
    path: '/cases/{caseId}/local-review/confirmation',
    access: teamOnly,
    async handle(request) {
      const record = await caseForLocalReview(request);
      if (!record) return notFound();
      const reviewId = await request.service.localReviews.findLocalReviewOfCase(record.caseId);
      const review = reviewId ? await request.service.localReviews.getLocalReview(reviewId) : undefined;
      if (!review) return redirect(`/cases/${record.caseId}/local-review`);
      return render('local-review/confirmation.njk', {
        pageTitle: 'Local review started',
        review,
        text: `The national Child Safeguarding Practice Review Panel has been emailed that the partnership commissioned this review. It is due to be complete by ${formatDate(review.completionDueOn)}; the partnership team will be reminded before then.`,
      });
    },
  },
];

const reviewPage: LocalReviewPage = {
  method: 'GET',
  path: '/local-reviews/{reviewId}',
  access: teamOnly,
  async handle(request) {
    let view: Awaited<ReturnType<typeof showLocalReview>>;
    try {
      view = await showLocalReview(request.service, { reviewId: request.params.reviewId ?? '' });
    } catch (error) {
      if (error instanceof LocalReviewNotFoundError) return notFound();
      throw error;
    }
    const { review } = view;
    return render('local-review/review.njk', {
      pageTitle: `Local review ${review.reference}`,
      review,
      from:
        review.route === 'panel-request'
          ? 'the Panel asked for it in its reply to the Rapid Review'
          : review.route === 'practice-review-group'
            ? 'the Practice Review Group decided on the referral'
            : 'the safeguarding partners decided to commission it at the Rapid Review',
      decidedOn: formatDate(review.decidedOn),
      children: view.children.map((child) => ({
        name: child.name ?? 'Name not given',
        dateOfBirth: child.dateOfBirth ? formatDate(child.dateOfBirth, { weekday: false }) : 'Not given',
      })),
      milestones: milestoneRows(view.milestones),
      timeline: view.timeline.map((entry) => ({ ...entry, at: londonDateTime(entry.at) })),
      terms: termsOfReferenceView(review),
      reviewer: review.reviewer
        ? {
            ...review.reviewer,
            contract: `${formatDate(review.reviewer.contractStartsOn)} to ${formatDate(review.reviewer.contractEndsOn)}`,
            fee: `£${(review.reviewer.feePence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`,
            evidence: reviewerCriteria.map((criterion) => ({
              label: criterion.label,
              text: review.reviewer?.evidence[criterion.key] ?? '',
            })),
          }
        : undefined,
      processes: review.parallelProcesses.map((process) => ({
        number: process.number,
        kind: parallelProcessNames[process.kind],
        description: process.description,
        started: formatDate(process.startedOn),
        expectedEnd: process.expectedEndOn ? formatDate(process.expectedEndOn) : undefined,
        ended: process.endedOn ? formatDate(process.endedOn) : undefined,
        holding: process.holdsPublication && !process.endedOn,
        holdsPublication: process.holdsPublication,
      })),
      late: review.late
        ? {
            reason: review.late.reason,
            expectedOn: review.late.expectedOn ? formatDate(review.late.expectedOn) : undefined,
            panelToldAt: londonDateTime(review.late.panelToldAt),
          }
        : undefined,
      plan: review.publicationPlan
        ? { ...review.publicationPlan, plannedOn: formatDate(review.publicationPlan.plannedOn) }
        : undefined,
      publication: review.publication
        ? { ...review.publication, publishedOn: formatDate(review.publication.publishedOn) }
        : undefined,
      open: review.status !== 'published' && review.status !== 'failed',
      held: view.holdingProcesses.length > 0,
    });
  },
};

export const localReviewPages: readonly LocalReviewPage[] = [
  ...startPages,
  reviewPage,
  ...[
    termsFlow,
    reviewerFlow,
    processFlow,
    processEndedFlow,
    publicationPlanFlow,
    lateFlow,
    publicationFlow,
  ].flatMap(flowPages),
];
