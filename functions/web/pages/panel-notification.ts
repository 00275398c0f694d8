import {
  CaseNotFoundError,
  DomainError,
  type InvalidField,
  InvalidInputError,
} from '../../../shared/errors.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import { caseId as caseIdSchema } from '../../../shared/schemas/primitives.ts';
import {
  PANEL_NOTIFICATION_MAX_BYTES,
  panelNotificationRefusal,
  sentThisCase,
  uploaderOf,
  uploadPanelNotification,
} from '../../../shared/use-cases/panel-notification.ts';
import { formErrors } from '../forms.ts';
import {
  forbidden,
  notFound,
  type Page,
  type PageResult,
  redirect,
  render,
  staffOnly,
  type WebRequest,
} from '../page.ts';
import { problemPage, refusalPage } from '../question-flow.ts';
import { londonDateTime } from './london.ts';

/**
 * The local authority's notification to the Panel (issue 10 part 5), uploaded by the notifier who
 * sent the notification (from its confirmation page) or by the partnership team (from the case
 * page), before the papers are collated. The same use case as its API route
 * (shared/use-cases/panel-notification.ts).
 *
 *   /cases/{caseId}/panel-notification            the file (a multipart form)
 *   /cases/{caseId}/panel-notification/uploaded   "Notification to the Panel uploaded"
 */

const access = staffOnly('notifier', 'partnership-team');

const path = '/cases/{caseId}/panel-notification';
const pageTitle = 'Upload the local authority’s notification to the Panel';

async function loadCase(request: WebRequest): Promise<CaseRecord | undefined> {
  const parsed = caseIdSchema.safeParse(request.params.caseId);
  if (!parsed.success) return undefined;
  try {
    return await request.service.cases.getCase(parsed.data);
  } catch (error) {
    if (error instanceof CaseNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Where the person goes back to: the case page for the team; the notification's confirmation for
 * the notifier who sent it; and, for a notifier matched by the notification's email alone (who
 * may not see that confirmation, nor the case page), their notifications (their home), which
 * shows them this one.
 */
async function back(
  request: WebRequest,
  record: CaseRecord,
): Promise<{ backHref: string; backText: string }> {
  if (request.user?.roles.includes('partnership-team')) {
    return { backHref: `/cases/${record.caseId}`, backText: 'Go to the case' };
  }
  if (request.user && (await sentThisCase(request.service, record, request.user))) {
    return { backHref: `/notify/confirmation/${record.caseId}`, backText: 'Back to your notification' };
  }
  return { backHref: '/your-notifications', backText: 'Go to your notifications' };
}

/** The case when this person may upload for it now; else the page to show instead. */
async function load(request: WebRequest): Promise<{ record: CaseRecord } | { result: PageResult }> {
  const record = await loadCase(request);
  if (!record) return { result: notFound() };
  try {
    await uploaderOf(request.service, record, request.user ?? { id: '', roles: [] });
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'forbidden') return { result: forbidden() };
    throw error;
  }
  const refused = panelNotificationRefusal(record);
  if (refused) {
    return {
      result: problemPage(record.caseId, { status: 409, title: refused.title, detail: refused.message }),
    };
  }
  return { record };
}

type BackLink = Awaited<ReturnType<typeof back>>;

function form(record: CaseRecord, backLink: BackLink, errors?: InvalidField[]): PageResult {
  const uploaded = record.panelNotificationDocument;
  return render(
    'panel-notification/upload.njk',
    {
      pageTitle,
      record,
      action: path.replace('{caseId}', record.caseId),
      maxMegabytes: PANEL_NOTIFICATION_MAX_BYTES / (1024 * 1024),
      ...(uploaded
        ? { uploaded: `${uploaded.fileName} was uploaded ${londonDateTime(uploaded.uploadedAt)}.` }
        : {}),
      ...backLink,
      ...(errors?.length ? { errors: formErrors(errors) } : {}),
    },
    errors?.length ? 400 : 200,
  );
}

export const panelNotificationPages: Page[] = [
  {
    method: 'GET',
    path,
    access,
    async handle(request) {
      const found = await load(request);
      return 'result' in found ? found.result : form(found.record, await back(request, found.record));
    },
  },
  {
    method: 'POST',
    path,
    access,
    async handle(request) {
      const found = await load(request);
      if ('result' in found) return found.result;
      const { record } = found;
      const backLink = await back(request, record);
      const file = request.files?.get('file');
      if (!file)
        return form(record, backLink, [{ field: 'file', message: 'Select the notification to the Panel' }]);
      try {
        await uploadPanelNotification(request.service, {
          caseId: record.caseId,
          upload: { fileName: file.fileName, content: file.content },
          uploadedBy: request.user ?? { id: '', roles: [] },
        });
      } catch (error) {
        if (error instanceof InvalidInputError) return form(record, backLink, error.fields);
        if (error instanceof DomainError && error.kind === 'forbidden') return forbidden();
        return refusalPage(error, record.caseId, (fields) => form(record, backLink, fields));
      }
      return redirect(`/cases/${record.caseId}/panel-notification/uploaded`);
    },
  },
  {
    method: 'GET',
    path: `${path}/uploaded`,
    access,
    async handle(request) {
      const record = await loadCase(request);
      if (!record) return notFound();
      try {
        await uploaderOf(request.service, record, request.user ?? { id: '', roles: [] });
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'forbidden') return forbidden();
        throw error;
      }
      const uploaded = record.panelNotificationDocument;
      if (!uploaded) return redirect(`/cases/${record.caseId}/panel-notification`);
      return render('panel-notification/uploaded.njk', {
        pageTitle: 'Notification to the Panel uploaded',
        record,
        text: `${uploaded.fileName} is filed with the case’s documents. The papers for the Rapid Review Group will include it in place of the details given in the notification.`,
        ...(await back(request, record)),
      });
    },
  },
];
