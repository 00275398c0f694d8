import { rulesOf } from '../../../shared/config/partnership-profile.ts';
import { CaseNotFoundError, type InvalidField } from '../../../shared/errors.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import { caseId as caseIdSchema } from '../../../shared/schemas/primitives.ts';
import type { CaseFile } from '../../../shared/stores/case-store.ts';
import {
  panelReplyOn,
  panelReplyRefusal,
  recordPanelReply,
  repliedOnLabel,
  submittedOnOf,
} from '../../../shared/use-cases/record-panel-reply.ts';
import { formatDate, isoDateOf } from '../../../shared/workflow/london-time.ts';
import { formErrors } from '../forms.ts';
import {
  notFound,
  type Page,
  type PageResult,
  redirect,
  render,
  staffOnly,
  type WebRequest,
} from '../page.ts';
import { problemPage, questionFlowPages, refusalPage } from '../question-flow.ts';
import { londonDateTime } from './london.ts';
import { dateFromParts, type FieldWords, namedMessage } from './notify/answers.ts';

/**
 * The Panel's reply (issue 9 part 6): the partnership team records it once the review has gone to
 * the Panel. The question page, a check-your-answers page and a confirmation; the answers travel
 * in the forms (hidden fields on the check page), so nothing is stored until the team confirms;
 * confirming runs the same use case as POST /api/cases/{caseId}/panel-reply
 * (shared/use-cases/record-panel-reply.ts).
 *
 *   GET  /cases/{caseId}/panel-reply               the questions
 *   POST /cases/{caseId}/panel-reply               the questions again with the answers given ("Change")
 *   POST /cases/{caseId}/panel-reply/check         the form with errors, or check your answers
 *   POST /cases/{caseId}/panel-reply/confirm       records the reply → the confirmation
 *   GET  /cases/{caseId}/panel-reply/confirmation  "Panel reply recorded"
 */

const teamOnly = staffOnly('partnership-team');

/** The page's field ids, by the reply's field names. */
export const panelReplyFieldIds = {
  repliedOn: 'repliedOn',
  agreesWithDecision: 'agrees-with-decision',
  nationalReview: 'national-review',
  asksForLocalReview: 'asks-for-local-review',
  comments: 'comments',
  letterReference: 'letter-reference',
} as const;

type ReplyField = keyof typeof panelReplyFieldIds;

/** What the question page's fields hold, as posted. */
export interface PanelReplyAnswers {
  'repliedOn-day': string;
  'repliedOn-month': string;
  'repliedOn-year': string;
  agreesWithDecision: string;
  nationalReview: string;
  asksForLocalReview: string;
  comments: string;
  letterReference: string;
}

const answerNames: (keyof PanelReplyAnswers)[] = [
  'repliedOn-day',
  'repliedOn-month',
  'repliedOn-year',
  'agreesWithDecision',
  'nationalReview',
  'asksForLocalReview',
  'comments',
  'letterReference',
];

const words: Record<string, FieldWords> = {
  repliedOn: { label: repliedOnLabel, enter: 'the date of the Panel’s reply' },
  comments: { label: 'The Panel’s comments', enter: 'the Panel’s comments' },
  letterReference: { label: 'The letter’s reference or title', enter: 'the letter’s reference or title' },
};

const choiceMessages: Partial<Record<ReplyField, string>> = {
  agreesWithDecision: 'Select yes if the Panel agrees with the decision',
  nationalReview: 'Select yes if the Panel will carry out a national review',
  asksForLocalReview: 'Select yes if the Panel asks the partnership for a local review',
};

function answersFrom(form: URLSearchParams): PanelReplyAnswers {
  return Object.fromEntries(
    answerNames.map((name) => [name, form.get(name) ?? '']),
  ) as unknown as PanelReplyAnswers;
}

const yesNo = (value: string): boolean | undefined =>
  value === 'yes' ? true : value === 'no' ? false : undefined;

/** The JSON body POST /api/cases/{caseId}/panel-reply takes, from the page's answers and the date read from its parts. */
export function panelReplyBody(answers: PanelReplyAnswers, repliedOn: string | undefined) {
  const letterReference = answers.letterReference.trim();
  return {
    repliedOn,
    agreesWithDecision: yesNo(answers.agreesWithDecision),
    nationalReview: yesNo(answers.nationalReview),
    asksForLocalReview: yesNo(answers.asksForLocalReview),
    comments: answers.comments,
    ...(letterReference ? { letterReference } : {}),
  };
}

/** The page's words for what the reply's schema (the logic's own rules) finds wrong. */
function pageMessages(fields: readonly InvalidField[]): InvalidField[] {
  return fields.map(({ field, message }) => ({
    field,
    message: choiceMessages[field as ReplyField] ?? namedMessage(message, words[field]),
  }));
}

function dateOf(answers: PanelReplyAnswers, today: string) {
  return dateFromParts(new URLSearchParams({ ...answers }), 'repliedOn', words.repliedOn as FieldWords, {
    today,
    required: true,
  });
}

/** The errors of a reply's answers, in the order of the page; none when the logic would accept them. */
export function panelReplyErrors(
  answers: PanelReplyAnswers,
  rules: { today: string; submittedOn: string | undefined },
): InvalidField[] {
  const date = dateOf(answers, rules.today);
  const parsed = panelReplyOn(rules.today, rules.submittedOn).safeParse(panelReplyBody(answers, date.value));
  const errors: InvalidField[] = date.error ? [{ field: 'repliedOn', message: date.error.message }] : [];
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    errors.push(...pageMessages(fields).filter((error) => !(date.error && error.field === 'repliedOn')));
  }
  const order = Object.keys(panelReplyFieldIds);
  return errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

const idFor = (field: string): string => panelReplyFieldIds[field as ReplyField] ?? field;

/** The date a case's reply may be on at the earliest, and today, in the rules' time zone. */
function rulesFor(request: WebRequest, file: CaseFile) {
  const timeZone = rulesOf(request.service.profile).timeZone;
  return {
    today: isoDateOf(request.service.clock.now(), timeZone),
    submittedOn: submittedOnOf(file, timeZone),
  };
}

/** The case file, or why the team cannot record a reply on it now (not found, already recorded, not submitted). */
async function caseForReply(request: WebRequest): Promise<{ file: CaseFile } | { result: PageResult }> {
  const parsed = caseIdSchema.safeParse(request.params.caseId);
  if (!parsed.success) return { result: notFound() };
  let file: CaseFile;
  try {
    file = await request.service.cases.getCaseFile(parsed.data);
  } catch (error) {
    if (error instanceof CaseNotFoundError) return { result: notFound() };
    throw error;
  }
  const record = file.case;
  if (record.panelReply) {
    return {
      result: problemPage(record.caseId, {
        status: 409,
        title: 'Panel reply already recorded',
        detail: `The Panel’s reply on case ${record.reference} was already recorded at ${londonDateTime(record.panelReply.recordedAt)}. It cannot be recorded again.`,
      }),
    };
  }
  if (panelReplyRefusal(record)) {
    return {
      result: problemPage(record.caseId, {
        status: 409,
        title: 'Not yet sent to the Panel',
        detail: `Case ${record.reference} has not gone to the Panel yet. Record the Panel’s reply once the review has been sent.`,
      }),
    };
  }
  return { file };
}

function questionPage(
  request: WebRequest,
  file: CaseFile,
  answers: PanelReplyAnswers,
  errors?: InvalidField[],
): PageResult {
  const { submittedOn } = rulesFor(request, file);
  const summary = errors?.length ? formErrors(errors, idFor) : undefined;
  // The date's error links to its first box, as the GOV.UK date input asks.
  if (summary) {
    for (const item of summary.errorList) if (item.href === '#repliedOn') item.href = '#repliedOn-day';
  }
  return render(
    'panel-reply/question.njk',
    {
      pageTitle: 'Record the Panel’s reply',
      record: file.case,
      submittedOn: submittedOn ? formatDate(submittedOn) : undefined,
      answers,
      dateValues: {
        day: answers['repliedOn-day'],
        month: answers['repliedOn-month'],
        year: answers['repliedOn-year'],
      },
      ids: panelReplyFieldIds,
      ...(summary ? { errors: summary } : {}),
    },
    errors?.length ? 400 : 200,
  );
}

/** The answers as the check page and the hidden fields show them. */
function checkPage(record: CaseRecord, answers: PanelReplyAnswers, repliedOn: string): PageResult {
  return render('panel-reply/check.njk', {
    pageTitle: 'Check the Panel’s reply before you record it',
    record,
    answers,
    repliedOn: formatDate(repliedOn),
    answerNames,
  });
}

export const panelReplyPages: Page[] = [
  ...questionFlowPages<CaseFile, PanelReplyAnswers>({
    path: '/cases/{caseId}/panel-reply',
    access: teamOnly,
    async load(request) {
      const found = await caseForReply(request);
      return 'result' in found ? found : { context: found.file };
    },
    answersFrom,
    question: (request, file, answers, errors) => questionPage(request, file, answers, errors),
    check(request, file, answers) {
      const rules = rulesFor(request, file);
      const errors = panelReplyErrors(answers, rules);
      const repliedOn = dateOf(answers, rules.today).value;
      if (errors.length || !repliedOn) return questionPage(request, file, answers, errors);
      return checkPage(file.case, answers, repliedOn);
    },
    async confirm(request, file, answers) {
      const rules = rulesFor(request, file);
      const date = dateOf(answers, rules.today);
      if (date.error) return questionPage(request, file, answers, panelReplyErrors(answers, rules));
      try {
        // Team-only page: the router lets only a signed-in member of the partnership team through.
        const recordedBy = request.user ?? { id: '', roles: [] };
        await recordPanelReply(request.service, {
          caseId: file.case.caseId,
          reply: panelReplyBody(answers, date.value),
          recordedBy,
        });
      } catch (error) {
        return refusalPage(error, file.case.caseId, (fields) =>
          questionPage(request, file, answers, pageMessages(fields)),
        );
      }
      return redirect(`/cases/${file.case.caseId}/panel-reply/confirmation`);
    },
  }),
  {
    method: 'GET',
    path: '/cases/{caseId}/panel-reply/confirmation',
    access: teamOnly,
    async handle(request) {
      const parsed = caseIdSchema.safeParse(request.params.caseId);
      if (!parsed.success) return notFound();
      const record = await request.service.cases.getCase(parsed.data);
      if (!record) return notFound();
      if (!record.panelReply) return redirect(`/cases/${record.caseId}/panel-reply`);
      return render('panel-reply/confirmation.njk', {
        pageTitle: 'Panel reply recorded',
        record,
        recordedAt: londonDateTime(record.panelReply.recordedAt),
        executiveBoard: request.service.profile.executiveBoard !== undefined,
      });
    },
  },
];
