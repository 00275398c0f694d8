import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { type LearningWebService, learningPages } from '../../../functions/web/pages/learning-pages.ts';
import { createWebApp } from '../../../functions/web/router.ts';
import { templateEnvironment } from '../../../functions/web/views.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { InMemoryLearningStore } from '../../support/in-memory-learning-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import { anonymousBrowser, signedIn, testSessionSecret, testUser, webEvent } from './support/web-fixtures.ts';

const html = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&#x27;', "'");

describe('the learning pages (issue 14 parts 1 and 2)', () => {
  let store: InMemoryCaseStore;
  let learning: InMemoryLearningStore;
  let localReviews: InMemoryLocalReviewStore;
  let mailer: RecordingMailer;
  let clock: SettableClock;
  let service: LearningWebService;
  let app: ReturnType<typeof createWebApp>;
  const team = () => signedIn(testUser('partnership-team'));

  async function aCase(receivedAt: string): Promise<string> {
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date(receivedAt),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(record, agencies, {
      actor: { kind: 'system', id: 'test' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    learning = new InMemoryLearningStore();
    localReviews = new InMemoryLocalReviewStore();
    mailer = new RecordingMailer();
    clock = new SettableClock('2026-03-25T10:00:00Z');
    service = testService({ store, clock, s3: testS3Client(), mailer, learning, localReviews });
    app = createWebApp({
      pages: learningPages,
      service: () => service,
      sessions: { secret: () => testSessionSecret, revocations: () => service.sessions },
      templates: templateEnvironment,
    });
  });

  const get = (path: string, browser: { cookies: string[] } = team(), query?: string) =>
    app(webEvent({ path, cookies: browser.cookies, ...(query ? { query } : {}) }));
  const post = (path: string, form: Record<string, string | string[]>, browser = team()) =>
    app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));

  const actionForm = (overrides: Record<string, string | string[]> = {}) => ({
    recommendation: 'Health visitors ask where the baby sleeps at every visit (invented).',
    description: 'Add the safe sleep question to the visit record (invented).',
    theme: 'safe-sleep',
    scope: 'single-agency',
    owningAgencyId: 'health',
    ownerRole: 'Named nurse for safeguarding',
    ownerEmail: 'named.nurse@example.org',
    'dueOn-day': '30',
    'dueOn-month': '6',
    'dueOn-year': '2026',
    ...overrides,
  });

  async function anAction(caseId: string, overrides: Record<string, string | string[]> = {}) {
    const answer = await post(`/cases/${caseId}/learning/actions/new`, actionForm(overrides));
    expect(answer.statusCode).toBe(303);
    const actionId = String(answer.headers?.location).split('/').pop()!;
    const email = mailer.sent.at(-1)!;
    const token = /\/action\/([A-Za-z0-9_-]{43})/.exec(email.message.text)![1]!;
    return { actionId, token, email };
  }

  it('tags a Rapid Review with themes, names a missing choice, and shows the earlier reviews that share them with their learning and actions', async () => {
    // Prepare: an earlier review with a learning point and an action, on safe sleep.
    const earlier = await aCase('2025-11-03T10:00:00Z');
    await post(`/cases/${earlier}/learning/themes`, { themes: ['safe-sleep', 'neglect'] });
    await post(`/cases/${earlier}/learning/points`, {
      text: 'Parents were not asked where the baby slept (invented).',
      theme: 'safe-sleep',
    });
    await anAction(earlier);
    const current = await aCase('2026-03-02T10:00:00Z');

    // Act
    const missing = await post(`/cases/${current}/learning/themes`, {});
    const saved = await post(`/cases/${current}/learning/themes`, { themes: ['safe-sleep'] });
    const page = await get(`/cases/${current}/learning`);

    // Assess
    expect(missing.statusCode).toBe(400);
    expect(html(missing.body)).toContain('Choose at least one learning theme from the list');
    expect(html(missing.body)).toContain('href="#themes"');
    expect(saved.headers?.location).toBe(`/cases/${current}/learning#themes`);
    const body = html(page.body);
    expect(page.statusCode).toBe(200);
    expect(body).toContain('Earlier reviews that share its themes');
    expect(body).toContain('Shared themes: Safe sleep.');
    expect(body).toContain(
      'P1 (Safe sleep): <span class="app-preserve-lines">Parents were not asked where the baby slept (invented).',
    );
    expect(body).toMatch(
      /A1: Add the safe sleep question to the visit record \(invented\)\. \(Not started, due 30 June 2026\)/,
    );
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('records a learning point that repeats earlier learning, and says so', async () => {
    // Prepare
    const earlier = await aCase('2025-11-03T10:00:00Z');
    await post(`/cases/${earlier}/learning/themes`, { themes: ['safe-sleep'] });
    await post(`/cases/${earlier}/learning/points`, {
      text: 'Sleep was not asked about (invented).',
      theme: 'safe-sleep',
    });
    const current = await aCase('2026-03-02T10:00:00Z');
    await post(`/cases/${current}/learning/themes`, { themes: ['safe-sleep'] });

    // Act
    const noTheme = await post(`/cases/${current}/learning/points`, { text: 'Again (invented).' });
    const added = await post(`/cases/${current}/learning/points`, {
      text: 'Again, sleep was not asked about (invented).',
      theme: 'safe-sleep',
      repeats: [`rapid-review:${earlier}:P1`],
    });

    // Assess
    expect(noTheme.statusCode).toBe(400);
    expect(html(noTheme.body)).toContain('Choose the learning point’s theme');
    expect(html(noTheme.body)).toContain('Again (invented).');
    expect(added.statusCode).toBe(303);
    const stored = await learning.getReviewLearning('rapid-review', current);
    expect(stored?.learningPoints[0]?.repeats.map((r) => r.pointId)).toEqual(['P1']);
    const body = html((await get(`/cases/${current}/learning`)).body);
    expect(body).toMatch(/Repeats learning from RR-[0-9A-Z-]+ \(P1\)/);
    expect(learning.audit.get(current)?.map((event) => event.action)).toEqual([
      'learning-themes-tagged',
      'learning-point-added',
    ]);
  });

  it('creates an action, naming each bad field, and emails the owner a link that works without signing in', async () => {
    // Prepare
    const caseId = await aCase('2026-03-02T10:00:00Z');

    // Act
    const bad = await post(`/cases/${caseId}/learning/actions/new`, {
      ...actionForm(),
      scope: 'multi-agency',
      ownerEmail: 'not an address',
      'dueOn-day': '31',
      'dueOn-month': '2',
    });
    const { token, email, actionId } = await anAction(caseId);
    const ownerPage = await get(`/action/${token}`, { cookies: [] });

    // Assess
    expect(bad.statusCode).toBe(400);
    const badBody = html(bad.body);
    expect(badBody).toContain('Choose at least one other agency for a multi-agency action');
    expect(badBody).toContain('Enter an email address in the correct format');
    expect(badBody).toContain('Enter the due date as a real date');
    expect(badBody).toContain('href="#dueOn-day"');
    expect(badBody).toContain('Health visitors ask where the baby sleeps');
    expect(email.message.to).toEqual(['named.nurse@example.org']);
    expect(email.message.subject).toMatch(/^Action A1 from review RR-[0-9A-Z-]+: you are its owner$/);
    expect(email.message.text).toContain('Due: Tuesday 30 June 2026.');
    expect(ownerPage.statusCode).toBe(200);
    expect(html(ownerPage.body)).toContain('Record progress');
    // The owner's home is their action's page; they are offered no sign-in.
    expect(html(ownerPage.body)).not.toContain('/sign-in');
    expect(html(ownerPage.body)).toContain(`href="/action/${token}"`);
    expect((await get(`/action/${'x'.repeat(43)}`, { cookies: [] })).statusCode).toBe(404);
    expect((await get(`/cases/${caseId}/learning/actions/${actionId}`)).statusCode).toBe(200);
  });

  it('lets the owner record progress and evidence through their link, and the team verify only after both', async () => {
    // Prepare
    const caseId = await aCase('2026-03-02T10:00:00Z');
    const { token, actionId } = await anAction(caseId);
    const owner = anonymousBrowser();

    // Act
    const tooEarly = await post(`/cases/${caseId}/learning/actions/${actionId}/verify`, {});
    const noNote = await post(`/action/${token}/progress`, { status: 'done' }, owner);
    const progress = await post(
      `/action/${token}/progress`,
      { status: 'done', note: 'The template is changed (invented).' },
      owner,
    );
    const noEvidence = await post(`/cases/${caseId}/learning/actions/${actionId}/verify`, {});
    const evidence = await post(
      `/action/${token}/evidence`,
      { evidenceNote: 'An audit of 20 visits found the question asked in 19 (invented).' },
      owner,
    );
    const verified = await post(`/cases/${caseId}/learning/actions/${actionId}/verify`, {});
    const afterwards = await post(
      `/action/${token}/progress`,
      { status: 'in-progress', note: 'More (invented).' },
      owner,
    );

    // Assess
    expect(tooEarly.statusCode).toBe(400);
    expect(html(tooEarly.body)).toContain('only once its owner has recorded evidence of its impact');
    expect(noNote.statusCode).toBe(400);
    expect(html(noNote.body)).toContain('Enter a value');
    expect(progress.headers?.location).toBe(`/action/${token}?saved=progress`);
    expect(noEvidence.statusCode).toBe(400);
    expect(evidence.headers?.location).toBe(`/action/${token}?saved=evidence`);
    expect(verified.statusCode).toBe(303);
    expect(afterwards.statusCode).toBe(200);
    const action = await learning.getAction('rapid-review', caseId, actionId);
    expect(action?.status).toBe('verified');
    expect(action?.progress.map((update) => update.status)).toEqual(['done']);
    expect(learning.audit.get(caseId)?.map((event) => [event.action, event.actor.kind])).toEqual([
      ['action-created', 'staff'],
      ['action-link-issued', 'staff'],
      ['action-progress-updated', 'agency'],
      ['action-evidence-added', 'agency'],
      ['action-verified', 'staff'],
    ]);
    const page = html((await get(`/cases/${caseId}/learning/actions/${actionId}`)).body);
    expect(page).toContain('Verified 10am on Wednesday 25 March 2026');
    expect(page).toContain('An audit of 20 visits found the question asked in 19 (invented).');
  });

  it('refuses an expired link with its own page', async () => {
    // Prepare
    const caseId = await aCase('2026-03-02T10:00:00Z');
    const { token } = await anAction(caseId);

    // Act
    clock.set('2027-01-01T10:00:00Z');
    const expired = await get(`/action/${token}`, { cookies: [] });

    // Assess
    expect(expired.statusCode).toBe(410);
    expect(html(expired.body)).toContain('This link has expired');
  });

  it('lists open actions at /actions filtered by agency, theme, status, due date and overdue, and exports them', async () => {
    // Prepare
    const first = await aCase('2026-03-02T10:00:00Z');
    const second = await aCase('2026-03-03T10:00:00Z');
    await anAction(first);
    await anAction(first, {
      owningAgencyId: 'police',
      theme: 'neglect',
      ownerRole: 'Detective inspector',
      'dueOn-day': '10',
      'dueOn-month': '4',
    });
    const { token } = await anAction(second, {
      scope: 'multi-agency',
      otherAgencyIds: ['education'],
      'dueOn-day': '1',
      'dueOn-month': '4',
    });
    await post(
      `/action/${token}/progress`,
      { status: 'in-progress', note: 'Started (invented).' },
      anonymousBrowser(),
    );
    clock.set('2026-04-05T10:00:00Z');

    // Act
    const all = html((await get('/actions')).body);
    const byAgency = html((await get('/actions', team(), 'agency=education')).body);
    const byTheme = html((await get('/actions', team(), 'theme=neglect')).body);
    const byStatus = html((await get('/actions', team(), 'status=in-progress')).body);
    const byDue = html((await get('/actions', team(), 'dueBy-day=15&dueBy-month=4&dueBy-year=2026')).body);
    const overdue = html((await get('/actions', team(), 'overdue=yes')).body);
    const badDate = await get('/actions', team(), 'dueBy-day=40&dueBy-month=4&dueBy-year=2026');
    const csv = await get('/actions/report.csv', team(), 'theme=neglect');
    const pdf = await get('/actions/report.pdf');

    // Assess
    const count = (body: string) => /(\d+) actions?<\/caption>/.exec(body)?.[1];
    expect(count(all)).toBe('3');
    expect(count(byAgency)).toBe('1');
    expect(count(byTheme)).toBe('1');
    expect(byTheme).toContain('Detective inspector');
    expect(count(byStatus)).toBe('1');
    expect(count(byDue)).toBe('2');
    expect(count(overdue)).toBe('1');
    expect(overdue).toContain('In progress (overdue)');
    expect(badDate.statusCode).toBe(400);
    expect(html(badDate.body)).toContain('Enter the due date as a real date');
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    const lines = String(csv.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"Review","Action","Recommendation"');
    expect(lines[1]).toContain('"Detective inspector, Police"');
    expect(lines[1]).toContain('"10 April 2026"');
    expect(pdf.headers?.['content-type']).toBe('application/pdf');
    expect(Buffer.from(String(pdf.body), 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('keeps the team’s pages to the partnership team', async () => {
    const caseId = await aCase('2026-03-02T10:00:00Z');

    expect((await get('/actions', signedIn(testUser('rrg-member')))).statusCode).toBe(403);
    expect((await get(`/cases/${caseId}/learning`, { cookies: [] })).statusCode).toBe(303);
    expect((await get(`/cases/${randomUUID()}/learning`)).statusCode).toBe(404);
  });

  it('tags a local review and turns its report’s recommendation into an action, audited on the review', async () => {
    // Prepare
    const reviewId = randomUUID();
    const caseId = randomUUID();
    const system = {
      actor: { kind: 'system' as const, id: 'test' },
      at: '2026-03-20T10:00:00Z',
      reason: 'Invented (test)',
    };
    await localReviews.commissionLocalReview(
      {
        reviewId,
        reference: 'LCSPR-2026-0001',
        status: 'commissioned',
        version: 1,
        route: 'rapid-review-decision',
        declarations: [],
        informationRequests: [],
        chronology: [],
        fromCase: {
          caseId,
          reference: 'RR-2026-0001',
          panelReference: 'PANEL-1',
          notificationDocumentKey: 'k',
        },
        decidedOn: '2026-03-20',
        completionDueOn: '2026-09-20',
        agencies: [
          { agencyId: 'health', agencyName: 'Health' },
          { agencyId: 'police', agencyName: 'Police' },
        ],
        documents: [],
        commissionedAt: '2026-03-20T10:00:00Z',
        commissionedBy: 'user',
        parallelProcesses: [],
        remindersSent: [],
        createdAt: '2026-03-20T10:00:00Z',
        updatedAt: '2026-03-20T10:00:00Z',
      },
      { ...system, action: 'local-review.commissioned' },
      { ...system, action: 'local-review.commissioned' },
    );

    // Act
    const tagged = await post(`/local-reviews/${reviewId}/learning/themes`, {
      themes: ['professional-curiosity'],
    });
    const added = await post(`/local-reviews/${reviewId}/learning/actions/new`, {
      ...actionForm({ theme: 'professional-curiosity', scope: 'multi-agency', otherAgencyIds: ['police'] }),
    });
    const page = html((await get(`/local-reviews/${reviewId}/learning`)).body);

    // Assess
    expect(tagged.headers?.location).toBe(`/local-reviews/${reviewId}/learning#themes`);
    expect(added.statusCode).toBe(303);
    expect(page).toContain('Local review LCSPR-2026-0001');
    expect(page).toContain('Add the safe sleep question to the visit record');
    const [action] = await learning.listReviewActions('local-review', reviewId);
    expect(action).toMatchObject({
      source: 'local-review-report',
      otherAgencyNames: ['Police'],
      reviewReference: 'LCSPR-2026-0001',
    });
    expect(learning.audit.get(reviewId)?.map((event) => event.action)).toEqual([
      'learning-themes-tagged',
      'action-created',
      'action-link-issued',
    ]);
  });
});
