import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { InMemoryDraftStore } from '../../support/in-memory-draft-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/** A page's HTML with the apostrophes Nunjucks escapes put back. */
const unescaped = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&#x27;', "'");
/** The error summary's links: [href, message]. */
const summaryLinks = (body: unknown) =>
  [...unescaped(body).matchAll(/<a href="(#[A-Za-z-]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]]);
const location = (result: { headers?: Record<string, unknown> }) => String(result.headers?.location ?? '');

const housing = {
  name: 'Housing (demo)',
  contactName: 'Harriet Housing (demo)',
  contactEmail: 'housing.spoc@example.org',
  leadName: 'Lee Housing Lead (demo)',
  leadEmail: 'housing.lead@example.org',
};

describe('the partnership directory’s pages, /directory', () => {
  let store: InMemoryCaseStore;
  let app: ReturnType<typeof testWebApp>;

  beforeEach(() => {
    store = new InMemoryCaseStore();
    const s3 = testS3Client();
    mockClient(s3).on(PutObjectCommand).resolves({});
    const sfn = new SFNClient({ region: 'eu-west-2' });
    mockClient(sfn)
      .on(StartExecutionCommand)
      .resolves({ executionArn: 'arn:execution', startDate: new Date() });
    const base = testService({
      store,
      clock: new SettableClock('2026-03-04T10:00:00Z'),
      s3,
      sfn,
      drafts: new InMemoryDraftStore(),
    });
    // The profile names one agency's strategic lead, by name (the older form).
    const profile = {
      ...base.profile,
      agencyStrategicLeads: {
        Police: { name: 'Police Strategic Lead (test)', email: 'police-lead@example.org' },
      },
    };
    const service = new Proxy(base, {
      get: (target, port) => (port === 'profile' ? profile : Reflect.get(target, port)),
    });
    app = testWebApp(pages, { service });
  });

  const browser = (role: Parameters<typeof testUser>[0] = 'partnership-team') => {
    const { cookies, csrfToken } = signedIn(testUser(role));
    return {
      get: (path: string, query = '') => app(webEvent({ path, query, cookies })),
      post: (path: string, form: Record<string, string | string[]>) =>
        app(webEvent({ path, cookies, csrfToken, form })),
    };
  };

  it('is the partnership team’s alone', async () => {
    expect((await browser('notifier').get('/directory')).statusCode).toBe(403);
    expect((await browser('rrg-member').get('/directory/add')).statusCode).toBe(403);
  });

  it('lists the profile’s agencies with their leads until the team keeps it, saying to add their contacts', async () => {
    const page = await browser().get('/directory');

    expect(page.statusCode).toBe(200);
    const html = unescaped(page.body);
    expect(html).toContain('<h1 class="govuk-heading-l">Partnership directory</h1>');
    expect(html).toContain('Add each one’s contact so that notifiers can pick it.');
    expect(html).toContain('Police');
    expect(html).toContain('Police Strategic Lead (test) (police-lead@example.org)');
    expect(html).toContain('href="/directory/police/change"');
  });

  it('names each missing or wrong answer, in the order of the page', async () => {
    const refused = await browser().post('/directory/add/check', {
      name: '',
      contactName: '',
      contactEmail: 'nowhere',
      leadName: '',
      leadEmail: 'lead@example.org',
    });

    expect(refused.statusCode).toBe(400);
    expect(summaryLinks(refused.body)).toEqual([
      ['#name', 'Enter the agency’s name'],
      ['#contactName', 'Enter the contact’s name'],
      ['#contactEmail', 'Enter the contact’s email address in the correct format, like name@example.org'],
      ['#leadName', 'Enter the strategic lead’s name'],
    ]);
    expect(unescaped(refused.body)).toContain('value="lead@example.org"');
  });

  it('adds an agency through check your answers, then shows it with a success banner', async () => {
    const team = browser();

    const check = await team.post('/directory/add/check', housing);
    expect(check.statusCode).toBe(200);
    const html = unescaped(check.body);
    expect(html).toContain('Check the agency before you add it');
    expect(html).toContain('formaction="/directory/add#contactEmail"');
    expect(await store.getDirectory()).toEqual({ kept: false, entries: [] });

    const confirmed = await team.post('/directory/add/confirm', housing);
    expect(confirmed.statusCode).toBe(303);
    expect(location(confirmed)).toBe('/directory?added=housing-demo');
    const list = unescaped((await team.get('/directory', 'added=housing-demo')).body);
    expect(list).toContain('Housing (demo) is added to the directory');
    expect(list).toContain('Harriet Housing (demo) (housing.spoc@example.org)');
    // The profile's agency was kept beside it.
    expect((await store.getDirectory()).entries.map((entry) => entry.agencyId).sort()).toEqual([
      'housing-demo',
      'police',
    ]);
  });

  it('changes an agency, its answers filled in, and refuses a change made on an older reading', async () => {
    const team = browser();
    await team.post('/directory/add/confirm', housing);

    const question = unescaped((await team.get('/directory/housing-demo/change')).body);
    expect(question).toContain('value="Harriet Housing (demo)"');
    expect(question).toContain('name="version" value="1"');

    const changed = await team.post('/directory/housing-demo/change/confirm', {
      ...housing,
      contactName: 'Hana Housing (demo)',
      version: '1',
    });
    expect(location(changed)).toBe('/directory?changed=housing-demo');
    expect((await store.getDirectoryEntry('housing-demo'))?.contact?.name).toBe('Hana Housing (demo)');

    const stale = await team.post('/directory/housing-demo/change/confirm', { ...housing, version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(unescaped(stale.body)).toContain('Someone changed this agency while you were working on it.');
  });

  it('checks before removing an agency, then removes it', async () => {
    const team = browser();

    const check = unescaped((await team.get('/directory/police/remove')).body);
    expect(check).toContain('Remove Police from the directory');
    const removed = await team.post('/directory/police/remove/confirm', { version: '1' });

    expect(location(removed)).toBe('/directory?removed=1');
    expect(await store.getDirectory()).toEqual({ kept: true, entries: [] });
    expect((await team.get('/directory/police/change')).statusCode).toBe(404);
  });

  describe('the notify pages pick from it', () => {
    it('offer the directory’s agencies with a contact as checkboxes, the contact in the hint, and one not listed', async () => {
      const team = browser();
      await team.post('/directory/add/confirm', housing);
      const notifier = browser('notifier');

      const start = await notifier.get('/notify/agencies');
      expect(location(start)).toBe('/notify/agencies/directory');
      const html = unescaped((await notifier.get('/notify/agencies/directory')).body);
      expect(html).toContain('Which agencies should be asked for a summary?');
      expect(html).toContain('value="housing-demo"');
      expect(html).toContain('Contact: Harriet Housing (demo), housing.spoc@example.org');
      expect(html).toContain('Add an agency that is not listed');
      // Police has no contact yet: not offered.
      expect(html).not.toContain('value="police"');
    });

    it('keep the picked agency with its directory id, and send a notifier on to add one by hand', async () => {
      await browser().post('/directory/add/confirm', housing);
      const notifier = browser('notifier');

      const none = await notifier.post('/notify/agencies/directory', {});
      expect(summaryLinks(none.body)).toEqual([
        ['#agencies', 'Select the agencies to ask for a summary, or select that an agency is not listed'],
      ]);
      const picked = await notifier.post('/notify/agencies/directory', {
        agencies: ['housing-demo', 'not-listed'],
      });
      expect(location(picked)).toBe('/notify/agencies/new');
      await notifier.post('/notify/agencies/new', {
        name: 'Youth Club (demo)',
        spocName: 'Yan Youth (demo)',
        spocEmail: 'youth@example.org',
      });
      const list = unescaped((await notifier.get('/notify/agencies')).body);
      expect(list).toContain('You have added 2 agencies');
      expect(list).toContain('Harriet Housing (demo), housing.spoc@example.org');
      // Picking again keeps the one added by hand and ticks the one picked.
      const again = unescaped((await notifier.get('/notify/agencies/directory')).body);
      expect(again).toMatch(/value="housing-demo" checked/);
      expect(again).toContain('You have also added by hand: Youth Club (demo).');
    });
  });
});
