import { beforeEach, describe, expect, it } from 'vitest';
import { homeWebPages } from '../../../functions/web/pages/home-pages.ts';
import { onTimeOf } from '../../../functions/web/pages/scrutiny.ts';
import type { SessionUser } from '../../../functions/web/session.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import type { StaffRole } from '../../../shared/schemas/roles.ts';
import { InMemoryCaseStore } from '../../support/in-memory-case-store.ts';
import { SettableClock } from '../api/support/api-fixtures.ts';
import { homeService, openedCase } from './support/home-fixtures.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/** A page's HTML with the apostrophes and quotes Nunjucks escapes put back. */
const unescaped = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&quot;', '"');

/** The chair's decision as recorded (invented reasons). */
const decision = {
  commissionLocalReview: false,
  localReviewReason: 'Invented reason: the criteria are not met (demo).',
  recommendNationalReview: false,
  nationalReviewReason: 'Invented reason: no national learning (demo).',
  decidedAt: '2026-03-18T15:00:00.000Z',
  decidedBy: 'user-rrg-chair-demo',
  decidedByName: 'Chair Person (demo)',
};

/** A case's card on a home page: from its title to the next card's. */
function cardOf(html: string, reference: string): string {
  const start = html.indexOf(`Case ${reference}`);
  if (start < 0) return '';
  const end = html.indexOf('govuk-summary-card__title-wrapper', start);
  return html.slice(start, end < 0 ? undefined : end);
}

describe('each role’s home (issue 11 part 2)', () => {
  let store: InMemoryCaseStore;
  let clock: SettableClock;
  let service: ReturnType<typeof homeService>;
  let app: ReturnType<typeof testWebApp>;
  const visit = (path: string, user: SessionUser) => app(webEvent({ path, cookies: signedIn(user).cookies }));
  const as = (role: StaffRole, email?: string): SessionUser => ({
    ...testUser(role),
    ...(email ? { email } : {}),
  });

  beforeEach(() => {
    store = new InMemoryCaseStore();
    // Wednesday 18 March 2026, Day 11 of a case received on 4 March: its papers went on Day 12's plan early.
    clock = new SettableClock('2026-03-18T12:00:00Z');
    service = homeService(store, clock);
    app = testWebApp(homeWebPages, { service });
  });

  describe('the Rapid Review Group’s, the partners’ and the Board chair’s cases, GET /your-cases', () => {
    it('asks the chair for the decision by its deadline, with the link, and to read the papers', async () => {
      const waiting = await openedCase(service, store, { status: 'awaiting-decision' });

      const result = await visit('/your-cases', as('rrg-chair'));

      expect(result.statusCode).toBe(200);
      const card = cardOf(unescaped(result.body), waiting.reference);
      expect(card).toContain('Record the group’s decision by 5pm on Tuesday 24 March 2026.');
      expect(card).toContain(`href="/cases/${waiting.caseId}/decision">Record the decision`);
      expect(card).toContain(
        'Read the papers before the meeting. The partnership team will tell you when it is.',
      );
      expect(unescaped(result.body).indexOf('Needs you')).toBeLessThan(
        unescaped(result.body).indexOf(waiting.reference),
      );
    });

    it('asks a member to read the papers before the meeting, and nothing of a review still gathering', async () => {
      const papersOut = await openedCase(service, store, {
        status: 'awaiting-decision',
        changes: {
          meeting: {
            date: '2026-03-20',
            time: '10:00',
            place: 'Room 1, Exampletown Hall (invented)',
            version: 1,
            scheduledAt: '2026-03-12T09:00:00.000Z',
            scheduledBy: 'user-partnership-team-demo',
          },
        },
      });
      const gathering = await openedCase(service, store, { status: 'awaiting-summaries' });

      const html = unescaped((await visit('/your-cases', as('rrg-member'))).body);

      const card = cardOf(html, papersOut.reference);
      expect(card).toContain('Read the papers before the meeting at 10am on Friday 20 March 2026.');
      expect(card).not.toContain('/decision');
      const other = cardOf(html, gathering.reference);
      expect(other).toContain('What happens next');
      expect(other).toContain(
        'The agencies’ summaries are being gathered. The papers are due to reach the group on Thursday 19 March 2026.',
      );
      expect(html.indexOf(papersOut.reference)).toBeLessThan(html.indexOf('Other Rapid Reviews in progress'));
      expect(html.indexOf(gathering.reference)).toBeGreaterThan(
        html.indexOf('Other Rapid Reviews in progress'),
      );
    });

    it('asks a partner’s delegate to sign off for their partner until they have, and only after the decision', async () => {
      const decided = await openedCase(service, store, { status: 'decided', changes: { decision } });
      const signed = await openedCase(service, store, {
        status: 'decided',
        changes: {
          decision,
          signOffs: [
            {
              partner: 'police',
              agrees: true,
              signedAt: '2026-03-18T16:00:00.000Z',
              signedBy: 'user-police-demo',
              signedByName: 'Police Delegate (demo)',
            },
          ],
        },
      });
      const undecided = await openedCase(service, store, { status: 'awaiting-decision' });

      const html = unescaped(
        (await visit('/your-cases', as('safeguarding-partner', 'police-delegate@example.org'))).body,
      );

      expect(html).toContain(
        'You sign off the group’s decisions for the chief officer of police, a safeguarding partner.',
      );
      const card = cardOf(html, decided.reference);
      expect(card).toContain('Sign off the chair’s decision for the chief officer of police.');
      expect(card).toContain(`href="/cases/${decided.caseId}/sign-off">Sign off the decision`);
      expect(cardOf(html, signed.reference)).not.toContain('/sign-off');
      expect(cardOf(html, undecided.reference)).not.toContain('/sign-off');
    });

    it('tells a partner whose email the profile does not list that they cannot sign off', async () => {
      await openedCase(service, store, { status: 'decided', changes: { decision } });

      const html = unescaped(
        (await visit('/your-cases', as('safeguarding-partner', 'someone@example.org'))).body,
      );

      expect(html).toContain('Your email address is not one the partnership lists');
      expect(html).not.toContain('/sign-off');
    });

    it('asks the Executive Board chair to resolve a partner’s disagreement', async () => {
      const disputed = await openedCase(service, store, {
        status: 'decided',
        changes: {
          decision,
          signOffs: [
            {
              partner: 'health',
              agrees: false,
              reasons: 'Invented disagreement (demo).',
              signedAt: '2026-03-18T16:00:00.000Z',
              signedBy: 'user-health-demo',
              signedByName: 'Health Lead (demo)',
            },
          ],
        },
      });

      const html = unescaped((await visit('/your-cases', as('executive-board'))).body);

      expect(cardOf(html, disputed.reference)).toContain(
        `href="/cases/${disputed.caseId}/sign-offs/resolution">Resolve the disagreement`,
      );
    });

    it('lists only the reviews not yet gone to the Panel, with no id, instant or child', async () => {
      const open = await openedCase(service, store, { status: 'collating' });
      const gone = await Promise.all(
        (['submitted-to-panel', 'completed', 'failed', 'closed', 'withdrawn'] as const).map((status) =>
          openedCase(service, store, { status }),
        ),
      );

      const html = unescaped((await visit('/your-cases', as('rrg-member'))).body);

      expect(html).toContain(open.reference);
      for (const each of gone) expect(html).not.toContain(each.reference);
      expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      expect(html).not.toContain('Demo Child One');
      expect(html).not.toContain('user-');
    });

    it('is not for the partnership team, the notifier or the scrutineer', async () => {
      for (const role of ['partnership-team', 'notifier', 'scrutineer'] as const) {
        expect((await visit('/your-cases', as(role))).statusCode, role).toBe(403);
      }
    });
  });

  describe('the scrutineer’s one review, GET /scrutiny/{caseId} (their list is on the report, test/unit/web/insight.test.ts)', () => {
    it('opens one review read only: facts, counts and yes or no, no reasons and no child', async () => {
      const decided = await openedCase(service, store, { status: 'decided', changes: { decision } });

      const result = await visit(`/scrutiny/${decided.caseId}`, as('scrutineer'));

      expect(result.statusCode).toBe(200);
      const html = unescaped(result.body);
      expect(html).toContain(`Rapid Review ${decided.reference}`);
      expect(html).toMatch(
        /Local review commissioned\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*No/,
      );
      expect(html).toContain('4 agencies asked; 0 returned');
      expect(html).toContain('Decision recorded');
      expect(html).not.toContain('Invented reason');
      expect(html).not.toContain('Demo Child One');
      expect(html).not.toContain('Chair Person');
      expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      // No form but the header's sign-out.
      expect(html.match(/<form method="post"/g)).toHaveLength(1);
      expect(html).toMatch(/<form method="post" action="\/sign-out"/);
    });

    it('answers 404 for an unknown or malformed case, and 403 to anyone but the scrutineer', async () => {
      expect(
        (await visit('/scrutiny/0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de', as('scrutineer'))).statusCode,
      ).toBe(404);
      expect((await visit('/scrutiny/not-a-case', as('scrutineer'))).statusCode).toBe(404);
      expect(
        (await visit(`/scrutiny/${'0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de'}`, as('rrg-member'))).statusCode,
      ).toBe(403);
    });

    it('says late once the review’s due date has passed without it going, and not due before', () => {
      const record = (status: CaseRecord['status']) =>
        ({
          status,
          timetable: { milestones: [{ key: 'submitToPanel', dueAt: '2026-03-24T17:00:00.000Z' }] },
        }) as unknown as CaseRecord;

      expect(onTimeOf(record('awaiting-decision'), new Date('2026-03-24T16:59:00Z')).text).toBe(
        'Not due yet',
      );
      expect(onTimeOf(record('awaiting-decision'), new Date('2026-03-24T17:00:00Z')).text).toBe('Late');
      expect(onTimeOf(record('withdrawn'), new Date('2026-03-30T17:00:00Z')).text).toBe(
        'Does not apply: withdrawn',
      );
      expect(onTimeOf(record('submitted-to-panel'), new Date('2026-03-30T17:00:00Z')).text).toBe('On time');
    });
  });

  describe('the notifier’s notifications, GET /your-notifications', () => {
    const notifier = (email?: string) => ({ ...as('notifier', email), id: 'user-notifier-demo' });

    it('lists the notifications they sent, or that name their email, newest first, and no one else’s', async () => {
      const sent = await openedCase(service, store, { status: 'awaiting-summaries' });
      const namesThem = await openedCase(service, store, {
        sentBy: 'user-partnership-team-demo',
        receivedAt: '2026-03-05T10:00:00.000Z',
        notification: {
          notifier: {
            name: 'Notifier Person (demo)',
            role: 'Head of Service (demo)',
            email: 'Nina@Example.org',
          },
        },
      });
      const someoneElses = await openedCase(service, store, { sentBy: 'user-other-notifier-demo' });

      const html = unescaped((await visit('/your-notifications', notifier('nina@example.org'))).body);

      expect(html).toContain(`href="/your-notifications/${sent.caseId}"`);
      expect(html).toContain(`href="/your-notifications/${namesThem.caseId}"`);
      expect(html.indexOf(namesThem.reference)).toBeLessThan(html.indexOf(sent.reference));
      expect(html).not.toContain(someoneElses.caseId);
      expect(html).toContain('10am on Wednesday 4 March 2026');
      expect(html).toContain(`href="/cases/${sent.caseId}/panel-notification">Upload it (PDF)`);
    });

    it('shows what they sent, as check your answers did, without Change links', async () => {
      const sent = await openedCase(service, store, { status: 'awaiting-summaries' });

      const result = await visit(`/your-notifications/${sent.caseId}`, notifier());

      expect(result.statusCode).toBe(200);
      const html = unescaped(result.body);
      expect(html).toContain('Your notification');
      expect(html).toContain('You sent it at 10am on Wednesday 4 March 2026.');
      expect(html).toContain('Demo Child One');
      expect(html).toContain('Family home, Exampletown (invented)');
      expect(html).toContain('Spoc Police (demo)');
      expect(html).not.toContain('>Change<');
      expect(html).not.toContain('/notify/');
      expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    });

    it('shows the latest version once the team has changed it, and says so', async () => {
      const sent = await openedCase(service, store, { status: 'awaiting-summaries' });
      const corrected = {
        ...sent.notification,
        incident: { ...sent.notification.incident, location: 'A park (invented)' },
      };
      await service.documents.put(
        `cases/${sent.caseId}/notification-v2-abcdef12.json`,
        JSON.stringify(corrected),
        'application/json',
      );
      const current = store.caseOf(sent.caseId) as CaseRecord;
      await store.updateCase(
        current,
        {
          notificationDocumentKey: `cases/${sent.caseId}/notification-v2-abcdef12.json`,
          notificationVersions: [
            {
              version: 2,
              documentKey: `cases/${sent.caseId}/notification-v2-abcdef12.json`,
              changedAt: '2026-03-10T10:00:00.000Z',
              changedBy: 'user-partnership-team-demo',
              reason: 'Invented correction (demo)',
              fields: ['incident.location'],
            },
          ],
        },
        {
          actor: { kind: 'system', id: 'test' },
          at: '2026-03-10T10:00:00.000Z',
          action: 'notification.changed',
          reason: 'r',
        },
      );

      const html = unescaped((await visit(`/your-notifications/${sent.caseId}`, notifier())).body);

      expect(html).toContain('The partnership team changed some of its details on Tuesday 10 March 2026.');
      expect(html).toContain('A park (invented)');
      expect(html).not.toContain('Family home');
    });

    it('says so when the notification cannot be read, rather than fail', async () => {
      const sent = await openedCase(service, store, { status: 'awaiting-summaries' });
      await store.updateCase(
        store.caseOf(sent.caseId) as CaseRecord,
        { notificationDocumentKey: `cases/${sent.caseId}/missing.json` },
        { actor: { kind: 'system', id: 'test' }, at: '2026-03-10T10:00:00.000Z', action: 'x', reason: 'r' },
      );

      const result = await visit(`/your-notifications/${sent.caseId}`, notifier());

      expect(result.statusCode).toBe(200);
      expect(unescaped(result.body)).toContain('The notification cannot be shown just now.');
    });

    it('answers 404 for another notifier’s notification, and 403 to anyone but a notifier', async () => {
      const someoneElses = await openedCase(service, store, { sentBy: 'user-other-notifier-demo' });

      expect(
        (await visit(`/your-notifications/${someoneElses.caseId}`, notifier('nobody@example.org')))
          .statusCode,
      ).toBe(404);
      expect(
        (await visit(`/your-notifications/${someoneElses.caseId}`, as('partnership-team'))).statusCode,
      ).toBe(403);
    });
  });
});
