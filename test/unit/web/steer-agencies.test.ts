import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { CaseChanges } from '../../../shared/stores/case-store.ts';
import { showAgencyRequest } from '../../../shared/use-cases/agency-request.ts';
import { requestAgencySummaries } from '../../../shared/use-cases/request-agency-summaries.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

const workflow = { kind: 'system', id: 'rapid-review-workflow' } as const;

/** A page's HTML with the apostrophes Nunjucks escapes put back. */
const unescaped = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&#x27;', "'");

/** The error summary's links: [href, message]. */
const summaryLinks = (body: unknown) =>
  [...unescaped(body).matchAll(/<a href="(#[A-Za-z-]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]]);

const reason = 'Invented: the family had a housing officer (demo).';
const housing = {
  name: 'Housing (demo)',
  spocName: 'Spoc Housing (demo)',
  spocEmail: 'spoc.housing@example.org',
  reason,
};

/** The token in the last link emailed to `address`. */
function lastLinkTo(mailer: RecordingMailer, address: string): string {
  const messages = mailer.to(address);
  const match = /\/agency\/([A-Za-z0-9_-]{43})/.exec(messages.at(-1)?.text ?? '');
  if (!match) throw new Error(`No link emailed to ${address}`);
  return match[1] as string;
}

describe('the team’s controls on the agencies and the withdrawal, as pages', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let clock: SettableClock;
  let app: ReturnType<typeof testWebApp>;
  let service: ReturnType<typeof testService>;
  const team = () => signedIn(testUser('partnership-team'));

  /** A case received on Thursday 10 December 2026 whose agencies were asked on Day 1, changed by `changes`. */
  async function aCase(changes: CaseChanges = {}): Promise<string> {
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-12-10T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(record, agencies, {
      actor: workflow,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    await requestAgencySummaries(service, { caseId });
    if (Object.keys(changes).length > 0) {
      await store.updateCase(store.caseOf(caseId)!, changes, {
        actor: workflow,
        at: '2026-12-11T09:00:00.000Z',
        action: 'status.changed',
        reason: 'Invented (test)',
      });
    }
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    clock = new SettableClock('2026-12-11T10:00:00Z');
    service = testService({ store, clock, s3: testS3Client(), mailer });
    app = testWebApp(pages, { service });
  });

  const get = (path: string, browser = team()) => app(webEvent({ path, cookies: browser.cookies }));
  const post = (path: string, form: Record<string, string>, browser = team()) =>
    app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));

  describe('add an agency, /cases/{caseId}/add-agency', () => {
    it('asks the agency, its contact and the reason; names each missing answer', async () => {
      const caseId = await aCase();

      const question = await get(`/cases/${caseId}/add-agency`);
      const refused = await post(`/cases/${caseId}/add-agency/check`, { spocEmail: 'not an email' });

      expect(question.statusCode).toBe(200);
      const html = unescaped(question.body);
      for (const name of ['name', 'spocName', 'spocEmail', 'reason'])
        expect(html).toContain(`name="${name}"`);
      expect(html).toContain(`action="/cases/${caseId}/add-agency/check"`);
      expect(refused.statusCode).toBe(400);
      expect(summaryLinks(refused.body).map(([href]) => href)).toEqual([
        '#name',
        '#spocName',
        '#spocEmail',
        '#reason',
      ]);
      expect(summaryLinks(refused.body)[0]?.[1]).toBe('Enter the agency’s name');
    });

    it('checks the answers with Change links, then adds the agency, asks it at once, and confirms', async () => {
      const caseId = await aCase();

      const check = await post(`/cases/${caseId}/add-agency/check`, housing);
      const html = unescaped(check.body);
      const requestKey = /name="requestKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const confirmed = await post(`/cases/${caseId}/add-agency/confirm`, { ...housing, requestKey });
      const location = String(confirmed.headers?.location);
      const confirmation = await get(location);

      expect(check.statusCode).toBe(200);
      expect(html).toContain(`formaction="/cases/${caseId}/add-agency#spocEmail"`);
      expect(html).toContain(`action="/cases/${caseId}/add-agency/confirm"`);
      expect(confirmed.statusCode).toBe(303);
      expect(location).toBe(`/cases/${caseId}/add-agency/housing-demo/confirmation`);
      expect(confirmation.statusCode).toBe(200);
      expect(unescaped(confirmation.body)).toContain('Housing (demo) is added to the review.');
      expect(mailer.to('spoc.housing@example.org')).toHaveLength(1);
      expect(store.auditOf(caseId).find((event) => event.action === 'agency.added')?.reason).toContain(
        reason,
      );
    });

    it('offers the directory’s agencies not yet on the case; picking one fills in its name and contact', async () => {
      const caseId = await aCase();
      const at = '2026-12-01T09:00:00.000Z';
      await store.startDirectory([
        {
          agencyId: 'police',
          name: 'Police',
          contact: { name: 'Spoc Police (demo)', email: 'spoc.police@example.org' },
          version: 1,
          updatedAt: at,
        },
        {
          agencyId: 'housing-demo',
          name: 'Housing (demo)',
          contact: { name: 'Spoc Housing (directory demo)', email: 'spoc.housing@example.org' },
          version: 1,
          updatedAt: at,
        },
        { agencyId: 'youth-justice-demo', name: 'Youth justice (demo)', version: 1, updatedAt: at },
      ]);

      const question = unescaped((await get(`/cases/${caseId}/add-agency`)).body);
      const pick = (from: string) =>
        app(
          webEvent({ path: `/cases/${caseId}/add-agency`, query: `from=${from}`, cookies: team().cookies }),
        );
      const picked = unescaped((await pick('housing-demo')).body);
      const unknown = unescaped((await pick('nowhere')).body);

      const offered = [...question.matchAll(/href="\/cases\/[^/]+\/add-agency\?from=([^"]+)"/g)].map(
        (match) => match[1],
      );
      // Police is on the case already; the others are offered, by name.
      expect(offered).toEqual(['housing-demo', 'youth-justice-demo']);
      expect(question).toContain('Pick an agency from the partnership directory');
      expect(question).not.toContain('value="Housing (demo)"');
      expect(picked).toMatch(/<input[^>]*id="name"[^>]*value="Housing \(demo\)"/);
      expect(picked).toContain('value="Spoc Housing (directory demo)"');
      expect(picked).toContain('value="spoc.housing@example.org"');
      expect(picked).toContain('Filled in below');
      expect(unknown).not.toContain('value="Housing (demo)"');
    });

    it('refuses in words once the summaries are collated', async () => {
      const caseId = await aCase({ status: 'collating' });

      const result = await get(`/cases/${caseId}/add-agency`);

      expect(result.statusCode).toBe(409);
      expect(unescaped(result.body)).toContain('You cannot add an agency to this review');
      expect(unescaped(result.body)).toContain('have been collated');
    });
  });

  describe('replace a contact, resend a link, remove an agency', () => {
    it('replaces the contact: the old link stops at once, the new contact is sent a new one', async () => {
      const caseId = await aCase();
      const oldToken = lastLinkTo(mailer, 'spoc.police@example.org');
      const answers = { spocName: 'New Spoc (demo)', spocEmail: 'new.spoc@example.org', reason };

      const confirmed = await post(`/cases/${caseId}/agencies/police/contact/confirm`, answers);
      const confirmation = await get(String(confirmed.headers?.location));

      expect(confirmed.headers?.location).toBe(`/cases/${caseId}/agencies/police/contact/confirmation`);
      expect(unescaped(confirmation.body)).toContain('New Spoc (demo) is now the contact for Police');
      await expect(showAgencyRequest(service, { token: oldToken })).rejects.toThrow(/does not work/);
      const newToken = lastLinkTo(mailer, 'new.spoc@example.org');
      expect((await showAgencyRequest(service, { token: newToken })).agency).toBe('Police');
    });

    it('resends the link once, however often the same check page is confirmed', async () => {
      const caseId = await aCase();
      const check = await post(`/cases/${caseId}/agencies/police/resend/check`, { reason });
      const requestKey = /name="requestKey" value="([^"]+)"/.exec(String(check.body))?.[1] ?? '';

      const first = await post(`/cases/${caseId}/agencies/police/resend/confirm`, { reason, requestKey });
      const second = await post(`/cases/${caseId}/agencies/police/resend/confirm`, { reason, requestKey });

      expect([first.statusCode, second.statusCode]).toEqual([303, 303]);
      expect(requestKey).not.toBe('');
      expect(mailer.to('spoc.police@example.org')).toHaveLength(2);
    });

    it('removes the agency with the reason; the case page shows it removed, with no controls on it', async () => {
      const caseId = await aCase();

      const confirmed = await post(`/cases/${caseId}/agencies/police/remove/confirm`, { reason });
      const confirmation = await get(String(confirmed.headers?.location));
      const casePage = unescaped((await get(`/cases/${caseId}`)).body);
      const again = await get(`/cases/${caseId}/agencies/police/remove`);

      expect(unescaped(confirmation.body)).toContain('Police was removed from the review');
      expect(casePage).toMatch(/Police[\s\S]*?govuk-tag--grey">\s*Removed/);
      expect(casePage).toContain(reason);
      expect(casePage).not.toContain(`/cases/${caseId}/agencies/police/resend`);
      expect(again.statusCode).toBe(409);
      expect(unescaped(again.body)).toContain('You cannot remove this agency');
    });

    it('answers not found for an agency not on the case', async () => {
      const caseId = await aCase();
      expect((await get(`/cases/${caseId}/agencies/no-such-agency/remove`)).statusCode).toBe(404);
    });
  });

  describe('withdraw the review, /cases/{caseId}/withdraw', () => {
    it('withdraws it with the reason; the case page and the list show it withdrawn', async () => {
      const caseId = await aCase();

      const check = await post(`/cases/${caseId}/withdraw/check`, { reason });
      const confirmed = await post(`/cases/${caseId}/withdraw/confirm`, { reason });
      const confirmation = await get(String(confirmed.headers?.location));
      const casePage = unescaped((await get(`/cases/${caseId}`)).body);

      expect(unescaped(check.body)).toMatch(/>\s*Withdraw the review\s*<\/button>/);
      expect(confirmed.headers?.location).toBe(`/cases/${caseId}/withdraw/confirmation`);
      expect(unescaped(confirmation.body)).toContain('Review withdrawn');
      expect(casePage).toContain('>Withdrawn<');
      expect(casePage).toContain(reason);
      expect(casePage).not.toContain('Withdraw this review');
      expect(casePage).not.toContain('Add an agency');
      expect(store.caseOf(caseId)?.status).toBe('withdrawn');
      const list = unescaped(
        (await app(webEvent({ path: '/cases', query: 'status=withdrawn', cookies: team().cookies }))).body,
      );
      expect(list).toContain(store.caseOf(caseId)?.reference);
      expect(list).toMatch(/govuk-tag--grey">\s*Withdrawn/);
      // Five pages, the case page reading its documents: slower on a busy machine.
    }, 20_000);

    it('refuses in words once the review has gone to the Panel', async () => {
      const caseId = await aCase({ status: 'submitted-to-panel' });

      const result = await get(`/cases/${caseId}/withdraw`);

      expect(result.statusCode).toBe(409);
      expect(unescaped(result.body)).toContain('You cannot withdraw this review');
    });
  });
});
