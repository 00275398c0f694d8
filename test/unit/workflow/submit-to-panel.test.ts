import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { submitToPanel } from '../../../shared/use-cases/submit-to-panel.ts';
import { collatedReportPdf } from '../../../shared/workflow/papers.ts';
import { pdfText } from './pdf-text.ts';
import {
  childNames,
  fakeService,
  makeReadyToSubmit,
  openSampleCase,
  sampleDecision,
  testProfile,
} from './workflow-fakes.ts';

describe('submit-to-panel (Day 15)', () => {
  async function aDecidedCase(notification = sampleNotification()) {
    const fakes = fakeService('2026-03-23T15:00:03Z');
    const record = await openSampleCase(fakes.cases, {
      notification,
      changes: { status: 'decided', decision: sampleDecision },
    });
    await makeReadyToSubmit(fakes.cases, record.caseId);
    const { agencies } = await fakes.cases.getCaseFile(record.caseId);
    const report = await collatedReportPdf(record, agencies, {
      partnershipName: testProfile.partnershipName,
      timeZone: 'Europe/London',
      now: new Date('2026-03-18T09:00:04Z'),
    });
    await fakes.documents.put(`cases/${record.caseId}/collated-report.pdf`, report, 'application/pdf');
    return { ...fakes, record, report };
  }

  it('sends one email, to the Panel mailbox only, with the covering letter, decision and collated report as PDFs', async () => {
    const { service, mailer, record, report } = await aDecidedCase();

    await submitToPanel(service, { caseId: record.caseId });

    expect(mailer.sent).toHaveLength(1);
    const [{ key, message }] = mailer.sent as [(typeof mailer.sent)[number]];
    expect(key).toBe(`${record.caseId}:SubmitToPanel`);
    expect(message.to).toEqual(['panel-mailbox@example.org']);
    expect(message.cc).toBeUndefined();
    expect(message.subject).toContain(record.panelReference);
    expect(message.attachments?.map((attachment) => [attachment.fileName, attachment.contentType])).toEqual([
      [`covering-letter-${record.reference}.pdf`, 'application/pdf'],
      [`decision-${record.reference}.pdf`, 'application/pdf'],
      [`collated-report-${record.reference}.pdf`, 'application/pdf'],
    ]);
    for (const attachment of message.attachments ?? []) {
      const pdf = await PDFDocument.load(attachment.content);
      expect(pdf.getPageCount()).toBeGreaterThan(0);
    }
    expect(message.attachments?.[2]?.content).toEqual(report);
  });

  it('puts the decisions, reasons and references in the letter and the decision, and no child', async () => {
    const { service, mailer, record } = await aDecidedCase();

    await submitToPanel(service, { caseId: record.caseId });

    const [letter, decision, report] = await Promise.all(
      (mailer.sent[0]?.message.attachments ?? []).map((attachment) => pdfText(attachment.content)),
    );
    expect(letter).toContain(record.panelReference);
    expect(letter).toContain(record.reference);
    expect(letter).toContain(testProfile.partnershipName);
    expect(letter).toContain('Chair Person (test)');
    expect(letter).toContain('Monday 23 March 2026');
    expect(decision).toContain('decided to commission a Local Child Safeguarding Practice Review');
    expect(decision).toContain('does not recommend a national review');
    expect(decision).toContain('multi-agency information sharing');
    expect(decision).toContain('the learning is local to the partnership');
    // No internal id: a decision recorded without the chair's name says who in words.
    expect(decision).not.toContain('user-rrg-chair-test');
    expect(decision).toContain('The chair of the Rapid Review Group');
    expect(decision).toContain('3pm on Monday 23 March 2026');
    for (const text of [letter, decision, report, mailer.sent[0]?.message.text]) {
      for (const name of childNames()) expect(text).not.toContain(name);
    }
  });

  it('gives the Panel both dates in the letter, which one the review works to, and whether the notifications were late', async () => {
    // Invented: the local authority became aware on Friday 20 February 2026 and notified the Panel
    // on Monday 2 March, so the Panel's date (Monday 23 March) comes a working day before Day 15.
    const notification = sampleNotification();
    notification.incident = {
      ...notification.incident,
      occurredOn: '2026-02-19',
      localAuthorityAwareOn: '2026-02-20',
      panelNotifiedOn: '2026-03-02',
    };
    const { service, mailer, record } = await aDecidedCase(notification);

    await submitToPanel(service, { caseId: record.caseId });

    const letter = await pdfText(mailer.sent[0]!.message.attachments![0]!.content);
    expect(letter).toContain(
      [
        'Panel expects review by',
        'Monday 23 March 2026',
        "Partnership's own Day 15",
        'Tuesday 24 March 2026',
      ].join('\n'),
    );
    expect(letter.replace(/\s+/g, ' ')).toContain(
      "The review works to the Panel's date, 1 working day earlier. The local authority notified the Panel late (due by Friday 27 February 2026). The partnership was told late (due by Friday 27 February 2026).",
    );
    expect(letter).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('never calls the 15 working days statutory in the email or the papers to the Panel', async () => {
    const { service, mailer, record } = await aDecidedCase();

    await submitToPanel(service, { caseId: record.caseId });

    const message = mailer.sent[0]?.message;
    const [letter, decision, report] = await Promise.all(
      (message?.attachments ?? []).map(async (attachment) =>
        (await pdfText(attachment.content)).replace(/\s+/g, ' '),
      ),
    );
    expect(letter).toContain(
      "The 15 working days are the Panel's expectation, not a statute. Days 1 to 15 are the partnership's own plan for meeting it.",
    );
    for (const text of [message?.subject, message?.text, letter, decision, report]) {
      expect(text).not.toMatch(/statutory|clinical commissioning|\bCCGs?\b/i);
    }
  });

  it('stores the letter and the decision with the case, and marks the case submitted with the message id', async () => {
    const { service, cases, documents, record } = await aDecidedCase();

    await submitToPanel(service, { caseId: record.caseId });

    expect(documents.objects.has(`cases/${record.caseId}/covering-letter.pdf`)).toBe(true);
    expect(documents.objects.has(`cases/${record.caseId}/decision.pdf`)).toBe(true);
    const file = await cases.getCaseFile(record.caseId);
    expect(file.case.status).toBe('submitted-to-panel');
    expect(file.audit.find((event) => event.action === 'panel.submitted')).toMatchObject({
      eventId: `${record.caseId}:SubmitToPanel`,
      details: { messageId: 'message-1', attachments: 3 },
    });
  });

  it('names the chair who recorded the decision, never an internal id, in the decision and the covering letter', async () => {
    const { service, cases, documents, record } = await aDecidedCase();
    const decided = (await cases.getCase(record.caseId))!;
    cases.overwriteCase({
      ...decided,
      decision: { ...decided.decision!, decidedByName: 'Deputy Chair Person (demo)' },
    });

    await submitToPanel(service, { caseId: record.caseId });

    const decision = await pdfText(
      documents.objects.get(`cases/${record.caseId}/decision.pdf`)!.body as Uint8Array,
    );
    const letter = await pdfText(
      documents.objects.get(`cases/${record.caseId}/covering-letter.pdf`)!.body as Uint8Array,
    );
    expect(decision).toContain('Deputy Chair Person (demo)');
    expect(decision).not.toContain(decided.decision!.decidedBy);
    expect(letter).toContain('Deputy Chair Person (demo)');
  });

  it('never sends the Panel a second email, even when an earlier run stopped before marking the case', async () => {
    const { service, cases, mailer, documents, clock, record } = await aDecidedCase();
    await submitToPanel(service, { caseId: record.caseId });
    const letter = documents.objects.get(`cases/${record.caseId}/covering-letter.pdf`)?.body;
    cases.overwriteCase({ ...(await cases.getCase(record.caseId))!, status: 'decided' });
    clock.set('2026-03-24T09:00:00Z');

    await submitToPanel(service, { caseId: record.caseId });
    await submitToPanel(service, { caseId: record.caseId });

    expect(mailer.sent).toHaveLength(1);
    expect(documents.objects.get(`cases/${record.caseId}/covering-letter.pdf`)?.body).toBe(letter);
    expect(cases.auditOf(record.caseId).filter((event) => event.action === 'panel.submitted')).toHaveLength(
      1,
    );
  });

  it('refuses a case with no decision with DecisionMissing, sending nothing', async () => {
    const { service, cases, mailer } = fakeService();
    const record = await openSampleCase(cases, { changes: { status: 'awaiting-decision' } });

    const submitting = submitToPanel(service, { caseId: record.caseId });

    await expect(submitting).rejects.toMatchObject({ name: 'DecisionMissing' });
    expect(mailer.sent).toEqual([]);
  });
});
