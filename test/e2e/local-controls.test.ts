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

  it('shows the virtual time in London, marked local only, with links to the inbox and the service', async () => {
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
    expect(await browser.page.locator('#inbox-link').getAttribute('href')).toBe(stack.sesUrl);
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
