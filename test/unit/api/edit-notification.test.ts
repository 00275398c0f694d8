import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { editNotificationEndpoints } from '../../../functions/steer-case/edit-notification.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { childInitialsKeyOf } from '../../../shared/cases/child-initials.ts';
import { duplicateKeysOf, openCase } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import type { SeriousIncidentNotification } from '../../../shared/schemas/notification.ts';
import { TIMETABLE_DATE_MESSAGE } from '../../../shared/use-cases/edit-notification.ts';
import { VersionedDocumentStore } from '../../support/versioned-document-store.ts';
import {
  apiEvent,
  InMemoryCaseStore,
  invalidFieldsOf,
  invoke,
  notifier,
  partnershipTeam,
  SettableClock,
  TEST_DUPLICATE_CHECK_KEY,
  type TestCaller,
  testProfile,
} from './support/api-fixtures.ts';

const reason = 'Invented: the notifier sent the NHS number after the notification (demo).';

describe('PUT /api/cases/{caseId}/notification: the team corrects the notification', () => {
  let store: InMemoryCaseStore;
  let documents: VersionedDocumentStore;
  let handler: ReturnType<typeof apiHandler>;

  /** A case opened from the sample notification, at `status`. */
  async function aCase(
    status: CaseStatus = 'awaiting-summaries',
    notification: SeriousIncidentNotification = sampleNotification(),
  ): Promise<string> {
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification,
      receivedAt: new Date('2026-03-05T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
      duplicateCheckKey: TEST_DUPLICATE_CHECK_KEY,
    });
    await documents.put(record.notificationDocumentKey, JSON.stringify(notification), 'application/json');
    const actor = { kind: 'system', id: 'rapid-review-workflow' } as const;
    const created = await store.createCase(record, agencies, {
      actor,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    await store.updateCase(created, { status }, { actor, at: record.receivedAt, action: 's', reason: 'r' });
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    documents = new VersionedDocumentStore('case-documents-test');
    handler = apiHandler(
      'steer-case',
      editNotificationEndpoints({
        cases: store,
        clock: new SettableClock('2026-03-10T10:00:00Z'),
        documents,
        profile: testProfile,
        duplicateCheckKey: TEST_DUPLICATE_CHECK_KEY,
      }),
    );
  });

  const send = (caseId: string, body: unknown, caller: TestCaller | null = partnershipTeam) =>
    invoke(
      handler,
      apiEvent({
        method: 'PUT',
        path: `/api/cases/${caseId}/notification`,
        routePath: '/api/cases/{caseId}/notification',
        pathParameters: { caseId },
        body,
        caller: caller ?? undefined,
      }),
    );

  /** The sample notification with its one child's details and the incident changed. */
  function corrected(): SeriousIncidentNotification {
    const notification = sampleNotification();
    return {
      ...notification,
      notifyingLocalAuthority: 'Exampleborough Council',
      incident: {
        ...notification.incident,
        panelReference: 'PANEL-DEMO-0002',
        location: 'A park (invented)',
      },
      children: [
        {
          ...(notification.children[0] as SeriousIncidentNotification['children'][number]),
          nhsNumber: '9434765919',
          dateOfBirth: '2019-05-15',
        },
      ],
      householdMembers: [{ name: 'Invented Parent', relationship: 'Mother' }],
    };
  }

  it('keeps the change as version 2, points the case at it and updates its copied fields', async () => {
    const caseId = await aCase();

    const response = await send(caseId, { notification: corrected(), reason });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      changed: true,
      version: 2,
      fields: [
        'notifyingLocalAuthority',
        'incident.location',
        'incident.panelReference',
        'children.0.dateOfBirth',
        'children.0.nhsNumber',
        'householdMembers',
      ],
    });
    // Who by name, never an id; no document key.
    expect(JSON.stringify(response.body)).not.toContain(partnershipTeam.sub);
    expect(JSON.stringify(response.body)).not.toContain('documentKey');
    const record = store.caseOf(caseId);
    expect(record?.notificationDocumentKey).toMatch(
      new RegExp(`^cases/${caseId}/notification-v2-[0-9a-f]{8}\\.json$`),
    );
    expect(record).toMatchObject({
      notifyingLocalAuthority: 'Exampleborough Council',
      panelReference: 'PANEL-DEMO-0002',
      duplicateKeys: duplicateKeysOf(corrected(), TEST_DUPLICATE_CHECK_KEY),
    });
    expect(record?.notificationVersions).toEqual([
      expect.objectContaining({ version: 2, changedBy: partnershipTeam.sub, reason }),
    ]);
    const stored = JSON.parse(
      new TextDecoder().decode(await documents.getBytes(record?.notificationDocumentKey ?? '')),
    );
    expect(stored.children[0].nhsNumber).toBe('9434765919');
    // The first version is still there, unchanged.
    const first = JSON.parse(
      new TextDecoder().decode(await documents.getBytes(`cases/${caseId}/notification.json`)),
    );
    expect(first.children[0].nhsNumber).toBeUndefined();
    // Nothing identifying reaches the case record.
    expect(JSON.stringify(record)).not.toContain('9434765919');
    expect(JSON.stringify(record)).not.toContain('Invented Parent');
  });

  it('keys the case by the corrected child’s initials, never holding the initials or the name', async () => {
    const caseId = await aCase();
    const renamed = corrected();
    renamed.children = [
      {
        ...(renamed.children[0] as SeriousIncidentNotification['children'][number]),
        name: 'Invented Kid Zed',
      },
    ];
    const keyOf = (initials: string) => childInitialsKeyOf(caseId, initials, TEST_DUPLICATE_CHECK_KEY);
    expect(store.caseOf(caseId)?.childInitialsKeys).toContain(keyOf('DO'));

    const response = await send(caseId, { notification: renamed, reason });

    expect(response.status).toBe(200);
    const keys = store.caseOf(caseId)?.childInitialsKeys ?? [];
    expect(keys).toEqual(expect.arrayContaining([keyOf('IKZ'), keyOf('IZ')]));
    expect(keys).not.toContain(keyOf('DO'));
    expect(JSON.stringify(store.caseOf(caseId))).not.toMatch(/Invented Kid Zed|"IKZ"|"IZ"/);
  });

  it('audits who and why, with the changed fields by path and never their values', async () => {
    const caseId = await aCase();

    await send(caseId, { notification: corrected(), reason });

    const event = store.auditOf(caseId).find((candidate) => candidate.action === 'notification.changed');
    expect(event).toMatchObject({
      actor: { kind: 'staff', id: partnershipTeam.sub },
      reason: expect.stringContaining(reason),
      details: {
        version: 2,
        fields:
          'notifyingLocalAuthority, incident.location, incident.panelReference, children.0.dateOfBirth, children.0.nhsNumber, householdMembers',
      },
    });
    expect(JSON.stringify(event)).not.toContain('9434765919');
    expect(JSON.stringify(event)).not.toContain('2019-05-15');
  });

  it('numbers each further change, and the same notification again changes nothing', async () => {
    const caseId = await aCase();
    await send(caseId, { notification: corrected(), reason });
    const third = {
      ...corrected(),
      incident: { ...corrected().incident, summary: 'Invented, corrected (demo).' },
    };

    const response = await send(caseId, { notification: third, reason: 'Invented: a clearer summary.' });
    const again = await send(caseId, { notification: third, reason: 'Invented: sent twice.' });

    expect(response.body).toMatchObject({ changed: true, version: 3, fields: ['incident.summary'] });
    expect(again.body).toMatchObject({ changed: false, version: 3, fields: [] });
    expect(store.caseOf(caseId)?.notificationVersions?.map((version) => version.version)).toEqual([2, 3]);
  });

  it('refuses to change a date the timetable was planned from, naming the field', async () => {
    const caseId = await aCase();
    const notification = sampleNotification();
    const moved = {
      ...notification,
      incident: {
        ...notification.incident,
        localAuthorityAwareOn: '2026-03-04',
        panelNotifiedOn: '2026-03-05',
      },
    };

    const response = await send(caseId, { notification: moved, reason });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'notification.incident.localAuthorityAwareOn', message: TIMETABLE_DATE_MESSAGE },
      { field: 'notification.incident.panelNotifiedOn', message: TIMETABLE_DATE_MESSAGE },
    ]);
    expect(store.caseOf(caseId)?.notificationVersions).toBeUndefined();
  });

  it('refuses a change to the agencies: those are added or their contacts replaced', async () => {
    const caseId = await aCase();
    const notification = sampleNotification();

    const response = await send(caseId, {
      notification: { ...notification, agencies: notification.agencies.slice(1) },
      reason,
    });

    expect(response.status).toBe(400);
    expect(invalidFieldsOf(response.body)).toEqual(['notification.agencies']);
  });

  it('names every bad field as intake does, and the reason', async () => {
    const caseId = await aCase();
    const notification = corrected();
    const bad = {
      ...notification,
      children: [{ ...notification.children[0], nhsNumber: '943 476 5918' }],
    };

    const response = await send(caseId, { notification: bad, reason: '' });

    expect(response.status).toBe(400);
    expect(invalidFieldsOf(response.body)).toEqual(['notification.children.0.nhsNumber', 'reason']);
  });

  it.each(['submitted-to-panel', 'completed', 'closed', 'withdrawn'] as const)(
    'refuses once the case is %s (409)',
    async (status) => {
      const caseId = await aCase(status);

      const response = await send(caseId, { notification: corrected(), reason });

      expect(response.status).toBe(409);
    },
  );

  it('is for the partnership team only, and a strange case id is 404', async () => {
    const caseId = await aCase();
    expect((await send(caseId, { notification: corrected(), reason }, notifier)).status).toBe(403);
    expect((await send(caseId, { notification: corrected(), reason }, null)).status).toBe(401);
    expect((await send(randomUUID(), { notification: corrected(), reason })).status).toBe(404);
  });

  describe('a notification received before the census categories, whose ethnicity is free text', () => {
    /** The sample notification as it was sent then: the child's ethnicity as free text (invented). */
    const older = (ethnicity: unknown): SeriousIncidentNotification => {
      const notification = sampleNotification();
      const {
        disability: _disability,
        lookedAfterStatus: _status,
        childProtectionPlan: _plan,
        childInNeed: _inNeed,
        ...child
      } = notification.children[0] as SeriousIncidentNotification['children'][number];
      return { ...notification, children: [{ ...child, ethnicity: ethnicity as string }] };
    };

    it('is corrected with the free text kept as it was', async () => {
      const caseId = await aCase('awaiting-summaries', older('Not recorded (demo)'));
      const notification = older('Not recorded (demo)');
      notification.incident = { ...notification.incident, location: 'A park (invented)' };

      const response = await send(caseId, { notification, reason });

      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({ changed: true, fields: ['incident.location'] });
    });

    it('takes a census category in its place, but not new free text', async () => {
      const caseId = await aCase('awaiting-summaries', older('Not recorded (demo)'));

      const freeText = await send(caseId, { notification: older('Invented other words (demo)'), reason });
      const coded = await send(caseId, { notification: older({ code: 'white-roma' }), reason });

      expect(freeText.status).toBe(400);
      expect(invalidFieldsOf(freeText.body)).toEqual(['notification.children.0.ethnicity']);
      expect(coded.status, JSON.stringify(coded.body)).toBe(200);
      expect(coded.body).toMatchObject({ fields: ['children.0.ethnicity'] });
    });
  });
});
