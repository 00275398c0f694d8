/**
 * The GOV.UK pages in headless Chromium against the local stack: the frame every page shares,
 * the local sign-in, coming back to a page after signing in, and the page refusing a role.
 */
import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localUsers } from '../../local/tokens.ts';
import { staffRole } from '../../shared/schemas/roles.ts';
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

describe('the GOV.UK pages in a browser', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it("shows the start page with the partnership's own header, phase banner and footer, styled by GOV.UK Frontend", async () => {
    // Act
    const response = await browser.page.goto(`${stack.apiUrl}/`);

    // Assess
    expect(response?.status()).toBe(200);
    expect(await browser.page.title()).toBe(serviceName);
    // The landmarks come from govuk/template.njk: the Design System's generic header (the
    // partnership's name, no crown) and service navigation in its <header>, the footer in its <footer>.
    const header = 'header.govuk-template__header';
    expect(await browser.page.locator('header').count()).toBe(1);
    expect(await textOf(browser.page, `${header} .govuk-generic-header`)).toBe(
      'Exampleshire Safeguarding Children Partnership (demo)',
    );
    expect(await browser.page.locator('.govuk-header, .govuk-logo, header svg, footer svg').count()).toBe(0);
    expect(await textOf(browser.page, `${header} .govuk-service-navigation__service-name`)).toBe(serviceName);
    expect(await textOf(browser.page, '.govuk-phase-banner')).toMatch(/^Alpha This is a new service/);
    expect(await browser.page.locator('footer').count()).toBe(1);
    expect(await textOf(browser.page, 'footer.govuk-template__footer .govuk-footer')).toContain(
      'Run by Exampleshire Safeguarding Children Partnership (demo)',
    );
    expect(await textOf(browser.page, 'main h1')).toBe(serviceName);
    // The stylesheet loaded (the generic header is near-black, text in Arial, not GOV.UK's GDS
    // Transport), and so did the script tag that marks GOV.UK Frontend as supported (it needs the
    // page's CSP nonce).
    expect(await computedStyle(browser.page, `${header} .govuk-generic-header`, 'background-color')).toBe(
      'rgb(11, 12, 12)',
    );
    expect(await computedStyle(browser.page, 'main h1', 'font-family')).toBe('arial, sans-serif');
    expect(await browser.page.locator('body.govuk-frontend-supported').count()).toBe(1);
    await expectNoAxeViolations(browser.page, 'the start page');
    await screenshot(browser.page, 'start-page');
  });

  it('lists one invented user per role, and a delegate for each other safeguarding partner, on the local sign-in page, marked as local only', async () => {
    // Act
    const response = await browser.page.goto(`${stack.apiUrl}/sign-in`);

    // Assess
    expect(response?.status()).toBe(200);
    expect(await textOf(browser.page, '.govuk-warning-text')).toContain('Local only: invented users.');
    const radios = browser.page.locator('main input[type="radio"]');
    // One per role, and the police and integrated care board partners' delegates beside the local authority's.
    expect(await radios.count()).toBe(staffRole.options.length + 2);
    expect(await browser.page.locator('main input[value="safeguarding-partner:police"]').count()).toBe(1);
    expect(await browser.page.locator('main input[value="safeguarding-partner:health"]').count()).toBe(1);
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

  // Which role may use which page, for every page and role, is checked in-process
  // (test/unit/web/role-matrix.test.ts); here, what only a browser shows.
  describe('roles enforced on the server', () => {
    it('sends a person who is not signed in to sign in, and back to the page once they have', async () => {
      // Act
      await browser.page.goto(`${stack.apiUrl}/cases?status=awaiting-decision`);
      const signInPage = new URL(browser.page.url());
      await browser.page.locator('main input[type="radio"][value="partnership-team"]').check();
      await Promise.all([
        browser.page.waitForURL((url) => url.pathname !== '/sign-in'),
        browser.page.locator('main form button').click(),
      ]);

      // Assess
      expect(signInPage.pathname).toBe('/sign-in');
      expect(signInPage.searchParams.get('returnTo')).toBe('/cases?status=awaiting-decision');
      const back = new URL(browser.page.url());
      expect(`${back.pathname}${back.search}`).toBe('/cases?status=awaiting-decision');
      expect(await textOf(browser.page, '.govuk-service-navigation')).toContain(
        localUsers['partnership-team'].name,
      );
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
