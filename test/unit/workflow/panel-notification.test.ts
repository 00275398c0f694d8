import { beforeEach, describe, expect, it } from 'vitest';
import { renderPdf } from '../../../shared/documents/pdf.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../../shared/errors.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import type { StaffMember } from '../../../shared/schemas/roles.ts';
import { collateReport } from '../../../shared/use-cases/collate-report.ts';
import {
  PANEL_NOTIFICATION_MAX_BYTES,
  uploadPanelNotification,
} from '../../../shared/use-cases/panel-notification.ts';
import { showCase } from '../../../shared/use-cases/show-case.ts';
import { caseDocumentKeys } from '../../../shared/workflow/steps.ts';
import { aDocx, aPdf } from '../../support/test-files.ts';
import { pdfText } from './pdf-text.ts';
import { fakeService, openSampleCase, requestAll } from './workflow-fakes.ts';

const team: StaffMember = { id: 'user-team-test', roles: ['partnership-team'], name: 'Team Member (test)' };
/** The person who sent the sample notification (its case.opened actor). */
const sender: StaffMember = { id: 'user-notifier-test', roles: ['notifier'], name: 'Notifier (test)' };
const anotherNotifier: StaffMember = {
  id: 'user-other-notifier',
  roles: ['notifier'],
  email: 'someone.else@example.org',
};

describe("the local authority's notification to the Panel (issue 10 part 5)", () => {
  let fakes: ReturnType<typeof fakeService>;
  let record: CaseRecord;

  beforeEach(async () => {
    fakes = fakeService('2026-03-05T09:00:00Z');
    record = await openSampleCase(fakes.cases, { changes: { status: 'awaiting-summaries' } });
  });

  const upload = (uploadedBy: StaffMember, content: Uint8Array = aPdf('Panel notification (invented)')) =>
    uploadPanelNotification(fakes.service, {
      caseId: record.caseId,
      upload: { fileName: 'panel-notification.pdf', content },
      uploadedBy,
    });

  it('takes a PDF from the notifier who sent it, files it, records it on the case and audits it', async () => {
    const document = await upload(sender);

    const key = caseDocumentKeys.panelNotification(record.caseId);
    expect(key).toBe(`cases/${record.caseId}/panel-notification.pdf`);
    expect(document).toMatchObject({ key, fileName: 'panel-notification.pdf', mediaType: 'application/pdf' });
    expect(fakes.documents.objects.get(key)?.contentType).toBe('application/pdf');
    const file = await fakes.cases.getCaseFile(record.caseId);
    expect(file.case.panelNotificationDocument).toMatchObject({
      fileName: 'panel-notification.pdf',
      uploadedAt: '2026-03-05T09:00:00.000Z',
      uploadedByName: 'Notifier (test)',
    });
    expect(file.audit.at(-1)).toMatchObject({
      action: 'panel-notification.uploaded',
      actor: { kind: 'staff', id: sender.id, role: 'notifier' },
      reason: "The notifier uploaded the local authority's notification to the Panel",
    });
  });

  it('takes it from a notifier whose email is the notification’s, and from the partnership team, a second replacing the first', async () => {
    const byEmail: StaffMember = {
      id: 'user-x',
      roles: ['notifier'],
      email: record.notifierEmail.toUpperCase(),
    };
    await upload(byEmail);
    await upload(team);

    const file = await fakes.cases.getCaseFile(record.caseId);
    expect(file.audit.map((event) => event.action).slice(-2)).toEqual([
      'panel-notification.uploaded',
      'panel-notification.replaced',
    ]);
    expect(file.audit.at(-1)?.actor).toMatchObject({ role: 'partnership-team' });
    const sfnless = Object.create(fakes.service, {
      workflow: { value: { progress: async () => ({ status: 'not-started' }) } },
    });
    const view = await showCase(sfnless, { caseId: record.caseId, viewer: team });
    expect(view.documents.map((listed) => listed.name)).toContain(
      'The local authority’s notification to the Panel',
    );
    expect(view.panelNotificationDocument).toEqual({
      fileName: 'panel-notification.pdf',
      uploadedAt: '2026-03-05T09:00:00.000Z',
      uploadedByName: 'Team Member (test)',
    });
  });

  it('refuses a file that is not a PDF, naming `file`, and one over 4 MB, filing nothing', async () => {
    const wrong = await upload(sender, aDocx()).catch((caught: unknown) => caught);
    expect(wrong).toBeInstanceOf(InvalidInputError);
    expect((wrong as InvalidInputError).fields).toEqual([
      { field: 'file', message: 'The selected file must be a PDF' },
    ]);
    const big = new Uint8Array(PANEL_NOTIFICATION_MAX_BYTES + 1);
    big.set(aPdf());
    const tooBig = await upload(sender, big).catch((caught: unknown) => caught);
    expect((tooBig as InvalidInputError).fields).toEqual([
      { field: 'file', message: 'The selected file must be 4 MB or smaller' },
    ]);
    const empty = await upload(sender, new Uint8Array()).catch((caught: unknown) => caught);
    expect((empty as InvalidInputError).fields).toEqual([
      { field: 'file', message: 'The selected file is empty' },
    ]);
    expect(fakes.documents.objects.size).toBe(0);
  });

  it('refuses another notifier (403) and a case that is not there (404)', async () => {
    await expect(upload(anotherNotifier)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      uploadPanelNotification(fakes.service, {
        caseId: '00000000-0000-4000-8000-000000000000',
        upload: { fileName: 'p.pdf', content: aPdf() },
        uploadedBy: team,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(fakes.documents.objects.size).toBe(0);
  });

  it('refuses it once the papers are collated (409), and on a withdrawn case', async () => {
    for (const status of ['collating', 'awaiting-decision', 'withdrawn'] as const) {
      fakes.cases.overwriteCase({ ...record, status });
      await expect(upload(sender)).rejects.toBeInstanceOf(ConflictError);
    }
    expect(fakes.documents.objects.size).toBe(0);
    expect((await fakes.cases.getCase(record.caseId))?.panelNotificationDocument).toBeUndefined();
  });

  it('goes into the collated report in place of the notification’s own fields', async () => {
    await requestAll(fakes.cases, record.caseId);
    const pdf = await renderPdf({
      title: 'Notification to the Panel (invented)',
      author: 'Local authority',
      createdAt: new Date('2026-03-04T10:00:00Z'),
      blocks: [{ kind: 'paragraph', text: 'What the local authority told the Panel (invented).' }],
    });
    await uploadPanelNotification(fakes.service, {
      caseId: record.caseId,
      upload: { fileName: 'la-to-panel.pdf', content: pdf },
      uploadedBy: sender,
    });

    await collateReport(fakes.service, { caseId: record.caseId });

    const text = await pdfText(
      fakes.documents.objects.get(caseDocumentKeys.collatedReport(record.caseId))!.body,
    );
    const prose = text.replace(/\s+/g, ' ');
    expect(prose).toContain('The local authority uploaded its notification to the Panel (la-to-panel.pdf).');
    expect(prose).toContain('What the local authority told the Panel (invented).');
    expect(prose).not.toContain('did not upload a copy of its notification to the Panel');
  });

  it('without one, the collated report prints the notification’s own fields and says so', async () => {
    await requestAll(fakes.cases, record.caseId);

    await collateReport(fakes.service, { caseId: record.caseId });

    const text = await pdfText(
      fakes.documents.objects.get(caseDocumentKeys.collatedReport(record.caseId))!.body,
    );
    expect(text.replace(/\s+/g, ' ')).toContain(
      "The local authority did not upload a copy of its notification to the Panel. What follows is what the notification's own fields say of it.",
    );
  });
});
