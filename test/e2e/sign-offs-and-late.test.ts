/**
 * The pages no other browser test walks (issue 9), in headless Chromium against one local stack:
 * a safeguarding partner's sign-off of the chair's decision (disagreeing, with its errors), the
 * Executive Board chair's resolution of that disagreement, then the review going to the Panel;
 * a second review's late path (the "Late" tag, the reason and the expected date); and a third
 * case, a looked-after child's death, closed as notification only. Each page checked with axe.
 *
 * The reviews are driven through the API (local/demo/run-review.ts); the virtual clock moves
 * only when a test moves it, so the walks run in the order written.
 */
import { randomUUID } from 'node:crypto';
import type { Page as BrowserPage } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InboxEmail } from '../../local/demo/review-client.ts';
import { runDemoReviewToDecision } from '../../local/demo/run-review.ts';
import { pollUntil } from '../../local/free-port.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { screenshot, signInAs, usePage } from './support/browser.ts';
import { bringToDecisionWait } from './support/reviews.ts';
import { type E2eStack, useLocalStack } from './support/stack.ts';

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

/** A London date (YYYY-MM-DD) `days` after the stack's clock now. */
async function londonDateFromNow(stack: E2eStack, days: number): Promise<string> {
  const { now } = await stack.client.clock();
  const at = new Date(Date.parse(now) + days * 24 * 60 * 60 * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);
}

/** Fills a GOV.UK date input named `name` with an ISO date. */
async function fillDate(page: BrowserPage, name: string, isoDate: string): Promise<void> {
  const [year, month, day] = isoDate.split('-');
  await page.fill(`#${name}-day`, String(Number(day)));
  await page.fill(`#${name}-month`, String(Number(month)));
  await page.fill(`#${name}-year`, String(year));
}

const localReviewReason =
  'Invented demo reason: the agencies’ accounts suggest learning about information sharing.';
const nationalReviewReason =
  'Invented demo reason: the issues are local and the partnership can learn from them.';
const dissent = 'Invented reason (demo): the police see no learning that a local review would add.';
const resolutionReasons = 'Invented reasons (demo): the Board heard the police and the decision stands.';

describe('the sign-offs, the late path and notification only', () => {
  const stack = useLocalStack();
  const browser = usePage();
  // The ordinary review: brought to the chair's decision, the report complete.
  let caseId = '';
  let reference = '';

  beforeAll(async () => {
    ({ caseId, reference } = await runDemoReviewToDecision(stack.client, sampleNotification()));
  }, 120_000);

  it("lets the police partner's delegate sign off, disagreeing: the decision, the errors, check, confirmation", async () => {
    // Prepare
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'safeguarding-partner', 'police');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Act: the question page, from the case page.
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/sign-off`),
      page.click('a:has-text("Sign off the decision")'),
    ]);

    // Assess: the chair's decision is what the partner signs off.
    expect(await textOf(page, 'main h1')).toBe('Sign off the decision');
    expect(await textOf(page, 'main')).toContain(
      'You are signing off for the safeguarding partner: Chief officer of police.',
    );
    expect(await textOf(page, 'main')).toContain('Recorded by Chris Chair (demo) at');
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([
      'Yes',
      localReviewReason,
      'No',
      nationalReviewReason,
    ]);
    await expectNoAxeViolations(page, 'the sign-off question');
    await screenshot(page, 'sign-off-question');

    // Act: send it with nothing chosen.
    await Promise.all([page.waitForURL('**/sign-off/check'), page.click('button:has-text("Continue")')]);

    // Assess
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Select yes if your partner agrees with the decision',
    ]);
    expect(await textOf(page, '#agrees-error')).toContain(
      'Select yes if your partner agrees with the decision',
    );
    await expectNoAxeViolations(page, 'the sign-off question with its error');
    await screenshot(page, 'sign-off-question-nothing-chosen');

    // Act: disagree without saying why.
    await page.check('#agrees-2');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);

    // Assess
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Enter why your partner does not agree with the decision',
    ]);
    expect(await page.locator('.govuk-error-summary__list a').getAttribute('href')).toBe('#reasons');
    expect(await page.isChecked('#agrees-2')).toBe(true);
    await expectNoAxeViolations(page, 'the sign-off question without reasons');
    await screenshot(page, 'sign-off-question-no-reasons');

    // Act: disagree with reasons, check, record.
    await page.fill('#reasons', dissent);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check your sign-off before you record it');
    expect(await textsOf(page, '.govuk-summary-list__key')).toEqual([
      'Safeguarding partner',
      'Agrees with the decision',
      'Why not',
    ]);
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([
      'Chief officer of police',
      'No',
      dissent,
    ]);
    expect(await textOf(page, 'main')).toContain(
      'The Executive Board chair is emailed that your partner disagrees.',
    );
    await expectNoAxeViolations(page, 'check the sign-off');
    await screenshot(page, 'sign-off-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/sign-off/confirmation`),
      page.click('button:has-text("Record the sign-off")'),
    ]);

    // Assess
    expect(await textOf(page, '.govuk-panel__title')).toBe('Sign-off recorded');
    expect(await textOf(page, '.govuk-panel__body')).toContain(reference);
    expect(await textOf(page, 'main')).toMatch(
      /You signed off the decision for the safeguarding partner \(Chief officer of police\) at .+: your partner does not agree\./,
    );
    expect(await textOf(page, 'main')).toContain('The Executive Board chair has been emailed');
    await expectNoAxeViolations(page, 'the sign-off confirmation');
    await screenshot(page, 'sign-off-confirmation');
  });

  it('lets the Executive Board chair resolve the disagreement, and the review then goes to the Panel', async () => {
    // Prepare
    const page = browser.page;
    await signInAs(page, stack.apiUrl, 'executive-board');
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);
    expect(await textOf(page, '#sign-offs + p')).toBe(
      'A safeguarding partner does not agree. The Executive Board chair has been asked to resolve it.',
    );

    // Act: the resolution page, from the case page.
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/sign-offs/resolution`),
      page.click('a:has-text("Resolve the partners’ disagreement")'),
    ]);

    // Assess: each sign-off given so far, the dissent with its reasons.
    expect(await textOf(page, 'main h1')).toBe('Resolve the partners’ disagreement');
    expect(await textsOf(page, '.govuk-summary-card__title')).toEqual(['Chief officer of police']);
    const card = page.locator('.govuk-summary-card').first();
    const rows = (await card.locator('.govuk-summary-list__row').allTextContents()).map((text) =>
      text.replace(/\s+/g, ' ').trim(),
    );
    expect(rows[0]).toBe('Answer Does not agree');
    expect(rows[1]).toBe(`Why not ${dissent}`);
    expect(rows[2]).toMatch(/^Signed off by Dale Police Delegate \(demo\), .+2026$/);
    await expectNoAxeViolations(page, 'the resolution question');
    await screenshot(page, 'resolution-question');

    // Act: send it empty.
    await Promise.all([
      page.waitForURL('**/sign-offs/resolution/check'),
      page.click('button:has-text("Continue")'),
    ]);

    // Assess
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Select whether the decision stands or the Executive Board varies it',
      'Enter the reasons for the resolution',
    ]);
    await expectNoAxeViolations(page, 'the resolution question with its errors');
    await screenshot(page, 'resolution-question-with-errors');

    // Act: the decision stands, with reasons; check; record.
    await page.check('#outcome');
    await page.fill('#resolution-reasons', resolutionReasons);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check the resolution before you record it');
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([
      'The chair’s decision stands',
      resolutionReasons,
    ]);
    await expectNoAxeViolations(page, 'check the resolution');
    await screenshot(page, 'resolution-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/sign-offs/resolution/confirmation`),
      page.click('button:has-text("Record the resolution")'),
    ]);

    // Assess
    expect(await textOf(page, '.govuk-panel__title')).toBe('Resolution recorded');
    expect(await textOf(page, '.govuk-panel__body')).toContain(reference);
    expect(await textOf(page, 'main')).toContain(
      'the chair’s decision stands. The safeguarding partners’ decision is now complete.',
    );
    await expectNoAxeViolations(page, 'the resolution confirmation');
    await screenshot(page, 'resolution-confirmation');

    // Act: the other two partners agree (over the API); the workflow submits on its own.
    await stack.client.signOff(caseId, 'local-authority', { agrees: true });
    await stack.client.signOff(caseId, 'health', { agrees: true });
    await signInAs(page, stack.apiUrl, 'partnership-team');
    await pollUntil(
      'the case page to show the review went to the Panel',
      async () => {
        await page.goto(`${stack.apiUrl}/cases/${caseId}`);
        return textOf(page, '#going-to-the-panel + p');
      },
      (said) => said.startsWith('The review went to the Panel at'),
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // Assess
    expect(await textOf(page, 'main h1 .govuk-tag')).toMatch(/^(Submitted to the Panel|Completed)$/);
    expect(await textOf(page, '#sign-offs + p')).toBe(
      'The partners’ decision is complete: the Executive Board chair resolved a disagreement.',
    );
    const signOffs = await textsOf(page, '#sign-offs + p + .govuk-summary-list .govuk-summary-list__row');
    expect(signOffs[0]).toMatch(/^Local authority Agrees: Dee Local Authority Delegate \(demo\), /);
    expect(signOffs[1]).toMatch(/^Chief officer of police Does not agree: Dale Police Delegate \(demo\), /);
    expect(signOffs[2]).toMatch(/^Integrated care board Agrees: Harper Health Delegate \(demo\), /);
    expect(signOffs[3]).toMatch(
      new RegExp(
        `^Executive Board The chair’s decision stands: Eden Board \\(demo\\), .+\\. ${resolutionReasons.replace(/[()]/g, '\\$&')}$`,
      ),
    );
    await expectNoAxeViolations(page, 'the case page after the resolution');
    await screenshot(page, 'case-page-resolved-and-submitted');
  });

  it('walks the late path: the Late tag, the reason and the expected date, and the cases list', async () => {
    // Prepare: a second review waits for the decision, and nobody decides by its governing date.
    const page = browser.page;
    const late = await bringToDecisionWait(stack.client, sampleNotification());
    // The clock jumps to the next wait of any case on the stack: once, unless another case's came first.
    const holdingEmail = (email: InboxEmail) =>
      email.subject.startsWith(`${late.reference}: Rapid Review late`);
    for (let jumps = 0; ; jumps += 1) {
      await stack.client.advanceToNext();
      await stack.client.settle();
      if ((await stack.client.emails()).some(holdingEmail)) break;
      if (jumps >= 2) throw new Error('The governing date passed without the holding email to the Panel');
    }
    const yesterday = await londonDateFromNow(stack, -1);
    const expectedOn = await londonDateFromNow(stack, 7);
    await signInAs(page, stack.apiUrl, 'partnership-team');

    // Act
    await page.goto(`${stack.apiUrl}/cases/${late.caseId}`);

    // Assess: the red tag and the warning that the review was due and the Panel was told.
    const tags = page.locator('main h1 .govuk-tag', { hasText: 'Late' });
    expect(await tags.count()).toBe(1);
    expect(await tags.first().getAttribute('class')).toContain('govuk-tag--red');
    // Notified on 19 March, long after the incident: the Panel's date (25 March) governs.
    expect(await textOf(page, '#late + .govuk-warning-text .govuk-warning-text__text')).toBe(
      'Warning This review was due by Wednesday 25 March 2026. The Panel was told it is late at 5pm on Wednesday 25 March 2026.',
    );
    expect(await textOf(page, '#steering')).toContain('No reason recorded yet.');
    await expectNoAxeViolations(page, 'the case page of a late review');
    await screenshot(page, 'case-page-late');

    // Act: the question page, sent empty.
    await Promise.all([
      page.waitForURL(`**/cases/${late.caseId}/late-reason`),
      page.click('a:has-text("Record why the review is late")'),
    ]);
    expect(await textOf(page, 'main h1')).toBe('Record why the review is late');
    expect(await textOf(page, 'main')).toContain('This review was due by Wednesday 25 March 2026.');
    await expectNoAxeViolations(page, 'the late reason questions');
    await screenshot(page, 'late-reason-questions');
    await Promise.all([page.waitForURL('**/late-reason/check'), page.click('button:has-text("Continue")')]);

    // Assess
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Enter why the review is late',
      'Enter the date the partnership now expects to submit',
    ]);
    await expectNoAxeViolations(page, 'the late reason questions with their errors');
    await screenshot(page, 'late-reason-questions-with-errors');

    // Act: a reason, and a date already past.
    await page.fill('#reason', 'Invented reason (demo): the Rapid Review Group meeting had to be moved.');
    await fillDate(page, 'expectedOn', yesterday);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);

    // Assess
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'The date the partnership now expects to submit must be today or in the future',
    ]);
    expect(await page.inputValue('#reason')).toBe(
      'Invented reason (demo): the Rapid Review Group meeting had to be moved.',
    );
    await expectNoAxeViolations(page, 'the late reason questions with a past date');
    await screenshot(page, 'late-reason-questions-past-date');

    // Act: a good date; check; record.
    await fillDate(page, 'expectedOn', expectedOn);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check why the review is late before you record it');
    // A week after the clock's 25 March.
    const expectedInWords = 'Wednesday 1 April 2026';
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([
      'Invented reason (demo): the Rapid Review Group meeting had to be moved.',
      expectedInWords,
    ]);
    await expectNoAxeViolations(page, 'check why the review is late');
    await screenshot(page, 'late-reason-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${late.caseId}/late-reason/confirmation`),
      page.click('button:has-text("Record why the review is late")'),
    ]);
    expect(await textOf(page, '.govuk-panel__title')).toBe('Why the review is late recorded');
    expect(await textOf(page, 'main')).toContain(
      `The partnership now expects to submit it by ${expectedInWords}.`,
    );
    await expectNoAxeViolations(page, 'the late reason confirmation');
    await screenshot(page, 'late-reason-confirmation');
    await page.goto(`${stack.apiUrl}/cases/${late.caseId}`);

    // Assess: the case page gives the reason and the date in words, and offers to change them.
    const lateRows = await textsOf(
      page,
      '#late + .govuk-warning-text + .govuk-summary-list .govuk-summary-list__row',
    );
    expect(lateRows[0]).toBe(
      'Why it is late Invented reason (demo): the Rapid Review Group meeting had to be moved.',
    );
    expect(lateRows[1]).toBe(`The partnership now expects to submit by ${expectedInWords}`);
    expect(lateRows[2]).toMatch(/^Recorded .+ by Pat Partnership Officer \(demo\)$/);
    expect(await page.locator('a:has-text("Change why the review is late")').count()).toBe(1);
    await expectNoAxeViolations(page, 'the case page with why the review is late');
    await screenshot(page, 'case-page-late-with-reason');

    // Act: the cases list.
    await page.goto(`${stack.apiUrl}/cases`);

    // Assess
    const row = page.locator('tbody tr', { hasText: late.reference });
    expect(await row.count()).toBe(1);
    expect(await row.locator('.govuk-tag--red', { hasText: 'Late' }).count()).toBe(1);
    await expectNoAxeViolations(page, 'the cases list with a late review');
    await screenshot(page, 'cases-list-late');
  });

  it("closes a looked-after child's death as notification only, and offers it for no other case", async () => {
    // Prepare: a looked-after child died; the Secretary of State and Ofsted were told.
    const page = browser.page;
    const ordinary = sampleNotification();
    const notification = sampleNotification({
      incident: { ...ordinary.incident, kind: 'death' },
      children: ordinary.children.map((child) => ({
        ...child,
        lookedAfter: true,
        lookedAfterStatus: 'current' as const,
      })),
      deathNotifications: { secretaryOfStateNotifiedOn: '2026-03-03', ofstedNotifiedOn: '2026-03-04' },
    });
    const death = await stack.client.submitNotification(notification, randomUUID());
    const reason =
      'Invented reason (demo): the child died of a known illness; no abuse or neglect suspected.';
    await signInAs(page, stack.apiUrl, 'partnership-team');

    // Act: the ordinary case from the first walk.
    await page.goto(`${stack.apiUrl}/cases/${caseId}`);

    // Assess: no link to close it, and the page itself says why not.
    expect(await page.locator('a:has-text("Close as notification only")').count()).toBe(0);
    const refused = await page.goto(`${stack.apiUrl}/cases/${caseId}/notification-only`);
    expect(refused?.status()).toBe(422);
    expect(await textOf(page, 'main h1')).toBe('You cannot close this case as notification only');
    expect(await textOf(page, 'main')).toContain(`Case ${reference} is not such a death`);
    await expectNoAxeViolations(page, 'the refusal to close an ordinary case');
    await screenshot(page, 'notification-only-refused');

    // Act: the looked-after child's death.
    await page.goto(`${stack.apiUrl}/cases/${death.caseId}`);
    expect(await textOf(page, 'main')).toContain('Secretary of State notified Tuesday 3 March 2026');
    expect(await textOf(page, 'main')).toContain('Ofsted notified Wednesday 4 March 2026');
    await expectNoAxeViolations(page, 'the case page of a looked-after child’s death');
    await screenshot(page, 'case-page-looked-after-death');
    await Promise.all([
      page.waitForURL(`**/cases/${death.caseId}/notification-only`),
      page.click('a:has-text("Close as notification only, no Rapid Review")'),
    ]);

    // Assess: what closing does.
    expect(await textOf(page, 'main h1')).toBe('Close as notification only, no Rapid Review');
    expect(await textsOf(page, 'main ul.govuk-list--bullet li')).toEqual([
      'No Rapid Review will be held.',
      'Agencies still asked for a summary and the notifier are told it is no longer needed.',
    ]);
    expect(await textOf(page, 'main .govuk-warning-text')).toContain('This cannot be undone.');
    await expectNoAxeViolations(page, 'the notification only question');
    await screenshot(page, 'notification-only-question');

    // Act: send it empty.
    await Promise.all([
      page.waitForURL('**/notification-only/check'),
      page.click('button:has-text("Continue")'),
    ]);

    // Assess
    expect(await page.title()).toMatch(/^Error: /);
    expect(await textsOf(page, '.govuk-error-summary__list a')).toEqual([
      'Enter why abuse or neglect is not suspected',
    ]);
    await expectNoAxeViolations(page, 'the notification only question with its error');
    await screenshot(page, 'notification-only-question-with-error');

    // Act: a reason; check; close.
    await page.fill('#reason', reason);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Continue")')]);
    expect(await textOf(page, 'main h1')).toBe('Check before you close the case');
    expect(await textsOf(page, '.govuk-summary-list__value')).toEqual([reason]);
    await expectNoAxeViolations(page, 'check before closing');
    await screenshot(page, 'notification-only-check-answers');
    await Promise.all([
      page.waitForURL(`**/cases/${death.caseId}/notification-only/confirmation`),
      page.click('button:has-text("Close as notification only")'),
    ]);
    expect(await textOf(page, '.govuk-panel__title')).toBe('Case closed as notification only');
    expect(await textOf(page, '.govuk-panel__body')).toContain(death.reference);
    await expectNoAxeViolations(page, 'the notification only confirmation');
    await screenshot(page, 'notification-only-confirmation');
    await page.goto(`${stack.apiUrl}/cases/${death.caseId}`);

    // Assess: closed, with the reason and who closed it; no link to close it again.
    expect(await textOf(page, 'main h1 .govuk-tag')).toBe('Notification only');
    expect(await textOf(page, '#closure')).toBe('Closed as notification only');
    const closure = await textsOf(page, '#closure + p + .govuk-summary-list .govuk-summary-list__row');
    expect(closure[0]).toBe(`Why abuse or neglect is not suspected ${reason}`);
    expect(closure[1]).toBe('Closed by Pat Partnership Officer (demo)');
    expect(closure[2]).toMatch(/^Closed .+2026$/);
    expect(await page.locator('a:has-text("Close as notification only")').count()).toBe(0);
    await expectNoAxeViolations(page, 'the case page of a case closed as notification only');
    await screenshot(page, 'case-page-closed-as-notification-only');
  });
});
