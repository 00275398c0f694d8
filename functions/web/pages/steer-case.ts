import { rulesOf } from '../../../shared/config/partnership-profile.ts';
import type { InvalidField } from '../../../shared/errors.ts';
import { expectedProblem } from '../../../shared/http/problem.ts';
import { type CaseRecord, closureAnswers, lateAnswers } from '../../../shared/schemas/case.ts';
import { caseId as caseIdSchema, textMessages } from '../../../shared/schemas/primitives.ts';
import {
  closeAsNotificationOnly,
  closureRefusal,
  lateReasonRefusal,
  recordLateReason,
} from '../../../shared/use-cases/steer-case.ts';
import { invalidFields } from '../../../shared/validation.ts';
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
import { type DatePart, dateFromParts, dateToParts, type FieldWords } from './notify/answers.ts';

/**
 * The partnership team's controls on a running case (issue 9 parts 3 and 6), each a question
 * page, a check-your-answers page and a confirmation (post/redirect/get), running the same use
 * cases as the API (shared/use-cases/steer-case.ts). The answers travel in the forms until confirmed.
 *
 *   GET  /cases/{caseId}/late-reason                       why the review is late, and when it now expects to submit
 *   POST /cases/{caseId}/late-reason                       the questions with the answers given ("Change")
 *   POST /cases/{caseId}/late-reason/check                 the questions with errors, or check your answers
 *   POST /cases/{caseId}/late-reason/confirm               records the reason → the confirmation
 *   GET  /cases/{caseId}/late-reason/confirmation          "Reason recorded"
 *   …and the same five under /cases/{caseId}/notification-only, which closes a looked-after
 *   child's or care leaver's death as notification only, no Rapid Review.
 */

const teamOnly = staffOnly('partnership-team');

async function caseOf(request: WebRequest): Promise<CaseRecord | undefined> {
  const parsed = caseIdSchema.safeParse(request.params.caseId);
  if (!parsed.success) return undefined;
  return request.service.cases.getCase(parsed.data);
}

/** The page's words for a text field's refusals: "Enter …", "… must be 4,000 characters or fewer". */
function textFieldMessage(message: string, words: FieldWords): string {
  if (message === textMessages.multiLine) return `${words.label} must not contain control characters`;
  if (/characters or fewer/.test(message)) return `${words.label} must be 4,000 characters or fewer`;
  return `Enter ${words.enter}`;
}

// ── Why the review is late ───────────────────────────────────────────────────────────────────

/** The late reason page's field ids, by the answers' field names. */
export const lateReasonFieldIds = { reason: 'reason', expectedOn: 'expectedOn' } as const;

const lateWords: Record<'reason' | 'expectedOn', FieldWords> = {
  reason: { label: 'Why the review is late', enter: 'why the review is late' },
  expectedOn: {
    label: 'The date the partnership now expects to submit',
    enter: 'the date the partnership now expects to submit',
  },
};

/** What the late reason page's fields hold, as posted. */
export interface LateReasonAnswers {
  reason: string;
  'expectedOn-day': string;
  'expectedOn-month': string;
  'expectedOn-year': string;
}

const lateAnswerNames: (keyof LateReasonAnswers)[] = [
  'reason',
  'expectedOn-day',
  'expectedOn-month',
  'expectedOn-year',
];

function lateAnswersFrom(form: URLSearchParams): LateReasonAnswers {
  return Object.fromEntries(
    lateAnswerNames.map((name) => [name, form.get(name) ?? '']),
  ) as unknown as LateReasonAnswers;
}

/** A late reason's field errors, with the parts of the date input to mark. */
interface LateErrors {
  fields: InvalidField[];
  dateParts?: DatePart[];
}

/** Today in the partnership's time zone: the earliest date it may now expect to submit. */
const todayFor = (request: WebRequest) =>
  isoDateOf(request.service.clock.now(), rulesOf(request.service.profile).timeZone);

function expectedOnOf(answers: LateReasonAnswers, today: string) {
  return dateFromParts(new URLSearchParams({ ...answers }), 'expectedOn', lateWords.expectedOn, {
    today,
    required: true,
    when: 'future',
  });
}

/** The errors of a late reason's answers, in the order of the page; none when the logic would accept them. */
export function lateReasonErrors(answers: LateReasonAnswers, today: string): LateErrors {
  const fields: InvalidField[] = [];
  const parsed = lateAnswers.shape.reason.safeParse(answers.reason);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? textMessages.required;
    fields.push({ field: 'reason', message: textFieldMessage(message, lateWords.reason) });
  }
  const date = expectedOnOf(answers, today);
  if (date.error) fields.push({ field: 'expectedOn', message: date.error.message });
  return { fields, ...(date.error ? { dateParts: date.error.parts } : {}) };
}

/** The page's words for the fields the use case refused. */
function latePageMessages(fields: readonly InvalidField[]): InvalidField[] {
  return fields.map(({ field, message }) => {
    if (field === 'reason') return { field, message: textFieldMessage(message, lateWords.reason) };
    if (field === 'expectedOn') {
      return { field, message: `${lateWords.expectedOn.label} must be today or in the future` };
    }
    return { field, message };
  });
}

/** Why the team cannot record a late reason on this case now, in words. */
function lateRefusalPage(record: CaseRecord): PageResult | undefined {
  const refused = lateReasonRefusal(record);
  if (!refused) return undefined;
  const detail = !record.late
    ? `Case ${record.reference} is not late: the date it is due has not passed. If it passes before the review goes to the Panel, the Panel is told and you can record here why the review is late.`
    : record.status === 'closed'
      ? `Case ${record.reference} was closed as notification only. No Rapid Review will be held.`
      : record.failure || record.status === 'failed'
        ? `Case ${record.reference} has stopped: something went wrong with this review’s timetable. The service’s support team has been told.`
        : `Case ${record.reference} has already gone to the Panel. Why it was late can no longer be changed.`;
  return problemPage(record.caseId, {
    status: 409,
    title: 'You cannot record why this review is late',
    detail,
  });
}

function lateQuestion(
  request: WebRequest,
  record: CaseRecord,
  answers: LateReasonAnswers,
  errors?: LateErrors,
): PageResult {
  const late = record.late;
  // Changing a recorded reason: the questions start from what was recorded.
  const shown =
    request.method === 'GET' && late?.reason
      ? lateAnswersFrom(
          new URLSearchParams({ reason: late.reason, ...dateToParts('expectedOn', late.expectedOn) }),
        )
      : answers;
  const summary = errors?.fields.length
    ? formErrors(errors.fields, (field) => lateReasonFieldIds[field as 'reason'] ?? field)
    : undefined;
  // The date's error links to its first wrong box, as the GOV.UK date input asks.
  const wrongParts = errors?.dateParts ?? [];
  if (summary) {
    for (const item of summary.errorList) {
      if (item.href === '#expectedOn') item.href = `#expectedOn-${wrongParts[0] ?? 'day'}`;
    }
  }
  return render(
    'late-reason/question.njk',
    {
      pageTitle: late?.reason ? 'Change why the review is late' : 'Record why the review is late',
      record,
      dueDate: late ? formatDate(late.dueDate) : undefined,
      answers: shown,
      dateValues: {
        day: shown['expectedOn-day'],
        month: shown['expectedOn-month'],
        year: shown['expectedOn-year'],
      },
      wrongParts,
      ids: lateReasonFieldIds,
      ...(summary ? { errors: summary } : {}),
    },
    summary ? 400 : 200,
  );
}

// ── Notification only, no Rapid Review ───────────────────────────────────────────────────────

/** The closure page's field ids, by the answers' field names. */
export const closureFieldIds = { reason: 'reason' } as const;

const closureWords: FieldWords = {
  label: 'Why abuse or neglect is not suspected',
  enter: 'why abuse or neglect is not suspected',
};

interface ClosureAnswers {
  reason: string;
}

const closureAnswersFrom = (form: URLSearchParams): ClosureAnswers => ({ reason: form.get('reason') ?? '' });

function closureErrors(answers: ClosureAnswers): InvalidField[] {
  const parsed = closureAnswers.safeParse(answers);
  return parsed.success
    ? []
    : invalidFields(parsed.error).map(({ field, message }) => ({
        field,
        message: textFieldMessage(message, closureWords),
      }));
}

/** Why the team cannot close this case as notification only, in words. */
function closureRefusalPage(record: CaseRecord): PageResult | undefined {
  const refused = closureRefusal(record);
  if (!refused) return undefined;
  const status = expectedProblem(refused)?.status ?? 409;
  const detail = !record.lookedAfterOrCareLeaverDeath
    ? `Only the death of a looked-after child or a care leaver can be closed as notification only, when abuse or neglect is not suspected. Case ${record.reference} is not such a death, so its Rapid Review goes ahead.`
    : record.status === 'closed'
      ? `Case ${record.reference} is already closed as notification only.`
      : `The Rapid Review Group has already decided case ${record.reference}, so it can no longer be closed as notification only.`;
  return problemPage(record.caseId, {
    status,
    title: 'You cannot close this case as notification only',
    detail,
  });
}

function closureQuestion(record: CaseRecord, answers: ClosureAnswers, errors?: InvalidField[]): PageResult {
  return render(
    'notification-only/question.njk',
    {
      pageTitle: 'Close as notification only, no Rapid Review',
      record,
      answers,
      ids: closureFieldIds,
      ...(errors?.length
        ? { errors: formErrors(errors, (field) => closureFieldIds[field as 'reason'] ?? field) }
        : {}),
    },
    errors?.length ? 400 : 200,
  );
}

/** The case, or the page to show instead: not found, or why it cannot be steered so. */
async function caseFor(
  request: WebRequest,
  refusal: (record: CaseRecord) => PageResult | undefined,
): Promise<{ context: CaseRecord } | { result: PageResult }> {
  const record = await caseOf(request);
  if (!record) return { result: notFound() };
  const refused = refusal(record);
  return refused ? { result: refused } : { context: record };
}

export const steerCasePages: Page[] = [
  ...questionFlowPages<CaseRecord, LateReasonAnswers>({
    path: '/cases/{caseId}/late-reason',
    access: teamOnly,
    load: (request) => caseFor(request, lateRefusalPage),
    answersFrom: lateAnswersFrom,
    question: (request, record, answers) => lateQuestion(request, record, answers),
    check(request, record, answers) {
      const today = todayFor(request);
      const errors = lateReasonErrors(answers, today);
      const expectedOn = expectedOnOf(answers, today).value;
      if (errors.fields.length || !expectedOn) return lateQuestion(request, record, answers, errors);
      return render('late-reason/check.njk', {
        pageTitle: 'Check why the review is late before you record it',
        record,
        answers,
        answerNames: lateAnswerNames,
        expectedOn: formatDate(expectedOn),
      });
    },
    async confirm(request, record, answers) {
      const today = todayFor(request);
      const date = expectedOnOf(answers, today);
      if (date.error) return lateQuestion(request, record, answers, lateReasonErrors(answers, today));
      try {
        // Team-only page: the router lets only a signed-in member of the partnership team through.
        await recordLateReason(request.service, {
          caseId: record.caseId,
          answer: { reason: answers.reason, expectedOn: date.value },
          member: request.user ?? { id: '', roles: [] },
        });
      } catch (error) {
        return refusalPage(error, record.caseId, (fields) =>
          lateQuestion(request, record, answers, { fields: latePageMessages(fields) }),
        );
      }
      return redirect(`/cases/${record.caseId}/late-reason/confirmation`);
    },
  }),
  {
    method: 'GET',
    path: '/cases/{caseId}/late-reason/confirmation',
    access: teamOnly,
    async handle(request) {
      const record = await caseOf(request);
      if (!record) return notFound();
      const late = record.late;
      if (!late?.reason || !late.reasonRecordedAt) return redirect(`/cases/${record.caseId}/late-reason`);
      return render('late-reason/confirmation.njk', {
        pageTitle: 'Why the review is late recorded',
        record,
        expectedOn: late.expectedOn ? formatDate(late.expectedOn) : undefined,
        recordedAt: londonDateTime(late.reasonRecordedAt),
      });
    },
  },
  ...questionFlowPages<CaseRecord, ClosureAnswers>({
    path: '/cases/{caseId}/notification-only',
    access: teamOnly,
    load: (request) => caseFor(request, closureRefusalPage),
    answersFrom: closureAnswersFrom,
    question: (_request, record, answers, errors) => closureQuestion(record, answers, errors),
    check(_request, record, answers) {
      const errors = closureErrors(answers);
      if (errors.length) return closureQuestion(record, answers, errors);
      return render('notification-only/check.njk', {
        pageTitle: 'Check before you close the case',
        record,
        answers,
      });
    },
    async confirm(request, record, answers) {
      try {
        await closeAsNotificationOnly(request.service, {
          caseId: record.caseId,
          answer: { reason: answers.reason },
          member: request.user ?? { id: '', roles: [] },
        });
      } catch (error) {
        return refusalPage(error, record.caseId, (fields) =>
          closureQuestion(
            record,
            answers,
            fields.map(({ field, message }) => ({ field, message: textFieldMessage(message, closureWords) })),
          ),
        );
      }
      return redirect(`/cases/${record.caseId}/notification-only/confirmation`);
    },
  }),
  {
    method: 'GET',
    path: '/cases/{caseId}/notification-only/confirmation',
    access: teamOnly,
    async handle(request) {
      const record = await caseOf(request);
      if (!record) return notFound();
      const closure = record.closure;
      if (!closure) return redirect(`/cases/${record.caseId}/notification-only`);
      return render('notification-only/confirmation.njk', {
        pageTitle: 'Case closed as notification only',
        record,
        closedAt: londonDateTime(closure.closedAt),
      });
    },
  },
];
