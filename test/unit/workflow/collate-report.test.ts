import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
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

  it('stores a PDF listing each agency as received on time, received late or missing', async () => {
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
    expect(text).toMatch(/Health\nReceived on time\n9:30am on Monday 16 March\s2026/);
    expect(text).toMatch(/Police\nReceived late\n8:15am on Wednesday 18\sMarch 2026/);
    expect(text).toMatch(/Education\nMissing \(escalated\)/);
    expect(text).toMatch(/Children's Social Care\nMissing/);
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

  it('names no child in the report', async () => {
    const { service, documents, record } = await aCaseAtCollation();

    await collateReport(service, { caseId: record.caseId });

    const text = await pdfText(documents.objects.get(`cases/${record.caseId}/collated-report.pdf`)!.body);
    for (const name of childNames()) expect(text).not.toContain(name);
  });

  it('moves the case to collating with a report.collated audit event', async () => {
    const { service, cases, record } = await aCaseAtCollation();

    await collateReport(service, { caseId: record.caseId });

    const file = await cases.getCaseFile(record.caseId);
    expect(file.case).toMatchObject({ status: 'collating', currentStep: 'CollateReport' });
    expect(file.audit.find((event) => event.action === 'report.collated')).toMatchObject({
      eventId: `${record.caseId}:CollateReport`,
      details: { documentKey: `cases/${record.caseId}/collated-report.pdf`, received: 2, missing: 2 },
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
