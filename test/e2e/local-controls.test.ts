/**
 * The local stack's control page at /local, in headless Chromium: the virtual time in London,
 * what waits on the clock, the buttons that move it (a CSRF-protected form), the inbox link and
 * one-press sign-in as each invented user. It exists only on the local stack.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { localUsers } from '../../local/tokens.ts';
import { formatInstant } from '../../shared/workflow/london-time.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, textOf, usePage } from './support/browser.ts';
import { e2eStart, useLocalStack } from './support/stack.ts';

const london = (at: Date | string) => formatInstant(at, 'Europe/London');

describe('the local controls page', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('shows the virtual time in London, marked local only, with links to the inbox, the operations page and the service', async () => {
    // Act
    const response = await browser.page.goto(`${stack.apiUrl}/local`);

    // Assess
    expect(response?.status()).toBe(200);
    expect(await textOf(browser.page, 'main h1')).toBe('Local controls');
    expect(await textOf(browser.page, '.govuk-warning-text')).toContain('Local only');
    expect(await textOf(browser.page, '#virtual-now')).toBe(london(e2eStart));
    expect(await textOf(browser.page, '#virtual-now')).toBe('10am on Wednesday 4 March 2026');
    expect(await textOf(browser.page, '[data-testid="clock"]')).toContain('Stopped');
    expect(await textOf(browser.page, '#pending')).toContain('Nothing is waiting on the clock');
    expect(await browser.page.locator('#inbox-link').getAttribute('href')).toBe('/local/inbox');
    // The operations page (issue 12 part 4), for the operator.
    expect(await browser.page.locator('#ops-link').getAttribute('href')).toBe('/ops');
    expect(await browser.page.locator('button[data-role="operator"]').count()).toBe(1);
    expect(
      await browser.page.getByRole('link', { name: 'Open the service’s start page' }).getAttribute('href'),
    ).toBe('/');
    expect(await textOf(browser.page, 'main ol')).toContain('Sign in as the notifier');
    await expectNoAxeViolations(browser.page, 'the local controls page with nothing pending');
  });

  it('says nothing is waiting when asked for the next deadline before any notification', async () => {
    // Prepare
    await browser.page.goto(`${stack.apiUrl}/local`);
    const before = stack.stack.clock.now();

    // Act
    await browser.page.getByRole('button', { name: 'Move to the next deadline' }).click();

    // Assess
    expect(await textOf(browser.page, '.govuk-error-summary')).toContain(
      'Nothing is waiting on the clock yet',
    );
    expect(stack.stack.clock.now()).toEqual(before);
  });

  it('moves to the earliest pending wait of a notified case and says where the clock moved', async () => {
    // Prepare: a notification starts a review, which then waits for the reminder day.
    await stack.client.submitNotification(sampleNotification(), randomUUID());
    await stack.stack.whenSettled();
    const [earliest, following] = stack.stack.clock.pending();
    if (!earliest) throw new Error('The notified review left nothing waiting on the clock');
    await browser.page.goto(`${stack.apiUrl}/local`);
    expect(await textOf(browser.page, '#pending tbody tr')).toContain(london(earliest.at));
    await screenshot(browser.page, 'local-controls');

    // Act
    await browser.page.getByRole('button', { name: 'Move to the next deadline' }).click();
    await browser.page.waitForURL(/\/local\?moved=/);

    // Assess
    expect(stack.stack.clock.now().getTime()).toBeGreaterThanOrEqual(earliest.at.getTime());
    expect(stack.stack.clock.pending().map((wake) => wake.at)).not.toContainEqual(earliest.at);
    expect(await textOf(browser.page, '.govuk-notification-banner')).toContain(
      `The clock moved to ${london(earliest.at)}`,
    );
    expect(await textOf(browser.page, '#virtual-now')).toBe(london(stack.stack.clock.now()));
    if (following) expect(await textOf(browser.page, '#pending')).toContain(london(following.at));
    await expectNoAxeViolations(browser.page, 'the local controls page after the clock moved');
    await screenshot(browser.page, 'local-controls-moved');
  });

  it('moves the clock on one day', async () => {
    // Prepare
    await browser.page.goto(`${stack.apiUrl}/local`);
    const before = stack.stack.clock.now();
    const dayLater = new Date(before.getTime() + 24 * 60 * 60 * 1000);

    // Act
    await browser.page.getByRole('button', { name: 'Move on one day' }).click();
    await browser.page.waitForURL(/\/local\?moved=/);

    // Assess
    expect(stack.stack.clock.now().getTime()).toBeGreaterThanOrEqual(dayLater.getTime());
    expect(await textOf(browser.page, '.govuk-notification-banner')).toContain(
      `The clock moved to ${london(dayLater)}`,
    );
  });

  it('makes one step of a running case fail once, for a rehearsal, and the case then shows it stopped', async () => {
    // Prepare: a review waiting for its first rung of the ladder.
    const { caseId } = await stack.client.submitNotification(sampleNotification(), randomUUID());
    await stack.stack.whenSettled();
    await browser.page.goto(`${stack.apiUrl}/local`);

    // Act
    await browser.page.selectOption('#failCase', caseId);
    await browser.page.selectOption('#failStep', 'climb-ladder');
    await browser.page.getByRole('button', { name: 'Make this step fail once' }).click();
    await browser.page.waitForURL(/\/local\?failCase=/);
    const planned = await textOf(browser.page, '#failure-planned');
    await expectNoAxeViolations(browser.page, 'the local controls page with a failure planned');
    let view = await stack.client.getCase(caseId);
    for (let jumps = 0; view.status !== 'failed' && jumps < 6; jumps += 1) {
      await stack.client.advanceToNext();
      view = await stack.client.getCase(caseId);
    }

    // Assess
    expect(planned).toContain('chasing the agencies that had not returned their summaries');
    expect(view.status).toBe('failed');
    expect(view.workflow.status).toBe('FAILED');
    expect(stack.stack.rehearsal.planned()).toEqual([]);
  });

  it('refuses a failure without a case or a step, naming each field', async () => {
    // Prepare: a running review, so the page offers the rehearsal's form (it offers none without one).
    await stack.client.submitNotification(sampleNotification(), randomUUID());
    await stack.stack.whenSettled();
    await browser.page.goto(`${stack.apiUrl}/local`);

    // Act
    await browser.page.getByRole('button', { name: 'Make this step fail once' }).click();

    // Assess
    const summary = await textOf(browser.page, '.govuk-error-summary');
    expect(summary).toContain('Choose the case whose step should fail');
    expect(summary).toContain('Choose the step that should fail');
  });

  it('refuses a POST without the CSRF token and leaves the clock where it was', async () => {
    // Prepare
    const before = stack.stack.clock.now();

    // Act
    const response = await fetch(`${stack.apiUrl}/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'day' }).toString(),
      redirect: 'manual',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('The page had expired');
    expect(stack.stack.clock.now()).toEqual(before);
  });

  it('shows each email in the local inbox with the virtual time it was sent beside the real time, and its links ready to click', async () => {
    // Prepare: a review runs on until an email with a link (an agency's request) has been sent.
    await stack.client.submitNotification(sampleNotification(), randomUUID());
    await stack.stack.whenSettled();
    let withLink = (await stack.stack.inbox.listEmails()).find((email) => /https?:\/\//.test(email.text));
    for (let step = 0; !withLink && step < 6; step++) {
      await stack.client.advanceToNext();
      await stack.stack.whenSettled();
      withLink = (await stack.stack.inbox.listEmails()).find((email) => /https?:\/\//.test(email.text));
    }
    if (!withLink?.serviceTime) throw new Error('No email with a link and a service time was sent');

    // Act
    await browser.page.goto(`${stack.apiUrl}/local/inbox`);

    // Assess
    expect(await textOf(browser.page, 'main h1')).toBe('Local inbox');
    const card = browser.page.locator(`[data-message-id="${withLink.messageId}"]`);
    const row = (key: string) =>
      card.locator('.govuk-summary-list__row', { hasText: key }).locator('.govuk-summary-list__value');
    // The clock stands still in these tests, so the virtual instant is March 2026, the real one today.
    expect((await row('Sent (service time)').textContent())?.trim()).toBe(london(withLink.serviceTime));
    expect((await row('Arrived (real time)').textContent())?.trim()).toBe(london(withLink.receivedAt));
    expect(london(withLink.serviceTime)).not.toBe(london(withLink.receivedAt));
    const firstLink = /https?:\/\/[^\s]+/.exec(withLink.text)![0].replace(/[.,;:]$/, '');
    expect(await card.locator(`.app-email-text a[href="${firstLink}"]`).count()).toBeGreaterThan(0);
    await expectNoAxeViolations(browser.page, 'the local inbox');
    await screenshot(browser.page, 'local-inbox');

    // Act: only the emails to one address.
    const address = withLink.to[0]!;
    await browser.page.getByLabel('Show only emails to or copied to').fill(address);
    await browser.page.getByRole('button', { name: 'Filter' }).click();

    // Assess
    const shown = await browser.page.locator('[data-message-id]').count();
    const expected = (await stack.stack.inbox.listEmails()).filter((email) =>
      [...email.to, ...email.cc].some((to) => to.toLowerCase() === address.toLowerCase()),
    ).length;
    expect(shown).toBe(expected);
    expect(await textOf(browser.page, '#email-count')).toContain(address.toLowerCase());
  });

  it('refuses "Start a demo local review" without the CSRF token and starts nothing', async () => {
    // Prepare
    const commissioned = async () =>
      (await stack.stack.inbox.listEmails()).filter((email) =>
        email.subject.includes('local review commissioned'),
      ).length;
    const before = await commissioned();

    // Act
    const response = await fetch(`${stack.apiUrl}/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'demo-local-review' }).toString(),
      redirect: 'manual',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('The page had expired');
    expect(await commissioned()).toBe(before);
  });

  it('starts a demo local review to walk by hand, lists its waits in words, and opens it for the partnership team with one press', async () => {
    // Prepare
    const page = browser.page;
    await page.goto(`${stack.apiUrl}/local`);
    expect(await textOf(page, '#walk-local-review')).toContain('ask an agency for information');
    await expectNoAxeViolations(page, 'the local controls page offering a demo local review');

    // Act: the demo's Rapid Review and the local review it commissions take a few seconds.
    await Promise.all([
      page.waitForURL(/\/local\?demoReview=/, { timeout: 90_000 }),
      page.getByRole('button', { name: 'Start a demo local review' }).click(),
    ]);

    // Assess: the banner names the review; its wait for the final report is said in words.
    const banner = await textOf(page, '#demo-local-review-started');
    const reference = /LCSPR-\d{4}-\d{4}/.exec(banner)?.[0];
    expect(banner).toContain(`Local review ${reference} is ready to walk`);
    const reviewId = new URL(page.url()).searchParams.get('demoReview');
    const rows = await page.locator('#pending tbody tr').allTextContents();
    const reviewRow = rows.find((row) => row.includes(`Local review ${reviewId?.slice(0, 8)}`));
    expect(reviewRow).toContain('The final report: the next reminder to the partnership team');
    expect(rows.join(' ')).not.toMatch(/AwaitCompletion|Await completion/);
    expect(await page.locator(`#pending a[href="/local-reviews/${reviewId}"]`).count()).toBeGreaterThan(0);
    await expectNoAxeViolations(page, 'the local controls page with a demo local review started');
    await screenshot(page, 'local-controls-demo-local-review');

    // Act: one press signs in as the partnership team and opens the review.
    await Promise.all([
      page.waitForURL(`**/local-reviews/${reviewId}`),
      page.click('#open-demo-local-review'),
    ]);

    // Assess
    expect(await textOf(page, 'main h1')).toBe(reference);
    expect(await textOf(page, '.app-service-navigation__user')).toBe(localUsers['partnership-team'].name);
  }, 120_000);

  it('signs in as the notifier with one press and lands on the notify pages', async () => {
    // Prepare
    await browser.page.goto(`${stack.apiUrl}/local`);

    // Act
    await browser.page.locator('button[data-role="notifier"]').click();
    await browser.page.waitForURL((url) => url.pathname !== '/local');

    // Assess
    expect(new URL(browser.page.url()).pathname).toMatch(/^\/notify/);
    expect(await textOf(browser.page, '.app-service-navigation__user')).toBe(localUsers.notifier.name);
  });
});
