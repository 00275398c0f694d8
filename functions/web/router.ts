import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type nunjucks from 'nunjucks';
import {
  hasMalformedPercentEncoding,
  headerSafeLocation,
  malformedPathField,
} from '../../shared/http/paths.ts';
import { expectedProblem, ProblemError, problemResponse } from '../../shared/http/problem.ts';
import { appendLogKeys, logUnexpectedError, logWarning } from '../../shared/log.ts';
import type { SessionRevocations } from '../../shared/stores/session-revocations.ts';
import { serveAsset } from './assets.ts';
import type { ContentSecurityAdditions, Page, PageResult, PageService, WebRequest } from './page.ts';
import {
  cookieValue,
  csrfCookieName,
  csrfFieldName,
  csrfTokenForAnonymous,
  csrfTokenForSession,
  csrfTokenMatches,
  newCsrfCookie,
  readSession,
  type Session,
  type SessionUser,
} from './session.ts';

/** The service's name, in the header of every page. */
export const serviceName = 'Safeguarding practice reviews';

/** A link in the service navigation. */
export interface NavigationItem {
  text: string;
  href: string;
  current: boolean;
}

/** What every template gets, under the page's own context. */
export type LayoutContext = {
  serviceName: string;
  /** The partnership this deployment serves; absent when the profile cannot be read. */
  partnershipName: string | undefined;
  /** The partnership team's mailbox, for the phase banner's feedback link. */
  feedbackAddress: string | undefined;
  user: SessionUser | undefined;
  /**
   * Whether the service navigation offers "Sign in" to someone not signed in: never on a page
   * reached by an agency's link, nor in a function without sessions (agencies have no account).
   */
  offersSignIn: boolean;
  /** Where the header's partnership name and service name lead: the start page, or an agency's own page. */
  homeUrl: string;
  /** Put in every form as `<input type="hidden" name="{{ csrfFieldName }}" value="{{ csrfToken }}">`. */
  csrfToken: string;
  csrfFieldName: string;
  /** The nonce of the one inline script (govuk/template.njk's js-enabled class). */
  cspNonce: string;
  navigation: NavigationItem[];
  /** The same pages with their descriptions, for the start page. */
  menu: MenuItem[];
  currentPath: string;
};

/**
 * `/agency/<token>` for a path under an agency's link, which is that agency's home, and likewise
 * `/factual-accuracy/<token>` under an agency's factual-accuracy link and
 * `/local-review-agency/<reviewId>/<token>` under a local review's request for information
 * (issue 13), and `/action/<token>` under an action owner's link (issue 14); undefined for any
 * other path.
 */
export function agencyHomeFor(path: string): string | undefined {
  return (
    /^\/(?:agency|factual-accuracy|action)\/[^/]+/.exec(path)?.[0] ??
    /^\/local-review-agency\/[^/]+\/[^/]+/.exec(path)?.[0]
  );
}

/** A page the person may use, as the start page lists it. */
export interface MenuItem {
  text: string;
  href: string;
  description: string;
}

/** Whether a person may use a page. */
export function allows(page: Pick<Page<PageService>, 'access'>, user: SessionUser | undefined): boolean {
  if (page.access.kind === 'public') return true;
  const roles = page.access.roles;
  return user?.roles.some((role) => roles.includes(role)) ?? false;
}

/** The menu pages a signed-in person may use, in the order the pages are listed. */
export function menuFor(
  pages: readonly Pick<Page<PageService>, 'menu' | 'method' | 'access' | 'path'>[],
  user: SessionUser | undefined,
): MenuItem[] {
  if (!user) return [];
  return pages.flatMap((page) =>
    page.menu && page.method === 'GET' && allows(page, user)
      ? [{ text: page.menu.text, href: page.path, description: page.menu.description }]
      : [],
  );
}

/** The menu as service navigation items, the one holding the current path marked. */
export function navigationFor(menu: readonly MenuItem[], currentPath: string): NavigationItem[] {
  return menu.map((item) => ({
    text: item.text,
    href: item.href,
    current: currentPath === item.href || currentPath.startsWith(`${item.href}/`),
  }));
}

/** The Content-Security-Policy of an HTML page: own origin only, the one inline script by nonce. */
export function contentSecurityPolicy(nonce: string, additions: ContentSecurityAdditions = {}): string {
  const list = (extra: string[] | undefined) => ["'self'", ...(extra ?? [])].join(' ');
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${list(additions.connectSources)}`,
    `form-action ${list(additions.formActions)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers of every HTML answer. */
function htmlHeaders(nonce: string, csp?: ContentSecurityAdditions): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    // Pages show case data: never kept in shared or browser caches.
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy(nonce, csp),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Agency pages carry a capability token in their path: it must not leak to other sites.
    'referrer-policy': 'same-origin',
    'strict-transport-security': 'max-age=31536000',
  };
}

/** Renders a template to a full HTML answer; exported so the local stack's sign-in page looks the same. */
export function htmlResponse(
  environment: nunjucks.Environment,
  template: string,
  context: LayoutContext & Record<string, unknown>,
  status = 200,
  csp?: ContentSecurityAdditions,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: htmlHeaders(context.cspNonce, csp),
    body: environment.render(template, context),
  };
}

/** A fresh nonce for one page's Content-Security-Policy. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Matches an API Gateway style path (`/cases/{caseId}`) against a concrete path. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const expression = pattern
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name) {
        names.push(name);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
  const match = new RegExp(`^${expression}$`).exec(path);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  try {
    names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] ?? '');
    });
  } catch {
    return undefined;
  }
  return params;
}

/** What the router needs; the handler passes the environment's, tests pass fakes. */
export interface WebAppOptions<S extends PageService> {
  pages: readonly Page<S>[];
  /**
   * The pages the service navigation and the start page's menu list, when they are not among
   * `pages` (the case pages' function serves none of them): `pages` by default.
   */
  menuPages?: readonly Pick<Page<PageService>, 'menu' | 'method' | 'access' | 'path'>[];
  /** The domain's ports, made once per container. */
  service: () => S;
  /**
   * The key that signs sessions and CSRF tokens (SESSION_SECRET), and where signed-out sessions
   * are recorded: every request with a session asks it once, and a revoked session counts as
   * signed out. Absent (the agency pages' function, which holds no key): nobody is signed in,
   * no page may be for staff only, and every POST is refused but on a page whose path holds an
   * agency's link (`capabilityInPath`).
   */
  sessions?: { secret: () => Buffer; revocations: () => SessionRevocations };
  /**
   * Without sessions: a key that signs the anonymous CSRF token only, so this app's pages may
   * take POSTs (the agency details pages' own key). Nobody is signed in with it.
   */
  formSecret?: () => Buffer;
  /** The template environment, made (and awaited) once, when a page is first rendered. */
  templates: () => nunjucks.Environment | Promise<nunjucks.Environment>;
  /** Where a refused form's line goes (ids only); an unexpected error is logged by the structured logger. */
  log?: (line: string) => void;
  /** Wall clock for session expiry; real time, even under the local stack's virtual clock. */
  now?: () => number;
}

export type WebApp = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** A file posted in a multipart form (a staff upload: the minutes, the Panel's letter). */
export interface PostedFile {
  fileName: string;
  /** The type the browser said; the page checks the bytes, not this. */
  contentType: string;
  content: Uint8Array;
}

/** The most a posted form may hold: a 4 MB file and its fields (API Gateway's own limit is 10 MB). */
export const MAX_FORM_BYTES = 5 * 1024 * 1024;

/**
 * The posted form: its fields (a urlencoded form, or the fields of a multipart one) and, for a
 * multipart form, its files by field name. A multipart form over MAX_FORM_BYTES, or one that does
 * not parse, is read as empty (so its CSRF check fails: the 400 page).
 */
async function formFrom(
  event: APIGatewayProxyEventV2,
): Promise<{ form: URLSearchParams; files: Map<string, PostedFile> }> {
  const files = new Map<string, PostedFile>();
  if (!event.body) return { form: new URLSearchParams(), files };
  const contentType = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'content-type',
  )?.[1];
  const type = contentType?.toLowerCase() ?? '';
  if (type.startsWith('multipart/form-data')) {
    const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
    if (bytes.byteLength > MAX_FORM_BYTES) return { form: new URLSearchParams(), files };
    try {
      const parsed = await new Request('http://form.invalid/', {
        method: 'POST',
        headers: { 'content-type': contentType as string },
        body: bytes,
      }).formData();
      const form = new URLSearchParams();
      for (const [name, value] of parsed) {
        if (typeof value === 'string') form.append(name, value);
        else if (!files.has(name) && value.size > 0) {
          files.set(name, {
            fileName: value.name,
            contentType: value.type,
            content: new Uint8Array(await value.arrayBuffer()),
          });
        }
      }
      return { form, files };
    } catch {
      return { form: new URLSearchParams(), files };
    }
  }
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    return { form: new URLSearchParams(), files };
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return { form: new URLSearchParams(text), files };
}

/** The status of an error a page did not handle: a refusal the page could not answer otherwise, or 500. */
function statusOf(error: unknown): number {
  return expectedProblem(error)?.status ?? 500;
}

/**
 * The web function's router: serves /assets/, matches the page for method and path, sends
 * people who are not signed in to /sign-in, refuses the wrong role with the 403 page, checks the
 * CSRF token of every POST (400 page when it fails), runs the page, and renders what it answers
 * inside the layout. Every failure is a GOV.UK error page, never a stack trace.
 */
export function createWebApp<S extends PageService>(options: WebAppOptions<S>): WebApp {
  const log = options.log ?? ((line: string) => logWarning(line));
  const sessions = options.sessions;
  for (const page of options.pages) {
    if (page.capabilityInPath && (page.access.kind !== 'public' || !page.path.includes('{token}')))
      throw new Error(
        `${page.method} ${page.path} takes forms by a capability in its path, so must be public with a {token} in its path`,
      );
  }
  if (!sessions) {
    const staffPage = options.pages.find((page) => page.access.kind === 'staff');
    if (staffPage)
      throw new Error(`${staffPage.method} ${staffPage.path} is for staff, but this app has no sessions`);
  }
  const now = options.now ?? Date.now;
  const seen = new Set<string>();
  for (const page of options.pages) {
    const key = `${page.method} ${page.path}`;
    if (seen.has(key)) throw new Error(`Two pages answer ${key}`);
    seen.add(key);
  }

  return async (event) => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
    const path = event.rawPath || event.requestContext?.http?.path || '/';
    const query = new URLSearchParams(event.rawQueryString ?? '');

    if (method === 'GET') {
      const asset = serveAsset(path, query);
      if (asset) return asset;
    }

    // Templates (and Nunjucks with them) are loaded by the first answer that renders a page.
    const render = async (
      template: string,
      context: LayoutContext & Record<string, unknown>,
      status?: number,
      csp?: ContentSecurityAdditions,
    ) => htmlResponse(await options.templates(), template, context, status, csp);
    const secret = sessions ? sessions.secret() : options.formSecret?.();
    let session: Session | undefined =
      sessions && secret ? readSession(secret, event.cookies, now()) : undefined;
    // A session signed out on the server is no session, however valid its cookie.
    if (session && sessions && (await sessions.revocations().isRevoked(session.id))) session = undefined;
    const user = session?.user;
    const anonymousNonce = session ? undefined : cookieValue(event.cookies, csrfCookieName);
    const issuedCookies: string[] = [];
    let csrfToken: string | undefined;
    const csrfTokenNow = (): string => {
      if (csrfToken) return csrfToken;
      // Without sessions there are no forms to protect: no token, and every POST is refused below
      // but on a page whose path holds its capability.
      if (!secret) return '';
      if (session) {
        csrfToken = csrfTokenForSession(secret, session);
      } else if (anonymousNonce) {
        csrfToken = csrfTokenForAnonymous(secret, anonymousNonce);
      } else {
        const fresh = newCsrfCookie();
        issuedCookies.push(fresh.cookie);
        csrfToken = csrfTokenForAnonymous(secret, fresh.nonce);
      }
      return csrfToken;
    };

    const menu = menuFor(options.menuPages ?? options.pages, user);
    const agencyHome = agencyHomeFor(path);
    const page = (): LayoutContext => {
      let partnershipName: string | undefined;
      let feedbackAddress: string | undefined;
      try {
        const profile = options.service().profile;
        partnershipName = profile.partnershipName;
        feedbackAddress = profile.partnershipTeamAddress;
      } catch {
        // An error page must render even when the configuration is what failed.
      }
      return {
        serviceName,
        partnershipName,
        feedbackAddress,
        user,
        offersSignIn: Boolean(sessions) && !agencyHome,
        homeUrl: agencyHome ?? '/',
        csrfToken: csrfTokenNow(),
        csrfFieldName,
        cspNonce: newNonce(),
        navigation: navigationFor(menu, path),
        menu,
        currentPath: path,
      };
    };

    const finish = (response: APIGatewayProxyStructuredResultV2, cookies: string[] = []) => {
      const all = [...cookies, ...issuedCookies];
      return all.length ? { ...response, cookies: [...(response.cookies ?? []), ...all] } : response;
    };

    const errorPage = async (status: 400 | 403 | 404 | 500, template: string) =>
      finish(await render(template, page(), status));

    // A path that does not decode is refused before any page sees it: 400, never a 500.
    if (hasMalformedPercentEncoding(path)) {
      if (path === '/api' || path.startsWith('/api/')) {
        return problemResponse(
          new ProblemError(400, 'Invalid request', malformedPathField.message, [{ ...malformedPathField }]),
        );
      }
      return await errorPage(400, 'errors/bad-address.njk');
    }
    const notFoundPage = async () => {
      // Unknown API paths reach this function through the catch-all route: they get problem JSON.
      if (path === '/api' || path.startsWith('/api/')) {
        return problemResponse(new ProblemError(404, 'Not found', `No route ${method} ${path}`));
      }
      return await errorPage(404, 'errors/not-found.njk');
    };

    const candidates = options.pages.flatMap((candidate) => {
      const params = matchPath(candidate.path, path);
      return params ? [{ page: candidate, params }] : [];
    });
    const matched = candidates.find((candidate) => candidate.page.method === method);
    if (!matched) {
      if (candidates.length > 0 && method !== 'GET' && method !== 'POST') {
        return {
          statusCode: 405,
          headers: { allow: [...new Set(candidates.map((c) => c.page.method))].join(', ') },
          body: '',
        };
      }
      return notFoundPage();
    }

    // The page's case, when its path names one; never the path, which may hold an agency's link.
    appendLogKeys({ page: `${matched.page.method} ${matched.page.path}`, caseId: matched.params.caseId });

    if (matched.page.access.kind === 'staff') {
      if (!user) {
        const returnTo = method === 'GET' && event.rawQueryString ? `${path}?${event.rawQueryString}` : path;
        return finish(seeOther(`/sign-in?${new URLSearchParams({ returnTo }).toString()}`));
      }
      if (!allows(matched.page, user)) return errorPage(403, 'errors/forbidden.njk');
    }

    const posted =
      method === 'POST' ? await formFrom(event) : { form: new URLSearchParams(), files: new Map() };
    const form = posted.form;
    if (
      method === 'POST' &&
      !matched.page.capabilityInPath &&
      (!secret ||
        !csrfTokenMatches(secret, form.get(csrfFieldName) ?? undefined, { session, anonymousNonce }))
    ) {
      log(`[web] CSRF check failed on ${matched.page.method} ${matched.page.path} (request ${requestId})`);
      return errorPage(400, 'errors/csrf.njk');
    }

    const request: WebRequest<S> = {
      method: method as 'GET' | 'POST',
      path,
      params: matched.params,
      query,
      form,
      files: posted.files,
      user,
      session,
      get csrfToken() {
        return csrfTokenNow();
      },
      get service() {
        return options.service();
      },
      event,
      requestId,
    };

    let result: PageResult;
    try {
      result = await matched.page.handle(request);
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return errorPage(404, 'errors/not-found.njk');
      if (status === 403) return errorPage(403, 'errors/forbidden.njk');
      logUnexpectedError(error, { page: `${matched.page.method} ${matched.page.path}`, requestId });
      return errorPage(500, 'errors/server-error.njk');
    }

    try {
      switch (result.kind) {
        case 'render': {
          const context = { ...page(), ...result.context };
          return finish(await render(result.template, context, result.status, result.csp), result.cookies);
        }
        case 'redirect':
          return finish(seeOther(result.location), result.cookies);
        case 'not-found':
          return finish(await notFoundPage(), result.cookies);
        case 'forbidden':
          return finish(await render('errors/forbidden.njk', page(), 403), result.cookies);
        case 'response':
          return finish(result.response, result.cookies);
      }
    } catch (error) {
      logUnexpectedError(error, {
        page: `${matched.page.method} ${matched.page.path}`,
        rendering: true,
        requestId,
      });
      return errorPage(500, 'errors/server-error.njk');
    }
  };
}

/**
 * 303 See Other: after a POST the browser GETs the new location. The location is made safe for
 * the header (beyond ASCII percent-encoded; one that cannot be goes to the start page).
 */
export function seeOther(location: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 303,
    headers: { location: headerSafeLocation(location) ?? '/', 'cache-control': 'no-store' },
    body: '',
  };
}
