import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import type { StaffRole } from '../../shared/schemas/roles.ts';
import { engineeringWordsIn } from '../support/plain-words.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, textOf, usePage } from './support/browser.ts';
import { bringToDecisionWait } from './support/reviews.ts';
import { useLocalStack } from './support/stack.ts';

/** GOV.UK's narrowest width: a page must not scroll sideways there. */
const narrow = { width: 320, height: 800 };

/** How far the page is wider than its window (0 when nothing scrolls sideways). */
function sidewaysOverflow(page: BrowserPage): Promise<number> {
  return page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  ) as Promise<number>;
}

describe('each role’s home', () => {
  const stack = useLocalStack();
  const browser = usePage();
  const notification = sampleNotification();
  let caseId = '';
  let reference = '';

  beforeAll(async () => {
    ({ caseId, reference } = await bringToDecisionWait(stack.client, notification));
  }, 120_000);

  /** Signs in, follows the start page's menu entry to the home, checks it with axe at both widths. */
  async function home(role: StaffRole, entry: string, name: string): Promise<void> {
    await signInAs(browser.page, stack.apiUrl, role);
    await browser.page.goto(`${stack.apiUrl}/`);
    await Promise.all([
      browser.page.waitForLoadState('load'),
      browser.page.locator('main .app-menu a', { hasText: entry }).click(),
    ]);
    await browser.page.waitForLoadState('load');
    // No user id, ISO instant, id or workflow state name in what the page says.
    expect(engineeringWordsIn(await textOf(browser.page, 'body')), name).toEqual([]);
    await expectNoAxeViolations(browser.page, `${name} (desktop)`);
    await screenshot(browser.page, name);
  }

  /** The same page at 320 px: axe clean, nothing wider than the window. */
  async function atNarrowWidth(name: string): Promise<void> {
    await browser.page.setViewportSize(narrow);
    await browser.page.reload();
    expect(await sidewaysOverflow(browser.page), `${name} scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
    await expectNoAxeViolations(browser.page, `${name} (320 px)`);
    await screenshot(browser.page, `${name}-320`);
  }

  it('gives the partnership team the cases list: found by the child’s initials, sorted, closed cases, and a CSV', async () => {
    await home('partnership-team', 'Cases', 'team-cases');
    expect(new URL(browser.page.url()).pathname).toBe('/cases');

    // Act: find the case by the child's initials ("Demo Child One"), soonest due first, closed included.
    await browser.page.fill('#q', 'D.O.');
    await browser.page.selectOption('#sort', 'due');
    await browser.page.check('input[name="closed"]');
    await Promise.all([
      browser.page.waitForURL(/q=D\.O\./),
      browser.page.click('button:has-text("Show cases")'),
    ]);

    // Assess
    expect(await textOf(browser.page, 'main h1')).toBe('All cases');
    expect(await browser.page.locator('tbody tr', { hasText: reference }).count()).toBe(1);
    expect(await textOf(browser.page, 'caption')).toBe('1 case found for “D.O.”');
    await expectNoAxeViolations(browser.page, 'the cases list found by initials');
    const csvHref = await browser.page.locator('a', { hasText: 'Download these cases' }).getAttribute('href');
    expect(csvHref).toBe('/cases.csv?closed=yes&sort=due&q=D.O.');
    const csv = await browser.context.request.get(`${stack.apiUrl}${csvHref}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toBe('attachment; filename="cases-2026-03-19.csv"');
    const csvText = (await csv.text()).replace(/^\uFEFF/, '');
    expect(engineeringWordsIn(csvText)).toEqual([]);
    const lines = csvText.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^Reference,Notifying local authority,Incident,Received,Status,/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${reference},Exampleshire County Council,Serious harm to a child,04/03/2026,Awaiting decision,`,
      ),
    );
    expect(lines).toHaveLength(2);

    await atNarrowWidth('team-cases-found');
  });

  it('asks the Rapid Review Group chair for the decision, by when, with a link that opens it', async () => {
    await home('rrg-chair', 'Your cases', 'chair-your-cases');

    const card = browser.page.locator('.govuk-summary-card', { hasText: reference });
    expect(await card.textContent()).toContain(
      'Record the group’s decision by 5pm on Tuesday 24 March 2026.',
    );
    await atNarrowWidth('chair-your-cases');
    await Promise.all([
      browser.page.waitForURL(`**/cases/${caseId}/decision`),
      card.locator('a', { hasText: 'Record the decision' }).click(),
    ]);
    expect(await textOf(browser.page, 'main h1')).not.toBe('');
  });

  it('asks a Rapid Review Group member to read the papers, and nothing else', async () => {
    await home('rrg-member', 'Your cases', 'member-your-cases');

    const card = await browser.page.locator('.govuk-summary-card', { hasText: reference }).textContent();
    expect(card).toContain('Read the papers before the meeting.');
    expect(card).not.toContain('Record the decision');
    await atNarrowWidth('member-your-cases');
  });

  it('tells a safeguarding partner and the Executive Board chair that nothing needs them before the decision', async () => {
    for (const role of ['safeguarding-partner', 'executive-board'] as const) {
      await home(role, 'Your cases', `${role}-your-cases`);
      expect(await textOf(browser.page, 'main')).toContain('Nothing needs you at the moment.');
      expect(await browser.page.locator('.govuk-summary-card', { hasText: reference }).count()).toBe(1);
    }
    await atNarrowWidth('executive-board-your-cases');
  });

  it('gives the scrutineer a read-only list and review that name no child', async () => {
    await home('scrutineer', 'Scrutiny report', 'scrutineer-report');
    // Their list is on the six-monthly report (issue 14): the reviews of the half-year chosen.
    await browser.page.selectOption('#period', '2026-H1');
    await Promise.all([
      browser.page.waitForURL(/period=2026-H1/),
      browser.page.click('button:has-text("Show this period")'),
    ]);

    const row = browser.page.locator('tbody tr', { hasText: reference });
    expect((await row.textContent())?.replace(/\s+/g, ' ')).toContain('Not due yet');
    expect(await textOf(browser.page, 'main')).not.toContain('Demo Child One');
    await atNarrowWidth('scrutineer-list');
    await Promise.all([browser.page.waitForURL(`**/scrutiny/${caseId}`), row.locator('a').click()]);
    expect(await textOf(browser.page, 'main h1')).toBe(`Rapid Review ${reference}`);
    const main = await textOf(browser.page, 'main');
    expect(main).toContain('4 agencies asked; 3 returned');
    expect(main).not.toContain('Demo Child One');
    expect(main).not.toContain(notification.notifier.name);
    expect(engineeringWordsIn(main)).toEqual([]);
    await expectNoAxeViolations(browser.page, 'the scrutineer’s view of a review (320 px)');
    await screenshot(browser.page, 'scrutineer-review-320');
  });

  it('shows the notifier the notifications they sent, and what each said', async () => {
    await home('notifier', 'Your notifications', 'notifier-notifications');

    const card = browser.page.locator('.govuk-summary-card', { hasText: reference });
    expect(await card.textContent()).toContain('10am on Wednesday 4 March 2026');
    await atNarrowWidth('notifier-notifications');
    await Promise.all([
      browser.page.waitForURL(`**/your-notifications/${caseId}`),
      card.locator('a', { hasText: 'View notification' }).click(),
    ]);
    const main = await textOf(browser.page, 'main');
    expect(main).toContain('Demo Child One');
    expect(main).toContain(notification.incident.location);
    expect(await browser.page.locator('main a', { hasText: 'Change' }).count()).toBe(0);
    expect(engineeringWordsIn(main)).toEqual([]);
    expect(await sidewaysOverflow(browser.page)).toBeLessThanOrEqual(0);
    await expectNoAxeViolations(browser.page, 'the notifier’s notification (320 px)');
    await screenshot(browser.page, 'notifier-notification-320');
  });
});
