import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { notifyPagesWith } from '../../../functions/web/pages/notify.ts';
import type { WebApp } from '../../../functions/web/router.ts';
import type { SessionUser } from '../../../functions/web/session.ts';
import { InMemoryDraftStore } from '../../support/in-memory-draft-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/** The notify pages over an in-memory draft store (issue 10 part 1: address, NHS number, household). */
function notifyApp() {
  const drafts = new InMemoryDraftStore();
  const s3Client = testS3Client();
  mockClient(s3Client).on(PutObjectCommand).resolves({});
  const service = testService({
    store: new InMemoryCaseStore(),
    clock: new SettableClock('2026-03-04T10:00:00Z'),
    s3: s3Client,
    drafts,
  });
  return { app: testWebApp(notifyPagesWith({ newDraftId: () => 'draft-1' }), { service }), drafts };
}

function browserOf(app: WebApp, user: SessionUser) {
  const { cookies, csrfToken } = signedIn(user);
  return {
    get: (path: string, query = '') => app(webEvent({ path, query, cookies })),
    post: (path: string, form: Record<string, string>) =>
      app(webEvent({ method: 'POST', path, cookies, form, csrfToken })),
  };
}

const body = (result: APIGatewayProxyStructuredResultV2) =>
  String(result.body ?? '').replaceAll('&#39;', "'");
const location = (result: APIGatewayProxyStructuredResultV2) => String(result.headers?.location ?? '');
const errorLinks = (html: string) =>
  [
    ...(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '').matchAll(
      /<a href="([^"]+)">([^<]+)<\/a>/g,
    ),
  ].map((match) => [match[2]?.trim(), match[1]]);

/** Invented: an invented child; 943 476 5919 is the NHS's published example number. */
const validChild = {
  name: 'Demo Child One',
  'dateOfBirth-day': '14',
  'dateOfBirth-month': '5',
  'dateOfBirth-year': '2019',
  ageYears: '',
  sex: 'not-known',
  ethnicity: 'not-known',
  disability: 'not-known',
  lookedAfterStatus: 'never',
  childProtectionPlan: 'never',
  childInNeed: 'never',
};

describe("notify: the child's address, NHS number and household", () => {
  let world: ReturnType<typeof notifyApp>;
  const notifier = testUser('notifier');

  beforeEach(() => {
    world = notifyApp();
  });

  it('asks each child’s address and NHS number, both optional, and keeps them', async () => {
    const browser = browserOf(world.app, notifier);

    const page = await browser.get('/notify/children/new');
    const without = await browser.post('/notify/children/new', validChild);
    const withThem = await browser.post('/notify/children/new', {
      ...validChild,
      name: 'Demo Child Two',
      address: '1 Example Street\nExampletown',
      nhsNumber: '943 476 5919',
    });

    expect(body(page)).toContain('name="address"');
    expect(body(page)).toContain('name="nhsNumber"');
    expect(location(without)).toBe('/notify/children');
    expect(location(withThem)).toBe('/notify/children');
    const children = (await world.drafts.getDraft(notifier.id))?.notification.children ?? [];
    expect(children[0]?.nhsNumber).toBeUndefined();
    expect(children[1]).toMatchObject({ address: '1 Example Street\nExampletown', nhsNumber: '9434765919' });
    expect(body(await browser.get('/notify/children/2'))).toContain('value="943 476 5919"');
  });

  it('names an NHS number that fails its check digit', async () => {
    const result = await browserOf(world.app, notifier).post('/notify/children/new', {
      ...validChild,
      nhsNumber: '943 476 5918',
    });

    expect(result.statusCode).toBe(400);
    expect(errorLinks(body(result))).toEqual([
      ['Enter a real NHS number: this one fails its check digit', '#nhsNumber'],
    ]);
  });

  it('goes on from the children to the household, which may be left empty', async () => {
    const browser = browserOf(world.app, notifier);
    await browser.post('/notify/children/new', validChild);

    const onwards = await browser.post('/notify/children', { addAnother: 'no' });
    const page = await browser.get('/notify/household');
    const empty = await browser.post('/notify/household', {});

    expect(location(onwards)).toBe('/notify/household');
    expect(page.statusCode).toBe(200);
    expect(body(page)).toContain('name="member-1-name"');
    expect(location(empty)).toBe('/notify/agencies');
    expect((await world.drafts.getDraft(notifier.id))?.notification).not.toHaveProperty('householdMembers');
  });

  it('keeps the household members given, names a half-given row, and shows them on check your answers', async () => {
    const browser = browserOf(world.app, notifier);
    await browser.post('/notify/children/new', { ...validChild, nhsNumber: '9434765919' });

    const refused = await browser.post('/notify/household', { 'member-2-name': 'Invented Lodger' });
    const saved = await browser.post('/notify/household', {
      'member-1-name': 'Invented Parent',
      'member-1-relationship': 'Mother',
      'member-3-name': 'Invented Sibling',
      'member-3-relationship': 'Older brother',
    });
    const check = await browser.get('/notify/check-answers');

    expect(refused.statusCode).toBe(400);
    expect(errorLinks(body(refused))).toEqual([
      ['Enter how household member 2 is related to the child', '#member-2-relationship'],
    ]);
    expect(location(saved)).toBe('/notify/agencies');
    expect((await world.drafts.getDraft(notifier.id))?.notification.householdMembers).toEqual([
      { name: 'Invented Parent', relationship: 'Mother' },
      { name: 'Invented Sibling', relationship: 'Older brother' },
    ]);
    const html = body(check);
    expect(html).toContain('Invented Parent (Mother)');
    expect(html).toContain('NHS number: 943 476 5919');
    expect(html).toContain('href="/notify/household?change=yes"');
  });
});
