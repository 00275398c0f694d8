/**
 * The Practice Review Group's way in to a local review (issue 13 part 1), in headless Chromium
 * against one local stack: a referrer refers a case that was not notifiable (first with errors),
 * their agency's strategic lead approves it by the link in their email (no account), a member of
 * the group records its decision against each criterion, and the partnership team starts the
 * local review from the referral. Every new page checked with axe at desktop width and at 320 px.
 */
import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from './support/axe.ts';
import { signInAs, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** Presses a button and waits for the page it leads to. */
async function press(page: BrowserPage, text: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.click(`button:has-text("${text}")`)]);
}

describe('the Practice Review Group pages', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('walks a referral from the referrer to the lead’s emailed link, the group’s decision and the team’s local review', async () => {
    const page = browser.page;
    const base = stack.apiUrl;

    // The referrer: their home, then the referral's questions.
    await signInAs(page, base, 'referrer');
    await page.goto(`${base}/practice-review-group/your-referrals`);
    expect(await page.textContent('h1')).toContain('Your referrals');
    await expectNoAxeViolations(page, 'the referrer’s home');
    await Promise.all([
      page.waitForURL('**/practice-review-group/refer'),
      page.click('a:has-text("Refer a case")'),
    ]);
    await expectNoAxeViolations(page, 'the referral questions');
    await press(page, 'Continue');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter your agency');
    await expectNoAxeViolations(page, 'the referral questions with errors');
    await page.fill('#agencyName', 'Exampleshire Health Visiting (invented)');
    await page.check('input[name="kind"][value="near-miss"]');
    await page.fill('#child-name', 'Child R (invented)');
    await page.fill('#child-dateOfBirth-day', '1');
    await page.fill('#child-dateOfBirth-month', '6');
    await page.fill('#child-dateOfBirth-year', '2021');
    await page.fill('#summary', 'An invented near miss: a referral almost lost between two teams.');
    await page.fill('#whyNotNotifiable', 'Invented: the child was not seriously harmed.');
    await page.check('input[name="criteria"][value="improvements"]');
    await page.fill('#relatedReviews-childDeathReview', 'None (invented)');
    await page.fill('#lead-name', 'Strategic Lead (invented)');
    await page.fill('#lead-email', 'strategic.lead@example.org');
    await press(page, 'Continue');
    expect(await page.textContent('h1')).toContain('Check your answers');
    await expectNoAxeViolations(page, 'the referral’s check your answers');
    await Promise.all([page.waitForURL('**/sent'), page.click('button:has-text("Send the referral")')]);
    expect(await page.textContent('.govuk-panel')).toContain('PRG-');
    await expectNoAxeViolations(page, 'the referral’s confirmation');
    await page.click('a:has-text("Go to referral")');
    expect(await page.textContent('main')).toContain('Waiting for the strategic lead’s approval');
    await expectNoAxeViolations(page, 'the referral’s page for the referrer');
    const referralUrl = page.url();

    // The strategic lead, with no account: the link in their email.
    await page.context().clearCookies();
    const email = (await stack.stack.inbox.listEmails()).find((candidate) =>
      candidate.to.includes('strategic.lead@example.org'),
    );
    const link = /https?:\/\/\S+\/practice-review-group\/approval\/[A-Za-z0-9_-]{43}/.exec(
      email?.text ?? '',
    )?.[0];
    expect(link, 'the approval link in the lead’s email').toBeDefined();
    const approvalPath = new URL(link as string).pathname;
    await page.goto(`${base}${approvalPath}`);
    expect(await page.textContent('h1')).toContain('Approve the referral');
    expect(await page.textContent('main')).not.toContain('Child R');
    await expectNoAxeViolations(page, 'the lead’s approval page');
    await Promise.all([
      page.waitForURL('**/approved'),
      page.click('button:has-text("Approve the referral")'),
    ]);
    expect(await page.textContent('.govuk-panel')).toContain('Referral approved');
    await expectNoAxeViolations(page, 'the approval’s confirmation');

    // The group: its home, the referral, the decision.
    await signInAs(page, base, 'prg-member');
    await page.goto(`${base}/practice-review-group`);
    await expectNoAxeViolations(page, 'the group’s home');
    await page.goto(referralUrl);
    await Promise.all([
      page.waitForURL('**/decision'),
      page.click('a:has-text("Record the group’s decision")'),
    ]);
    await expectNoAxeViolations(page, 'the decision questions');
    await press(page, 'Continue');
    expect(await page.textContent('.govuk-error-summary')).toContain(
      'Say whether the case meets this criterion',
    );
    await expectNoAxeViolations(page, 'the decision questions with errors');
    await page.check('input[name="criteria.improvements.met"][value="yes"]');
    await page.fill(
      '#criteria-improvements-reasons',
      'Invented: the handover between teams needs to change.',
    );
    await page.check('input[name="outcome"][value="lcspr"]');
    await page.fill('#reasons', 'Invented: a local review would help every agency learn.');
    await press(page, 'Continue');
    await expectNoAxeViolations(page, 'the decision’s check your answers');
    await Promise.all([
      page.waitForURL('**/decision/confirmation'),
      page.click('button:has-text("Record the decision")'),
    ]);
    await expectNoAxeViolations(page, 'the decision’s confirmation');
    const told = await stack.stack.inbox.listEmails();
    expect(
      told.some((sent) => sent.to.includes('referrer@example.org') && sent.subject.includes('decision')),
    ).toBe(true);

    // The partnership team starts the local review from the referral.
    await signInAs(page, base, 'partnership-team');
    await page.goto(referralUrl);
    expect(await page.textContent('main')).toContain(
      'Invented: a local review would help every agency learn.',
    );
    await expectNoAxeViolations(page, 'the decided referral for the team');
    await Promise.all([
      page.waitForURL('**/local-review'),
      page.click('a:has-text("Start the local review")'),
    ]);
    await expectNoAxeViolations(page, 'the start of the local review');
    await Promise.all([
      page.waitForURL('**/local-review/confirmation'),
      page.click('button:has-text("Start the local review")'),
    ]);
    expect(await page.textContent('.govuk-panel')).toContain('LCSPR-PRG-');
    await expectNoAxeViolations(page, 'the local review’s confirmation');
    await Promise.all([
      page.waitForURL('**/local-reviews/*'),
      page.click('a:has-text("Go to the local review")'),
    ]);
    expect(await page.textContent('main')).toContain('From Practice Review Group referral');
    expect(await page.textContent('main')).toContain('Child R (invented)');
    await expectNoAxeViolations(page, 'the local review from a referral');
  }, 300_000);
});
