import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { localCaseStore } from '../../local/demo-directory.ts';
import { localLearningStore, seedClosedReviews } from '../../local/insight/seed-reviews.ts';
import type { StaffRole } from '../../shared/schemas/roles.ts';
import { engineeringWordsIn } from '../support/plain-words.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, textOf, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** GOV.UK's narrowest width: a page must not scroll sideways there. */
const narrow = { width: 320, height: 800 };

function sidewaysOverflow(page: BrowserPage): Promise<number> {
  return page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  ) as Promise<number>;
}

/**
 * The scrutineer's six-monthly report and the partnership's dashboard (issue 14 parts 3 and 4)
 * in a browser, on a stack holding forty invented closed reviews (the seed `npm run seed` writes),
 * each page checked with axe at desktop width and at 320 px.
 */
describe('the scrutiny report and the dashboard', () => {
  const stack = useLocalStack();
  const browser = usePage();

  beforeAll(async () => {
    await seedClosedReviews(
      localCaseStore(stack.stack.dynamodbEndpoint, stack.stack.tableName),
      localLearningStore(stack.stack.dynamodbEndpoint, stack.stack.tableName),
      { count: 40, now: stack.stack.clock.now() },
    );
  }, 120_000);

  async function open(role: StaffRole, entry: string): Promise<void> {
    await browser.page.setViewportSize({ width: 1280, height: 800 });
    await signInAs(browser.page, stack.apiUrl, role);
    await browser.page.goto(`${stack.apiUrl}/`);
    await Promise.all([
      browser.page.waitForLoadState('load'),
      browser.page.locator('main .app-menu a', { hasText: entry }).click(),
    ]);
    await browser.page.waitForLoadState('load');
  }

  async function atNarrowWidth(name: string): Promise<void> {
    await browser.page.setViewportSize(narrow);
    await browser.page.reload();
    expect(await sidewaysOverflow(browser.page), `${name} scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
    await expectNoAxeViolations(browser.page, `${name} (320 px)`);
    await screenshot(browser.page, `${name}-320`);
  }

  it('gives the scrutineer the report for a half-year, their commentary and the PDF, naming no child', async () => {
    await open('scrutineer', 'Scrutiny report');

    // The last complete half-year before Wednesday 4 March 2026.
    expect(new URL(browser.page.url()).pathname).toBe('/scrutiny');
    expect(await textOf(browser.page, 'main h1')).toBe('1 July to 31 December 2025');
    const main = await textOf(browser.page, 'main');
    expect(main).toContain('Notifications received');
    expect(main).toContain('On time against the Panel’s date');
    expect(main).toContain('Agencies’ returns');
    expect(main).not.toContain('Child A (invented)');
    expect(engineeringWordsIn(main)).toEqual([]);
    await expectNoAxeViolations(browser.page, 'the scrutiny report (desktop)');
    await screenshot(browser.page, 'scrutiny-report');

    // Another period, chosen without JavaScript's help: a GET form.
    await browser.page.selectOption('#period', '2025-H1');
    await Promise.all([
      browser.page.waitForURL(/period=2025-H1/),
      browser.page.click('button:has-text("Show this period")'),
    ]);
    expect(await textOf(browser.page, 'main h1')).toBe('1 January to 30 June 2025');

    // The commentary: refused empty, naming the field; then saved.
    await Promise.all([
      browser.page.waitForLoadState('load'),
      browser.page.click('button:has-text("Save the commentary")'),
    ]);
    expect(await textOf(browser.page, '.govuk-error-summary')).toContain('Enter the commentary');
    await expectNoAxeViolations(browser.page, 'the commentary refused');
    await browser.page.fill('#commentary', 'Invented commentary: most reviews went on time (demo).');
    await Promise.all([
      browser.page.waitForURL(/saved=1/),
      browser.page.click('button:has-text("Save the commentary")'),
    ]);
    expect(await textOf(browser.page, '.govuk-notification-banner')).toContain('Your commentary is saved.');
    expect(await textOf(browser.page, 'main')).toContain(
      'Invented commentary: most reviews went on time (demo).',
    );

    // The PDF for the Executive Board.
    const href = await browser.page
      .locator('a', { hasText: 'Download the report as a PDF' })
      .getAttribute('href');
    expect(href).toBe('/scrutiny/report/pdf?period=2025-H1');
    const pdf = await browser.context.request.get(`${stack.apiUrl}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // A review of the period opens read only.
    const first = browser.page.locator('#reviews ~ table tbody tr a').first();
    expect(await first.count()).toBe(1);
    await atNarrowWidth('scrutiny-report');
  });

  it.for([
    ['partnership-team', 'dashboard-team'],
    ['executive-board', 'dashboard-board'],
  ] as const)(
    'gives the %s the dashboard: charts as images with their tables, at any width',
    async ([role, name]) => {
      await open(role, 'Dashboard');

      expect(new URL(browser.page.url()).pathname).toBe('/dashboard');
      expect(await textOf(browser.page, 'main h1')).toBe('Dashboard');
      const charts = browser.page.locator('main svg[role="img"]');
      expect(await charts.count()).toBeGreaterThanOrEqual(3);
      for (const id of ['chart-trend', 'chart-agencies', 'chart-themes']) {
        expect(await browser.page.locator(`#${id}-title`).count(), id).toBe(1);
      }
      expect(await browser.page.locator('main table').count()).toBeGreaterThanOrEqual(3);
      const main = await textOf(browser.page, 'main');
      expect(main).not.toContain('Child A (invented)');
      expect(engineeringWordsIn(main)).toEqual([]);
      await expectNoAxeViolations(browser.page, `${name} (desktop)`);
      await screenshot(browser.page, name);
      await atNarrowWidth(name);
    },
  );
});
