import { describe, expect, it, vi } from 'vitest';
import { type Page, publicAccess, redirect, render, staffOnly } from '../../../functions/web/page.ts';
import { createWebApp, matchPath } from '../../../functions/web/router.ts';
import { csrfCookieName } from '../../../functions/web/session.ts';
import { templateEnvironment } from '../../../functions/web/views.ts';
import { CaseNotFoundError } from '../../../shared/errors.ts';
import { InMemorySessionRevocations } from '../../support/in-memory-session-revocations.ts';
import { captureOutput } from '../../support/log-lines.ts';
import {
  anonymousBrowser,
  profileOnlyService,
  setCookie,
  signedIn,
  testSessionSecret,
  testUser,
  testWebApp,
  webEvent,
} from './support/web-fixtures.ts';

/** Pages for the router to route: what each answers says which one ran. */
const seen: { form?: URLSearchParams; params?: Record<string, string> } = {};
const pages: Page[] = [
  { method: 'GET', path: '/', access: publicAccess, handle: () => render('start.njk') },
  {
    method: 'GET',
    path: '/cases',
    access: staffOnly('partnership-team', 'rrg-chair'),
    menu: { text: 'Cases', description: 'Every open case' },
    handle: () => render('start.njk', { pageTitle: 'Cases page' }),
  },
  {
    method: 'GET',
    path: '/notifications/new',
    access: staffOnly('notifier'),
    menu: { text: 'Notify a serious incident', description: 'Tell the partnership' },
    handle: () => render('start.njk'),
  },
  {
    method: 'GET',
    path: '/cases/{caseId}',
    access: staffOnly('partnership-team'),
    handle(request) {
      seen.params = request.params;
      throw new CaseNotFoundError(request.params.caseId ?? '');
    },
  },
  {
    method: 'POST',
    path: '/cases/{caseId}/decision',
    access: staffOnly('rrg-chair'),
    handle(request) {
      seen.form = request.form;
      return redirect(`/cases/${request.params.caseId}/decision/done`);
    },
  },
  {
    method: 'POST',
    path: '/agency/{token}',
    access: publicAccess,
    handle: () => redirect('/agency/received'),
  },
  {
    method: 'GET',
    path: '/broken',
    access: publicAccess,
    handle() {
      throw new Error('Something with a child’s name in it');
    },
  },
];

describe('the web router', () => {
  it('loads the templates (and Nunjucks) only for an answer that renders a page', async () => {
    const templates = vi.fn(templateEnvironment);
    const app = createWebApp({
      pages,
      service: profileOnlyService,
      sessions: { secret: () => testSessionSecret, revocations: () => new InMemorySessionRevocations() },
      templates,
    });

    const toSignIn = await app(webEvent({ path: '/cases' }));
    const redirected = await app(webEvent({ method: 'POST', path: '/agency/abc', ...anonymousBrowser() }));
    expect(toSignIn.statusCode).toBe(303);
    expect(redirected.statusCode).toBe(303);
    expect(templates).not.toHaveBeenCalled();

    expect((await app(webEvent({ path: '/' }))).statusCode).toBe(200);
    expect(templates).toHaveBeenCalledTimes(1);
  });

  describe('on a public page', () => {
    it('renders the page in the GOV.UK Design System layout: the generic header, service name, phase banner, footer, styles and scripts', async () => {
      const app = testWebApp(pages);

      const result = await app(webEvent({ path: '/' }));

      expect(result.statusCode).toBe(200);
      expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
      const html = String(result.body);
      expect(html).toContain('class="govuk-template__body');
      expect(html).toContain('class="govuk-generic-header"');
      expect(html).toContain('Safeguarding practice reviews');
      expect(html).toMatch(/govuk-phase-banner[\s\S]*Alpha[\s\S]*mailto:partnership-team@example\.org/);
      expect(html).toContain('govuk-footer');
      expect(html).toContain('Skip to main content');
      expect(html).toMatch(
        /<link rel="stylesheet" href="\/assets\/govuk-frontend\.min\.css\?v=[0-9a-f]{12}">/,
      );
      expect(html).toMatch(/<script type="module" src="\/assets\/app\.js\?v=[0-9a-f]{12}">/);
    });

    it('allows only its own inline script, by nonce, in its Content-Security-Policy', async () => {
      const app = testWebApp(pages);

      const result = await app(webEvent({ path: '/' }));

      const csp = String(result.headers?.['content-security-policy']);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(String(result.body)).toContain(`<script nonce="${nonce}">document.body.className`);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(result.headers?.['cache-control']).toBe('no-store');
    });
  });

  describe('on a staff page', () => {
    it('sends someone not signed in to sign in, coming back to the page and its query', async () => {
      const app = testWebApp(pages);

      const result = await app(webEvent({ path: '/cases', query: 'status=awaiting-decision' }));

      expect(result.statusCode).toBe(303);
      expect(result.headers?.location).toBe(
        `/sign-in?returnTo=${encodeURIComponent('/cases?status=awaiting-decision')}`,
      );
    });

    it('shows the 403 page to someone signed in without one of its roles', async () => {
      const app = testWebApp(pages);
      const browser = signedIn(testUser('notifier'));

      const result = await app(webEvent({ path: '/cases', cookies: browser.cookies }));

      expect(result.statusCode).toBe(403);
      expect(String(result.body)).toContain('You cannot use this page');
    });

    it('runs the page for someone holding one of its roles', async () => {
      const app = testWebApp(pages);
      const browser = signedIn(testUser('rrg-chair'));

      const result = await app(webEvent({ path: '/cases', cookies: browser.cookies }));

      expect(result.statusCode).toBe(200);
      expect(String(result.body)).toContain('<title>Cases page – Safeguarding practice reviews</title>');
      expect(String(result.body)).toContain('Test rrg-chair (demo)');
    });

    it('treats a tampered session cookie as no session', async () => {
      const app = testWebApp(pages);
      const browser = signedIn(testUser('notifier'));
      const tampered = [`${browser.cookies[0]?.slice(0, -3)}abc`];

      const result = await app(webEvent({ path: '/cases', cookies: tampered }));

      expect(result.statusCode).toBe(303);
      expect(result.headers?.location).toMatch(/^\/sign-in\?/);
    });
  });

  describe('navigation', () => {
    it('lists only the menu pages the signed-in person may use', async () => {
      const app = testWebApp(pages);

      const chair = String(
        (await app(webEvent({ path: '/', cookies: signedIn(testUser('rrg-chair')).cookies }))).body,
      );
      const notifier = String(
        (await app(webEvent({ path: '/', cookies: signedIn(testUser('notifier')).cookies }))).body,
      );

      expect(chair).toContain('href="/cases"');
      expect(chair).not.toContain('href="/notifications/new"');
      expect(notifier).toContain('href="/notifications/new"');
      expect(notifier).not.toContain('href="/cases"');
    });

    it('offers sign-in to someone not signed in, and sign-out (a POST with the CSRF token) to someone signed in', async () => {
      const app = testWebApp(pages);
      const browser = signedIn(testUser('rrg-chair'));

      const anonymous = String((await app(webEvent({ path: '/' }))).body);
      const member = String((await app(webEvent({ path: '/', cookies: browser.cookies }))).body);

      expect(anonymous).toContain('href="/sign-in"');
      expect(member).toMatch(/<form method="post" action="\/sign-out"/);
      expect(member).toContain(`value="${browser.csrfToken}"`);
    });
  });

  describe('on a POST', () => {
    it('refuses a form without the CSRF token with the 400 page, without running the page', async () => {
      const app = testWebApp(pages);
      const browser = signedIn(testUser('rrg-chair'));
      seen.form = undefined;

      const result = await app(
        webEvent({ path: '/cases/abc/decision', cookies: browser.cookies, form: { lcspr: 'yes' } }),
      );

      expect(result.statusCode).toBe(400);
      expect(String(result.body)).toContain('Sorry, we could not accept your form');
      expect(seen.form).toBeUndefined();
    });

    it("refuses another session's CSRF token", async () => {
      const app = testWebApp(pages);
      const mine = signedIn(testUser('rrg-chair'));
      const theirs = signedIn(testUser('rrg-chair'));

      const result = await app(
        webEvent({
          path: '/cases/abc/decision',
          cookies: mine.cookies,
          csrfToken: theirs.csrfToken,
          form: {},
        }),
      );

      expect(result.statusCode).toBe(400);
    });

    it('runs the page with the parsed form, repeated names kept, when the token matches the session', async () => {
      const app = testWebApp(pages);
      const browser = signedIn(testUser('rrg-chair'));

      const result = await app(
        webEvent({
          path: '/cases/abc/decision',
          cookies: browser.cookies,
          csrfToken: browser.csrfToken,
          form: { reason: 'Learning about multi-agency working', agency: ['police', 'health'] },
        }),
      );

      expect(result.statusCode).toBe(303);
      expect(result.headers?.location).toBe('/cases/abc/decision/done');
      expect(seen.form?.get('reason')).toBe('Learning about multi-agency working');
      expect(seen.form?.getAll('agency')).toEqual(['police', 'health']);
    });

    it('accepts the anonymous CSRF cookie’s token on a public form', async () => {
      const app = testWebApp(pages);
      const browser = anonymousBrowser();

      const accepted = await app(
        webEvent({ path: '/agency/token', cookies: browser.cookies, csrfToken: browser.csrfToken, form: {} }),
      );
      const withoutCookie = await app(
        webEvent({ path: '/agency/token', csrfToken: browser.csrfToken, form: {} }),
      );

      expect(accepted.statusCode).toBe(303);
      expect(withoutCookie.statusCode).toBe(400);
    });

    it('gives someone without a session the anonymous CSRF cookie with a page that has a form', async () => {
      const app = testWebApp(pages);

      const result = await app(webEvent({ path: '/' }));

      expect(setCookie(result, csrfCookieName)).toMatch(/; Path=\/; Secure; HttpOnly; SameSite=Lax;/);
    });
  });

  describe('errors', () => {
    it('shows the 404 page for a path no page answers, and for a page that reports not found', async () => {
      const app = testWebApp(pages);
      const browser = signedIn(testUser('partnership-team'));

      const unknown = await app(webEvent({ path: '/no/such/page' }));
      const missingCase = await app(
        webEvent({ path: '/cases/5d0c0000-0000-4000-8000-000000000000', cookies: browser.cookies }),
      );

      expect(unknown.statusCode).toBe(404);
      expect(String(unknown.body)).toContain('Page not found');
      expect(missingCase.statusCode).toBe(404);
      expect(seen.params).toEqual({ caseId: '5d0c0000-0000-4000-8000-000000000000' });
    });

    it('shows a 400 page for a path with malformed percent-encoding, and problem JSON under /api/', async () => {
      const app = testWebApp(pages);
      const browser = signedIn(testUser('partnership-team'));

      const page = await app(webEvent({ path: '/cases/%E0%A4%A', cookies: browser.cookies }));
      const anonymous = await app(webEvent({ path: '/cases/%E0%A4%A' }));
      const api = await app(webEvent({ path: '/api/cases/%E0%A4%A' }));

      expect(page.statusCode).toBe(400);
      expect(String(page.body)).toContain('There is a problem with the web address');
      expect(anonymous.statusCode).toBe(400);
      expect(api.statusCode).toBe(400);
      expect(api.headers?.['content-type']).toBe('application/problem+json');
      expect(JSON.parse(String(api.body)).errors).toEqual([
        { field: '(path)', message: expect.stringMatching(/web address/) },
      ]);
    });

    it('sends someone not signed in to sign in with a return path that a Location header can carry', async () => {
      const app = testWebApp(pages);

      const result = await app(webEvent({ path: '/cases', query: 'status=€' }));

      expect(result.statusCode).toBe(303);
      const location = String(result.headers?.location);
      expect(location).toMatch(/^[\x21-\x7e]+$/);
      expect(new URL(location, 'https://x.example.org').searchParams.get('returnTo')).toBe('/cases?status=€');
    });

    it('answers problem JSON, not a page, for an unknown /api/ path', async () => {
      const app = testWebApp(pages);

      const result = await app(webEvent({ path: '/api/nothing' }));

      expect(result.statusCode).toBe(404);
      expect(result.headers?.['content-type']).toBe('application/problem+json');
    });

    it('shows the 500 page when a page throws, logging once the error name, where it was thrown and the request id, never its message', async () => {
      const output = captureOutput();
      const app = testWebApp(pages);

      const result = await app(webEvent({ path: '/broken' }));

      expect(result.statusCode).toBe(500);
      expect(String(result.body)).toContain('Sorry, there is a problem with the service');
      expect(String(result.body)).not.toContain('child’s name');
      expect(output.errors()).toHaveLength(1);
      const line = output.errors()[0] as Record<string, string>;
      expect(line).toMatchObject({
        level: 'ERROR',
        message: 'Unexpected error',
        error: 'Error',
        page: 'GET /broken',
        requestId: 'request-test',
      });
      expect(line.stack).toContain('router.test.ts');
      expect(JSON.stringify(line)).not.toContain('child’s name');
      output.restore();
    });

    it('refuses two pages for the same method and path', () => {
      expect(() => testWebApp([pages[0] as Page, pages[0] as Page])).toThrow('Two pages answer GET /');
    });
  });

  describe('assets', () => {
    it("serves govuk-frontend's CSS with its content type, cached for a year when versioned", async () => {
      const app = testWebApp(pages);

      const result = await app(webEvent({ path: '/assets/govuk-frontend.min.css', query: 'v=abc' }));

      expect(result.statusCode).toBe(200);
      expect(result.headers?.['content-type']).toBe('text/css; charset=utf-8');
      expect(result.headers?.['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(String(result.body)).toContain('.govuk-header');
    });

    it("serves govuk-frontend's CSS without GOV.UK's typeface: no GDS Transport font face or stack, Arial instead", async () => {
      const app = testWebApp(pages);

      const css = String((await app(webEvent({ path: '/assets/govuk-frontend.min.css' }))).body);

      expect(css).not.toContain('GDS Transport');
      expect(css).not.toContain('@font-face');
      expect(css).toMatch(/\.govuk-heading-xl\{font-family:arial,sans-serif;/);
      expect(css).toContain('.govuk-generic-header');
    });

    it("serves none of GOV.UK's own files: its typeface, crown images and manifest are for services on GOV.UK", async () => {
      const app = testWebApp(pages);

      for (const path of [
        '/assets/fonts/bold-b542beb274-v2.woff2',
        '/assets/images/govuk-crest.svg',
        '/assets/images/favicon.ico',
        '/assets/manifest.json',
      ]) {
        const result = await app(webEvent({ path }));
        expect(result.statusCode, path).toBe(404);
        expect(result.headers?.['content-type'], path).toBe('text/html; charset=utf-8');
      }
    });

    it("serves the service's own app.js, and nothing outside the asset folders", async () => {
      const app = testWebApp(pages);

      const appJs = await app(webEvent({ path: '/assets/app.js' }));
      const traversal = await app(webEvent({ path: '/assets/..%2F..%2Fpackage.json' }));

      expect(appJs.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
      expect(String(appJs.body)).toContain('initAll');
      expect(traversal.statusCode).toBe(404);
    });
  });
});

describe('matchPath', () => {
  it('reads path parameters, decoded, and matches nothing longer or shorter', () => {
    expect(matchPath('/cases/{caseId}', '/cases/a%20b')).toEqual({ caseId: 'a b' });
    expect(matchPath('/cases/{caseId}', '/cases/a/b')).toBeUndefined();
    expect(matchPath('/cases/{caseId}', '/cases')).toBeUndefined();
    expect(matchPath('/cases.json', '/casesXjson')).toBeUndefined();
  });
});

describe('forms on a page whose path holds an agency’s link (no sessions)', () => {
  const capabilityPages: Page[] = [
    {
      method: 'POST',
      path: '/agency/{token}/return',
      access: publicAccess,
      capabilityInPath: true,
      handle: () => redirect('/agency/done'),
    },
    {
      method: 'POST',
      path: '/agency/{token}/other',
      access: publicAccess,
      handle: () => redirect('/agency/done'),
    },
  ];
  const app = createWebApp({
    pages: capabilityPages,
    service: profileOnlyService,
    templates: templateEnvironment,
    log: () => {},
  });

  it('takes a form without a CSRF token only on a page marked as holding its capability', async () => {
    const taken = await app(webEvent({ path: '/agency/a-token/return', form: { kind: 'involvement' } }));
    const refused = await app(webEvent({ path: '/agency/a-token/other', form: { kind: 'involvement' } }));

    expect(taken.statusCode).toBe(303);
    expect(refused.statusCode).toBe(400);
  });

  it('refuses to build a capability page whose path holds no token, or that is for staff', () => {
    const build = (page: Page) =>
      createWebApp({ pages: [page], service: profileOnlyService, templates: templateEnvironment });
    const handle = () => redirect('/');

    expect(() =>
      build({ method: 'POST', path: '/agency/return', access: publicAccess, capabilityInPath: true, handle }),
    ).toThrow(/must be public with a \{token\} in its path/);
    expect(() =>
      build({
        method: 'POST',
        path: '/agency/{token}/x',
        access: staffOnly('notifier'),
        capabilityInPath: true,
        handle,
      }),
    ).toThrow(/must be public with a \{token\} in its path/);
  });
});
