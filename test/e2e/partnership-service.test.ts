/**
 * The service as the partnership's own, in headless Chromium against the local stack: the
 * partnership's name in the header with no GOV.UK crown or logotype, on a staff page and on an
 * agency's page; the footer's accessibility statement, privacy notice and cookies page, opened
 * from the footer and free of WCAG 2.2 AA violations; and no "Sign in" for an agency.
 */
import { randomUUID } from 'node:crypto';
import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, textOf, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** The name local/partnership-profile.json gives the partnership. */
const partnershipName = 'Exampleshire Safeguarding Children Partnership (demo)';

/** The footer's links, in order: text and path. */
const footerPages = [
  {
    link: 'Accessibility statement',
    path: '/accessibility-statement',
    heading: 'Accessibility statement for Safeguarding practice reviews',
  },
  { link: 'Privacy notice', path: '/privacy', heading: 'Privacy notice' },
  { link: 'Cookies', path: '/cookies', heading: 'Cookies' },
] as const;

/**
 * The page's header is the partnership's: its name in the Design System's generic header, and
 * nothing of GOV.UK's (no GOV.UK header, crown or logotype, no "Crown copyright").
 */
async function expectPartnershipHeader(page: BrowserPage, where: string): Promise<void> {
  expect(await textOf(page, 'header .govuk-generic-header'), where).toBe(partnershipName);
  expect(
    await page.locator('.govuk-header, .govuk-logo, .govuk-footer__crown, header svg, footer svg').count(),
    where,
  ).toBe(0);
  expect(await page.getByText('GOV.UK', { exact: false }).count(), where).toBe(0);
  expect(await page.getByText('Crown copyright').count(), where).toBe(0);
  expect(await textOf(page, 'footer'), where).toContain(`Run by ${partnershipName}`);
}

/** The footer's links as the browser shows them: text and path. */
async function footerLinks(page: BrowserPage): Promise<{ text: string; path: string }[]> {
  const links = await page.locator('footer a.govuk-footer__link').all();
  return Promise.all(
    links.map(async (link) => ({
      text: ((await link.textContent()) ?? '').trim(),
      path: (await link.getAttribute('href')) ?? '',
    })),
  );
}

describe("the partnership's own service in a browser", () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('opens the accessibility statement, privacy notice and cookies page from a staff page’s footer, each with the partnership’s header', async () => {
    // Prepare
    const user = await signInAs(browser.page, stack.apiUrl, 'partnership-team');
    await browser.page.goto(`${stack.apiUrl}/cases`);
    await expectPartnershipHeader(browser.page, 'the cases page');
    expect(await textOf(browser.page, '.govuk-service-navigation')).toContain(user.name);
    expect(await footerLinks(browser.page)).toEqual(
      footerPages.map(({ link, path }) => ({ text: link, path })),
    );
    await screenshot(browser.page, 'staff-page-header-and-footer');

    for (const { link, path, heading } of footerPages) {
      // Act
      await browser.page.goto(`${stack.apiUrl}/cases`);
      await Promise.all([
        browser.page.waitForURL((url) => url.pathname === path),
        browser.page.locator('footer').getByRole('link', { name: link, exact: true }).click(),
      ]);

      // Assess
      expect(await textOf(browser.page, 'main h1'), path).toBe(heading);
      await expectPartnershipHeader(browser.page, path);
      await expectNoAxeViolations(browser.page, `the ${link.toLowerCase()} page`);
      await screenshot(browser.page, path.slice(1));
    }
    // The pages are filled from the profile (local/partnership-profile.json).
    await browser.page.goto(`${stack.apiUrl}/privacy`);
    expect(await textOf(browser.page, 'main')).toContain(
      "(demo), the partnership's safeguarding partners, are jointly responsible",
    );
    expect(
      await browser.page.locator('main a[href="mailto:data.protection@example.org"]').count(),
    ).toBeGreaterThan(0);
    await browser.page.goto(`${stack.apiUrl}/cookies`);
    expect(await browser.page.locator('main tbody tr').count()).toBe(4);
  });

  it('reads the three pages without signing in, and offers sign-in to staff there', async () => {
    for (const { path, heading } of footerPages) {
      // Act
      const response = await browser.page.goto(`${stack.apiUrl}${path}`);

      // Assess
      expect(response?.status(), path).toBe(200);
      expect(await textOf(browser.page, 'main h1'), path).toBe(heading);
      expect(await browser.page.locator('header a[href="/sign-in"]').count(), path).toBe(1);
    }
  });

  it('fits the three pages, header and footer included, on a screen 320 pixels wide', async () => {
    // Prepare
    await browser.page.setViewportSize({ width: 320, height: 640 });

    for (const { path } of footerPages) {
      // Act
      await browser.page.goto(`${stack.apiUrl}${path}`);

      // Assess: nothing wider than the screen, so nothing scrolls sideways.
      const width = (await browser.page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width, path).toBeLessThanOrEqual(320);
      await expectNoAxeViolations(browser.page, `${path} at 320 pixels`);
      await screenshot(browser.page, `${path.slice(1)}-320px`);
    }
  });

  it('shows an agency the partnership’s header and footer on its own page, never “Sign in”, and the footer’s pages from there', async () => {
    // Prepare: a case whose request emails carry the agencies' links.
    const notification = sampleNotification();
    const { reference } = await stack.client.submitNotification(notification, randomUUID());
    const [email] = await stack.client.waitForEmails(
      'a summary request to the police',
      (candidate) =>
        candidate.subject.includes(reference) && candidate.destination.to.includes('spoc.police@example.org'),
    );
    const agencyLink = /https?:\/\/\S+?\/agency\/[A-Za-z0-9_-]{43}/.exec(email?.body.text ?? '')?.[0];
    expect(agencyLink, 'the agency link in the request email').toBeDefined();

    // Act
    const response = await browser.page.goto(agencyLink as string);

    // Assess
    expect(response?.status()).toBe(200);
    await expectPartnershipHeader(browser.page, 'the agency page');
    expect(await browser.page.getByText(/sign in/i).count()).toBe(0);
    expect(await browser.page.locator('a[href="/sign-in"]').count()).toBe(0);
    // The partnership's name leads back to the agency's own page, not to the staff start page.
    const agencyPath = new URL(agencyLink as string).pathname;
    expect(await browser.page.locator('header .govuk-generic-header a').getAttribute('href')).toBe(
      agencyPath,
    );
    expect(await footerLinks(browser.page)).toEqual(
      footerPages.map(({ link, path }) => ({ text: link, path })),
    );
    await expectNoAxeViolations(browser.page, 'the agency page');
    await screenshot(browser.page, 'agency-page-header-and-footer');

    // Act: the privacy notice from the agency page's footer.
    await Promise.all([
      browser.page.waitForURL((url) => url.pathname === '/privacy'),
      browser.page.locator('footer').getByRole('link', { name: 'Privacy notice', exact: true }).click(),
    ]);

    // Assess
    expect(await textOf(browser.page, 'main h1')).toBe('Privacy notice');
    expect(await textOf(browser.page, 'main')).toContain('their contact sees the case reference');
    await expectNoAxeViolations(browser.page, 'the privacy notice reached from an agency page');
  });
});
