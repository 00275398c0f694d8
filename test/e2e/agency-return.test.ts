/**
 * An agency's SPOC returns its summary through the link in the request email, in headless
 * Chromium against the local stack: once with JavaScript (the upload shows its progress), once
 * without (the form posts straight to the bucket and S3 sends the browser back), and a wrong link.
 */
import { randomUUID } from 'node:crypto';
import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { InboxEmail, ReviewClient } from '../../local/demo/review-client.ts';
import { demoSummaryPdf } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { mintAgencyToken } from '../../shared/agency-links.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { defaultViewport, screenshot, usePage } from './support/browser.ts';
import { useLocalStack } from './support/stack.ts';

/** The text of the first element matching `selector`, whitespace collapsed ('' when absent). */
async function textOf(page: BrowserPage, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  if ((await element.count()) === 0) return '';
  return ((await element.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The agency page link in a request email, as the SPOC would click it. */
function agencyPageLinkIn(email: InboxEmail): string {
  const match = /https?:\/\/\S+?\/agency\/[A-Za-z0-9_-]{43}/.exec(email.body.text ?? '');
  if (!match) throw new Error(`No agency link in the email "${email.subject}"`);
  return match[0];
}

/** Without JavaScript: presses "Refresh this page" until the upload has been checked (or fails after 20 seconds). */
async function refreshUntilChecked(page: BrowserPage, screenshotName: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await textOf(page, 'main h1')) === 'We are checking your file') {
    if (Date.now() > deadline) throw new Error('The upload was never checked');
    await screenshot(page, screenshotName);
    await page.getByRole('link', { name: 'Refresh this page' }).click();
  }
}

/** Submits the invented notification and answers the case and each SPOC's request email. */
async function aCaseWithRequests(client: ReviewClient) {
  const notification = sampleNotification();
  const { caseId, reference } = await client.submitNotification(notification, randomUUID());
  const spocs = new Map(notification.agencies.map((agency) => [agency.spoc.email, agency.name]));
  const emails = await client.waitForEmails(
    'a summary request to every agency',
    (email) => email.subject.includes(reference) && email.destination.to.some((to) => spocs.has(to)),
    { count: spocs.size },
  );
  const linkFor = (spocEmail: string) => {
    const email = emails.find((candidate) => candidate.destination.to.includes(spocEmail));
    if (!email) throw new Error(`No request email to ${spocEmail}`);
    return agencyPageLinkIn(email);
  };
  return { caseId, reference, linkFor };
}

describe('an agency returns its summary through the emailed link', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('uploads with JavaScript showing progress, and without JavaScript through the plain form; the case shows both received', async () => {
    // Prepare
    const { caseId, reference, linkFor } = await aCaseWithRequests(stack.client);
    const policeLink = linkFor('spoc.police@example.org');
    const healthLink = linkFor('spoc.health@example.org');
    const page = browser.page;
    const statuses: string[] = [];
    await page.exposeFunction('recordUploadStatus', (text: string) => statuses.push(text));
    await page.addInitScript(`
      addEventListener('DOMContentLoaded', () => {
        const status = document.querySelector('[data-upload-status]');
        if (!status) return;
        new MutationObserver(() => window.recordUploadStatus(status.textContent)).observe(status, {
          childList: true, characterData: true, subtree: true,
        });
      });
    `);

    // Act: the police SPOC, with JavaScript.
    const response = await page.goto(policeLink);
    // The script hides the file-type question when it starts: wait for it, so a click under load
    // is never taken by the plain form before the enhancement is in place.
    await page.locator('[data-upload-type-question]').waitFor({ state: 'hidden' });

    // Assess: the request page.
    expect(response?.status()).toBe(200);
    expect(await textOf(page, 'main h1')).toBe('Return your agency’s summary');
    const requestText = await textOf(page, 'main');
    expect(requestText).toContain(reference);
    expect(requestText).toContain('Police');
    expect(requestText).toContain('Initial Scoping and Information Sharing template');
    expect(requestText).toContain('5pm on Tuesday 17 March 2026');
    expect(requestText).toContain('Not yet received');
    for (const personal of ['Demo Child One', caseId, 'spoc.police@example.org']) {
      expect(requestText).not.toContain(personal);
    }
    // With JavaScript the file's type is read from the file: the type question is hidden.
    expect(await page.locator('[data-upload-type-question]').isHidden()).toBe(true);
    await expectNoAxeViolations(page, 'the agency request page');
    await screenshot(page, 'request-page');

    // Act: a text file first; the API refuses its type before anything is uploaded.
    await page.setInputFiles('#file', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Invented notes (demo)'),
    });
    await page.getByRole('button', { name: 'Upload summary' }).click();
    await page.locator('.govuk-error-summary').waitFor();

    // Assess: the GOV.UK error summary, linked to the field, and the field's own message.
    expect(await textOf(page, '.govuk-error-summary__list')).toBe('Upload a PDF or a Word document (.docx)');
    expect(await page.locator('.govuk-error-summary__list a').getAttribute('href')).toBe('#file');
    expect(await textOf(page, '#file-error')).toBe('Error: Upload a PDF or a Word document (.docx)');
    expect(await page.title()).toMatch(/^Error: /);
    await expectNoAxeViolations(page, 'the agency request page with an error');
    await screenshot(page, 'request-page-wrong-type');

    // Act: choose the PDF and upload it; the bucket's answer is held until the progress is seen.
    let releaseUpload: () => void = () => {};
    const uploadHeld = new Promise<void>((resolve) => {
      releaseUpload = resolve;
    });
    const formAction =
      (await page.locator('form[data-module="app-agency-upload"]').getAttribute('action')) ?? '';
    const bucketOrigin = new URL(formAction).origin;
    await page.route(
      (url) => url.origin === bucketOrigin,
      async (route) => {
        if (route.request().method() === 'POST') await uploadHeld;
        await route.continue();
      },
    );
    await page.setInputFiles('#file', {
      name: 'Police summary (demo).pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(demoSummaryPdf('Police')),
    });
    await page.getByRole('button', { name: 'Upload summary' }).click();
    await page
      .locator('[data-upload-status]', { hasText: /^Uploading… \d+%$/ })
      .waitFor()
      .catch(async (error: Error) => {
        // Say what the page showed instead, so a failure here can be understood from the log alone.
        const summary = page.locator('.govuk-error-summary');
        const shown = {
          status: await page.locator('[data-upload-status]').textContent(),
          errorSummary: (await summary.isVisible()) ? await summary.textContent() : null,
          files: await page
            .locator('#file')
            .evaluate((input) => (input as unknown as { files: { length: number } }).files.length),
          url: page.url(),
        };
        throw new Error(`${error.message}\nThe page showed instead: ${JSON.stringify(shown)}`);
      });

    // Assess: progress in a live region, with its bar.
    expect(await page.locator('[data-upload-progress] progress').isVisible()).toBe(true);
    await expectNoAxeViolations(page, 'the agency request page while uploading');
    await screenshot(page, 'uploading');
    releaseUpload();

    // Assess: the confirmation, once record-summary has recorded the upload.
    await page.locator('.govuk-panel__title', { hasText: 'Summary received' }).waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe(new URL(`${policeLink}/uploaded`).pathname);
    expect(await page.locator('.govuk-error-summary').isHidden()).toBe(true);
    expect(statuses.some((status) => /^Uploading… \d+%$/.test(status))).toBe(true);
    const confirmation = await textOf(page, 'main');
    expect(confirmation).toContain(reference);
    expect(confirmation).toContain('We received Police’s summary at 10am on Wednesday 4 March 2026.');
    expect(confirmation).toContain('It arrived before the deadline');
    await expectNoAxeViolations(page, 'the upload confirmation');
    await screenshot(page, 'summary-received');

    // Act: the health SPOC, without JavaScript.
    const noScript = await browser.browser.newContext({
      viewport: defaultViewport,
      javaScriptEnabled: false,
    });
    try {
      const plain = await noScript.newPage();
      await plain.goto(healthLink);
      expect(await plain.locator('[data-upload-type-question]').isVisible()).toBe(true);
      expect(await plain.locator('input[name="Content-Type"][value="application/pdf"]').isChecked()).toBe(
        true,
      );
      await screenshot(plain, 'request-page-without-javascript');
      // An empty file first: S3 takes it (the form's policy allows 0 bytes, so S3's own error page
      // never shows), record-summary rejects it.
      await plain.setInputFiles('#file', {
        name: 'Empty.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.alloc(0),
      });
      // S3 sends the browser to /uploaded; when record-summary has already refused the file (a
      // busy machine's browser can be that slow), /uploaded redirects at once to the form saying so.
      await Promise.all([
        plain.waitForURL((url) => url.pathname.endsWith('/uploaded') || url.searchParams.has('rejected')),
        plain.getByRole('button', { name: 'Upload summary' }).click(),
      ]);
      expect(new URL(plain.url()).searchParams.has('key')).toBe(false);
      await refreshUntilChecked(plain, 'checking-without-javascript');
      // Back on the upload form, with a GOV.UK error summary and the file field's error.
      expect(new URL(plain.url()).pathname).toBe(new URL(healthLink).pathname);
      expect(await plain.title()).toMatch(/^Error: /);
      expect(await plain.locator('.govuk-error-summary').isVisible()).toBe(true);
      expect(await textOf(plain, '.govuk-error-summary')).toContain('The file was empty.');
      expect(await textOf(plain, '#file-error')).toContain('The file was empty.');
      await screenshot(plain, 'file-rejected-without-javascript');
      await page.goto(plain.url());
      await expectNoAxeViolations(page, 'the upload form saying a file was rejected');

      // Then the summary itself, a minute later (the stack's clock stands still otherwise), from the same page.
      await stack.advanceClockBy('PT1M');
      await plain.setInputFiles('#file', {
        name: 'Health summary (demo).pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from(demoSummaryPdf('Health')),
      });
      await Promise.all([
        plain.waitForURL((url) => url.pathname.endsWith('/uploaded')),
        plain.getByRole('button', { name: 'Upload summary' }).click(),
      ]);
      await refreshUntilChecked(plain, 'checking-without-javascript');
      expect(await textOf(plain, '.govuk-panel__title')).toBe('Summary received');
      expect(await textOf(plain, 'main')).toContain('We received Health’s summary');
      await screenshot(plain, 'summary-received-without-javascript');
    } finally {
      await noScript.close();
    }
    // axe needs script in the page: the same confirmation is checked with JavaScript on.
    await page.goto(`${healthLink}/uploaded`);
    await expectNoAxeViolations(page, 'the health upload confirmation');

    // The page that waits for the upload to be recorded (an upload still to come), with JavaScript.
    await page.goto(`${healthLink}/uploaded?after=2030-01-01T00:00:00.000Z`);
    expect(await textOf(page, 'main h1')).toBe('We are checking your file');
    await expectNoAxeViolations(page, 'the page checking an upload');

    // Assess: the partnership sees both returns received.
    const view = await stack.client.waitForCase(caseId, 'police and health received', (candidate) =>
      ['police', 'health'].every(
        (agencyId) =>
          candidate.agencies.find((agency) => agency.agencyId === agencyId)?.status === 'received',
      ),
    );
    expect(
      view.agencies
        .filter((agency) => agency.status === 'received')
        .map((agency) => agency.agencyId)
        .sort(),
    ).toEqual(['health', 'police']);
  });

  // GOV.UK Frontend's double-click guard swallowed any press of Upload within a second of the
  // one before, so an upload tried again at once after an error never started (and the test
  // above failed whenever it got there quickly). The page's clock stands still here, so every
  // press falls within that second however fast or slow the machine is.
  it('uploads when Upload is pressed again at once after an error, within the same second', async () => {
    // Prepare
    const { caseId, linkFor } = await aCaseWithRequests(stack.client);
    const page = browser.page;
    await page.clock.install();
    await page.goto(linkFor('spoc.education@example.org'));
    await page.locator('[data-upload-type-question]').waitFor({ state: 'hidden' });
    await page.clock.pauseAt(Date.now() + 1_000);
    await page.setInputFiles('#file', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Invented notes (demo)'),
    });
    await page.getByRole('button', { name: 'Upload summary' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    const askedForThePdf = page.waitForRequest(
      (request) =>
        request.method() === 'POST' &&
        request.url().endsWith('/uploads') &&
        (request.postData() ?? '').includes('application/pdf'),
      { timeout: 10_000 },
    );

    // Act: the right file, pressed at once (no time passes on the page's clock).
    await page.setInputFiles('#file', {
      name: 'Education summary (demo).pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(demoSummaryPdf('Education')),
    });
    await page.getByRole('button', { name: 'Upload summary' }).click();

    // Assess: the upload starts, and the summary is received.
    await askedForThePdf.catch((error: Error) => {
      throw new Error(`The second press did not start the upload: ${error.message}`);
    });
    await page.clock.resume();
    await page.locator('.govuk-panel__title', { hasText: 'Summary received' }).waitFor({ timeout: 20_000 });
    const view = await stack.client.waitForCase(
      caseId,
      'education received',
      (candidate) =>
        candidate.agencies.find((agency) => agency.agencyId === 'education')?.status === 'received',
    );
    expect(
      view.agencies.filter((agency) => agency.status === 'received').map((agency) => agency.agencyId),
    ).toEqual(['education']);
  });

  it('shows a clear page, revealing no case, for a wrong link', async () => {
    // Act
    const response = await browser.page.goto(`${stack.apiUrl}/agency/${mintAgencyToken().token}`);

    // Assess
    expect(response?.status()).toBe(404);
    expect(await textOf(browser.page, 'main h1')).toBe('This link has expired or is not valid');
    expect(await textOf(browser.page, 'main')).toContain('contact the partnership team at');
    await expectNoAxeViolations(browser.page, 'the wrong-link page');
    await screenshot(browser.page, 'link-not-valid');
  });
});
