import type { Service } from '../../shared/service.ts';
import {
  type AgencyRequestView,
  LinkNotUsableError,
  showAgencyRequest,
  showAgencyRequestForPage,
} from '../../shared/use-cases/agency-request.ts';
import { formatInstant } from '../../shared/workflow/london-time.ts';
import { type Page, type PageResult, publicAccess, redirect, render } from '../web/page.ts';

/**
 * The only ports the agency pages' function has: the case table (to read; to record a structured
 * return, its draft and its version), pre-signed upload forms into the upload bucket, and the
 * mailer for the return's receipt. No staff drafts, documents, workflow or sessions.
 */
export type AgencyWebService = Pick<
  Service,
  'clock' | 'profile' | 'publicBaseUrl' | 'cases' | 'uploadForms' | 'mailer'
>;

/**
 * The agency return pages: what an agency's SPOC reaches from the capability link in the
 * request email (`/agency/<token>`). No account: the token is the authorisation, checked by the
 * same logic as GET /api/agency/{token}. The pages name the partnership, the case reference and
 * the agency; never a child, the case id or the SPOC's address.
 *
 * The upload works without JavaScript: the page's form posts the file straight to the upload
 * bucket with a pre-signed POST (Lambda and API Gateway could not take a 10 MB body), and S3
 * sends the browser back to `/agency/<token>/uploaded`. With JavaScript (assets/app.js,
 * `app-agency-upload`) the same form asks the API for a pre-signed POST for the exact file and
 * uploads it showing its progress.
 */

const london = 'Europe/London';

/**
 * A time in London the GOV.UK way, as the whole service writes times: "5pm on Wednesday 18 March
 * 2026", "9:30am on …", "midday on …".
 */
export function londonTimeInWords(instant: string | Date): string {
  return formatInstant(instant, london);
}

/** The return's status as the page tags it. */
export function returnStatus(view: AgencyRequestView, now: Date): { text: string; colour: string } {
  if (view.status === 'received') {
    return view.late ? { text: 'Received late', colour: 'orange' } : { text: 'Received', colour: 'green' };
  }
  if (now.getTime() > Date.parse(view.dueAt)) return { text: 'Late: not yet received', colour: 'red' };
  return { text: 'Not yet received', colour: 'blue' };
}

/** The page for a link that does not work: 404 when unknown or mistyped, 403 when expired. Says nothing else. */
function linkNotUsable(error: LinkNotUsableError): PageResult {
  return render(
    'agency/link-not-valid.njk',
    { pageTitle: 'This link has expired or is not valid' },
    error.kind === 'forbidden' ? 403 : 404,
  );
}

/** Runs `work`; a link that does not work is answered with its page instead. */
async function withLink<T>(work: () => Promise<T>): Promise<{ found: T } | { page: PageResult }> {
  try {
    return { found: await work() };
  } catch (error) {
    if (error instanceof LinkNotUsableError) return { page: linkNotUsable(error) };
    throw error;
  }
}

/** The display names of the allowed file types, by content type. */
const typeNames: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document (.docx)',
};

export const agencyPages: Page<AgencyWebService>[] = [
  {
    method: 'GET',
    path: '/agency/{token}',
    access: publicAccess,
    async handle(request) {
      const token = request.params.token ?? '';
      const linked = await withLink(() => showAgencyRequestForPage(request.service, { token }));
      if ('page' in linked) return linked.page;
      const { view, form } = linked.found;
      // After a refused upload (`?rejected=<when it was refused>`): why, as a GOV.UK error.
      const rejectedAt = Date.parse(request.query.get('rejected') ?? '');
      const refused =
        view.lastUpload?.outcome === 'rejected' &&
        !Number.isNaN(rejectedAt) &&
        Date.parse(view.lastUpload.at) >= rejectedAt
          ? `${view.lastUpload.problem}. Upload a PDF or a Word document (.docx) of up to ${Math.floor(view.upload.maxBytes / (1024 * 1024))} MB`
          : undefined;
      const redirectTo = new URL(form.fields.success_action_redirect ?? '', 'http://unused.invalid');
      const bucketOrigin = new URL(form.url).origin;
      return render(
        'agency/request.njk',
        {
          pageTitle: `${refused ? 'Error: ' : ''}Return your agency’s summary for case ${view.caseReference}`,
          refused,
          keptBefore: refused && view.status === 'received',
          view,
          due: londonTimeInWords(view.dueAt),
          received: view.receivedAt ? londonTimeInWords(view.receivedAt) : undefined,
          status: returnStatus(view, request.service.clock.now()),
          megabytes: Math.floor(view.upload.maxBytes / (1024 * 1024)),
          accept: [...view.upload.allowedExtensions, ...view.upload.allowedTypes].join(','),
          typeItems: form.contentTypes.map((type, index) => ({
            value: type,
            text: typeNames[type] ?? type,
            checked: index === 0,
          })),
          form,
          // The same path and query S3 sends the browser back to, for the script's upload.
          confirmationPath: `${redirectTo.pathname}${redirectTo.search}`,
          uploadApi: `/api/agency/${token}/uploads`,
          // The child's identifying details, behind an emailed code (functions/agency-details).
          detailsPath: `/agency/${token}/details`,
          returnPath: `/agency/${token}/return`,
          correctPath: `/agency/${token}/return/check`,
          returnedAt: view.latestReturn ? londonTimeInWords(view.latestReturn.submittedAt) : undefined,
        },
        { csp: { formActions: [bucketOrigin], connectSources: [bucketOrigin] } },
      );
    },
  },
  {
    method: 'GET',
    path: '/agency/{token}/uploaded',
    access: publicAccess,
    async handle(request) {
      const token = request.params.token ?? '';
      const after = request.query.get('after') ?? '';
      // S3 appends bucket, key (which holds the case id) and etag: keep them out of the address bar.
      if (request.query.has('key') || request.query.has('bucket') || request.query.has('etag')) {
        const clean = after ? `?${new URLSearchParams({ after }).toString()}` : '';
        return redirect(`/agency/${encodeURIComponent(token)}/uploaded${clean}`);
      }
      const linked = await withLink(() => showAgencyRequest(request.service, { token }));
      if ('page' in linked) return linked.page;
      const view = linked.found;
      const last = view.lastUpload;
      const afterTime = Date.parse(after);
      const fresh = last && (Number.isNaN(afterTime) || Date.parse(last.at) >= afterTime);
      const base = {
        view,
        returnPath: `/agency/${token}`,
        refreshPath: `/agency/${token}/uploaded${after ? `?${new URLSearchParams({ after }).toString()}` : ''}`,
        pollUrl: `/api/agency/${token}`,
        after,
      };
      if (fresh && last.outcome === 'rejected') {
        // Back to the upload form, with the problem in its error summary and on the file field
        // (post/redirect/get: the form needs a fresh pre-signed POST, which only its page makes).
        return redirect(
          `/agency/${encodeURIComponent(token)}?${new URLSearchParams({ rejected: last.at }).toString()}#file`,
        );
      }
      if (fresh) {
        return render('agency/uploaded.njk', {
          ...base,
          pageTitle: 'Summary received',
          state: 'received',
          replaced: last.outcome === 'replaced',
          receivedAt: londonTimeInWords(last.at),
          due: londonTimeInWords(view.dueAt),
          correctUntil: londonTimeInWords(view.linkExpiresAt),
        });
      }
      return render('agency/uploaded.njk', {
        ...base,
        pageTitle: 'We are checking your file',
        state: 'checking',
      });
    },
  },
];
