import { beforeEach, describe, expect, it } from 'vitest';
import type { Page, WebService } from '../../../functions/web/page.ts';
import { insightWebPages } from '../../../functions/web/pages/insight-pages.ts';
import type { SessionUser } from '../../../functions/web/session.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import type { StaffRole } from '../../../shared/schemas/roles.ts';
import { InMemoryCaseStore } from '../../support/in-memory-case-store.ts';
import { InMemoryLearningStore } from '../../support/in-memory-learning-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { InMemoryScrutinyCommentaryStore } from '../../support/in-memory-scrutiny-commentary-store.ts';
import { SettableClock } from '../api/support/api-fixtures.ts';
import { homeService, openedCase } from './support/home-fixtures.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

const unescaped = (body: unknown) =>
  String(body).replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');

const decision = (local: boolean) =>
  ({
    commissionLocalReview: local,
    localReviewReason: 'Invented reason about the criteria (demo).',
    recommendNationalReview: false,
    nationalReviewReason: 'Invented reason: no national learning (demo).',
    decidedAt: '2026-03-18T15:00:00.000Z',
    decidedBy: 'user-rrg-chair-demo',
  }) as CaseRecord['decision'];

describe('the scrutineer’s report and the dashboard (issue 14 parts 3 and 4)', () => {
  let store: InMemoryCaseStore;
  let commentaries: InMemoryScrutinyCommentaryStore;
  let learning: InMemoryLearningStore;
  let clock: SettableClock;
  let app: ReturnType<typeof testWebApp>;
  let service: ReturnType<typeof homeService>;
  const as = (role: StaffRole): SessionUser => testUser(role);
  const visit = (target: string, user: SessionUser) => {
    const [path = '', query] = target.split('?');
    return app(webEvent({ path, ...(query ? { query } : {}), cookies: signedIn(user).cookies }));
  };
  const post = (path: string, user: SessionUser, form: Record<string, string>) => {
    const session = signedIn(user);
    return app(
      webEvent({
        method: 'POST',
        path,
        cookies: session.cookies,
        form,
        csrfToken: session.csrfToken,
      }),
    );
  };

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    commentaries = new InMemoryScrutinyCommentaryStore();
    learning = new InMemoryLearningStore();
    // Wednesday 2 December 2026: the last complete half-year is January to June 2026.
    clock = new SettableClock('2026-12-02T12:00:00Z');
    service = homeService(store, clock);
    const insightService = Object.assign(service, {
      commentaries,
      localReviews: new InMemoryLocalReviewStore(),
      learning,
    }) as unknown as WebService;
    app = testWebApp(insightWebPages as unknown as Page[], { service: insightService });
    // Received Wednesday 4 March 2026 (the fixture's timetable: local Day 15 is 24 March).
    await openedCase(service, store, {
      status: 'completed',
      changes: { decision: decision(false), submittedToPanelAt: '2026-03-24T15:00:00.000Z' },
    });
    await openedCase(service, store, {
      status: 'submitted-to-panel',
      changes: { decision: decision(true), submittedToPanelAt: '2026-03-26T15:00:00.000Z' },
    });
    await openedCase(service, store, { status: 'closed' });
    // Notified in the second half: not in the first half's report.
    await openedCase(service, store, {
      status: 'awaiting-summaries',
      receivedAt: '2026-11-25T10:00:00.000Z',
    });
  });

  it('shows the last complete half-year by default, its figures read from the month index', async () => {
    const result = await visit('/scrutiny', as('scrutineer'));

    expect(result.statusCode).toBe(200);
    const html = unescaped(result.body);
    expect(html).toContain('1 January to 30 June 2026');
    expect(html).toMatch(/Notifications received\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3/);
    expect(html).toMatch(
      /Rapid reviews done \(sent to the Panel\)\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*2/,
    );
    expect(html).toMatch(/Local review commissioned\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1/);
    // The local plan: one on 24 March (on time), one on Thursday 26 March, 2 working days late.
    const local = html.split('id="timeliness-local"')[1] ?? '';
    expect(local).toMatch(/Late\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1 of 2 \(50%\)/);
    expect(local).toContain('2 working days in all');
    expect(html).toContain('Invented reason about the criteria (demo).');
    expect(html).toContain('href="/scrutiny/report/pdf?period=2026-H1"');
    expect(html).not.toContain('Demo Child One');
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(store.monthQueries).toBe(6);
  });

  it('lists every review of the period under the report (the scrutineer’s list, issue 11), naming no one', async () => {
    const onTime = await openedCase(service, store, { status: 'completed' });
    const late = await openedCase(service, store, {
      status: 'awaiting-decision',
      changes: { late: { dueDate: '2026-03-17', panelToldAt: '2026-03-18T09:00:00.000Z' } },
    });
    const closed = await openedCase(service, store, { status: 'closed' });

    const result = await visit('/scrutiny?period=2026-H1', as('scrutineer'));

    expect(result.statusCode).toBe(200);
    const html = unescaped(result.body);
    const rowOf = (caseId: string) => html.split(caseId)[1]?.split('</tr>')[0] ?? '';
    expect(rowOf(onTime.caseId)).toMatch(/govuk-tag--green">\s*On time/);
    expect(rowOf(late.caseId)).toMatch(/govuk-tag--red">\s*Late/);
    expect(rowOf(closed.caseId)).toMatch(/Does not apply: notification only/);
    expect(rowOf(onTime.caseId)).toContain('Serious harm to a child');
    expect(rowOf(onTime.caseId)).toContain('Wednesday 4 March 2026');
    for (const identifying of ['Demo Child One', 'Notifier Person', 'notifier@example.org', 'Family home']) {
      expect(html).not.toContain(identifying);
    }
  });

  it('shows another half-year when asked, and refuses a period it cannot read, naming the field', async () => {
    const second = unescaped((await visit('/scrutiny?period=2026-H2', as('scrutineer'))).body);
    expect(second).toMatch(/Notifications received\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1/);

    const bad = await visit('/scrutiny?period=2026-H9', as('scrutineer'));
    expect(bad.statusCode).toBe(400);
    expect(unescaped(bad.body)).toContain('Choose a six-month period from the list');
    expect(unescaped(bad.body)).toContain('href="#period"');
  });

  it('saves the scrutineer’s commentary with an audit event, and shows it with the report', async () => {
    const saved = await post('/scrutiny/report/commentary', as('scrutineer'), {
      period: '2026-H1',
      version: '0',
      commentary: 'Invented commentary: timeliness improved (demo).',
    });

    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe('/scrutiny?period=2026-H1&saved=1#your-commentary');
    expect(commentaries.audit).toHaveLength(1);
    expect(commentaries.audit[0]).toMatchObject({ period: '2026-H1', action: 'scrutiny.commentary-saved' });
    const html = unescaped((await visit('/scrutiny?period=2026-H1&saved=1', as('scrutineer'))).body);
    expect(html).toContain('Your commentary is saved.');
    expect(html).toContain('Invented commentary: timeliness improved (demo).');
  });

  it('keeps an empty or stale commentary’s text, with a message naming the field', async () => {
    const empty = await post('/scrutiny/report/commentary', as('scrutineer'), {
      period: '2026-H1',
      version: '0',
      commentary: '   ',
    });
    expect(empty.statusCode).toBe(400);
    expect(unescaped(empty.body)).toContain('Enter the commentary');

    await post('/scrutiny/report/commentary', as('scrutineer'), {
      period: '2026-H1',
      version: '0',
      commentary: 'First (invented).',
    });
    const stale = await post('/scrutiny/report/commentary', as('scrutineer'), {
      period: '2026-H1',
      version: '0',
      commentary: 'Second, written on an older page (invented).',
    });
    expect(stale.statusCode).toBe(409);
    expect(unescaped(stale.body)).toContain('Second, written on an older page (invented).');
    expect(unescaped(stale.body)).toContain('saved by someone else');
  });

  it('produces the report as a PDF for the Executive Board', async () => {
    const result = await visit('/scrutiny/report/pdf?period=2026-H1', as('scrutineer'));

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/pdf');
    expect(result.headers?.['content-disposition']).toContain('scrutiny-report-2026-H1.pdf');
    expect(Buffer.from(String(result.body), 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('lets only the scrutineer at the report, and the team and the Executive Board at the dashboard', async () => {
    expect((await visit('/scrutiny', as('partnership-team'))).statusCode).toBe(403);
    expect((await visit('/scrutiny/report/pdf', as('executive-board'))).statusCode).toBe(403);
    expect((await visit('/dashboard', as('scrutineer'))).statusCode).toBe(403);
    expect((await visit('/dashboard', as('partnership-team'))).statusCode).toBe(200);
    expect((await visit('/dashboard', as('executive-board'))).statusCode).toBe(200);
  });

  it('shows the actions overdue and the themes most seen, from the learning store', async () => {
    const audit = {
      actor: { kind: 'system' as const, id: 'test' },
      at: '2026-04-01T10:00:00.000Z',
      action: 'test',
      reason: 'test',
    };
    const reviewId = '0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de';
    for (const [index, theme] of [
      ['1', 'neglect'],
      ['2', 'neglect'],
      ['3', 'safe-sleep'],
    ] as const) {
      await learning.saveReviewLearning(
        {
          reviewKind: 'rapid-review',
          reviewId: `0b6f2d4e-1c3a-4e5f-9a7b-00000000000${index}`,
          reference: `RR-2026-000${index}`,
          reviewedOn: '2026-03-04',
          themes: [theme],
          learningPoints: [],
          updatedBy: 'test',
        },
        undefined,
        audit,
      );
    }
    const action = (number: number, dueOn: string, status: 'in-progress' | 'done') => ({
      actionId: `0b6f2d4e-1c3a-4e5f-9a7b-0000000a000${number}`,
      reviewKind: 'rapid-review' as const,
      reviewId,
      reviewReference: 'RR-2026-0001',
      number,
      source: 'immediate-learning' as const,
      recommendation: 'Invented recommendation.',
      description: 'Invented action.',
      scope: 'single-agency' as const,
      owningAgencyId: 'police',
      owningAgencyName: 'Police (invented)',
      otherAgencyIds: [],
      otherAgencyNames: [],
      ownerRole: 'Detective Inspector (invented)',
      ownerEmail: 'owner@example.org',
      dueOn,
      status,
      progress: [],
      remindersSent: [],
      version: 1,
      createdAt: '2026-04-01T10:00:00.000Z',
      createdBy: 'test',
      updatedAt: '2026-04-01T10:00:00.000Z',
    });
    // Today is Wednesday 2 December 2026: due Friday 27 November is 3 working days overdue.
    await learning.createAction(action(1, '2026-11-27', 'in-progress'), audit);
    await learning.createAction(action(2, '2026-11-27', 'done'), audit);
    await learning.createAction(action(3, '2026-12-20', 'in-progress'), audit);

    const dashboard = unescaped((await visit('/dashboard', as('executive-board'))).body);
    expect(dashboard).toContain('1 action overdue, the longest overdue first');
    expect(dashboard).toContain('RR-2026-0001 A1');
    expect(dashboard).toContain('3 working days');
    expect(dashboard).not.toContain('RR-2026-0001 A2');
    const themes = dashboard.split('id="themes"')[1] ?? '';
    expect(themes.indexOf('Neglect')).toBeLessThan(themes.indexOf('Safe sleep'));
    expect(themes).toContain('aria-labelledby="chart-themes-title chart-themes-desc"');

    const report = unescaped((await visit('/scrutiny', as('scrutineer'))).body);
    expect(report).toMatch(
      /Actions overdue today, from every review\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*1/,
    );
    expect(report).toContain('Detective Inspector (invented)');
  });

  it('draws the dashboard’s charts as accessible SVG, each beside its data table', async () => {
    const html = unescaped((await visit('/dashboard', as('partnership-team'))).body);

    for (const id of ['chart-open', 'chart-trend', 'chart-agencies']) {
      expect(html).toContain(`role="img" width="100%"`);
      expect(html).toContain(`aria-labelledby="${id}-title ${id}-desc"`);
      expect(html).toContain(`<title id="${id}-title">`);
    }
    expect(html).toContain('Open reviews against their governing dates');
    expect(html).toContain('1 open review, the most pressing first');
    expect(html).toContain('March 2026');
    // The charts need no script.
    const charts = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // The open reviews, the trend, the agencies (the themes' and actions' only once there are any).
    expect(charts).toHaveLength(3);
    expect(charts.join('')).not.toMatch(/<script| on[a-z]+=/);
    expect(html).not.toContain('Demo Child One');
  });
});
