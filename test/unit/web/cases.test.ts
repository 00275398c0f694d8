import { randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, NotFound } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextDeadline, overdueTags } from '../../../functions/web/pages/case-list.ts';
import {
  type CaseProgress,
  dayCounter,
  maySeeTheChild,
  notificationInWords,
  timelineOf,
} from '../../../functions/web/pages/cases.ts';
import { pages } from '../../../functions/web/pages/index.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import { staffActor } from '../../../shared/schemas/roles.ts';
import type { CaseChanges } from '../../../shared/stores/case-store.ts';
import type { CaseView } from '../../../shared/use-cases/show-case.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { pdfText } from '../workflow/pdf-text.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

const workflow = { kind: 'system', id: 'rapid-review-workflow' } as const;

/** A page's HTML with the apostrophes Nunjucks escapes put back. */
const unescaped = (body: unknown) => String(body).replaceAll('&#39;', "'");

/**
 * Invented: the local authority became aware on Friday 20 February 2026 and told the Panel on
 * Monday 2 March; the Panel's date, Monday 23 March, comes one working day before Day 15.
 */
const panelFirst = {
  occurredOn: '2026-02-19',
  localAuthorityAwareOn: '2026-02-20',
  panelNotifiedOn: '2026-03-02',
};

/**
 * Cases received on Wednesday 4 March 2026: Day 10 is Tuesday 17 March, Day 15 Tuesday 24 March.
 * The Panel, notified the same day, expects the review by Wednesday 25 March.
 */
describe('the cases pages', () => {
  let store: InMemoryCaseStore;
  let clock: SettableClock;
  let s3: ReturnType<typeof mockClient>;
  let app: ReturnType<typeof testWebApp>;

  async function aCase(options: {
    status: CaseStatus;
    authority?: string;
    received?: string[];
    incident?: Partial<ReturnType<typeof sampleNotification>['incident']>;
    notification?: Partial<ReturnType<typeof sampleNotification>>;
    /** False: the notification document cannot be read. */
    notificationReadable?: boolean;
    /** More of the case as the workflow or the team changed it (`late`, `closure`…). */
    changes?: CaseChanges;
  }) {
    const caseId = randomUUID();
    const notification = sampleNotification(options.notification);
    if (options.authority) notification.notifyingLocalAuthority = options.authority;
    if (options.incident) notification.incident = { ...notification.incident, ...options.incident };
    // The notification document, as the intake stored it.
    const stored = s3.on(GetObjectCommand, { Key: `cases/${caseId}/notification.json` });
    if (options.notificationReadable === false) stored.rejects(new Error('Access denied (test)'));
    else {
      const bytes = new TextEncoder().encode(JSON.stringify(notification));
      stored.resolves({ Body: { transformToByteArray: async () => bytes } } as never);
    }
    const { record, agencies } = openCase({
      caseId,
      notification,
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    const created = await store.createCase(record, agencies, {
      actor: { kind: 'staff', id: 'user-notifier-demo', role: 'notifier' },
      at: '2026-03-04T10:00:00.000Z',
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    for (const agency of agencies) {
      await store.updateAgencyRequest(
        store.agencyRequestOf(caseId, agency.agencyId),
        { status: 'requested', requestedAt: '2026-03-04T10:01:00.000Z' },
        {
          actor: workflow,
          at: '2026-03-04T10:01:00.000Z',
          action: 'agency.summary-requested',
          reason: 'Day 1',
        },
      );
    }
    for (const agencyId of options.received ?? []) {
      await store.updateAgencyRequest(
        store.agencyRequestOf(caseId, agencyId),
        { status: 'received', receivedAt: '2026-03-10T09:00:00.000Z' },
        {
          actor: { kind: 'agency', agencyId },
          at: '2026-03-10T09:00:00.000Z',
          action: 'summary.received',
          reason: 'Summary uploaded',
        },
      );
    }
    if (options.status !== 'notified') {
      await store.updateCase(
        created,
        { status: options.status, ...options.changes },
        {
          actor: workflow,
          at: '2026-03-04T10:02:00.000Z',
          action: 'status.changed',
          reason: `Now ${options.status}`,
        },
      );
    }
    return { caseId, reference: record.reference, agencyIds: agencies.map((agency) => agency.agencyId) };
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    clock = new SettableClock('2026-03-11T12:00:00Z');
    const client = testS3Client();
    s3 = mockClient(client);
    s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not found', $metadata: {} }));
    app = testWebApp(pages, { service: testService({ store, clock, s3: client }) });
  });

  describe('the list of open cases, GET /cases', () => {
    it('lists every open case with a link, its status and its next deadline, and leaves completed ones out', async () => {
      // Prepare
      const open = await aCase({ status: 'awaiting-summaries', authority: 'Exampleshire Council (demo)' });
      const done = await aCase({ status: 'completed', authority: 'Completedshire Council (demo)' });
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const result = await app(webEvent({ path: '/cases', cookies: browser.cookies }));

      // Assess
      expect(result.statusCode).toBe(200);
      const html = String(result.body);
      expect(html).toContain(`href="/cases/${open.caseId}">${open.reference}</a>`);
      expect(html).not.toContain(done.caseId);
      expect(html).toContain('Exampleshire Council (demo)');
      expect(html).toMatch(/govuk-tag--blue">\s*Awaiting summaries/);
      // On 11 March (Day 6) the next deadline is the Day 7 reminder, Thursday 12 March.
      expect(html).toContain(
        'Day 7: Reminder to agencies<br><span class="govuk-body-s">Thursday 12 March 2026</span>',
      );
    });

    it('shows when each review is due: the date it works to, whose it is, and the other date', async () => {
      // Prepare
      const local = await aCase({ status: 'awaiting-summaries' });
      const panel = await aCase({ status: 'awaiting-summaries', incident: panelFirst });
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const result = await app(webEvent({ path: '/cases', cookies: browser.cookies }));

      // Assess
      const html = unescaped(result.body);
      expect(html).toMatch(
        /<th scope="col" role="columnheader" class="govuk-table__header">Review due<\/th>/,
      );
      const rowOf = (caseId: string) => html.split(caseId)[1]?.split('</tr>')[0] ?? '';
      expect(rowOf(local.caseId)).toContain(
        '24 March 2026 (the partnership\'s own date)<br><span class="govuk-body-s">Panel\'s date: 25 March 2026, 1 working day later</span>',
      );
      expect(rowOf(panel.caseId)).toContain(
        '23 March 2026 (the Panel\'s date)<br><span class="govuk-body-s">Partnership\'s own date: 24 March 2026, 1 working day later</span>',
      );
      expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    });

    it('filters by status through a GET form that works without JavaScript', async () => {
      // Prepare
      const waiting = await aCase({ status: 'awaiting-decision' });
      const collecting = await aCase({ status: 'awaiting-summaries' });
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const result = await app(
        webEvent({ path: '/cases', query: 'status=awaiting-decision', cookies: browser.cookies }),
      );

      // Assess
      const html = String(result.body);
      expect(html).toMatch(/<form method="get" action="\/cases"/);
      expect(html).toContain('<option value="awaiting-decision" selected>Awaiting decision</option>');
      expect(html).toContain(waiting.caseId);
      expect(html).not.toContain(collecting.caseId);
    });

    it('answers an unknown status with the filter in error', async () => {
      // Prepare
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const result = await app(webEvent({ path: '/cases', query: 'status=lost', cookies: browser.cookies }));

      // Assess
      expect(result.statusCode).toBe(400);
      expect(String(result.body)).toContain('<a href="#status">Select a status from the list</a>');
    });

    it('tags summaries overdue once agencies are missing after Day 10, and a review the workflow found late as Late', async () => {
      // Prepare
      const missing = await aCase({
        status: 'awaiting-decision',
        received: ['police'],
        changes: { late: { dueDate: '2026-03-24', panelToldAt: '2026-03-24T17:00:00.000Z' } },
      });
      const pastDueButNotMarked = await aCase({ status: 'awaiting-decision', received: ['police'] });
      clock.set('2026-03-25T10:00:00Z');
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const result = await app(webEvent({ path: '/cases', cookies: browser.cookies }));

      // Assess
      const row = String(result.body).split(missing.caseId)[1] ?? '';
      expect(row).toContain('1 of 4 summaries received');
      expect(row).toMatch(/Summaries overdue/);
      expect(row).toMatch(/govuk-tag--red">\s*Late/);
      // The tag follows the case's `late`, set when the Panel is told, not a comparison of dates.
      const unmarked =
        String(result.body)
          .split('<tr')
          .find((tableRow) => tableRow.includes(pastDueButNotMarked.caseId)) ?? '';
      expect(unmarked).toContain('1 of 4 summaries received');
      expect(unmarked).not.toMatch(/>\s*Late\s*</);
    });

    it('tags nothing overdue before the deadlines, and a failed case as failed', async () => {
      // Prepare
      await aCase({ status: 'awaiting-summaries' });
      const failed = await aCase({ status: 'failed' });
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const result = await app(webEvent({ path: '/cases', cookies: browser.cookies }));

      // Assess
      const html = String(result.body);
      expect(html).not.toMatch(/overdue\s*<\/strong>/);
      expect(html).toContain('Nothing overdue');
      expect(html.split(failed.caseId)[1]).toMatch(/govuk-tag--red">\s*Failed/);
    });

    it.for(['notifier', 'rrg-member', 'rrg-chair', 'scrutineer'] as const)(
      'refuses the %s with 403',
      async (role) => {
        // Prepare
        const browser = signedIn(testUser(role));

        // Act
        const result = await app(webEvent({ path: '/cases', cookies: browser.cookies }));

        // Assess
        expect(result.statusCode).toBe(403);
      },
    );
  });

  describe('a case, GET /cases/{caseId}', () => {
    it('shows the summary, the timeline with today marked, the agencies with the team’s controls and the audit trail', async () => {
      // Prepare
      const { caseId, reference } = await aCase({ status: 'awaiting-summaries', received: ['police'] });
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

      // Assess
      expect(result.statusCode).toBe(200);
      const html = String(result.body);
      expect(html).toContain(`<title>Case ${reference} – Safeguarding practice reviews</title>`);
      expect(html).toMatch(/Panel reference/);
      // Day 1 is done; today (Wednesday 11 March, Day 6) sits before the Day 7 reminder.
      expect(html).toMatch(/app-timeline__item--done">[\s\S]*?Day 1: Requests sent to agencies/);
      expect(html).toMatch(
        /app-timeline__item--today">[\s\S]*?Today[\s\S]*?11 March 2026[\s\S]*?Day 7: Reminder/,
      );
      // While the summaries are gathered, the team has its controls on each agency (issue 10 part 3).
      expect(html).toContain('<dl class="govuk-summary-list" id="agencies">');
      expect(html).toContain(`href="/cases/${caseId}/add-agency">Add an agency</a>`);
      expect(html).toContain(
        `href="/cases/${caseId}/agencies/health/contact">Replace contact<span class="govuk-visually-hidden"> for Health</span>`,
      );
      expect(html).toContain(`href="/cases/${caseId}/agencies/health/resend">Resend link`);
      expect(html).toContain(`href="/cases/${caseId}/agencies/health/remove">Remove`);
      // A summary already received cannot be removed.
      expect(html).not.toContain(`href="/cases/${caseId}/agencies/police/remove"`);
      expect(html).toContain(`href="/cases/${caseId}/withdraw">Withdraw this review</a>`);
      expect(html).toMatch(/Police[\s\S]*?govuk-tag--green">\s*Received/);
      expect(html).toMatch(/Health[\s\S]*?govuk-tag--blue">\s*Requested/);
      // An event from before names were kept says who by role, never by id.
      expect(html).toMatch(
        /<th scope="row" role="rowheader" class="govuk-table__header">10am on Wednesday 4 March 2026<\/th>\s*<td role="cell" class="govuk-table__cell" data-label="Who">The person who sent the notification<\/td>\s*<td role="cell" class="govuk-table__cell" data-label="What">Case opened<\/td>/,
      );
      expect(html).not.toContain('user-notifier-demo');
      expect(html).not.toContain('Record the decision');
    });

    it('shows the Rapid Review Group the agencies as a task list, without the team’s controls', async () => {
      const { caseId } = await aCase({ status: 'awaiting-summaries', received: ['police'] });
      const browser = signedIn(testUser('rrg-member'));

      const html = String((await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }))).body);

      expect(html).toContain('govuk-task-list');
      expect(html).not.toContain('Add an agency');
      expect(html).not.toContain('Replace contact');
      expect(html).not.toContain('Withdraw this review');
    });

    it('shows both dates side by side, which one the review works to, and whether the notifications came on time', async () => {
      // Prepare
      const { caseId } = await aCase({ status: 'awaiting-summaries' });
      const browser = signedIn(testUser('rrg-member'));

      // Act
      const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

      // Assess
      const html = unescaped(result.body);
      const row = (key: string, value: string) =>
        new RegExp(
          `<dt class="govuk-summary-list__key">\\s*${key}\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*${value.replace(/[()]/g, '\\$&')}\\s*</dd>`,
        );
      expect(html).toMatch(/<h2 class="govuk-heading-m">When the review is due<\/h2>/);
      expect(html).toMatch(row('The Panel expects it by', 'Wednesday 25 March 2026'));
      expect(html).toMatch(row('The partnership’s own Day 15', 'Tuesday 24 March 2026'));
      expect(html).toMatch(
        row(
          'Works to',
          "The review works to the partnership's timetable: the Panel's date is 1 working day later.",
        ),
      );
      expect(html).toMatch(
        row(
          'Panel notified',
          'The local authority notified the Panel on time (due by Tuesday 10 March 2026).',
        ),
      );
      expect(html).toMatch(
        row('Partnership told', 'The partnership was told on time (due by Tuesday 10 March 2026).'),
      );
    });

    it('says under the dates that the 15 working days are the Panel’s expectation, not a statute', async () => {
      // Prepare
      const { caseId } = await aCase({ status: 'awaiting-summaries' });
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

      // Assess
      const html = unescaped(result.body);
      expect(html).toContain(
        '<p class="govuk-body" id="fifteen-working-days">The 15 working days are the Panel’s expectation, not a statute. Days 1 to 15 are the partnership’s own plan for meeting it.</p>',
      );
      expect(html).not.toMatch(/statutory/i);
    });

    it('says when the Panel’s date governs and when the notifications were late', async () => {
      // Prepare
      const { caseId } = await aCase({ status: 'awaiting-summaries', incident: panelFirst });
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

      // Assess
      const html = unescaped(result.body);
      expect(html).toContain('Monday 23 March 2026');
      expect(html).toContain("The review works to the Panel's date, 1 working day earlier.");
      expect(html).toContain('The local authority notified the Panel late (due by Friday 27 February 2026).');
      expect(html).toContain('The partnership was told late (due by Friday 27 February 2026).');
      expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    });

    it('says plainly when agency files were not scanned for viruses, and not when they were', async () => {
      const unscanned = await aCase({ status: 'awaiting-summaries' });
      const scanned = await aCase({ status: 'awaiting-summaries' });
      for (const [caseId, scan] of [
        [unscanned.caseId, 'not-scanned'],
        [scanned.caseId, 'no-threats-found'],
      ] as const) {
        await store.updateAgencyRequest(
          store.agencyRequestOf(caseId, 'police'),
          { status: 'received', receivedAt: '2026-03-10T09:00:00.000Z' },
          {
            actor: { kind: 'agency', agencyId: 'police' },
            at: '2026-03-10T09:00:00.000Z',
            action: 'summary.received',
            reason: 'Police returned its summary',
            details: { agencyId: 'police', scan },
          },
        );
      }
      const browser = signedIn(testUser('partnership-team'));
      const open = async (caseId: string) =>
        String((await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }))).body);

      const warning =
        'Files that agencies uploaded were not scanned for viruses on this copy of the service.';
      expect(await open(unscanned.caseId)).toContain(warning);
      expect(await open(scanned.caseId)).not.toContain(warning);
    });

    it('shows the partnership team why an agency’s last file was refused', async () => {
      const { caseId } = await aCase({ status: 'awaiting-summaries' });
      await store.updateAgencyRequest(
        store.agencyRequestOf(caseId, 'health'),
        {},
        {
          actor: { kind: 'system', id: 'record-summary' },
          at: '2026-03-10T09:00:00.000Z',
          action: 'summary.rejected',
          reason: 'A virus check found a threat in the file',
          details: { agencyId: 'health', scan: 'threats-found' },
        },
      );
      const browser = signedIn(testUser('partnership-team'));

      const html = String((await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }))).body);

      expect(html).toMatch(
        /Health[\s\S]*?The last file they sent \(Tuesday 10 March 2026\) was refused: A virus check found a threat in the file\./,
      );
    });

    it('shows each agency’s place on the escalation ladder and what happens next, and when, or that it returned', async () => {
      // Received Wednesday 4 March 2026: the reminder at 9am on Day 7, Thursday 12 March; the
      // strategic lead copied and the formal request at 5pm on Day 10, Tuesday 17 March.
      const { caseId } = await aCase({ status: 'awaiting-summaries', received: ['police'] });
      await store.updateAgencyRequest(
        store.agencyRequestOf(caseId, 'health'),
        {
          status: 'reminded',
          remindedAt: '2026-03-12T09:00:01.000Z',
          ladder: [{ kind: 'reminder', at: '2026-03-12T09:00:01.000Z' }],
        },
        {
          actor: workflow,
          at: '2026-03-12T09:00:01.000Z',
          action: 'agency.reminded',
          reason: 'Reminder sent: no summary from Health yet',
        },
      );
      const browser = signedIn(testUser('partnership-team'));

      const html = String((await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }))).body);

      expect(html).toMatch(
        /Health[\s\S]*?Reminded at 9am on Thursday 12 March 2026\. Next: the strategic lead is copied at 5pm on Tuesday 17 March 2026\./,
      );
      expect(html).toMatch(
        /Education[\s\S]*?Next: the contact is reminded at 9am on Thursday 12 March 2026\./,
      );
      expect(html).toMatch(/Police[\s\S]*?Returned\./);
      const agencies = html.split('id="agencies"')[1] ?? '';
      expect(agencies.split('Police')[1]?.split('govuk-summary-list__row')[0]).not.toContain('Next:');
    });

    it('offers the chair the decision when the case awaits it, and nobody else', async () => {
      // Prepare
      const { caseId } = await aCase({ status: 'awaiting-decision' });

      // Act
      const chair = await app(
        webEvent({ path: `/cases/${caseId}`, cookies: signedIn(testUser('rrg-chair')).cookies }),
      );
      const member = await app(
        webEvent({ path: `/cases/${caseId}`, cookies: signedIn(testUser('rrg-member')).cookies }),
      );

      // Assess
      expect(String(chair.body)).toContain(`href="/cases/${caseId}/decision"`);
      expect(String(member.body)).not.toContain(`/cases/${caseId}/decision`);
    });

    it('says when the outcome went to the Panel', async () => {
      // Prepare
      const { caseId } = await aCase({ status: 'awaiting-decision' });
      await store.updateCase(
        (await store.getCase(caseId))!,
        { status: 'submitted-to-panel' },
        {
          actor: workflow,
          at: '2026-03-24T11:00:00.000Z',
          action: 'panel.submitted',
          reason: 'Outcome sent to the Panel',
        },
      );
      const browser = signedIn(testUser('rrg-member'));

      // Act
      const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

      // Assess
      expect(String(result.body)).toMatch(
        /govuk-notification-banner--success[\s\S]*Outcome sent to the Panel on Tuesday 24 March 2026/,
      );
    });

    describe("the Panel's reply (issue 9 part 6)", () => {
      const reply = {
        repliedOn: '2026-03-27',
        agreesWithDecision: true,
        nationalReview: false,
        asksForLocalReview: true,
        comments: 'Invented comments (demo).\nA second <line>.',
        recordedAt: '2026-03-30T10:00:00.000Z',
        recordedBy: 'user-partnership-team-demo',
        recordedByName: 'Case Officer (demo)',
      };

      async function aRepliedCase(
        changes: { localReviewToCommission?: boolean } = { localReviewToCommission: true },
      ) {
        const found = await aCase({ status: 'completed' });
        await store.updateCase(
          (await store.getCase(found.caseId))!,
          { panelReply: reply, ...changes },
          {
            actor: { kind: 'staff', id: reply.recordedBy, role: 'partnership-team' },
            at: reply.recordedAt,
            action: 'panel-reply.recorded',
            reason: "The partnership team recorded the Panel's reply",
          },
        );
        return found;
      }

      it('offers the partnership team the reply once the review has gone to the Panel, and nobody else', async () => {
        // Prepare
        const submitted = await aCase({ status: 'submitted-to-panel' });
        const waiting = await aCase({ status: 'awaiting-decision' });
        const team = signedIn(testUser('partnership-team'));

        // Act
        const forTeam = await app(webEvent({ path: `/cases/${submitted.caseId}`, cookies: team.cookies }));
        const forChair = await app(
          webEvent({ path: `/cases/${submitted.caseId}`, cookies: signedIn(testUser('rrg-chair')).cookies }),
        );
        const tooEarly = await app(webEvent({ path: `/cases/${waiting.caseId}`, cookies: team.cookies }));

        // Assess
        expect(String(forTeam.body)).toContain(`href="/cases/${submitted.caseId}/panel-reply"`);
        expect(String(forChair.body)).not.toContain('/panel-reply');
        expect(String(tooEarly.body)).not.toContain('/panel-reply');
      });

      it('shows the recorded reply and tags the case a local review to commission, offering no second reply', async () => {
        // Prepare
        const { caseId } = await aRepliedCase();

        // Act
        const result = await app(
          webEvent({ path: `/cases/${caseId}`, cookies: signedIn(testUser('partnership-team')).cookies }),
        );

        // Assess
        const html = String(result.body);
        expect(html).toMatch(
          /<h1[^>]*>[\s\S]*govuk-tag--purple app-heading-tag">\s*Local review to commission/,
        );
        const section = html.split('id="panel-reply"')[1]?.split('</dl>')[0] ?? '';
        expect(section).toContain('27 March 2026');
        expect(section).toContain('A second &lt;line&gt;.');
        expect(section).toContain('app-preserve-lines');
        expect(section).toContain('11am on Monday 30 March 2026 by Case Officer (demo)');
        expect(html).not.toContain(`href="/cases/${caseId}/panel-reply"`);
      });

      it('keeps a completed case whose local review is to commission in the list, tagged', async () => {
        // Prepare
        const toCommission = await aRepliedCase();
        const done = await aRepliedCase({});

        // Act
        const result = await app(
          webEvent({ path: '/cases', cookies: signedIn(testUser('partnership-team')).cookies }),
        );

        // Assess
        const html = String(result.body);
        expect(html).not.toContain(done.caseId);
        const row = html.split(toCommission.caseId)[1]?.split('</tr>')[0] ?? '';
        expect(row).toMatch(/govuk-tag--purple">\s*Local review to commission/);
      });
    });

    it('answers 404 for an unknown case', async () => {
      // Act
      const result = await app(
        webEvent({ path: `/cases/${randomUUID()}`, cookies: signedIn(testUser('partnership-team')).cookies }),
      );

      // Assess
      expect(result.statusCode).toBe(404);
    });

    it.for(['notifier', 'scrutineer'] as const)('refuses the %s with 403', async (role) => {
      // Prepare
      const { caseId } = await aCase({ status: 'awaiting-summaries' });

      // Act
      const result = await app(
        webEvent({ path: `/cases/${caseId}`, cookies: signedIn(testUser(role)).cookies }),
      );

      // Assess
      expect(result.statusCode).toBe(403);
    });

    describe('the late path, the closure and going to the Panel (issue 9 parts 3, 5 and 6)', () => {
      /** The page's text between two ids' headings, tags stripped, apostrophes put back. */
      function section(html: string, id: string): string {
        const start = html.indexOf(`id="${id}"`);
        if (start === -1) return '';
        const end = html.indexOf('<h2', start + 1);
        return unescaped(html.slice(start, end === -1 ? undefined : end))
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ');
      }
      const decision = {
        commissionLocalReview: false,
        localReviewReason: 'Invented (demo).',
        recommendNationalReview: false,
        nationalReviewReason: 'Invented (demo).',
        decidedAt: '2027-01-07T15:00:00.000Z',
        decidedBy: 'user-rrg-chair-demo',
      };
      const late = { dueDate: '2027-01-08', panelToldAt: '2027-01-08T17:00:00.000Z' };
      const page = async (caseId: string, role: Parameters<typeof testUser>[0] = 'partnership-team') =>
        String(
          (await app(webEvent({ path: `/cases/${caseId}`, cookies: signedIn(testUser(role)).cookies }))).body,
        );

      it('says what the submission to the Panel still waits for, in words', async () => {
        // Prepare
        const undecided = await aCase({ status: 'awaiting-decision' });
        const decided = await aCase({ status: 'decided', changes: { decision } });

        // Act
        const [before, after] = [await page(undecided.caseId), await page(decided.caseId)];

        // Assess
        expect(section(before, 'going-to-the-panel')).toContain(
          "The review goes to the Panel as soon as it has: the Rapid Review Group chair's decision; the completed rapid review report.",
        );
        expect(section(after, 'going-to-the-panel')).toContain(
          "The review goes to the Panel as soon as it has: the safeguarding partners' sign-off of the decision; the completed rapid review report.",
        );
      });

      it('says when the review went to the Panel, once it has', async () => {
        // Prepare
        const { caseId } = await aCase({ status: 'decided', changes: { decision } });
        await store.updateCase(
          (await store.getCase(caseId))!,
          { status: 'submitted-to-panel' },
          { actor: workflow, at: '2027-01-12T15:00:00.000Z', action: 'panel.submitted', reason: 'Sent' },
        );

        // Act
        const html = await page(caseId);

        // Assess
        expect(section(html, 'going-to-the-panel')).toContain(
          'The review went to the Panel at 3pm on Tuesday 12 January 2027.',
        );
        expect(html).not.toContain('as soon as it has');
      });

      it('tags a late review Late, says when it was due and when the Panel was told, and offers the team to record why', async () => {
        // Prepare
        const { caseId } = await aCase({ status: 'awaiting-decision', changes: { late } });

        // Act
        const [forTeam, forChair] = [await page(caseId), await page(caseId, 'rrg-chair')];

        // Assess
        expect(forTeam).toMatch(/<h1[^>]*>[\s\S]*?govuk-tag--red app-heading-tag">\s*Late\s*</);
        const text = section(forTeam, 'late');
        expect(text).toContain(
          'This review was due by Friday 8 January 2027. The Panel was told it is late at 5pm on Friday 8 January 2027.',
        );
        expect(text).toContain('No reason recorded yet.');
        expect(forTeam).toContain(
          `<a class="govuk-link" href="/cases/${caseId}/late-reason">Record why the review is late</a>`,
        );
        expect(section(forChair, 'late')).toContain('No reason recorded yet.');
        expect(forChair).not.toContain('/late-reason');
      });

      it('shows the recorded reason and expected date, with a link to change them', async () => {
        // Prepare
        const { caseId } = await aCase({
          status: 'awaiting-decision',
          changes: {
            late: {
              ...late,
              reason: 'Invented: an agency summary came late (demo).',
              expectedOn: '2027-01-15',
              reasonRecordedAt: '2027-01-11T10:00:00.000Z',
              reasonRecordedBy: 'user-partnership-team-demo',
              reasonRecordedByName: 'Case Officer (demo)',
            },
          },
        });

        // Act
        const html = await page(caseId);

        // Assess
        const text = section(html, 'late');
        expect(text).toContain('Why it is late Invented: an agency summary came late (demo).');
        expect(text).toContain('The partnership now expects to submit by Friday 15 January 2027');
        expect(text).toContain('Recorded 10am on Monday 11 January 2027 by Case Officer (demo)');
        expect(text).not.toContain('user-partnership-team-demo');
        expect(text).toContain('Change why the review is late');
      });

      it('shows a closure as notification only: the reason, who closed it by name, and when', async () => {
        // Prepare
        const { caseId } = await aCase({
          status: 'closed',
          changes: {
            lookedAfterOrCareLeaverDeath: true,
            closure: {
              kind: 'notification-only',
              reason: 'Invented: no concerns about care (demo).',
              closedAt: '2027-01-11T10:00:00.000Z',
              closedBy: 'user-partnership-team-demo',
              closedByName: 'Case Officer (demo)',
            },
          },
        });

        // Act
        const html = await page(caseId);

        // Assess
        const text = section(html, 'closure');
        expect(text).toContain('Closed as notification only');
        expect(text).toContain(
          'Why abuse or neglect is not suspected Invented: no concerns about care (demo).',
        );
        expect(text).toContain('Closed by Case Officer (demo)');
        expect(text).toContain('Closed 10am on Monday 11 January 2027');
        expect(html).not.toContain('user-partnership-team-demo');
        expect(html).toMatch(/govuk-tag--grey app-heading-tag">\s*Notification only/);
        expect(html).not.toContain('/notification-only"');
        expect(html).not.toContain('id="going-to-the-panel"');
      });

      it('offers the team to close a looked-after child’s or care leaver’s death not yet decided, and only that', async () => {
        // Prepare
        const open = await aCase({
          status: 'awaiting-summaries',
          changes: { lookedAfterOrCareLeaverDeath: true },
        });
        const decided = await aCase({
          status: 'decided',
          changes: { lookedAfterOrCareLeaverDeath: true, decision },
        });
        const other = await aCase({ status: 'awaiting-summaries' });
        const link = (caseId: string) =>
          `<a class="govuk-link" href="/cases/${caseId}/notification-only">Close as notification only, no Rapid Review</a>`;

        // Act
        const [forTeam, forMember, whenDecided, notSuchADeath] = [
          await page(open.caseId),
          await page(open.caseId, 'rrg-member'),
          await page(decided.caseId),
          await page(other.caseId),
        ];

        // Assess
        expect(forTeam).toContain(link(open.caseId));
        expect(forMember).not.toContain('/notification-only');
        expect(whenDecided).not.toContain('/notification-only');
        expect(notSuchADeath).not.toContain('/notification-only');
      });
    });

    describe('the notification (issue 9 part 3)', () => {
      /** The rows of the page's "The notification" section, as key and value text. */
      function notificationSection(html: string): string {
        const start = html.indexOf('id="the-notification"');
        const end = html.indexOf('When the review is due');
        return unescaped(html.slice(start, end))
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ');
      }

      it('names a named child, their date of birth and the incident, and says the case crosses no border', async () => {
        // Prepare
        const { caseId } = await aCase({ status: 'awaiting-summaries' });
        const browser = signedIn(testUser('rrg-member'));

        // Act
        const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

        // Assess
        expect(result.statusCode).toBe(200);
        const section = notificationSection(String(result.body));
        expect(section).toContain('What happened A child was seriously harmed on Monday 2 March 2026');
        expect(section).toContain('Where it happened Family home, Exampletown (invented)');
        expect(section).toContain('The child');
        expect(section).toContain('Name Demo Child One');
        expect(section).toContain('Date of birth 14 May 2019');
        expect(section).toContain('Crosses a local authority border No');
        expect(section).not.toContain('Care leaver');
        expect(section).not.toContain('Secretary of State');
      });

      it('shows an unborn child, a child not yet identified and a care leaver, the dates the Secretary of State and Ofsted were told of the death, and the other local authority', async () => {
        // Prepare: invented children; the care leaver (aged 22) was looked after as a child.
        const { caseId } = await aCase({
          status: 'awaiting-summaries',
          incident: { kind: 'death' },
          notification: {
            children: [
              { identity: 'unborn', sex: 'not-known', ethnicity: 'Not recorded (demo)', lookedAfter: false },
              {
                identity: 'not-yet-identified',
                ageYears: 15,
                sex: 'male',
                ethnicity: 'Not recorded (demo)',
                lookedAfter: false,
              },
              {
                name: 'Invented Young Person (demo)',
                dateOfBirth: '2003-11-20',
                sex: 'female',
                ethnicity: 'Not recorded (demo)',
                lookedAfter: false,
                careLeaver: true,
              },
            ],
            deathNotifications: { secretaryOfStateNotifiedOn: '2026-03-03', ofstedNotifiedOn: '2026-03-04' },
            crossBorder: {
              otherLocalAuthority: 'Otherplace Borough Council (demo)',
              connection: 'incident-happened-there',
              leadPartnership: 'other',
            },
          },
        });
        const browser = signedIn(testUser('rrg-chair'));

        // Act
        const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

        // Assess
        expect(result.statusCode).toBe(200);
        const section = notificationSection(String(result.body));
        expect(section).toContain('What happened A child died on Monday 2 March 2026');
        expect(section).toMatch(/Child 1 .*Name Unborn Date of birth Not known .*Child 2/);
        expect(section).toMatch(
          /Child 2 .*Name Not yet identified Date of birth Not known \(aged 15\) .*Child 3/,
        );
        expect(section).toMatch(
          /Child 3 .*Name Invented Young Person \(demo\) Date of birth 20 November 2003 Age at the time of the incident 22 Ethnicity Not recorded \(demo\) Care leaver Yes/,
        );
        expect(section).toContain('Secretary of State notified Tuesday 3 March 2026');
        expect(section).toContain('Ofsted notified Wednesday 4 March 2026');
        expect(section).toContain('Other local authority Otherplace Borough Council (demo)');
        expect(section).toContain('Its part in the case The incident happened there');
        expect(section).toContain(
          'Which partnership leads The partnership for Otherplace Borough Council (demo) leads the review',
        );
      });

      it('gives each child’s census ethnicity, disability, looked-after status and plans (issue 11 part 6)', async () => {
        // Prepare: the sample child (invented), with an "Any other" background described.
        const child = sampleNotification().children[0] as ReturnType<
          typeof sampleNotification
        >['children'][number];
        const { caseId } = await aCase({
          status: 'awaiting-summaries',
          notification: {
            children: [{ ...child, ethnicity: { code: 'asian-any-other', description: 'Invented (demo)' } }],
          },
        });
        const browser = signedIn(testUser('partnership-team'));

        // Act
        const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

        // Assess
        const section = notificationSection(String(result.body));
        expect(section).toContain(
          'Ethnicity Asian or Asian British: Any other Asian background (Invented (demo))',
        );
        expect(section).toContain('Disability Not known');
        expect(section).toContain('Looked after Never looked after');
        expect(section).toContain('Child protection plan Previously subject to a child protection plan');
        expect(section).toContain('Child in need A child in need now');
        // Received at 10am on a working day: Day 1 is that day (the 5pm cut-off, issue 11 part 6).
        expect(String(result.body).replace(/\s+/g, ' ')).toContain(
          'Received </dt> <dd class="govuk-summary-list__value"> 10am on Wednesday 4 March 2026: before 5pm on a working day, so Day 1 is that day',
        );
      });

      it('says when this partnership leads a case where the child lives in another area', async () => {
        // Prepare
        const { caseId } = await aCase({
          status: 'awaiting-summaries',
          notification: {
            crossBorder: {
              otherLocalAuthority: 'Otherplace Borough Council (demo)',
              connection: 'child-lives-there',
              leadPartnership: 'this',
            },
          },
        });
        const browser = signedIn(testUser('partnership-team'));

        // Act
        const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

        // Assess
        const section = notificationSection(String(result.body));
        expect(section).toContain('Its part in the case The child lives there');
        expect(section).toContain('Which partnership leads This partnership leads the review');
      });

      it('still shows the case when the notification document cannot be read, and says so', async () => {
        // Prepare
        const { caseId, reference } = await aCase({
          status: 'awaiting-summaries',
          notificationReadable: false,
        });
        const browser = signedIn(testUser('partnership-team'));

        // Act
        const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

        // Assess
        expect(result.statusCode).toBe(200);
        const html = String(result.body);
        expect(html).toContain(`Case ${reference}`);
        expect(notificationSection(html)).toContain('The notification could not be read.');
        expect(html).not.toContain('Demo Child One');
      });
    });
  });

  describe('a case page that is the case (issue 11 part 1)', () => {
    /** The page's text, tags stripped and spaces collapsed. */
    const textOf = (body: unknown) =>
      unescaped(body)
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');

    it('shows who sent the notification and the other processes running alongside', async () => {
      // Prepare
      const { caseId } = await aCase({
        status: 'awaiting-summaries',
        notification: {
          notifier: {
            name: 'Notifier Person (demo)',
            role: 'Head of Service (demo)',
            email: 'notifier@example.org',
            phone: '01632 960000',
          },
          parallelProcesses: {
            policeInvestigation: true,
            childDeathReview: true,
            safeguardingAdultReview: false,
            domesticHomicideReview: false,
            other: 'Invented coroner’s inquiry (demo)',
          },
        },
      });
      const browser = signedIn(testUser('rrg-member'));

      // Act
      const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

      // Assess
      const text = textOf(result.body);
      expect(text).toContain(
        'Who sent the notification Name Notifier Person (demo) Role Head of Service (demo) Local authority Exampleshire County Council Email notifier@example.org Phone 01632 960000',
      );
      expect(text).toContain(
        'Other processes running alongside Police investigation; Child death review; Other: Invented coroner’s inquiry (demo)',
      );
      expect(text).toContain('What the notification says Invented demonstration case.');
    });

    it('shows "None" when no other process runs, and reads an answer asked later by its name', () => {
      const base = {
        incident: { kind: 'death' as const, occurredOn: '2026-03-02' },
        children: [],
        lookedAfterOrCareLeaverDeath: false,
      };

      const none = notificationInWords({
        ...base,
        parallelProcesses: { answers: { policeInvestigation: false, none: true } },
      });
      const inquest = notificationInWords({
        ...base,
        parallelProcesses: { answers: { policeInvestigation: false, inquest: true, coronersReview: true } },
      });

      const processes = (words: ReturnType<typeof notificationInWords>) =>
        words.readable
          ? words.rows.find((row) => row.key.text.startsWith('Other processes'))?.value.text
          : '';
      expect(processes(none)).toBe('None');
      expect(processes(inquest)).toBe('Coroner’s inquest; Coroners review');
    });

    it('never shows who the child is to a role that may not read it, such as the scrutineer', () => {
      // Prepare
      const notification = {
        incident: {
          kind: 'serious-harm' as const,
          occurredOn: '2026-03-02',
          summary: 'Invented summary naming Demo Child One (demo).',
        },
        children: [
          {
            name: 'Demo Child One',
            dateOfBirth: '2019-05-14',
            sex: 'not-known' as const,
            ethnicity: 'Not recorded (demo)',
            lookedAfter: false,
            address: '1 Invented Road\nExampletown',
            nhsNumber: '9434765919',
          },
        ],
        lookedAfterOrCareLeaverDeath: false,
        householdMembers: [{ name: 'Invented Adult (demo)', relationship: 'Parent' }],
      };

      // Act
      const shown = JSON.stringify(notificationInWords(notification, maySeeTheChild(['scrutineer'])));
      const toTheGroup = JSON.stringify(notificationInWords(notification, maySeeTheChild(['rrg-member'])));

      // Assess
      expect(maySeeTheChild(['scrutineer'])).toBe(false);
      for (const identifying of [
        'Demo Child One',
        'Invented Road',
        '943 476 5919',
        'Invented Adult',
        '14 May 2019',
      ]) {
        expect(shown).not.toContain(identifying);
        expect(toTheGroup).toContain(identifying);
      }
      expect(shown).toContain('Age at the time of the incident');
    });

    it('offers the notification as a PDF, never as its raw JSON document', async () => {
      // Prepare: every document exists in the bucket, the notification's JSON among them.
      const { caseId, reference } = await aCase({ status: 'awaiting-summaries' });
      s3.on(HeadObjectCommand).resolves({});
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const page = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));
      const pdf = await app(
        webEvent({ path: `/cases/${caseId}/notification.pdf`, cookies: browser.cookies }),
      );

      // Assess
      const html = String(page.body);
      expect(html).not.toContain('notification.json');
      expect(html).toContain(
        `<a class="govuk-link" href="/cases/${caseId}/notification.pdf">Notification (PDF)</a>`,
      );
      expect(html).toContain(
        `href="/cases/${caseId}/notification.pdf" id="notification-pdf">Print or save the notification (PDF)</a>`,
      );
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers?.['content-type']).toBe('application/pdf');
      expect(pdf.headers?.['cache-control']).toBe('no-store');
      expect(pdf.headers?.['content-disposition']).toBe(`inline; filename="Notification ${reference}.pdf"`);
      expect(pdf.isBase64Encoded).toBe(true);
      expect(Buffer.from(String(pdf.body), 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });

    it('prints the notification as it stands now, following a correction at once', async () => {
      // Prepare: the team corrected the child's name (version 2).
      const { caseId } = await aCase({ status: 'awaiting-summaries' });
      const browser = signedIn(testUser('rrg-member'));
      const first = await app(
        webEvent({ path: `/cases/${caseId}/notification.pdf`, cookies: browser.cookies }),
      );
      const corrected = sampleNotification();
      corrected.children[0] = { ...corrected.children[0]!, name: 'Demo Child Corrected' };
      const key = `cases/${caseId}/notification-v2-abcd1234.json`;
      const bytes = new TextEncoder().encode(JSON.stringify(corrected));
      s3.on(GetObjectCommand, { Key: key }).resolves({
        Body: { transformToByteArray: async () => bytes },
      } as never);
      const record = await store.getCase(caseId);
      if (!record) throw new Error('No case');
      await store.updateCase(
        record,
        {
          notificationDocumentKey: key,
          notificationVersions: [
            {
              version: 2,
              documentKey: key,
              changedAt: '2026-03-05T14:30:00.000Z',
              changedBy: 'user-team-demo',
              changedByName: 'Sam Example (demo)',
              reason: 'Invented correction (demo)',
              fields: ['children.0.name'],
            },
          ],
        },
        {
          actor: staffActor({ id: 'user-team-demo', name: 'Sam Example (demo)' }, 'partnership-team'),
          at: '2026-03-05T14:30:00.000Z',
          action: 'notification.changed',
          reason: 'The partnership team changed the notification (version 2): Invented correction (demo)',
        },
      );

      // Act
      const second = await app(
        webEvent({ path: `/cases/${caseId}/notification.pdf`, cookies: browser.cookies }),
      );

      // Assess
      const before = await pdfText(Buffer.from(String(first.body), 'base64'));
      // Lines joined as one text: the PDF wraps a long value onto its next line.
      const after = (await pdfText(Buffer.from(String(second.body), 'base64'))).replace(/\s+/g, ' ');
      expect(before).toContain('Demo Child One');
      expect(before).toContain('As received');
      expect(before).toContain('Notifier Person (demo), Head of Service (demo)');
      expect(before).toContain('notifier@example.org');
      expect(before).toContain('Police investigation');
      expect(after).toContain('Demo Child Corrected');
      expect(after).not.toContain('Demo Child One');
      expect(after).toContain('Version 2, changed at 2:30pm on Thursday 5 March 2026 by Sam Example (demo):');
    });

    it('gives the notification’s PDF only to those who may open the case', async () => {
      const { caseId } = await aCase({ status: 'awaiting-summaries' });

      const notifier = await app(
        webEvent({
          path: `/cases/${caseId}/notification.pdf`,
          cookies: signedIn(testUser('notifier')).cookies,
        }),
      );
      const scrutineer = await app(
        webEvent({
          path: `/cases/${caseId}/notification.pdf`,
          cookies: signedIn(testUser('scrutineer')).cookies,
        }),
      );
      const unknown = await app(
        webEvent({
          path: `/cases/${randomUUID()}/notification.pdf`,
          cookies: signedIn(testUser('rrg-chair')).cookies,
        }),
      );

      expect(notifier.statusCode).toBe(403);
      expect(scrutineer.statusCode).toBe(403);
      expect(unknown.statusCode).toBe(404);
    });

    it('shows each agency’s structured return and its file in the page', async () => {
      // Prepare: Police returned answers and a file; Health said it had no involvement.
      const { caseId } = await aCase({ status: 'awaiting-summaries' });
      const fileKey = `cases/${caseId}/returns/police.pdf`;
      await store.updateAgencyRequest(
        store.agencyRequestOf(caseId, 'police'),
        {
          status: 'received',
          receivedAt: '2026-03-10T09:00:00.000Z',
          documentKey: fileKey,
          returns: [
            {
              version: 1,
              submittedAt: '2026-03-10T09:00:00.000Z',
              by: 'agency',
              documentKey: fileKey,
              answers: {
                kind: 'involvement',
                involvedFrom: '2025-01-06',
                rolesInvolved: 'Invented roles (demo)',
                summary: 'Invented summary of involvement (demo).',
                episodes: [
                  {
                    date: '2025-06-02',
                    whatHappened: 'Invented episode (demo).',
                    decidedAndWhy: 'Invented decision (demo).',
                  },
                ],
                immediateActions: 'Invented actions (demo).',
                earlyLearning: 'Invented learning (demo).',
              },
            },
          ],
        },
        {
          actor: { kind: 'agency', agencyId: 'police' },
          at: '2026-03-10T09:00:00.000Z',
          action: 'summary.received',
          reason: 'Police returned its summary',
          details: { documentKey: fileKey },
        },
      );
      await store.updateAgencyRequest(
        store.agencyRequestOf(caseId, 'health'),
        {
          status: 'received',
          receivedAt: '2026-03-10T10:00:00.000Z',
          returns: [
            {
              version: 1,
              submittedAt: '2026-03-10T10:00:00.000Z',
              by: 'agency',
              answers: { kind: 'no-involvement', confirmed: true },
            },
          ],
        },
        {
          actor: { kind: 'agency', agencyId: 'health' },
          at: '2026-03-10T10:00:00.000Z',
          action: 'return.submitted',
          reason: 'Health returned its answers',
        },
      );
      s3.on(HeadObjectCommand, { Key: fileKey }).resolves({});
      const browser = signedIn(testUser('rrg-chair'));

      // Act
      const result = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

      // Assess
      const html = unescaped(result.body);
      const police = textOf(html.split('id="return-police"')[1]?.split('</details>')[0]);
      expect(police).toContain('Police: Received');
      expect(police).toContain('Submitted at 9am on Tuesday 10 March 2026');
      expect(police).toContain('Period of involvement From 6 January 2025, and continuing');
      expect(police).toContain('Summary of involvement Invented summary of involvement (demo).');
      expect(police).toContain('Key practice episode 1: Monday 2 June 2025');
      expect(police).toContain('Early learning Invented learning (demo).');
      expect(police).toContain('Protected characteristics None given.');
      expect(html.split('id="return-police"')[1]?.split('</details>')[0]).toMatch(
        /Its file: <a class="govuk-link" href="https:\/\/[^"]*police\.pdf[^"]*">Police<\/a>/,
      );
      const health = textOf(html.split('id="return-health"')[1]?.split('</details>')[0]);
      expect(health).toContain('No involvement The agency confirmed that it has had no involvement');
      expect(textOf(html.split('id="return-education"')[1]?.split('</details>')[0])).toContain(
        'Nothing received yet.',
      );
    });

    it('counts the working days against the date the review works to', async () => {
      // Received Wednesday 4 March (Day 1); the partnership's Day 15, Tuesday 24 March, governs.
      const { caseId } = await aCase({ status: 'awaiting-summaries' });
      const browser = signedIn(testUser('partnership-team'));

      const onDay6 = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));
      clock.set('2026-03-26T12:00:00Z');
      const late = await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }));

      expect(String(onDay6.body)).toContain(
        '<p class="govuk-body-l" id="day-counter">Day 6 of 15 (working days), due by 5pm on Tuesday 24 March 2026</p>',
      );
      expect(String(late.body)).toContain(
        '<p class="govuk-body-l" id="day-counter">2 working days late: it was due by 5pm on Tuesday 24 March 2026</p>',
      );
    });

    it('counts a review late from the moment it was due, when the workflow marks it late', () => {
      const view = {
        status: 'awaiting-decision' as const,
        clocks: { governingDueDate: '2026-03-24' } as CaseView['clocks'],
        timetable: [
          {
            key: 'submitToPanel' as const,
            day: 15,
            name: 'Outcome to the Panel',
            date: '2026-03-24',
            startsAt: '2026-03-24T09:00:00Z',
            dueAt: '2026-03-24T17:00:00Z',
          },
        ],
        audit: [],
      };

      const aMinuteBefore = dayCounter(view, new Date('2026-03-24T16:59:00Z'));
      const atFive = dayCounter(view, new Date('2026-03-24T17:00:00Z'));

      expect(aMinuteBefore).toBe('Day 15 of 15 (working days), due by 5pm on Tuesday 24 March 2026');
      expect(atFive).toBe('Late: it was due by 5pm on Tuesday 24 March 2026');
    });

    it('says on which day a review went to the Panel, and counts nothing on a review that stopped', () => {
      const base = {
        clocks: { governingDueDate: '2026-03-24' } as CaseView['clocks'],
        timetable: [
          {
            key: 'submitToPanel' as const,
            day: 15,
            name: 'Outcome to the Panel',
            date: '2026-03-24',
            startsAt: '2026-03-24T09:00:00Z',
            dueAt: '2026-03-24T17:00:00Z',
          },
        ],
      };
      const now = new Date('2026-04-01T10:00:00Z');

      const sent = dayCounter(
        {
          ...base,
          status: 'completed',
          audit: [{ action: 'panel.submitted', at: '2026-03-23T10:00:00.000Z' } as never],
        },
        now,
      );
      const sentLate = dayCounter(
        {
          ...base,
          status: 'completed',
          audit: [{ action: 'panel.submitted', at: '2026-03-26T10:00:00.000Z' } as never],
        },
        now,
      );
      const failed = dayCounter({ ...base, status: 'failed', audit: [] }, now);

      expect(sent).toBe('Sent to the Panel on day 14 of 15');
      expect(sentLate).toBe('Sent to the Panel 2 working days late');
      expect(failed).toBeUndefined();
    });

    it('tells of a failed case in plain words: no step or state names, no engineers, no blame for papers sent', async () => {
      // Prepare: the papers went out on Day 12; the workflow then stopped waiting for the decision.
      const { caseId } = await aCase({
        status: 'failed',
        changes: {
          currentStep: 'AwaitDecision',
          failure: { step: 'DecisionNeverCame', error: 'States.Timeout', at: '2026-03-25T10:00:00.000Z' },
        },
      });
      const record = await store.getCase(caseId);
      if (!record) throw new Error('No case');
      await store.updateCase(
        record,
        {},
        {
          actor: workflow,
          at: '2026-03-19T09:00:00.000Z',
          action: 'papers.distributed',
          reason: 'Day 12: papers sent to the Rapid Review Group',
        },
      );
      await store.updateCase(
        (await store.getCase(caseId)) ?? record,
        {},
        {
          actor: workflow,
          at: '2026-03-25T10:00:00.000Z',
          action: 'workflow.failed',
          reason: 'The workflow stopped at DecisionNeverCame with States.Timeout',
        },
      );
      clock.set('2026-03-26T12:00:00Z');
      const team = signedIn(testUser('partnership-team'));
      const chair = signedIn(testUser('rrg-chair'));

      // Act
      const page = await app(webEvent({ path: `/cases/${caseId}`, cookies: team.cookies }));
      const decision = await app(webEvent({ path: `/cases/${caseId}/decision`, cookies: chair.cookies }));

      // Assess
      const html = unescaped(page.body);
      expect(html).toContain(
        'Something went wrong with this review’s timetable at 10am on Wednesday 25 March 2026. The service’s support team has been told.',
      );
      for (const engineering of [
        'DecisionNeverCame',
        'States.Timeout',
        'AwaitDecision',
        'Workflow',
        'workflow',
        'engineer',
        '(running)',
      ]) {
        expect(textOf(html)).not.toContain(engineering);
      }
      expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(html).toMatch(
        /Papers to the Rapid Review Group<\/p>\s*<p class="govuk-body-s govuk-!-margin-bottom-0">Thursday 19 March 2026\s*– <strong class="govuk-tag govuk-tag--green">\s*Done/,
      );
      expect(html).toMatch(
        /Outcome to the Panel<\/p>\s*<p class="govuk-body-s govuk-!-margin-bottom-0">Tuesday 24 March 2026\s*– <strong class="govuk-tag govuk-tag--red">\s*Missed/,
      );
      expect(html).not.toContain('id="day-counter"');
      const refusal = textOf(decision.body);
      expect(decision.statusCode).toBe(409);
      expect(refusal).not.toContain('papers have not been');
      expect(refusal).toContain('has stopped: something went wrong with this review’s timetable');
    });

    it('shows a case whose fault flag is up (its status kept) as stopped, and a resume in words', async () => {
      // Prepare: the workflow stopped while waiting for the decision; later resumed once, and stopped again.
      const { caseId } = await aCase({
        status: 'awaiting-decision',
        changes: {
          failure: { step: 'AwaitDecision', error: 'States.Runtime', at: '2026-03-25T10:00:00.000Z' },
        },
      });
      const record = (await store.getCase(caseId))!;
      await store.updateCase(
        record,
        {},
        {
          actor: {
            kind: 'staff',
            id: 'user-team-test',
            role: 'partnership-team',
            name: 'Team Member (test)',
          },
          at: '2026-03-25T11:00:00.000Z',
          action: 'case.resumed',
          reason: 'Invented reason: the fault was fixed (test).',
        },
      );
      clock.set('2026-03-26T12:00:00Z');
      const team = signedIn(testUser('partnership-team'));

      // Act
      const page = await app(webEvent({ path: `/cases/${caseId}`, cookies: team.cookies }));

      // Assess
      const html = unescaped(page.body);
      expect(html).toContain(
        'Something went wrong with this review’s timetable at 10am on Wednesday 25 March 2026. The service’s support team has been told.',
      );
      expect(html).not.toContain('id="day-counter"');
      expect(textOf(html)).toContain('The review was resumed');
      expect(textOf(html)).not.toContain('case.resumed');
      expect(textOf(html)).not.toContain('AwaitDecision');
    });

    it('names the person who acted in the audit trail, with their role, never their id', async () => {
      // Prepare
      const { caseId } = await aCase({ status: 'awaiting-summaries' });
      const record = await store.getCase(caseId);
      if (!record) throw new Error('No case');
      await store.updateCase(
        record,
        {},
        {
          actor: staffActor({ id: 'user-team-demo', name: 'Sam Example (demo)' }, 'partnership-team'),
          at: '2026-03-05T11:00:00.000Z',
          action: 'agency.link-resent',
          reason: 'The partnership team sent Police a new link; the old one stopped working: invented (demo)',
        },
      );
      const browser = signedIn(testUser('partnership-team'));

      // Act
      const html = String((await app(webEvent({ path: `/cases/${caseId}`, cookies: browser.cookies }))).body);

      // Assess
      expect(html).toMatch(
        /<th scope="row" role="rowheader" class="govuk-table__header">11am on Thursday 5 March 2026<\/th>\s*<td role="cell" class="govuk-table__cell" data-label="Who">Sam Example \(demo\) \(Partnership team\)<\/td>\s*<td role="cell" class="govuk-table__cell" data-label="What">Agency link resent<\/td>/,
      );
      expect(html).not.toContain('user-team-demo');
    });
  });

  describe('the rules behind the tags and the timeline', () => {
    const { record } = openCase({
      caseId: randomUUID(),
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: 'cases/x/notification.json',
    });

    it('does not call summaries overdue on the Day 10 deadline itself, only after it', () => {
      const beforeEnd = overdueTags(record, [{ status: 'requested' }], new Date('2026-03-17T16:59:00Z'));
      const after = overdueTags(record, [{ status: 'requested' }], new Date('2026-03-17T17:01:00Z'));

      expect(beforeEnd).toEqual([]);
      expect(after.map((tag) => tag.text)).toEqual(['Summaries overdue']);
    });

    /** The case's progress as the timeline reads it: no step done yet unless the events say so. */
    const progress = (changes: Partial<CaseProgress> = {}): CaseProgress => ({
      status: 'awaiting-summaries',
      timetable: record.timetable.milestones,
      audit: [],
      agencies: [
        { status: 'requested', requestedAt: '2026-03-04T10:01:00.000Z' },
        { status: 'requested', requestedAt: '2026-03-04T10:01:00.000Z' },
      ],
      ...changes,
    });
    const event = (action: string, at: string) => ({ action, at });
    const states = (entries: ReturnType<typeof timelineOf>) =>
      entries.filter((entry) => entry.kind === 'milestone').map((entry) => `${entry.name}: ${entry.state}`);

    it('marks today between the steps, and a step due today as next, not done', () => {
      const entries = timelineOf(
        progress({ audit: [event('summaries.requested', '2026-03-04T10:01:00.000Z')] }),
        new Date('2026-03-12T08:00:00Z'),
      );

      expect(entries.filter((entry) => entry.kind === 'today')).toHaveLength(1);
      const reminder = entries.find((entry) => entry.name === 'Reminder to agencies');
      expect(reminder).toMatchObject({ state: 'next', tag: { text: 'Next' } });
      expect(entries.find((entry) => entry.name === 'Requests sent to agencies')).toMatchObject({
        state: 'done',
        doneAt: '10:01am on Wednesday 4 March 2026',
      });
    });

    it('leaves out the Day numbers when the Panel’s date pulled the milestones back', () => {
      const withDays = timelineOf(progress(), new Date('2026-03-12T08:00:00Z'));
      const pulled = timelineOf(progress(), new Date('2026-03-12T08:00:00Z'), false);

      expect(withDays.filter((entry) => entry.kind === 'milestone').every((entry) => entry.day)).toBe(true);
      expect(pulled.some((entry) => 'day' in entry)).toBe(false);
      expect(pulled.map((entry) => entry.name)).toEqual(withDays.map((entry) => entry.name));
    });

    it('never marks a step done because its date has passed: a failed case’s outcome to the Panel is missed', () => {
      // Prepare: collated and the papers sent, then the review stopped; the clock is past Day 15.
      const failed = progress({
        status: 'failed',
        agencies: [
          {
            status: 'received',
            requestedAt: '2026-03-04T10:01:00.000Z',
            receivedAt: '2026-03-10T09:00:00.000Z',
          },
          { status: 'escalated', requestedAt: '2026-03-04T10:01:00.000Z' },
        ],
        audit: [
          event('summaries.requested', '2026-03-04T10:01:00.000Z'),
          event('agency.reminded', '2026-03-12T09:00:00.000Z'),
          event('report.collated', '2026-03-18T09:00:00.000Z'),
          event('papers.distributed', '2026-03-19T09:00:00.000Z'),
          event('workflow.failed', '2026-03-20T10:00:00.000Z'),
        ],
      });

      // Act
      const entries = timelineOf(failed, new Date('2026-04-01T10:00:00Z'));

      // Assess
      expect(states(entries)).toEqual([
        'Requests sent to agencies: done',
        'Reminder to agencies: done',
        'Agency summaries due: missed',
        'Summaries collated: done',
        'Papers to the Rapid Review Group: done',
        'Rapid Review Group meeting and decision: missed',
        'Outcome to the Panel: missed',
      ]);
      expect(entries.find((entry) => entry.name === 'Outcome to the Panel')?.tag?.text).toBe('Missed');
      expect(entries.some((entry) => entry.state === 'next')).toBe(false);
      expect(entries.at(-1)).toMatchObject({ kind: 'today', date: 'Wednesday 1 April 2026' });
    });

    it('stops a failed case’s steps still to come rather than missing them', () => {
      const failed = progress({
        status: 'failed',
        audit: [event('summaries.requested', '2026-03-04T10:01:00.000Z')],
      });

      const entries = timelineOf(failed, new Date('2026-03-11T12:00:00Z'));

      expect(states(entries).slice(1)).toEqual([
        'Reminder to agencies: stopped',
        'Agency summaries due: stopped',
        'Summaries collated: stopped',
        'Papers to the Rapid Review Group: stopped',
        'Rapid Review Group meeting and decision: stopped',
        'Outcome to the Panel: stopped',
      ]);
    });

    it('keeps a late case’s decision next, says when it was due, and marks the outcome overdue', () => {
      // Prepare: every summary in before the reminder, papers sent; the decision never came by Day 15.
      const late = progress({
        status: 'awaiting-decision',
        agencies: [
          {
            status: 'received',
            requestedAt: '2026-03-04T10:01:00.000Z',
            receivedAt: '2026-03-09T09:00:00.000Z',
          },
          { status: 'removed' },
        ],
        audit: [
          event('summaries.requested', '2026-03-04T10:01:00.000Z'),
          event('report.collated', '2026-03-18T09:00:00.000Z'),
          event('papers.distributed', '2026-03-19T09:00:00.000Z'),
        ],
      });

      // Act
      const entries = timelineOf(late, new Date('2026-03-26T12:00:00Z'));

      // Assess
      expect(states(entries)).toEqual([
        'Requests sent to agencies: done',
        'Reminder to agencies: not-needed',
        'Agency summaries due: done',
        'Summaries collated: done',
        'Papers to the Rapid Review Group: done',
        'Rapid Review Group meeting and decision: next',
        'Outcome to the Panel: overdue',
      ]);
      expect(entries.find((entry) => entry.state === 'next')).toMatchObject({
        dueAt: '5pm on Monday 23 March 2026',
      });
    });

    it('marks every step of a completed case done, with when, and names no next step', () => {
      const completed = progress({
        status: 'completed',
        decision: {
          commissionLocalReview: false,
          localReviewReason: 'Invented (demo)',
          recommendNationalReview: false,
          nationalReviewReason: 'Invented (demo)',
          decidedAt: '2026-03-20T15:00:00.000Z',
        } as CaseProgress['decision'],
        agencies: [
          {
            status: 'received',
            requestedAt: '2026-03-04T10:01:00.000Z',
            receivedAt: '2026-03-13T09:00:00.000Z',
          },
        ],
        audit: [
          event('summaries.requested', '2026-03-04T10:01:00.000Z'),
          event('agency.reminded', '2026-03-12T09:00:00.000Z'),
          event('report.collated', '2026-03-18T09:00:00.000Z'),
          event('papers.distributed', '2026-03-19T09:00:00.000Z'),
          event('panel.submitted', '2026-03-23T10:00:00.000Z'),
        ],
      });

      const entries = timelineOf(completed, new Date('2026-04-01T10:00:00Z'));

      expect(
        entries.filter((entry) => entry.kind === 'milestone').every((entry) => entry.state === 'done'),
      ).toBe(true);
      expect(entries.find((entry) => entry.name === 'Outcome to the Panel')?.doneAt).toBe(
        '10am on Monday 23 March 2026',
      );
      expect(nextDeadline(record.timetable.milestones, new Date('2026-03-18T10:00:00Z'), 'completed')).toBe(
        undefined,
      );
    });

    it('names as the next deadline neither a step past nor one the case has done', () => {
      // On Day 11, before collation's deadline, a case already collated is next due to send the papers.
      const now = new Date('2026-03-18T08:00:00Z');

      expect(nextDeadline(record.timetable.milestones, now)?.key).toBe('collateReport');
      expect(nextDeadline(record.timetable.milestones, now, 'collating')?.key).toBe('distributePapers');
      expect(nextDeadline(record.timetable.milestones, now, 'failed')).toBe(undefined);
    });
  });
});
