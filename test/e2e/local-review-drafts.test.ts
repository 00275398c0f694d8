/**
 * A local review's work in writing (issue 13 parts 3 and 4), in headless Chromium against one
 * local stack: a Rapid Review whose decision commissions a local review (through the API), the
 * partnership team starts it, then records a practitioner learning event, adds a family member
 * (first refused for want of the reason they were not invited), records a request to the
 * reviewer, uploads a draft, sends it for factual accuracy (an agency comments through the link
 * in its email, first refused empty; the round's workflow reminds the others, in virtual time,
 * with links that work) and records the quality check; the review's own reviewer signs in, reads
 * the review's terms of reference and milestones on its enquiry page, records their answer to
 * the request and uploads the next draft themselves (the team emailed). Each new page checked
 * with axe at desktop width and at 320 px.
 */
import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { localUsers } from '../../local/tokens.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { defaultViewport, signInAs, usePage } from './support/browser.ts';
import { narrowViewport, overflowProblems, sidewaysOverflow } from './support/layout.ts';
import { useLocalStack } from './support/stack.ts';

/** Fills a GOV.UK date input named `name` with an ISO date. */
async function fillDate(page: BrowserPage, name: string, isoDate: string): Promise<void> {
  const [year, month, day] = isoDate.split('-');
  await page.fill(`#${name}-day`, String(Number(day)));
  await page.fill(`#${name}-month`, String(Number(month)));
  await page.fill(`#${name}-year`, String(year));
}

/** What scrolls sideways at 320 px on the page the browser shows (none expected). */
async function overflowAt320(page: BrowserPage): Promise<string[]> {
  await page.setViewportSize(narrowViewport);
  const problems = overflowProblems(await sidewaysOverflow(page));
  await page.setViewportSize(defaultViewport);
  return problems;
}

/** Presses a button and waits for the page it leads to. */
async function press(page: BrowserPage, text: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.click(`button:has-text("${text}")`)]);
}

const PDF = Buffer.from('%PDF-1.7\n% an invented draft report\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

describe('a local review’s work in writing', () => {
  const stack = useLocalStack();
  const browser = usePage();
  let caseId = '';

  beforeAll(async () => {
    ({ caseId } = await runDemoReview(stack.client, sampleNotification()));
  }, 180_000);

  it('records a learning event, the family plan, a request to the reviewer, a draft, its factual-accuracy round with its reminders and its quality check; the reviewer reads the review’s terms, answers the request and uploads a draft', async () => {
    const page = browser.page;
    const now = stack.stack.clock.now();
    const today = now.toISOString().slice(0, 10);
    const dueOn = new Date(now.getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
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

    // The local reviewer appointed (the invented reviewer's address), to answer the partners' requests.
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
    await fillDate(page, 'contractStartsOn', today);
    await fillDate(page, 'contractEndsOn', dueOn);
    await page.fill('#feePounds', '12,500');
    await press(page, 'Continue');
    await press(page, 'Appoint the reviewer and tell the Panel');

    // The terms of reference, which the reviewer reads on the review's enquiry page.
    await page.goto(`${reviewUrl}/terms`);
    await page.fill('#method', 'A systems approach (invented)');
    await fillDate(page, 'periodFrom', new Date(now.getTime() - 400 * 86_400_000).toISOString().slice(0, 10));
    await fillDate(page, 'periodTo', new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10));
    await page.fill('#keyLinesOfEnquiry', 'How the agencies shared what they knew (invented).');
    await page.fill('#familyInvolvementPlan', 'The reviewer meets the family with an advocate (invented).');
    await press(page, 'Continue');
    await press(page, 'Record the terms of reference');
    await page.goto(reviewUrl);

    // A practitioner learning event.
    await page.click('a:has-text("Practitioner learning events")');
    expect(await page.textContent('h1')).toContain('Practitioner learning events');
    await expectNoAxeViolations(page, 'the learning events');
    await page.click('a:has-text("Record a learning event")');
    await expectNoAxeViolations(page, 'a learning event');
    await fillDate(page, 'heldOn', today);
    await page.fill('#invited', 'Health visitors, school staff and social workers (invented)');
    await page.fill('#attended', 'Seven practitioners from four agencies (invented)');
    await press(page, 'Continue');
    await expectNoAxeViolations(page, 'the learning event’s check your answers');
    await press(page, 'Record the learning event');
    expect(await page.textContent('.govuk-panel')).toContain('Learning event recorded');
    await expectNoAxeViolations(page, 'the learning event’s confirmation');

    // The family plan: a member not invited is refused without the reason.
    await page.goto(`${reviewUrl}/family-plan/add`);
    await expectNoAxeViolations(page, 'a family member');
    await page.fill('#who', 'Father (invented)');
    await page.check('input[name="invited"][value="no"]');
    await page.check('input[name="tookPart"][value="no"]');
    await press(page, 'Continue');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter why they were not invited');
    expect(await page.inputValue('#who')).toBe('Father (invented)');
    await expectNoAxeViolations(page, 'a family member refused without the reason');
    await page.fill('#reasonNotInvited', 'A court order prevents contact (invented)');
    await press(page, 'Continue');
    await press(page, 'Add to the family plan');
    expect(await page.textContent('.govuk-panel')).toContain('Family member added');
    await page.goto(`${reviewUrl}/family-plan`);
    expect(await page.textContent('main')).toContain('A court order prevents contact (invented)');
    await expectNoAxeViolations(page, 'the family plan');
    await page.click('a:has-text("Record a contact")');
    await expectNoAxeViolations(page, 'a contact with a family member');
    await page.check('input[name="how"][value="letter"]');
    await fillDate(page, 'on', today);
    await page.fill('#what', 'A letter explaining the review and inviting a meeting (invented)');
    await press(page, 'Continue');
    await press(page, 'Record the contact');
    await page.goto(`${reviewUrl}/family-plan`);
    expect(await overflowAt320(page)).toEqual([]);

    // Supervision in writing.
    await page.goto(`${reviewUrl}/supervision`);
    expect(await page.textContent('main')).toContain('On track');
    await expectNoAxeViolations(page, 'supervision');
    await page.click('a:has-text("Record a request to the reviewer")');
    await expectNoAxeViolations(page, 'a request to the reviewer');
    await page.check('input[name="kind"][value="draft"]');
    await page.fill('#request', 'Send the first draft (invented)');
    await fillDate(page, 'askedOn', today);
    await press(page, 'Continue');
    await press(page, 'Record the request');
    await page.goto(`${reviewUrl}/supervision/1/answer`);
    await expectNoAxeViolations(page, 'the reviewer’s answer');

    // A draft.
    await page.goto(`${reviewUrl}/drafts`);
    await expectNoAxeViolations(page, 'the drafts, none yet');
    await page.click('a:has-text("Upload a draft")');
    await expectNoAxeViolations(page, 'the draft upload');
    await page.setInputFiles('#file', { name: 'draft-report.pdf', mimeType: 'application/pdf', buffer: PDF });
    await press(page, 'Upload the draft');
    expect(await page.textContent('.govuk-panel')).toContain('Draft uploaded');

    // The factual-accuracy round; an agency comments through its link.
    await page.goto(`${reviewUrl}/drafts/1/factual-accuracy`);
    await expectNoAxeViolations(page, 'sending the draft for factual accuracy');
    await fillDate(page, 'dueOn', dueOn);
    await press(page, 'Continue');
    await press(page, 'Send to the agencies');
    expect(await page.textContent('.govuk-panel')).toContain('Draft sent for factual accuracy');
    const [email] = await stack.client.waitForEmails(
      'the factual-accuracy request to the police',
      (candidate) =>
        candidate.subject.includes('factual accuracy') &&
        candidate.destination.to.includes('spoc.police@example.org'),
    );
    const link =
      /https?:\/\/\S+?\/factual-accuracy\/[A-Za-z0-9_-]{43}/.exec(email?.body.text ?? '')?.[0] ?? '';
    expect(link).not.toBe('');
    await page.goto(link);
    expect(await page.textContent('h1')).toContain('Check the draft report');
    await expectNoAxeViolations(page, 'the agency’s factual-accuracy page');
    await press(page, 'Send comments');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter your comments');
    await expectNoAxeViolations(page, 'the agency’s factual-accuracy page with errors');
    await page.fill('#comments', 'Page 3: the home visit was on a Tuesday (invented).');
    await press(page, 'Send comments');
    expect(await page.textContent('.govuk-panel')).toContain('Comments sent');
    await expectNoAxeViolations(page, 'the agency’s comments sent');

    // The round's own workflow reminds the agencies still to comment, the working day before the
    // due day and on its morning: the police commented, so are not reminded.
    await stack.client.advanceTo(`${dueOn}T12:00:00.000Z`);
    await stack.client.settle();
    const reminders = await stack.client.waitForEmails('a reminder to comment on the draft', (candidate) =>
      candidate.subject.includes('reminder to check the draft report for factual accuracy'),
    );
    expect(
      (await stack.client.emails()).filter(
        (candidate) =>
          candidate.subject.includes('reminder to check the draft report') &&
          candidate.destination.to.includes('spoc.police@example.org'),
      ),
    ).toEqual([]);
    const reminderLink =
      /https?:\/\/\S+?\/factual-accuracy\/[A-Za-z0-9_-]{43}/.exec(reminders[0]?.body.text ?? '')?.[0] ?? '';
    expect(reminderLink).not.toBe('');
    await page.goto(reminderLink);
    expect(await page.textContent('h1')).toContain('Check the draft report');
    await page.goto(`${reviewUrl}/drafts`);
    expect(await page.textContent('main')).toContain('Reminded on');

    // The quality checklist.
    await page.goto(`${reviewUrl}/drafts/1/quality`);
    await expectNoAxeViolations(page, 'the quality check');
    for (const [key, met] of [
      ['improvementsSummarised', 'yes'],
      ['systemicReasons', 'yes'],
      ['recommendationsWhoWhatWhen', 'no'],
    ] as const) {
      await page.check(`input[name="${key}.met"][value="${met}"]`);
      await page.fill(`#${key}-note`, `Invented note (${key}).`);
    }
    await press(page, 'Continue');
    await press(page, 'Record the check');
    expect(await page.textContent('.govuk-panel')).toContain('Quality check recorded');

    await page.goto(`${reviewUrl}/drafts`);
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain('Page 3: the home visit was on a Tuesday (invented).');
    expect(main).toContain('Not met');
    expect(main).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    await expectNoAxeViolations(page, 'the drafts, filled in');
    expect(await overflowAt320(page)).toEqual([]);
    await page.goto(`${reviewUrl}/supervision`);
    expect(await overflowAt320(page)).toEqual([]);

    // The review's own reviewer finds the partners' request from their enquiry and answers it.
    const answeredOn = stack.stack.clock.now().toISOString().slice(0, 10);
    await signInAs(page, stack.apiUrl, 'reviewer');
    await page.goto(`${stack.apiUrl}/your-reviews`);
    await Promise.all([page.waitForURL('**/enquiry'), page.locator('main tbody a').first().click()]);
    const enquiryUrl = page.url();
    const review = (await page.textContent('main')) ?? '';
    expect(review).toContain('The review is due to be complete by');
    expect(review).toContain('Final report ready');
    expect(review).toContain('A systems approach (invented)');
    expect(review).toContain('How the agencies shared what they knew (invented).');
    expect(review).toContain('The reviewer meets the family with an advocate (invented).');
    expect(review).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await expectNoAxeViolations(page, 'the enquiry, for the reviewer, with the review’s terms');
    await Promise.all([page.waitForURL('**/supervision'), page.click('a:has-text("Go to supervision")')]);
    expect(await page.textContent('main')).toContain('Send the first draft (invented)');
    expect(await page.textContent('main')).not.toContain('Record a request to the reviewer');
    await expectNoAxeViolations(page, 'supervision, for the reviewer');
    await page.click('a:has-text("Record your answer")');
    await expectNoAxeViolations(page, 'the reviewer’s own answer');
    await page.fill('#answer', 'The first draft went to the team today (invented).');
    await fillDate(page, 'answeredOn', answeredOn);
    await press(page, 'Continue');
    await expectNoAxeViolations(page, 'the reviewer’s answer’s check your answers');
    await press(page, 'Record the answer');
    expect(await page.textContent('.govuk-panel')).toContain('Answer recorded');
    await expectNoAxeViolations(page, 'the reviewer’s answer’s confirmation');
    await Promise.all([page.waitForURL('**/supervision'), page.click('a:has-text("Go to supervision")')]);
    expect(await page.textContent('main')).toContain('The first draft went to the team today (invented).');
    expect(await overflowAt320(page)).toEqual([]);

    // The reviewer uploads the next draft from their enquiry; the team is emailed.
    await page.goto(enquiryUrl);
    await Promise.all([page.waitForURL('**/drafts'), page.click('a:has-text("Go to the drafts")')]);
    expect(await page.textContent('main')).toContain('Page 3: the home visit was on a Tuesday (invented).');
    expect(await page.textContent('main')).not.toContain('Send for factual accuracy');
    await expectNoAxeViolations(page, 'the drafts, for the reviewer');
    await page.click('a:has-text("Upload a draft")');
    await page.setInputFiles('#file', { name: 'second-draft.pdf', mimeType: 'application/pdf', buffer: PDF });
    await press(page, 'Upload the draft');
    expect(await page.textContent('.govuk-panel')).toContain('Draft uploaded');
    expect(await page.textContent('main')).toContain('The partnership team has been emailed');
    await expectNoAxeViolations(page, 'the reviewer’s draft uploaded');
    await Promise.all([page.waitForURL('**/drafts'), page.click('a:has-text("Go to the drafts")')]);
    expect(await page.textContent('main')).toContain(`by ${localUsers.reviewer.name}`);
    await stack.client.waitForEmails('the team told of the reviewer’s draft', (candidate) =>
      candidate.subject.includes('the reviewer uploaded draft version 2'),
    );
  }, 300_000);
});
