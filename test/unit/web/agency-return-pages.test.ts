import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { agencyPages } from '../../../functions/agency-web/pages.ts';
import { agencyReturnPages, dateFromParts } from '../../../functions/agency-web/return-pages.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { mintAgencyToken } from '../../../shared/agency-links.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { Service } from '../../../shared/service.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import { sessionlessWebApp, webEvent } from './support/web-fixtures.ts';

/** The visible text of an HTML page: no tags, whitespace collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/\s+/g, ' ');
}

describe('the structured return pages (/agency/{token}/return…)', () => {
  let store: InMemoryCaseStore;
  let clock: SettableClock;
  let mailer: RecordingMailer;
  let service: Service;
  let caseId: string;
  let token: string;
  let base: string;

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    clock = new SettableClock('2026-03-09T11:00:00Z');
    mailer = new RecordingMailer();
    caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(record, agencies, {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Opened for the test',
    });
    const minted = mintAgencyToken();
    token = minted.token;
    base = `/agency/${token}/return`;
    await store.putAgencyLinks([
      { tokenHash: minted.tokenHash, caseId, agencyId: 'police', expiresAt: '2026-03-18T09:00:00.000Z' },
    ]);
    service = testService({ store, clock, s3: testS3Client(), mailer });
  });

  const app = () => sessionlessWebApp([...agencyPages, ...agencyReturnPages], service);
  const get = (path: string, query?: string) => app()(webEvent({ path, ...(query ? { query } : {}) }));
  const post = (path: string, form: Record<string, string | string[]>, query?: string) =>
    app()(webEvent({ path, form, ...(query ? { query } : {}) }));
  const police = async () =>
    (await store.getCaseFile(caseId)).agencies.find((agency) => agency.agencyId === 'police')!;

  async function answerInvolvement() {
    expect((await post(base, { kind: 'involvement' })).headers?.location).toBe(`${base}/period`);
    const period = await post(`${base}/period`, {
      'involved-from-day': '1',
      'involved-from-month': '9',
      'involved-from-year': '2025',
      stillInvolved: 'yes',
    });
    expect(period.headers?.location).toBe(`${base}/roles`);
    expect(
      (await post(`${base}/roles`, { rolesInvolved: 'Response officer (test)' })).headers?.location,
    ).toBe(`${base}/summary`);
    expect((await post(`${base}/summary`, { summary: 'Two call-outs (test).' })).headers?.location).toBe(
      `${base}/episodes`,
    );
    expect((await get(`${base}/episodes`)).headers?.location).toBe(`${base}/episodes/1`);
    const episode = (n: number, day: string) =>
      post(`${base}/episodes/${n}`, {
        'date-day': day,
        'date-month': '10',
        'date-year': '2025',
        whatHappened: `Call-out ${n} (test).`,
        decidedAndWhy: `No further action ${n} (test).`,
      });
    expect((await episode(1, '2')).headers?.location).toBe(`${base}/episodes`);
    const list = await get(`${base}/episodes`);
    expect(visibleText(String(list.body))).toContain('You have added 1 key practice episode');
    expect(String(list.body)).toContain(`href="${base}/episodes/2"`);
    await episode(2, '20');
    expect(
      (await post(`${base}/actions`, { immediateActions: 'Referrals reviewed (test).' })).headers?.location,
    ).toBe(`${base}/learning`);
    await post(`${base}/learning`, { earlyLearning: 'Voice of the child (test).' });
    expect((await post(`${base}/characteristics`, { protectedCharacteristics: '' })).headers?.location).toBe(
      `${base}/check`,
    );
  }

  it('takes "no involvement" with a confirmation, as the agency’s return, and shows its receipt', async () => {
    const start = await get(base);
    expect(start.statusCode).toBe(200);
    expect(visibleText(String(start.body))).toContain('We have had no involvement with this child or family');

    const unanswered = await post(base, {});
    expect(unanswered.statusCode).toBe(400);
    expect(visibleText(String(unanswered.body))).toContain('Select whether your agency has had involvement');

    expect((await post(base, { kind: 'no-involvement' })).headers?.location).toBe(`${base}/no-involvement`);
    const unconfirmed = await post(`${base}/no-involvement`, {});
    expect(unconfirmed.statusCode).toBe(400);
    expect((await police()).returns).toBeUndefined();

    const confirmed = await post(`${base}/no-involvement`, { confirmed: 'yes' });
    expect(confirmed.headers?.location).toBe(`${base}/received`);
    expect(await police()).toMatchObject({ status: 'received', late: false });
    expect((await police()).returns?.[0]?.answers).toEqual({ kind: 'no-involvement', confirmed: true });
    expect(mailer.sent).toHaveLength(1);

    const receipt = visibleText(String((await get(`${base}/received`)).body));
    expect(receipt).toContain('Return received');
    expect(receipt).toContain('Version 1');
    expect(receipt).toContain('at 11am on Monday 9 March 2026');
    expect(receipt).toMatch(/You can correct this return until .+ March 2026/);
    expect(receipt).toContain('We have had no involvement with this child or family');
    expect(receipt).not.toContain('Demo Child One');

    const agencyPage = visibleText(String((await get(`/agency/${token}`)).body));
    expect(agencyPage).toContain('You sent your return at 11am on Monday 9 March 2026 (version 1)');
    expect(agencyPage).toContain('Correct your return');
  });

  it('walks the involvement questions to check your answers, sends it, then takes a correction as version 2', async () => {
    await answerInvolvement();

    const check = await get(`${base}/check`);
    const text = visibleText(String(check.body));
    expect(text).toContain('Check your answers before sending your return');
    expect(text).toContain('From 1 September 2025 (still involved)');
    expect(text).toContain('1. 2 October 2025: Call-out 1 (test).');
    expect(text).toContain('2. 20 October 2025: Call-out 2 (test).');
    expect(text).toContain('Protected characteristics None given');
    expect(String(check.body)).toContain(`href="${base}/summary?change=yes"`);

    expect((await post(`${base}/check`, {})).headers?.location).toBe(`${base}/received`);
    const first = (await police()).returns?.[0];
    expect(first?.answers).toMatchObject({
      kind: 'involvement',
      involvedFrom: '2025-09-01',
      episodes: [{}, {}],
    });
    expect(first?.answers).not.toHaveProperty('involvedTo');
    expect(first?.answers).not.toHaveProperty('protectedCharacteristics');

    // The correction starts from what was sent; a changed answer goes back to the check page.
    const summary = await get(`${base}/summary`, 'change=yes');
    expect(String(summary.body)).toContain('Two call-outs (test).');
    const changed = await post(`${base}/summary`, { summary: 'Three call-outs (test).' }, 'change=yes');
    expect(changed.headers?.location).toBe(`${base}/check`);
    expect(visibleText(String((await get(`${base}/check`)).body))).toContain('This will be version 2');
    await post(`${base}/check`, {});

    const versions = (await police()).returns ?? [];
    expect(versions.map((entry) => entry.version)).toEqual([1, 2]);
    expect(versions[0]?.answers).toMatchObject({ summary: 'Two call-outs (test).' });
    expect(versions[1]?.answers).toMatchObject({ summary: 'Three call-outs (test).' });
    const receipt = visibleText(String((await get(`${base}/received`)).body));
    expect(receipt).toContain('Version 2');
    expect(mailer.sent).toHaveLength(2);
  });

  it('removes a key practice episode from the list', async () => {
    await answerInvolvement();

    const removed = await post(`${base}/episodes/1/remove`, {});

    expect(removed.headers?.location).toBe(`${base}/episodes`);
    const list = visibleText(String((await get(`${base}/episodes`)).body));
    expect(list).toContain('You have added 1 key practice episode');
    expect(list).toContain('Call-out 2 (test).');
    expect(list).not.toContain('Call-out 1 (test).');
  });

  it('keeps the answers between visits as a draft', async () => {
    await post(base, { kind: 'involvement' });
    await post(`${base}/roles`, { rolesInvolved: 'Health visitor (test)' });

    const again = await get(`${base}/roles`);

    expect(String(again.body)).toContain('Health visitor (test)');
    expect((await get(base)).body).toMatch(/value="involvement" checked/);
  });

  it('shows the agency’s own words on the check page as text, never as markup', async () => {
    await post(base, { kind: 'involvement' });
    await post(`${base}/roles`, { rolesInvolved: '<b>Health visitor</b> (test)' });

    const body = String((await get(`${base}/check`)).body);

    expect(body).toContain('&lt;b&gt;Health visitor&lt;/b&gt; (test)');
    expect(body).not.toContain('<b>Health visitor</b>');
  });

  it('names each problem on a question page, in its own words', async () => {
    const period = await post(`${base}/period`, {
      'involved-from-day': '31',
      'involved-from-month': '2',
      'involved-from-year': '2025',
    });
    expect(period.statusCode).toBe(400);
    const periodText = visibleText(String(period.body));
    expect(periodText).toContain('The date your involvement started must be a real date');
    expect(periodText).toContain(
      'Enter the date your involvement ended, or select that your agency is still involved',
    );

    const roles = await post(`${base}/roles`, { rolesInvolved: '  ' });
    expect(roles.statusCode).toBe(400);
    expect(visibleText(String(roles.body))).toContain('Enter the roles of the people involved');

    const episode = await post(`${base}/episodes/1`, { 'date-day': '2', 'date-month': '10' });
    expect(episode.statusCode).toBe(400);
    const episodeText = visibleText(String(episode.body));
    expect(episodeText).toContain('The date of the episode must include a day, month and year');
    expect(episodeText).toContain('Enter what happened');
    expect(episodeText).toContain('Enter what was decided and why');
  });

  it('refuses an incomplete return on the check page, linking each gap to its question', async () => {
    await post(base, { kind: 'involvement' });
    await post(`${base}/roles`, { rolesInvolved: 'Response officer (test)' });

    const refused = await post(`${base}/check`, {});

    expect(refused.statusCode).toBe(400);
    const body = String(refused.body);
    expect(visibleText(body)).toContain('Add at least one key practice episode');
    expect(body).toContain(`href="${base}/period"`);
    expect((await police()).returns).toBeUndefined();
  });

  it('shows the closed page once collation has started, and a dead link as not valid', async () => {
    store.overwriteCase({ ...(await store.getCase(caseId))!, status: 'collating' });

    const closed = await post(base, { kind: 'no-involvement' });
    const unknown = await get(`/agency/${mintAgencyToken().token}/return`);

    expect(closed.statusCode).toBe(409);
    expect(visibleText(String(closed.body))).toContain('Returns for this review have closed');
    expect(unknown.statusCode).toBe(404);
  });

  it('reads the GOV.UK date input’s three fields', () => {
    expect(dateFromParts({ day: '2', month: '10', year: '2025' }, 'The date')).toEqual({
      date: '2025-10-02',
    });
    expect(dateFromParts({ day: '', month: '', year: '' }, 'The date')).toEqual({ empty: true });
    expect(dateFromParts({ day: '29', month: '2', year: '2025' }, 'The date')).toEqual({
      error: 'The date must be a real date',
    });
  });
});
