/**
 * The partnership directory (issue 11 part 6), in headless Chromium against the local stack: the
 * partnership team reaches it from the start page's menu, sees the profile's agencies, is told
 * what to mend, adds an agency with its contact and strategic lead through check your answers,
 * and gives a profile agency its contact; then a notifier picks both from the notify pages'
 * checkboxes and adds one more by hand. Each page is checked with axe at desktop width and at
 * 320 px, where nothing may scroll sideways.
 */
import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { engineeringWordsIn } from '../support/plain-words.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { defaultViewport, screenshot, signInAs, textOf, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** GOV.UK's narrowest width: a page must not scroll sideways there. */
const narrow = { width: 320, height: 800 };

/** How far the page is wider than its window (0 when nothing scrolls sideways). */
function sidewaysOverflow(page: BrowserPage): Promise<number> {
  return page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  ) as Promise<number>;
}

/** The texts of every element matching `selector`, whitespace collapsed. */
async function textsOf(page: BrowserPage, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
}

describe('the partnership directory, kept by the team and picked from by a notifier', () => {
  const stack = useLocalStack();
  const browser = usePage();

  /** The page as it is, axe clean at desktop width and at 320 px (without scrolling sideways). */
  async function checked(name: string): Promise<void> {
    const { page } = browser;
    expect(engineeringWordsIn(await textOf(page, 'main')), name).toEqual([]);
    await expectNoAxeViolations(page, `${name} (desktop)`);
    await screenshot(page, name);
    await page.setViewportSize(narrow);
    await screenshot(page, `${name}-320`);
    expect(await sidewaysOverflow(page), `${name} scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
    await expectNoAxeViolations(page, `${name} (320 px)`);
    await page.setViewportSize(defaultViewport);
  }

  const press = async (text: string) => {
    await Promise.all([
      browser.page.waitForLoadState('load'),
      browser.page.click(`main button:has-text("${text}")`),
    ]);
    await browser.page.waitForLoadState('load');
  };

  it('the team adds an agency and gives a profile agency its contact, each checked before it is saved', async () => {
    const { page } = browser;
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await page.goto(`${stack.apiUrl}/`);
    await Promise.all([
      page.waitForLoadState('load'),
      page.locator('main .app-menu a', { hasText: 'Partnership directory' }).click(),
    ]);
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/directory');
    expect(await textsOf(page, '.govuk-summary-card__title')).toContain('Police');
    await checked('directory-from-profile');

    // Act: add an agency, sent with a missing contact and a wrong lead's address first.
    await Promise.all([page.waitForURL('**/directory/add'), page.click('main a:has-text("Add an agency")')]);
    await page.fill('#name', 'Housing (demo)');
    await page.fill('#leadName', 'Lee Housing Lead (demo)');
    await page.fill('#leadEmail', 'not an address');
    await press('Continue');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Enter the contact’s name',
      'Enter the contact’s email address',
      'Enter the strategic lead’s email address in the correct format, like name@example.org',
    ]);
    await checked('directory-add-errors');
    await page.fill('#contactName', 'Harriet Housing (demo)');
    await page.fill('#contactEmail', 'spoc.housing@example.org');
    await page.fill('#leadEmail', 'lead.housing@example.org');
    await press('Continue');
    expect(await textOf(page, 'main h1')).toBe('Check the agency before you add it');
    await checked('directory-add-check');
    await press('Add the agency');

    // Assess
    expect(new URL(page.url()).pathname).toBe('/directory');
    expect(await textOf(page, '.govuk-notification-banner')).toContain(
      'Housing (demo) is added to the directory',
    );
    await checked('directory-added');

    // Act: the profile's Police gets its contact.
    await Promise.all([
      page.waitForURL('**/directory/police/change'),
      page.click('main a[href="/directory/police/change"]'),
    ]);
    await page.fill('#contactName', 'Pat Police Contact (demo)');
    await page.fill('#contactEmail', 'spoc.police@example.org');
    await press('Continue');
    await press('Save the changes');
    expect(await textOf(page, '.govuk-notification-banner')).toContain('Police is changed');
  });

  it('a notifier picks agencies from the directory, the contact in each hint, and adds one that is not listed', async () => {
    const { page } = browser;
    await signInAs(page, stack.apiUrl, 'notifier');
    await page.goto(`${stack.apiUrl}/notify/agencies`);
    expect(new URL(page.url()).pathname).toBe('/notify/agencies/directory');
    expect(await textOf(page, 'main h1')).toContain('Which agencies should be asked for a summary?');
    expect(await textOf(page, '#agencies-item-hint')).toBe(
      'Contact: Harriet Housing (demo), spoc.housing@example.org',
    );
    await checked('notify-pick-agencies');

    // Act: nothing ticked, then both and "not listed".
    await press('Continue');
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Select the agencies to ask for a summary, or select that an agency is not listed',
    ]);
    await checked('notify-pick-agencies-error');
    await page.check('input[value="housing-demo"]');
    await page.check('input[value="police"]');
    await page.check('input[value="not-listed"]');
    await press('Continue');
    expect(new URL(page.url()).pathname).toBe('/notify/agencies/new');
    await page.fill('#name', 'Youth Club (demo)');
    await page.fill('#spocName', 'Yan Youth (demo)');
    await page.fill('#spocEmail', 'youth@example.org');
    await press('Save agency');

    // Assess
    expect(await textOf(page, 'main h1')).toBe('You have added 3 agencies');
    expect(await textsOf(page, 'main .govuk-summary-list__key')).toEqual([
      'Housing (demo)',
      'Police',
      'Youth Club (demo)',
    ]);
    await checked('notify-agencies-picked');
  });
});
