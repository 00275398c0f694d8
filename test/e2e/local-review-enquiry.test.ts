/**
 * A local review's enquiry (issue 13 parts 2 and 3), in headless Chromium against one local
 * stack: a Rapid Review whose decision commissions a local review (through the API); the
 * partnership team starts it and appoints the local reviewer, then sends a request for
 * information (first with errors); the agency opens its link from the email, records its
 * declaration and adds chronology entries (one with errors first); the reviewer signs in, sees
 * only their review, records their declaration, filters the merged chronology and downloads it
 * as PDF and CSV. Every new page checked with axe at desktop width and at 320 px.
 */
import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { localUsers } from '../../local/tokens.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { signInAs, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** Fills a GOV.UK date input named `name` with an ISO date. */
async function fillDate(page: BrowserPage, name: string, isoDate: string): Promise<void> {
  const [year, month, day] = isoDate.split('-');
  await page.fill(`#${name}-day`, String(Number(day)));
  await page.fill(`#${name}-month`, String(Number(month)));
  await page.fill(`#${name}-year`, String(year));
}

/** Presses a button and waits for the page it leads to. */
async function press(page: BrowserPage, text: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.click(`button:has-text("${text}")`)]);
}

describe('a local review’s enquiry', () => {
  const stack = useLocalStack();
  const browser = usePage();
  let caseId = '';

  beforeAll(async () => {
    ({ caseId } = await runDemoReview(stack.client, sampleNotification()));
  }, 180_000);

  it('the team asks an agency; the agency adds to the chronology through its link; the reviewer sees only their review and exports the chronology', async () => {
    const page = browser.page;
    const { now } = (await (await fetch(`${stack.apiUrl}/local/clock`)).json()) as { now: string };
    const dueOn = new Date(Date.parse(now) + 21 * 86_400_000).toISOString().slice(0, 10);

    // The team starts the review and appoints the local reviewer (the invented reviewer's address).
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}/local-review`);
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/local-review/confirmation`),
      page.click('button:has-text("Start the local review")'),
    ]);
    await Promise.all([
      page.waitForURL('**/local-reviews/*'),
      page.click('a:has-text("Go to the local review")'),
    ]);
    const reviewUrl = page.url();
    await page.goto(`${reviewUrl}/reviewer`);
    await page.fill('#name', localUsers.reviewer.name);
    await page.fill('#organisation', 'Independent Reviews (invented)');
    await page.fill('#email', localUsers.reviewer.email);
    for (const key of [
      'professionalKnowledge',
      'research',
      'complexCircumstances',
      'withoutHindsight',
      'communication',
      'conflicts',
    ]) {
      await page.fill(`#evidence-${key}`, `Invented evidence (${key}).`);
    }
    await fillDate(page, 'contractStartsOn', '2026-05-01');
    await fillDate(page, 'contractEndsOn', '2026-10-31');
    await page.fill('#feePounds', '12,500');
    await press(page, 'Continue');
    await press(page, 'Appoint the reviewer and tell the Panel');

    // The enquiry, and a request for information: errors first.
    await page.goto(reviewUrl);
    await Promise.all([
      page.waitForURL('**/enquiry'),
      page.click('a:has-text("Declarations, requests for information and the multi-agency chronology")'),
    ]);
    expect(await page.textContent('#declarations-table')).toContain('Not yet');
    await expectNoAxeViolations(page, 'the enquiry');
    await page.click('a:has-text("Ask an agency for information")');
    await expectNoAxeViolations(page, 'the request for information');
    await press(page, 'Send the request');
    expect(await page.textContent('.govuk-error-summary')).toContain('Choose the agency');
    await expectNoAxeViolations(page, 'the request for information with errors');
    await page.locator('input[name="agencyId"]').first().check();
    await page.fill('#contactName', 'Agency Contact (invented)');
    await page.fill('#contactEmail', 'agency.contact@example.org');
    await page.fill('#asks', 'Invented: your records of the family for the period in scope.');
    await fillDate(page, 'dueOn', dueOn);
    await press(page, 'Send the request');
    expect(await page.textContent('.govuk-panel')).toContain('Request for information sent');
    await expectNoAxeViolations(page, 'the request sent');

    // The agency, with no account, opens its link from the email.
    const emails = await stack.stack.inbox.listEmails();
    const linkIn = (text: string) =>
      /\/local-review-agency\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}/.exec(text)?.[0];
    const request = emails.find((email) => linkIn(email.text));
    expect(request?.to).toEqual(['agency.contact@example.org']);
    const link = linkIn(request?.text ?? '');
    expect(link).toBeDefined();
    await page.context().clearCookies();
    await page.goto(`${stack.apiUrl}${link}`);
    await expectNoAxeViolations(page, 'the agency’s request');
    await page.fill('#name', 'Agency Contact (invented)');
    await page.check('input[name="hasConflicts"][value="no"]');
    await page.check('input[name="confidentialityAgreed"]');
    await press(page, 'Record the declaration');
    expect(await page.textContent('.govuk-notification-banner')).toContain('declaration has been recorded');
    await press(page, 'Add the entry');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the date it happened');
    await expectNoAxeViolations(page, 'the agency’s entry with errors');
    for (const [date, what] of [
      ['2025-06-01', 'Invented: a home visit; the family was seen.'],
      ['2025-02-03', 'Invented: a referral was received.'],
    ] as const) {
      await fillDate(page, 'occurredOn', date);
      await page.fill('#whatHappened', what);
      await page.fill('#source', 'Case note (invented)');
      await press(page, 'Add the entry');
    }
    expect(await page.textContent('main')).toContain('a referral was received');
    await expectNoAxeViolations(page, 'the agency’s entries');
    await page.goto(`${stack.apiUrl}${link}/refuse`);
    await expectNoAxeViolations(page, 'the agency’s refusal');

    // The reviewer signs in: only their review, their declaration, the chronology filtered and exported.
    await signInAs(page, stack.apiUrl, 'reviewer');
    await page.goto(`${stack.apiUrl}/your-reviews`);
    expect(await page.locator('main tbody tr').count()).toBe(1);
    await expectNoAxeViolations(page, 'the reviewer’s reviews');
    await Promise.all([page.waitForURL('**/enquiry'), page.locator('main tbody a').first().click()]);
    await page.click('a:has-text("Record your declaration")');
    await expectNoAxeViolations(page, 'the reviewer’s declaration');
    await page.check('input[name="hasConflicts"][value="no"]');
    await page.check('input[name="confidentialityAgreed"]');
    await press(page, 'Record my declaration');
    expect(await page.textContent('#declarations-table')).toContain('None declared');
    await page.click('a:has-text("Read the chronology")');
    const rows = async () => (await page.locator('#chronology-table tbody tr').allTextContents()).join('\n');
    expect(await rows()).toMatch(/3 February 2025[\s\S]*1 June 2025/);
    await expectNoAxeViolations(page, 'the chronology');
    await fillDate(page, 'from', '2025-03-01');
    await press(page, 'Show entries');
    expect(await rows()).toContain('a home visit');
    expect(await rows()).not.toContain('a referral');
    await expectNoAxeViolations(page, 'the chronology filtered');

    const pdfHref = await page.getAttribute('a:has-text("as a PDF")', 'href');
    const csvHref = await page.getAttribute('a:has-text("spreadsheet (CSV)")', 'href');
    const pdf = await page.request.get(`${stack.apiUrl}${pdfHref}`);
    const csv = await page.request.get(`${stack.apiUrl}${csvHref}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await csv.text()).toContain('1 June 2025');
    expect(await csv.text()).not.toContain('3 February 2025');

    const main = (await page.textContent('main')) ?? '';
    expect(main).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  }, 300_000);
});
