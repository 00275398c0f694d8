import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { rulesOf } from '../../shared/config/partnership-profile.ts';
import type { StaffMember, StaffRole } from '../../shared/schemas/roles.ts';
import type { Service } from '../../shared/service.ts';

/**
 * The ports the staff pages use: everything but sending email and the upload bucket (the
 * workflow sends; the agency pages, a function of their own, sign uploads).
 */
export type WebService = Pick<
  Service,
  | 'clock'
  | 'profile'
  | 'publicBaseUrl'
  | 'cases'
  | 'drafts'
  | 'documents'
  | 'workflow'
  | 'sessions'
  // The Panel's reply emails the Executive Board (issue 9 part 6).
  | 'mailer'
  | 'duplicateCheckKey'
  // A partner's disagreement emails the Executive Board chair (the sign-off pages).
  | 'mailer'
>;

/** What every page's service holds, whichever function serves it: the router reads the profile. */
export type PageService = Pick<Service, 'clock' | 'profile' | 'publicBaseUrl'>;

import { isoDateOf } from '../../shared/workflow/london-time.ts';
import type { Session, SessionUser } from './session.ts';

/**
 * The contract between the web function and its pages (see functions/web/README.md). A page
 * module exports `Page`s; functions/web/pages/index.ts lists them; the router matches method
 * and path, enforces `access`, checks the CSRF token of every POST, and turns the `PageResult`
 * a page returns into HTML.
 */

/** Who may use a page. A page's access is the one place that says so. */
export type PageAccess = { kind: 'public' } | { kind: 'staff'; roles: readonly StaffRole[] };

/** Anyone, signed in or not (the start page, an agency's capability-link page). */
export const publicAccess: PageAccess = { kind: 'public' };

/** Signed-in staff holding at least one of these roles. */
export function staffOnly(...roles: StaffRole[]): PageAccess {
  return { kind: 'staff', roles };
}

/** What a page is given. */
export interface WebRequest<S extends PageService = WebService> {
  method: 'GET' | 'POST';
  /** The path as requested, e.g. `/cases/5d0c…`. */
  path: string;
  /** Path parameters named in the page's path (`/cases/{caseId}` → `params.caseId`), URL-decoded. */
  params: Record<string, string>;
  /** The query string; `query.get('status')`, `query.getAll('status')`. */
  query: URLSearchParams;
  /** The posted form (application/x-www-form-urlencoded, or a multipart form's fields), repeated names kept; empty on GET. */
  form: URLSearchParams;
  /** The files of a posted multipart form, by field name (the staff uploads); absent or empty otherwise. */
  files?: ReadonlyMap<string, { fileName: string; contentType: string; content: Uint8Array }>;
  /** The signed-in person, when there is one. On a staff page, always present and holding an allowed role. */
  user: SessionUser | undefined;
  session: Session | undefined;
  /**
   * The CSRF token to put in this page's forms (as `csrfToken`; layout templates have it as
   * `csrfToken` already). Reading it may set an anonymous CSRF cookie for people without a session.
   */
  readonly csrfToken: string;
  /** The domain's ports, for the use cases (shared/use-cases/) the page runs. */
  service: S;
  /** The raw API Gateway event, for what the fields above do not cover (headers, source IP). */
  event: APIGatewayProxyEventV2;
  /** The request id, for logs (logs carry ids only). */
  requestId: string;
}

/** An entry in the service navigation and on the start page, for people whose roles allow the page. */
export interface MenuEntry {
  text: string;
  /** One sentence for the start page: what the page is for. */
  description: string;
}

/** One page: a method and path, who may use it, and what it answers (with the ports of its function, `S`). */
export interface Page<S extends PageService = WebService> {
  method: 'GET' | 'POST';
  /** API Gateway path syntax: `{name}` is a path parameter; matched exactly (no trailing slash). */
  path: string;
  access: PageAccess;
  /** Set on GET pages without path parameters that people navigate to directly. */
  menu?: MenuEntry;
  /**
   * Set on a public page whose path holds a capability (an agency's link, `{token}`): its POSTs
   * need no CSRF token, as a forged form would already need the secret in its own address, and
   * no cookie lends the request any authority. The agency pages' function, which holds no key to
   * sign CSRF tokens, takes forms only on such pages.
   */
  capabilityInPath?: true;
  handle(request: WebRequest<S>): Promise<PageResult> | PageResult;
}

/** Extra Content-Security-Policy sources a page needs (an upload form posting to S3, say). */
export interface ContentSecurityAdditions {
  /** Origins a form on the page may submit to (`form-action`). */
  formActions?: string[];
  /** Origins scripts on the page may fetch from or upload to (`connect-src`). */
  connectSources?: string[];
}

export interface RenderOptions {
  /** HTTP status; 200 by default (use 400 when re-showing a form with errors). */
  status?: number;
  csp?: ContentSecurityAdditions;
}

/** What a page answers; build it with the helpers below. */
export type PageResult = (
  | {
      kind: 'render';
      template: string;
      context: Record<string, unknown>;
      status: number;
      csp?: ContentSecurityAdditions;
    }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-found' }
  | { kind: 'forbidden' }
  | { kind: 'response'; response: APIGatewayProxyStructuredResultV2 }
) & {
  /** Set-Cookie values to send with the answer. */
  cookies?: string[];
};

/**
 * Renders `template` (a path under functions/web/templates, e.g. `cases/list.njk`) with
 * `context` on top of what every page gets (see README). A number as the third argument is the status.
 */
export function render(
  template: string,
  context: Record<string, unknown> = {},
  options: number | RenderOptions = {},
): PageResult {
  const { status = 200, csp } = typeof options === 'number' ? { status: options } : options;
  return { kind: 'render', template, context, status, ...(csp ? { csp } : {}) };
}

/** 303 See Other to a path on this site (or an absolute URL the page built itself). */
export function redirect(location: string): PageResult {
  return { kind: 'redirect', location };
}

/** The service's "Page not found" page, status 404. */
export function notFound(): PageResult {
  return { kind: 'not-found' };
}

/** The service's "You cannot use this page" page, status 403. */
export function forbidden(): PageResult {
  return { kind: 'forbidden' };
}

/** Any other answer (JSON, a file), as API Gateway expects it. */
export function rawResponse(response: APIGatewayProxyStructuredResultV2): PageResult {
  return { kind: 'response', response };
}

/** The same result, also setting these cookies. */
export function withCookies(result: PageResult, ...cookies: string[]): PageResult {
  return { ...result, cookies: [...(result.cookies ?? []), ...cookies] };
}

/** The signed-in person a page acts for, as the use cases take them (on a staff page there always is one). */
export function memberOf(request: Pick<WebRequest<PageService>, 'user'>): StaffMember {
  return request.user ?? { id: '', roles: [] };
}

/** Today's date where the partnership is (YYYY-MM-DD), by the service's clock. */
export function todayOf(request: Pick<WebRequest<PageService>, 'service'>): string {
  return isoDateOf(request.service.clock.now(), rulesOf(request.service.profile).timeZone);
}
