import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../shared/errors.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import { distributePapers } from '../../../shared/use-cases/distribute-papers.ts';
import {
  recordAttendance,
  STAFF_UPLOAD_MAX_BYTES,
  scheduleMeeting,
  uploadMinutes,
  uploadPanelLetter,
} from '../../../shared/use-cases/rrg-meeting.ts';
import { showCase } from '../../../shared/use-cases/show-case.ts';
import { staffUploadFromBody } from '../../../shared/use-cases/staff-upload-body.ts';
import { meetingWhen } from '../../../shared/workflow/emails.ts';
import { meetingRecordPdf } from '../../../shared/workflow/meeting-record.ts';
import { caseDocumentKeys } from '../../../shared/workflow/steps.ts';
import { aDocx, aPdf, htmlPage } from '../../support/test-files.ts';
import { pdfPageTexts } from './pdf-text.ts';
import { childNames, fakeService, openSampleCase, PUBLIC_BASE_URL } from './workflow-fakes.ts';

const team = { id: 'user-team-test', roles: ['partnership-team'] as const, name: 'Team Member (test)' };
const aMeeting = { date: '2026-03-20', time: '10:00', place: 'Room 1, Town Hall (invented)' };

const attendee = (overrides: Record<string, unknown> = {}) => ({
  name: 'Alex Example (invented)',
  agency: 'Police',
  role: 'Detective Inspector',
  conflicts: 'none',
  confidentialityAgreed: true,
  ...overrides,
});

describe('the Rapid Review Group meeting (issue 9 part 4)', () => {
  let fakes: ReturnType<typeof fakeService>;
  let record: CaseRecord;

  beforeEach(async () => {
    // Monday 16 March 2026, before papers day.
    fakes = fakeService('2026-03-16T09:00:00Z');
    record = await openSampleCase(fakes.cases, { changes: { status: 'awaiting-summaries' } });
  });

  const schedule = (meeting: unknown, caseId = record.caseId) =>
    scheduleMeeting(fakes.service, { caseId, meeting, scheduledBy: { ...team, roles: [...team.roles] } });

  describe('scheduling', () => {
    it('schedules it, audits it and invites the chair and members once each, naming the time in words and never the child', async () => {
      const meeting = await schedule(aMeeting);

      expect(meeting).toMatchObject({ ...aMeeting, version: 1, scheduledBy: team.id });
      const stored = await fakes.cases.getCaseFile(record.caseId);
      expect(stored.case.meeting?.version).toBe(1);
      expect(stored.audit.at(-1)).toMatchObject({ action: 'meeting.scheduled' });
      // The chair is a member too in the test profile: three people, three emails.
      expect(fakes.mailer.sent.map((email) => email.message.to[0]).sort()).toEqual([
        'rrg-chair@example.org',
        'rrg-member-one@example.org',
        'rrg-member-two@example.org',
      ]);
      const text = fakes.mailer.sent[0]?.message.text ?? '';
      expect(text).toContain('10am on Friday 20 March 2026');
      expect(text).toContain('Room 1, Town Hall (invented)');
      expect(text).toContain(record.reference);
      expect(text).toContain(`/cases/${record.caseId}`);
      expect(text).toContain('The papers will follow on papers day');
      for (const name of childNames()) expect(JSON.stringify(fakes.mailer.sent)).not.toContain(name);
    });

    it('points to the papers on the case page when they have gone out, with no link that works without signing in', async () => {
      fakes.cases.overwriteCase({ ...record, status: 'awaiting-decision' });

      await schedule({ date: '2026-03-20', time: '14:30', callLink: 'https://meet.example.org/rrg' });

      const text = fakes.mailer.sent[0]?.message.text ?? '';
      expect(text).toContain('2:30pm on Friday 20 March 2026');
      expect(text).toContain('https://meet.example.org/rrg');
      expect(text).toContain(
        'The papers are on the case page, under Documents, for those signed in to the service.',
      );
      expect(text).toContain(`The case, signed in:\n${PUBLIC_BASE_URL}/cases/${record.caseId}`);
      expect(fakes.documents.downloadLinks).toEqual([]);
      expect(fakes.mailer.sent[0]?.message.subject).toBe(
        `${record.reference}: meeting invitation: 2:30pm on Friday 20 March 2026`,
      );
    });

    it('reschedules: a new version, audited, a fresh invitation saying it changed; the same details again send nothing more', async () => {
      await schedule(aMeeting);
      const changed = await schedule({
        date: '2026-03-23',
        time: '09:30',
        callLink: 'https://meet.example.org/x',
      });
      await schedule({ date: '2026-03-23', time: '09:30', callLink: 'https://meet.example.org/x' });

      expect(changed).toMatchObject({ version: 2, callLink: 'https://meet.example.org/x' });
      expect(changed.place).toBeUndefined();
      expect(fakes.mailer.sent).toHaveLength(6);
      expect(fakes.mailer.sent[3]?.message.subject).toContain('meeting changed');
      expect(fakes.mailer.sent[3]?.message.text).toContain('has changed');
      const audit = (await fakes.cases.getCaseFile(record.caseId)).audit.map((event) => event.action);
      expect(audit.filter((action) => action.startsWith('meeting.'))).toEqual([
        'meeting.scheduled',
        'meeting.rescheduled',
      ]);
    });

    it.each([
      [{ ...aMeeting, date: '2026-03-15' }, ['date']],
      [{ date: '2026-03-20', time: '25:00', place: 'x' }, ['time']],
      [{ date: '2026-03-20', time: '10:00' }, ['place']],
      [{ ...aMeeting, callLink: 'https://meet.example.org/x' }, ['place']],
      [{ date: '2026-03-20', time: '10:00', callLink: 'http://insecure.example.org' }, ['callLink']],
      [{}, ['date', 'time']],
    ])('refuses %j naming %j', async (body, fields) => {
      const error = await schedule(body).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).fields.map((field) => field.field)).toEqual(
        expect.arrayContaining(fields),
      );
      expect(fakes.mailer.sent).toHaveLength(0);
    });

    it.each(['submitted-to-panel', 'completed', 'closed'] as const)('refuses a case %s', async (status) => {
      fakes.cases.overwriteCase({ ...record, status });
      await expect(schedule(aMeeting)).rejects.toBeInstanceOf(ConflictError);
    });

    it('does not know a case that is not there', async () => {
      await expect(schedule(aMeeting, '6d0b3f0e-1111-4222-8333-444455556666')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('names the meeting in the papers email once scheduled', async () => {
      await schedule(aMeeting);
      fakes.cases.overwriteCase({ ...(await fakes.cases.getCase(record.caseId))!, status: 'collating' });

      await distributePapers(fakes.service, { caseId: record.caseId });

      const papers = fakes.mailer.sent.filter((email) => email.key.includes(':DistributePapers:'));
      expect(papers[0]?.message.text).toContain(
        '10am on Friday 20 March 2026, at Room 1, Town Hall (invented)',
      );
    });
  });

  describe('attendance', () => {
    const attend = (attendance: unknown) =>
      recordAttendance(fakes.service, {
        caseId: record.caseId,
        attendance,
        recordedBy: { ...team, roles: [...team.roles] },
      });

    it('refuses attendance before the meeting is scheduled', async () => {
      await expect(attend({ attendees: [attendee()] })).rejects.toBeInstanceOf(ConflictError);
    });

    it('records the list, and a second list replaces it (audited)', async () => {
      await schedule(aMeeting);
      await attend({
        attendees: [attendee(), attendee({ name: 'Sam Example (invented)', conflicts: 'Knows the family' })],
      });
      const replaced = await attend({ attendees: [attendee()] });

      expect(replaced.attendees).toHaveLength(1);
      const audit = (await fakes.cases.getCaseFile(record.caseId)).audit.map((event) => event.action);
      expect(audit).toContain('meeting.attendance-recorded');
      expect(audit).toContain('meeting.attendance-replaced');
    });

    it('names each attendee who has not agreed to confidentiality, and refuses an empty list', async () => {
      await schedule(aMeeting);
      const error = await attend({
        attendees: [attendee(), attendee(), attendee({ confidentialityAgreed: false })],
      }).catch((caught: unknown) => caught);
      expect((error as InvalidInputError).fields.map((field) => field.field)).toEqual([
        'attendees.2.confidentialityAgreed',
      ]);
      const empty = await attend({ attendees: [] }).catch((caught: unknown) => caught);
      expect((empty as InvalidInputError).fields.map((field) => field.field)).toEqual(['attendees']);
    });
  });

  describe('uploads', () => {
    const by = { ...team, roles: [...team.roles] };

    it('files the minutes by their bytes (a PDF, then a Word document replacing it) and lists them on the case', async () => {
      await schedule(aMeeting);
      await uploadMinutes(fakes.service, {
        caseId: record.caseId,
        upload: { fileName: 'minutes.pdf', content: aPdf() },
        uploadedBy: by,
      });
      const document = await uploadMinutes(fakes.service, {
        caseId: record.caseId,
        upload: { fileName: 'minutes.docx', content: aDocx() },
        uploadedBy: by,
      });

      expect(document.key).toBe(caseDocumentKeys.meetingMinutes(record.caseId, 'docx'));
      expect(fakes.documents.objects.get(document.key)?.contentType).toContain('wordprocessingml');
      const sfnless = Object.create(fakes.service, {
        workflow: { value: { progress: async () => ({ status: 'not-started' }) } },
      });
      const view = await showCase(sfnless, { caseId: record.caseId, viewer: by });
      expect(view.documents.map((listed) => listed.name)).toContain('Rapid Review Group meeting minutes');
      expect(view.meeting).toMatchObject({
        date: '2026-03-20',
        minutes: { present: true, fileName: 'minutes.docx' },
      });
    });

    it('refuses a file that is not a PDF or a Word document, whatever its name, and one over 4 MB', async () => {
      await schedule(aMeeting);
      const wrong = await uploadMinutes(fakes.service, {
        caseId: record.caseId,
        upload: { fileName: 'minutes.pdf', content: htmlPage() },
        uploadedBy: by,
      }).catch((caught: unknown) => caught);
      expect((wrong as InvalidInputError).fields).toEqual([
        { field: 'file', message: 'The selected file must be a PDF or a Word document (.docx)' },
      ]);
      const big = new Uint8Array(STAFF_UPLOAD_MAX_BYTES + 1);
      big.set(aPdf());
      await expect(
        uploadMinutes(fakes.service, {
          caseId: record.caseId,
          upload: { fileName: 'm.pdf', content: big },
          uploadedBy: by,
        }),
      ).rejects.toBeInstanceOf(InvalidInputError);
      expect(fakes.documents.objects.size).toBe(0);
    });

    it('takes the Panel letter only once the reply is recorded', async () => {
      const upload = { fileName: 'letter.pdf', content: aPdf('Letter (invented)') };
      await expect(
        uploadPanelLetter(fakes.service, { caseId: record.caseId, upload, uploadedBy: by }),
      ).rejects.toBeInstanceOf(ConflictError);

      fakes.cases.overwriteCase({
        ...record,
        status: 'completed',
        panelReply: {
          repliedOn: '2026-03-14',
          agreesWithDecision: true,
          nationalReview: false,
          asksForLocalReview: false,
          comments: 'Invented',
          recordedAt: '2026-03-15T09:00:00.000Z',
          recordedBy: 'user-team-test',
        },
      });
      const document = await uploadPanelLetter(fakes.service, {
        caseId: record.caseId,
        upload,
        uploadedBy: by,
      });

      expect(document.key).toBe(caseDocumentKeys.panelLetter(record.caseId, 'pdf'));
      expect((await fakes.cases.getCase(record.caseId))?.panelReply?.letterDocumentKey).toBe(document.key);
    });

    it('reads a JSON upload body, refusing what is not base64', () => {
      expect(
        staffUploadFromBody({ fileName: 'a.pdf', contentBase64: Buffer.from('%PDF-1').toString('base64') })
          .content,
      ).toEqual(new Uint8Array(Buffer.from('%PDF-1')));
      expect(() => staffUploadFromBody({ fileName: 'a.pdf', contentBase64: 'not base64!' })).toThrow(
        InvalidInputError,
      );
    });
  });

  it('sets out the meeting record for the Panel as a PDF', async () => {
    await schedule(aMeeting);
    await recordAttendance(fakes.service, {
      caseId: record.caseId,
      attendance: {
        attendees: [attendee(), attendee({ name: 'Sam Example (invented)', conflicts: 'Knows the family' })],
      },
      recordedBy: { ...team, roles: [...team.roles] },
    });
    const stored = (await fakes.cases.getCase(record.caseId))!;

    const bytes = await meetingRecordPdf(stored, {
      partnershipName: 'Exampleshire (test)',
      timeZone: 'Europe/London',
      now: new Date('2026-03-21T10:00:00Z'),
    });

    const text = (await pdfPageTexts(bytes)).join('\n');
    expect(text).toContain('Rapid Review Group meeting record');
    expect(text).toContain(meetingWhen(aMeeting));
    expect(text).toContain('Alex Example');
    expect(text).toContain('Knows the family');
    expect(text).toContain('None declared');
    expect(text).toContain('No minutes have been filed');
    for (const name of childNames()) expect(text).not.toContain(name);
  });
});
