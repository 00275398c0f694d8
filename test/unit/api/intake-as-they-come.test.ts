import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { duplicateKeyOf } from '../../../shared/cases/open-case.ts';
import type { NotifiedChild, SeriousIncidentNotification } from '../../../shared/schemas/notification.ts';
import { TEST_DUPLICATE_CHECK_KEY } from './support/api-fixtures.ts';
import { errorsOf, type IntakeWorld, intakeWorld } from './support/intake-world.ts';

/** Notifications as they really come: unnamed children, care leavers, a looked-after child's death, cross-border cases, possible duplicates. */
describe('intake: notifications as they really come', () => {
  let store: IntakeWorld['store'];
  let s3: IntakeWorld['s3'];
  let submit: IntakeWorld['submit'];

  beforeEach(() => {
    ({ store, s3, submit } = intakeWorld());
  });

  const withChild = (
    child: Partial<NotifiedChild>,
    base = sampleNotification(),
  ): SeriousIncidentNotification => {
    // The looked-after status and disability are left out too (an API client may), so the cases
    // below can make the child unborn, looked after or a care leaver with one field.
    const {
      name: _name,
      dateOfBirth: _born,
      lookedAfterStatus: _status,
      disability: _disability,
      ...rest
    } = base.children[0] as NotifiedChild;
    return { ...base, children: [{ ...rest, ...child }] };
  };
  const named = (child: Partial<NotifiedChild>) => withChild({ name: 'Demo Child One', ...child });
  const storedDocument = () => JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body));

  describe('a child with no name', () => {
    it.each([['unborn'], ['not-yet-identified']] as const)(
      'accepts a %s child with no name and no date of birth, and keeps which',
      async (identity) => {
        const response = await submit(withChild({ identity }));

        expect(response.status, JSON.stringify(response.body)).toBe(201);
        expect(storedDocument().children[0]).toMatchObject({ identity });
        expect(storedDocument().children[0].name).toBeUndefined();
      },
    );

    it('refuses an unborn child given a name, a date of birth or an age', async () => {
      const response = await submit(
        withChild({ identity: 'unborn', name: 'Demo Baby', dateOfBirth: '2026-01-01', ageYears: 0 }),
      );

      expect(response.status).toBe(400);
      expect(errorsOf(response.body)).toEqual({
        'children.0.name': 'An unborn child has no name: leave it out',
        'children.0.dateOfBirth': 'An unborn child has no date of birth: leave it out',
        'children.0.ageYears': 'An unborn child has no age: leave it out',
      });
      expect(store.caseCount()).toBe(0);
    });

    it('still needs a name and a date of birth or an age for a named child', async () => {
      const response = await submit(withChild({ identity: 'named' }));

      expect(response.status).toBe(400);
      expect(Object.keys(errorsOf(response.body)).sort()).toEqual([
        'children.0.dateOfBirth',
        'children.0.name',
      ]);
    });
  });

  describe('a care leaver', () => {
    it('accepts a care leaver aged 24', async () => {
      const response = await submit(named({ ageYears: 24, careLeaver: true }));

      expect(response.status, JSON.stringify(response.body)).toBe(201);
    });

    it('refuses an age of 18 without the care-leaver flag, and 25 with it', async () => {
      const eighteen = await submit(named({ ageYears: 18 }));
      const twentyFive = await submit(named({ ageYears: 25, careLeaver: true }));

      expect(errorsOf(eighteen.body)['children.0.ageYears']).toMatch(/under 18, unless .* care leaver/);
      expect(errorsOf(twentyFive.body)['children.0.ageYears']).toBe('A care leaver must be 24 or younger');
      expect(store.caseCount()).toBe(0);
    });

    it('checks the age on the incident date from the date of birth, with the same cap', async () => {
      const twentyThree = await submit(named({ dateOfBirth: '2002-06-01', careLeaver: true }));
      const notCareLeaver = await submit(named({ dateOfBirth: '2002-06-01', careLeaver: false }));

      expect(twentyThree.status, JSON.stringify(twentyThree.body)).toBe(201);
      expect(errorsOf(notCareLeaver.body)['children.0.dateOfBirth']).toMatch(
        /^On the date of the incident: age must be under 18/,
      );
    });
  });

  describe('the death of a looked-after child or care leaver', () => {
    const death = (deathNotifications?: SeriousIncidentNotification['deathNotifications']) => {
      const base = named({ dateOfBirth: '2010-01-10', lookedAfter: true });
      return {
        ...base,
        incident: { ...base.incident, kind: 'death' as const },
        ...(deathNotifications ? { deathNotifications } : {}),
      };
    };

    it('needs the dates the Secretary of State and Ofsted were notified', async () => {
      const response = await submit(death());

      expect(response.status).toBe(400);
      expect(Object.keys(errorsOf(response.body))).toEqual(['deathNotifications']);
    });

    it('accepts both dates, records them in the notification and marks the case', async () => {
      const response = await submit(
        death({ secretaryOfStateNotifiedOn: '2026-03-03', ofstedNotifiedOn: '2026-03-04' }),
      );

      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(storedDocument().deathNotifications).toEqual({
        secretaryOfStateNotifiedOn: '2026-03-03',
        ofstedNotifiedOn: '2026-03-04',
      });
      expect(store.caseOf(String(response.body.caseId))?.lookedAfterOrCareLeaverDeath).toBe(true);
    });

    it('refuses a date in the future or before the death', async () => {
      const response = await submit(
        death({ secretaryOfStateNotifiedOn: '2026-03-05', ofstedNotifiedOn: '2026-03-01' }),
      );

      expect(errorsOf(response.body)).toEqual({
        'deathNotifications.secretaryOfStateNotifiedOn':
          'Date the Secretary of State was notified must be today or in the past',
        'deathNotifications.ofstedNotifiedOn':
          'Date Ofsted was notified must be on or after the date of the incident',
      });
    });
  });

  describe('a case across a local authority border', () => {
    it('keeps the other local authority, why, and which partnership leads', async () => {
      const crossBorder = {
        otherLocalAuthority: 'Otherborough Council (invented)',
        connection: 'child-lives-there',
        leadPartnership: 'other',
      } as const;

      const response = await submit({ ...sampleNotification(), crossBorder });

      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(storedDocument().crossBorder).toEqual(crossBorder);
    });

    it('refuses one that does not say which partnership leads', async () => {
      const response = await submit({
        ...sampleNotification(),
        crossBorder: {
          otherLocalAuthority: 'Otherborough Council (invented)',
          connection: 'incident-happened-there',
        },
      });

      expect(Object.keys(errorsOf(response.body))).toEqual(['crossBorder.leadPartnership']);
    });
  });

  describe('a possible duplicate', () => {
    const first = async () => {
      const response = await submit(sampleNotification());
      expect(response.status).toBe(201);
      return { caseId: String(response.body.caseId), reference: String(response.body.reference) };
    };

    it('keeps a keyed hash of each child’s date of birth and the incident date on the case, never the dates', async () => {
      const { caseId } = await first();

      const record = store.caseOf(caseId);
      expect(record?.duplicateKeys).toEqual([
        duplicateKeyOf('2019-05-14', '2026-03-02', TEST_DUPLICATE_CHECK_KEY),
      ]);
      expect(JSON.stringify(record)).not.toContain('2019-05-14');
      // Keyed: without the deployment's secret, trying every date of birth finds nothing.
      const unkeyed = createHash('sha256')
        .update('possible-duplicate\n2019-05-14\n2026-03-02', 'utf8')
        .digest('hex');
      expect(record?.duplicateKeys).not.toContain(unkeyed);
      expect(duplicateKeyOf('2019-05-14', '2026-03-02', 'another-secret')).not.toBe(
        record?.duplicateKeys?.[0],
      );
    });

    it('refuses the same Panel reference on an open case with a 409 naming it and its page, storing nothing', async () => {
      const existing = await first();
      const again = withChild({ name: 'Demo Child Two', dateOfBirth: '2018-01-01' });

      const response = await submit(again);

      expect(response.status).toBe(409);
      expect(response.body.title).toBe('Possible duplicate');
      expect(response.body.detail).toContain(existing.reference);
      expect(response.body.detail).toContain(`/cases/${existing.caseId}`);
      expect(response.body.detail).toContain('the same Panel reference');
      expect(store.caseCount()).toBe(1);
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
    });

    it('names three possible duplicates and counts the rest, however many open cases match', async () => {
      const existing = await first();
      for (let n = 0; n < 4; n++) {
        const acknowledged = await submit({
          ...sampleNotification(),
          possibleDuplicate: {
            caseId: existing.caseId,
            reason: 'Invented: a second child of the same incident',
          },
        });
        expect(acknowledged.status).toBe(201);
      }

      const response = await submit(sampleNotification());

      expect(response.status).toBe(409);
      const detail = String(response.body.detail);
      expect(detail.match(/\/cases\//g)).toHaveLength(3);
      expect(detail).toContain('and 2 more open cases');
    });

    it('refuses the same child’s date of birth and incident date under another Panel reference', async () => {
      const existing = await first();
      const base = sampleNotification();

      const response = await submit({
        ...base,
        incident: { ...base.incident, panelReference: 'PANEL-DEMO-0099' },
      });

      expect(response.status).toBe(409);
      expect(response.body.detail).toContain(existing.reference);
      expect(response.body.detail).toContain('the same child’s date of birth and incident date');
    });

    it('opens the case when the duplicate is acknowledged with a reason, and audits the reason', async () => {
      const existing = await first();

      const response = await submit({
        ...sampleNotification(),
        possibleDuplicate: {
          caseId: existing.caseId,
          reason: 'A second incident on the same day (invented)',
        },
      });

      expect(response.status, JSON.stringify(response.body)).toBe(201);
      const opened = store.auditOf(String(response.body.caseId))[0];
      expect(opened?.reason).toBe(
        `Serious incident notification received, sent although it may duplicate case ${existing.reference}: ` +
          'A second incident on the same day (invented)',
      );
      expect(opened?.details).toMatchObject({
        possibleDuplicateOf: existing.reference,
        possibleDuplicateCaseId: existing.caseId,
        possibleDuplicateReason: 'A second incident on the same day (invented)',
      });
      expect(storedDocument().possibleDuplicate).toBeUndefined();
    });

    it('refuses an acknowledgement of another case, or one without a reason', async () => {
      await first();

      const otherCase = await submit({
        ...sampleNotification(),
        possibleDuplicate: {
          caseId: '00000000-0000-4000-8000-000000000000',
          reason: 'Not the same (invented)',
        },
      });
      const noReason = await submit({
        ...sampleNotification(),
        possibleDuplicate: { caseId: '00000000-0000-4000-8000-000000000000', reason: ' ' },
      });

      expect(otherCase.status).toBe(409);
      expect(noReason.status).toBe(400);
      expect(Object.keys(errorsOf(noReason.body))).toEqual(['possibleDuplicate.reason']);
      expect(store.caseCount()).toBe(1);
    });

    it('does not count a case that is no longer open', async () => {
      const { caseId } = await first();
      const record = store.caseOf(caseId);
      if (!record) throw new Error('The first case was not stored');
      await store.updateCase(
        record,
        { status: 'completed' },
        {
          actor: { kind: 'system', id: 'test' },
          at: '2026-03-04T10:00:00.000Z',
          action: 'case.completed',
          reason: 'Invented for the test',
        },
      );

      const response = await submit(sampleNotification());

      expect(response.status, JSON.stringify(response.body)).toBe(201);
    });
  });
});
