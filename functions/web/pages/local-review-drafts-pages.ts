import { rulesOf } from '../../../shared/config/partnership-profile.ts';
import { DomainError, type InvalidField, InvalidInputError } from '../../../shared/errors.ts';
import type { Problem } from '../../../shared/http/problem.ts';
import type { LocalReview } from '../../../shared/schemas/local-review.ts';
import {
  contactMethod,
  contactMethodNames,
  familyContactAnswers,
  familyMemberAnswers,
  familyParticipationNames,
  type LocalReviewDrafts,
  learningEventAnswers,
  qualityChecklistAnswers,
  qualityExpectations,
  supervisionAnswerAnswers,
  supervisionKindNames,
  supervisionRequestAnswers,
} from '../../../shared/schemas/local-review-drafts.ts';
import { isoDate } from '../../../shared/schemas/primitives.ts';
import * as z from '../../../shared/schemas/zod.ts';
import type { Service } from '../../../shared/service.ts';
import { LocalReviewNotFoundError } from '../../../shared/use-cases/local-review.ts';
import {
  chooseFinalVersion,
  commentOnDraft,
  commentState,
  FactualAccuracyLinkError,
  openFactualAccuracyLink,
  readDraft,
  recordFamilyContact,
  recordFamilyMember,
  recordLearningEvent,
  recordQualityChecklist,
  recordSupervisionAnswer,
  recordSupervisionRequest,
  showLocalReviewDrafts,
  startFactualAccuracyRound,
  uploadDraft,
} from '../../../shared/use-cases/local-review-drafts.ts';
import { isReviewerOf, mayWorkOn } from '../../../shared/use-cases/local-review-enquiry.ts';
import { formatDate, formatDateOf } from '../../../shared/workflow/london-time.ts';
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
import { fieldId, formErrors } from '../forms.ts';
import {
  memberOf,
  notFound,
  type Page,
  type PageAccess,
  type PageResult,
  publicAccess,
  rawResponse,
  redirect,
  render,
  staffOnly,
  todayOf,
  type WebRequest,
} from '../page.ts';
import { reviewMilestoneRows } from './local-review-view.ts';
import { londonDateTime } from './london.ts';
import { namedMessage } from './notify/answers.ts';

/**
 * The partnership team's pages for a local review's work in writing (issue 13 parts 3 and 4),
 * served by their own function (functions/local-review-drafts-web) through the
 * LocalReviewDraftsPages routes of shared/routes.ts, and an agency's factual-accuracy pages:
 *
 *   /local-reviews/{reviewId}/learning-events      the learning events; `…/add` records one
 *   /local-reviews/{reviewId}/family-plan          the family plan; `…/add`, `…/{number}/contact`
 *   /local-reviews/{reviewId}/supervision          milestones, requests to the reviewer and answers;
 *                                                  `…/request`, `…/{number}/answer`
 *   /local-reviews/{reviewId}/drafts               the versions, rounds, checklists; `…/upload`,
 *                                                  `…/{version}/file`, `…/{version}/final`,
 *                                                  `…/{version}/factual-accuracy`, `…/{version}/quality`
 *   /factual-accuracy/{token}                      an agency reads the draft and comments (`…/draft`, `…/sent`)
 *
 * Each "record" page is a question page, check your answers and a confirmation; the answers
 * travel in the forms until confirmed.
 *
 * The review's own reviewer (any other reviewer: not found) also opens supervision and answers
 * the partners' requests, and opens the drafts: reads them, downloads them and uploads their own
 * (choosing the final version, the factual-accuracy rounds and the quality checks stay the team's).
 */

/** The ports these pages use. */
export type LocalReviewDraftsWebService = Pick<
  Service,
  | 'clock'
  | 'profile'
  | 'publicBaseUrl'
  | 'cases'
  | 'documents'
  | 'sessions'
  | 'mailer'
  | 'localReviews'
  | 'localReviewDrafts'
  | 'factualAccuracyChases'
>;
type Request = WebRequest<LocalReviewDraftsWebService>;
type DraftsPage = Page<LocalReviewDraftsWebService>;

const teamOnly = staffOnly('partnership-team');
/** Supervision and the answers, the drafts and their upload: the team, and the review's own reviewer (checked per review). */
const teamOrReviewer = staffOnly('partnership-team', 'reviewer');
/** Whether the signed-in member is this review's reviewer (and not the team): the pages speak to them. */
const asReviewer = (review: LocalReview, request: Request) =>
  isReviewerOf(review, memberOf(request)) && !memberOf(request).roles.includes('partnership-team');
/** Where a page leads back to the review: its page for the team, its enquiry for the reviewer. */
const reviewHome = (review: LocalReview, request: Request) =>
  asReviewer(review, request)
    ? { href: `${base(review)}/enquiry`, text: 'Go to the review’s enquiry' }
    : { href: base(review), text: 'Go to the local review' };
const base = (review: LocalReview) => `/local-reviews/${review.reviewId}`;
/** A path pattern with the request's parameters filled in. */
const filled = (pattern: string, request: Request) =>
  pattern.replace(/\{(\w+)\}/g, (_all, name: string) => request.params[name] ?? '');

// ── One question flow ────────────────────────────────────────────────────────────────────────

interface Flow {
  /** Under `/local-reviews/{reviewId}/`, e.g. `family-plan/{number}/contact`. */
  slug: string;
  /** Who may open it: the partnership team unless it says otherwise (and then only those who may work on the review). */
  access?: PageAccess;
  /** Where the team goes back to: the section's page, under the review. */
  section: { slug: string; name: string };
  title: (loaded: Loaded, request: Request) => string;
  fields: (loaded: Loaded, request: Request) => Field[];
  schema: z.ZodMiniType;
  /** Why this cannot be recorded now (checked before the questions), if it cannot. */
  refusal?: (loaded: Loaded, request: Request) => string | undefined;
  record: (request: Request, loaded: Loaded, answers: unknown) => Promise<unknown>;
  button: string;
  confirmation: { title: string; text: string };
}

interface Loaded {
  review: LocalReview;
  drafts: LocalReviewDrafts;
}

/** How these pages' forms ask (the shared form machinery of ../field-flow.ts). */
const rules: FormRules = { issueMatches: ['field-inside'], listSeparator: ', ' };

const problemPage = (answer: Problem, back: { href: string; text: string }): PageResult =>
  sharedProblemPage('local-review/problem.njk', answer, back);

const refusal = (error: unknown, back: { href: string; text: string }): PageResult =>
  sharedRefusal('local-review/problem.njk', error, back);

/** The review and its drafts record, for someone who may work on it; to anyone else it does not exist. */
async function load(request: Request): Promise<Loaded | undefined> {
  try {
    const loaded = await showLocalReviewDrafts(request.service, request.params.reviewId ?? '');
    return mayWorkOn(loaded.review, memberOf(request)) ? loaded : undefined;
  } catch (error) {
    if (error instanceof LocalReviewNotFoundError) return undefined;
    throw error;
  }
}

const closed = (review: LocalReview) =>
  review.status === 'published'
    ? `Local review ${review.reference} is published.`
    : review.status === 'failed'
      ? `Local review ${review.reference} has stopped.`
      : undefined;

function questionPage(
  request: Request,
  flow: Flow,
  loaded: Loaded,
  form: URLSearchParams,
  errors: InvalidField[] = [],
  dateParts: Record<string, string[]> = {},
): PageResult {
  const { fields, summary } = questionFields(flow.fields(loaded, request), form, errors, dateParts);
  return render(
    'local-review-drafts/question.njk',
    {
      pageTitle: flow.title(loaded, request),
      review: loaded.review,
      fields,
      back: { href: `${base(loaded.review)}/${flow.section.slug}`, text: `Back to ${flow.section.name}` },
      action: `${base(loaded.review)}/${filled(flow.slug, request)}`,
      ...(summary ? { errors: summary } : {}),
    },
    summary ? 400 : 200,
  );
}

function flowPages(flow: Flow): DraftsPage[] {
  const path = `/local-reviews/{reviewId}/${flow.slug}`;
  const step =
    (run: (request: Request, loaded: Loaded) => PageResult | Promise<PageResult>) =>
    async (request: Request): Promise<PageResult> => {
      const loaded = await load(request);
      if (!loaded) return notFound();
      const refused = closed(loaded.review) ?? flow.refusal?.(loaded, request);
      if (refused) {
        return problemPage(
          { status: 409, title: 'You cannot do this now', detail: refused },
          { href: `${base(loaded.review)}/${flow.section.slug}`, text: `Go to ${flow.section.name}` },
        );
      }
      return run(request, loaded);
    };
  const validated = (request: Request, loaded: Loaded) => {
    const fields = flow.fields(loaded, request);
    const { answers, errors, dateParts } = answersOf(fields, request.form, todayOf(request), rules);
    return { fields, answers, dateParts, errors: errorsOf(fields, flow.schema, answers, errors, rules) };
  };
  return [
    {
      method: 'GET',
      path,
      access: flow.access ?? teamOnly,
      handle: step((request, loaded) => questionPage(request, flow, loaded, new URLSearchParams())),
    },
    {
      method: 'POST',
      path,
      access: flow.access ?? teamOnly,
      handle: step((request, loaded) => questionPage(request, flow, loaded, request.form)),
    },
    {
      method: 'POST',
      path: `${path}/check`,
      access: flow.access ?? teamOnly,
      handle: step((request, loaded) => {
        const { fields, answers, dateParts, errors } = validated(request, loaded);
        if (errors.length) return questionPage(request, flow, loaded, request.form, errors, dateParts);
        return render('local-review/check.njk', {
          pageTitle: `Check your answers: ${flow.title(loaded, request).toLowerCase()}`,
          review: loaded.review,
          rows: checkRows(fields, request.form, answers, rules),
          posted: postedValues(request.form),
          action: `${base(loaded.review)}/${filled(flow.slug, request)}`,
          button: flow.button,
        });
      }),
    },
    {
      method: 'POST',
      path: `${path}/confirm`,
      access: flow.access ?? teamOnly,
      handle: step(async (request, loaded) => {
        const { fields, answers, dateParts, errors } = validated(request, loaded);
        if (errors.length) return questionPage(request, flow, loaded, request.form, errors, dateParts);
        try {
          await flow.record(request, loaded, answers);
        } catch (error) {
          if (error instanceof InvalidInputError) {
            return questionPage(request, flow, loaded, request.form, refusedFields(fields, error.fields));
          }
          return refusal(error, {
            href: `${base(loaded.review)}/${flow.section.slug}`,
            text: `Go to ${flow.section.name}`,
          });
        }
        return redirect(`${base(loaded.review)}/${filled(flow.slug, request)}/confirmation`);
      }),
    },
    {
      method: 'GET',
      path: `${path}/confirmation`,
      access: flow.access ?? teamOnly,
      async handle(request) {
        const loaded = await load(request);
        if (!loaded) return notFound();
        return render('local-review-drafts/confirmation.njk', {
          pageTitle: flow.confirmation.title,
          review: loaded.review,
          text: flow.confirmation.text,
          back: { href: `${base(loaded.review)}/${flow.section.slug}`, text: `Go to ${flow.section.name}` },
          home: reviewHome(loaded.review, request),
        });
      },
    },
  ];
}

// ── The flows ───────────────────────────────────────────────────────────────────────────────

const sections = {
  learning: { slug: 'learning-events', name: 'the learning events' },
  family: { slug: 'family-plan', name: 'the family plan' },
  supervision: { slug: 'supervision', name: 'supervision of the reviewer' },
  drafts: { slug: 'drafts', name: 'the drafts' },
};

const longText = (name: string, label: string, enter: string, hint?: string): Field => ({
  name,
  label,
  enter,
  kind: 'textarea',
  ...(hint ? { hint } : {}),
});

const numberOf = (request: Request, name: string) => Number(request.params[name] ?? '0');

const learningEventFlow: Flow = {
  slug: 'learning-events/add',
  section: sections.learning,
  title: () => 'Record a practitioner learning event',
  schema: learningEventAnswers,
  fields: () => [
    {
      name: 'heldOn',
      label: 'Date of the event',
      enter: 'the date of the event',
      kind: 'date',
      when: 'past',
    },
    longText('invited', 'Who was invited', 'who was invited', 'Roles and agencies, not names'),
    longText('attended', 'Who attended', 'who attended', 'Roles and agencies, not names'),
  ],
  record: (request, { review }, answers) =>
    recordLearningEvent(request.service, { reviewId: review.reviewId, answers, member: memberOf(request) }),
  button: 'Record the learning event',
  confirmation: { title: 'Learning event recorded', text: 'It is listed with the review’s learning events.' },
};

const familyMemberFlow: Flow = {
  slug: 'family-plan/add',
  section: sections.family,
  title: () => 'Add a family member to the family plan',
  schema: familyMemberAnswers,
  fields: () => [
    {
      name: 'who',
      label: 'Who they are',
      enter: 'who they are',
      hint: 'Their relationship to the child, for example "Mother". Do not name the child',
      kind: 'text',
    },
    {
      name: 'invited',
      label: 'Invited to take part',
      enter: 'whether they were invited to take part',
      kind: 'yes-no',
    },
    {
      ...longText(
        'reasonNotInvited',
        'Why they were not invited',
        'why they were not invited',
        'You must give a reason if they were not invited',
      ),
      optional: true,
    },
    {
      name: 'tookPart',
      label: 'Whether they took part',
      enter: 'whether they took part',
      kind: 'radios',
      options: Object.entries(familyParticipationNames).map(([value, text]) => ({ value, text })),
    },
  ],
  record: (request, { review }, answers) =>
    recordFamilyMember(request.service, { reviewId: review.reviewId, answers, member: memberOf(request) }),
  button: 'Add to the family plan',
  confirmation: {
    title: 'Family member added',
    text: 'Record each contact with them from the family plan.',
  },
};

const familyContactFlow: Flow = {
  slug: 'family-plan/{number}/contact',
  section: sections.family,
  title: ({ drafts }, request) =>
    `Record a contact with ${drafts.family.find((person) => person.number === numberOf(request, 'number'))?.who ?? 'a family member'}`,
  schema: familyContactAnswers,
  fields: () => [
    {
      name: 'on',
      label: 'Date of the contact',
      enter: 'the date of the contact',
      kind: 'date',
      when: 'past',
    },
    {
      name: 'how',
      label: 'How they were contacted',
      enter: 'how they were contacted',
      kind: 'radios',
      options: contactMethod.options.map((value) => ({ value, text: contactMethodNames[value] })),
    },
    longText('what', 'What was said or sent', 'what was said or sent'),
  ],
  refusal: ({ drafts }, request) =>
    drafts.family.some((person) => person.number === numberOf(request, 'number'))
      ? undefined
      : 'There is no such family member in the family plan.',
  record: (request, { review }, answers) =>
    recordFamilyContact(request.service, {
      reviewId: review.reviewId,
      number: numberOf(request, 'number'),
      answers,
      member: memberOf(request),
    }),
  button: 'Record the contact',
  confirmation: { title: 'Contact recorded', text: 'It is in the family plan’s contact log.' },
};

const supervisionRequestFlow: Flow = {
  slug: 'supervision/request',
  section: sections.supervision,
  title: () => 'Record a request to the reviewer',
  schema: supervisionRequestAnswers,
  fields: () => [
    {
      name: 'kind',
      label: 'What the partners asked for',
      enter: 'what the partners asked for',
      kind: 'radios',
      options: Object.entries(supervisionKindNames).map(([value, text]) => ({ value, text })),
    },
    longText('request', 'The request', 'the request', 'As it was put to the reviewer in writing'),
    {
      name: 'askedOn',
      label: 'Date it was asked',
      enter: 'the date it was asked',
      kind: 'date',
      when: 'past',
    },
    {
      name: 'dueOn',
      label: 'Date it is due',
      enter: 'the date it is due',
      hint: 'Optional',
      kind: 'date',
      optional: true,
    },
  ],
  record: (request, { review }, answers) =>
    recordSupervisionRequest(request.service, {
      reviewId: review.reviewId,
      answers,
      member: memberOf(request),
    }),
  button: 'Record the request',
  confirmation: { title: 'Request recorded', text: 'Record the reviewer’s answer when it comes.' },
};

const supervisionAnswerFlow: Flow = {
  slug: 'supervision/{number}/answer',
  // The review's own reviewer records their answers too.
  access: teamOrReviewer,
  section: sections.supervision,
  title: ({ review }, request) =>
    asReviewer(review, request) ? 'Record your answer' : 'Record the reviewer’s answer',
  schema: supervisionAnswerAnswers,
  fields: ({ review }, request) => [
    asReviewer(review, request)
      ? longText('answer', 'Your answer', 'your answer')
      : longText('answer', 'The reviewer’s answer', 'the reviewer’s answer'),
    {
      name: 'answeredOn',
      label: 'Date of the answer',
      enter: 'the date of the answer',
      kind: 'date',
      when: 'past',
    },
  ],
  refusal: ({ drafts }, request) =>
    drafts.supervision.some((item) => item.number === numberOf(request, 'number'))
      ? undefined
      : 'There is no such request to the reviewer.',
  record: (request, { review }, answers) =>
    recordSupervisionAnswer(request.service, {
      reviewId: review.reviewId,
      number: numberOf(request, 'number'),
      answers,
      member: memberOf(request),
    }),
  button: 'Record the answer',
  confirmation: { title: 'Answer recorded', text: 'It is kept with the request, with its date.' },
};

const noSuchVersion = ({ drafts }: Loaded, request: Request) =>
  drafts.drafts.some((draft) => draft.version === numberOf(request, 'version'))
    ? undefined
    : 'There is no such version of the draft.';

const factualAccuracyFlow: Flow = {
  slug: 'drafts/{version}/factual-accuracy',
  section: sections.drafts,
  title: (_loaded, request) => `Send draft version ${request.params.version ?? ''} for factual accuracy`,
  schema: z.object({ dueOn: isoDate }),
  fields: () => [
    {
      name: 'dueOn',
      label: 'Date comments are due',
      enter: 'the date comments are due',
      hint: 'Each agency of the review is emailed its own link to read the draft and comment. The link keeps working for 4 weeks after this date',
      kind: 'date',
      when: 'future',
    },
  ],
  refusal: noSuchVersion,
  record: (request, { review }, answers) =>
    startFactualAccuracyRound(request.service, {
      reviewId: review.reviewId,
      draftVersion: numberOf(request, 'version'),
      dueOn: (answers as { dueOn?: string }).dueOn,
      member: memberOf(request),
    }),
  button: 'Send to the agencies',
  confirmation: {
    title: 'Draft sent for factual accuracy',
    text: 'Each agency has been emailed its link. Their comments appear on the drafts page as they come.',
  },
};

const qualityFlow: Flow = {
  slug: 'drafts/{version}/quality',
  section: sections.drafts,
  title: (_loaded, request) => `Check draft version ${request.params.version ?? ''} against the framework`,
  schema: qualityChecklistAnswers,
  fields: () =>
    qualityExpectations.flatMap((expectation) => [
      {
        name: `${expectation.key}.met`,
        label: expectation.label,
        enter: `whether the draft meets this: ${expectation.label.charAt(0).toLowerCase()}${expectation.label.slice(1)}`,
        kind: 'yes-no' as const,
      },
      longText(
        `${expectation.key}.note`,
        `Note: ${expectation.label.charAt(0).toLowerCase()}${expectation.label.slice(1)}`,
        `a note on whether ${expectation.label.charAt(0).toLowerCase()}${expectation.label.slice(1)}`,
      ),
    ]),
  refusal: noSuchVersion,
  record: (request, { review }, answers) =>
    recordQualityChecklist(request.service, {
      reviewId: review.reviewId,
      draftVersion: numberOf(request, 'version'),
      answers,
      member: memberOf(request),
    }),
  button: 'Record the check',
  confirmation: { title: 'Quality check recorded', text: 'It is listed with the draft it checked.' },
};

// ── The sections' own pages ──────────────────────────────────────────────────────────────────

const commentTags = {
  'on-time': { text: 'Commented', classes: 'govuk-tag--green' },
  late: { text: 'Commented late', classes: 'govuk-tag--yellow' },
  awaiting: { text: 'Awaiting comments', classes: 'govuk-tag--blue' },
  none: { text: 'No comments, past the due date', classes: 'govuk-tag--red' },
};

const by = (item: { recordedAt: string; recordedByName?: string | undefined }) =>
  `${londonDateTime(item.recordedAt)}${item.recordedByName ? ` by ${item.recordedByName}` : ''}`;

function sectionPage(
  slug: string,
  template: string,
  title: string,
  context: (loaded: Loaded, request: Request) => Record<string, unknown>,
  access: PageAccess = teamOnly,
): DraftsPage {
  return {
    method: 'GET',
    path: `/local-reviews/{reviewId}/${slug}`,
    access,
    async handle(request) {
      const loaded = await load(request);
      if (!loaded) return notFound();
      return render(`local-review-drafts/${template}.njk`, {
        pageTitle: title,
        review: loaded.review,
        open: !closed(loaded.review),
        base: base(loaded.review),
        ...context(loaded, request),
      });
    },
  };
}

const learningEventsPage = sectionPage(
  'learning-events',
  'learning-events',
  'Practitioner learning events',
  ({ drafts }) => ({
    events: drafts.learningEvents.map((event) => ({
      ...event,
      heldOn: formatDate(event.heldOn),
      by: by(event),
    })),
  }),
);

const familyPlanPage = sectionPage('family-plan', 'family-plan', 'The family plan', ({ drafts }) => ({
  family: drafts.family.map((person) => ({
    ...person,
    tookPart: familyParticipationNames[person.tookPart],
    by: by(person),
    contacts: person.contacts.map((contact) => ({
      on: formatDate(contact.on),
      how: contactMethodNames[contact.how],
      what: contact.what,
    })),
  })),
}));

const supervisionPage = sectionPage(
  'supervision',
  'supervision',
  'Supervision of the reviewer',
  ({ review, drafts }, request) => {
    const today = todayOf(request);
    return {
      asReviewer: asReviewer(review, request),
      home: reviewHome(review, request),
      milestones: reviewMilestoneRows(review, request.service.clock.now(), request.service.profile),
      requests: drafts.supervision.map((item) => ({
        number: item.number,
        kind: supervisionKindNames[item.kind],
        request: item.request,
        askedOn: formatDate(item.askedOn),
        dueOn: item.dueOn ? formatDate(item.dueOn) : undefined,
        overdue: !item.answer && item.dueOn !== undefined && item.dueOn < today,
        answer: item.answer
          ? { text: item.answer.answer, answeredOn: formatDate(item.answer.answeredOn) }
          : undefined,
      })),
    };
  },
  // The review's own reviewer sees the requests to them, and answers them.
  teamOrReviewer,
);

const draftsPage = sectionPage(
  'drafts',
  'drafts',
  'Drafts of the report',
  ({ review, drafts }, request) => {
    const today = todayOf(request);
    const timeZone = rulesOf(request.service.profile).timeZone;
    return {
      asReviewer: asReviewer(review, request),
      home: reviewHome(review, request),
      versions: [...drafts.drafts].reverse().map((draft) => ({
        version: draft.version,
        fileName: draft.fileName,
        kind: draft.kind === 'pdf' ? 'PDF' : 'Word document',
        size: `${Math.max(1, Math.round(draft.bytes / 1024))} KB`,
        note: draft.note,
        by: by(draft),
        final: drafts.finalVersion?.version === draft.version,
      })),
      finalVersion: drafts.finalVersion?.version,
      rounds: [...drafts.rounds].reverse().map((round) => ({
        number: round.number,
        draftVersion: round.draftVersion,
        dueOn: formatDate(round.dueOn),
        by: by(round),
        agencies: round.agencies.map((agency) => ({
          name: agency.agencyName,
          tag: commentTags[commentState(agency, round, today, timeZone)],
          comments: agency.comments?.text,
          at: agency.comments ? londonDateTime(agency.comments.at) : undefined,
          reminded: agency.reminders.flatMap((reminder) =>
            reminder.sentAt ? [formatDateOf(reminder.sentAt, timeZone)] : [],
          ),
        })),
      })),
      checklists: [...drafts.checklists].reverse().map((check) => ({
        draftVersion: check.draftVersion,
        by: by(check),
        items: qualityExpectations.map((expectation) => ({
          label: expectation.label,
          met: check[expectation.key].met,
          note: check[expectation.key].note,
        })),
      })),
    };
  },
  // The review's own reviewer uploads their drafts and reads the rounds and checks; choosing the
  // final version, the factual-accuracy rounds and the quality checks stay the team's.
  teamOrReviewer,
);

// ── Uploading a draft, reading one, choosing the final version ──────────────────────────────

const uploadPath = '/local-reviews/{reviewId}/drafts/upload';

function uploadForm(loaded: Loaded, errors: InvalidField[] = [], note = ''): PageResult {
  const summary = errors.length ? formErrors(errors, fieldId) : undefined;
  return render(
    'local-review-drafts/upload.njk',
    {
      pageTitle: 'Upload a draft of the report',
      review: loaded.review,
      next: Math.max(0, ...loaded.drafts.drafts.map((draft) => draft.version)) + 1,
      note,
      ...(summary ? { errors: summary } : {}),
    },
    summary ? 400 : 200,
  );
}

const draftFilePages: DraftsPage[] = [
  {
    method: 'GET',
    path: uploadPath,
    access: teamOrReviewer,
    async handle(request) {
      const loaded = await load(request);
      if (!loaded) return notFound();
      const refused = closed(loaded.review);
      if (refused) {
        return problemPage(
          { status: 409, title: 'You cannot do this now', detail: refused },
          { href: `${base(loaded.review)}/drafts`, text: 'Go to the drafts' },
        );
      }
      return uploadForm(loaded);
    },
  },
  {
    method: 'POST',
    path: uploadPath,
    access: teamOrReviewer,
    async handle(request) {
      const loaded = await load(request);
      if (!loaded) return notFound();
      const note = (request.form.get('note') ?? '').trim();
      const file = request.files?.get('file');
      if (!file || file.content.byteLength === 0) {
        return uploadForm(loaded, [{ field: 'file', message: 'Select the draft to upload' }], note);
      }
      try {
        await uploadDraft(request.service, {
          reviewId: loaded.review.reviewId,
          upload: { fileName: file.fileName, content: file.content },
          ...(note ? { note } : {}),
          member: memberOf(request),
        });
      } catch (error) {
        if (error instanceof InvalidInputError) {
          return uploadForm(
            loaded,
            error.fields.map((field) => ({ ...field, field: field.field === 'file' ? 'file' : 'note' })),
            note,
          );
        }
        return refusal(error, { href: `${base(loaded.review)}/drafts`, text: 'Go to the drafts' });
      }
      return redirect(`${base(loaded.review)}/drafts/upload/confirmation`);
    },
  },
  {
    method: 'GET',
    path: `${uploadPath}/confirmation`,
    access: teamOrReviewer,
    async handle(request) {
      const loaded = await load(request);
      if (!loaded) return notFound();
      const latest = loaded.drafts.drafts.at(-1);
      const kept = latest
        ? `It is kept as version ${latest.version}, beside every earlier version.`
        : 'It is kept beside every earlier version.';
      return render('local-review-drafts/confirmation.njk', {
        pageTitle: 'Draft uploaded',
        review: loaded.review,
        text: asReviewer(loaded.review, request)
          ? `${kept} The partnership team has been emailed that it is there.`
          : `${kept} Send it to the agencies for factual accuracy, or check its quality, from the drafts page.`,
        back: { href: `${base(loaded.review)}/drafts`, text: 'Go to the drafts' },
        home: reviewHome(loaded.review, request),
      });
    },
  },
  {
    method: 'GET',
    path: '/local-reviews/{reviewId}/drafts/{version}/file',
    access: teamOrReviewer,
    async handle(request) {
      const loaded = await load(request);
      if (!loaded) return notFound();
      try {
        const { draft, bytes, contentType } = await readDraft(request.service, {
          reviewId: loaded.review.reviewId,
          version: numberOf(request, 'version'),
        });
        return fileResponse(draft.fileName, bytes, contentType);
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'not-found') return notFound();
        throw error;
      }
    },
  },
  {
    method: 'POST',
    path: '/local-reviews/{reviewId}/drafts/{version}/final',
    access: teamOnly,
    async handle(request) {
      const loaded = await load(request);
      if (!loaded) return notFound();
      try {
        await chooseFinalVersion(request.service, {
          reviewId: loaded.review.reviewId,
          version: numberOf(request, 'version'),
          member: memberOf(request),
        });
      } catch (error) {
        return refusal(error, { href: `${base(loaded.review)}/drafts`, text: 'Go to the drafts' });
      }
      return redirect(`${base(loaded.review)}/drafts`);
    },
  },
];

function fileResponse(fileName: string, bytes: Uint8Array, contentType: string): PageResult {
  const safeName = fileName.replace(/["\\\r\n]/g, '_');
  return rawResponse({
    statusCode: 200,
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${safeName}"`,
      // A draft names no child, but is not public: never kept in a shared or browser cache.
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: Buffer.from(bytes).toString('base64'),
    isBase64Encoded: true,
  });
}

// ── An agency's factual-accuracy pages ─────────────────────────────────────────────────────

async function openLink(request: Request) {
  try {
    return await openFactualAccuracyLink(request.service, request.params.token ?? '');
  } catch (error) {
    if (error instanceof FactualAccuracyLinkError) return undefined;
    throw error;
  }
}

const linkNotWorking = () =>
  render('local-review-drafts/link-not-working.njk', { pageTitle: 'This link does not work' }, 403);

function agencyPage(
  request: Request,
  view: NonNullable<Awaited<ReturnType<typeof openLink>>>,
  errors: InvalidField[] = [],
  comments?: string,
): PageResult {
  const summary = errors.length ? formErrors(errors, fieldId) : undefined;
  const today = todayOf(request);
  return render(
    'local-review-drafts/factual-accuracy.njk',
    {
      pageTitle: `Check the draft report of local review ${view.review.reference}`,
      reference: view.review.reference,
      agencyName: view.agency.agencyName,
      version: view.draft.version,
      kind: view.draft.kind === 'pdf' ? 'PDF' : 'Word document',
      dueOn: formatDate(view.round.dueOn),
      pastDue: today > view.round.dueOn,
      sentAt: view.agency.comments ? londonDateTime(view.agency.comments.at) : undefined,
      comments: comments ?? view.agency.comments?.text ?? '',
      token: request.params.token,
      ...(summary ? { errors: summary } : {}),
    },
    summary ? 400 : 200,
  );
}

const factualAccuracyPages: DraftsPage[] = [
  {
    method: 'GET',
    path: '/factual-accuracy/{token}',
    access: publicAccess,
    async handle(request) {
      const view = await openLink(request);
      return view ? agencyPage(request, view) : linkNotWorking();
    },
  },
  {
    method: 'POST',
    path: '/factual-accuracy/{token}',
    access: publicAccess,
    capabilityInPath: true,
    async handle(request) {
      const view = await openLink(request);
      if (!view) return linkNotWorking();
      const comments = (request.form.get('comments') ?? '').trim();
      try {
        await commentOnDraft(request.service, { token: request.params.token ?? '', comments });
      } catch (error) {
        if (error instanceof InvalidInputError) {
          const message = namedMessage(error.fields[0]?.message ?? '', {
            label: 'Your comments',
            enter: 'your comments',
          });
          return agencyPage(request, view, [{ field: 'comments', message }], comments);
        }
        if (error instanceof FactualAccuracyLinkError) return linkNotWorking();
        throw error;
      }
      return redirect(`/factual-accuracy/${request.params.token}/sent`);
    },
  },
  {
    method: 'GET',
    path: '/factual-accuracy/{token}/sent',
    access: publicAccess,
    async handle(request) {
      const view = await openLink(request);
      if (!view) return linkNotWorking();
      return render('local-review-drafts/factual-accuracy-sent.njk', {
        pageTitle: 'Comments sent',
        reference: view.review.reference,
        token: request.params.token,
        dueOn: formatDate(view.round.dueOn),
      });
    },
  },
  {
    method: 'GET',
    path: '/factual-accuracy/{token}/draft',
    access: publicAccess,
    async handle(request) {
      const view = await openLink(request);
      if (!view) return linkNotWorking();
      const { draft, bytes, contentType } = await readDraft(request.service, {
        reviewId: view.review.reviewId,
        version: view.draft.version,
      });
      return fileResponse(
        `${view.review.reference} draft version ${draft.version}.${draft.kind}`,
        bytes,
        contentType,
      );
    },
  },
];

export const localReviewDraftsPages: readonly DraftsPage[] = [
  learningEventsPage,
  familyPlanPage,
  supervisionPage,
  draftsPage,
  ...draftFilePages,
  ...[
    learningEventFlow,
    familyMemberFlow,
    familyContactFlow,
    supervisionRequestFlow,
    supervisionAnswerFlow,
    factualAccuracyFlow,
    qualityFlow,
  ].flatMap(flowPages),
  ...factualAccuracyPages,
];
