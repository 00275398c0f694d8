import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import type { CaseRecord, SignOff } from '../../../shared/schemas/case.ts';
import { reportSectionKeys } from '../../../shared/schemas/report.ts';
import { completeReport, saveReportSection } from '../../../shared/use-cases/rapid-review-report.ts';
import { submitToPanel } from '../../../shared/use-cases/submit-to-panel.ts';
import { collatedReportPdf } from '../../../shared/workflow/collated-report.ts';
import { captureOutput } from '../../support/log-lines.ts';
import { pdfText } from './pdf-text.ts';
import {
  childNames,
  fakeService,
  makeReadyToSubmit,
  openSampleCase,
  sampleDecision,
  testProfile,
} from './workflow-fakes.ts';

/** Invented sign-offs; in `dissent` the police partner disagrees, with reasons. */
const agreed = (partner: SignOff['partner'], name: string, signedAt: string): SignOff => ({
  partner,
  agrees: true,
  signedAt,
  signedBy: `user-${partner}-partner-test`,
  signedByName: name,
});
const dissent: SignOff = {
  partner: 'police',
  agrees: false,
  reasons: 'Invented dissent: the police partner would not commission a local review.',
  signedAt: '2026-03-24T10:00:00Z',
  signedBy: 'user-police-partner-test',
  signedByName: 'Police Partner (demo)',
};

describe('submit-to-panel (Day 15)', () => {
  /**
   * A decided case made ready to submit (every partner agreeing, the report complete), then
   * `changes` applied. Its rapid review report is written and marked complete through the use case,
   * which files its PDF and Word copy, unless `report` is 'not-on-file': then the report is marked
   * complete with no document filed, as for a case completed before reports were filed.
   */
  async function aDecidedCase(
    notification = sampleNotification(),
    changes: Partial<CaseRecord> = {},
    options: { report?: 'filed' | 'not-on-file' } = {},
  ) {
    const fakes = fakeService('2026-03-23T15:00:03Z');
    const opened = await openSampleCase(fakes.cases, {
      notification,
      changes: { status: 'decided', decision: sampleDecision },
    });
    await fakes.documents.put(
      opened.notificationDocumentKey,
      JSON.stringify(notification),
      'application/json',
    );
    const filedReport =
      options.report === 'not-on-file' ? undefined : await completeTheReport(fakes, opened.caseId);
    await makeReadyToSubmit(fakes.cases, opened.caseId);
    fakes.cases.overwriteCase({ ...(await fakes.cases.getCase(opened.caseId))!, ...changes });
    const record = (await fakes.cases.getCase(opened.caseId))!;
    const { agencies } = await fakes.cases.getCaseFile(record.caseId);
    const report = await collatedReportPdf(record, agencies, {
      partnershipName: testProfile.partnershipName,
      timeZone: 'Europe/London',
      now: new Date('2026-03-18T09:00:04Z'),
    });
    await fakes.documents.put(`cases/${record.caseId}/collated-report.pdf`, report, 'application/pdf');
    return { ...fakes, record, report, filedReport };
  }

  /** The partnership team writes every section of the rapid review report and marks it complete, which files its PDF and Word copy. */
  async function completeTheReport(fakes: ReturnType<typeof fakeService>, caseId: string) {
    const author = { id: 'user-team-test', roles: ['partnership-team'] as const, name: 'Team Person (demo)' };
    for (const section of reportSectionKeys) {
      await saveReportSection(fakes.service, {
        caseId,
        section,
        body: { text: `Invented text for ${section} (demo).` },
        author,
      });
    }
    const { documents } = await completeReport(fakes.service, { caseId, author });
    return {
      pdf: fakes.documents.objects.get(documents.pdf)!.body as Uint8Array,
      docx: fakes.documents.objects.get(documents.docx)!.body as Uint8Array,
    };
  }

  const textsOf = async (
    message: { attachments?: { fileName: string; content: Uint8Array }[] } | undefined,
  ) =>
    Object.fromEntries(
      await Promise.all(
        (message?.attachments ?? [])
          .filter((attachment) => attachment.fileName.endsWith('.pdf'))
          .map(async (attachment) => [
            attachment.fileName.replace(/-RR-.*$/, ''),
            // Page footers left out, so text that runs onto the next page reads on.
            (await pdfText(attachment.content))
              .replace(/\nRapid Review RR-\S+ {3}Page \d+ of \d+/g, '')
              .replace(/\s+/g, ' '),
          ]),
      ),
    ) as Record<string, string>;

  it('sends one email, however often it runs (one counted), to the Panel mailbox only, with the covering letter, the decision and the rapid review report (PDF and Word) in place of the collated report', async () => {
    const fakes = await aDecidedCase();
    const { service, mailer, record } = fakes;
    const report = fakes.filedReport!;
    const output = captureOutput();

    await submitToPanel(service, { caseId: record.caseId });
    await submitToPanel(service, { caseId: record.caseId });

    expect(output.publishedCounts()).toEqual({ PanelEmailsSent: 1 });
    expect(mailer.sent).toHaveLength(1);
    const [{ key, message }] = mailer.sent as [(typeof mailer.sent)[number]];
    expect(key).toBe(`${record.caseId}:SubmitToPanel`);
    expect(message.to).toEqual(['panel-mailbox@example.org']);
    expect(message.cc).toBeUndefined();
    expect(message.subject).toContain(record.panelReference);
    expect(message.attachments?.map((attachment) => [attachment.fileName, attachment.contentType])).toEqual([
      [`covering-letter-${record.reference}.pdf`, 'application/pdf'],
      [`decision-${record.reference}.pdf`, 'application/pdf'],
      [`rapid-review-report-${record.reference}.pdf`, 'application/pdf'],
      [
        `rapid-review-report-${record.reference}.docx`,
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ],
    ]);
    expect(message.attachments?.[2]?.content).toEqual(report.pdf);
    expect(message.attachments?.[3]?.content).toEqual(report.docx);
    const texts = await textsOf(message);
    expect(texts['covering-letter']).toContain(
      "Attached: - The safeguarding partners' decision, with each partner's sign-off - The rapid review report (PDF, with a Word copy)",
    );
    expect(texts['covering-letter']).not.toContain('collated report');
    expect(message.text).toContain(`- rapid-review-report-${record.reference}.pdf`);
    expect(message.text).not.toContain('collated-report');
    expect(
      fakes.cases.auditOf(record.caseId).find((event) => event.action === 'panel.submitted'),
    ).toMatchObject({
      reason:
        "Outcome sent to the Panel mailbox with the covering letter, the safeguarding partners' decision and the rapid review report",
      details: { attachments: 4, report: 'rapid-review-report', late: false },
    });
  });

  it('sends the collated report when no rapid review report is on file, and says so in the letter and the audit', async () => {
    const fakes = await aDecidedCase(sampleNotification(), {}, { report: 'not-on-file' });
    const { service, mailer, record, report } = fakes;

    await submitToPanel(service, { caseId: record.caseId });

    const message = mailer.sent[0]?.message;
    expect(message?.attachments?.map((attachment) => attachment.fileName)).toEqual([
      `covering-letter-${record.reference}.pdf`,
      `decision-${record.reference}.pdf`,
      `collated-report-${record.reference}.pdf`,
    ]);
    for (const attachment of message?.attachments ?? []) {
      expect((await PDFDocument.load(attachment.content)).getPageCount()).toBeGreaterThan(0);
    }
    expect(message?.attachments?.[2]?.content).toEqual(report);
    expect((await textsOf(message))['covering-letter']).toContain(
      'The collated report of the agency summaries (the rapid review report was not on file when this was sent)',
    );
    expect(
      fakes.cases.auditOf(record.caseId).find((event) => event.action === 'panel.submitted'),
    ).toMatchObject({
      reason: expect.stringContaining(
        'the rapid review report was not on file, so the collated report went in its place',
      ),
      details: { attachments: 3, report: 'collated-report' },
    });
  });

  it('puts the decisions, reasons and references in the letter and the decision, and no child in them or the email', async () => {
    const { service, mailer, record } = await aDecidedCase();

    await submitToPanel(service, { caseId: record.caseId });

    const texts = await textsOf(mailer.sent[0]?.message);
    const letter = texts['covering-letter']!;
    const decision = texts.decision!;
    expect(letter).toContain(record.panelReference);
    expect(letter).toContain(record.reference);
    expect(letter).toContain(testProfile.partnershipName);
    expect(letter).toContain('Monday 23 March 2026');
    expect(decision).toContain("The safeguarding partners' decision");
    expect(decision).toContain('decided to commission a Local Child Safeguarding Practice Review');
    expect(decision).toContain('does not recommend a national review');
    expect(decision).toContain('multi-agency information sharing');
    expect(decision).toContain('the learning is local to the partnership');
    expect(decision).toContain('3pm on Monday 23 March 2026');
    for (const text of [letter, decision, mailer.sent[0]?.message.text]) {
      for (const name of childNames()) expect(text).not.toContain(name);
    }
    // The report is the paper that identifies the child for the Panel.
    expect(texts['rapid-review-report']).toContain(record.panelReference);
  });

  it('names the chair, never an internal id: the profile chair when the decision has no name, else who recorded it', async () => {
    const first = await aDecidedCase();
    await submitToPanel(first.service, { caseId: first.record.caseId });
    const firstTexts = await textsOf(first.mailer.sent[0]?.message);

    const second = await aDecidedCase(sampleNotification(), {
      decision: { ...sampleDecision, decidedByName: 'Deputy Chair Person (demo)' },
    });
    await submitToPanel(second.service, { caseId: second.record.caseId });
    const secondTexts = await textsOf(second.mailer.sent[0]?.message);

    expect(firstTexts.decision).toContain('Decided by Chair Person (test), chair of the Rapid Review Group');
    expect(firstTexts['covering-letter']).toContain(
      'Yours faithfully, Chair Person (test) Chair, Rapid Review Group',
    );
    expect(secondTexts.decision).toContain(
      'Decided by Deputy Chair Person (demo), chair of the Rapid Review Group',
    );
    expect(secondTexts['covering-letter']).toContain('Yours faithfully, Deputy Chair Person (demo)');
    for (const text of [...Object.values(firstTexts), ...Object.values(secondTexts)]) {
      expect(text).not.toContain(sampleDecision.decidedBy);
      expect(text).not.toContain('Recorded by');
    }
  });

  const resolution: NonNullable<CaseRecord['signOffResolution']> = {
    outcome: 'decision-stands',
    reasons: 'Invented resolution: the learning on information sharing is worth a local review.',
    resolvedAt: '2026-03-25T09:30:00Z',
    resolvedBy: 'user-board-chair-test',
    resolvedByName: 'Board Chair (demo)',
  };

  it("prints each partner's sign-off by name and date, a dissent with its reasons and the Executive Board chair's resolution, with no one's internal id", async () => {
    const { service, mailer, record } = await aDecidedCase(sampleNotification(), {
      signOffs: [
        agreed('local-authority', 'Council Partner (demo)', '2026-03-23T16:00:00Z'),
        dissent,
        agreed('health', 'Health Partner (demo)', '2026-03-24T11:00:00Z'),
      ],
      signOffResolution: resolution,
    });

    await submitToPanel(service, { caseId: record.caseId });

    const { decision, 'covering-letter': letter } = await textsOf(mailer.sent[0]?.message);
    expect(decision).toContain(
      'Local authority Signed off by Council Partner (demo) Signed off on Monday 23 March 2026 Answer Agrees with the decision',
    );
    expect(decision).toContain(
      'Chief officer of police Signed off by Police Partner (demo) Signed off on Tuesday 24 March 2026 Answer Disagrees with the decision Reasons for disagreeing Invented dissent: the police partner would not commission a local review.',
    );
    expect(decision).toContain(
      'Integrated care board Signed off by Health Partner (demo) Signed off on Tuesday 24 March 2026 Answer Agrees with the decision',
    );
    expect(decision).toContain(
      "The Executive Board chair's resolution Outcome The chair's decision stands Resolved by Board Chair (demo) Resolved on Wednesday 25 March 2026 Reasons: Invented resolution: the learning on information sharing is worth a local review.",
    );
    for (const text of [decision, letter]) {
      expect(text).toContain(
        "A safeguarding partner disagreed with the decision, and the chair of the Executive Board resolved it: the chair's decision stands.",
      );
      expect(text).not.toMatch(/user-/);
      expect(text).not.toContain('Recorded by');
    }
  });

  it('says when all three partners agree, and prints no resolution', async () => {
    const { service, mailer, record } = await aDecidedCase(sampleNotification(), {
      signOffs: [
        agreed('local-authority', 'Council Partner (demo)', '2026-03-23T16:00:00Z'),
        agreed('police', 'Police Partner (demo)', '2026-03-23T16:30:00Z'),
        agreed('health', 'Health Partner (demo)', '2026-03-24T11:00:00Z'),
      ],
    });

    await submitToPanel(service, { caseId: record.caseId });

    const { decision, 'covering-letter': letter } = await textsOf(mailer.sent[0]?.message);
    expect(decision).toContain(
      'Chief officer of police Signed off by Police Partner (demo) Signed off on Monday 23 March 2026 Answer Agrees with the decision',
    );
    for (const text of [decision, letter]) {
      expect(text).toContain('All three safeguarding partners signed off the decision and agree with it.');
    }
    expect(decision).not.toContain('Reasons for disagreeing');
    expect(decision).not.toContain("The Executive Board chair's resolution");
  });

  it('says in the letter and the email that a late review is late, since when in working days (bank holidays skipped), and why', async () => {
    const { service, cases, mailer, clock, record } = await aDecidedCase(sampleNotification(), {
      late: {
        dueDate: '2026-04-01',
        panelToldAt: '2026-04-02T08:00:00Z',
        reason: 'Invented reason: two agencies returned their summaries after the meeting (demo).',
        expectedOn: '2026-04-07',
      },
    });
    // Tuesday 7 April 2026: Good Friday and Easter Monday fall between, so 2 working days late.
    clock.set('2026-04-07T10:00:00Z');

    await submitToPanel(service, { caseId: record.caseId });

    const message = mailer.sent[0]?.message;
    const letter = (await textsOf(message))['covering-letter'];
    expect(letter).toContain(
      "This rapid review is late. It was due on Wednesday 1 April 2026 and is sent 2 working days late. The partnership's reason: Invented reason: two agencies returned their summaries after the meeting (demo).",
    );
    expect(message?.text).toContain(
      "This rapid review is late. It was due on Wednesday 1 April 2026 and is sent 2 working days late. The covering letter gives the partnership's reason.",
    );
    expect(message?.text).not.toContain('Invented reason');
    expect(letter).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(
      cases.auditOf(record.caseId).find((event) => event.action === 'panel.submitted')?.details,
    ).toMatchObject({
      late: true,
    });
  });

  it('says plainly when a late review has no recorded reason, and says nothing of lateness for a review on time', async () => {
    const late = await aDecidedCase(sampleNotification(), { late: { dueDate: '2026-03-20' } });
    const onTime = await aDecidedCase();

    await submitToPanel(late.service, { caseId: late.record.caseId });
    await submitToPanel(onTime.service, { caseId: onTime.record.caseId });

    const lateMessage = late.mailer.sent[0]?.message;
    expect((await textsOf(lateMessage))['covering-letter']).toContain(
      'This rapid review is late. It was due on Friday 20 March 2026 and is sent 1 working day late. The partnership has not recorded a reason.',
    );
    expect(lateMessage?.text).toContain(
      'It was due on Friday 20 March 2026 and is sent 1 working day late. The partnership has not recorded a reason.',
    );
    const onTimeMessage = onTime.mailer.sent[0]?.message;
    expect((await textsOf(onTimeMessage))['covering-letter']).not.toContain('This rapid review is late');
    expect(onTimeMessage?.text).not.toContain('This rapid review is late');
    expect(onTimeMessage?.text).not.toContain('reason');
  });

  it('attaches the meeting record when the case has one, and lists it in the letter', async () => {
    const { service, mailer, record, report } = await aDecidedCase();
    const meetingRecord = report; // any PDF stands in for the meeting module's record

    await submitToPanel(service, { caseId: record.caseId }, { meetingRecord: async () => meetingRecord });

    const message = mailer.sent[0]?.message;
    expect(message?.attachments?.at(-1)).toMatchObject({
      fileName: `meeting-record-${record.reference}.pdf`,
      contentType: 'application/pdf',
      content: meetingRecord,
    });
    expect((await textsOf(message))['covering-letter']).toContain(
      '- The record of the Rapid Review Group meeting',
    );
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
    const { 'covering-letter': letter, decision, 'rapid-review-report': report } = await textsOf(message);
    expect(letter).toContain(
      "The 15 working days are the Panel's expectation, not a statute. Days 1 to 15 are the partnership's own plan for meeting it.",
    );
    for (const text of [message?.subject, message?.text, letter, decision, report]) {
      expect(text).not.toMatch(/statutory|clinical commissioning|\bCCGs?\b/i);
    }
  });

  it('stores the letter and the decision with the case, and marks the case submitted, when, with the message id', async () => {
    const { service, cases, documents, record } = await aDecidedCase();

    await submitToPanel(service, { caseId: record.caseId });

    expect(documents.objects.has(`cases/${record.caseId}/covering-letter.pdf`)).toBe(true);
    expect(documents.objects.has(`cases/${record.caseId}/decision.pdf`)).toBe(true);
    const file = await cases.getCaseFile(record.caseId);
    expect(file.case.status).toBe('submitted-to-panel');
    // When it went, for the scrutiny report's and the dashboard's timeliness (issue 14): the audit event's instant.
    const submitted = file.audit.find((event) => event.action === 'panel.submitted');
    expect(file.case.submittedToPanelAt).toBe(submitted?.at);
    expect(file.audit.find((event) => event.action === 'panel.submitted')).toMatchObject({
      eventId: `${record.caseId}:SubmitToPanel`,
      details: { messageId: 'message-1', attachments: 4 },
    });
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
