import {
  partnerOf,
  type SafeguardingPartner,
  safeguardingPartnerNames,
} from '../../../shared/config/partnership-profile.ts';
import type { InvalidField } from '../../../shared/errors.ts';
import { type CaseRecord, signOffAnswer, signOffResolutionAnswer } from '../../../shared/schemas/case.ts';
import { caseId as caseIdSchema, textMessages } from '../../../shared/schemas/primitives.ts';
import {
  recordSignOff,
  resolutionRefusal,
  resolveSignOffs,
  signOffRefusal,
} from '../../../shared/use-cases/sign-off.ts';
import { invalidFields } from '../../../shared/validation.ts';
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
 * The partners' sign-offs on the chair's decision and the Executive Board chair's resolution of a
 * disagreement (issue 9 part 4): each a question page, a check-your-answers page and a
 * confirmation (post/redirect/get), running the same use cases as the API
 * (shared/use-cases/sign-off.ts). The answers travel in the forms until confirmed.
 *
 *   GET  /cases/{caseId}/sign-off                          the question (a safeguarding partner)
 *   POST /cases/{caseId}/sign-off                          the question with the answers given ("Change")
 *   POST /cases/{caseId}/sign-off/check                    the question with errors, or check your answers
 *   POST /cases/{caseId}/sign-off/confirm                  records the sign-off → the confirmation
 *   GET  /cases/{caseId}/sign-off/confirmation             "Sign-off recorded"
 *   …and the same five under /cases/{caseId}/sign-offs/resolution for the Executive Board chair.
 */

const partnerOnly = staffOnly('safeguarding-partner');
const boardOnly = staffOnly('executive-board');

/** Field ids on the pages, by the answers' field names. */
export const signOffFieldIds = { agrees: 'agrees', reasons: 'reasons' } as const;
export const resolutionFieldIds = { outcome: 'outcome', reasons: 'resolution-reasons' } as const;

const messages: Record<string, { missing: string; tooLong: string; controls: string }> = {
  agrees: {
    missing: 'Select yes if your partner agrees with the decision',
    tooLong: '',
    controls: '',
  },
  reasons: {
    missing: 'Enter why your partner does not agree with the decision',
    tooLong: 'The reasons must be 4,000 characters or fewer',
    controls: 'The reasons must not contain control characters',
  },
  outcome: {
    missing: 'Select whether the decision stands or the Executive Board varies it',
    tooLong: '',
    controls: '',
  },
};
const resolutionMessages = {
  ...messages,
  reasons: {
    missing: 'Enter the reasons for the resolution',
    tooLong: 'The reasons must be 4,000 characters or fewer',
    controls: 'The reasons must not contain control characters',
  },
};

function pageMessages(fields: readonly InvalidField[], words: typeof messages): InvalidField[] {
  return fields.map(({ field, message }) => {
    const known = words[field];
    if (!known) return { field, message };
    if (message === textMessages.multiLine && known.controls) return { field, message: known.controls };
    if (/characters or fewer/.test(message) && known.tooLong) return { field, message: known.tooLong };
    return { field, message: known.missing };
  });
}

interface SignOffAnswers {
  agrees: string;
  reasons: string;
}
interface ResolutionAnswers {
  outcome: string;
  reasons: string;
}

const signOffAnswersFrom = (form: URLSearchParams): SignOffAnswers => ({
  agrees: form.get('agrees') ?? '',
  reasons: form.get('reasons') ?? '',
});
const resolutionAnswersFrom = (form: URLSearchParams): ResolutionAnswers => ({
  outcome: form.get('outcome') ?? '',
  reasons: form.get('reasons') ?? '',
});

/** The JSON body POST /api/cases/{caseId}/sign-offs takes, from the page's answers. */
export function signOffBody(answers: SignOffAnswers) {
  const agrees = answers.agrees === 'yes' ? true : answers.agrees === 'no' ? false : undefined;
  return { agrees, ...(answers.reasons.trim() ? { reasons: answers.reasons } : {}) };
}
const resolutionBody = (answers: ResolutionAnswers) => ({
  outcome: answers.outcome || undefined,
  reasons: answers.reasons,
});

function signOffErrors(answers: SignOffAnswers): InvalidField[] {
  const parsed = signOffAnswer.safeParse(signOffBody(answers));
  return parsed.success ? [] : pageMessages(invalidFields(parsed.error), messages);
}
function resolutionErrors(answers: ResolutionAnswers): InvalidField[] {
  const parsed = signOffResolutionAnswer.safeParse(resolutionBody(answers));
  return parsed.success ? [] : pageMessages(invalidFields(parsed.error), resolutionMessages);
}

/** The decision as the pages show it: what the partner signs off. */
function decisionShown(record: CaseRecord) {
  const decision = record.decision;
  if (!decision) return undefined;
  return {
    commissionLocalReview: decision.commissionLocalReview ? 'Yes' : 'No',
    localReviewReason: decision.localReviewReason,
    recommendNationalReview: decision.recommendNationalReview ? 'Yes' : 'No',
    nationalReviewReason: decision.nationalReviewReason,
    decidedAt: londonDateTime(decision.decidedAt),
    decidedBy: decision.decidedByName ?? 'the chair',
  };
}

async function caseOf(request: WebRequest): Promise<CaseRecord | undefined> {
  const parsed = caseIdSchema.safeParse(request.params.caseId);
  if (!parsed.success) return undefined;
  return request.service.cases.getCase(parsed.data);
}

/** The case and the signed-in person's partner, or why they cannot sign off now. */
async function caseForSignOff(
  request: WebRequest,
): Promise<{ record: CaseRecord; partner: SafeguardingPartner } | { result: PageResult }> {
  const record = await caseOf(request);
  if (!record) return { result: notFound() };
  const partner = partnerOf(request.service.profile, request.user?.email);
  if (!partner) {
    return {
      result: problemPage(record.caseId, {
        status: 403,
        title: 'You cannot sign off for a partner',
        detail:
          "Your email is not named as a safeguarding partner's lead or delegate for this partnership. Ask the partnership team to add you.",
      }),
    };
  }
  const refused = signOffRefusal(record, partner);
  if (refused) {
    return {
      result: problemPage(record.caseId, {
        status: 409,
        title: refused.title,
        detail: refused.message,
      }),
    };
  }
  return { record, partner };
}

async function caseForResolution(
  request: WebRequest,
): Promise<{ record: CaseRecord } | { result: PageResult }> {
  const record = await caseOf(request);
  if (!record) return { result: notFound() };
  const refused = resolutionRefusal(record);
  if (refused) {
    return {
      result: problemPage(record.caseId, { status: 409, title: refused.title, detail: refused.message }),
    };
  }
  return { record };
}

function signOffQuestion(
  record: CaseRecord,
  partner: SafeguardingPartner,
  answers: SignOffAnswers,
  errors?: InvalidField[],
): PageResult {
  return render(
    'sign-off/question.njk',
    {
      pageTitle: 'Sign off the decision',
      record,
      partnerName: safeguardingPartnerNames[partner],
      decision: decisionShown(record),
      answers,
      ids: signOffFieldIds,
      ...(errors?.length
        ? { errors: formErrors(errors, (field) => signOffFieldIds[field as 'agrees'] ?? field) }
        : {}),
    },
    errors?.length ? 400 : 200,
  );
}

/** The partners' sign-offs, in words, for the Board chair's page. */
function signOffsShown(record: CaseRecord) {
  return (record.signOffs ?? []).map((signOff) => ({
    partnerName: safeguardingPartnerNames[signOff.partner],
    rows: [
      { key: { text: 'Answer' }, value: { text: signOff.agrees ? 'Agrees' : 'Does not agree' } },
      ...(signOff.reasons ? [{ key: { text: 'Why not' }, value: { text: signOff.reasons } }] : []),
      {
        key: { text: 'Signed off by' },
        value: { text: `${signOff.signedByName}, ${londonDateTime(signOff.signedAt)}` },
      },
    ],
  }));
}

function resolutionQuestion(
  record: CaseRecord,
  answers: ResolutionAnswers,
  errors?: InvalidField[],
): PageResult {
  return render(
    'sign-off/resolution.njk',
    {
      pageTitle: 'Resolve the partners’ disagreement',
      record,
      decision: decisionShown(record),
      signOffs: signOffsShown(record),
      answers,
      ids: resolutionFieldIds,
      ...(errors?.length
        ? { errors: formErrors(errors, (field) => resolutionFieldIds[field as 'outcome'] ?? field) }
        : {}),
    },
    errors?.length ? 400 : 200,
  );
}

/** Maps a use case's refusal to the page: the question with errors, not found, or the problem page. */
const outcomeWords: Record<string, string> = {
  'decision-stands': 'The chair’s decision stands',
  'decision-varied': 'The Executive Board varies the decision',
};

export const signOffPages: Page[] = [
  ...questionFlowPages<{ record: CaseRecord; partner: SafeguardingPartner }, SignOffAnswers>({
    path: '/cases/{caseId}/sign-off',
    access: partnerOnly,
    async load(request) {
      const found = await caseForSignOff(request);
      return 'result' in found ? found : { context: found };
    },
    answersFrom: signOffAnswersFrom,
    question: (_request, { record, partner }, answers, errors) =>
      signOffQuestion(record, partner, answers, errors),
    check(_request, { record, partner }, answers) {
      const errors = signOffErrors(answers);
      if (errors.length) return signOffQuestion(record, partner, answers, errors);
      return render('sign-off/check.njk', {
        pageTitle: 'Check your sign-off before you record it',
        record,
        answers,
        rows: [
          { key: { text: 'Safeguarding partner' }, value: { text: safeguardingPartnerNames[partner] } },
          {
            key: { text: 'Agrees with the decision' },
            value: { text: answers.agrees === 'yes' ? 'Yes' : 'No' },
          },
          ...(answers.agrees === 'no'
            ? [{ key: { text: 'Why not' }, value: { text: answers.reasons } }]
            : []),
        ],
      });
    },
    async confirm(request, { record, partner }, answers) {
      try {
        await recordSignOff(request.service, {
          caseId: record.caseId,
          answer: signOffBody(answers),
          partner: request.user ?? { id: '', roles: [] },
        });
      } catch (error) {
        return refusalPage(error, record.caseId, (fields) =>
          signOffQuestion(record, partner, answers, pageMessages(fields, messages)),
        );
      }
      return redirect(`/cases/${record.caseId}/sign-off/confirmation`);
    },
  }),
  {
    method: 'GET',
    path: '/cases/{caseId}/sign-off/confirmation',
    access: partnerOnly,
    async handle(request) {
      const record = await caseOf(request);
      if (!record) return notFound();
      const partner = partnerOf(request.service.profile, request.user?.email);
      const signOff = record.signOffs?.find((given) => given.partner === partner);
      if (!partner || !signOff) return redirect(`/cases/${record.caseId}/sign-off`);
      return render('sign-off/confirmation.njk', {
        pageTitle: 'Sign-off recorded',
        record,
        partnerName: safeguardingPartnerNames[partner],
        agrees: signOff.agrees,
        signedAt: londonDateTime(signOff.signedAt),
      });
    },
  },
  ...questionFlowPages<CaseRecord, ResolutionAnswers>({
    path: '/cases/{caseId}/sign-offs/resolution',
    access: boardOnly,
    async load(request) {
      const found = await caseForResolution(request);
      return 'result' in found ? found : { context: found.record };
    },
    answersFrom: resolutionAnswersFrom,
    question: (_request, record, answers, errors) => resolutionQuestion(record, answers, errors),
    check(_request, record, answers) {
      const errors = resolutionErrors(answers);
      if (errors.length) return resolutionQuestion(record, answers, errors);
      return render('sign-off/resolution-check.njk', {
        pageTitle: 'Check the resolution before you record it',
        record,
        answers,
        outcome: outcomeWords[answers.outcome],
      });
    },
    async confirm(request, record, answers) {
      try {
        await resolveSignOffs(request.service, {
          caseId: record.caseId,
          answer: resolutionBody(answers),
          boardChair: request.user ?? { id: '', roles: [] },
        });
      } catch (error) {
        return refusalPage(error, record.caseId, (fields) =>
          resolutionQuestion(record, answers, pageMessages(fields, resolutionMessages)),
        );
      }
      return redirect(`/cases/${record.caseId}/sign-offs/resolution/confirmation`);
    },
  }),
  {
    method: 'GET',
    path: '/cases/{caseId}/sign-offs/resolution/confirmation',
    access: boardOnly,
    async handle(request) {
      const record = await caseOf(request);
      if (!record) return notFound();
      const resolution = record.signOffResolution;
      if (!resolution) return redirect(`/cases/${record.caseId}/sign-offs/resolution`);
      return render('sign-off/resolution-confirmation.njk', {
        pageTitle: 'Resolution recorded',
        record,
        outcome: outcomeWords[resolution.outcome],
        resolvedAt: londonDateTime(resolution.resolvedAt),
      });
    },
  },
];
