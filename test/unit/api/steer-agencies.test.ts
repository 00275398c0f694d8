import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { steerCaseEndpoints } from '../../../functions/steer-case/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { S3UploadForms } from '../../../shared/adapters/upload-forms.ts';
import { agencyUploadKey } from '../../../shared/agency-links.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import { collationStartsAt, milestone } from '../../../shared/schemas/timetable.ts';
import type { CaseChanges } from '../../../shared/stores/case-store.ts';
import {
  issueAgencyUpload,
  LinkNotUsableError,
  showAgencyRequest,
} from '../../../shared/use-cases/agency-request.ts';
import { submitAgencyReturn } from '../../../shared/use-cases/agency-structured-return.ts';
import { climbLadder } from '../../../shared/use-cases/climb-ladder.ts';
import { collateReport } from '../../../shared/use-cases/collate-report.ts';
import { recordUpload, uploadProblemText } from '../../../shared/use-cases/record-summary.ts';
import { requestAgencySummaries } from '../../../shared/use-cases/request-agency-summaries.ts';
import { aPdf } from '../../support/test-files.ts';
import { VersionedDocumentStore } from '../../support/versioned-document-store.ts';
import { InMemoryDocumentStore, RecordingMailer } from '../workflow/workflow-fakes.ts';
import {
  apiEvent,
  InMemoryCaseStore,
  invalidFieldsOf,
  invoke,
  notifier,
  partnershipTeam,
  rrgChair,
  SettableClock,
  type TestCaller,
  testProfile,
  testS3Client,
} from './support/api-fixtures.ts';

const publicBaseUrl = 'https://rapid-review.example.test';
const reason = 'Invented: the family moved; the new area’s school knows them (demo).';
const newAgency = {
  name: 'Housing (demo)',
  spoc: { name: 'Spoc Housing (demo)', email: 'spoc.housing@example.org' },
  reason,
};
const newContact = { name: 'New Spoc Police (demo)', email: 'new.spoc.police@example.org' };

/** The workflow's callbacks, recorded. */
class RecordingWorkflow implements Pick<ReviewWorkflow, 'failTask'> {
  readonly failed: { taskToken: string; error: string }[] = [];
  /** How many of the next calls fail as Step Functions does when it cannot be reached. */
  unreachable = 0;
  async failTask(taskToken: string, error: string): Promise<void> {
    if (this.unreachable > 0) {
      this.unreachable -= 1;
      throw Object.assign(new Error('Step Functions unreachable (test)'), { name: 'ServiceUnavailable' });
    }
    // As Step Functions answers for a callback already failed: the workflow is no longer waiting.
    if (this.failed.some((call) => call.taskToken === taskToken)) {
      throw Object.assign(new Error('Task already failed (test)'), { name: 'TaskTimedOut' });
    }
    this.failed.push({ taskToken, error });
  }
}

/** The token in the last link emailed to `address`. */
function lastLinkTo(mailer: RecordingMailer, address: string): string {
  const messages = mailer.to(address);
  const text = messages[messages.length - 1]?.text ?? '';
  const match = /\/agency\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!match) throw new Error(`No link emailed to ${address}`);
  return match[1] as string;
}

describe('steer-case: the team adds, changes and removes agencies, and withdraws the case', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let workflow: RecordingWorkflow;
  let clock: SettableClock;
  let handler: ReturnType<typeof apiHandler>;
  const service = () => ({ cases: store, clock, mailer, profile: testProfile, publicBaseUrl });

  /** Every rung of the escalation ladder climbed at the Day 10 deadline; answers the rungs each agency climbed. */
  async function climbEveryRung(caseId: string): Promise<Record<string, string[]>> {
    clock.set(
      new Date(
        Date.parse(milestone(store.caseOf(caseId)!.timetable, 'agencySummariesDue').dueAt) + 5000,
      ).toISOString(),
    );
    const documents = new InMemoryDocumentStore('case-documents-test', () => clock.now());
    await climbLadder({ ...service(), documents }, { caseId });
    const { agencies } = await store.getCaseFile(caseId);
    return Object.fromEntries(
      agencies.map((agency) => [agency.agencyId, (agency.ladder ?? []).map((rung) => rung.kind)]),
    );
  }

  /** A case whose agencies were asked on Day 1 (the workflow's own step), then changed by `changes`. */
  async function aCase(changes: CaseChanges = {}): Promise<string> {
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-12-10T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(record, agencies, {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    await requestAgencySummaries(service(), { caseId });
    if (Object.keys(changes).length > 0) {
      await store.updateCase(store.caseOf(caseId)!, changes, {
        actor: { kind: 'system', id: 'rapid-review-workflow' },
        at: '2026-12-11T09:00:00.000Z',
        action: 'status.changed',
        reason: 'Invented (test)',
      });
    }
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    workflow = new RecordingWorkflow();
    clock = new SettableClock('2026-12-11T10:00:00Z');
    handler = apiHandler(
      'steer-case',
      steerCaseEndpoints({
        ...service(),
        workflow: workflow as unknown as ReviewWorkflow,
        documents: new InMemoryDocumentStore('case-documents-test', () => clock.now()),
      }),
    );
  });

  const send = (
    method: 'POST' | 'PUT',
    path: string,
    routePath: string,
    pathParameters: Record<string, string>,
    body: unknown,
    caller: TestCaller | null = partnershipTeam,
    headers: Record<string, string> = {},
  ) =>
    invoke(
      handler,
      apiEvent({ method, path, routePath, pathParameters, body, caller: caller ?? undefined, headers }),
    );
  const add = (caseId: string, body: unknown, caller?: TestCaller | null) =>
    send('POST', `/api/cases/${caseId}/agencies`, '/api/cases/{caseId}/agencies', { caseId }, body, caller);
  const onAgency = (
    action: 'contact' | 'resend' | 'remove',
    caseId: string,
    agencyId: string,
    body: unknown,
    caller?: TestCaller | null,
    headers?: Record<string, string>,
  ) =>
    send(
      action === 'contact' ? 'PUT' : 'POST',
      `/api/cases/${caseId}/agencies/${agencyId}/${action}`,
      `/api/cases/{caseId}/agencies/{agencyId}/${action}`,
      { caseId, agencyId },
      body,
      caller,
      headers,
    );
  const withdraw = (caseId: string, body: unknown, caller?: TestCaller | null) =>
    send('POST', `/api/cases/${caseId}/withdraw`, '/api/cases/{caseId}/withdraw', { caseId }, body, caller);

  describe('POST /api/cases/{caseId}/agencies', () => {
    it('adds the agency and asks it at once, due on the case’s own Day 10 deadline, audited with the reason', async () => {
      const caseId = await aCase();

      const response = await add(caseId, newAgency);

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ agencyId: 'housing-demo', status: 'requested' });
      const record = store.caseOf(caseId)!;
      expect(record.agencyIds).toContain('housing-demo');
      const [email] = mailer.to('spoc.housing@example.org');
      expect(email?.subject).toContain('summary requested from Housing (demo)');
      const token = lastLinkTo(mailer, 'spoc.housing@example.org');
      const view = await showAgencyRequest(service(), { token });
      expect(view.dueAt).toBe(milestone(record.timetable, 'agencySummariesDue').dueAt);
      const added = store.auditOf(caseId).find((event) => event.action === 'agency.added');
      expect(added?.reason).toContain(reason);
      expect(added?.actor).toEqual({ kind: 'staff', id: partnershipTeam.sub, role: 'partnership-team' });
    });

    it('is reminded and escalated with the other agencies', async () => {
      const caseId = await aCase();
      await add(caseId, newAgency);

      const climbed = await climbEveryRung(caseId);

      expect(climbed['housing-demo']).toEqual(['reminder', 'lead-copied', 'formal-request']);
    });

    it('refuses an agency of a name already asked (409), and after collation (409)', async () => {
      const caseId = await aCase();
      const collated = await aCase({ status: 'collating' });

      const twice = await add(caseId, { ...newAgency, name: 'police' });
      const late = await add(collated, newAgency);
      clock.set(collationStartsAt(store.caseOf(caseId)!.timetable));
      const pastCollationTime = await add(caseId, newAgency);

      expect([twice.status, late.status, pastCollationTime.status]).toEqual([409, 409, 409]);
      expect(twice.body.title).toBe('Agency already asked');
      expect(late.body.title).toBe('Summaries already collated');
      expect(mailer.to('spoc.housing@example.org')).toEqual([]);
    });

    it('answers 400 naming each bad field, and adds nothing', async () => {
      const caseId = await aCase();

      const response = await add(caseId, { name: ' ', spoc: { name: 'x', email: 'not an email' } });

      expect(response.status).toBe(400);
      expect(invalidFieldsOf(response.body).sort()).toEqual(['name', 'reason', 'spoc.email']);
      expect(store.caseOf(caseId)?.agencyIds).toHaveLength(4);
    });

    it('lets only the partnership team add one', async () => {
      const caseId = await aCase();
      const statuses = [(await add(caseId, newAgency, null)).status];
      for (const caller of [notifier, rrgChair]) statuses.push((await add(caseId, newAgency, caller)).status);
      expect(statuses).toEqual([401, 403, 403]);
    });
  });

  describe('PUT /api/cases/{caseId}/agencies/{agencyId}/contact', () => {
    it('stops the old link at once and emails a new one to the new contact, audited with the reason', async () => {
      const caseId = await aCase();
      const oldToken = lastLinkTo(mailer, 'spoc.police@example.org');

      const response = await onAgency('contact', caseId, 'police', { spoc: newContact, reason });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ agencyId: 'police', spoc: newContact, changed: true });
      await expect(showAgencyRequest(service(), { token: oldToken })).rejects.toThrow(/does not work/);
      const newToken = lastLinkTo(mailer, newContact.email);
      expect((await showAgencyRequest(service(), { token: newToken })).agency).toBe('Police');
      const replaced = store.auditOf(caseId).find((event) => event.action === 'agency.contact-replaced');
      expect(replaced?.reason).toContain(reason);
    });

    it('refuses a file sent with a form the old contact opened before the change, and deletes it; the new contact’s form works', async () => {
      const caseId = await aCase();
      const oldToken = lastLinkTo(mailer, 'spoc.police@example.org');
      const uploads = new VersionedDocumentStore('agency-uploads-test');
      const documents = new VersionedDocumentStore('case-documents-test');
      const ports = {
        ...service(),
        uploads,
        documents,
        uploadForms: new S3UploadForms(testS3Client(), 'agency-uploads-test'),
      };
      const pdf = { fileName: 'summary.pdf', contentType: 'application/pdf', size: aPdf().byteLength };
      const oldForm = await issueAgencyUpload(ports, { token: oldToken, upload: pdf });

      await onAgency('contact', caseId, 'police', { spoc: newContact, reason });
      const newForm = await issueAgencyUpload(ports, {
        token: lastLinkTo(mailer, newContact.email),
        upload: pdf,
      });
      const sendFile = (key: string) => {
        const versionId = uploads.store(key, aPdf(), 'application/pdf', clock.now());
        return recordUpload(ports, { bucket: uploads.bucket, key, versionId, scan: 'not-scanned' });
      };

      expect(await sendFile(oldForm.key)).toBe('rejected');
      expect(uploads.current(oldForm.key)).toBeUndefined();
      const refused = store.auditOf(caseId).find((event) => event.action === 'summary.rejected');
      expect(refused?.reason).toBe(uploadProblemText['link-replaced']);
      expect(store.agencyRequestOf(caseId, 'police').status).toBe('requested');
      expect(await sendFile(newForm.key)).toBe('received');
    });

    it('still accepts a file from a form recorded before forms named their link (it expires as before)', async () => {
      const caseId = await aCase();
      const uploads = new VersionedDocumentStore('agency-uploads-test');
      const ports = { ...service(), uploads, documents: new VersionedDocumentStore('case-documents-test') };
      const uploadId = randomUUID();
      await store.putIssuedUpload({
        uploadId,
        caseId,
        agencyId: 'police',
        issuedAt: clock.now().toISOString(),
        expiresAt: new Date(clock.now().getTime() + 900_000).toISOString(),
      });
      await onAgency('contact', caseId, 'police', { spoc: newContact, reason });
      const key = agencyUploadKey(caseId, 'police', uploadId);
      const versionId = uploads.store(key, aPdf(), 'application/pdf', clock.now());

      const outcome = await recordUpload(ports, {
        bucket: uploads.bucket,
        key,
        versionId,
        scan: 'not-scanned',
      });

      expect(outcome).toBe('received');
    });

    it('refuses a structured return sent with the old link as an expired link is refused (403)', async () => {
      const caseId = await aCase();
      const oldToken = lastLinkTo(mailer, 'spoc.police@example.org');
      await onAgency('contact', caseId, 'police', { spoc: newContact, reason });

      const sent = submitAgencyReturn(service(), {
        token: oldToken,
        answers: { kind: 'no-involvement', confirmed: true },
      });

      await expect(sent).rejects.toBeInstanceOf(LinkNotUsableError);
      await expect(sent).rejects.toMatchObject({ kind: 'forbidden' });
      expect(store.agencyRequestOf(caseId, 'police').returns ?? []).toEqual([]);
    });

    it('answers 404 for an agency not on the case, 400 naming bad fields', async () => {
      const caseId = await aCase();
      const unknown = await onAgency('contact', caseId, 'no-such-agency', { spoc: newContact, reason });
      const bad = await onAgency('contact', caseId, 'police', { spoc: { name: '', email: '' } });
      expect([unknown.status, bad.status]).toEqual([404, 400]);
      expect(invalidFieldsOf(bad.body).sort()).toEqual(['reason', 'spoc.email', 'spoc.name']);
    });
  });

  describe('POST /api/cases/{caseId}/agencies/{agencyId}/resend', () => {
    it('sends the same contact a fresh link and stops the old one; the same Idempotency-Key again sends nothing', async () => {
      const caseId = await aCase();
      const oldToken = lastLinkTo(mailer, 'spoc.police@example.org');
      const key = { 'idempotency-key': 'resend-police-1' };

      const first = await onAgency('resend', caseId, 'police', { reason }, partnershipTeam, key);
      const again = await onAgency('resend', caseId, 'police', { reason }, partnershipTeam, key);

      expect([first.status, again.status]).toEqual([200, 200]);
      expect([first.body.changed, again.body.changed]).toEqual([true, false]);
      expect(mailer.to('spoc.police@example.org')).toHaveLength(2);
      await expect(showAgencyRequest(service(), { token: oldToken })).rejects.toThrow(/does not work/);
      const newToken = lastLinkTo(mailer, 'spoc.police@example.org');
      expect((await showAgencyRequest(service(), { token: newToken })).agency).toBe('Police');
      expect(store.auditOf(caseId).filter((event) => event.action === 'agency.link-resent')).toHaveLength(1);
    });
  });

  describe('POST /api/cases/{caseId}/agencies/{agencyId}/remove', () => {
    it('removes the agency with the reason: its link stops, it is never chased, it is not missing', async () => {
      const caseId = await aCase();
      const token = lastLinkTo(mailer, 'spoc.police@example.org');

      const response = await onAgency('remove', caseId, 'police', { reason });

      expect(response.status).toBe(200);
      expect(store.agencyRequestOf(caseId, 'police').status).toBe('removed');
      await expect(showAgencyRequest(service(), { token })).rejects.toThrow(/does not work/);
      const climbed = await climbEveryRung(caseId);
      expect(climbed.police).toEqual([]);
      expect(Object.values(climbed).some((rungs) => rungs.length > 0)).toBe(true);
      const removed = store.auditOf(caseId).find((event) => event.action === 'agency.removed');
      expect(removed?.reason).toContain(reason);
    });

    it('refuses a second removal and a removed agency’s resend (409)', async () => {
      const caseId = await aCase();
      await onAgency('remove', caseId, 'police', { reason });

      const twice = await onAgency('remove', caseId, 'police', { reason });
      const resend = await onAgency('resend', caseId, 'police', { reason });

      expect([twice.status, resend.status]).toEqual([409, 409]);
      expect(twice.body.title).toBe('Agency removed');
    });
  });

  describe('POST /api/cases/{caseId}/withdraw', () => {
    it('withdraws the case: links stop, everyone told once with no reason, the waiting decision failed', async () => {
      const caseId = await aCase();
      await store.saveDecisionToken(caseId, 'token-demo', 1);
      const token = lastLinkTo(mailer, 'spoc.police@example.org');

      const response = await withdraw(caseId, { reason });
      const again = await withdraw(caseId, { reason });

      expect(response.status).toBe(201);
      // A repeat finds everything done: it changes nothing and tells no one again.
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ reason });
      expect(store.auditOf(caseId).filter((event) => event.action === 'case.withdrawn')).toHaveLength(1);
      expect(store.caseOf(caseId)).toMatchObject({ status: 'withdrawn', withdrawal: { reason } });
      await expect(showAgencyRequest(service(), { token })).rejects.toThrow(/does not work/);
      expect(workflow.failed).toEqual([{ taskToken: 'token-demo', error: 'CaseWithdrawn' }]);
      const told = mailer.sent.filter((email) => email.key.startsWith(`${caseId}:Withdrawn:`));
      expect(told.map((email) => email.message.to[0]).sort()).toEqual(
        [
          'notifier@example.org',
          'rrg-chair@example.org',
          'rrg-member@example.org',
          'spoc.education@example.org',
          'spoc.health@example.org',
          'spoc.police@example.org',
          'spoc.social-care@example.org',
        ].sort(),
      );
      for (const email of told) {
        expect(email.message.text).not.toContain(reason);
        expect(email.message.text).not.toContain('Demo Child');
      }
      expect(store.auditOf(caseId).find((event) => event.action === 'case.withdrawn')?.reason).toContain(
        reason,
      );
    });

    it('after a 503, the same request again finishes the follow-ups not yet done, telling no one twice', async () => {
      const caseId = await aCase();
      await store.saveDecisionToken(caseId, 'token-demo', 1);
      workflow.unreachable = 1;
      const sendOnce = mailer.sendOnce.bind(mailer);
      let sendsBeforeOutage = 3;
      mailer.sendOnce = async (key, message) => {
        if (key.includes(':Withdrawn:') && sendsBeforeOutage-- <= 0) {
          throw Object.assign(new Error('SES unreachable (test)'), { name: 'ServiceUnavailable' });
        }
        return sendOnce(key, message);
      };
      const withdrawnEmails = () =>
        mailer.sent.filter((email) => email.key.startsWith(`${caseId}:Withdrawn:`));

      const workflowDown = await withdraw(caseId, { reason });
      const toldBefore = withdrawnEmails().length;
      const mailDown = await withdraw(caseId, { reason: 'A second reason (demo).' });
      const toldPartly = withdrawnEmails().length;
      mailer.sendOnce = sendOnce;
      const finished = await withdraw(caseId, { reason });
      const afterwards = await withdraw(caseId, { reason });

      expect([workflowDown.status, mailDown.status, finished.status, afterwards.status]).toEqual([
        503, 503, 200, 200,
      ]);
      expect(workflowDown.body.detail).toContain('Send the withdrawal again');
      expect([toldBefore, toldPartly]).toEqual([0, 3]);
      expect(workflow.failed).toEqual([{ taskToken: 'token-demo', error: 'CaseWithdrawn' }]);
      const told = withdrawnEmails().map((email) => email.message.to[0]);
      expect(told).toHaveLength(7);
      expect(new Set(told).size).toBe(7);
      // The withdrawal stays as first recorded: a repeat's reason changes nothing.
      expect(finished.body).toMatchObject({ reason });
      expect(store.caseOf(caseId)?.withdrawal?.reason).toBe(reason);
      expect(store.auditOf(caseId).filter((event) => event.action === 'case.withdrawn')).toHaveLength(1);
    });

    it('refuses a case gone to the Panel (409), and counts no removed agency as missing at collation', async () => {
      const gone = await aCase({ status: 'submitted-to-panel' });
      expect((await withdraw(gone, { reason })).status).toBe(409);

      const caseId = await aCase();
      await onAgency('remove', caseId, 'health', { reason });
      clock.set(collationStartsAt(store.caseOf(caseId)!.timetable));
      const documents = new InMemoryDocumentStore('case-documents-test', () => clock.now());
      const counts = await collateReport({ ...service(), documents }, { caseId });
      expect(counts).toMatchObject({ received: 0, missing: 3 });
    });
  });
});
