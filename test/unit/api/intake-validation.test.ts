import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { intakeEndpoints } from '../../../functions/intake/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import type { SeriousIncidentNotification } from '../../../shared/schemas/notification.ts';
import {
  apiEvent,
  InMemoryCaseStore,
  invoke,
  notifier,
  SettableClock,
  testS3Client,
  testService,
} from './support/api-fixtures.ts';
import { errorsOf, type IntakeWorld, intakeWorld } from './support/intake-world.ts';

/** The notification's one boundary: every text field, every address and every date, refused with a 400 naming it. */
describe('intake: what the notification may hold', () => {
  let store: IntakeWorld['store'];
  let s3: IntakeWorld['s3'];
  let sfn: IntakeWorld['sfn'];
  let submit: IntakeWorld['submit'];

  beforeEach(() => {
    ({ store, s3, sfn, submit } = intakeWorld());
  });

  const withIncident = (incident: Partial<SeriousIncidentNotification['incident']>) => {
    const notification = sampleNotification();
    return { ...notification, incident: { ...notification.incident, ...incident } };
  };

  /** Expects a 400 naming exactly these fields, and nothing stored or started. */
  async function expectRefused(body: unknown, fields: Record<string, RegExp>) {
    const response = await submit(body);
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    const errors = errorsOf(response.body);
    expect(Object.keys(errors).sort()).toEqual(Object.keys(fields).sort());
    for (const [field, message] of Object.entries(fields)) expect(errors[field], field).toMatch(message);
    expect(store.caseCount()).toBe(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  }

  it.each([
    ['a line break and a Bcc header', 'Police\r\nBcc: attacker@example.org'],
    ['a bare line feed', 'Police\nReply-To: attacker@example.org'],
    ['a NUL', 'Pol\u0000ice'],
    ['an escape', 'Police\u001b[31m'],
    ['a bell', 'Police\u0007'],
    ['a tab', 'Police\tTeam'],
    ['DEL', 'Police\u007f'],
    ['a C1 control', 'Police\u0085'],
    ['a Unicode line separator', 'Police\u2028Bcc: attacker@example.org'],
  ])('refuses an agency name holding %s', async (_, name) => {
    const notification = sampleNotification();
    notification.agencies[1] = { ...notification.agencies[1]!, name };
    await expectRefused(notification, { 'agencies.1.name': /line breaks or control characters/ });
  });

  it('refuses line breaks in every single-line name, naming each field', async () => {
    const injected = 'Demo\r\nBcc: attacker@example.org';
    const notification = sampleNotification({
      notifyingLocalAuthority: injected,
      notifier: { name: injected, role: injected, email: 'notifier@example.org', phone: '0100\n0000' },
    });
    notification.incident = { ...notification.incident, panelReference: injected, location: injected };
    notification.agencies[0] = {
      ...notification.agencies[0]!,
      spoc: { name: injected, email: 'spoc@example.org' },
    };
    notification.children[0] = {
      ...notification.children[0]!,
      name: injected,
      ethnicity: { code: 'white-any-other', description: injected },
    };

    await expectRefused(notification, {
      notifyingLocalAuthority: /line breaks/,
      'incident.panelReference': /line breaks/,
      'incident.location': /line breaks/,
      'notifier.name': /line breaks/,
      'notifier.role': /line breaks/,
      'notifier.phone': /line breaks/,
      'agencies.0.spoc.name': /line breaks/,
      'children.0.name': /line breaks/,
      'children.0.ethnicity.description': /line breaks/,
    });
  });

  it('accepts line breaks and tabs in the multi-line answers, and refuses other controls there', async () => {
    const multiLine = sampleNotification();
    multiLine.incident = { ...multiLine.incident, summary: 'First line.\r\nSecond line.\n\tIndented.' };
    multiLine.parallelProcesses = { ...multiLine.parallelProcesses, other: 'One.\nTwo.' };
    expect((await submit(multiLine)).status).toBe(201);

    const controlled = sampleNotification();
    controlled.incident = { ...controlled.incident, summary: 'Beep\u0007' };
    controlled.parallelProcesses = { ...controlled.parallelProcesses, other: 'Nul\u0000' };
    store = new InMemoryCaseStore();
    s3.resetHistory();
    sfn.resetHistory();
    const response = await submit(controlled);
    expect(response.status).toBe(400);
    expect(errorsOf(response.body)).toEqual({
      'incident.summary': expect.stringMatching(/control characters/),
      'parallelProcesses.other': expect.stringMatching(/control characters/),
    });
  });

  it('caps every text field, the optional ones included', async () => {
    const notification = sampleNotification();
    notification.incident = { ...notification.incident, summary: 'x'.repeat(4001) };
    notification.notifier = { ...notification.notifier, phone: '1'.repeat(41) };
    await expectRefused(notification, {
      'incident.summary': /4000 characters or fewer/,
      'notifier.phone': /40 characters or fewer/,
    });
  });

  it('refuses an email address of 10,000 characters, and one over 254', async () => {
    const notification = sampleNotification();
    notification.notifier = { ...notification.notifier, email: `${'a'.repeat(9988)}@example.org` };
    notification.agencies[0] = {
      ...notification.agencies[0]!,
      spoc: {
        name: 'Spoc (demo)',
        email: `${'b'.repeat(64)}.${'c'.repeat(63)}@${'d'.repeat(63)}.${'e'.repeat(60)}.org`,
      },
    };
    await expectRefused(notification, {
      'notifier.email': /254 characters or fewer/,
      'agencies.0.spoc.email': /254 characters or fewer/,
    });
  });

  it('refuses an email address holding a line break or a control character', async () => {
    const notification = sampleNotification();
    notification.notifier = { ...notification.notifier, email: 'notifier@example.org\r\nBcc: x@example.org' };
    notification.agencies[0] = {
      ...notification.agencies[0]!,
      spoc: { name: 'Spoc (demo)', email: 'spoc\u0000@example.org' },
    };
    const response = await submit(notification);
    expect(response.status).toBe(400);
    expect(Object.keys(errorsOf(response.body)).sort()).toEqual(['agencies.0.spoc.email', 'notifier.email']);
  });

  it.each([
    [
      'incident.occurredOn',
      { occurredOn: '2026-05-03', localAuthorityAwareOn: '2026-05-03', panelNotifiedOn: '2026-05-03' },
    ],
    [
      'incident.localAuthorityAwareOn',
      { localAuthorityAwareOn: '2026-03-05', panelNotifiedOn: '2026-03-05' },
    ],
    ['incident.panelNotifiedOn', { panelNotifiedOn: '2026-03-05' }],
  ])('refuses %s in the future, with the pages’ message', async (field, incident) => {
    const response = await submit(withIncident(incident));
    expect(response.status).toBe(400);
    expect(errorsOf(response.body)[field]).toMatch(/must be today or in the past$/);
  });

  it('takes today as the London date of the service’s clock', async () => {
    // 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time).
    const summer = new SettableClock('2026-07-01T23:30:00Z');
    const service = testService({ store, clock: summer, s3: testS3Client(), sfn: new SFNClient({}) });
    const summerHandler = apiHandler('intake', intakeEndpoints(service));
    const response = await invoke(
      summerHandler,
      apiEvent({
        method: 'POST',
        path: '/api/notifications',
        routePath: '/api/notifications',
        body: withIncident({
          occurredOn: '2026-07-02',
          localAuthorityAwareOn: '2026-07-03',
          panelNotifiedOn: '2026-07-03',
        }),
        caller: notifier,
      }),
    );
    expect(response.status).toBe(400);
    expect(Object.keys(errorsOf(response.body))).toEqual([
      'incident.localAuthorityAwareOn',
      'incident.panelNotifiedOn',
    ]);
  });

  it('refuses a child born in the future, and one born after the incident', async () => {
    const notification = sampleNotification();
    notification.children = [
      { ...notification.children[0]!, dateOfBirth: '2027-01-01' },
      { ...notification.children[0]!, name: 'Demo Child Two', dateOfBirth: '2026-03-03' },
      { ...notification.children[0]!, name: 'Demo Child Three', dateOfBirth: '2026-03-02' },
    ];
    await expectRefused(notification, {
      'children.0.dateOfBirth': /^Date of birth must be today or in the past$/,
      'children.1.dateOfBirth': /^Date of birth must be on or before the date of the incident$/,
    });
  });

  it.each(['1900-06-01', '2009-12-31'])(
    'refuses an incident on %s, before the calendar, as a 400',
    async (date) => {
      const notification = withIncident({ occurredOn: date });
      notification.children = [{ ...notification.children[0]!, dateOfBirth: undefined, ageYears: 7 }];
      await expectRefused(notification, {
        'incident.occurredOn': /^Date of incident must be on or after 1 January 2010$/,
      });
    },
  );

  it('refuses an incident dated 2099 as a 400 in the future', async () => {
    await expectRefused(
      withIncident({
        occurredOn: '2099-01-01',
        localAuthorityAwareOn: '2099-01-02',
        panelNotifiedOn: '2099-01-02',
      }),
      {
        'incident.occurredOn': /must be today or in the past/,
        'incident.localAuthorityAwareOn': /must be today or in the past/,
        'incident.panelNotifiedOn': /must be today or in the past/,
      },
    );
  });

  it('accepts an incident from 2017, with awareness and notification years later', async () => {
    const notification = withIncident({
      occurredOn: '2017-06-12',
      localAuthorityAwareOn: '2017-06-13',
      panelNotifiedOn: '2017-06-14',
    });
    notification.children = [{ ...notification.children[0]!, dateOfBirth: '2012-02-29' }];
    const response = await submit(notification);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(store.caseCount()).toBe(1);
  });
});
