import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import type { CaseChanges } from '../../../shared/stores/case-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

const workflow = { kind: 'system', id: 'rapid-review-workflow' } as const;

/** A page's HTML with the apostrophes Nunjucks escapes put back. */
const unescaped = (body: unknown) => String(body).replaceAll('&#39;', "'");

/** The error summary's links: [href, message]. */
const summaryLinks = (body: unknown) =>
  [...unescaped(body).matchAll(/<a href="(#[A-Za-z-]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]]);

/**
 * Invented: the review was due by Friday 8 January 2027 and the Panel was told at 5pm that day
 * that it is late; today is Monday 11 January 2027.
 */
const lateSince = { dueDate: '2027-01-08', panelToldAt: '2027-01-08T17:00:00.000Z' };

/** The late reason page's answers: the team now expects to submit on Friday 15 January 2027. */
const lateAnswers = {
  reason: 'Invented: the police summary <came> late (demo).\r\nA second line.',
  'expectedOn-day': '15',
  'expectedOn-month': '1',
  'expectedOn-year': '2027',
};

describe('the late path and notification-only pages', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let app: ReturnType<typeof testWebApp>;
  const team = () => signedIn(testUser('partnership-team'));

  /** A case changed by `changes` (its status, `late`, a looked-after child's death…). */
  async function aCase(changes: CaseChanges): Promise<string> {
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-12-10T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    const created = await store.createCase(record, agencies, {
      actor: workflow,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    for (const agency of agencies) {
      await store.updateAgencyRequest(
        store.agencyRequestOf(caseId, agency.agencyId),
        { status: 'requested', requestedAt: '2026-12-10T10:01:00.000Z' },
        {
          actor: workflow,
          at: '2026-12-10T10:01:00.000Z',
          action: 'agency.summary-requested',
          reason: 'Day 1',
        },
      );
    }
    await store.updateCase(created, changes, {
      actor: workflow,
      at: '2027-01-08T17:00:00.000Z',
      action: 'status.changed',
      reason: 'Invented (test)',
    });
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    app = testWebApp(pages, {
      service: testService({
        store,
        clock: new SettableClock('2027-01-11T10:00:00Z'),
        s3: testS3Client(),
        mailer,
      }),
    });
  });

  const get = (path: string, browser = team()) => app(webEvent({ path, cookies: browser.cookies }));
  const post = (path: string, form: Record<string, string>, browser = team()) =>
    app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));

  describe('why the review is late, /cases/{caseId}/late-reason', () => {
    let caseId: string;
    beforeEach(async () => {
      caseId = await aCase({ status: 'awaiting-decision', late: lateSince });
    });

    it('asks why and the date the partnership now expects to submit, in a form protected against forgery', async () => {
      const browser = team();

      const result = await get(`/cases/${caseId}/late-reason`, browser);

      expect(result.statusCode).toBe(200);
      const html = unescaped(result.body);
      expect(html).toContain('Record why the review is late');
      expect(html).toContain('This review was due by Friday 8 January 2027.');
      expect(html).toContain(`action="/cases/${caseId}/late-reason/check"`);
      for (const name of ['reason', 'expectedOn-day', 'expectedOn-month', 'expectedOn-year']) {
        expect(html).toContain(`name="${name}"`);
      }
      expect(html).toContain(`value="${browser.csrfToken}"`);
      expect(html).toContain(`href="/cases/${caseId}"`);
    });

    it('names both missing answers in the error summary, each linking to its field', async () => {
      const result = await post(`/cases/${caseId}/late-reason/check`, { reason: '  ' });

      expect(result.statusCode).toBe(400);
      expect(summaryLinks(result.body)).toEqual([
        ['#reason', 'Enter why the review is late'],
        ['#expectedOn-day', 'Enter the date the partnership now expects to submit'],
      ]);
      expect(store.caseOf(caseId)?.late?.reason).toBeUndefined();
    });

    it.each([
      [
        'in the past',
        { 'expectedOn-day': '8' },
        '#expectedOn-day',
        'The date the partnership now expects to submit must be today or in the future',
      ],
      [
        'without a month',
        { 'expectedOn-month': '' },
        '#expectedOn-month',
        'The date the partnership now expects to submit must include a month',
      ],
      [
        'that is not a real date',
        { 'expectedOn-day': '32' },
        '#expectedOn-day',
        'The date the partnership now expects to submit must be a real date',
      ],
    ])('refuses a date %s with the usual date-input message', async (_, change, href, message) => {
      const result = await post(`/cases/${caseId}/late-reason/check`, { ...lateAnswers, ...change });

      expect(result.statusCode).toBe(400);
      expect(summaryLinks(result.body)).toEqual([[href, message]]);
      expect(String(result.body)).toContain('govuk-input--error');
    });

    it('shows the answers to check, the date in words, with Change links and a back link carrying them', async () => {
      const result = await post(`/cases/${caseId}/late-reason/check`, lateAnswers);

      expect(result.statusCode).toBe(200);
      const html = unescaped(result.body);
      expect(html).toContain('Invented: the police summary &lt;came&gt; late (demo).');
      expect(html).toContain('Friday 15 January 2027');
      expect(html).toContain(`action="/cases/${caseId}/late-reason/confirm"`);
      expect(html).toContain(`formaction="/cases/${caseId}/late-reason#reason"`);
      expect(html).toContain(`formaction="/cases/${caseId}/late-reason#expectedOn"`);
      expect(html).toMatch(/class="govuk-back-link app-link-button">Back</);
      expect(html).toContain('name="expectedOn-day" value="15"');
    });

    it('shows the questions again with the answers given when the team changes them', async () => {
      const result = await post(`/cases/${caseId}/late-reason`, lateAnswers);

      expect(result.statusCode).toBe(200);
      const html = unescaped(result.body);
      expect(html).toContain('Invented: the police summary &lt;came&gt; late (demo).');
      expect(html).toMatch(/name="expectedOn-day"[^>]*value="15"/);
    });

    it('records the reason on confirming, then shows the confirmation (post/redirect/get)', async () => {
      const result = await post(`/cases/${caseId}/late-reason/confirm`, lateAnswers);

      expect(result.statusCode).toBe(303);
      expect(result.headers?.location).toBe(`/cases/${caseId}/late-reason/confirmation`);
      expect(store.caseOf(caseId)?.late).toEqual({
        ...lateSince,
        reason: lateAnswers.reason,
        expectedOn: '2027-01-15',
        reasonRecordedAt: '2027-01-11T10:00:00.000Z',
        reasonRecordedBy: testUser('partnership-team').id,
        reasonRecordedByName: testUser('partnership-team').name,
      });
      expect(store.auditOf(caseId).map((event) => event.action)).toContain('review.late-reason');

      const confirmation = await get(`/cases/${caseId}/late-reason/confirmation`);
      expect(confirmation.statusCode).toBe(200);
      const html = unescaped(confirmation.body);
      expect(html).toContain('Why the review is late recorded');
      expect(html).toContain('10am on Monday 11 January 2027');
      expect(html).toContain('Friday 15 January 2027');
      expect(html).toContain('the submission will say the review is late and why');
    });

    it('starts from the recorded reason when the team changes it', async () => {
      await post(`/cases/${caseId}/late-reason/confirm`, lateAnswers);

      const result = await get(`/cases/${caseId}/late-reason`);

      expect(result.statusCode).toBe(200);
      const html = unescaped(result.body);
      expect(html).toContain('Change why the review is late');
      expect(html).toContain('Invented: the police summary &lt;came&gt; late (demo).');
      expect(html).toMatch(/name="expectedOn-day"[^>]*value="15"/);
      expect(html).toMatch(/name="expectedOn-month"[^>]*value="1"/);
    });

    it('refuses a case that is not late with a page saying so, and records nothing', async () => {
      const onTime = await aCase({ status: 'awaiting-decision' });

      const page = await get(`/cases/${onTime}/late-reason`);
      const confirm = await post(`/cases/${onTime}/late-reason/confirm`, lateAnswers);

      expect([page.statusCode, confirm.statusCode]).toEqual([409, 409]);
      expect(unescaped(page.body)).toContain('is not late: the date it is due has not passed');
      expect(store.caseOf(onTime)?.late).toBeUndefined();
    });

    it('refuses a review that has gone to the Panel', async () => {
      const submitted = await aCase({ status: 'submitted-to-panel', late: lateSince });

      const result = await get(`/cases/${submitted}/late-reason`);

      expect(result.statusCode).toBe(409);
      expect(unescaped(result.body)).toContain('has already gone to the Panel');
    });

    it('sends the confirmation back to the questions while no reason is recorded', async () => {
      const result = await get(`/cases/${caseId}/late-reason/confirmation`);

      expect(result.statusCode).toBe(303);
      expect(result.headers?.location).toBe(`/cases/${caseId}/late-reason`);
    });

    it('lets only the partnership team in, and answers 404 for an unknown or malformed case', async () => {
      const chair = await get(`/cases/${caseId}/late-reason`, signedIn(testUser('rrg-chair')));
      const unknown = await get(`/cases/${randomUUID()}/late-reason`);
      const malformed = await get('/cases/case-one/late-reason');

      expect([chair.statusCode, unknown.statusCode, malformed.statusCode]).toEqual([403, 404, 404]);
    });
  });

  describe('closing as notification only, /cases/{caseId}/notification-only', () => {
    let caseId: string;
    const reason = 'Invented: the care leaver died of a known illness; no concerns (demo).';
    beforeEach(async () => {
      caseId = await aCase({ status: 'awaiting-summaries', lookedAfterOrCareLeaverDeath: true });
    });

    it('explains in plain words what closing does, and asks why abuse or neglect is not suspected', async () => {
      const result = await get(`/cases/${caseId}/notification-only`);

      expect(result.statusCode).toBe(200);
      const html = unescaped(result.body);
      expect(html).toContain('No Rapid Review will be held.');
      expect(html).toContain(
        'Agencies still asked for a summary and the notifier are told it is no longer needed.',
      );
      expect(html).toContain('This cannot be undone.');
      expect(html).toContain('Why is abuse or neglect not suspected?');
      expect(html).toContain(`action="/cases/${caseId}/notification-only/check"`);
    });

    it('asks for the reason when none is given', async () => {
      const result = await post(`/cases/${caseId}/notification-only/check`, { reason: ' ' });

      expect(result.statusCode).toBe(400);
      expect(summaryLinks(result.body)).toEqual([['#reason', 'Enter why abuse or neglect is not suspected']]);
    });

    it('shows the reason to check with a Change link and a back link, and warns it cannot be undone', async () => {
      const result = await post(`/cases/${caseId}/notification-only/check`, { reason });

      expect(result.statusCode).toBe(200);
      const html = unescaped(result.body);
      expect(html).toContain(reason);
      expect(html).toContain(`formaction="/cases/${caseId}/notification-only#reason"`);
      expect(html).toMatch(/class="govuk-back-link app-link-button">Back</);
      expect(html).toContain(`action="/cases/${caseId}/notification-only/confirm"`);
      expect(html).toContain('This cannot be undone.');
      expect(store.caseOf(caseId)?.status).toBe('awaiting-summaries');
    });

    it('closes the case on confirming, tells the agencies and the notifier, then shows the confirmation', async () => {
      const result = await post(`/cases/${caseId}/notification-only/confirm`, { reason });

      expect(result.statusCode).toBe(303);
      expect(result.headers?.location).toBe(`/cases/${caseId}/notification-only/confirmation`);
      const record = store.caseOf(caseId) as CaseRecord;
      expect(record.status).toBe('closed');
      expect(record.closure).toEqual({
        kind: 'notification-only',
        reason,
        closedAt: '2027-01-11T10:00:00.000Z',
        closedBy: testUser('partnership-team').id,
        closedByName: testUser('partnership-team').name,
      });
      expect(mailer.to(record.notifierEmail)).toHaveLength(1);
      expect(mailer.sent).toHaveLength(record.agencyIds.length + 1);

      const confirmation = await get(`/cases/${caseId}/notification-only/confirmation`);
      expect(confirmation.statusCode).toBe(200);
      const html = unescaped(confirmation.body);
      expect(html).toContain('Case closed as notification only');
      expect(html).toContain('10am on Monday 11 January 2027');
    });

    it('refuses to close it again', async () => {
      await post(`/cases/${caseId}/notification-only/confirm`, { reason });

      const again = await get(`/cases/${caseId}/notification-only`);

      expect(again.statusCode).toBe(409);
      expect(unescaped(again.body)).toContain('is already closed as notification only');
    });

    it('refuses a case that is not a looked-after child’s or care leaver’s death, and closes nothing', async () => {
      const other = await aCase({ status: 'awaiting-summaries' });

      const page = await get(`/cases/${other}/notification-only`);
      const confirm = await post(`/cases/${other}/notification-only/confirm`, { reason });

      expect([page.statusCode, confirm.statusCode]).toEqual([422, 422]);
      expect(unescaped(page.body)).toContain(
        'Only the death of a looked-after child or a care leaver can be closed as notification only',
      );
      expect(store.caseOf(other)?.status).toBe('awaiting-summaries');
      expect(mailer.sent).toEqual([]);
    });

    it('refuses once the Rapid Review Group has decided', async () => {
      const decided = await aCase({
        status: 'decided',
        lookedAfterOrCareLeaverDeath: true,
        decision: {
          commissionLocalReview: false,
          localReviewReason: 'Invented (demo).',
          recommendNationalReview: false,
          nationalReviewReason: 'Invented (demo).',
          decidedAt: '2027-01-08T15:00:00.000Z',
          decidedBy: testUser('rrg-chair').id,
        },
      });

      const result = await get(`/cases/${decided}/notification-only`);

      expect(result.statusCode).toBe(409);
      expect(unescaped(result.body)).toContain('has already decided case');
    });

    it('sends the confirmation back to the question while the case is open', async () => {
      const result = await get(`/cases/${caseId}/notification-only/confirmation`);

      expect(result.statusCode).toBe(303);
      expect(result.headers?.location).toBe(`/cases/${caseId}/notification-only`);
    });

    it('lets only the partnership team in', async () => {
      const results = await Promise.all(
        (['rrg-chair', 'notifier', 'safeguarding-partner'] as const).map((role) =>
          post(`/cases/${caseId}/notification-only/confirm`, { reason }, signedIn(testUser(role))),
        ),
      );

      expect(results.map((result) => result.statusCode)).toEqual([403, 403, 403]);
      expect(store.caseOf(caseId)?.status).toBe('awaiting-summaries');
    });
  });
});
