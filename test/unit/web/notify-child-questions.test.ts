import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { notifyPagesWith } from '../../../functions/web/pages/notify.ts';
import type { WebApp } from '../../../functions/web/router.ts';
import type { SessionUser } from '../../../functions/web/session.ts';
import { InMemoryDraftStore } from '../../support/in-memory-draft-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/**
 * The notify pages' questions of issue 11 part 6: each child's ethnicity from the 2021 census
 * categories, disability, looked-after status, child protection plan and child in need status;
 * "None" and a coroner's inquest among the other processes; and the 5pm cut-off beside Day 1.
 */
function notifyApp(now = '2026-03-04T10:00:00Z') {
  const drafts = new InMemoryDraftStore();
  const store = new InMemoryCaseStore();
  const s3Client = testS3Client();
  mockClient(s3Client).on(PutObjectCommand).resolves({});
  const sfnClient = new SFNClient({ region: 'eu-west-2' });
  mockClient(sfnClient)
    .on(StartExecutionCommand)
    .resolves({ executionArn: 'arn:execution', startDate: new Date() });
  const clock = new SettableClock(now);
  const service = testService({ store, clock, s3: s3Client, sfn: sfnClient, drafts });
  const app = testWebApp(notifyPagesWith({ newDraftId: () => 'draft-1' }), { service });
  return { app, drafts, store, clock };
}

function browserOf(app: WebApp, user: SessionUser) {
  const { cookies, csrfToken } = signedIn(user);
  return {
    get: (path: string) => app(webEvent({ path, cookies })),
    post: (path: string, form: Record<string, string | string[]>) =>
      app(webEvent({ method: 'POST', path, cookies, form, csrfToken })),
  };
}

const body = (result: APIGatewayProxyStructuredResultV2) =>
  String(result.body ?? '')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
const location = (result: APIGatewayProxyStructuredResultV2) => String(result.headers?.location ?? '');
const errorLinks = (html: string) =>
  [
    ...(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '').matchAll(
      /<a href="([^"]+)">([^<]+)<\/a>/g,
    ),
  ].map((match) => [match[2]?.trim(), match[1]]);
/** Every error summary link points at an input on the page. */
const expectLinksToInputs = (html: string) => {
  for (const [, href] of errorLinks(html)) {
    if (href?.startsWith('#')) expect(html, `the field ${href} links to`).toContain(`id="${href.slice(1)}"`);
  }
};

/** Invented: a child's answers as the page posts them. */
const validChild = {
  identity: 'named',
  name: 'Demo Child One',
  'dateOfBirth-day': '14',
  'dateOfBirth-month': '5',
  'dateOfBirth-year': '2019',
  ageYears: '',
  sex: 'female',
  ethnicity: 'white-any-other',
  ethnicityDescription: 'Invented background (demo)',
  disability: 'yes',
  disabilityDescription: 'Invented description (demo)',
  lookedAfterStatus: 'previously',
  careLeaver: 'no',
  childProtectionPlan: 'current',
  childInNeed: 'previously',
};

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

describe('notify: the questions about each child', () => {
  let world: ReturnType<typeof notifyApp>;
  const notifier = testUser('notifier');

  beforeEach(() => {
    world = notifyApp();
  });

  it('offers the 2021 census categories in their five groups, then "Not known", one radio group by name', async () => {
    // Act
    const html = body(await browserOf(world.app, notifier).get('/notify/children/new'));

    // Assess
    for (const group of [
      'Asian or Asian British',
      'Black, Black British, Caribbean or African',
      'Mixed or multiple ethnic groups',
      'White',
      'Other ethnic group',
    ]) {
      expect(html).toMatch(new RegExp(`<legend class="govuk-fieldset__legend">\\s*${group}\\s*</legend>`));
    }
    const codes = [...html.matchAll(/name="ethnicity" type="radio" value="([a-z-]+)"/g)].map(
      (match) => match[1],
    );
    expect(codes).toHaveLength(20);
    expect(codes.at(-1)).toBe('not-known');
    expect(codes).toContain('white-roma');
    expect(html).toContain('English, Welsh, Scottish, Northern Irish or British');
    expect(html).toContain('id="ethnicity"');
    expect(html).not.toContain('Prefer not to say');
    for (const name of [
      'disability',
      'lookedAfterStatus',
      'careLeaver',
      'childProtectionPlan',
      'childInNeed',
    ]) {
      expect(html).toContain(`name="${name}"`);
    }
  });

  it('keeps a census category with its description, and every other answer', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/children/new', validChild);

    // Assess
    expect(location(result)).toBe('/notify/children');
    expect((await world.drafts.getDraft(notifier.id))?.notification.children?.[0]).toMatchObject({
      ethnicity: { code: 'white-any-other', description: 'Invented background (demo)' },
      disability: { answer: 'yes', description: 'Invented description (demo)' },
      lookedAfter: false,
      lookedAfterStatus: 'previously',
      careLeaver: false,
      childProtectionPlan: 'current',
      childInNeed: 'previously',
    });
  });

  it('names each question left unanswered, in the order asked, each linking to its input', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/children/new', {
      ...validChild,
      ethnicity: '',
      ethnicityDescription: '',
      disability: '',
      disabilityDescription: '',
      lookedAfterStatus: '',
      childProtectionPlan: '',
      childInNeed: '',
    });

    // Assess
    expect(result.statusCode).toBe(400);
    const html = body(result);
    expect(errorLinks(html)).toEqual([
      ['Select the child’s ethnicity, or ‘Not known’', '#ethnicity'],
      ['Select whether the child has a disability', '#disability'],
      ['Select whether the child is or was looked after by a local authority', '#lookedAfterStatus'],
      ['Select whether the child is subject to a child protection plan', '#childProtectionPlan'],
      ['Select whether the child is a child in need', '#childInNeed'],
    ]);
    expectLinksToInputs(html);
    expect(html).toContain('<p id="ethnicity-error" class="govuk-error-message">');
    expect(world.drafts.size).toBe(0);
  });

  it('refuses an ethnicity code that is not a census category, as if none were chosen', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/children/new', {
      ...validChild,
      ethnicity: 'martian',
      ethnicityDescription: '',
    });

    // Assess
    expect(errorLinks(body(result))).toEqual([
      ['Select the child’s ethnicity, or ‘Not known’', '#ethnicity'],
    ]);
  });

  it('takes a description only for an "Any other" background, and keeps what was typed', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/children/new', {
      ...validChild,
      ethnicity: 'white-irish',
    });

    // Assess
    expect(result.statusCode).toBe(400);
    const html = body(result);
    expect(errorLinks(html)).toEqual([
      [
        'Describe the background only for an ‘Any other’ choice: leave it blank, or select ‘Any other’',
        '#ethnicityDescription',
      ],
    ]);
    expectLinksToInputs(html);
    expect(html).toContain('value="Invented background (demo)"');
    expect(html).toMatch(/value="white-irish" checked/);
  });

  it('describes a disability only when the child has one', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/children/new', {
      ...validChild,
      disability: 'no',
    });

    // Assess
    expect(errorLinks(body(result))).toEqual([
      [
        'Describe the disability only if the child has one: leave it blank, or select yes',
        '#disabilityDescription',
      ],
    ]);
  });

  it('asks whether a child previously looked after is a care leaver, and refuses a care leaver never looked after', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);

    // Act
    const unanswered = await browser.post('/notify/children/new', { ...validChild, careLeaver: '' });
    const never = await browser.post('/notify/children/new', {
      ...validChild,
      lookedAfterStatus: 'never',
      careLeaver: 'yes',
    });
    const now = await browser.post('/notify/children/new', {
      ...validChild,
      lookedAfterStatus: 'current',
      careLeaver: '',
    });

    // Assess
    expect(errorLinks(body(unanswered))).toEqual([
      ['Select whether the young person is a care leaver', '#careLeaver'],
    ]);
    expect(errorLinks(body(never))).toEqual([
      [
        'A care leaver was looked after: select ‘Not now, but previously looked after’, or answer no',
        '#careLeaver',
      ],
    ]);
    expect(location(now)).toBe('/notify/children');
    expect((await world.drafts.getDraft(notifier.id))?.notification.children?.[0]).toMatchObject({
      lookedAfter: true,
      lookedAfterStatus: 'current',
    });
  });

  it('does not ask an unborn child about disability or being looked after, and keeps a pre-birth plan', async () => {
    // Act: radios cannot be cleared without JavaScript, so answers to those two are not kept.
    const result = await browserOf(world.app, notifier).post('/notify/children/new', {
      ...validChild,
      identity: 'unborn',
      name: '',
      'dateOfBirth-day': '',
      'dateOfBirth-month': '',
      'dateOfBirth-year': '',
      lookedAfterStatus: 'current',
      careLeaver: '',
      disabilityDescription: '',
    });

    // Assess
    expect(location(result)).toBe('/notify/children');
    const child = (await world.drafts.getDraft(notifier.id))?.notification.children?.[0];
    expect(child).toMatchObject({ identity: 'unborn', lookedAfter: false, childProtectionPlan: 'current' });
    expect(child?.disability).toBeUndefined();
    expect(child?.lookedAfterStatus).toBeUndefined();
  });

  it('shows the answers again on the child’s page and in words on check your answers', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);
    await browser.post('/notify/children/new', validChild);

    // Act
    const again = body(await browser.get('/notify/children/1'));
    const check = body(await browser.get('/notify/check-answers'));

    // Assess
    expect(again).toMatch(/value="white-any-other" checked/);
    expect(again).toMatch(/name="lookedAfterStatus" type="radio" value="previously" checked/);
    expect(again).toMatch(/name="childProtectionPlan" type="radio" value="current" checked/);
    expect(check).toContain('Ethnicity: White: Any other White background (Invented background (demo))');
    expect(check).toContain('Disability: Yes: Invented description (demo)');
    expect(check).toContain('Looked after: previously');
    expect(check).toContain('Child protection plan: now');
    expect(check).toContain('Child in need: previously');
  });

  it('asks again about a child saved before these questions, whose ethnicity was free text', async () => {
    // Prepare: a draft from before the census categories (invented).
    await world.drafts.saveDraft(notifier.id, {
      draftId: 'draft-old',
      notification: {
        children: [
          {
            name: 'Demo Child One',
            ageYears: 7,
            sex: 'male',
            ethnicity: 'Not recorded (demo)',
            lookedAfter: false,
          },
        ],
      },
    });
    const browser = browserOf(world.app, notifier);

    // Act
    const check = body(await browser.post('/notify/check-answers', {}));
    const page = body(await browser.get('/notify/children/1'));

    // Assess
    expect(errorLinks(check)).toContainEqual([
      'Answer the remaining questions about Demo Child One',
      '/notify/children/1?change=yes',
    ]);
    expect(page).not.toMatch(/name="ethnicity" type="radio" value="[a-z-]+" checked/);
  });
});

describe('notify: other processes, "None" and a coroner’s inquest', () => {
  let world: ReturnType<typeof notifyApp>;
  const notifier = testUser('notifier');

  beforeEach(() => {
    world = notifyApp();
  });

  it('offers a coroner’s inquest, then "or" and an exclusive "None"', async () => {
    // Act
    const html = body(await browserOf(world.app, notifier).get('/notify/parallel-processes'));

    // Assess
    expect(html).toContain('value="inquest"');
    expect(html).toContain('Coroner’s inquest');
    expect(html).toMatch(/govuk-checkboxes__divider">or</);
    expect(html).toMatch(/value="none"[^>]*data-behaviour="exclusive"/);
  });

  it('keeps "None" as no process at all, ticks it again, and shows it on check your answers', async () => {
    // Prepare
    const browser = browserOf(world.app, notifier);

    // Act
    const result = await browser.post('/notify/parallel-processes', { processes: ['none'], other: '' });
    const again = body(await browser.get('/notify/parallel-processes'));
    const check = body(await browser.get('/notify/check-answers'));

    // Assess
    expect(location(result)).toBe('/notify/check-answers');
    expect((await world.drafts.getDraft(notifier.id))?.notification.parallelProcesses).toEqual({
      policeInvestigation: false,
      childDeathReview: false,
      safeguardingAdultReview: false,
      domesticHomicideReview: false,
      inquest: false,
    });
    expect(again).toMatch(/value="none" checked/);
    expect(check).toMatch(/Running alongside\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*None/);
  });

  it('keeps an inquest', async () => {
    // Act
    await browserOf(world.app, notifier).post('/notify/parallel-processes', {
      processes: ['policeInvestigation', 'inquest'],
      other: '',
    });

    // Assess
    expect((await world.drafts.getDraft(notifier.id))?.notification.parallelProcesses).toMatchObject({
      policeInvestigation: true,
      inquest: true,
    });
  });

  it.for([
    [
      'nothing ticked',
      { other: '' },
      ['Select the other processes running alongside the review, or select ‘None’', '#processes'],
    ],
    [
      '"None" and a process (without JavaScript)',
      { processes: ['none', 'inquest'], other: '' },
      ['Select ‘None’ only if no other process is running: untick it, or untick the processes', '#processes'],
    ],
    [
      '"None" and another process named',
      { processes: ['none'], other: 'Invented process (demo)' },
      ['Leave ‘Any other process’ blank if you select ‘None’, or untick ‘None’', '#other'],
    ],
  ] as const)('refuses %s, naming the field', async ([, form, error]) => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/parallel-processes', {
      ...form,
      processes: [...('processes' in form ? form.processes : [])],
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorLinks(body(result))).toEqual([error]);
    expectLinksToInputs(body(result));
    expect(world.drafts.size).toBe(0);
  });

  it('takes another process named without any ticked', async () => {
    // Act
    const result = await browserOf(world.app, notifier).post('/notify/parallel-processes', {
      other: 'Invented process (demo)',
    });

    // Assess
    expect(location(result)).toBe('/notify/check-answers');
  });
});

describe('notify: the 5pm cut-off beside Day 1', () => {
  const notifier = testUser('notifier');

  async function send(world: ReturnType<typeof notifyApp>) {
    const browser = browserOf(world.app, notifier);
    await browser.post('/notify/incident', validIncident);
    await browser.post('/notify/children/new', validChild);
    await browser.post('/notify/agencies/new', {
      name: 'Police',
      spocName: 'Spoc Police (demo)',
      spocEmail: 'spoc.police@example.org',
    });
    await browser.post('/notify/notifier', {
      name: 'Notifier Person (demo)',
      role: 'Designated Safeguarding Manager (demo)',
      email: 'notifier@example.org',
      phone: '',
    });
    await browser.post('/notify/parallel-processes', { processes: ['none'], other: '' });
    const sent = await browser.post('/notify/check-answers', {});
    expect(sent.statusCode, body(sent)).toBe(303);
    return body(await browser.get(location(sent)));
  }

  it('says on the start page that after 5pm, at the weekend or on a bank holiday Day 1 is the next working day', async () => {
    // Act
    const html = body(await browserOf(notifyApp().app, notifier).get('/notify'));

    // Assess
    expect(html).toContain(
      'If you send it after 5pm, at the weekend or on a bank holiday, Day 1 is the next working day.',
    );
  });

  it('says a notification received before 5pm on a working day starts Day 1 that day', async () => {
    // Act
    const html = await send(notifyApp('2026-03-04T10:00:00Z'));

    // Assess
    expect(html).toContain(
      'The partnership received your notification at 10am on Wednesday 4 March 2026: before 5pm on a working day, so Day 1 is that day.',
    );
    expect(html).toContain(
      'A notification received after 5pm, at the weekend or on a bank holiday starts Day 1 on the next working day.',
    );
  });

  it('says a notification received after 5pm starts Day 1 on the next working day', async () => {
    // Act: 5:30pm in London.
    const html = await send(notifyApp('2026-03-04T17:30:00Z'));

    // Assess
    expect(html).toContain(
      'at 5:30pm on Wednesday 4 March 2026: after 5pm, so Day 1 is the next working day, Thursday 5 March 2026.',
    );
  });

  it('says a notification received at the weekend starts Day 1 on the next working day', async () => {
    // Act: a Saturday.
    const html = await send(notifyApp('2026-03-07T11:00:00Z'));

    // Assess
    expect(html).toContain('at the weekend, so Day 1 is the next working day, Monday 9 March 2026.');
  });
});
