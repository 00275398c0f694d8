/**
 * Notify a serious incident in headless Chromium against the local stack: a notifier completes
 * the whole journey with the keyboard alone (Tab, typing, Space, arrow keys and Enter; no
 * clicks), passing through one error page; axe finds no WCAG 2.2 AA violation on any page of
 * the journey; each page is kept as a screenshot. Every name and address is invented.
 */
import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatDate } from '../../functions/web/pages/notify/views.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** Whether the focused element matches `selector`. */
function focusedMatches(page: BrowserPage, selector: string): Promise<boolean> {
  return page.evaluate(
    `document.activeElement ? document.activeElement.matches(${JSON.stringify(selector)}) : false`,
  ) as Promise<boolean>;
}

/** Presses Tab until the element matching `selector` has focus (as a keyboard user would). */
async function tabTo(page: BrowserPage, selector: string, limit = 120): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await focusedMatches(page, selector)) return;
    await page.keyboard.press('Tab');
  }
  if (await focusedMatches(page, selector)) return;
  throw new Error(`Tab never reached ${selector} on ${page.url()} in ${limit} presses`);
}

/** Tabs to a text field and types into it, replacing what it held. */
async function typeInto(page: BrowserPage, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.type(text);
}

/** A GOV.UK date input's three fields, in order. */
async function typeDate(page: BrowserPage, name: string, day: string, month: string, year: string) {
  await typeInto(page, `#${name}-day`, day);
  await typeInto(page, `#${name}-month`, month);
  await typeInto(page, `#${name}-year`, year);
}

/** Tabs into a radio group and moves to `value` with the arrow keys (which select it), then Space. */
async function chooseRadio(page: BrowserPage, name: string, value: string): Promise<void> {
  await tabTo(page, `input[type="radio"][name="${name}"]`);
  for (let presses = 0; presses < 10; presses += 1) {
    if (await focusedMatches(page, `input[name="${name}"][value="${value}"]`)) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Space');
  expect(await page.locator(`input[name="${name}"][value="${value}"]`).isChecked()).toBe(true);
}

/** Presses `key` on what has focus and waits for the page it leads to. */
async function pressAndLoad(page: BrowserPage, key: 'Enter' | 'Space'): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await page.keyboard.press(key);
  await navigated;
  await page.waitForLoadState('load');
}

/** Tabs to the form's submit button (in main) and presses Enter. */
async function submitWithKeyboard(page: BrowserPage): Promise<void> {
  await tabTo(page, 'main form button.govuk-button');
  await pressAndLoad(page, 'Enter');
}

/** The text of the first element matching `selector`, whitespace collapsed. */
async function textOf(page: BrowserPage, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Checks the page with axe and keeps its screenshot. */
async function checkPage(page: BrowserPage, name: string): Promise<void> {
  await expectNoAxeViolations(page, name);
  await screenshot(page, name);
}

describe('notify a serious incident in a browser', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('lets a notifier send a notification with the keyboard alone and shows the reference and timetable', async () => {
    const page = browser.page;
    // Prepare
    await signInAs(page, stack.apiUrl, 'notifier');

    // Act and assess, page by page.
    await tabTo(page, 'main a[href="/notify"]');
    await pressAndLoad(page, 'Enter');
    expect(await textOf(page, 'main h1')).toBe('Notify a serious incident');
    await checkPage(page, 'start');

    await tabTo(page, 'main a.govuk-button--start');
    await pressAndLoad(page, 'Enter');
    expect(new URL(page.url()).pathname).toBe('/notify/incident');
    await checkPage(page, 'incident');

    // The incident, with the month of the incident left out: one error page.
    await chooseRadio(page, 'kind', 'serious-harm');
    await typeDate(page, 'occurredOn', '2', '', '2026');
    await typeDate(page, 'localAuthorityAwareOn', '3', '3', '2026');
    await typeDate(page, 'panelNotifiedOn', '4', '3', '2026');
    await typeInto(page, '#location', 'Family home, Exampletown (invented)');
    await typeInto(page, '#panelReference', 'PANEL-E2E-0001');
    await typeInto(page, '#notifyingLocalAuthority', 'Exampleshire County Council');
    await typeInto(page, '#summary', 'Invented end-to-end test case. No real child or family is described.');
    await submitWithKeyboard(page);

    expect(await page.title()).toMatch(/^Error: The incident/);
    expect(await textOf(page, '.govuk-error-summary')).toContain('Date of incident must include a month');
    expect(await page.inputValue('#panelReference')).toBe('PANEL-E2E-0001');
    await checkPage(page, 'incident-with-errors');

    // The error summary's link takes the keyboard to the month.
    await tabTo(page, '.govuk-error-summary a[href="#occurredOn-month"]');
    await page.keyboard.press('Enter');
    expect(await focusedMatches(page, '#occurredOn-month')).toBe(true);
    await page.keyboard.type('3');
    await submitWithKeyboard(page);
    expect(new URL(page.url()).pathname).toBe('/notify/children/new');
    await checkPage(page, 'add-a-child');

    // One child, by age.
    await typeInto(page, '#name', 'Demo Child E2E');
    await typeInto(page, '#ageYears', '6');
    await chooseRadio(page, 'sex', 'not-known');
    // Ethnicity from the 2021 census categories: one radio group across the five groups' fieldsets.
    await chooseRadio(page, 'ethnicity', 'asian-any-other');
    await typeInto(page, '#ethnicityDescription', 'Invented background (demo)');
    await chooseRadio(page, 'disability', 'no');
    await chooseRadio(page, 'lookedAfterStatus', 'previously');
    await chooseRadio(page, 'careLeaver', 'no');
    await chooseRadio(page, 'childProtectionPlan', 'never');
    await chooseRadio(page, 'childInNeed', 'not-known');
    await submitWithKeyboard(page);
    expect(await textOf(page, 'main h1')).toBe('You have added 1 child');
    await checkPage(page, 'children');
    await chooseRadio(page, 'addAnother', 'no');
    await submitWithKeyboard(page);

    // The child's household (optional): one member.
    expect(new URL(page.url()).pathname).toBe('/notify/household');
    await checkPage(page, 'household');
    await typeInto(page, '#member-1-name', 'Invented Parent');
    await typeInto(page, '#member-1-relationship', 'Mother');
    await submitWithKeyboard(page);

    // Two agencies.
    expect(new URL(page.url()).pathname).toBe('/notify/agencies/new');
    await checkPage(page, 'add-an-agency');
    await typeInto(page, '#name', 'Police');
    await typeInto(page, '#spocName', 'Spoc Police (demo)');
    await typeInto(page, '#spocEmail', 'spoc.police@example.org');
    await submitWithKeyboard(page);
    await chooseRadio(page, 'addAnother', 'yes');
    await submitWithKeyboard(page);
    await typeInto(page, '#name', 'Health');
    await typeInto(page, '#spocName', 'Spoc Health (demo)');
    await typeInto(page, '#spocEmail', 'spoc.health@example.org');
    await submitWithKeyboard(page);
    expect(await textOf(page, 'main h1')).toBe('You have added 2 agencies');
    await checkPage(page, 'agencies');
    await chooseRadio(page, 'addAnother', 'no');
    await submitWithKeyboard(page);

    // The notifier.
    expect(new URL(page.url()).pathname).toBe('/notify/notifier');
    await checkPage(page, 'notifier');
    await typeInto(page, '#name', 'Notifier Person (demo)');
    await typeInto(page, '#role', 'Designated Safeguarding Manager (demo)');
    await typeInto(page, '#email', 'notifier@example.org');
    await submitWithKeyboard(page);

    // Other processes: "None" is exclusive (it unticks a process ticked before it); then a police
    // investigation and a coroner's inquest.
    expect(new URL(page.url()).pathname).toBe('/notify/parallel-processes');
    await checkPage(page, 'parallel-processes');
    const box = (value: string) => page.locator(`input[name="processes"][value="${value}"]`);
    await tabTo(page, 'input[name="processes"][value="policeInvestigation"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'input[name="processes"][value="none"]');
    await page.keyboard.press('Space');
    expect([await box('none').isChecked(), await box('policeInvestigation').isChecked()]).toEqual([
      true,
      false,
    ]);
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+Tab');
    expect(await focusedMatches(page, 'input[name="processes"][value="inquest"]')).toBe(true);
    await page.keyboard.press('Space');
    for (let presses = 0; presses < 4; presses += 1) await page.keyboard.press('Shift+Tab');
    expect(await focusedMatches(page, 'input[name="processes"][value="policeInvestigation"]')).toBe(true);
    await page.keyboard.press('Space');
    await submitWithKeyboard(page);

    // Check your answers.
    expect(new URL(page.url()).pathname).toBe('/notify/check-answers');
    const answers = await textOf(page, 'main');
    expect(answers).toContain('2 March 2026');
    expect(answers).toContain('Demo Child E2E');
    expect(answers).toContain('spoc.health@example.org');
    expect(answers).toContain('Police investigation');
    expect(answers).toContain('Coroner’s inquest');
    expect(answers).toContain(
      'Ethnicity: Asian or Asian British: Any other Asian background (Invented background (demo))',
    );
    expect(answers).toContain('Looked after: previously');
    expect(answers).toContain('Child in need: not known');
    expect(await page.locator('main a[href="/notify/incident?change=yes"]').count()).toBeGreaterThan(0);
    await checkPage(page, 'check-answers');
    await submitWithKeyboard(page);

    // The confirmation.
    const path = new URL(page.url()).pathname;
    expect(path).toMatch(/^\/notify\/confirmation\/[0-9a-f-]{36}$/);
    const caseId = path.split('/').pop() ?? '';
    const view = (await stack.client.getCase(caseId)) as unknown as {
      reference: string;
      timetable: { day: number; date: string }[];
    };
    expect(await textOf(page, '.govuk-panel__title')).toBe('Notification sent');
    expect(await textOf(page, '.govuk-panel__body strong')).toBe(view.reference);
    const next = await textOf(page, 'main table');
    for (const day of [1, 10, 12, 14, 15]) {
      const milestone = view.timetable.find((entry) => entry.day === day);
      expect(milestone, `the timetable's Day ${day}`).toBeDefined();
      expect(next).toContain(`Day ${day}`);
      expect(next).toContain(formatDate(milestone?.date ?? '', { weekday: true }));
    }
    expect(next).toContain('Wednesday 4 March 2026');
    // Why Day 1 falls when it does: the 5pm cut-off.
    expect(await textOf(page, '#day-one')).toMatch(
      /^The partnership received your notification at .+: (before 5pm on a working day, so Day 1 is that day|.+, so Day 1 is the next working day, .+)\.$/,
    );
    expect(await textOf(page, 'main')).toContain(
      'A notification received after 5pm, at the weekend or on a bank holiday starts Day 1 on the next working day.',
    );
    expect(view.reference).toMatch(/^RR-\d{4}-\d{4,}$/);
    await checkPage(page, 'confirmation');
  });

  it('refuses an RRG member at /notify with 403', async () => {
    // Prepare
    await signInAs(browser.page, stack.apiUrl, 'rrg-member');

    // Act
    const response = await browser.page.goto(`${stack.apiUrl}/notify`);

    // Assess
    expect(response?.status()).toBe(403);
    expect(await textOf(browser.page, 'main h1')).toBe('You cannot use this page');
    await screenshot(browser.page, 'rrg-member-refused');
  });
});
