import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { notifyPagesWith } from '../../../functions/web/pages/notify.ts';
import type { WebApp } from '../../../functions/web/router.ts';
import type { SessionUser } from '../../../functions/web/session.ts';
import { InMemoryDraftStore } from '../../support/in-memory-draft-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/** The notify pages in the router, over an in-memory draft store, a fake case store and mocked AWS clients. */
function notifyApp() {
  const drafts = new InMemoryDraftStore();
  const store = new InMemoryCaseStore();
  const s3Client = testS3Client();
  const s3 = mockClient(s3Client);
  s3.on(PutObjectCommand).resolves({});
  const sfnClient = new SFNClient({ region: 'eu-west-2' });
  const sfn: AwsClientStub<SFNClient> = mockClient(sfnClient);
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });
  const service = testService({
    store,
    clock: new SettableClock('2026-03-04T10:00:00Z'),
    s3: s3Client,
    sfn: sfnClient,
    drafts,
  });
  let ids = 0;
  const pages = notifyPagesWith({ newDraftId: () => `draft-${++ids}` });
  const app = testWebApp(pages, { service });
  return { app, drafts, store, sfn, s3 };
}

/** A signed-in person's browser: GETs and form POSTs carrying the session cookie and CSRF token. */
function browserOf(app: WebApp, user: SessionUser) {
  const { cookies, csrfToken } = signedIn(user);
  return {
    get: (path: string, query = '') => app(webEvent({ path, query, cookies })),
    post: (path: string, form: Record<string, string | string[]>) =>
      app(webEvent({ method: 'POST', path, cookies, form, csrfToken })),
  };
}

const body = (result: APIGatewayProxyStructuredResultV2) => result.body ?? '';
const location = (result: APIGatewayProxyStructuredResultV2) => String(result.headers?.location ?? '');

/** The error summary's links as `[text, href]`, read from the HTML. */
function errorSummary(html: string): [string, string][] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((match) => [
    (match[2] ?? '').trim().replaceAll('&#39;', "'"),
    match[1] ?? '',
  ]);
}

const validIncident = {
  kind: 'serious-harm',
  'occurredOn-day': '2',
  'occurredOn-month': '3',
  'occurredOn-year': '2026',
  'localAuthorityAwareOn-day': '3',
  'localAuthorityAwareOn-month': '3',
  'localAuthorityAwareOn-year': '2026',
  'panelNotifiedOn-day': '4',
  'panelNotifiedOn-month': '3',
  'panelNotifiedOn-year': '2026',
  location: 'Family home, Exampletown (invented)',
  panelReference: 'PANEL-DEMO-0001',
  notifyingLocalAuthority: 'Exampleshire County Council',
  summary: '',
};

const validChild = {
  name: 'Demo Child One',
  'dateOfBirth-day': '14',
  'dateOfBirth-month': '5',
  'dateOfBirth-year': '2019',
  ageYears: '',
  sex: 'not-known',
  ethnicity: 'mixed-white-asian',
  ethnicityDescription: '',
  disability: 'no',
  disabilityDescription: '',
  lookedAfterStatus: 'never',
  childProtectionPlan: 'never',
  childInNeed: 'not-known',
};

const validAgency = { name: 'Police', spocName: 'Spoc Police (demo)', spocEmail: 'spoc.police@example.org' };
const validNotifier = {
  name: 'Notifier Person (demo)',
  role: 'Designated Safeguarding Manager',
  email: 'notifier@example.org',
  phone: '',
};

describe('notify a serious incident: the pages', () => {
  let world: ReturnType<typeof notifyApp>;
  const notifier = testUser('notifier');

  beforeEach(() => {
    world = notifyApp();
  });

  it('sends someone who is not signed in to sign in, coming back to /notify', async () => {
    // Act
    const result = await world.app(webEvent({ path: '/notify' }));

    // Assess
    expect(result.statusCode).toBe(303);
    expect(location(result)).toBe('/sign-in?returnTo=%2Fnotify');
  });

  it.for([
    ['GET', '/notify'],
    ['GET', '/notify/incident'],
    ['POST', '/notify/incident'],
    ['POST', '/notify/check-answers'],
  ] as const)('refuses an RRG member on %s %s with 403', async ([method, path]) => {
    // Prepare
    const member = browserOf(world.app, testUser('rrg-member'));

    // Act
    const result = method === 'GET' ? await member.get(path) : await member.post(path, validIncident);

    // Assess
    expect(result.statusCode).toBe(403);
    expect(body(result)).toContain('You cannot use this page');
    expect(world.drafts.size).toBe(0);
  });

  it('shows the start page with what you need and that the timetable starts when it is sent', async () => {
    // Act
    const result = await browserOf(world.app, notifier).get('/notify');

    // Assess
    expect(result.statusCode).toBe(200);
    expect(body(result)).toContain('Before you start');
    expect(body(result)).toContain('timetable starts when you send the notification');
    expect(body(result)).toContain('href="/notify/incident"');
  });

  it('lets the partnership team use the pages too', async () => {
    // Act
    const result = await browserOf(world.app, testUser('partnership-team')).get('/notify/incident');

    // Assess
    expect(result.statusCode).toBe(200);
  });

  it('names each bad field of the incident page in the error summary, linking to its input, and keeps what was typed', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);

    // Act
    const result = await browser.post('/notify/incident', {
      ...validIncident,
      kind: '',
      'occurredOn-month': '',
      'localAuthorityAwareOn-day': '31',
      'localAuthorityAwareOn-month': '2',
      'panelNotifiedOn-year': '2027',
      location: '   ',
      panelReference: 'PANEL-KEPT-0042',
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorSummary(body(result))).toEqual([
      ['Select death or serious harm', '#kind'],
      ['Date of incident must include a month', '#occurredOn-month'],
      ['Date the local authority became aware must be a real date', '#localAuthorityAwareOn-day'],
      ['Date the Panel was notified must be today or in the past', '#panelNotifiedOn-day'],
      ['Enter where the incident happened', '#location'],
    ]);
    expect(body(result)).toMatch(/<title>Error: The incident/);
    for (const [, href] of errorSummary(body(result))) {
      expect(body(result), `the field ${href} links to`).toContain(`id="${href.slice(1)}"`);
    }
    expect(body(result)).toContain('value="PANEL-KEPT-0042"');
    // Only the missing month is marked, not the day and year the person typed.
    expect(body(result)).toMatch(/id="occurredOn-month"[^>]*/);
    expect(body(result)).toMatch(
      /class="govuk-input govuk-date-input__input govuk-input--error[^"]*" id="occurredOn-month"/,
    );
    expect(body(result)).toMatch(
      /class="govuk-input govuk-date-input__input govuk-input--width-2" id="occurredOn-day"/,
    );
    expect(world.drafts.size).toBe(0);
  });

  it('refuses line breaks and control characters in a one-line answer, naming the field, and keeps a multi-line summary', async () => {
    // Act
    const refused = await browserOf(world.app, notifier).post('/notify/incident', {
      ...validIncident,
      panelReference: 'PANEL-0001\r\nBcc: someone@example.org',
      location: 'Home\u0007',
      summary: 'First line.\r\nSecond line.',
    });
    const accepted = await browserOf(world.app, notifier).post('/notify/incident', {
      ...validIncident,
      summary: 'First line.\r\nSecond line.',
    });

    // Assess
    expect(errorSummary(body(refused))).toEqual([
      ['Where it happened must not contain line breaks or control characters', '#location'],
      ['Panel reference must not contain line breaks or control characters', '#panelReference'],
    ]);
    expect(accepted.statusCode).toBe(303);
  });

  it('refuses an incident before the bank holiday calendar begins, naming the date', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/incident', {
      ...validIncident,
      'occurredOn-day': '31',
      'occurredOn-month': '12',
      'occurredOn-year': '2009',
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorSummary(body(result))).toEqual([
      ['Date of incident must be on or after 1 January 2010', '#occurredOn-day'],
    ]);
  });

  it('refuses a line break in an agency’s name and an over-long contact address, naming each', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/agencies/new', {
      ...validAgency,
      name: 'Police\nBcc: someone@example.org',
      spocEmail: `${'a'.repeat(250)}@example.org`,
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorSummary(body(result))).toEqual([
      ['Agency name must not contain line breaks or control characters', '#name'],
      ['Contact email address must be 254 characters or fewer', '#spocEmail'],
    ]);
  });

  it('names the field when an optional answer is too long', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/incident', {
      ...validIncident,
      summary: 'x'.repeat(4001),
    });

    // Assess
    expect(errorSummary(body(result))).toEqual([['Summary must be 4000 characters or fewer', '#summary']]);
    expect(body(result)).toContain('id="summary"');
  });

  it('refuses dates out of order with the notification schema’s own message', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/incident', {
      ...validIncident,
      'localAuthorityAwareOn-day': '1',
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorSummary(body(result))).toEqual([
      [
        'The date the local authority became aware must be on or after the incident',
        '#localAuthorityAwareOn-day',
      ],
    ]);
  });

  it('saves the incident to the draft and goes on to the children', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/incident', validIncident);

    // Assess
    expect(result.statusCode).toBe(303);
    expect(location(result)).toBe('/notify/children');
    const draft = await world.drafts.getDraft(notifier.id);
    expect(draft?.notification.incident?.occurredOn).toBe('2026-03-02');
    expect(draft?.notification.notifyingLocalAuthority).toBe('Exampleshire County Council');
  });

  it('keeps the draft as it was when a later page has errors', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);
    await browser.post('/notify/incident', validIncident);
    const before = await world.drafts.getDraft(notifier.id);

    // Act
    const result = await browser.post('/notify/children/new', { ...validChild, name: '', sex: '' });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorSummary(body(result))).toEqual([
      ['Enter the child’s name', '#name'],
      ['Select the sex', '#sex'],
    ]);
    expect(body(result)).toMatch(/value="mixed-white-asian" checked/);
    const after = await world.drafts.getDraft(notifier.id);
    expect(after?.notification).toEqual(before?.notification);
  });

  it('asks for a date of birth or an age, linking to the date of birth', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/children/new', {
      ...validChild,
      'dateOfBirth-day': '',
      'dateOfBirth-month': '',
      'dateOfBirth-year': '',
      ageYears: '',
    });

    // Assess
    expect(errorSummary(body(result))).toEqual([['Enter a date of birth or an age', '#dateOfBirth-day']]);
  });

  it('accepts an age instead of a date of birth', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/children/new', {
      ...validChild,
      'dateOfBirth-day': '',
      'dateOfBirth-month': '',
      'dateOfBirth-year': '',
      ageYears: '7',
    });

    // Assess
    expect(location(result)).toBe('/notify/children');
    expect((await world.drafts.getDraft(notifier.id))?.notification.children).toEqual([
      {
        identity: 'named',
        name: 'Demo Child One',
        ageYears: 7,
        sex: 'not-known',
        ethnicity: { code: 'mixed-white-asian' },
        disability: { answer: 'no' },
        lookedAfter: false,
        lookedAfterStatus: 'never',
        childProtectionPlan: 'never',
        childInNeed: 'not-known',
      },
    ]);
  });

  it('accepts an unborn child with no name or date of birth, and lists it as unborn', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);

    // Act
    const result = await browser.post('/notify/children/new', {
      ...validChild,
      identity: 'unborn',
      name: '',
      'dateOfBirth-day': '',
      'dateOfBirth-month': '',
      'dateOfBirth-year': '',
    });
    const list = await browser.get('/notify/children');

    // Assess
    expect(location(result)).toBe('/notify/children');
    expect((await world.drafts.getDraft(notifier.id))?.notification.children?.[0]).toMatchObject({
      identity: 'unborn',
    });
    expect((await world.drafts.getDraft(notifier.id))?.notification.children?.[0]?.name).toBeUndefined();
    expect(body(list)).toContain('Unborn child');
    expect(body(list)).toContain('Not yet born');
  });

  it('refuses a name for a child not yet identified, linking to the name', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/children/new', {
      ...validChild,
      identity: 'not-yet-identified',
      'dateOfBirth-day': '',
      'dateOfBirth-month': '',
      'dateOfBirth-year': '',
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorSummary(body(result))).toEqual([
      ['A child not yet identified has no name: leave it out', '#name'],
    ]);
  });

  it('takes an age over 17 only for a care leaver, up to 24', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);
    const aged = (ageYears: string, careLeaver: string) => ({
      ...validChild,
      'dateOfBirth-day': '',
      'dateOfBirth-month': '',
      'dateOfBirth-year': '',
      ageYears,
      lookedAfterStatus: 'previously',
      careLeaver,
    });

    // Act
    const notCareLeaver = await browser.post('/notify/children/new', aged('20', 'no'));
    const careLeaver = await browser.post('/notify/children/new', aged('20', 'yes'));

    // Assess
    expect(errorSummary(body(notCareLeaver))).toEqual([
      [
        'Age must be under 18, unless the young person is a care leaver (up to and including 24)',
        '#ageYears',
      ],
    ]);
    expect(location(careLeaver)).toBe('/notify/children');
    expect((await world.drafts.getDraft(notifier.id))?.notification.children?.[0]).toMatchObject({
      ageYears: 20,
      careLeaver: true,
    });
  });

  it('saves a cross-border case and the dates the Secretary of State and Ofsted were told', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);

    // Act
    const result = await browser.post('/notify/incident', {
      ...validIncident,
      kind: 'death',
      'secretaryOfStateNotifiedOn-day': '3',
      'secretaryOfStateNotifiedOn-month': '3',
      'secretaryOfStateNotifiedOn-year': '2026',
      'ofstedNotifiedOn-day': '4',
      'ofstedNotifiedOn-month': '3',
      'ofstedNotifiedOn-year': '2026',
      otherLocalAuthority: 'Otherborough Council (invented)',
      connection: 'incident-happened-there',
      leadPartnership: 'this',
    });

    // Assess
    expect(location(result)).toBe('/notify/children');
    const saved = (await world.drafts.getDraft(notifier.id))?.notification;
    expect(saved?.deathNotifications).toEqual({
      secretaryOfStateNotifiedOn: '2026-03-03',
      ofstedNotifiedOn: '2026-03-04',
    });
    expect(saved?.crossBorder).toEqual({
      otherLocalAuthority: 'Otherborough Council (invented)',
      connection: 'incident-happened-there',
      leadPartnership: 'this',
    });
  });

  it('asks for both dates when only one is given, and for the rest of a cross-border answer', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/incident', {
      ...validIncident,
      'ofstedNotifiedOn-day': '4',
      'ofstedNotifiedOn-month': '3',
      'ofstedNotifiedOn-year': '2026',
      otherLocalAuthority: 'Otherborough Council (invented)',
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorSummary(body(result))).toEqual([
      ['Enter the date the Secretary of State was notified', '#secretaryOfStateNotifiedOn-day'],
      ['Select whether the child lives there or the incident happened there', '#connection'],
      ['Select which partnership leads the review', '#leadPartnership'],
    ]);
  });

  it('lists the children added, with change and remove, and stops offering more at four', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);
    for (const name of ['Demo Child One', 'Demo Child Two', 'Demo Child Three', 'Demo Child Four']) {
      await browser.post('/notify/children/new', { ...validChild, name });
    }

    // Act
    const list = await browser.get('/notify/children');
    const fifth = await browser.get('/notify/children/new');

    // Assess
    expect(body(list)).toContain('You have added 4 children');
    expect(body(list)).toContain('href="/notify/children/4/remove"');
    expect(body(list)).not.toContain('name="addAnother"');
    expect(location(fifth)).toBe('/notify/children');
  });

  it('removes a child after asking', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);
    await browser.post('/notify/children/new', { ...validChild, name: 'Demo Child One' });
    await browser.post('/notify/children/new', { ...validChild, name: 'Demo Child Two' });

    // Act
    const question = await browser.get('/notify/children/1/remove');
    const removed = await browser.post('/notify/children/1/remove', {});

    // Assess
    expect(body(question)).toContain('Are you sure you want to remove Demo Child One?');
    expect(location(removed)).toBe('/notify/children');
    const children = (await world.drafts.getDraft(notifier.id))?.notification.children;
    expect(children?.map((child) => child.name)).toEqual(['Demo Child Two']);
  });

  it('asks whether to add another child when neither answer is chosen', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);
    await browser.post('/notify/children/new', validChild);

    // Act
    const result = await browser.post('/notify/children', {});

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorSummary(body(result))).toEqual([
      ['Select yes if you need to add another child', '#addAnother'],
    ]);
  });

  it('refuses an agency without a well-formed SPOC email, and an agency named twice', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);
    await browser.post('/notify/agencies/new', validAgency);

    // Act
    const badEmail = await browser.post('/notify/agencies/new', {
      ...validAgency,
      name: 'Health',
      spocEmail: 'not-an-address',
    });
    const twice = await browser.post('/notify/agencies/new', { ...validAgency, name: 'police' });

    // Assess
    expect(errorSummary(body(badEmail))).toEqual([
      ['Enter an email address in the correct format, like name@example.org', '#spocEmail'],
    ]);
    expect(errorSummary(body(twice))).toEqual([['Each agency must be named once', '#name']]);
  });

  it('sends a Change from check your answers back to check your answers', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/notifier', {
      ...validNotifier,
      change: 'yes',
    });

    // Assess
    expect(location(result)).toBe('/notify/check-answers');
  });

  describe('check your answers and sending', () => {
    async function completeDraft(browser: ReturnType<typeof browserOf>) {
      await browser.post('/notify/incident', validIncident);
      await browser.post('/notify/children/new', validChild);
      await browser.post('/notify/agencies/new', validAgency);
      await browser.post('/notify/agencies/new', {
        name: 'Health',
        spocName: 'Spoc Health (demo)',
        spocEmail: 'spoc.health@example.org',
      });
      await browser.post('/notify/notifier', validNotifier);
      await browser.post('/notify/parallel-processes', { processes: ['policeInvestigation'], other: '' });
    }

    it('shows every answer with a Change link to its page', async () => {
      // Prepare
      const browser = browserOf(world.app, notifier);
      await completeDraft(browser);

      // Act
      const result = await browser.get('/notify/check-answers');

      // Assess
      expect(result.statusCode).toBe(200);
      const html = body(result);
      for (const href of [
        '/notify/incident?change=yes',
        '/notify/children/1?change=yes',
        '/notify/agencies/2?change=yes',
        '/notify/notifier?change=yes',
        '/notify/parallel-processes',
      ]) {
        expect(html).toContain(`href="${href}"`);
      }
      expect(html).toContain('2 March 2026');
      expect(html).toContain('Police investigation');
      expect(html).toContain('Send notification');
    });

    it('opens one case through the intake logic, deletes the draft and shows the reference and timetable', async () => {
      // Prepare
      const browser = browserOf(world.app, notifier);
      await completeDraft(browser);

      // Act
      const sent = await browser.post('/notify/check-answers', {});
      const confirmation = await browser.get(location(sent));

      // Assess
      expect(sent.statusCode).toBe(303);
      expect(location(sent)).toMatch(/^\/notify\/confirmation\/[0-9a-f-]{36}$/);
      const cases = await world.store.listCases();
      expect(cases).toHaveLength(1);
      expect(cases[0]?.notifyingLocalAuthority).toBe('Exampleshire County Council');
      expect(world.sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
      expect(await world.drafts.getDraft(notifier.id)).toBeUndefined();
      const html = body(confirmation);
      expect(confirmation.statusCode).toBe(200);
      expect(html).toContain('Notification sent');
      expect(html).toContain(cases[0]?.reference ?? 'no reference');
      expect(html).toContain('Day 1');
      expect(html).toContain('Wednesday 4 March 2026');
      expect(html).toContain('Day 15');
      // Both clocks, and which one the review works to.
      expect(html).toContain('The Panel expects this rapid review by Wednesday 25 March 2026.');
      expect(html).toContain('The partnership&#39;s own timetable finishes on Tuesday 24 March 2026.');
      // The 15 working days: the Panel's expectation, not a statute; Days 1 to 15 the partnership's plan.
      expect(html).toContain(
        'The Panel expects the rapid review within 15 working days of being notified: that is the Panel’s expectation, not a statute.',
      );
      expect(html).toContain('Days 1 to 15, counted from the day it heard: that is its own plan.');
      expect(html).not.toMatch(/statutory/i);
    });

    it('opens one case when the same draft is sent twice at once (a double click)', async () => {
      // Prepare
      const browser = browserOf(world.app, notifier);
      await completeDraft(browser);

      // Act
      const [first, second] = await Promise.all([
        browser.post('/notify/check-answers', {}),
        browser.post('/notify/check-answers', {}),
      ]);

      // Assess
      expect(await world.store.listCases()).toHaveLength(1);
      const targets = [location(first), location(second)].filter((target) =>
        target.startsWith('/notify/confirmation/'),
      );
      expect(new Set(targets).size).toBe(1);
    });

    it('sends a resubmission after the case is open back to the start, opening no second case', async () => {
      // Prepare
      const browser = browserOf(world.app, notifier);
      await completeDraft(browser);
      await browser.post('/notify/check-answers', {});

      // Act
      const again = await browser.post('/notify/check-answers', {});

      // Assess
      expect(location(again)).toBe('/notify');
      expect(await world.store.listCases()).toHaveLength(1);
    });

    it('lists what is still missing instead of sending an incomplete notification', async () => {
      // Prepare
      const browser = browserOf(world.app, notifier);
      await browser.post('/notify/incident', validIncident);

      // Act
      const result = await browser.post('/notify/check-answers', {});

      // Assess
      expect(result.statusCode).toBe(400);
      expect(errorSummary(body(result)).map(([text]) => text)).toEqual([
        'Add at least one child',
        'Add at least one agency',
        'Add your details',
        'Answer the question about other processes',
      ]);
      expect(await world.store.listCases()).toHaveLength(0);
    });

    it('shows the cross-border answer on check your answers', async () => {
      // Prepare
      const browser = browserOf(world.app, notifier);
      await completeDraft(browser);
      await browser.post('/notify/incident', {
        ...validIncident,
        otherLocalAuthority: 'Otherborough Council (invented)',
        connection: 'child-lives-there',
        leadPartnership: 'other',
        change: 'yes',
      });

      // Act
      const html = body(await browser.get('/notify/check-answers'));

      // Assess
      expect(html).toContain('Crosses a local authority border');
      expect(html).toContain(
        'Otherborough Council (invented)<br>The child lives there<br>Their partnership leads the review',
      );
    });

    it('asks for the Secretary of State and Ofsted dates when a looked-after child died, linking to the incident page', async () => {
      // Prepare
      const browser = browserOf(world.app, notifier);
      await completeDraft(browser);
      await browser.post('/notify/incident', { ...validIncident, kind: 'death', change: 'yes' });
      await browser.post('/notify/children/1', { ...validChild, lookedAfterStatus: 'current' });

      // Act
      const result = await browser.post('/notify/check-answers', {});

      // Assess
      expect(result.statusCode).toBe(400);
      expect(errorSummary(body(result))).toEqual([
        [
          'For the death of a looked-after child or care leaver, enter when the Secretary of State and Ofsted were notified',
          '/notify/incident?change=yes',
        ],
      ]);
      expect(await world.store.listCases()).toHaveLength(0);
    });

    describe('a possible duplicate', () => {
      /** Someone else has already notified the same incident: an open case with the same Panel reference and child. */
      async function openedByTheTeam() {
        const team = browserOf(world.app, testUser('partnership-team'));
        await completeDraft(team);
        await team.post('/notify/check-answers', {});
        const [existing] = await world.store.listCases();
        if (!existing) throw new Error('The first case was not opened');
        return existing;
      }

      it('warns before sending, linking to the open case, and sends nothing', async () => {
        // Prepare
        const existing = await openedByTheTeam();
        const browser = browserOf(world.app, notifier);
        await completeDraft(browser);

        // Act
        const result = await browser.post('/notify/check-answers', {});

        // Assess
        expect(result.statusCode).toBe(409);
        const html = body(result);
        expect(html).toContain('govuk-warning-text');
        expect(html).toContain(
          `<a class="govuk-link" href="/cases/${existing.caseId}">${existing.reference}</a>`,
        );
        expect(html).toContain(
          'the same Panel reference and a child with the same date of birth and incident date',
        );
        expect(html).toContain('name="duplicateReason"');
        expect(html).toContain('Send notification anyway');
        expect(await world.store.listCases()).toHaveLength(1);
      });

      it('asks for a reason before sending anyway', async () => {
        // Prepare
        const existing = await openedByTheTeam();
        const browser = browserOf(world.app, notifier);
        await completeDraft(browser);
        await browser.post('/notify/check-answers', {});

        // Act
        const result = await browser.post('/notify/check-answers', {
          duplicateCaseId: existing.caseId,
          duplicateReason: '  ',
        });

        // Assess
        expect(result.statusCode).toBe(409);
        expect(errorSummary(body(result))).toEqual([
          ['Enter why you are sending this notification although it may be a duplicate', '#duplicateReason'],
        ]);
        expect(await world.store.listCases()).toHaveLength(1);
      });

      it('opens the case when sent anyway with a reason, and audits the reason', async () => {
        // Prepare
        const existing = await openedByTheTeam();
        const browser = browserOf(world.app, notifier);
        await completeDraft(browser);
        await browser.post('/notify/check-answers', {});

        // Act
        const result = await browser.post('/notify/check-answers', {
          duplicateCaseId: existing.caseId,
          duplicateReason: 'A sibling harmed in a separate incident (invented)',
        });

        // Assess
        expect(location(result)).toMatch(/^\/notify\/confirmation\//);
        const caseId = location(result).split('/').pop() ?? '';
        const file = await world.store.getCaseFile(caseId);
        expect(file.audit[0]?.details).toMatchObject({
          possibleDuplicateOf: existing.reference,
          possibleDuplicateReason: 'A sibling harmed in a separate incident (invented)',
        });
      });
    });

    it('does not show one person’s confirmation to another notifier', async () => {
      // Prepare
      const browser = browserOf(world.app, notifier);
      await completeDraft(browser);
      const sent = await browser.post('/notify/check-answers', {});
      const someoneElse = browserOf(world.app, { ...testUser('notifier'), id: 'user-other-notifier-demo' });

      // Act
      const result = await someoneElse.get(location(sent));

      // Assess
      expect(result.statusCode).toBe(404);
    });
  });

  it('refuses a form without the CSRF token', async () => {
    // Prepare
    const { cookies } = signedIn(notifier);

    // Act
    const result = await world.app(
      webEvent({ method: 'POST', path: '/notify/incident', cookies, form: validIncident }),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    expect(world.drafts.size).toBe(0);
  });
});
