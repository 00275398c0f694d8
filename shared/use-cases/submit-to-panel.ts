import type { DocumentStore } from '../adapters/documents.ts';
import type { Attachment } from '../adapters/mailer.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import { logWarning } from '../log.ts';
import { countPanelEmailSent } from '../metrics.ts';
import { reportDocumentKeys } from '../schemas/report.ts';
import type { Service } from '../service.ts';
import type { CaseTaskPayload, SubmitToPanelResult } from '../workflow/contracts.ts';
import { emailContext, panelSubmissionEmail } from '../workflow/emails.ts';
import {
  coveringLetterPdf,
  type Decided,
  decisionPdf,
  meetingRecordAttachment,
  type PaperContext,
} from '../workflow/papers.ts';
import { readinessOf, SubmissionNotReadyError } from '../workflow/readiness.ts';
import {
  advanceCase,
  caseDocumentKeys,
  DecisionMissingError,
  loadCase,
  workflowActor,
} from '../workflow/steps.ts';

/** The bytes stored under `key`, or undefined when nothing is stored there. */
async function storedBytes(documents: DocumentStore, key: string): Promise<Uint8Array | undefined> {
  try {
    return await documents.getBytes(key);
  } catch (error) {
    if (!['NoSuchKey', 'NotFound'].includes((error as Error).name)) throw error;
    return undefined;
  }
}

/**
 * The document stored by an earlier attempt, or a fresh one stored now: a retry then attaches,
 * and keeps, exactly the letter an earlier attempt may already have sent.
 */
async function storedOrRendered(
  documents: DocumentStore,
  key: string,
  render: () => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const stored = await storedBytes(documents, key);
  if (stored) return stored;
  const rendered = await render();
  await documents.put(key, rendered, 'application/pdf');
  return rendered;
}

/** The rapid review report as filed when it was marked complete; undefined when it is not complete or not filed. */
async function finishedReport(
  service: Pick<Service, 'cases' | 'documents'>,
  caseId: string,
): Promise<{ pdf: Uint8Array; docx?: Uint8Array } | undefined> {
  const report = await service.cases.getReport(caseId);
  if (!report.completion) return undefined;
  const pdf = await storedBytes(service.documents, reportDocumentKeys.pdf(caseId));
  if (!pdf) return undefined;
  const docx = await storedBytes(service.documents, reportDocumentKeys.docx(caseId));
  return { pdf, ...(docx ? { docx } : {}) };
}

/** What the submission may carry besides the papers this step builds. */
export interface PanelSubmissionExtras {
  /** The record of the Rapid Review Group meeting as a PDF, or undefined when the case has none. */
  meetingRecord?: (record: Decided, context: PaperContext) => Promise<Uint8Array | undefined>;
}

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Day 15: one email to the Panel's mailbox, never sent twice, carrying the covering letter (the
 * chair by name, what is attached, and for a late review how late and why), the safeguarding
 * partners' decision with each sign-off, the rapid review report (PDF and its Word copy) and the
 * meeting record when there is one. A case with no report on file (completed before reports were
 * filed as documents) sends the collated report in its place, and its letter and audit event say
 * so. The letter and the decision are stored with the case too. The case must be decided, signed
 * off and its report complete.
 *
 * @throws DecisionMissingError when the case has no decision; SubmissionNotReadyError when the
 * partners' sign-off or the report is not finished.
 */
export async function submitToPanel(
  service: Pick<Service, 'cases' | 'clock' | 'documents' | 'mailer' | 'profile'>,
  payload: CaseTaskPayload,
  extras: PanelSubmissionExtras = { meetingRecord: meetingRecordAttachment },
): Promise<SubmitToPanelResult> {
  const record = await loadCase(service.cases, payload.caseId);
  if (record.status === 'submitted-to-panel' || record.status === 'completed') {
    return { outcome: 'already-submitted' };
  }
  const { decision } = record;
  if (record.status !== 'decided' || !decision) {
    throw new DecisionMissingError(`Case ${record.caseId} is ${record.status} with no decision to submit`);
  }
  const readiness = await readinessOf(service, record);
  if (!readiness.ready) {
    throw new SubmissionNotReadyError(
      `Case ${record.caseId} still waits for: ${readiness.waitingFor.join(', ')}`,
    );
  }

  const profile = service.profile;
  const documents = service.documents;
  const now = service.clock.now();
  const context: PaperContext = {
    partnershipName: profile.partnershipName,
    timeZone: rulesOf(profile).timeZone,
    now,
  };
  const decided: Decided = { ...record, decision };
  // The chair by name: who recorded the decision, else the profile's chair (never `decidedBy`, an id).
  const chairName = decision.decidedByName ?? profile.rapidReviewGroup.chair.name;

  const report = await finishedReport(service, record.caseId);
  const meetingRecord = await extras.meetingRecord?.(decided, context);
  const papers: Attachment[] = [
    {
      fileName: `decision-${record.reference}.pdf`,
      contentType: PDF,
      content: await storedOrRendered(documents, caseDocumentKeys.decision(record.caseId), () =>
        decisionPdf(decided, { ...context, chairName }),
      ),
    },
  ];
  const enclosures = ["The safeguarding partners' decision, with each partner's sign-off"];
  if (report) {
    papers.push({
      fileName: `rapid-review-report-${record.reference}.pdf`,
      contentType: PDF,
      content: report.pdf,
    });
    if (report.docx) {
      papers.push({
        fileName: `rapid-review-report-${record.reference}.docx`,
        contentType: DOCX,
        content: report.docx,
      });
    }
    enclosures.push(`The rapid review report${report.docx ? ' (PDF, with a Word copy)' : ''}`);
  } else {
    logWarning('No rapid review report on file: the collated report goes to the Panel instead', {
      caseId: record.caseId,
    });
    papers.push({
      fileName: `collated-report-${record.reference}.pdf`,
      contentType: PDF,
      content: await documents.getBytes(caseDocumentKeys.collatedReport(record.caseId)),
    });
    enclosures.push(
      'The collated report of the agency summaries (the rapid review report was not on file when this was sent)',
    );
  }
  if (meetingRecord) {
    papers.push({
      fileName: `meeting-record-${record.reference}.pdf`,
      contentType: PDF,
      content: meetingRecord,
    });
    enclosures.push('The record of the Rapid Review Group meeting');
  }
  const coveringLetter = await storedOrRendered(
    documents,
    caseDocumentKeys.coveringLetter(record.caseId),
    () => coveringLetterPdf(decided, { ...context, chairName, enclosures }),
  );
  const attachments: Attachment[] = [
    { fileName: `covering-letter-${record.reference}.pdf`, contentType: PDF, content: coveringLetter },
    ...papers,
  ];
  const sent = await service.mailer.sendOnce(
    `${record.caseId}:SubmitToPanel`,
    panelSubmissionEmail(emailContext(profile, record), profile.panelMailbox, attachments, now),
  );
  if (sent.outcome === 'sent') countPanelEmailSent();

  const submittedAt = service.clock.now().toISOString();
  await advanceCase(
    service.cases,
    record,
    { status: 'submitted-to-panel', currentStep: 'SubmitToPanel', submittedToPanelAt: submittedAt },
    {
      actor: workflowActor,
      at: submittedAt,
      action: 'panel.submitted',
      reason: report
        ? "Outcome sent to the Panel mailbox with the covering letter, the safeguarding partners' decision and the rapid review report"
        : "Outcome sent to the Panel mailbox with the covering letter, the safeguarding partners' decision and the collated report: the rapid review report was not on file, so the collated report went in its place",
      details: {
        messageId: sent.messageId,
        attachments: attachments.length,
        report: report ? 'rapid-review-report' : 'collated-report',
        meetingRecord: meetingRecord !== undefined,
        late: record.late !== undefined,
      },
      eventId: `${record.caseId}:SubmitToPanel`,
    },
  );
  return { outcome: 'submitted' };
}
