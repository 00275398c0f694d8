import type { InvalidField } from '../../../shared/errors.ts';
import { type CaseRecord, rapidReviewDecision } from '../../../shared/schemas/case.ts';
import { caseId as caseIdSchema, textMessages } from '../../../shared/schemas/primitives.ts';
import { recordDecision } from '../../../shared/use-cases/record-decision.ts';
import { invalidFields } from '../../../shared/validation.ts';
import { clocksInWords, clocksOf } from '../../../shared/workflow/clocks-wording.ts';
import {
  fifteenWorkingDays,
  leadAndDelegatedPartners,
  regulation11,
  regulation11Note,
  safeguardingPartners,
  workingTogether2023,
} from '../../../shared/workflow/criteria.ts';
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

/**
 * The Rapid Review Group chair's decision: the question page (both answers with their reasons),
 * a check-your-answers page, and a confirmation. The answers travel in the forms themselves
 * (hidden fields on the check page), so nothing is stored until the chair confirms; confirming
 * runs the same use case as POST /api/cases/{caseId}/decision (shared/use-cases/record-decision.ts).
 *
 *   GET  /cases/{caseId}/decision               the questions
 *   POST /cases/{caseId}/decision               the questions again with the answers given ("Change")
 *   POST /cases/{caseId}/decision/check         checks the answers: the form with errors, or check your answers
 *   POST /cases/{caseId}/decision/confirm       records the decision → the confirmation
 *   GET  /cases/{caseId}/decision/confirmation  "Decision recorded"
 */

const chairOnly = staffOnly('rrg-chair');

/** The question page's field ids, by the decision's field names. */
export const decisionFieldIds = {
  commissionLocalReview: 'commission-local-review',
  localReviewReason: 'local-review-reason',
  recommendNationalReview: 'recommend-national-review',
  nationalReviewReason: 'national-review-reason',
} as const;

type DecisionField = keyof typeof decisionFieldIds;

/** What a question page's fields hold, as posted. */
export interface DecisionAnswers {
  commissionLocalReview: string;
  localReviewReason: string;
  recommendNationalReview: string;
  nationalReviewReason: string;
}

const messages: Record<DecisionField, { missing: string; tooLong?: string; controls?: string }> = {
  commissionLocalReview: {
    missing: 'Select yes if the group commissions a local child safeguarding practice review',
  },
  localReviewReason: {
    missing: 'Enter the reason for the decision on a local review',
    tooLong: 'The reason for the decision on a local review must be 4,000 characters or fewer',
    controls: 'The reason for the decision on a local review must not contain control characters',
  },
  recommendNationalReview: {
    missing: 'Select yes if the group recommends a national review to the Panel',
  },
  nationalReviewReason: {
    missing: 'Enter the reason for the recommendation on a national review',
    tooLong: 'The reason for the recommendation on a national review must be 4,000 characters or fewer',
    controls: 'The reason for the recommendation on a national review must not contain control characters',
  },
};

function answersFrom(form: URLSearchParams): DecisionAnswers {
  return {
    commissionLocalReview: form.get('commissionLocalReview') ?? '',
    localReviewReason: form.get('localReviewReason') ?? '',
    recommendNationalReview: form.get('recommendNationalReview') ?? '',
    nationalReviewReason: form.get('nationalReviewReason') ?? '',
  };
}

const yesNo = (value: string): boolean | undefined =>
  value === 'yes' ? true : value === 'no' ? false : undefined;

/** The JSON body POST /api/cases/{caseId}/decision takes, from the page's answers. */
export function decisionBody(answers: DecisionAnswers) {
  return {
    commissionLocalReview: yesNo(answers.commissionLocalReview),
    localReviewReason: answers.localReviewReason,
    recommendNationalReview: yesNo(answers.recommendNationalReview),
    nationalReviewReason: answers.nationalReviewReason,
  };
}

/** The page's words for what the decision's schema (the logic's own rules) finds wrong. */
function pageMessages(fields: readonly InvalidField[]): InvalidField[] {
  return fields.map(({ field, message }) => {
    const known = messages[field as DecisionField];
    if (!known) return { field, message };
    if (message === textMessages.multiLine && known.controls) return { field, message: known.controls };
    const tooLong = /characters or fewer/.test(message);
    return { field, message: tooLong && known.tooLong ? known.tooLong : known.missing };
  });
}

const idFor = (field: string): string => decisionFieldIds[field as DecisionField] ?? field;

/** The errors of a decision's answers, in the order of the page; none when the logic would accept them. */
export function decisionErrors(answers: DecisionAnswers): InvalidField[] {
  const parsed = rapidReviewDecision.safeParse(decisionBody(answers));
  if (parsed.success) return [];
  const order = Object.keys(decisionFieldIds);
  return pageMessages(invalidFields(parsed.error)).sort(
    (a, b) => order.indexOf(a.field) - order.indexOf(b.field),
  );
}

/**
 * Why a case without a decision is not waiting for one, by its status: the papers not yet sent
 * only before they go, never on a review that stopped or ended after they went.
 */
const whyNotAwaiting: Partial<Record<CaseRecord['status'], string>> = {
  notified: 'is not waiting for the group’s decision yet: the papers have not been sent to the group.',
  'awaiting-summaries':
    'is not waiting for the group’s decision yet: the agencies’ summaries are still being gathered.',
  collating: 'is not waiting for the group’s decision yet: the papers have not been sent to the group.',
  failed:
    'has stopped: something went wrong with this review’s timetable. The service’s support team has been told.',
  closed: 'was closed as notification only. No Rapid Review will be held.',
  withdrawn: 'was withdrawn. No decision is needed.',
};

/** The case, or why the chair cannot decide on it now (not found, already decided, not awaiting). */
async function caseForDecision(
  request: WebRequest,
): Promise<{ record: CaseRecord } | { result: PageResult }> {
  const parsed = caseIdSchema.safeParse(request.params.caseId);
  if (!parsed.success) return { result: notFound() };
  const record = await request.service.cases.getCase(parsed.data);
  if (!record) return { result: notFound() };
  if (record.decision) {
    return {
      result: problemPage(record.caseId, {
        status: 409,
        title: 'Already decided',
        detail: `The decision on case ${record.reference} was already recorded at ${londonDateTime(record.decision.decidedAt)}. It cannot be recorded again.`,
      }),
    };
  }
  if (record.status !== 'awaiting-decision') {
    return {
      result: problemPage(record.caseId, {
        status: 409,
        title: 'Not awaiting a decision',
        detail: `Case ${record.reference} ${whyNotAwaiting[record.status] ?? 'is not waiting for the group’s decision.'}`,
      }),
    };
  }
  return { record };
}

function questionPage(record: CaseRecord, answers: DecisionAnswers, errors?: InvalidField[]): PageResult {
  return render(
    'decision/question.njk',
    {
      pageTitle: 'Record the Rapid Review Group’s decision',
      record,
      criteria: {
        regulation11,
        regulation11Note,
        workingTogether2023,
        safeguardingPartners,
        leadAndDelegatedPartners,
      },
      due: { clocks: clocksInWords(clocksOf(record.timetable)).sentence, fifteenWorkingDays },
      answers,
      ids: decisionFieldIds,
      ...(errors?.length ? { errors: formErrors(errors, idFor) } : {}),
    },
    errors?.length ? 400 : 200,
  );
}

export const decisionPages: Page[] = [
  ...questionFlowPages<CaseRecord, DecisionAnswers>({
    path: '/cases/{caseId}/decision',
    access: chairOnly,
    async load(request) {
      const found = await caseForDecision(request);
      return 'result' in found ? found : { context: found.record };
    },
    answersFrom,
    question: (_request, record, answers, errors) => questionPage(record, answers, errors),
    check(_request, record, answers) {
      const errors = decisionErrors(answers);
      if (errors.length) return questionPage(record, answers, errors);
      return render('decision/check.njk', {
        pageTitle: 'Check the decision before you record it',
        record,
        answers,
        ids: decisionFieldIds,
      });
    },
    async confirm(request, record, answers) {
      try {
        // Chair-only page: the router lets only a signed-in chair through.
        const chair = request.user ?? { id: '', roles: [] };
        await recordDecision(request.service, {
          caseId: record.caseId,
          decision: decisionBody(answers),
          chair,
        });
      } catch (error) {
        return refusalPage(error, record.caseId, (fields) =>
          questionPage(record, answers, pageMessages(fields)),
        );
      }
      return redirect(`/cases/${record.caseId}/decision/confirmation`);
    },
  }),
  {
    method: 'GET',
    path: '/cases/{caseId}/decision/confirmation',
    access: chairOnly,
    async handle(request) {
      const parsed = caseIdSchema.safeParse(request.params.caseId);
      if (!parsed.success) return notFound();
      const record = await request.service.cases.getCase(parsed.data);
      if (!record) return notFound();
      if (!record.decision) return redirect(`/cases/${record.caseId}/decision`);
      return render('decision/confirmation.njk', {
        pageTitle: 'Decision recorded',
        record,
        decidedAt: londonDateTime(record.decision.decidedAt),
        panelMailbox: request.service.profile.panelMailbox,
      });
    },
  },
];
