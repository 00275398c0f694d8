import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../local/free-port.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, usePage } from './support/browser.ts';
import { bringToDecisionWait } from './support/reviews.ts';
import { useLocalStack } from './support/stack.ts';

/** The text of the first element matching `selector`, whitespace collapsed ('' when absent). */
async function textOf(page: BrowserPage, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  if ((await element.count()) === 0) return '';
  return ((await element.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The texts of every element matching `selector`, whitespace collapsed. */
async function textsOf(page: BrowserPage, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

describe('following a case to the decision and the Panel', () => {
  const stack = useLocalStack();
  const browser = usePage();
  const notification = sampleNotification();
  let caseId = '';
  let reference = '';

  beforeAll(async () => {
    ({ caseId, reference } = await bringToDecisionWait(stack.client, notification));
  }, 120_000);

  it('shows the partnership team the case among the open cases, awaiting the decision', async () => {
    // Prepare
    await signInAs(browser.page, stack.apiUrl, 'partnership-team');

    // Act
    const response = await browser.page.goto(`${stack.apiUrl}/cases`);

    // Assess
    expect(response?.status()).toBe(200);
    const row = browser.page.locator('tbody tr', { hasText: reference });
    expect(await row.count()).toBe(1);
    const cells = (await row.locator('th, td').allTextContents()).map((text) =>
      text.replace(/\s+/g, ' ').trim(),
    );
    expect(cells[0]).toBe(reference);
    expect(cells[1]).toBe(notification.notifyingLocalAuthority);
    expect(cells[3]).toMatch(/^Awaiting decision ?3 of 4 summaries received$/);
    // The papers went out this morning: the next deadline is the decision's, never a step done.
    expect(cells[4]).toMatch(/^Day 14: Rapid Review Group meeting and decision ?Monday 23 March 2026$/);
    // The Panel was notified the day the partnership heard: its date falls a working day after Day 15.
    expect(cells[5]).toMatch(
      /^24 March 2026 \(the partnership's own date\) ?Panel's date: 25 March 2026, 1 working day later$/,
    );
    await expectNoAxeViolations(browser.page, 'the list of open cases');
    await screenshot(browser.page, 'cases-list');

    // Act: filter by a status the case does not have, without JavaScript's help.
    await browser.page.selectOption('#status', 'awaiting-summaries');
    await Promise.all([
      browser.page.waitForURL(/status=awaiting-summaries/),
      browser.page.click('button:has-text("Show cases")'),
    ]);

    // Assess
    expect(await browser.page.locator('tbody tr', { hasText: reference }).count()).toBe(0);
    await screenshot(browser.page, 'cases-list-filtered');
  });

  it('shows the partnership team the case: timeline with today, agency returns, documents and audit', async () => {
    // Prepare
    await signInAs(browser.page, stack.apiUrl, 'partnership-team');
    await browser.page.goto(`${stack.apiUrl}/cases`);

    // Act
    await Promise.all([
      browser.page.waitForURL(`**/cases/${caseId}`),
      browser.page.click(`a:has-text("${reference}")`),
    ]);

    // Assess
    expect(await textOf(browser.page, 'main h1')).toContain(reference);
    expect(await textOf(browser.page, 'main h1 .govuk-tag')).toBe('Awaiting decision');
    expect(await textOf(browser.page, '#day-counter')).toBe(
      'Day 12 of 15 (working days), due by 5pm on Tuesday 24 March 2026',
    );
    // The timeline says what happened: each step done with when, the summaries missed (one agency
    // never returned), the decision next; today after the papers sent this morning.
    expect(await textsOf(browser.page, '.app-timeline__item--today')).toEqual([
      'Today Thursday 19 March 2026',
    ]);
    const done = await textsOf(browser.page, '.app-timeline__item--done');
    expect(done.map((entry) => entry.replace(/ Done at .*$/, ''))).toEqual([
      'Day 1: Requests sent to agencies Wednesday 4 March 2026 – Done',
      'Day 7: Reminder to agencies Thursday 12 March 2026 – Done',
      'Day 11: Summaries collated Wednesday 18 March 2026 – Done',
      'Day 12: Papers to the Rapid Review Group Thursday 19 March 2026 – Done',
    ]);
    for (const entry of done) expect(entry).toMatch(/ Done at \S+ on \w+day \d{1,2} \w+ 2026$/);
    expect(await textsOf(browser.page, '.app-timeline__item--missed')).toEqual([
      'Day 10: Agency summaries due Tuesday 17 March 2026 – Missed',
    ]);
    expect(await textsOf(browser.page, '.app-timeline__item--next')).toEqual([
      'Day 14: Rapid Review Group meeting and decision Monday 23 March 2026 – Next',
    ]);
    // The team sees each agency with what it may do: after collation, take a late return in.
    const returns = await textsOf(browser.page, '#agencies .govuk-summary-list__row');
    expect(returns).toHaveLength(notification.agencies.length);
    for (const [index, agency] of notification.agencies.entries()) {
      const last = index === notification.agencies.length - 1;
      expect(returns[index]).toContain(agency.name);
      expect(returns[index]).toMatch(last ? /Escalated/ : /Received/);
      if (last) expect(returns[index]).toContain('Take in a late return');
    }
    expect(await textOf(browser.page, 'main')).toContain('The links to files stop working at');
    const main = await textOf(browser.page, 'main');
    expect(main).toContain('The Panel expects it by Wednesday 25 March 2026');
    expect(main).toContain('The partnership’s own Day 15 Tuesday 24 March 2026');
    expect(main).toContain(
      "Works to The review works to the partnership's timetable: the Panel's date is 1 working day later.",
    );
    expect(main).toContain('The local authority notified the Panel on time (due by Tuesday 10 March 2026).');
    expect(main).toContain('The partnership was told on time (due by Tuesday 10 March 2026).');
    // The notification, read from its document for the page only: who the child is and what happened.
    expect(main).toContain('The notification');
    expect(main).toContain('What happened A child was seriously harmed on Monday 2 March 2026');
    expect(main).toContain(`Name ${notification.children[0]?.name}`);
    expect(main).toContain('Date of birth 14 May 2019');
    expect(main).toContain('Crosses a local authority border No');
    expect(main).toContain(
      `Who sent the notification Name ${notification.notifier.name} Role ${notification.notifier.role}`,
    );
    expect(main).toContain('Other processes running alongside Police investigation');
    // The notification prints as a PDF; its raw document is never offered.
    expect(await browser.page.locator('a[href$="/notification.pdf"]').count()).toBe(2);
    expect(await browser.page.locator('a[href*="notification.json"]').count()).toBe(0);
    const pdf = await browser.page.request.get(`${stack.apiUrl}/cases/${caseId}/notification.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Each agency's return reads in the page; the silent one has sent nothing.
    const silent = notification.agencies.at(-1)?.name ?? '';
    await browser.page.click(`summary:has-text("${silent}")`);
    expect(await textOf(browser.page, 'details[open]')).toContain('Nothing received yet.');
    expect(main).not.toContain('Workflow step');
    // The local stack has no virus scanner, and says so where the agencies' files are listed.
    expect(await textOf(browser.page, 'main')).toContain(
      'Files that agencies uploaded were not scanned for viruses on this copy of the service.',
    );
    expect(await textOf(browser.page, 'main')).toContain('Police summary');
    const audit = await textsOf(browser.page, 'main table tbody tr');
    // The clock stands still in this test, so Day 1's events share one instant and may list in any order.
    expect(audit.some((row) => /10am on Wednesday 4 March 2026.*Case opened/.test(row))).toBe(true);
    expect(audit.some((row) => /Papers distributed/.test(row))).toBe(true);
    expect(await browser.page.locator('a:has-text("Record the decision")').count()).toBe(0);
    await expectNoAxeViolations(browser.page, 'the case page');
    await screenshot(browser.page, 'case-page-awaiting-decision');
  });

  it('lets the chair record the decision: the question page, its errors, check the answers, confirmation', async () => {
    // Prepare
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'rrg-chair');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Act: the question page, sent empty.
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/decision`),
      page.click('a:has-text("Record the decision")'),
    ]);
    await expectNoAxeViolations(page, 'the decision questions');
    await screenshot(page, 'decision-questions');
    await Promise.all([page.waitForURL(`**/decision/check`), page.click('button:has-text("Continue")')]);

    // Assess
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Select yes if the group commissions a local child safeguarding practice review',
      'Enter the reason for the decision on a local review',
      'Select yes if the group recommends a national review to the Panel',
      'Enter the reason for the recommendation on a national review',
    ]);
    await expectNoAxeViolations(page, 'the decision questions with errors');
    await screenshot(page, 'decision-questions-with-errors');

    // Act: answer, check, record.
    await page.check('#commission-local-review');
    await page.fill(
      '#local-review-reason',
      'Invented reason: the agencies’ accounts suggest learning (demo).',
    );
    await page.check('#recommend-national-review-2');
    await page.fill('#national-review-reason', 'Invented reason: the issues are local (demo).');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check the decision before you record it');
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([
      'Yes',
      'Invented reason: the agencies’ accounts suggest learning (demo).',
      'No',
      'Invented reason: the issues are local (demo).',
    ]);
    await expectNoAxeViolations(page, 'check the decision');
    await screenshot(page, 'decision-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/decision/confirmation`),
      page.click('button:has-text("Record the decision")'),
    ]);

    // Assess
    expect(await textOf(page, '.govuk-panel__title')).toBe('Decision recorded');
    expect(await textOf(page, '.govuk-panel__body')).toContain(reference);
    expect(await textOf(page, 'main')).toContain('What happens next');
    await expectNoAxeViolations(page, 'the decision confirmation');
    await screenshot(page, 'decision-confirmation');
  });

  it('shows on the case page that the outcome went to the Panel', async () => {
    // Prepare: the submission waits for the report and the partners' sign-off too (over the API here).
    const page = browser.page;
    await stack.client.writeReport(caseId);
    await stack.client.allPartnersAgree(caseId);
    await signInAs(page, stack.apiUrl, 'partnership-team');

    // Act: the workflow submits to the Panel on its own; reload until the page says so.
    await pollUntil(
      'the case page to show the Panel submission',
      async () => {
        await page.goto(`${stack.apiUrl}/cases/${caseId}`);
        return page.locator('.govuk-notification-banner--success').count();
      },
      (banners) => banners > 0,
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // Assess
    expect(await textOf(page, '.govuk-notification-banner--success')).toMatch(
      /Outcome sent to the Panel on \w+day \d{1,2} \w+ 2026/,
    );
    expect(await textOf(page, 'main h1 .govuk-tag')).toMatch(/^(Submitted to the Panel|Completed)$/);
    expect(await textOf(page, '#day-counter')).toMatch(/^Sent to the Panel on day \d{1,2} of 15$/);
    expect(await textsOf(page, '.app-timeline__item--done')).toContainEqual(
      expect.stringMatching(/^Day 15: Outcome to the Panel Tuesday 24 March 2026 – Done Done at /),
    );
    expect(await textOf(page, 'main')).toContain('Commission a local review');
    await expectNoAxeViolations(page, 'the case page after the Panel submission');
    await screenshot(page, 'case-page-submitted-to-panel');
  });

  // The Panel's reply (issue 9 part 6).
  it("lets the partnership team record the Panel's reply: questions, errors, check, confirmation, then the case shows it", async () => {
    // Prepare: the reply is dated today on the stack's clock.
    const page = browser.page;
    const { now } = await stack.client.clock();
    const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
      .format(new Date(now))
      .split('-');
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Act: the question page, sent empty.
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/panel-reply`),
      page.click('a:has-text("Record the Panel’s reply")'),
    ]);
    await expectNoAxeViolations(page, 'the Panel reply questions');
    await Promise.all([page.waitForURL('**/panel-reply/check'), page.click('button:has-text("Continue")')]);

    // Assess
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Enter the date of the Panel’s reply',
      'Select yes if the Panel agrees with the decision',
      'Select yes if the Panel will carry out a national review',
      'Select yes if the Panel asks the partnership for a local review',
      'Enter the Panel’s comments',
    ]);
    await expectNoAxeViolations(page, 'the Panel reply questions with errors');

    // Act: answer, check, record.
    await page.fill('#repliedOn-day', String(Number(day)));
    await page.fill('#repliedOn-month', String(Number(month)));
    await page.fill('#repliedOn-year', String(year));
    await page.check('#agrees-with-decision');
    await page.check('#national-review-2');
    await page.check('#asks-for-local-review');
    await page.fill('#comments', 'Invented comments from the Panel (demo).');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check the Panel’s reply before you record it');
    await expectNoAxeViolations(page, "check the Panel's reply");
    await screenshot(page, 'panel-reply-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/panel-reply/confirmation`),
      page.click('button:has-text("Record the Panel’s reply")'),
    ]);
    expect(await textOf(page, '.govuk-panel__title')).toBe('Panel reply recorded');
    await expectNoAxeViolations(page, 'the Panel reply confirmation');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Assess
    expect(await textsOf(page, 'main h1 .govuk-tag')).toContain('Local review to commission');
    expect(await textOf(page, 'main')).toContain('Invented comments from the Panel (demo).');
    expect(await page.locator('a:has-text("Record the Panel’s reply")').count()).toBe(0);
    await expectNoAxeViolations(page, "the case page with the Panel's reply");
    await screenshot(page, 'case-page-panel-reply');
  });
});
