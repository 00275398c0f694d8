import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Page, PageService, WebService } from '../../../../functions/web/page.ts';
import { createWebApp, type WebApp } from '../../../../functions/web/router.ts';
import {
  csrfCookieName,
  csrfFieldName,
  csrfTokenForAnonymous,
  csrfTokenForSession,
  type SessionUser,
  sessionCookieName,
  startSession,
} from '../../../../functions/web/session.ts';
import { templateEnvironment } from '../../../../functions/web/views.ts';
import type { StaffRole } from '../../../../shared/schemas/roles.ts';
import { InMemoryCaseStore } from '../../../support/in-memory-case-store.ts';
import { InMemorySessionRevocations } from '../../../support/in-memory-session-revocations.ts';
import { SettableClock, testProfile } from '../../api/support/api-fixtures.ts';

/** The session-signing key of these tests (invented; at least 32 characters). */
export const testSessionSecret = Buffer.from('test-session-secret-for-unit-tests-only-0123456789', 'utf8');

/** A Service for pages that only read the profile and the clock; any other port throws, so a test notices. */
export function profileOnlyService(): WebService {
  const unused = (): never => {
    throw new Error('This test gives the page no such port');
  };
  return {
    clock: new SettableClock('2026-03-04T10:00:00Z'),
    cases: new InMemoryCaseStore(),
    profile: testProfile,
    get drafts() {
      return unused();
    },
    get documents() {
      return unused();
    },
    get workflow() {
      return unused();
    },
    get duplicateCheckKey() {
      return unused();
    },
    get mailer() {
      return unused();
    },
    sessions: new InMemorySessionRevocations(),
    publicBaseUrl: 'https://reviews.example.org',
  };
}

/**
 * The web app over these pages, with the real templates, the test secret, the service's session
 * revocations and a log the test can read.
 */
export function testWebApp(
  pages: readonly Page[],
  options: { service?: WebService; log?: string[] } = {},
): WebApp {
  const service = options.service ?? profileOnlyService();
  return createWebApp({
    pages,
    service: () => service,
    sessions: { secret: () => testSessionSecret, revocations: () => service.sessions },
    templates: templateEnvironment,
    log: (line) => options.log?.push(line),
  });
}

/** A web app without sessions, as the agency pages' function makes it (functions/agency-web/handler.ts). */
export function sessionlessWebApp<S extends PageService>(
  pages: readonly Page<S>[],
  service: S,
  options: { log?: string[] } = {},
): WebApp {
  return createWebApp({
    pages,
    service: () => service,
    templates: templateEnvironment,
    log: (line) => options.log?.push(line),
  });
}

/** Invented people, one per role. */
export function testUser(...roles: StaffRole[]): SessionUser {
  return {
    id: `user-${roles.join('-') || 'no-role'}-demo`,
    name: `Test ${roles.join(' ') || 'Nobody'} (demo)`,
    roles,
  };
}

/** A browser's cookies and CSRF token once `user` has signed in. */
export function signedIn(user: SessionUser): { cookies: string[]; csrfToken: string } {
  const { session, cookie } = startSession(testSessionSecret, user, 'local');
  return {
    cookies: [cookie.split(';')[0] as string],
    csrfToken: csrfTokenForSession(testSessionSecret, session),
  };
}

/** A browser without a session that has been given the anonymous CSRF cookie. */
export function anonymousBrowser(nonce = 'b6a3e0f2-0000-4000-8000-00000000abcd'): {
  cookies: string[];
  csrfToken: string;
} {
  return {
    cookies: [`${csrfCookieName}=${nonce}`],
    csrfToken: csrfTokenForAnonymous(testSessionSecret, nonce),
  };
}

/** A browser request as API Gateway hands it to the web function (payload format 2.0). */
export function webEvent(request: {
  method?: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: string;
  cookies?: string[];
  /** Form fields, sent as application/x-www-form-urlencoded; arrays repeat the name. */
  form?: Record<string, string | string[]>;
  /** The CSRF token to add to the form (as a browser's hidden field would). */
  csrfToken?: string;
}): APIGatewayProxyEventV2 {
  const method = request.method ?? (request.form ? 'POST' : 'GET');
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(request.form ?? {})) {
    for (const item of [value].flat()) body.append(name, item);
  }
  if (request.csrfToken) body.append(csrfFieldName, request.csrfToken);
  return {
    version: '2.0',
    routeKey: request.path === '/' ? 'GET /' : 'ANY /{proxy+}',
    rawPath: request.path,
    rawQueryString: request.query ?? '',
    ...(request.cookies?.length ? { cookies: request.cookies } : {}),
    headers: {
      host: 'reviews.example.org',
      ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(method === 'POST' ? { body: body.toString() } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '111122223333',
      apiId: 'api-test',
      domainName: 'reviews.example.org',
      domainPrefix: 'reviews',
      http: { method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'request-test',
      routeKey: request.path === '/' ? 'GET /' : 'ANY /{proxy+}',
      stage: '$default',
      time: '04/Mar/2026:10:00:00 +0000',
      timeEpoch: 0,
    },
  };
}

/** A Set-Cookie of the answer by cookie name, or undefined. */
export function setCookie(result: APIGatewayProxyStructuredResultV2, name: string): string | undefined {
  return result.cookies?.find((cookie) => cookie.startsWith(`${name}=`));
}

export { sessionCookieName };

/**
 * What of GOV.UK's own brand a page holds, which a partnership's service must not: the GOV.UK
 * header and its logotype, the crown (its SVG, the footer's crown), "Crown copyright", GOV.UK's
 * icons and manifest, and GOV.UK's typeface. An empty list for a page of the partnership's own.
 */
export function govukBrandMarks(html: string): string[] {
  const marks: Record<string, RegExp> = {
    'the GOV.UK header': /class="govuk-header[\s"]/,
    'the GOV.UK logotype': /govuk-header__logotype|aria-label="GOV\.UK"|<title>GOV\.UK<\/title>/,
    'the crown': /govuk-logo|govuk-footer__crown|M33\.1,9\.8c/,
    'Crown copyright': /Crown copyright/i,
    'the Open Government Licence': /open-government-licence|govuk-footer__licence/,
    "GOV.UK's icons or manifest": /favicon|govuk-icon|manifest\.json|govuk-opengraph/,
    "GOV.UK's typeface": /GDS Transport/,
  };
  return Object.entries(marks).flatMap(([mark, pattern]) => (pattern.test(html) ? [mark] : []));
}
