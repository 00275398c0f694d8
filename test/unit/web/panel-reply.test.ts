import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import {
  InMemoryCaseStore,
  SettableClock,
  testProfile,
  testS3Client,
  testService,
} from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

const workflow = { kind: 'system', id: 'rapid-review-workflow' } as const;
const board = { name: 'Board Chair (test)', email: 'executive-board@example.org' };

/** The question page's answers: a reply on Friday 27 March 2026 asking for a local review. */
const answers = {
  'repliedOn-day': '27',
  'repliedOn-month': '3',
  'repliedOn-year': '2026',
  agreesWithDecision: 'no',
  nationalReview: 'no',
  asksForLocalReview: 'yes',
  comments: 'Invented comments <from> the Panel (demo).\r\nA second line.',
  letterReference: 'CSPRP letter 2026/123 (demo)',
};

describe("the Panel's reply pages", () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let app: ReturnType<typeof testWebApp>;
  let caseId: string;
  const team = () => signedIn(testUser('partnership-team'));

  /** A case at `status`; one past the decision went to the Panel on Monday 23 March 2026. */
  async function aCaseWithStatus(status: CaseStatus) {
    const id = randomUUID();
    const { record, agencies } = openCase({
      caseId: id,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${id}/notification.json`,
    });
    const created = await store.createCase(record, agencies, {
      actor: workflow,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    await store.updateCase(
      created,
      { status },
      {
        actor: workflow,
        at: '2026-03-23T15:00:00.000Z',
        action: 'panel.submitted',
        reason: 'Sent to the Panel',
        eventId: `${id}:SubmitToPanel`,
      },
    );
    return id;
  }

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    const service = testService({
      store,
      clock: new SettableClock('2026-03-30T10:00:00Z'),
      s3: testS3Client(),
      mailer,
    });
    app = testWebApp(pages, {
      service: Object.assign(service, { profile: { ...testProfile, executiveBoard: board } }),
    });
    caseId = await aCaseWithStatus('submitted-to-panel');
  });

  const post = (path: string, form: Record<string, string>, browser = team()) =>
    app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));

  it('asks the date, the three answers, the comments and the letter, in a form protected against forgery', async () => {
    const browser = team();

    const result = await app(webEvent({ path: `/cases/${caseId}/panel-reply`, cookies: browser.cookies }));

    expect(result.statusCode).toBe(200);
    const html = String(result.body);
    expect(html).toContain(`action="/cases/${caseId}/panel-reply/check"`);
    for (const name of [
      'repliedOn-day',
      'repliedOn-month',
      'repliedOn-year',
      'agreesWithDecision',
      'nationalReview',
      'asksForLocalReview',
      'comments',
      'letterReference',
    ]) {
      expect(html).toContain(`name="${name}"`);
    }
    expect(html).toContain('which went to it on Monday 23 March 2026');
    expect(html).toContain(`value="${browser.csrfToken}"`);
  });

  it('names every missing answer in the error summary, each linking to its field', async () => {
    const result = await post(`/cases/${caseId}/panel-reply/check`, { comments: '  ' });

    expect(result.statusCode).toBe(400);
    const html = String(result.body);
    const links = [...html.matchAll(/<a href="(#[A-Za-z-]+)">([^<]+)<\/a>/g)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(links).toEqual([
      ['#repliedOn-day', 'Enter the date of the Panel’s reply'],
      ['#agrees-with-decision', 'Select yes if the Panel agrees with the decision'],
      ['#national-review', 'Select yes if the Panel will carry out a national review'],
      ['#asks-for-local-review', 'Select yes if the Panel asks the partnership for a local review'],
      ['#comments', 'Enter the Panel’s comments'],
    ]);
    expect(store.caseOf(caseId)?.panelReply).toBeUndefined();
  });

  it.each([
    [
      'in the future',
      { 'repliedOn-day': '31' },
      'The date of the Panel’s reply must be today or in the past',
    ],
    [
      'before the submission',
      { 'repliedOn-day': '20' },
      'The date of the Panel’s reply must be on or after Monday 23 March 2026, when the review went to the Panel',
    ],
    ['not a real date', { 'repliedOn-day': '32' }, 'The date of the Panel’s reply must be a real date'],
  ])('refuses a date %s, saying why', async (_, change, message) => {
    const result = await post(`/cases/${caseId}/panel-reply/check`, { ...answers, ...change });

    expect(result.statusCode).toBe(400);
    expect(String(result.body)).toContain(`<a href="#repliedOn-day">${message}</a>`);
  });

  it('shows the answers to check, with the date in words, carrying them in hidden fields', async () => {
    const result = await post(`/cases/${caseId}/panel-reply/check`, answers);

    expect(result.statusCode).toBe(200);
    const html = String(result.body);
    expect(html).toContain('Friday 27 March 2026');
    expect(html).toContain('Invented comments &lt;from&gt; the Panel (demo).');
    expect(html).toContain('CSPRP letter 2026/123 (demo)');
    expect(html).toContain('The case is marked as a local review to commission.');
    expect(html).toContain(`action="/cases/${caseId}/panel-reply/confirm"`);
    expect(html).toContain('name="asksForLocalReview" value="yes"');
  });

  it('records the reply on confirming, then redirects to the confirmation (post/redirect/get)', async () => {
    const result = await post(`/cases/${caseId}/panel-reply/confirm`, answers);

    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`/cases/${caseId}/panel-reply/confirmation`);
    expect(store.caseOf(caseId)).toMatchObject({
      panelReply: {
        repliedOn: '2026-03-27',
        agreesWithDecision: false,
        nationalReview: false,
        asksForLocalReview: true,
        comments: 'Invented comments <from> the Panel (demo).\r\nA second line.',
        letterReference: 'CSPRP letter 2026/123 (demo)',
        recordedBy: testUser('partnership-team').id,
      },
      localReviewToCommission: true,
    });
    expect(mailer.to(board.email)).toHaveLength(1);

    const confirmation = await app(
      webEvent({ path: `/cases/${caseId}/panel-reply/confirmation`, cookies: team().cookies }),
    );
    expect(confirmation.statusCode).toBe(200);
    const html = String(confirmation.body);
    expect(html).toContain('Panel reply recorded');
    expect(html).toContain('11am on Monday 30 March 2026');
    expect(html).toContain('The partnership’s Executive Board has been emailed');
    expect(html).toContain('marked as a local review to commission');
  });

  it('refuses a second reply with a page that says so, and keeps the first', async () => {
    await post(`/cases/${caseId}/panel-reply/confirm`, answers);

    const again = await app(webEvent({ path: `/cases/${caseId}/panel-reply`, cookies: team().cookies }));
    const confirmAgain = await post(`/cases/${caseId}/panel-reply/confirm`, {
      ...answers,
      agreesWithDecision: 'yes',
    });

    expect([again.statusCode, confirmAgain.statusCode]).toEqual([409, 409]);
    expect(String(again.body)).toContain('Panel reply already recorded');
    expect(store.caseOf(caseId)?.panelReply?.agreesWithDecision).toBe(false);
  });

  it('says the review has not gone to the Panel yet, before it has', async () => {
    const early = await aCaseWithStatus('awaiting-decision');

    const result = await app(webEvent({ path: `/cases/${early}/panel-reply`, cookies: team().cookies }));

    expect(result.statusCode).toBe(409);
    expect(String(result.body)).toContain('has not gone to the Panel yet');
  });

  it('sends the confirmation back to the questions while no reply is recorded', async () => {
    const result = await app(
      webEvent({ path: `/cases/${caseId}/panel-reply/confirmation`, cookies: team().cookies }),
    );

    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`/cases/${caseId}/panel-reply`);
  });

  it('answers 404 for an unknown or malformed case', async () => {
    const unknown = await app(
      webEvent({ path: `/cases/${randomUUID()}/panel-reply`, cookies: team().cookies }),
    );
    const malformed = await app(webEvent({ path: '/cases/case-one/panel-reply', cookies: team().cookies }));

    expect([unknown.statusCode, malformed.statusCode]).toEqual([404, 404]);
  });
});
