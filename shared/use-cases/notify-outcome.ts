import type { Service } from '../service.ts';
import type { CaseTaskPayload, NotifyOutcomeResult } from '../workflow/contracts.ts';
import { emailContext, outcomeEmail, outcomeSentToTeamEmail } from '../workflow/emails.ts';
import { advanceCase, CaseNotReadyError, caseUrl, workflowActor } from '../workflow/steps.ts';

/**
 * After submission: tells the notifier, each agency's single point of contact, the partnership's
 * Executive Board (when the profile names it) and the partnership team that the outcome went to
 * the Panel, with the decision in two sentences (no reasons: they may describe the family). One
 * email per person and per case; the case is then complete.
 *
 * @throws CaseNotReadyError when the outcome has not been submitted to the Panel.
 */
export async function notifyOutcome(
  service: Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl'>,
  payload: CaseTaskPayload,
): Promise<NotifyOutcomeResult> {
  const file = await service.cases.getCaseFile(payload.caseId);
  const record = file.case;
  if (record.status === 'completed') return { recipients: 0 };
  if (record.status !== 'submitted-to-panel' || !record.decision) {
    throw new CaseNotReadyError(
      `Case ${record.caseId} is ${record.status}; its outcome has not gone to the Panel`,
    );
  }
  const submittedAt =
    file.audit.find((event) => event.eventId === `${record.caseId}:SubmitToPanel`)?.at ?? record.updatedAt;
  const context = emailContext(service.profile, record);
  const { decision } = record;
  const board = service.profile.executiveBoard;
  const emails = [
    {
      key: `${record.caseId}:NotifyOutcome:notifier`,
      message: outcomeEmail(context, { email: record.notifierEmail }, decision, submittedAt),
    },
    ...file.agencies.map((agency) => ({
      key: `${record.caseId}:NotifyOutcome:${agency.agencyId}`,
      message: outcomeEmail(context, agency.spoc, decision, submittedAt),
    })),
    // The partnership's Executive Board, when the profile names it, is told the decision too.
    ...(board
      ? [
          {
            key: `${record.caseId}:NotifyOutcome:executive-board`,
            message: outcomeEmail(context, board, decision, submittedAt),
          },
        ]
      : []),
    {
      key: `${record.caseId}:NotifyOutcome:partnership-team`,
      message: outcomeSentToTeamEmail(
        context,
        decision,
        submittedAt,
        caseUrl(service.publicBaseUrl, record.caseId),
      ),
    },
  ];
  await service.mailer.sendEachOnce(emails);

  await advanceCase(
    service.cases,
    record,
    { status: 'completed', currentStep: 'NotifyOutcome' },
    {
      actor: workflowActor,
      at: service.clock.now().toISOString(),
      action: 'outcome.notified',
      reason: board
        ? 'Outcome sent to the notifier, every agency, the Executive Board and the partnership team; Rapid Review complete'
        : 'Outcome sent to the notifier, every agency and the partnership team; Rapid Review complete',
      details: { recipients: emails.length },
      eventId: `${record.caseId}:NotifyOutcome`,
    },
  );
  return { recipients: emails.length };
}
