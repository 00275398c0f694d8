import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import { VersionedDocumentStore } from '../../support/versioned-document-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

const workflow = { kind: 'system', id: 'rapid-review-workflow' } as const;
const unescaped = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&#x27;', "'");
const summaryLinks = (body: unknown) =>
  [...unescaped(body).matchAll(/<a href="(#[A-Za-z0-9-]+)">([^<]+)<\/a>/g)].map((match) => [
    match[1],
    match[2],
  ]);

/** The question page's answers as its form posts them, from its inputs and text areas. */
function formOf(html: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    if (match[1] !== 'csrfToken') form[match[1] as string] = match[2] as string;
  }
  for (const match of html.matchAll(/<input[^>]*name="([^"]+)"(?![^>]*value=)[^>]*>/g)) {
    form[match[1] as string] ??= '';
  }
  for (const match of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) {
    form[match[1] as string] = (match[2] as string).trim();
  }
  return form;
}

describe('the team corrects the notification, /cases/{caseId}/notification/edit', () => {
  let store: InMemoryCaseStore;
  let documents: VersionedDocumentStore;
  let app: ReturnType<typeof testWebApp>;
  const team = () => signedIn(testUser('partnership-team'));

  async function aCase(
    status: CaseStatus = 'awaiting-summaries',
    notification = sampleNotification(),
  ): Promise<string> {
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification,
      receivedAt: new Date('2026-03-05T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await documents.put(record.notificationDocumentKey, JSON.stringify(notification), 'application/json');
    const created = await store.createCase(record, agencies, {
      actor: workflow,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    await store.updateCase(
      created,
      { status },
      { actor: workflow, at: record.receivedAt, action: 's', reason: 'r' },
    );
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    documents = new VersionedDocumentStore('case-documents-test');
    const service = Object.create(
      testService({ store, clock: new SettableClock('2026-03-10T10:00:00Z'), s3: testS3Client() }),
      { documents: { value: documents } },
    );
    app = testWebApp(pages, { service });
  });

  const get = (path: string, browser = team()) => app(webEvent({ path, cookies: browser.cookies }));
  const post = (path: string, form: Record<string, string>, browser = team()) =>
    app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));

  it('starts from the notification held, with the child’s address, NHS number and the household', async () => {
    const caseId = await aCase();

    const question = await get(`/cases/${caseId}/notification/edit`);

    expect(question.statusCode).toBe(200);
    const html = unescaped(question.body);
    expect(html).toContain('value="Demo Child One"');
    for (const name of ['children-0-address', 'children-0-nhsNumber', 'householdMembers-0-name', 'reason'])
      expect(html).toContain(`name="${name}"`);
    expect(html).toContain('The dates the timetable was planned from cannot be changed here');
  });

  it('corrects a notification from before the census categories, keeping its free-text ethnicity', async () => {
    // Prepare: the child's ethnicity as free text, as notifications gave it then (invented).
    const older = sampleNotification();
    older.children = [
      { ...(older.children[0] as (typeof older.children)[number]), ethnicity: 'Not recorded (demo)' },
    ];
    const caseId = await aCase('awaiting-summaries', older);
    const form = {
      ...formOf(unescaped((await get(`/cases/${caseId}/notification/edit`)).body)),
      'children-0-nhsNumber': '943 476 5919',
      reason: 'Invented: the notifier sent it later (demo).',
    };

    // Act
    const check = await post(`/cases/${caseId}/notification/edit/check`, form);
    const confirmed = await post(`/cases/${caseId}/notification/edit/confirm`, form);

    // Assess
    expect(check.statusCode).toBe(200);
    expect(confirmed.statusCode).toBe(303);
    expect(store.caseOf(caseId)?.notificationVersions?.[0]?.fields).toEqual(['children.0.nhsNumber']);
  });

  it('names a bad NHS number and a missing reason, in the page’s order', async () => {
    const caseId = await aCase();
    const form = formOf(unescaped((await get(`/cases/${caseId}/notification/edit`)).body));

    const refused = await post(`/cases/${caseId}/notification/edit/check`, {
      ...form,
      'children-0-nhsNumber': '943 476 5918',
      reason: '',
    });

    expect(refused.statusCode).toBe(400);
    expect(summaryLinks(refused.body)).toEqual([
      ['#children-0-nhsNumber', 'Enter a real NHS number: this one fails its check digit'],
      ['#reason', 'Enter a value'],
    ]);
  });

  it('checks the answers with Change links, saves a new version and confirms it', async () => {
    const caseId = await aCase();
    const form = {
      ...formOf(unescaped((await get(`/cases/${caseId}/notification/edit`)).body)),
      'children-0-address': '1 Example Street\nExampletown',
      'children-0-nhsNumber': '943 476 5919',
      'householdMembers-0-name': 'Invented Parent',
      'householdMembers-0-relationship': 'Mother',
      reason: 'Invented: the notifier sent these later (demo).',
    };

    const check = await post(`/cases/${caseId}/notification/edit/check`, form);
    const confirmed = await post(`/cases/${caseId}/notification/edit/confirm`, form);
    const confirmation = await get(String(confirmed.headers?.location));
    const casePage = await get(`/cases/${caseId}`);

    expect(check.statusCode).toBe(200);
    expect(unescaped(check.body)).toContain(
      `formaction="/cases/${caseId}/notification/edit#children-0-nhsNumber"`,
    );
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers?.location).toBe(`/cases/${caseId}/notification/edit/confirmation`);
    const words = unescaped(confirmation.body);
    expect(words).toContain('Version 2 of the notification is saved');
    expect(words).toContain('Child 1: address; Child 1: NHS number; Household members');
    expect(store.caseOf(caseId)?.notificationVersions?.[0]?.fields).toEqual([
      'children.0.address',
      'children.0.nhsNumber',
      'householdMembers',
    ]);
    const page = unescaped(casePage.body);
    expect(page).toContain('Notification changed (version 2)');
    expect(page).toContain(`href="/cases/${caseId}/notification/edit"`);
    expect(page).toContain('943 476 5919');
    expect(page).toContain('1 Example Street, Exampletown');
    expect(page).toContain('Invented Parent (Mother)');
  });

  it('refuses in words once the review has gone to the Panel', async () => {
    const caseId = await aCase('submitted-to-panel');

    const result = await get(`/cases/${caseId}/notification/edit`);

    expect(result.statusCode).toBe(409);
    expect(unescaped(result.body)).toContain('You cannot change this notification');
  });
});
