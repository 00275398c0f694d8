import { type InvalidField, InvalidInputError } from '../../shared/errors.ts';
import {
  involvementReturn,
  practiceEpisode,
  type ReturnDraftAnswers,
} from '../../shared/schemas/agency-return.ts';
import { textMessages } from '../../shared/schemas/primitives.ts';
import * as z from '../../shared/schemas/zod.ts';
import type { Service } from '../../shared/service.ts';
import { LinkNotUsableError } from '../../shared/use-cases/agency-request.ts';
import {
  type AgencyReturnView,
  draftFromReturn,
  ReturnsClosedError,
  saveAgencyReturnDraft,
  showAgencyReturn,
  submitAgencyReturn,
} from '../../shared/use-cases/agency-structured-return.ts';
import { parseInput } from '../../shared/validation.ts';
import { formatDate, formatInstant } from '../../shared/workflow/london-time.ts';
import { formErrors } from '../web/forms.ts';
import { type Page, type PageResult, publicAccess, redirect, render, type WebRequest } from '../web/page.ts';

/**
 * The structured return's pages (issue 10 part 2), under `/agency/<token>/return`: "involvement"
 * or "no involvement", the questions one a page, check your answers with Change links, and the
 * receipt. The answers are kept as a draft between visits (the case store's return draft); a
 * submitted return is corrected as a new version until collation. The link is the authority:
 * these pages take forms without a CSRF token (`capabilityInPath`).
 */

/** The ports the return pages use (a subset of the agency pages' function's). */
export type AgencyReturnPagesService = Pick<
  Service,
  'clock' | 'profile' | 'publicBaseUrl' | 'cases' | 'mailer'
>;

const london = 'Europe/London';
const inWords = (instant: string) => formatInstant(instant, london);

/** A page with a link that does not work, or a return no longer taken, answered with its page. */
function refusal(error: unknown): PageResult | undefined {
  if (error instanceof LinkNotUsableError) {
    return render(
      'agency/link-not-valid.njk',
      { pageTitle: 'This link has expired or is not valid' },
      error.kind === 'forbidden' ? 403 : 404,
    );
  }
  if (error instanceof ReturnsClosedError) {
    return render('agency/return-closed.njk', { pageTitle: 'Returns for this review have closed' }, 409);
  }
  return undefined;
}

async function answering(work: () => Promise<PageResult>): Promise<PageResult> {
  try {
    return await work();
  } catch (error) {
    const page = refusal(error);
    if (page) return page;
    throw error;
  }
}

const base = (token: string) => `/agency/${encodeURIComponent(token)}/return`;

/** A text question of the involvement return: one field, one page. */
interface TextQuestion {
  slug: string;
  field: 'rolesInvolved' | 'summary' | 'immediateActions' | 'earlyLearning' | 'protectedCharacteristics';
  heading: string;
  hint: string;
  /** What to say when it is left empty; absent for the optional question. */
  required?: string;
  rows: number;
}

const textQuestions: TextQuestion[] = [
  {
    slug: 'roles',
    field: 'rolesInvolved',
    heading: 'Who in your agency was involved?',
    hint: 'Give their roles, for example "health visitor" or "response officer". Do not give names of staff.',
    required: 'Enter the roles of the people involved',
    rows: 4,
  },
  {
    slug: 'summary',
    field: 'summary',
    heading: 'Summarise your agency’s involvement',
    hint: 'What your agency knew about the child and family, and what it did.',
    required: 'Enter a summary of your agency’s involvement',
    rows: 10,
  },
  {
    slug: 'actions',
    field: 'immediateActions',
    heading: 'What immediate safeguarding actions has your agency taken since the incident?',
    hint: 'For example, for other children in the family, or for similar cases your agency holds.',
    required: 'Enter the immediate safeguarding actions taken, or say that none were needed',
    rows: 6,
  },
  {
    slug: 'learning',
    field: 'earlyLearning',
    heading: 'What early learning has your agency identified?',
    hint: 'What your agency has already seen that could be done differently.',
    required: 'Enter your agency’s early learning, or say that there is none yet',
    rows: 6,
  },
  {
    slug: 'characteristics',
    field: 'protectedCharacteristics',
    heading:
      'Is there anything about race, ethnicity, disability or other protected characteristics the partnership should know? (optional)',
    hint: 'Anything about the child or family that may have affected how services responded.',
    rows: 6,
  },
];

/** The order of the involvement questions, by slug, with the episodes between summary and actions. */
const order = ['period', 'roles', 'summary', 'episodes', 'actions', 'learning', 'characteristics', 'check'];

function nextAfter(slug: string): string {
  return order[order.indexOf(slug) + 1] ?? 'check';
}

/** Where a question's form goes next: back to the check page when changing an answer. */
function nextPath(request: WebRequest<AgencyReturnPagesService>, token: string, slug: string): string {
  if (request.query.get('change') === 'yes') return `${base(token)}/check`;
  return `${base(token)}/${nextAfter(slug)}`;
}

/** The form's own address, keeping `?change=yes`. */
function formAction(request: WebRequest<AgencyReturnPagesService>): string {
  return request.query.get('change') === 'yes' ? `${request.path}?change=yes` : request.path;
}

/** The back link of a question page. */
function backLink(token: string, slug: string, changing: boolean): string {
  if (changing) return `${base(token)}/check`;
  const previous = order[order.indexOf(slug) - 1];
  return previous ? `${base(token)}/${previous}` : base(token);
}

/** A date from the GOV.UK date input's three fields, as YYYY-MM-DD, or what is wrong with it. */
export function dateFromParts(
  parts: { day: string; month: string; year: string },
  what: string,
): { date: string } | { error: string } | { empty: true } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { empty: true };
  if (!day || !month || !year) return { error: `${what} must include a day, month and year` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return { error: `${what} must be a real date` };
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date)
    return { error: `${what} must be a real date` };
  return { date };
}

/** The three parts of a stored date, for the date input. */
function partsOf(date: string | undefined): { day: string; month: string; year: string } {
  const [year = '', month = '', day = ''] = (date ?? '').split('-');
  return { day: day.replace(/^0/, ''), month: month.replace(/^0/, ''), year };
}

function datePartsFrom(form: URLSearchParams, prefix: string) {
  return {
    day: form.get(`${prefix}-day`) ?? '',
    month: form.get(`${prefix}-month`) ?? '',
    year: form.get(`${prefix}-year`) ?? '',
  };
}

/** A date in words: "2 October 2025" (the service's own wording, without the weekday). */
export function dateInWords(date: string | undefined): string {
  return date ? formatDate(date, { weekday: false }) : '';
}

/** The draft as the return it would submit (checked by `structuredReturn` when submitted). */
export function answersFromDraft(draft: ReturnDraftAnswers): unknown {
  if (draft.kind === 'no-involvement') return { kind: 'no-involvement', confirmed: true };
  const characteristics = draft.protectedCharacteristics?.trim();
  return {
    kind: 'involvement',
    involvedFrom: draft.involvedFrom,
    ...(draft.involvedTo && !draft.stillInvolved ? { involvedTo: draft.involvedTo } : {}),
    rolesInvolved: draft.rolesInvolved,
    summary: draft.summary,
    episodes: draft.episodes ?? [],
    immediateActions: draft.immediateActions,
    earlyLearning: draft.earlyLearning,
    ...(characteristics ? { protectedCharacteristics: characteristics } : {}),
  };
}

/** Which page asks for a field of the return, for the check page's errors. */
function pageOfField(token: string, field: string): string {
  const top = field.split('.')[0] ?? '';
  if (top === 'involvedFrom' || top === 'involvedTo') return `${base(token)}/period`;
  if (top === 'episodes') {
    const index = Number(field.split('.')[1]);
    return Number.isInteger(index)
      ? `${base(token)}/episodes/${index + 1}?change=yes`
      : `${base(token)}/episodes`;
  }
  const question = textQuestions.find((candidate) => candidate.field === top);
  return question ? `${base(token)}/${question.slug}?change=yes` : base(token);
}

/** What the check page says is missing, in words, per field. */
const missingAnswer: Record<string, string> = {
  kind: 'Say whether your agency has had involvement with this child or family',
  involvedFrom: 'Enter when your agency’s involvement started',
  involvedTo: 'Enter when your agency’s involvement ended',
  rolesInvolved: 'Enter the roles of the people involved',
  summary: 'Enter a summary of your agency’s involvement',
  episodes: 'Add at least one key practice episode',
  immediateActions: 'Enter the immediate safeguarding actions taken',
  earlyLearning: 'Enter your agency’s early learning',
};

/** Text for HTML: the answer is the agency's own words. */
function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A summary list value of several lines, kept as the agency wrote them (as the staff check pages do). */
function linesValue(text: string) {
  return { html: `<p class="govuk-body app-preserve-lines">${escapeHtml(text)}</p>` };
}

/** The headings of a return's answers, and their answers, for the check and receipt pages. */
function summaryRows(token: string, draft: ReturnDraftAnswers, withChangeLinks: boolean) {
  const change = (href: string, what: string) =>
    withChangeLinks ? { actions: { items: [{ href, text: 'Change', visuallyHiddenText: what }] } } : {};
  if (draft.kind === 'no-involvement') {
    return [
      {
        key: { text: 'Involvement' },
        value: { text: 'We have had no involvement with this child or family' },
        ...change(base(token), 'involvement'),
      },
    ];
  }
  const period = draft.involvedFrom
    ? `From ${dateInWords(draft.involvedFrom)} ${draft.stillInvolved || !draft.involvedTo ? '(still involved)' : `to ${dateInWords(draft.involvedTo)}`}`
    : '';
  return [
    {
      key: { text: 'Involvement' },
      value: { text: 'We have had involvement with this child or family' },
      ...change(base(token), 'involvement'),
    },
    {
      key: { text: 'Period of involvement' },
      value: { text: period },
      ...change(`${base(token)}/period?change=yes`, 'period of involvement'),
    },
    ...textQuestions.slice(0, 2).map((question) => textRow(token, question, draft, withChangeLinks)),
    {
      key: { text: 'Key practice episodes' },
      value: linesValue(
        (draft.episodes ?? [])
          .map((episode, index) => `${index + 1}. ${dateInWords(episode.date)}: ${episode.whatHappened}`)
          .join('\n'),
      ),
      ...change(`${base(token)}/episodes`, 'key practice episodes'),
    },
    ...textQuestions.slice(2).map((question) => textRow(token, question, draft, withChangeLinks)),
  ];
}

const rowHeadings: Record<TextQuestion['field'], string> = {
  rolesInvolved: 'Who was involved (roles)',
  summary: 'Summary of involvement',
  immediateActions: 'Immediate safeguarding actions',
  earlyLearning: 'Early learning',
  protectedCharacteristics: 'Protected characteristics',
};

function textRow(token: string, question: TextQuestion, draft: ReturnDraftAnswers, withChangeLinks: boolean) {
  const answer = draft[question.field]?.trim() || (question.required ? '' : 'None given');
  return {
    key: { text: rowHeadings[question.field] },
    value: linesValue(answer),
    ...(withChangeLinks
      ? {
          actions: {
            items: [
              {
                href: `${base(token)}/${question.slug}?change=yes`,
                text: 'Change',
                visuallyHiddenText: rowHeadings[question.field].toLowerCase(),
              },
            ],
          },
        }
      : {}),
  };
}

/** The page's header: which case and agency this is. */
function heading(view: AgencyReturnView) {
  return { caption: `${view.agency}: case ${view.caseReference}` };
}

/** A one-field check of a question page against the return's own schema, with the page's words for "empty". */
function checkField(schema: z.ZodMiniType, value: unknown, field: string, required?: string): InvalidField[] {
  try {
    parseInput(z.object({ [field]: schema }), { [field]: value }, 'answer');
    return [];
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return error.fields.map((found) => ({
      field: found.field,
      message: found.message === textMessages.required && required ? required : found.message,
    }));
  }
}

/** Saves the draft with the changes, and goes on. */
async function saveAndGo(
  request: WebRequest<AgencyReturnPagesService>,
  token: string,
  draft: ReturnDraftAnswers,
  next: string,
): Promise<PageResult> {
  await saveAgencyReturnDraft(request.service, { token, answers: draft });
  return redirect(next);
}

/** Loads the return and draft; a closed return shows its page for every question. */
async function load(request: WebRequest<AgencyReturnPagesService>, token: string) {
  const shown = await showAgencyReturn(request.service, { token });
  if (shown.view.closed) throw new ReturnsClosedError();
  return shown;
}

/**
 * A page of the return reached by the agency's link: the link's return is loaded first (refused
 * once the summaries are collated), and a refusal is answered with its page (`answering`).
 */
function returnPage(
  method: 'GET' | 'POST',
  path: string,
  handle: (
    request: WebRequest<AgencyReturnPagesService>,
    token: string,
    loaded: Awaited<ReturnType<typeof load>>,
  ) => Promise<PageResult>,
): Page<AgencyReturnPagesService> {
  return {
    method,
    path,
    access: publicAccess,
    capabilityInPath: true,
    handle: (request) =>
      answering(async () => {
        const token = request.params.token ?? '';
        return handle(request, token, await load(request, token));
      }),
  };
}

function textQuestionPages(question: TextQuestion): Page<AgencyReturnPagesService>[] {
  const path = `/agency/{token}/return/${question.slug}`;
  const show = (
    request: WebRequest<AgencyReturnPagesService>,
    token: string,
    view: AgencyReturnView,
    value: string,
    errors?: InvalidField[],
  ) =>
    render(
      'agency/return-text.njk',
      {
        pageTitle: question.heading,
        ...heading(view),
        question,
        value,
        action: formAction(request),
        backLink: backLink(token, question.slug, request.query.get('change') === 'yes'),
        ...(errors ? { errors: formErrors(errors, () => question.field) } : {}),
      },
      errors ? 400 : 200,
    );
  return [
    returnPage('GET', path, async (request, token, { view, draft }) => {
      return show(request, token, view, draft[question.field] ?? '');
    }),
    returnPage('POST', path, async (request, token, { view, draft }) => {
      const value = request.form.get(question.field) ?? '';
      const errors = checkField(
        involvementReturn.shape[question.field],
        value,
        question.field,
        question.required,
      );
      if (errors.length > 0) return show(request, token, view, value, errors);
      return saveAndGo(
        request,
        token,
        { ...draft, [question.field]: value.trim() },
        nextPath(request, token, question.slug),
      );
    }),
  ];
}

/** The period page: from (required), to, or still involved. */
function periodPages(): Page<AgencyReturnPagesService>[] {
  const path = '/agency/{token}/return/period';
  const show = (
    request: WebRequest<AgencyReturnPagesService>,
    token: string,
    view: AgencyReturnView,
    values: { from: ReturnType<typeof partsOf>; to: ReturnType<typeof partsOf>; stillInvolved: boolean },
    errors?: InvalidField[],
  ) =>
    render(
      'agency/return-period.njk',
      {
        pageTitle: 'When was your agency involved with this child or family?',
        ...heading(view),
        values,
        action: formAction(request),
        backLink: backLink(token, 'period', request.query.get('change') === 'yes'),
        ...(errors ? { errors: formErrors(errors) } : {}),
      },
      errors ? 400 : 200,
    );
  return [
    returnPage('GET', path, async (request, token, { view, draft }) => {
      return show(request, token, view, {
        from: partsOf(draft.involvedFrom),
        to: partsOf(draft.involvedTo),
        stillInvolved: draft.stillInvolved ?? false,
      });
    }),
    returnPage('POST', path, async (request, token, { view, draft }) => {
      const fromParts = datePartsFrom(request.form, 'involved-from');
      const toParts = datePartsFrom(request.form, 'involved-to');
      const stillInvolved = request.form.get('stillInvolved') === 'yes';
      const errors: InvalidField[] = [];
      const from = dateFromParts(fromParts, 'The date your involvement started');
      const to = dateFromParts(toParts, 'The date your involvement ended');
      const today = request.service.clock.now().toISOString().slice(0, 10);
      if ('empty' in from)
        errors.push({ field: 'involved-from', message: 'Enter the date your involvement started' });
      else if ('error' in from) errors.push({ field: 'involved-from', message: from.error });
      else if (from.date > today)
        errors.push({
          field: 'involved-from',
          message: 'The date your involvement started must be today or in the past',
        });
      if ('error' in to) errors.push({ field: 'involved-to', message: to.error });
      else if ('empty' in to && !stillInvolved)
        errors.push({
          field: 'involved-to',
          message: 'Enter the date your involvement ended, or select that your agency is still involved',
        });
      else if ('date' in to && 'date' in from && !stillInvolved && to.date < from.date)
        errors.push({
          field: 'involved-to',
          message: 'The date your involvement ended must be after it started',
        });
      if (errors.length > 0)
        return show(request, token, view, { from: fromParts, to: toParts, stillInvolved }, errors);
      const involvedFrom = 'date' in from ? from.date : undefined;
      const involvedTo = !stillInvolved && 'date' in to ? to.date : undefined;
      const { involvedTo: _old, ...rest } = draft;
      return saveAndGo(
        request,
        token,
        { ...rest, involvedFrom, ...(involvedTo ? { involvedTo } : {}), stillInvolved },
        nextPath(request, token, 'period'),
      );
    }),
  ];
}

/** One key practice episode (`/episodes/<n>`, from 1), the list of them, and "add another". */
function episodePages(): Page<AgencyReturnPagesService>[] {
  const path = '/agency/{token}/return/episodes/{number}';
  const numberOf = (request: WebRequest<AgencyReturnPagesService>, draft: ReturnDraftAnswers) => {
    const count = draft.episodes?.length ?? 0;
    const raw = request.params.number ?? '';
    const number = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
    return number >= 1 && number <= count + 1 ? number : undefined;
  };
  const show = (
    request: WebRequest<AgencyReturnPagesService>,
    token: string,
    view: AgencyReturnView,
    number: number,
    values: { date: ReturnType<typeof partsOf>; whatHappened: string; decidedAndWhy: string },
    errors?: InvalidField[],
  ) =>
    render(
      'agency/return-episode.njk',
      {
        pageTitle: `Key practice episode ${number}`,
        ...heading(view),
        number,
        values,
        action: formAction(request),
        backLink: `${base(token)}/${number === 1 ? 'summary' : 'episodes'}`,
        ...(errors ? { errors: formErrors(errors) } : {}),
      },
      errors ? 400 : 200,
    );
  return [
    returnPage('GET', '/agency/{token}/return/episodes', async (_request, token, { view, draft }) => {
      const episodes = draft.episodes ?? [];
      if (episodes.length === 0) return redirect(`${base(token)}/episodes/1`);
      return render('agency/return-episodes.njk', {
        pageTitle: `You have added ${episodes.length} key practice ${episodes.length === 1 ? 'episode' : 'episodes'}`,
        ...heading(view),
        episodes: episodes.map((episode, index) => ({
          ...episode,
          when: dateInWords(episode.date),
          changePath: `${base(token)}/episodes/${index + 1}`,
        })),
        addPath: `${base(token)}/episodes/${episodes.length + 1}`,
        continuePath: `${base(token)}/actions`,
        backLink: `${base(token)}/summary`,
      });
    }),
    returnPage('GET', path, async (request, token, { view, draft }) => {
      const number = numberOf(request, draft);
      if (!number) return redirect(`${base(token)}/episodes`);
      const episode = draft.episodes?.[number - 1];
      return show(request, token, view, number, {
        date: partsOf(episode?.date),
        whatHappened: episode?.whatHappened ?? '',
        decidedAndWhy: episode?.decidedAndWhy ?? '',
      });
    }),
    returnPage('POST', path, async (request, token, { view, draft }) => {
      const number = numberOf(request, draft);
      if (!number) return redirect(`${base(token)}/episodes`);
      const dateParts = datePartsFrom(request.form, 'date');
      const whatHappened = request.form.get('whatHappened') ?? '';
      const decidedAndWhy = request.form.get('decidedAndWhy') ?? '';
      const errors: InvalidField[] = [];
      const date = dateFromParts(dateParts, 'The date of the episode');
      if ('empty' in date) errors.push({ field: 'date', message: 'Enter the date of the episode' });
      else if ('error' in date) errors.push({ field: 'date', message: date.error });
      errors.push(
        ...checkField(
          practiceEpisode.shape.whatHappened,
          whatHappened,
          'whatHappened',
          'Enter what happened',
        ),
        ...checkField(
          practiceEpisode.shape.decidedAndWhy,
          decidedAndWhy,
          'decidedAndWhy',
          'Enter what was decided and why',
        ),
      );
      if (errors.length > 0 || !('date' in date))
        return show(request, token, view, number, { date: dateParts, whatHappened, decidedAndWhy }, errors);
      const episodes = [...(draft.episodes ?? [])];
      episodes[number - 1] = {
        date: date.date,
        whatHappened: whatHappened.trim(),
        decidedAndWhy: decidedAndWhy.trim(),
      };
      return saveAndGo(request, token, { ...draft, episodes }, `${base(token)}/episodes`);
    }),
    returnPage(
      'POST',
      '/agency/{token}/return/episodes/{number}/remove',
      async (request, token, { draft }) => {
        const number = numberOf(request, draft);
        const episodes = [...(draft.episodes ?? [])];
        if (number && number <= episodes.length) episodes.splice(number - 1, 1);
        return saveAndGo(request, token, { ...draft, episodes }, `${base(token)}/episodes`);
      },
    ),
  ];
}

export const agencyReturnPages: Page<AgencyReturnPagesService>[] = [
  returnPage('GET', '/agency/{token}/return', async (_request, token, { view, draft }) => {
    return render('agency/return-start.njk', {
      pageTitle: 'Has your agency had any involvement with this child or family?',
      ...heading(view),
      kind: draft.kind,
      view,
      backLink: `/agency/${encodeURIComponent(token)}`,
    });
  }),
  returnPage('POST', '/agency/{token}/return', async (request, token, { view, draft }) => {
    const kind = request.form.get('kind');
    if (kind !== 'involvement' && kind !== 'no-involvement') {
      return render(
        'agency/return-start.njk',
        {
          pageTitle: 'Has your agency had any involvement with this child or family?',
          ...heading(view),
          view,
          backLink: `/agency/${encodeURIComponent(token)}`,
          errors: formErrors([
            {
              field: 'kind',
              message: 'Select whether your agency has had involvement with this child or family',
            },
          ]),
        },
        400,
      );
    }
    return saveAndGo(
      request,
      token,
      { ...draft, kind },
      `${base(token)}/${kind === 'no-involvement' ? 'no-involvement' : 'period'}`,
    );
  }),
  returnPage('GET', '/agency/{token}/return/no-involvement', async (_request, token, { view }) => {
    return render('agency/return-no-involvement.njk', {
      pageTitle: 'Confirm that your agency has had no involvement',
      ...heading(view),
      view,
      backLink: base(token),
    });
  }),
  returnPage('POST', '/agency/{token}/return/no-involvement', async (request, token, { view }) => {
    if (request.form.get('confirmed') !== 'yes') {
      return render(
        'agency/return-no-involvement.njk',
        {
          pageTitle: 'Confirm that your agency has had no involvement',
          ...heading(view),
          view,
          backLink: base(token),
          errors: formErrors([
            {
              field: 'confirmed',
              message: 'Confirm that your agency has had no involvement with this child or family',
            },
          ]),
        },
        400,
      );
    }
    await submitAgencyReturn(request.service, {
      token,
      answers: { kind: 'no-involvement', confirmed: true },
    });
    return redirect(`${base(token)}/received`);
  }),
  ...periodPages(),
  ...textQuestions.flatMap(textQuestionPages),
  ...episodePages(),
  returnPage('GET', '/agency/{token}/return/check', async (_request, token, { view, draft }) => {
    if (!draft.kind) return redirect(base(token));
    return render('agency/return-check.njk', {
      pageTitle: 'Check your answers before sending your return',
      ...heading(view),
      view,
      rows: summaryRows(token, draft, true),
      backLink: `${base(token)}/characteristics`,
      correctableUntil: inWords(view.correctableUntil),
    });
  }),
  returnPage('POST', '/agency/{token}/return/check', async (request, token, { view, draft }) => {
    try {
      await submitAgencyReturn(request.service, { token, answers: answersFromDraft(draft) });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const fields = error.fields.map((found) => ({
        field: found.field,
        message: missingAnswer[found.field] ?? `${found.message}`,
      }));
      const errors = formErrors(fields);
      // Each error links to the page that asks for it.
      errors.errorList = errors.errorList.map((item, index) => ({
        ...item,
        href: pageOfField(token, fields[index]?.field ?? ''),
      }));
      return render(
        'agency/return-check.njk',
        {
          pageTitle: 'Check your answers before sending your return',
          ...heading(view),
          view,
          rows: summaryRows(token, draft, true),
          backLink: `${base(token)}/characteristics`,
          correctableUntil: inWords(view.correctableUntil),
          errors,
        },
        400,
      );
    }
    return redirect(`${base(token)}/received`);
  }),
  {
    method: 'GET',
    path: '/agency/{token}/return/received',
    access: publicAccess,
    capabilityInPath: true,
    handle: (request) =>
      answering(async () => {
        const token = request.params.token ?? '';
        const { view } = await showAgencyReturn(request.service, { token });
        const latest = view.latest;
        if (!latest) return redirect(base(token));
        return render('agency/return-received.njk', {
          pageTitle: 'Return received',
          ...heading(view),
          view,
          version: latest.version,
          receivedAt: inWords(latest.submittedAt),
          rows: summaryRows(token, draftFromReturn(latest.answers), false),
          correctableUntil: inWords(view.correctableUntil),
          agencyPath: `/agency/${encodeURIComponent(token)}`,
          correctPath: `${base(token)}/check`,
        });
      }),
  },
];
