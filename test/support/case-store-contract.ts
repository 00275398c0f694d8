/**
 * What every CaseStore does, whatever keeps it: one suite run against the DynamoDB adapter
 * (test/integration/case-store.test.ts, on DynamoDB Local) and against the in-memory fake the
 * unit tests use (test/unit/in-memory-case-store.test.ts), so the fake cannot drift from the
 * adapter it stands in for.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { openCase } from '../../shared/cases/open-case.ts';
import { CaseNotFoundError, DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { AgencyRequest } from '../../shared/schemas/case.ts';
import type { Actor } from '../../shared/schemas/roles.ts';
import type { AuditInput, CaseStore, DynamoDbCaseStore } from '../../shared/stores/case-store.ts';

/** The case store with its idempotency keys, as the DynamoDB adapter offers them. */
export type ContractCaseStore = CaseStore &
  Pick<DynamoDbCaseStore, 'claimIdempotencyKey' | 'findIdempotencyKey'>;
type IdempotencyClaim = Parameters<ContractCaseStore['claimIdempotencyKey']>[1];

const notifier: Actor = { kind: 'staff', id: 'user-notifier-demo', role: 'notifier' };
const workflow: Actor = { kind: 'system', id: 'rapid-review-workflow' };

/** An invented case opened on Wednesday 4 March 2026 with its four agency requests. */
export function aCase(receivedAt = '2026-03-04T10:00:00Z') {
  const caseId = randomUUID();
  return openCase({
    caseId,
    notification: sampleNotification(),
    receivedAt: new Date(receivedAt),
    notificationDocumentKey: `cases/${caseId}/notification.json`,
  });
}

/** The audit input of opening a case. */
/**
 * An agency request without the case's `caseReceivedAt`, which the DynamoDB store stamps on each
 * request it writes (it files the request in the month index beside its case); the in-memory
 * store needs none.
 */
export function unstamped(agency: AgencyRequest): AgencyRequest {
  const { caseReceivedAt: _stamp, ...rest } = agency;
  return rest;
}

export const opened = (at = '2026-03-04T10:00:00.000Z'): AuditInput => ({
  actor: notifier,
  at,
  action: 'case.opened',
  reason: 'Serious incident notification received',
});

const aClaim = (overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
  requestHash: 'hash-of-request-one',
  caseId: randomUUID(),
  claimedAt: '2026-03-04T10:00:00.000Z',
  ...overrides,
});

/**
 * Declares the contract's tests for the store `makeStore` answers: a new, empty one for each test.
 */
export function describeCaseStoreContract(name: string, makeStore: () => Promise<ContractCaseStore>): void {
  describe(`${name}: the CaseStore contract`, () => {
    let store: ContractCaseStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    describe('cases', () => {
      it('lists the reviews notified in London months with their agency requests, however those were written', async () => {
        const march = aCase('2026-03-04T10:00:00Z');
        // 11:30pm UTC on 31 March is 12:30am on 1 April in London.
        const april = aCase('2026-03-31T23:30:00Z');
        await store.createCase(march.record, march.agencies, opened());
        await store.createCase(april.record, april.agencies, opened('2026-03-31T23:30:00.000Z'));
        const audit = { actor: notifier, at: '2026-03-05T10:00:00.000Z', action: 'received', reason: 'r' };
        // An agency request as built, not as read back: the store still files it with its case.
        await store.updateAgencyRequest(march.agencies[0]!, { status: 'received' }, audit);
        await store.updateCase(march.record, { status: 'awaiting-summaries' }, { ...audit, action: 'moved' });

        const inMarch = await store.listReviewsNotifiedIn(['2026-03']);
        expect(inMarch.map((review) => review.case.caseId)).toEqual([march.record.caseId]);
        expect(inMarch[0]?.case.status).toBe('awaiting-summaries');
        expect(inMarch[0]?.agencies).toHaveLength(march.agencies.length);
        expect(
          inMarch[0]?.agencies.find((agency) => agency.agencyId === march.agencies[0]!.agencyId)?.status,
        ).toBe('received');
        const both = await store.listReviewsNotifiedIn(['2026-04', '2026-03']);
        expect(both.map((review) => review.case.caseId)).toEqual([march.record.caseId, april.record.caseId]);
        expect(await store.listReviewsNotifiedIn(['2026-02'])).toEqual([]);
      });

      it('writes an agency request against the case as read, and refuses once the case has moved on', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        const agency = agencies[0]!;
        const at = '2026-03-05T10:00:00.000Z';
        const audit = (action: string) => ({ actor: notifier, at, action, reason: 'r' });

        const updated = await store.updateAgencyRequest(agency, { status: 'requested' }, audit('first'), {
          caseVersion: record.version,
        });
        await store.updateCase(record, { status: 'awaiting-summaries' }, audit('moved on'));

        await expect(
          store.updateAgencyRequest(updated, { status: 'received' }, audit('second'), {
            caseVersion: record.version,
          }),
        ).rejects.toBeInstanceOf(StaleWriteError);
        const file = await store.getCaseWithAgencies(record.caseId);
        expect(file.agencies.find((found) => found.agencyId === agency.agencyId)?.status).toBe('requested');
      });

      it('finds cases by their duplicate marks, and only those', async () => {
        const first = aCase();
        const second = aCase();
        const withKeys = (record: typeof first.record, panelReference: string, keys: string[]) => ({
          ...record,
          panelReference,
          duplicateKeys: keys,
        });
        const [keyA, keyB, keyC] = ['a', 'b', 'c'].map((letter) => letter.repeat(64)) as [
          string,
          string,
          string,
        ];
        await store.createCase(withKeys(first.record, 'PANEL-TEST-1', [keyA]), first.agencies, opened());
        await store.createCase(withKeys(second.record, 'PANEL-TEST-2', [keyB]), second.agencies, opened());

        const byChild = await store.findCasesByDuplicateMarks([`child:${keyB}`]);
        const byReference = await store.findCasesByDuplicateMarks(['panel-reference:PANEL-TEST-1']);
        const byEither = await store.findCasesByDuplicateMarks([
          `child:${keyB}`,
          'panel-reference:PANEL-TEST-1',
        ]);

        expect(byChild.map((record) => record.caseId)).toEqual([second.record.caseId]);
        expect(byReference.map((record) => record.caseId)).toEqual([first.record.caseId]);
        expect(byEither.map((record) => record.caseId).sort()).toEqual(
          [first.record.caseId, second.record.caseId].sort(),
        );
        expect(await store.findCasesByDuplicateMarks([`child:${keyC}`])).toEqual([]);
      });

      it('finds a case by the marks a correction gave it (a new Panel reference, a new date of birth)', async () => {
        const { record, agencies } = aCase();
        const [keyA, keyB] = ['d', 'e'].map((letter) => letter.repeat(64)) as [string, string];
        const created = await store.createCase(
          { ...record, panelReference: 'PANEL-TEST-1', duplicateKeys: [keyA] },
          agencies,
          opened(),
        );

        await store.updateCase(
          created,
          { panelReference: 'PANEL-TEST-9', duplicateKeys: [keyB] },
          { ...opened(), action: 'notification.changed', reason: 'Invented (test)' },
        );

        for (const mark of ['panel-reference:PANEL-TEST-9', `child:${keyB}`]) {
          expect((await store.findCasesByDuplicateMarks([mark])).map((found) => found.caseId)).toEqual([
            record.caseId,
          ]);
        }
      });

      it('reads the case and its agency requests without the audit trail, and refuses a case that does not exist', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());

        const withAgencies = await store.getCaseWithAgencies(record.caseId);
        const { audit, ...file } = await store.getCaseFile(record.caseId);

        expect(withAgencies).toEqual(file);
        expect(Object.keys(withAgencies).sort()).toEqual(['agencies', 'case']);
        expect(audit).toHaveLength(1);
        await expect(store.getCaseWithAgencies(crypto.randomUUID())).rejects.toBeInstanceOf(
          CaseNotFoundError,
        );
      });

      it('creates a case with its agency requests and an audit event, and reads them back', async () => {
        const { record, agencies } = aCase();

        const created = await store.createCase(record, agencies, opened());

        expect(created).toEqual(record);
        const file = await store.getCaseFile(record.caseId);
        expect(file.case).toEqual(record);
        expect(file.agencies.map((agency) => agency.agencyId)).toEqual(
          ['childrens-social-care', 'education', 'health', 'police'].sort(),
        );
        expect(file.agencies.map(unstamped)).toEqual(
          [...agencies].sort((a, b) => a.agencyId.localeCompare(b.agencyId)),
        );
        expect(file.audit).toHaveLength(1);
        expect(file.audit[0]).toMatchObject({
          action: 'case.opened',
          actor: notifier,
          caseId: record.caseId,
          at: '2026-03-04T10:00:00.000Z',
          reason: 'Serious incident notification received',
        });
        expect(file.audit[0]?.eventId).toEqual(expect.any(String));
        expect(await store.getCase(record.caseId)).toEqual(record);
      });

      it('changes state and appends who, when, what and why in the same write', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());

        const next = await store.updateCase(
          record,
          { status: 'awaiting-summaries', currentStep: 'RequestAgencySummaries' },
          { actor: workflow, at: '2026-03-04T10:00:05.000Z', action: 'summaries.requested', reason: 'Day 1' },
        );

        expect(next).toMatchObject({
          status: 'awaiting-summaries',
          currentStep: 'RequestAgencySummaries',
          version: 2,
          updatedAt: '2026-03-04T10:00:05.000Z',
        });
        const file = await store.getCaseFile(record.caseId);
        expect(file.case).toEqual(next);
        expect(file.audit.map((event) => [event.action, event.reason, event.actor.kind])).toEqual([
          ['case.opened', 'Serious incident notification received', 'staff'],
          ['summaries.requested', 'Day 1', 'system'],
        ]);
      });

      it('refuses a stale write and leaves nothing behind', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        await store.updateCase(
          record,
          { status: 'awaiting-summaries' },
          { ...opened('2026-03-04T10:01:00.000Z'), action: 'first', reason: 'r1' },
        );

        const stale = store.updateCase(
          record,
          { status: 'failed' },
          { ...opened(), action: 'second', reason: 'r2' },
        );

        await expect(stale).rejects.toBeInstanceOf(StaleWriteError);
        const file = await store.getCaseFile(record.caseId);
        expect(file.case.status).toBe('awaiting-summaries');
        expect(file.case.version).toBe(2);
        expect(file.audit.map((event) => event.action)).toEqual(['case.opened', 'first']);
      });

      it('refuses to change a case that does not exist, writing nothing', async () => {
        const { record } = aCase();

        const change = store.updateCase(record, { status: 'failed' }, opened());

        await expect(change).rejects.toBeInstanceOf(StaleWriteError);
        expect(await store.getCase(record.caseId)).toBeUndefined();
        await expect(store.getCaseFile(record.caseId)).rejects.toBeInstanceOf(CaseNotFoundError);
      });

      it('refuses to create the same case twice and keeps the first', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());

        const again = store.createCase(
          { ...record, notifyingLocalAuthority: 'Somewhere Else (demo)' },
          agencies.slice(0, 1),
          opened('2026-03-04T10:05:00.000Z'),
        );

        await expect(again).rejects.toBeInstanceOf(DuplicateWriteError);
        const file = await store.getCaseFile(record.caseId);
        expect(file.case.notifyingLocalAuthority).toBe('Exampleshire County Council');
        expect(file.agencies).toHaveLength(agencies.length);
        expect(file.audit).toHaveLength(1);
      });

      it('treats the same change with the same event id as a duplicate, not a second change', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        const change: AuditInput = {
          ...opened(),
          action: 'summaries.requested',
          reason: 'Day 1',
          eventId: 'step-1',
        };
        const once = await store.updateCase(record, { status: 'awaiting-summaries' }, change);

        const twice = store.updateCase(once, { status: 'awaiting-summaries' }, change);

        await expect(twice).rejects.toBeInstanceOf(DuplicateWriteError);
        const file = await store.getCaseFile(record.caseId);
        expect(file.case.version).toBe(2);
        expect(file.audit.filter((event) => event.eventId === 'step-1')).toHaveLength(1);
      });

      it('reports a repeated event id as a duplicate even when the version is stale too', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        const change: AuditInput = { ...opened(), action: 'x', reason: 'y', eventId: 'step-2' };
        await store.updateCase(record, { status: 'awaiting-summaries' }, change);

        const retried = store.updateCase(record, { status: 'awaiting-summaries' }, change);

        await expect(retried).rejects.toBeInstanceOf(DuplicateWriteError);
      });

      it('updates an agency request with its own version and audit event, refusing a stale one', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        const police = agencies.find((agency) => agency.agencyId === 'police')!;

        const received = await store.updateAgencyRequest(
          police,
          { status: 'received', receivedAt: '2026-03-10T09:00:00.000Z', late: false },
          {
            actor: { kind: 'agency', agencyId: 'police' },
            at: '2026-03-10T09:00:00.000Z',
            action: 'summary.received',
            reason: 'Uploaded',
          },
        );
        const stale = store.updateAgencyRequest(
          police,
          { status: 'escalated' },
          { ...opened(), action: 'x', reason: 'y' },
        );

        expect(received).toMatchObject({ status: 'received', version: 2, late: false });
        await expect(stale).rejects.toBeInstanceOf(StaleWriteError);
        const file = await store.getCaseFile(record.caseId);
        expect(file.agencies.find((agency) => agency.agencyId === 'police')).toEqual(received);
        expect(file.case.version).toBe(1);
        expect(file.audit.map((event) => event.action)).toEqual(['case.opened', 'summary.received']);
      });

      it('updates several agency requests and the case together, each with its audit event', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        const [first, second] = agencies;
        const step = (agencyId: string): AuditInput => ({
          actor: workflow,
          at: '2026-03-04T10:00:05.000Z',
          action: 'agency.summary-requested',
          reason: `Asked ${agencyId}`,
          eventId: `request-${agencyId}`,
        });

        const written = await store.updateAgencyRequests(
          [
            { current: first!, changes: { status: 'requested' }, audit: step(first!.agencyId) },
            { current: second!, changes: { status: 'requested' }, audit: step(second!.agencyId) },
          ],
          {
            current: record,
            changes: { status: 'awaiting-summaries' },
            audit: { ...step('all'), action: 'summaries.requested' },
          },
        );

        expect(written.agencies.map((agency) => [agency.agencyId, agency.status, agency.version])).toEqual([
          [first!.agencyId, 'requested', 2],
          [second!.agencyId, 'requested', 2],
        ]);
        expect(written.case).toMatchObject({ status: 'awaiting-summaries', version: 2 });
        const file = await store.getCaseFile(record.caseId);
        expect(file.case).toEqual(written.case);
        expect(
          file.audit
            .map((event) => event.eventId)
            .slice(1)
            .sort(),
        ).toEqual([`request-${first!.agencyId}`, `request-${second!.agencyId}`, 'request-all'].sort());
      });

      it('writes none of several updates when one of them is stale, or was written before', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        const [first, second] = agencies;
        const audit = (eventId: string): AuditInput => ({ ...opened(), action: 'x', reason: 'y', eventId });
        const moved = await store.updateAgencyRequest(second!, { status: 'reminded' }, audit('earlier'));

        const stale = await store
          .updateAgencyRequests([
            { current: first!, changes: { status: 'escalated' }, audit: audit('new-1') },
            { current: second!, changes: { status: 'escalated' }, audit: audit('new-2') },
          ])
          .catch((error: unknown) => error);
        const repeated = await store
          .updateAgencyRequests([
            { current: first!, changes: { status: 'escalated' }, audit: audit('new-3') },
            { current: moved, changes: { status: 'escalated' }, audit: audit('earlier') },
          ])
          .catch((error: unknown) => error);

        expect(stale).toBeInstanceOf(StaleWriteError);
        expect(repeated).toBeInstanceOf(DuplicateWriteError);
        const file = await store.getCaseFile(record.caseId);
        expect(unstamped(file.agencies.find((agency) => agency.agencyId === first!.agencyId)!)).toEqual(
          first,
        );
        expect(unstamped(file.agencies.find((agency) => agency.agencyId === second!.agencyId)!)).toEqual(
          unstamped(moved),
        );
        expect(file.audit.map((event) => event.eventId).filter((id) => id.startsWith('new'))).toEqual([]);
      });

      it('says clearly when a case does not exist', async () => {
        const missing = randomUUID();

        await expect(store.getCaseFile(missing)).rejects.toBeInstanceOf(CaseNotFoundError);
        expect(await store.getCase(missing)).toBeUndefined();
      });

      it('rejects an invalid record before writing anything', async () => {
        const { record, agencies } = aCase();

        const invalid = store.createCase({ ...record, status: 'nonsense' as never }, agencies, opened());

        await expect(invalid).rejects.toThrow(/status/);
        await expect(store.getCaseFile(record.caseId)).rejects.toBeInstanceOf(CaseNotFoundError);
      });

      it('hands out records that changing does not change what is stored', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());

        const read = await store.getCase(record.caseId);
        read!.status = 'failed';
        const file = await store.getCaseFile(record.caseId);
        file.agencies[0]!.status = 'escalated';
        file.audit.length = 0;

        const again = await store.getCaseFile(record.caseId);
        expect(again.case.status).toBe('notified');
        expect(again.agencies[0]?.status).not.toBe('escalated');
        expect(again.audit).toHaveLength(1);
      });

      it('lists cases newest first and filters them by status', async () => {
        const older = aCase();
        const newer = aCase('2026-03-05T10:00:00Z');
        await store.createCase(older.record, older.agencies, opened());
        await store.createCase(newer.record, newer.agencies, opened('2026-03-05T10:00:00.000Z'));
        await store.updateCase(
          older.record,
          { status: 'awaiting-summaries' },
          { ...opened(), action: 'x', reason: 'y' },
        );

        const all = await store.listCases();
        const awaiting = await store.listCases({ status: 'awaiting-summaries' });
        const none = await store.listCases({ status: 'decided' });

        expect(all.map((record) => record.caseId)).toEqual([newer.record.caseId, older.record.caseId]);
        expect(awaiting.map((record) => record.caseId)).toEqual([older.record.caseId]);
        expect(awaiting[0]!.version).toBe(2);
        expect(none).toEqual([]);
      });

      it('lists audit events that share an instant in the order they were written', async () => {
        const { record, agencies } = aCase();
        let current = await store.createCase(record, agencies, opened());
        const sameInstant = '2026-03-04T10:00:00.000Z';

        for (const action of ['zeta.first', 'alpha.second', 'mu.third']) {
          current = await store.updateCase(
            current,
            {},
            { ...opened(sameInstant), action, reason: action, eventId: action },
          );
        }

        const file = await store.getCaseFile(record.caseId);
        expect(file.audit.map((event) => event.action)).toEqual([
          'case.opened',
          'zeta.first',
          'alpha.second',
          'mu.third',
        ]);
      });

      it('lists audit events by their time, whatever order they were written in', async () => {
        const { record, agencies } = aCase();
        const created = await store.createCase(record, agencies, opened('2026-03-04T12:00:00.000Z'));

        await store.updateCase(
          created,
          {},
          { ...opened('2026-03-04T11:00:00.000Z'), action: 'earlier', reason: 'r' },
        );

        const file = await store.getCaseFile(record.caseId);
        expect(file.audit.map((event) => event.action)).toEqual(['earlier', 'case.opened']);
      });
    });

    describe('adding an agency to a running case (issue 10 part 3)', () => {
      const added = (at = '2026-03-05T10:00:00.000Z'): AuditInput => ({
        actor: { kind: 'staff', id: 'user-team-demo', role: 'partnership-team' },
        at,
        action: 'agency.added',
        reason: 'Invented: the family had a housing officer (demo).',
      });

      it('writes the agency with the case’s new agency list and its audit event, all together', async () => {
        const { record, agencies } = aCase();
        const created = await store.createCase(record, agencies, opened());
        const agency = {
          ...(agencies[0] as (typeof agencies)[number]),
          agencyId: 'housing',
          agencyName: 'Housing',
        };

        const written = await store.addAgencyRequest(agency, {
          current: created,
          changes: { agencyIds: [...created.agencyIds, 'housing'] },
          audit: added(),
        });

        const file = await store.getCaseFile(record.caseId);
        expect(written.case.version).toBe(created.version + 1);
        expect(file.case.agencyIds).toContain('housing');
        expect(file.agencies.map((candidate) => candidate.agencyId)).toContain('housing');
        expect(file.audit.map((event) => event.action)).toContain('agency.added');
      });

      it('refuses an agency already on the case (duplicate) and a stale case, writing nothing', async () => {
        const { record, agencies } = aCase();
        const created = await store.createCase(record, agencies, opened());
        const police = agencies.find((agency) => agency.agencyId === 'police') as (typeof agencies)[number];
        const housing = { ...police, agencyId: 'housing', agencyName: 'Housing' };

        await expect(
          store.addAgencyRequest(police, {
            current: created,
            changes: { agencyIds: [...created.agencyIds] },
            audit: added(),
          }),
        ).rejects.toBeInstanceOf(DuplicateWriteError);
        await expect(
          store.addAgencyRequest(housing, {
            current: { ...created, version: created.version + 5 },
            changes: { agencyIds: [...created.agencyIds, 'housing'] },
            audit: added('2026-03-05T11:00:00.000Z'),
          }),
        ).rejects.toBeInstanceOf(StaleWriteError);
        const file = await store.getCaseFile(record.caseId);
        expect(file.agencies).toHaveLength(agencies.length);
        expect(file.case.version).toBe(created.version);
      });
    });

    describe('agency links', () => {
      const link = (overrides = {}) => ({
        tokenHash: `hash-${randomUUID()}`,
        caseId: randomUUID(),
        agencyId: 'police',
        expiresAt: '2026-04-04T17:00:00.000Z',
        ...overrides,
      });

      it('finds a link by the hash of its token, and nothing for another hash', async () => {
        const stored = link();

        await store.putAgencyLinks([stored]);

        expect(await store.findAgencyLink(stored.tokenHash)).toEqual(stored);
        expect(await store.findAgencyLink('hash-never-stored')).toBeUndefined();
      });

      it("keeps a chasing email's link with the hash of the link it was made beside", async () => {
        const companion = link({ companionOf: `hash-${randomUUID()}` });

        await store.putAgencyLinks([companion]);

        expect(await store.findAgencyLink(companion.tokenHash)).toEqual(companion);
      });

      it('refuses a second link with the same hash and keeps the first', async () => {
        const first = link();

        await store.putAgencyLinks([first]);
        const second = store.putAgencyLinks([{ ...first, agencyId: 'health' }]);

        await expect(second).rejects.toThrow();
        expect(await store.findAgencyLink(first.tokenHash)).toEqual(first);
      });

      it('stores several links at once, or none when one of them is taken', async () => {
        const taken = link();
        await store.putAgencyLinks([taken]);
        const together = [link(), link({ agencyId: 'health' })];

        await store.putAgencyLinks(together);
        const notStored = link({ agencyId: 'education' });
        const refused = await store
          .putAgencyLinks([notStored, { ...taken, agencyId: 'health' }])
          .catch((error: unknown) => error);

        for (const stored of together) expect(await store.findAgencyLink(stored.tokenHash)).toEqual(stored);
        expect(refused).toBeInstanceOf(Error);
        expect(await store.findAgencyLink(taken.tokenHash)).toEqual(taken);
        expect(await store.findAgencyLink(notStored.tokenHash)).toBeUndefined();
      });
    });

    describe('team upload numbers', () => {
      it('counts on from the numbers used before, and never gives two takes at once the same number', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());

        const numbers = await Promise.all(
          Array.from({ length: 5 }, () => store.takeTeamUploadNumber(record.caseId, 'health', 2)),
        );
        const otherAgency = await store.takeTeamUploadNumber(record.caseId, 'police', 0);

        expect(numbers.sort()).toEqual([3, 4, 5, 6, 7]);
        expect(otherAgency).toBe(1);
        expect((await store.getCaseWithAgencies(record.caseId)).agencies).toHaveLength(agencies.length);
      });
    });

    describe('case reference numbers', () => {
      it('numbers each year from 1, never giving two takes at once the same number', async () => {
        const numbers = await Promise.all(
          Array.from({ length: 25 }, () => store.takeCaseReferenceNumber(2026)),
        );
        const nextYear = await store.takeCaseReferenceNumber(2027);
        const afterwards = await store.takeCaseReferenceNumber(2026);

        expect([...numbers].sort((a, b) => a - b)).toEqual(
          Array.from({ length: 25 }, (_, index) => index + 1),
        );
        expect(nextYear).toBe(1);
        expect(afterwards).toBe(26);
        // The counter is no case.
        expect(await store.listCases()).toEqual([]);
      });
    });

    describe('issued uploads', () => {
      const issued = (overrides = {}) => ({
        uploadId: randomUUID(),
        caseId: randomUUID(),
        agencyId: 'police',
        issuedAt: '2026-03-12T14:00:00.000Z',
        expiresAt: '2026-03-12T14:15:00.000Z',
        ...overrides,
      });

      it('finds an issued upload by its id, unused, and nothing for an id never issued', async () => {
        const upload = issued();
        const underALink = issued({ linkTokenHash: 'a'.repeat(64) });

        await store.putIssuedUpload(upload);
        await store.putIssuedUpload(underALink);

        expect(await store.findIssuedUpload(upload.uploadId)).toEqual(upload);
        expect(await store.findIssuedUpload(underALink.uploadId)).toEqual(underALink);
        expect(await store.findIssuedUpload(randomUUID())).toBeUndefined();
      });

      it('refuses a second upload with the same id and keeps the first', async () => {
        const first = issued();
        await store.putIssuedUpload(first);

        const second = store.putIssuedUpload({ ...first, agencyId: 'health' });

        await expect(second).rejects.toThrow(DuplicateWriteError);
        expect(await store.findIssuedUpload(first.uploadId)).toEqual(first);
      });

      it('lets one object use a form, again and again, and answers any other object with that first use', async () => {
        const upload = issued();
        await store.putIssuedUpload(upload);
        const first = { usedBy: 'version-one', usedAt: '2026-03-12T14:05:00.000Z' };

        const claimed = await store.claimIssuedUpload(upload.uploadId, first);
        const again = await store.claimIssuedUpload(upload.uploadId, {
          usedBy: 'version-one',
          usedAt: '2026-03-12T14:06:00.000Z',
        });
        const other = await store.claimIssuedUpload(upload.uploadId, {
          usedBy: 'version-two',
          usedAt: '2026-03-12T14:07:00.000Z',
        });

        expect([claimed, again, other]).toEqual([first, first, first]);
        expect(await store.findIssuedUpload(upload.uploadId)).toEqual({ ...upload, use: first });
      });

      it('lets exactly one of many objects racing for a form use it', async () => {
        const upload = issued();
        await store.putIssuedUpload(upload);

        const uses = await Promise.all(
          ['a', 'b', 'c', 'd'].map((name) =>
            store.claimIssuedUpload(upload.uploadId, { usedBy: name, usedAt: '2026-03-12T14:05:00.000Z' }),
          ),
        );

        expect(new Set(uses.map((use) => use.usedBy)).size).toBe(1);
      });

      it('refuses to mark a form used that was never issued', async () => {
        const claim = store.claimIssuedUpload(randomUUID(), {
          usedBy: 'version-one',
          usedAt: '2026-03-12T14:05:00.000Z',
        });

        await expect(claim).rejects.toThrow(StaleWriteError);
      });
    });

    describe('decision tokens', () => {
      it('keeps the latest callback token of a case, and none for a case without one', async () => {
        const caseId = randomUUID();

        await store.saveDecisionToken(caseId, 'task-token-one', 1);
        await store.saveDecisionToken(caseId, 'task-token-two', 2);

        expect(await store.getDecisionToken(caseId)).toEqual({ taskToken: 'task-token-two', attempt: 2 });
        expect(await store.getDecisionToken(randomUUID())).toBeUndefined();
      });

      it('keeps the token apart from the case file', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());

        await store.saveDecisionToken(record.caseId, 'task-token', 1);

        const file = await store.getCaseFile(record.caseId);
        expect(file.case).toEqual(record);
        expect(file.audit).toHaveLength(1);
      });
    });

    describe('a resume owed to the workflow (issue 12)', () => {
      it('clears the marker it was given, moving the version on, and leaves a later marker alone', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        const owed = await store.updateCase(
          record,
          { resumeOwed: '2026-03-19T09:00:00.000Z' },
          { ...opened(), action: 'decision.recorded', at: '2026-03-19T09:00:00.000Z' },
        );

        await store.clearResumeOwed(record.caseId, '2026-03-19T08:00:00.000Z');
        const untouched = await store.getCase(record.caseId);
        await store.clearResumeOwed(record.caseId, '2026-03-19T09:00:00.000Z');
        const cleared = await store.getCase(record.caseId);
        await store.clearResumeOwed(record.caseId, '2026-03-19T09:00:00.000Z');

        expect(untouched).toEqual(owed);
        expect(cleared?.resumeOwed).toBeUndefined();
        expect(cleared?.version).toBe(owed.version + 1);
        expect(await store.getCase(record.caseId)).toEqual(cleared);
        await expect(store.updateCase(owed, { currentStep: 'Stale' }, opened())).rejects.toBeInstanceOf(
          StaleWriteError,
        );
      });

      it("marks the case as owing a resume, in the same write as the report's completion", async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());

        await store.completeReport(
          { caseId: record.caseId, completedAt: '2026-03-19T09:00:00.000Z', completedBy: 'user-team-demo' },
          { ...opened(), action: 'report.completed', at: '2026-03-19T09:00:00.000Z' },
        );

        const after = await store.getCase(record.caseId);
        expect(after?.resumeOwed).toBe('2026-03-19T09:00:00.000Z');
        expect(after?.version).toBe(record.version + 1);
      });
    });

    describe('the rapid review report', () => {
      const team: Actor = { kind: 'staff', id: 'user-team-demo', role: 'partnership-team' };
      const saved = (action: string, at = '2026-03-18T10:00:00.000Z'): AuditInput => ({
        actor: team,
        at,
        action,
        reason: 'r',
      });
      const section = (
        caseId: string,
        key: 'facts' | 'criteria',
        words: string,
        at = '2026-03-18T10:00:00.000Z',
      ) => ({ caseId, section: key, text: words, savedAt: at, savedBy: 'user-team-demo' }) as const;

      it('keeps each section, the latest text replacing the earlier, in report order, each save audited', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());

        await store.saveReportSection(
          section(record.caseId, 'facts', 'First draft.'),
          saved('report.section-saved'),
        );
        await store.saveReportSection(
          section(record.caseId, 'criteria', 'Meets the criteria.\nSecond line.'),
          saved('report.section-saved'),
        );
        await store.saveReportSection(
          section(record.caseId, 'facts', 'Second draft.', '2026-03-18T11:00:00.000Z'),
          saved('report.section-saved', '2026-03-18T11:00:00.000Z'),
        );

        const report = await store.getReport(record.caseId);
        expect(report.sections.map(({ section: key, text }) => [key, text])).toEqual([
          ['criteria', 'Meets the criteria.\nSecond line.'],
          ['facts', 'Second draft.'],
        ]);
        expect(report.completion).toBeUndefined();
        const file = await store.getCaseFile(record.caseId);
        expect(file.audit.filter((event) => event.action === 'report.section-saved')).toHaveLength(3);
        expect(file.case).toEqual(record);
      });

      it('marks the report complete once, and then refuses changes to it', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        await store.saveReportSection(
          section(record.caseId, 'facts', 'Facts.'),
          saved('report.section-saved'),
        );
        const completion = {
          caseId: record.caseId,
          completedAt: '2026-03-19T09:00:00.000Z',
          completedBy: 'user-team-demo',
        };

        await store.completeReport(completion, saved('report.completed', completion.completedAt));

        await expect(store.completeReport(completion, saved('again'))).rejects.toBeInstanceOf(
          StaleWriteError,
        );
        await expect(
          store.saveReportSection(section(record.caseId, 'facts', 'Changed.'), saved('late change')),
        ).rejects.toBeInstanceOf(StaleWriteError);
        const report = await store.getReport(record.caseId);
        expect(report.completion).toEqual(completion);
        expect(report.sections.map(({ text }) => text)).toEqual(['Facts.']);
      });

      it('refuses a section or a completion for a case that does not exist, and reads an empty report', async () => {
        const caseId = randomUUID();

        await expect(
          store.saveReportSection(section(caseId, 'facts', 'Facts.'), saved('x')),
        ).rejects.toBeInstanceOf(StaleWriteError);
        await expect(
          store.completeReport(
            { caseId, completedAt: '2026-03-19T09:00:00.000Z', completedBy: 'u' },
            saved('y'),
          ),
        ).rejects.toBeInstanceOf(StaleWriteError);
        expect(await store.getReport(caseId)).toEqual({ sections: [] });
      });
    });

    describe('idempotency keys', () => {
      it('claims a new key for the request and remembers it', async () => {
        const claim = aClaim();

        const holder = await store.claimIdempotencyKey('key-new', claim);

        expect(holder).toEqual(claim);
        expect(await store.findIdempotencyKey('key-new')).toEqual(claim);
      });

      it('answers a second claim of the same key with the first, unchanged', async () => {
        const first = aClaim();
        await store.claimIdempotencyKey('key-twice', first);

        const second = await store.claimIdempotencyKey(
          'key-twice',
          aClaim({ requestHash: 'hash-of-request-two', claimedAt: '2026-03-04T10:01:00.000Z' }),
        );

        expect(second).toEqual(first);
        expect(await store.findIdempotencyKey('key-twice')).toEqual(first);
      });

      it('lets exactly one of many concurrent claims of a key win', async () => {
        const claims = Array.from({ length: 8 }, () => aClaim());

        const holders = await Promise.all(
          claims.map((claim) => store.claimIdempotencyKey('key-race', claim)),
        );

        const winners = new Set(holders.map((holder) => holder.caseId));
        expect(winners.size).toBe(1);
        expect(claims.map((claim) => claim.caseId)).toContain([...winners][0]);
        expect(await store.findIdempotencyKey('key-race')).toEqual(holders[0]);
      });

      it('keeps keys apart from each other', async () => {
        const one = aClaim();
        const two = aClaim({ requestHash: 'hash-of-request-two' });

        await store.claimIdempotencyKey('key-one', one);
        await store.claimIdempotencyKey('key-two', two);

        expect(await store.findIdempotencyKey('key-one')).toEqual(one);
        expect(await store.findIdempotencyKey('key-two')).toEqual(two);
      });

      it('finds nothing for a key never claimed', async () => {
        expect(await store.findIdempotencyKey('key-never')).toBeUndefined();
      });
    });

    describe('structured return drafts', () => {
      it('keeps one draft per agency, replaced by the next save, beside the case without disturbing it', async () => {
        const { record, agencies } = aCase();
        await store.createCase(record, agencies, opened());
        const draft = {
          caseId: record.caseId,
          agencyId: 'police',
          savedAt: '2026-03-05T10:00:00.000Z',
          basedOnVersion: 0,
          answers: { kind: 'involvement' as const, rolesInvolved: 'Response officer (test)' },
        };

        expect(await store.getReturnDraft(record.caseId, 'police')).toBeUndefined();
        await store.putReturnDraft(draft);
        await store.putReturnDraft({
          ...draft,
          savedAt: '2026-03-05T11:00:00.000Z',
          answers: { kind: 'no-involvement' },
        });

        expect(await store.getReturnDraft(record.caseId, 'police')).toEqual({
          ...draft,
          savedAt: '2026-03-05T11:00:00.000Z',
          answers: { kind: 'no-involvement' },
        });
        expect(await store.getReturnDraft(record.caseId, 'health')).toBeUndefined();
        const file = await store.getCaseFile(record.caseId);
        expect(file.agencies).toHaveLength(agencies.length);
        expect(file.case).toEqual(record);
      });
    });

    describe('the partnership directory', () => {
      const at = '2026-03-05T10:00:00.000Z';
      const police = {
        agencyId: 'police',
        name: 'Police (test)',
        strategicLead: { name: 'Lead (test)', email: 'lead@example.org' },
        version: 1,
        updatedAt: at,
      };
      const housing = {
        agencyId: 'housing',
        name: 'Housing (test)',
        contact: { name: 'Contact (test)', email: 'contact@example.org' },
        updatedAt: at,
      };

      it('is not kept, and empty, until started; starting it twice keeps what was changed since', async () => {
        expect(await store.getDirectory()).toEqual({ kept: false, entries: [] });

        await store.startDirectory([police]);
        await store.putDirectoryEntry({ ...police, name: 'Police renamed (test)' }, 1);
        await store.startDirectory([police]);

        expect(await store.getDirectory()).toEqual({
          kept: true,
          entries: [{ ...police, name: 'Police renamed (test)', version: 2 }],
        });
      });

      it('adds an entry once, changes it only at the version read, and removes it only at that version', async () => {
        const added = await store.putDirectoryEntry(housing);
        expect(added).toEqual({ ...housing, version: 1 });
        await expect(store.putDirectoryEntry(housing)).rejects.toBeInstanceOf(DuplicateWriteError);

        await store.putDirectoryEntry({ ...housing, name: 'Housing renamed (test)' }, 1);
        await expect(store.putDirectoryEntry(housing, 1)).rejects.toBeInstanceOf(StaleWriteError);
        await expect(store.removeDirectoryEntry('housing', 1)).rejects.toBeInstanceOf(StaleWriteError);
        expect(await store.getDirectoryEntry('housing')).toEqual({
          ...housing,
          name: 'Housing renamed (test)',
          version: 2,
        });

        await store.removeDirectoryEntry('housing', 2);
        expect(await store.getDirectoryEntry('housing')).toBeUndefined();
        await expect(store.removeDirectoryEntry('housing', 2)).rejects.toBeInstanceOf(StaleWriteError);
      });
    });
  });
}
