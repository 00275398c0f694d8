import { ConflictError, InvalidInputError, NotFoundError, RefusedError } from '../../../shared/errors.ts';
import { textMessages } from '../../../shared/schemas/primitives.ts';
import { REPORT_SECTION_MAX_CHARACTERS } from '../../../shared/schemas/report.ts';
import {
  completeReport,
  isReportSection,
  type ReportView,
  reportStatusInWords,
  saveReportSection,
  showReport,
} from '../../../shared/use-cases/rapid-review-report.ts';
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
import { londonDateTime } from './london.ts';

/**
 * The rapid review report (issue 9 part 5), drafted by the partnership team as a GOV.UK task
 * list: one page per section (save and return to the list), and a check page that marks the
 * report complete, which files it as a PDF and a Word copy. The same use cases as
 * PUT /api/cases/{caseId}/report/sections/{section} and POST /api/cases/{caseId}/report/complete.
 *
 *   GET  /cases/{caseId}/report                      the task list
 *   GET  /cases/{caseId}/report/sections/{section}   one section's text
 *   POST /cases/{caseId}/report/sections/{section}   saves it → the task list
 *   GET  /cases/{caseId}/report/complete             check: every section written? then mark it complete
 *   POST /cases/{caseId}/report/complete             marks it complete → the task list
 */

const teamOnly = staffOnly('partnership-team');
const TEXT_FIELD_ID = 'report-text';

/** The report, or the page to answer instead (no such case). */
async function reportOf(request: WebRequest): Promise<ReportView | undefined> {
  try {
    return await showReport(request.service, { caseId: request.params.caseId ?? '' });
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

const statusTags = {
  'not-started': { text: 'Not yet started', classes: 'govuk-tag--blue' },
  completed: { text: 'Completed' },
} as const;

function sectionPage(view: ReportView, key: string, text: string, errorMessage?: string): PageResult {
  const section = view.sections.find((candidate) => candidate.key === key);
  if (!section) return notFound();
  return render(
    'report/section.njk',
    {
      pageTitle: section.title,
      view,
      section,
      text,
      fieldId: TEXT_FIELD_ID,
      maxLength: REPORT_SECTION_MAX_CHARACTERS,
      ...(errorMessage
        ? { errors: formErrors([{ field: TEXT_FIELD_ID, message: errorMessage }], (field) => field) }
        : {}),
    },
    errorMessage ? 400 : 200,
  );
}

/** The page's words for what the section's schema finds wrong. */
function textError(message: string, title: string): string {
  if (message === textMessages.multiLine) return `The text of "${title}" must not contain control characters`;
  if (/characters or fewer/.test(message)) {
    return `The text of "${title}" must be ${REPORT_SECTION_MAX_CHARACTERS.toLocaleString('en-GB')} characters or fewer`;
  }
  return `Enter the text of "${title}"`;
}

function checkPage(view: ReportView, refused = false): PageResult {
  const empty = view.sections.filter((section) => section.status === 'not-started');
  return render(
    'report/check.njk',
    {
      pageTitle: 'Mark the report complete',
      view,
      empty,
      ...(refused && empty.length
        ? {
            errors: {
              errorList: empty.map((section) => ({
                text: `Write the section "${section.title}"`,
                href: `/cases/${view.caseId}/report/sections/${section.key}`,
              })),
              byField: {},
            },
          }
        : {}),
    },
    refused ? 400 : 200,
  );
}

function problemPage(view: ReportView, title: string, detail: string, status = 409): PageResult {
  return render('report/problem.njk', { pageTitle: title, title, detail, caseId: view.caseId }, status);
}

export const reportPages: Page[] = [
  {
    method: 'GET',
    path: '/cases/{caseId}/report',
    access: teamOnly,
    async handle(request) {
      const view = await reportOf(request);
      if (!view) return notFound();
      return render('report/task-list.njk', {
        pageTitle: 'Rapid review report',
        view,
        reportStatus: reportStatusInWords(view.progress),
        completedAt: view.completion ? londonDateTime(view.completion.completedAt) : undefined,
        tasks: view.sections.map((section) => ({
          title: { text: `${section.number}. ${section.title}` },
          hint: { text: section.hint },
          ...(view.completion ? {} : { href: `/cases/${view.caseId}/report/sections/${section.key}` }),
          status: { tag: statusTags[section.status] },
        })),
      });
    },
  },
  {
    method: 'GET',
    path: '/cases/{caseId}/report/sections/{section}',
    access: teamOnly,
    async handle(request) {
      const view = await reportOf(request);
      const key = request.params.section ?? '';
      if (!view || !isReportSection(key)) return notFound();
      if (view.completion) return redirect(`/cases/${view.caseId}/report`);
      return sectionPage(view, key, view.sections.find((section) => section.key === key)?.text ?? '');
    },
  },
  {
    method: 'POST',
    path: '/cases/{caseId}/report/sections/{section}',
    access: teamOnly,
    async handle(request) {
      const view = await reportOf(request);
      const key = request.params.section ?? '';
      if (!view || !isReportSection(key)) return notFound();
      const text = request.form.get('text') ?? '';
      const title = view.sections.find((section) => section.key === key)?.title ?? key;
      try {
        // Team-only page: the router lets only a signed-in member of the team through.
        const author = request.user ?? { id: '', roles: [] };
        await saveReportSection(request.service, {
          caseId: view.caseId,
          section: key,
          body: { text },
          author,
        });
      } catch (error) {
        if (error instanceof InvalidInputError) {
          return sectionPage(view, key, text, textError(error.fields[0]?.message ?? '', title));
        }
        if (error instanceof ConflictError) {
          return problemPage(view, 'Report complete', error.message);
        }
        throw error;
      }
      return redirect(`/cases/${view.caseId}/report`);
    },
  },
  {
    method: 'GET',
    path: '/cases/{caseId}/report/complete',
    access: teamOnly,
    async handle(request) {
      const view = await reportOf(request);
      if (!view) return notFound();
      if (view.completion) return redirect(`/cases/${view.caseId}/report`);
      return checkPage(view);
    },
  },
  {
    method: 'POST',
    path: '/cases/{caseId}/report/complete',
    access: teamOnly,
    async handle(request) {
      const view = await reportOf(request);
      if (!view) return notFound();
      try {
        const author = request.user ?? { id: '', roles: [] };
        await completeReport(request.service, { caseId: view.caseId, author });
      } catch (error) {
        if (error instanceof RefusedError) return checkPage(view, true);
        if (error instanceof ConflictError) return redirect(`/cases/${view.caseId}/report`);
        throw error;
      }
      return redirect(`/cases/${view.caseId}/report`);
    },
  },
];
