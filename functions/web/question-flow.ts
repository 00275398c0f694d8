import { DomainError, type InvalidField, InvalidInputError } from '../../shared/errors.ts';
import { expectedProblem, type Problem } from '../../shared/http/problem.ts';
import { notFound, type Page, type PageAccess, type PageResult, render, type WebRequest } from './page.ts';

/**
 * The shape every "record one thing on a case" page follows (the chair's decision, a partner's
 * sign-off, the Executive Board's resolution, the Panel's reply): the questions, check your
 * answers, then confirm. The answers travel in the forms themselves (hidden fields on the check
 * page), so nothing is stored until the person confirms, and confirming redirects to a
 * confirmation page of the flow's own (post/redirect/get).
 *
 *   GET  {path}          the questions
 *   POST {path}          the questions again with the answers given ("Change")
 *   POST {path}/check    the questions with errors, or check your answers
 *   POST {path}/confirm  records the answers (the flow redirects to its confirmation)
 */
export interface QuestionFlow<C, A> {
  /** The questions' path, e.g. `/cases/{caseId}/decision`. */
  path: string;
  access: PageAccess;
  /** What the answers are about (the case, the signer's partner), or the page to show instead. */
  load(request: WebRequest): Promise<{ context: C } | { result: PageResult }>;
  /** The answers as the form gives them. */
  answersFrom(form: URLSearchParams): A;
  /** The question page, with the answers given so far and the fields to mend. */
  question(request: WebRequest, context: C, answers: A, errors?: InvalidField[]): PageResult;
  /** The question page with errors, or the check-your-answers page. */
  check(request: WebRequest, context: C, answers: A): PageResult | Promise<PageResult>;
  /** Records the answers: a redirect to the confirmation, or the page saying why not. */
  confirm(request: WebRequest, context: C, answers: A): Promise<PageResult>;
}

/** The four pages of a question flow. */
export function questionFlowPages<C, A>(flow: QuestionFlow<C, A>): Page[] {
  const step =
    (run: (request: WebRequest, context: C) => PageResult | Promise<PageResult>) =>
    async (request: WebRequest): Promise<PageResult> => {
      const found = await flow.load(request);
      return 'result' in found ? found.result : run(request, found.context);
    };
  const given = (request: WebRequest) => flow.answersFrom(request.form);
  return [
    {
      method: 'GET',
      path: flow.path,
      access: flow.access,
      handle: step((request, context) =>
        flow.question(request, context, flow.answersFrom(new URLSearchParams())),
      ),
    },
    {
      method: 'POST',
      path: flow.path,
      access: flow.access,
      handle: step((request, context) => flow.question(request, context, given(request))),
    },
    {
      method: 'POST',
      path: `${flow.path}/check`,
      access: flow.access,
      handle: step((request, context) => flow.check(request, context, given(request))),
    },
    {
      method: 'POST',
      path: `${flow.path}/confirm`,
      access: flow.access,
      handle: step((request, context) => flow.confirm(request, context, given(request))),
    },
  ];
}

/** A refusal in words (the case moved on, already recorded, not allowed), with a link back to the case. */
export function problemPage(caseId: string, answer: Problem): PageResult {
  return render('decision/problem.njk', { pageTitle: answer.title, answer, caseId }, answer.status);
}

/**
 * What a refused confirmation shows: the questions again naming the fields the use case refused,
 * "not found" for a case that is not there, or the refusal in words. Anything else is thrown.
 */
export function refusalPage(
  error: unknown,
  caseId: string,
  question: (errors: InvalidField[]) => PageResult,
): PageResult {
  if (error instanceof InvalidInputError) return question(error.fields);
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'not-found') return notFound();
  return problemPage(caseId, expectedProblem(error) as Problem);
}
