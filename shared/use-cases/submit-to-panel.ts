import type { DocumentStore } from '../adapters/documents.ts';
import type { Attachment } from '../adapters/mailer.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import type { Service } from '../service.ts';
import type { CaseTaskPayload, SubmitToPanelResult } from '../workflow/contracts.ts';
import { emailContext, panelSubmissionEmail } from '../workflow/emails.ts';
import { coveringLetterPdf, decisionPdf } from '../workflow/papers.ts';
import { readinessOf, SubmissionNotReadyError } from '../workflow/readiness.ts';
import {
  advanceCase,
  caseDocumentKeys,
  DecisionMissingError,
  loadCase,
  workflowActor,
} from '../workflow/steps.ts';

/**
 * The document stored by an earlier attempt, or a fresh one stored now: a retry then attaches,
 * and keeps, exactly the letter an earlier attempt may already have sent.
 */
async function storedOrRendered(
  documents: DocumentStore,
  key: string,
  render: () => Promise<Uint8Array>,
): Promise<Uint8Array> {
  try {
    return await documents.getBytes(key);
  } catch (error) {
    if (!['NoSuchKey', 'NotFound'].includes((error as Error).name)) throw error;
  }
  const rendered = await render();
  await documents.put(key, rendered, 'application/pdf');
  return rendered;
}

/**
 * Day 15: one email to the Panel's mailbox with the covering letter, the decision and the
 * collated report attached (all PDF), never sent twice; the letter and the decision are stored
 * with the case too. The case must be decided.
 *
 * @throws DecisionMissingError when the case has no decision.
 */
export async function submitToPanel(
  service: Pick<Service, 'cases' | 'clock' | 'documents' | 'mailer' | 'profile'>,
  payload: CaseTaskPayload,
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
  const context = { partnershipName: profile.partnershipName, timeZone: rulesOf(profile).timeZone, now };
  const decided = { ...record, decision };
  const coveringLetter = await storedOrRendered(
    documents,
    caseDocumentKeys.coveringLetter(record.caseId),
    () =>
      coveringLetterPdf(decided, {
        ...context,
        chairName: decided.decision?.decidedByName ?? profile.rapidReviewGroup.chair.name,
      }),
  );
  const decisionDocument = await storedOrRendered(documents, caseDocumentKeys.decision(record.caseId), () =>
    decisionPdf(decided, context),
  );
  const collatedReport = await documents.getBytes(caseDocumentKeys.collatedReport(record.caseId));

  const attachments: Attachment[] = [
    {
      fileName: `covering-letter-${record.reference}.pdf`,
      contentType: 'application/pdf',
      content: coveringLetter,
    },
    {
      fileName: `decision-${record.reference}.pdf`,
      contentType: 'application/pdf',
      content: decisionDocument,
    },
    {
      fileName: `collated-report-${record.reference}.pdf`,
      contentType: 'application/pdf',
      content: collatedReport,
    },
  ];
  const sent = await service.mailer.sendOnce(
    `${record.caseId}:SubmitToPanel`,
    panelSubmissionEmail(emailContext(profile, record), profile.panelMailbox, attachments),
  );

  await advanceCase(
    service.cases,
    record,
    { status: 'submitted-to-panel', currentStep: 'SubmitToPanel' },
    {
      actor: workflowActor,
      at: service.clock.now().toISOString(),
      action: 'panel.submitted',
      reason: 'Outcome sent to the Panel mailbox with the covering letter, decision and collated report',
      details: { messageId: sent.messageId, attachments: attachments.length },
      eventId: `${record.caseId}:SubmitToPanel`,
    },
  );
  return { outcome: 'submitted' };
}
