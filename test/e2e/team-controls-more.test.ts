/**
 * The partnership team's other controls (issue 10 part 3), in headless Chromium against one local
 * stack, each from the case page: an agency's contact replaced (its errors, check your answers,
 * confirmation; the new contact emailed a link, the old link refused), a link resent, an agency
 * removed, a return entered on an agency's behalf, then, once the papers have gone out, a late
 * return taken in as an addendum to the papers, and the notification corrected. Each page checked
 * with axe.
 *
 * The virtual clock moves only when a test moves it, so the walks run in the order written: the
 * first four while the summaries are gathered, the last two after collation.
 */
import { randomUUID } from 'node:crypto';
import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { agencyLinkIn, type InboxEmail } from '../../local/demo/review-client.ts';
import { demoSummaryPdf } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, usePage } from './support/browser.ts';
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

/** The agency's page behind the link in its request email (`<base>/agency/<token>`). */
const agencyPageIn = (email: InboxEmail) => agencyLinkIn(email).replace('/api/agency/', '/agency/');

/** The agency's row on the case page, by its name. */
const agencyRow = (page: BrowserPage, name: string) =>
  page.locator('#agencies .govuk-summary-list__row', {
    has: page.locator('.govuk-summary-list__key', { hasText: name }),
  });

const replaceReason = 'Invented (demo): the police contact has moved to another team.';
const resendReason = 'Invented (demo): the health contact cannot find the first email.';
const removeReason = 'Invented (demo): education had no contact with the family at all.';
const onBehalfReason = 'Invented (demo): social care gave its return by phone.';
const lateReason = 'Invented (demo): the police return came after the papers went out.';
const editReason = 'Invented (demo): the notifier gave the wrong place and no address.';
const newLocation = 'A park in Exampletown (invented)';

describe('the team replaces a contact, resends a link, removes an agency, enters returns and corrects the notification', () => {
  const stack = useLocalStack();
  const browser = usePage();
  let caseId = '';
  let reference = '';
  let requests: InboxEmail[] = [];
  const requestTo = (address: string) => {
    const email = requests.find((request) => request.destination.to.includes(address));
    if (!email) throw new Error(`No request email to ${address}`);
    return email;
  };
  const emailsTo = async (address: string) =>
    (await stack.client.emails()).filter((email) => email.destination.to.includes(address));

  beforeAll(async () => {
    const notification = sampleNotification();
    ({ caseId, reference } = await stack.client.submitNotification(notification, randomUUID()));
    requests = await stack.client.waitForEmails(
      'a summary request to every agency',
      (email) => email.subject.includes(reference) && email.subject.includes('summary requested'),
      { count: notification.agencies.length },
    );
  }, 120_000);

  it("replaces the police contact: the errors, check, confirmation, the new contact's link, the old one refused", async () => {
    // Prepare
    const page = browser.page;
    const oldLink = agencyPageIn(requestTo('spoc.police@example.org'));
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    await expectNoAxeViolations(page, 'the case page with each agency’s controls');
    await screenshot(page, 'case-page-agency-controls');

    // Act: the question page, from the case page; sent empty.
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/contact`),
      page.getByRole('link', { name: 'Replace contact for Police', exact: true }).click(),
    ]);
    expect(await textOf(page, 'main h1')).toBe('Replace the contact for Police');
    expect(await textOf(page, 'main')).toContain('The contact now is Spoc Police (demo).');
    await expectNoAxeViolations(page, 'the replace contact question');
    await screenshot(page, 'replace-contact-question');
    await Promise.all([page.waitForURL('**/contact/check'), page.click('button:has-text("Continue")')]);

    // Assess
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Enter the contact’s name',
      'Enter the contact’s email address',
      'Enter the reason',
    ]);
    await expectNoAxeViolations(page, 'the replace contact question with its errors');
    await screenshot(page, 'replace-contact-question-with-errors');

    // Act: the new contact; check; replace.
    await page.fill('#spocName', 'Nia New Police Contact (demo)');
    await page.fill('#spocEmail', 'spoc.police.new@example.org');
    await page.fill('#reason', replaceReason);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check the new contact before you replace the old one');
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([
      'Nia New Police Contact (demo)',
      'spoc.police.new@example.org',
      replaceReason,
    ]);
    await expectNoAxeViolations(page, 'check the new contact');
    await screenshot(page, 'replace-contact-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/contact/confirmation`),
      page.click('button:has-text("Replace the contact")'),
    ]);

    // Assess: confirmed; the new contact emailed a working link; the old link refused.
    expect(await textOf(page, '.govuk-panel__title')).toBe('Contact replaced');
    expect(await textOf(page, 'main')).toContain(
      'Nia New Police Contact (demo) is now the contact for Police, and has been emailed a new link. The old link no longer works.',
    );
    await expectNoAxeViolations(page, 'the contact replaced confirmation');
    await screenshot(page, 'replace-contact-confirmation');
    const [newRequest] = await stack.client.waitForEmails('the new police contact’s link', (email) =>
      email.destination.to.includes('spoc.police.new@example.org'),
    );
    expect(newRequest?.subject).toContain(reference);
    const newLink = agencyPageIn(newRequest as InboxEmail);
    expect(newLink).not.toBe(oldLink);

    const refused = await page.goto(oldLink);
    expect(refused?.status()).toBe(403);
    expect(await textOf(page, 'main h1')).toBe('This link has expired or is not valid');
    await expectNoAxeViolations(page, 'the old police link, refused');
    await screenshot(page, 'replace-contact-old-link-refused');
    const working = await page.goto(newLink);
    expect(working?.status()).toBe(200);
    expect(await textOf(page, 'main h1')).toBe('Return your agency’s summary');

    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    expect(await textOf(page, `#agencies .govuk-summary-list__row:has(dt:text-is("Police"))`)).toContain(
      'Contact: Nia New Police Contact (demo), spoc.police.new@example.org.',
    );
  });

  it('resends the health link: check, confirmation, a new email to the same contact', async () => {
    // Prepare
    const page = browser.page;
    const before = (await emailsTo('spoc.health@example.org')).length;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Act
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/resend`),
      page.getByRole('link', { name: 'Resend link for Health', exact: true }).click(),
    ]);
    expect(await textOf(page, 'main h1')).toBe('Resend the link to Health');
    await expectNoAxeViolations(page, 'the resend question');
    await screenshot(page, 'resend-question');
    await page.fill('#reason', resendReason);
    await Promise.all([page.waitForURL('**/resend/check'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check before you resend the link');
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([resendReason]);
    await expectNoAxeViolations(page, 'check before resending');
    await screenshot(page, 'resend-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/resend/confirmation`),
      page.click('button:has-text("Resend the link")'),
    ]);

    // Assess
    expect(await textOf(page, '.govuk-panel__title')).toBe('New link sent');
    expect(await textOf(page, 'main')).toContain(
      'Spoc Health (demo) has been emailed a new link for Health. The old link no longer works.',
    );
    await expectNoAxeViolations(page, 'the new link sent confirmation');
    await screenshot(page, 'resend-confirmation');
    const health = await stack.client.waitForEmails(
      'a second request to the health contact',
      (email) => email.destination.to.includes('spoc.health@example.org'),
      { count: before + 1 },
    );
    expect(health).toHaveLength(before + 1);
    const resent = health.at(-1) as InboxEmail;
    expect(agencyLinkIn(resent)).not.toBe(agencyLinkIn(requestTo('spoc.health@example.org')));

    // Health returns its summary through the new link, so only the police never return.
    await stack.client.uploadSummary(agencyLinkIn(resent), {
      name: 'Health summary (demo).pdf',
      type: 'application/pdf',
      bytes: demoSummaryPdf('Health'),
    });
    await stack.client.waitForCase(
      caseId,
      'the health summary received',
      (view) => view.agencies.find((agency) => agency.name === 'Health')?.status === 'received',
    );
  });

  it('removes education: check ("This cannot be undone"), confirmation, the case page shows it removed', async () => {
    // Prepare
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Act
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/remove`),
      page.getByRole('link', { name: 'Remove for Education', exact: true }).click(),
    ]);
    expect(await textOf(page, 'main h1')).toBe('Remove Education from the review');
    await expectNoAxeViolations(page, 'the remove question');
    await screenshot(page, 'remove-question');
    await page.fill('#reason', removeReason);
    await Promise.all([page.waitForURL('**/remove/check'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check before you remove the agency');
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([removeReason]);
    expect(await textOf(page, 'main .govuk-warning-text')).toContain('This cannot be undone.');
    await expectNoAxeViolations(page, 'check before removing');
    await screenshot(page, 'remove-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/remove/confirmation`),
      page.click('button:has-text("Remove the agency")'),
    ]);

    // Assess
    expect(await textOf(page, '.govuk-panel__title')).toBe('Agency removed');
    expect(await textOf(page, 'main')).toMatch(
      /Education was removed from the review at .+\. Its link no longer works and it will not be chased\./,
    );
    await expectNoAxeViolations(page, 'the agency removed confirmation');
    await screenshot(page, 'remove-confirmation');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    const education = agencyRow(page, 'Education');
    expect(await education.locator('.govuk-tag').textContent()).toMatch(/^\s*Removed\s*$/);
    expect(await education.textContent()).toContain(removeReason);
    expect(await education.locator('a').count()).toBe(0);
    await expectNoAxeViolations(page, 'the case page with an agency removed');
    await screenshot(page, 'case-page-agency-removed');
  });

  it("enters social care's return on its behalf: the return page, check, confirmation, received", async () => {
    // Prepare
    const page = browser.page;
    const before = (await emailsTo('spoc.social-care@example.org')).length;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Act: the return page, from the case page.
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/return`),
      page.getByRole('link', { name: "Enter its return for Children's Social Care", exact: true }).click(),
    ]);
    expect(await textOf(page, 'main h1')).toBe("Enter Children's Social Care's return on its behalf");
    await expectNoAxeViolations(page, 'the return on the agency’s behalf');
    await screenshot(page, 'return-on-behalf-question');

    // Act: its involvement, with one key practice episode.
    await page.check('#kind');
    await page.fill('#involvedFromDay', '6');
    await page.fill('#involvedFromMonth', '1');
    await page.fill('#involvedFromYear', '2025');
    await page.fill('#rolesInvolved', 'Invented (demo): a duty social worker and a team manager.');
    await page.fill('#summary', 'Invented (demo): two referrals in the year before the incident.');
    await page.fill('#episode1DateDay', '10');
    await page.fill('#episode1DateMonth', '2');
    await page.fill('#episode1DateYear', '2026');
    await page.fill('#episode1WhatHappened', 'Invented (demo): a referral from the school.');
    await page.fill('#episode1DecidedAndWhy', 'Invented (demo): no further action; the risk was judged low.');
    await page.fill('#immediateActions', 'Invented (demo): a strategy discussion was held.');
    await page.fill('#earlyLearning', 'Invented (demo): information from health was not sought.');
    await page.fill('#reason', onBehalfReason);
    await Promise.all([page.waitForURL('**/return/check'), page.click('button:has-text("Continue")')]);

    // Assess: check your answers.
    expect(await textOf(page, 'main h1')).toBe("Check Children's Social Care's return before you enter it");
    const values = await textsOf(page, '.govuk-summary-list__value');
    expect(values[0]).toBe('The agency was involved');
    expect(values[1]).toBe('From 6 January 2025, and continuing');
    expect(values).toContain(
      '10 February 2026 What happened: Invented (demo): a referral from the school. What was decided, and why: Invented (demo): no further action; the risk was judged low.',
    );
    expect(values.at(-1)).toBe(onBehalfReason);
    await expectNoAxeViolations(page, 'check the return on the agency’s behalf');
    await screenshot(page, 'return-on-behalf-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/return/confirmation`),
      page.click('button:has-text("Enter the return")'),
    ]);

    // Assess: confirmed; the case page shows it received; the agency's contact not emailed.
    expect(await textOf(page, '.govuk-panel__title')).toBe('Return entered');
    expect(await textOf(page, 'main')).toContain(
      "You entered Children's Social Care's return on its behalf at",
    );
    await expectNoAxeViolations(page, 'the return entered confirmation');
    await screenshot(page, 'return-on-behalf-confirmation');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    expect(await agencyRow(page, "Children's Social Care").locator('.govuk-tag').textContent()).toMatch(
      /^\s*Received\s*$/,
    );
    await expectNoAxeViolations(page, 'the case page with a return entered');
    await screenshot(page, 'case-page-return-entered');
    expect(await emailsTo('spoc.social-care@example.org')).toHaveLength(before);
  });

  it('takes in the police return late, after the papers: check, confirmation, the addendum emailed and listed', async () => {
    // Prepare: the clock moves to papers day and past it, to the wait for the chair's decision.
    const page = browser.page;
    for (let jumps = 0; ; jumps += 1) {
      if ((await stack.client.getCase(caseId)).status === 'awaiting-decision') break;
      if (jumps > 12) throw new Error('The case never reached the decision');
      await stack.client.advanceToNext();
      await stack.client.settle();
    }
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    expect(await page.locator('a:has-text("Replace contact")').count()).toBe(0);
    expect(await agencyRow(page, 'Police').locator('a').count()).toBe(1);
    await expectNoAxeViolations(page, 'the case page after collation');
    await screenshot(page, 'case-page-after-collation');

    // Act
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/late-return`),
      page.getByRole('link', { name: 'Take in a late return for Police', exact: true }).click(),
    ]);
    expect(await textOf(page, 'main h1')).toBe('Take in a late return from Police');
    await expectNoAxeViolations(page, 'the late return question');
    await screenshot(page, 'late-return-question');
    await page.check('#kind-2');
    await page.fill('#reason', lateReason);
    await Promise.all([page.waitForURL('**/late-return/check'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe("Check Police's return before you take it in");
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([
      'No involvement with this child or family',
      lateReason,
    ]);
    await expectNoAxeViolations(page, 'check the late return');
    await screenshot(page, 'late-return-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/agencies/*/late-return/confirmation`),
      page.click('button:has-text("Take in the return and send the addendum")'),
    ]);

    // Assess: confirmed; each of the group emailed; "Addendum 1" among the documents.
    expect(await textOf(page, '.govuk-panel__title')).toBe('Late return taken in');
    expect(await textOf(page, 'main')).toContain(
      'It went to the Rapid Review Group as addendum 1 to the papers.',
    );
    await expectNoAxeViolations(page, 'the late return confirmation');
    await screenshot(page, 'late-return-confirmation');
    const group = [
      'rrg.chair@example.org',
      'rrg.member@example.org',
      'rrg.police@example.org',
      'rrg.health@example.org',
    ];
    const addenda = await stack.client.waitForEmails(
      'the addendum to each of the Rapid Review Group',
      (email) => email.subject === `${reference}: addendum to the papers: late return from Police`,
      { count: group.length },
    );
    expect(addenda.flatMap((email) => email.destination.to).sort()).toEqual([...group].sort());
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    expect(await agencyRow(page, 'Police').locator('.govuk-tag').textContent()).toMatch(
      /^\s*Received late\s*$/,
    );
    expect(await textsOf(page, 'main ul.govuk-list li a')).toContain('Addendum 1');
    await expectNoAxeViolations(page, 'the case page with the addendum');
    await screenshot(page, 'case-page-addendum');
  });

  it("corrects the notification: the incident's location and the child's address, check, confirmation, the case page", async () => {
    // Prepare
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Act
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/notification/edit`),
      page.click('a:has-text("Change the notification’s details")'),
    ]);
    expect(await textOf(page, 'main h1')).toBe('Change the notification’s details');
    expect(await page.inputValue('#incident-location')).toBe('Family home, Exampletown (invented)');
    await expectNoAxeViolations(page, 'the notification edit question');
    await screenshot(page, 'notification-edit-question');
    await page.fill('#incident-location', newLocation);
    await page.fill('#children-0-address', '1 Invented Street\nExampletown\nEX1 1AA');
    await page.fill('#reason', editReason);
    await Promise.all([
      page.waitForURL('**/notification/edit/check'),
      page.click('button:has-text("Continue")'),
    ]);
    expect(await textOf(page, 'main h1')).toBe('Check the notification’s details before you save them');
    const values = await textsOf(page, '.govuk-summary-list__value');
    expect(values).toContain(newLocation);
    expect(values).toContain('1 Invented Street Exampletown EX1 1AA');
    expect(values.at(-1)).toBe(editReason);
    await expectNoAxeViolations(page, 'check the notification’s details');
    await screenshot(page, 'notification-edit-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/notification/edit/confirmation`),
      page.click('button:has-text("Save the changes")'),
    ]);

    // Assess
    expect(await textOf(page, '.govuk-panel__title')).toBe('Notification changed');
    expect(await textOf(page, 'main')).toContain('Version 2 of the notification is saved.');
    expect(await textOf(page, 'main')).toContain(
      'What changed: Where the incident happened; Child 1: address.',
    );
    await expectNoAxeViolations(page, 'the notification changed confirmation');
    await screenshot(page, 'notification-edit-confirmation');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    const change = page.locator('.govuk-summary-card', { hasText: 'Notification changed (version 2)' });
    expect(await change.count()).toBe(1);
    expect(await change.textContent()).toContain(editReason);
    expect(await change.textContent()).toContain('Pat Partnership Officer (demo)');
    expect(
      await textsOf(
        page,
        '.govuk-summary-card:has-text("Notification changed (version 2)") .govuk-summary-list__row',
      ),
    ).toEqual([
      expect.stringMatching(/^When .+2026$/),
      'By Pat Partnership Officer (demo)',
      `Why ${editReason}`,
      'What changed Where the incident happened; Child 1: address',
    ]);
    const notificationRows = await textsOf(
      page,
      '#the-notification + .govuk-summary-list .govuk-summary-list__row',
    );
    expect(notificationRows).toContain(`Where it happened ${newLocation}`);
    const child = page.locator('.govuk-summary-card', { hasText: 'The child' });
    expect(await child.textContent()).toContain('1 Invented Street, Exampletown, EX1 1AA');
    await expectNoAxeViolations(page, 'the case page with the notification changed');
    await screenshot(page, 'case-page-notification-changed');
  });
});
