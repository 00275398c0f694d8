import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { renderPdf } from '../../../shared/documents/pdf.ts';
import { collateReport } from '../../../shared/use-cases/collate-report.ts';
import { pdfText } from './pdf-text.ts';
import {
  childNames,
  fakeService,
  openSampleCase,
  requestAll,
  setAgency,
  testProfile,
} from './workflow-fakes.ts';

describe('collate-report (Day 11)', () => {
  async function aCaseAtCollation() {
    const fakes = fakeService('2026-03-18T09:00:04Z');
    const record = await openSampleCase(fakes.cases, { changes: { status: 'awaiting-summaries' } });
    await requestAll(fakes.cases, record.caseId);
    await setAgency(fakes.cases, record.caseId, 'health', {
      status: 'received',
      receivedAt: '2026-03-16T09:30:00Z',
    });
    await setAgency(fakes.cases, record.caseId, 'police', {
      status: 'received',
      late: true,
      receivedAt: '2026-03-18T08:15:00Z',
    });
    await setAgency(fakes.cases, record.caseId, 'education', {
      status: 'escalated',
      escalatedAt: '2026-03-17T17:00:03Z',
    });
    return { ...fakes, record };
  }

  it('stores a PDF giving each agency as returned on time, returned late or not returned', async () => {
    const { service, documents, record } = await aCaseAtCollation();

    const result = await collateReport(service, { caseId: record.caseId });

    expect(result).toEqual({
      documentKey: `cases/${record.caseId}/collated-report.pdf`,
      received: 2,
      missing: 2,
    });
    const stored = documents.objects.get(`cases/${record.caseId}/collated-report.pdf`);
    expect(stored?.contentType).toBe('application/pdf');
    const pdf = await PDFDocument.load(stored!.body);
    expect(pdf.getTitle()).toBe('Collated report');
    const text = await pdfText(stored!.body);
    for (const expected of [
      'Collated report',
      record.reference,
      testProfile.partnershipName,
      'Serious harm',
      'Agency summaries due',
      'Tuesday 17 March 2026',
      '2 of 4 agencies returned a summary.',
    ]) {
      expect(text).toContain(expected);
    }
    const prose = text.replace(/\s+/g, ' ');
    expect(prose).toContain('Health Returned on time at 9:30am on Monday 16 March 2026');
    expect(prose).toContain('Police Returned late at 8:15am on Wednesday 18 March 2026');
    expect(prose).toContain('Education Not returned: escalated at 5pm on Tuesday 17 March 2026');
    expect(prose).toContain("Children's Social Care Not returned");
  });

  it("appends each agency's uploaded PDF in full, fetched from the case's documents", async () => {
    const { service, cases, documents, record } = await aCaseAtCollation();
    const healthKey = `cases/${record.caseId}/agency-returns/upload-1/health-summary.pdf`;
    await documents.put(
      healthKey,
      await renderPdf({
        title: 'Health summary (invented)',
        author: 'Health',
        createdAt: new Date('2026-03-16T09:00:00Z'),
        blocks: [{ kind: 'paragraph', text: 'What Health knew (invented).' }],
      }),
      'application/pdf',
    );
    await setAgency(cases, record.caseId, 'health', { documentKey: healthKey });

    await collateReport(service, { caseId: record.caseId });

    const text = await pdfText(documents.objects.get(`cases/${record.caseId}/collated-report.pdf`)!.body);
    expect(text).toContain('The next page is the file as Health sent it.');
    expect(text).toContain('What Health knew (invented).');
  });

  it('stores no report and leaves the case as it was when a filed PDF cannot be fetched, so the retry starts afresh', async () => {
    const { service, cases, documents, record } = await aCaseAtCollation();
    const healthKey = `cases/${record.caseId}/agency-returns/upload-1/health-summary.pdf`;
    await setAgency(cases, record.caseId, 'health', { documentKey: healthKey });
    const reportKey = `cases/${record.caseId}/collated-report.pdf`;

    await expect(collateReport(service, { caseId: record.caseId })).rejects.toMatchObject({
      name: 'NoSuchKey',
    });

    expect(documents.objects.has(reportKey)).toBe(false);
    expect(documents.aborted).toEqual([reportKey]);
    expect((await cases.getCase(record.caseId))?.status).toBe('awaiting-summaries');
  });

  it('puts both dates side by side, which one the review works to, and whether the notifications came on time', async () => {
    const { service, documents, record } = await aCaseAtCollation();

    await collateReport(service, { caseId: record.caseId });

    const text = await pdfText(documents.objects.get(`cases/${record.caseId}/collated-report.pdf`)!.body);
    // The invented case: the Panel was notified on Wednesday 4 March, the partnership told the same day.
    expect(text).toContain(
      [
        'When the review is due',
        'Panel expects review by',
        'Wednesday 25 March 2026',
        "Partnership's own Day 15",
        'Tuesday 24 March 2026',
      ].join('\n'),
    );
    const prose = text.replace(/\s+/g, ' ');
    expect(prose).toContain(
      "The review works to the partnership's timetable: the Panel's date is 1 working day later.",
    );
    expect(prose).toContain('The local authority notified the Panel on time (due by Tuesday 10 March 2026).');
    expect(prose).toContain('The partnership was told on time (due by Tuesday 10 March 2026).');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('says the 15 working days are the Panel’s expectation, not a statute, and Days 1 to 15 the partnership’s plan', async () => {
    const { service, documents, record } = await aCaseAtCollation();

    await collateReport(service, { caseId: record.caseId });

    const text = await pdfText(documents.objects.get(`cases/${record.caseId}/collated-report.pdf`)!.body);
    const prose = text.replace(/\s+/g, ' ');
    expect(prose).toContain(
      "The 15 working days are the Panel's expectation, not a statute. Days 1 to 15 are the partnership's own plan for meeting it.",
    );
    expect(prose).not.toMatch(/statutory/i);
  });

  it('holds the notification, naming the child, for the Rapid Review Group only', async () => {
    const { service, documents, record } = await aCaseAtCollation();
    await documents.put(
      record.notificationDocumentKey,
      JSON.stringify(sampleNotification()),
      'application/json',
    );

    await collateReport(service, { caseId: record.caseId });

    const text = await pdfText(documents.objects.get(`cases/${record.caseId}/collated-report.pdf`)!.body);
    for (const name of childNames()) expect(text).toContain(name);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Confidential to the Rapid Review Group: this report names the child.',
    );
  });

  it('says so when the notification cannot be read, and collates the rest', async () => {
    const { service, documents, record } = await aCaseAtCollation();

    await collateReport(service, { caseId: record.caseId });

    const text = await pdfText(documents.objects.get(`cases/${record.caseId}/collated-report.pdf`)!.body);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'The notification could not be read when this report was collated.',
    );
    for (const name of childNames()) expect(text).not.toContain(name);
  });

  it('moves the case to collating with a report.collated audit event', async () => {
    const { service, cases, record } = await aCaseAtCollation();

    await collateReport(service, { caseId: record.caseId });

    const file = await cases.getCaseFile(record.caseId);
    expect(file.case).toMatchObject({ status: 'collating', currentStep: 'CollateReport' });
    expect(file.audit.find((event) => event.action === 'report.collated')).toMatchObject({
      eventId: `${record.caseId}:CollateReport`,
      details: {
        documentKey: `cases/${record.caseId}/collated-report.pdf`,
        received: 2,
        missing: 2,
        wordFiles: 0,
        notMerged: 0,
      },
    });
  });

  it('on a second run leaves the stored report and the audit trail as they were', async () => {
    const { service, cases, documents, clock, record } = await aCaseAtCollation();
    await collateReport(service, { caseId: record.caseId });
    const first = documents.objects.get(`cases/${record.caseId}/collated-report.pdf`)!.body;
    const auditBefore = cases.auditOf(record.caseId);
    clock.set('2026-03-18T09:05:00Z');

    await collateReport(service, { caseId: record.caseId });

    expect(documents.objects.get(`cases/${record.caseId}/collated-report.pdf`)!.body).toBe(first);
    expect(cases.auditOf(record.caseId)).toEqual(auditBefore);
  });
});
