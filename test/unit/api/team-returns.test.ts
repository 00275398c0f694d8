import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { steerCaseEndpoints } from '../../../functions/steer-case/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import type { StructuredReturn } from '../../../shared/schemas/agency-return.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import { milestone } from '../../../shared/schemas/timetable.ts';
import { requestAgencySummaries } from '../../../shared/use-cases/request-agency-summaries.ts';
import { STAFF_UPLOAD_MAX_BYTES } from '../../../shared/use-cases/rrg-meeting.ts';
import { showCase } from '../../../shared/use-cases/show-case.ts';
import { returnedDocumentKey, wordFilesOf } from '../../../shared/workflow/agency-returns-wording.ts';
import { aDocx } from '../../support/test-files.ts';
import { pdfText } from '../workflow/pdf-text.ts';
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
} from './support/api-fixtures.ts';

const reason = 'Invented: the agency phoned its return through to the team (demo).';
const teamMember: TestCaller = { ...partnershipTeam, name: 'Team Member (demo)' };
const involvement: StructuredReturn = {
  kind: 'involvement',
  involvedFrom: '2026-03-01',
  rolesInvolved: 'Health visitor (demo)',
  summary: 'Invented: regular visits to the family (demo).',
  episodes: [
    {
      date: '2026-09-14',
      whatHappened: 'Invented: a missed appointment (demo).',
      decidedAndWhy: 'Invented: a follow-up visit was arranged (demo).',
    },
  ],
  immediateActions: 'Invented: records reviewed (demo).',
  earlyLearning: 'Invented: share missed appointments sooner (demo).',
};

describe('steer-case: the team makes an agency’s return, on its behalf or late after collation', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let documents: InMemoryDocumentStore;
  let clock: SettableClock;
  let handler: ReturnType<typeof apiHandler>;
  const publicBaseUrl = 'https://rapid-review.example.test';
  const service = () => ({ cases: store, clock, mailer, documents, profile: testProfile, publicBaseUrl });

  async function aCase(status?: CaseStatus): Promise<string> {
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
    if (status) {
      await store.updateCase(
        store.caseOf(caseId)!,
        { status },
        {
          actor: { kind: 'system', id: 'rapid-review-workflow' },
          at: '2026-12-11T09:00:00.000Z',
          action: 'status.changed',
          reason: 'Invented (test)',
        },
      );
    }
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    clock = new SettableClock('2026-12-11T10:00:00Z');
    documents = new InMemoryDocumentStore('case-documents-test', () => clock.now());
    handler = apiHandler(
      'steer-case',
      steerCaseEndpoints({ ...service(), workflow: {} as unknown as ReviewWorkflow }),
    );
  });

  const send = (
    kind: 'return' | 'late-return',
    caseId: string,
    agencyId: string,
    body: unknown,
    caller: TestCaller | null = teamMember,
  ) =>
    invoke(
      handler,
      apiEvent({
        method: kind === 'return' ? 'PUT' : 'POST',
        path: `/api/cases/${caseId}/agencies/${agencyId}/${kind}`,
        routePath: `/api/cases/{caseId}/agencies/{agencyId}/${kind}`,
        pathParameters: { caseId, agencyId },
        body,
        caller: caller ?? undefined,
      }),
    );
  const agencyOn = async (caseId: string, agencyId: string) =>
    (await store.getCaseWithAgencies(caseId)).agencies.find((agency) => agency.agencyId === agencyId)!;

  describe('PUT /api/cases/{caseId}/agencies/{agencyId}/return', () => {
    it('saves a version by the team, named, marks the agency received, audits the reason and emails no one', async () => {
      const caseId = await aCase();
      const emailsBefore = mailer.sent.length;

      const response = await send('return', caseId, 'health', { answers: involvement, reason });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        agencyId: 'health',
        version: 1,
        kind: 'involvement',
        late: false,
      });
      const agency = await agencyOn(caseId, 'health');
      expect(agency).toMatchObject({ status: 'received', late: false });
      expect(agency.returns?.[0]).toMatchObject({
        version: 1,
        by: 'partnership-team',
        byName: 'Team Member (demo)',
        answers: involvement,
      });
      const event = store.auditOf(caseId).find((each) => each.action === 'return.entered-by-team');
      expect(event?.reason).toContain(reason);
      expect(event?.actor).toEqual({
        kind: 'staff',
        id: partnershipTeam.sub,
        role: 'partnership-team',
        name: 'Team Member (demo)',
      });
      expect(mailer.sent.length).toBe(emailsBefore);
    });

    it('is late after the Day 10 deadline, as the agency’s own would be', async () => {
      const caseId = await aCase();
      const dueAt = milestone(store.caseOf(caseId)!.timetable, 'agencySummariesDue').dueAt;
      clock.set(new Date(Date.parse(dueAt) + 60_000).toISOString());

      const response = await send('return', caseId, 'police', {
        answers: { kind: 'no-involvement', confirmed: true },
        reason,
      });

      expect(response.status).toBe(200);
      expect(await agencyOn(caseId, 'police')).toMatchObject({ status: 'received', late: true });
    });

    it('refuses once the summaries are collated (409): a late return then', async () => {
      const collated = await aCase('collating');
      const withdrawn = await aCase('withdrawn');

      const afterCollation = await send('return', collated, 'health', { answers: involvement, reason });
      const afterWithdrawal = await send('return', withdrawn, 'health', { answers: involvement, reason });

      expect([afterCollation.status, afterWithdrawal.status]).toEqual([409, 409]);
      expect(afterCollation.body.title).toBe('Summaries already collated');
      expect((await agencyOn(collated, 'health')).returns).toBeUndefined();
    });

    it('answers 400 naming each bad field, and saves nothing', async () => {
      const caseId = await aCase();

      const response = await send('return', caseId, 'health', {
        answers: { ...involvement, episodes: [], summary: ' ' },
      });

      expect(response.status).toBe(400);
      expect(invalidFieldsOf(response.body).sort()).toEqual([
        'answers.episodes',
        'answers.summary',
        'reason',
      ]);
      expect((await agencyOn(caseId, 'health')).returns).toBeUndefined();
    });

    it('answers 404 for an agency not on the case', async () => {
      const caseId = await aCase();
      const response = await send('return', caseId, 'no-such-agency', { answers: involvement, reason });
      expect(response.status).toBe(404);
    });

    it('lets only the partnership team enter one', async () => {
      const caseId = await aCase();
      const statuses = [
        (await send('return', caseId, 'health', { answers: involvement, reason }, null)).status,
      ];
      for (const caller of [notifier, rrgChair]) {
        statuses.push(
          (await send('return', caseId, 'health', { answers: involvement, reason }, caller)).status,
        );
      }
      expect(statuses).toEqual([401, 403, 403]);
    });
  });

  describe('POST /api/cases/{caseId}/agencies/{agencyId}/late-return', () => {
    it('saves the late return, files an addendum with the case documents and emails the group once, pointing to the case page', async () => {
      const caseId = await aCase('awaiting-decision');
      clock.set('2026-12-29T11:00:00Z');

      const response = await send('late-return', caseId, 'health', { answers: involvement, reason });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        agencyId: 'health',
        late: true,
        addendum: { number: 1, title: expect.stringContaining('Addendum to the papers: late return from') },
      });
      const agency = await agencyOn(caseId, 'health');
      expect(agency).toMatchObject({ status: 'received', late: true });
      expect(agency.returns?.at(-1)).toMatchObject({ by: 'partnership-team', byName: 'Team Member (demo)' });
      const key = `cases/${caseId}/addendum-1.pdf`;
      const text = await pdfText(documents.objects.get(key)!.body);
      expect(text).toContain(`Addendum to the papers: late return from ${agency.agencyName}`);
      expect(text).toContain(store.caseOf(caseId)!.reference);
      expect(text).toContain('Entered by the partnership team for the agency (Team Member (demo))');
      expect(text).toContain('Invented: regular visits to the family (demo).');
      for (const address of ['rrg-chair@example.org', 'rrg-member@example.org']) {
        const emails = mailer.to(address).filter((email) => email.subject.includes('addendum'));
        expect(emails).toHaveLength(1);
        // The addendum is on the case page, behind a sign-in: no link that works for whoever holds it.
        expect(emails[0]?.text).toMatch(
          new RegExp(
            `The addendum \\(PDF\\) is on the case page, under Documents\\.\n\nSign in to read it:\nhttps://[^/]+/cases/${caseId}\n`,
          ),
        );
        expect(emails[0]?.text).not.toContain(key);
        expect(emails[0]?.text).not.toContain('forward');
        expect(
          emails[0]?.subject.startsWith(`${store.caseOf(caseId)!.reference}: addendum to the papers`),
        ).toBe(true);
        expect(emails[0]?.text).not.toContain('Invented: regular visits');
      }
      const event = store.auditOf(caseId).find((each) => each.action === 'return.late-taken-in');
      expect(event?.reason).toContain(reason);
      expect(event?.details).toMatchObject({ addendum: 1, addendumKey: key });
      const shown = await showCase(
        { ...service(), workflow: { progress: async () => ({ status: 'RUNNING' }) } as never },
        { caseId, viewer: { id: partnershipTeam.sub, roles: ['partnership-team'] } },
      );
      expect(shown.documents.map((document) => document.name)).toContain('Addendum 1');
    });

    it('numbers each addendum in turn, one email each per addendum', async () => {
      const caseId = await aCase('awaiting-decision');

      await send('late-return', caseId, 'health', { answers: involvement, reason });
      const second = await send('late-return', caseId, 'police', {
        answers: { kind: 'no-involvement', confirmed: true },
        reason,
      });

      expect(second.body).toMatchObject({ addendum: { number: 2 } });
      expect(documents.objects.has(`cases/${caseId}/addendum-2.pdf`)).toBe(true);
      expect(
        mailer.to('rrg-chair@example.org').filter((email) => email.subject.includes('addendum')),
      ).toHaveLength(2);
    });

    it('refuses before collation and after the submission to the Panel (409)', async () => {
      const gathering = await aCase();
      const submitted = await aCase('submitted-to-panel');

      const early = await send('late-return', gathering, 'health', { answers: involvement, reason });
      const tooLate = await send('late-return', submitted, 'health', { answers: involvement, reason });

      expect([early.status, tooLate.status]).toEqual([409, 409]);
      expect(early.body.title).toBe('Not collated yet');
      expect(documents.objects.size).toBe(0);
    });

    it('answers 400 naming each bad field, and files nothing', async () => {
      const caseId = await aCase('awaiting-decision');

      const response = await send('late-return', caseId, 'health', { answers: { kind: 'sometimes' } });

      expect(response.status).toBe(400);
      expect(invalidFieldsOf(response.body)).toContain('reason');
      expect(documents.objects.size).toBe(0);
    });

    it('lets only the partnership team take one in', async () => {
      const caseId = await aCase('awaiting-decision');
      const body = { answers: involvement, reason };
      const statuses = [(await send('late-return', caseId, 'health', body, null)).status];
      for (const caller of [notifier, rrgChair])
        statuses.push((await send('late-return', caseId, 'health', body, caller)).status);
      expect(statuses).toEqual([401, 403, 403]);
    });
  });
  describe('the agency’s summary uploaded by the team, instead of or beside the answers', () => {
    const pdf = {
      fileName: 'health summary.pdf',
      contentBase64: Buffer.from('%PDF-1.7 invented').toString('base64'),
    };
    const docx = { fileName: 'health summary.docx', contentBase64: Buffer.from(aDocx()).toString('base64') };

    it('takes a file alone: files it for the agency, marks the agency received, makes no version, audits the reason', async () => {
      const caseId = await aCase();

      const response = await send('return', caseId, 'health', { file: pdf, reason });

      expect(response.status).toBe(200);
      const key = `cases/${caseId}/agencies/health/team-upload-1.pdf`;
      expect(response.body).toMatchObject({
        agencyId: 'health',
        late: false,
        file: { fileName: 'health summary.pdf', kind: 'pdf', documentKey: key },
      });
      expect(response.body.version).toBeUndefined();
      expect(documents.objects.get(key)?.body).toEqual(new Uint8Array(Buffer.from('%PDF-1.7 invented')));
      const agency = await agencyOn(caseId, 'health');
      expect(agency).toMatchObject({ status: 'received', late: false, documentKey: key });
      // Marked as the team's upload, by name, for the case page and the collated report.
      expect(agency.uploadedByTeam).toEqual({
        at: expect.any(String),
        byName: 'Team Member (demo)',
      });
      expect(agency.returns).toBeUndefined();
      const event = store.auditOf(caseId).find((each) => each.action === 'return.uploaded-by-team');
      expect(event?.reason).toBe(
        `The partnership team uploaded ${agency.agencyName}'s summary for it: ${reason}`,
      );
      expect(event?.details).toMatchObject({ agencyId: 'health', documentKey: key, fileKind: 'pdf' });
      expect(event?.actor).toEqual({
        kind: 'staff',
        id: partnershipTeam.sub,
        role: 'partnership-team',
        name: 'Team Member (demo)',
      });
      // The collated report appends the agency's PDF: the team's upload is the agency's file.
      expect(returnedDocumentKey(agency)).toBe(key);
    });

    it('is late after the Day 10 deadline with a file alone', async () => {
      const caseId = await aCase();
      const dueAt = milestone(store.caseOf(caseId)!.timetable, 'agencySummariesDue').dueAt;
      clock.set(new Date(Date.parse(dueAt) + 60_000).toISOString());

      const response = await send('return', caseId, 'police', { file: pdf, reason });

      expect(response.body).toMatchObject({ late: true });
      expect(await agencyOn(caseId, 'police')).toMatchObject({ status: 'received', late: true });
    });

    it('takes answers and a Word file: the version and the agency name the file; the collated report lists it', async () => {
      const caseId = await aCase();

      const response = await send('return', caseId, 'health', { answers: involvement, file: docx, reason });

      expect(response.status).toBe(200);
      const key = `cases/${caseId}/agencies/health/team-upload-1.docx`;
      expect(response.body).toMatchObject({ version: 1, kind: 'involvement', file: { documentKey: key } });
      const agency = await agencyOn(caseId, 'health');
      expect(agency.documentKey).toBe(key);
      expect(agency.returns?.[0]).toMatchObject({ version: 1, by: 'partnership-team', documentKey: key });
      const event = store.auditOf(caseId).find((each) => each.action === 'return.entered-by-team');
      expect(event?.reason).toContain('with its summary uploaded');
      expect(event?.details).toMatchObject({ documentKey: key, fileName: 'health summary.docx' });
      const record = store.caseOf(caseId)!;
      expect(wordFilesOf(record, (await store.getCaseWithAgencies(caseId)).agencies)).toEqual([
        expect.objectContaining({ documentKey: key }),
      ]);
    });

    it('numbers each upload for the agency in turn', async () => {
      const caseId = await aCase();
      await send('return', caseId, 'health', { file: pdf, reason });
      const second = await send('return', caseId, 'health', { answers: involvement, file: pdf, reason });
      const key = `cases/${caseId}/agencies/health/team-upload-2.pdf`;
      expect(second.body).toMatchObject({ file: { documentKey: key } });
      expect(returnedDocumentKey(await agencyOn(caseId, 'health'))).toBe(key);
    });

    it('gives two uploads for the same agency at the same moment numbers of their own: neither file overwrites the other', async () => {
      const caseId = await aCase();
      const pdfWith = (words: string) => ({
        fileName: `${words}.pdf`,
        contentBase64: Buffer.from(`%PDF-1.7\n% ${words}\n%%EOF\n`).toString('base64'),
      });

      const both = await Promise.all([
        send('return', caseId, 'health', { file: pdfWith('first'), reason }),
        send('return', caseId, 'health', { file: pdfWith('second'), reason }),
      ]);

      expect(both.map((response) => response.status)).toEqual([200, 200]);
      const keys = both.map(
        (response) => (response.body as { file: { documentKey: string } }).file.documentKey,
      );
      expect(keys.sort()).toEqual([
        `cases/${caseId}/agencies/health/team-upload-1.pdf`,
        `cases/${caseId}/agencies/health/team-upload-2.pdf`,
      ]);
      const filed = keys.map((key) => Buffer.from(documents.objects.get(key)?.body ?? '').toString());
      expect(filed.some((text) => text.includes('first'))).toBe(true);
      expect(filed.some((text) => text.includes('second'))).toBe(true);
    });

    it('refuses a file that is neither a PDF nor a Word document, naming file, and files nothing', async () => {
      const caseId = await aCase();
      const response = await send('return', caseId, 'health', {
        file: {
          fileName: 'summary.pdf',
          contentBase64: Buffer.from('<html>not a pdf</html>').toString('base64'),
        },
        reason,
      });
      expect(response.status).toBe(400);
      expect(invalidFieldsOf(response.body)).toEqual(['file']);
      expect(documents.objects.size).toBe(0);
      expect((await agencyOn(caseId, 'health')).status).not.toBe('received');
    });

    it('refuses a file over 4 MB', async () => {
      const caseId = await aCase();
      const big = Buffer.alloc(STAFF_UPLOAD_MAX_BYTES + 1, 0x20);
      big.write('%PDF-1.7', 0);
      const response = await send('late-return', caseId, 'health', {
        file: { fileName: 'big.pdf', contentBase64: big.toString('base64') },
        reason,
      });
      expect(response.status).toBe(400);
      expect(invalidFieldsOf(response.body)).toEqual(['file']);
      expect(documents.objects.size).toBe(0);
    });

    it('answers 400 naming answers when neither the answers nor a file is given', async () => {
      const caseId = await aCase();
      for (const kind of ['return', 'late-return'] as const) {
        const response = await send(kind, caseId, 'health', { reason });
        expect(response.status).toBe(400);
        expect(invalidFieldsOf(response.body)).toEqual(['answers']);
      }
    });

    it('takes a late return that is only a file: an addendum that names it, the emails saying the file is beside it on the case page', async () => {
      const caseId = await aCase('awaiting-decision');
      clock.set('2026-12-29T11:00:00Z');

      const response = await send('late-return', caseId, 'health', { file: pdf, reason });

      expect(response.status).toBe(201);
      const key = `cases/${caseId}/agencies/health/team-upload-1.pdf`;
      expect(response.body).toMatchObject({
        late: true,
        addendum: { number: 1 },
        file: { documentKey: key },
      });
      const agency = await agencyOn(caseId, 'health');
      expect(agency).toMatchObject({ status: 'received', late: true, documentKey: key });
      const text = await pdfText(documents.objects.get(`cases/${caseId}/addendum-1.pdf`)!.body);
      expect(text).toContain(`The partnership team uploaded ${agency.agencyName}'s summary for it`);
      const emails = mailer.to('rrg-chair@example.org').filter((email) => email.subject.includes('addendum'));
      expect(emails).toHaveLength(1);
      expect(emails[0]?.text).toContain(
        `Beside it is the file the partnership team uploaded for ${agency.agencyName}.`,
      );
      expect(emails[0]?.text).not.toContain(key);
      const event = store.auditOf(caseId).find((each) => each.action === 'return.late-taken-in');
      expect(event?.reason).toContain(`The partnership team uploaded ${agency.agencyName}'s summary for it`);
      expect(event?.details).toMatchObject({ addendum: 1, documentKey: key });
    });
  });
});
