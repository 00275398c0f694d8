/**
 * The GOV.UK pages in headless Chromium against the local stack: the frame every page shares,
 * the local sign-in, and roles enforced on the server for every staff page the web function has.
 */
import { randomUUID } from 'node:crypto';
import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Page as WebPage } from '../../functions/web/page.ts';
import { pages } from '../../functions/web/pages/index.ts';
import { localUsers } from '../../local/tokens.ts';
import { type StaffRole, staffRole } from '../../shared/schemas/roles.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, textOf, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

const serviceName = 'Safeguarding practice reviews';

/** A computed style of the first element matching `selector`, read in the page. */
function computedStyle(page: BrowserPage, selector: string, property: string): Promise<string> {
  return page.evaluate(
    `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`,
  ) as Promise<string>;
}

/** Whether the page's access lets someone holding `role` in. */
function allowsRole(page: WebPage, role: StaffRole): boolean {
  return page.access.kind === 'public' || page.access.roles.includes(role);
}

/** A concrete path for a page path: each `{parameter}` becomes an invented id. */
function concretePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, () => randomUUID());
}

describe('the GOV.UK pages in a browser', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('shows the start page with the GOV.UK header, phase banner and footer, styled by GOV.UK Frontend', async () => {
    // Act
    const response = await browser.page.goto(`${stack.apiUrl}/`);

    // Assess
    expect(response?.status()).toBe(200);
    expect(await browser.page.title()).toBe(serviceName);
    // The landmarks come from govuk/template.njk: the GOV.UK header and service navigation in its
    // <header>, the GOV.UK footer in its <footer>.
    const header = 'header.govuk-template__header';
    expect(await browser.page.locator('header').count()).toBe(1);
    expect(await browser.page.locator(`${header} .govuk-header .govuk-header__logotype`).count()).toBe(1);
    expect(await textOf(browser.page, `${header} .govuk-service-navigation__service-name`)).toBe(serviceName);
    expect(await textOf(browser.page, '.govuk-phase-banner')).toMatch(/^Alpha This is a new service/);
    expect(await browser.page.locator('footer').count()).toBe(1);
    expect(await textOf(browser.page, 'footer.govuk-template__footer .govuk-footer')).toContain(
      'Run by Exampleshire Safeguarding Children Partnership (demo)',
    );
    expect(await textOf(browser.page, 'main h1')).toBe(serviceName);
    // The stylesheet loaded (the header is brand blue, text in GDS Transport), and so did the
    // script tag that marks GOV.UK Frontend as supported (it needs the page's CSP nonce).
    expect(await computedStyle(browser.page, `${header} .govuk-header`, 'background-color')).toBe(
      'rgb(29, 112, 184)',
    );
    expect(await computedStyle(browser.page, 'main h1', 'font-family')).toContain('GDS Transport');
    expect(await browser.page.locator('body.govuk-frontend-supported').count()).toBe(1);
    await expectNoAxeViolations(browser.page, 'the start page');
    await screenshot(browser.page, 'start-page');
  });

  it('lists one invented user per role on the local sign-in page, marked as local only', async () => {
    // Act
    const response = await browser.page.goto(`${stack.apiUrl}/sign-in`);

    // Assess
    expect(response?.status()).toBe(200);
    expect(await textOf(browser.page, '.govuk-warning-text')).toContain('Local only: invented users.');
    const radios = browser.page.locator('main input[type="radio"]');
    expect(await radios.count()).toBe(staffRole.options.length);
    for (const role of staffRole.options) {
      const radio = browser.page.locator(`main input[type="radio"][value="${role}"]`);
      const id = await radio.getAttribute('id');
      expect(await textOf(browser.page, `label[for="${id}"]`), `the label of the ${role} radio`).toBe(
        localUsers[role].name,
      );
    }
    await expectNoAxeViolations(browser.page, 'the local sign-in page');
    await screenshot(browser.page, 'local-sign-in');
  });

  it("shows the notifier's name in the service navigation once signed in as the notifier", async () => {
    // Act
    const user = await signInAs(browser.page, stack.apiUrl, 'notifier');

    // Assess
    expect(new URL(browser.page.url()).pathname).toBe('/');
    expect(await textOf(browser.page, '.govuk-service-navigation')).toContain(user.name);
    expect(await textOf(browser.page, 'main')).toContain(`You are signed in as ${user.name}.`);
    await expectNoAxeViolations(browser.page, 'the start page signed in as the notifier');
    await screenshot(browser.page, 'start-page-signed-in-notifier');
  });

  describe('roles enforced on the server', () => {
    /** What each role should find on the start page: the menu pages its role may use, in order. */
    it.for(staffRole.options)(
      'offers the %s on the start page only the pages that role may use',
      async (role) => {
        // Prepare
        const expected = pages
          .filter((page) => page.method === 'GET' && page.menu && allowsRole(page, role))
          .map((page) => page.path);
        await signInAs(browser.page, stack.apiUrl, role);

        // Act
        await browser.page.goto(`${stack.apiUrl}/`);

        // Assess
        const offered = await browser.page
          .locator('main .app-menu a')
          .evaluateAll((links) =>
            links.map((link) =>
              (link as unknown as { getAttribute(name: string): string }).getAttribute('href'),
            ),
          );
        expect(offered).toEqual(expected);
      },
    );

    // Every staff page the web function has, read from its own list, so a page is checked here
    // as soon as it is listed: each role is refused (403) wherever its role is not named, and let
    // through (not 403, not sent to sign in) wherever it is. A POST goes without a valid form:
    // roles are checked before the CSRF token.
    const staffPages = pages.filter((page) => page.access.kind === 'staff');

    it.for(staffRole.options)(
      'refuses the %s every staff page of other roles with 403 and lets it through to its own',
      async (role) => {
        // Prepare
        await signInAs(browser.page, stack.apiUrl, role);

        // Act
        const answers = [];
        for (const page of staffPages) {
          const url = `${stack.apiUrl}${concretePath(page.path)}`;
          const response =
            page.method === 'GET'
              ? await browser.page.request.get(url, { maxRedirects: 0 })
              : await browser.page.request.post(url, {
                  form: { csrfToken: 'not-checked-yet' },
                  maxRedirects: 0,
                });
          answers.push({
            page: `${page.method} ${page.path}`,
            allowed: allowsRole(page, role),
            status: response.status(),
            location: response.headers().location,
          });
        }

        // Assess
        const sentToSignIn = (location: string | undefined) => location?.startsWith('/sign-in') ?? false;
        const wrong = answers.filter(({ allowed, status, location }) =>
          allowed ? status === 403 || sentToSignIn(location) : status !== 403,
        );
        expect(
          wrong,
          `pages answering the ${role} wrongly (let through: neither 403 nor sent to sign in)`,
        ).toEqual([]);
      },
    );

    it('sends a person who is not signed in from every staff page to sign in, coming back afterwards', async () => {
      // Act
      const answers = [];
      for (const page of staffPages) {
        const path = concretePath(page.path);
        const response = await fetch(`${stack.apiUrl}${path}`, { method: page.method, redirect: 'manual' });
        answers.push({
          page: `${page.method} ${page.path}`,
          status: response.status,
          location: response.headers.get('location'),
          path,
        });
      }

      // Assess
      expect(answers.length).toBeGreaterThan(0);
      for (const answer of answers) {
        expect(answer, answer.page).toEqual({
          ...answer,
          status: 303,
          location: `/sign-in?${new URLSearchParams({ returnTo: answer.path })}`,
        });
      }
    });

    it('shows the notifier the GOV.UK "You cannot use this page" page on the cases page', async () => {
      // Prepare
      await signInAs(browser.page, stack.apiUrl, 'notifier');

      // Act
      const response = await browser.page.goto(`${stack.apiUrl}/cases`);

      // Assess
      expect(response?.status()).toBe(403);
      expect(await textOf(browser.page, 'main h1')).toBe('You cannot use this page');
      await expectNoAxeViolations(browser.page, 'the 403 page');
      await screenshot(browser.page, 'forbidden-page-for-notifier');
    });
  });
});
