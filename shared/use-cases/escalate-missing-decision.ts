import { deputyChairAddresses, rulesOf } from '../config/partnership-profile.ts';
import { countEscalations, countPanelEmailSent } from '../metrics.ts';
import type { CaseRecord } from '../schemas/case.ts';
import { milestone } from '../schemas/timetable.ts';
import type * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { EscalateMissingDecisionResult, escalateMissingDecisionPayload } from '../workflow/contracts.ts';
import { decisionDueAt } from '../workflow/decision-deadline.ts';
import { emailContext, lateNoticeEmail, submissionOverdueEmail } from '../workflow/emails.ts';
import {
  type Awaited,
  awaitedInWords,
  readinessOf,
  type SubmissionReadiness,
} from '../workflow/readiness.ts';
import { caseUrl, loadCase, workflowActor, writeOnce } from '../workflow/steps.ts';

/** "a", "a and b", "a, b and c". */
function inWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The page (under the case's) where each thing the submission waits for is done. */
const awaitedPage: Record<Awaited, string> = {
  decision: '/decision',
  'sign-offs': '/sign-off',
  resolution: '/sign-offs/resolution',
  report: '/report',
};

type EscalationPorts = Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl'>;

/** Who is chased for what the submission still waits for: the chair, the partners not yet signed off, the Board chair. */
function chasedAddresses(
  profile: Service['profile'],
  record: CaseRecord,
  readiness: SubmissionReadiness,
): string[] {
  const addresses: string[] = [];
  for (const awaited of readiness.waitingFor) {
    if (awaited === 'decision') {
      addresses.push(profile.rapidReviewGroup.chair.email, ...deputyChairAddresses(profile));
    }
    if (awaited === 'sign-offs') {
      const signed = new Set((record.signOffs ?? []).map((signOff) => signOff.partner));
      for (const [partner, people] of Object.entries(profile.safeguardingPartners)) {
        if (signed.has(partner as keyof typeof profile.safeguardingPartners)) continue;
        addresses.push(people.lead.email, ...people.delegates.map((delegate) => delegate.email));
      }
    }
    if (awaited === 'resolution') {
      addresses.push(profile.executiveBoard?.email ?? profile.partnershipTeamAddress);
    }
    // The report: the partnership team drafts it, and is copied on every escalation.
  }
  const unique = [...new Map(addresses.map((address) => [address.toLowerCase(), address])).values()];
  return unique.length > 0 ? unique : [profile.partnershipTeamAddress];
}

/**
 * The first time the governing date passes without a submission: the case is marked late (not
 * failed) and the Panel gets one short holding email, the Executive Board chair copied.
 */
async function markLate(service: EscalationPorts, record: CaseRecord): Promise<CaseRecord> {
  const step = `${record.caseId}:LateNotice`;
  const profile = service.profile;
  const notice = await service.mailer.sendOnce(
    step,
    lateNoticeEmail(emailContext(profile, record), profile.panelMailbox, profile.executiveBoard?.email),
  );
  if (notice.outcome === 'sent') countPanelEmailSent();
  const now = service.clock.now().toISOString();
  const dueDate = milestone(record.timetable, 'submitToPanel').date;
  await writeOnce(() =>
    service.cases.updateCase(
      record,
      { late: { ...record.late, dueDate, panelToldAt: now } },
      {
        actor: workflowActor,
        at: now,
        action: 'review.late',
        reason:
          'The review was not sent to the Panel by the date it was due: the Panel was told it is late, the Executive Board copied',
        details: { dueDate },
        eventId: step,
      },
    ),
  );
  return loadCase(service.cases, record.caseId);
}

/**
 * A wait for the submission ran out. When the submission became ready meanwhile, nobody is
 * chased and the state machine submits. Otherwise: the first time, the case is marked late and
 * the Panel told; every time, whoever the submission still waits for is chased, copied to the
 * partnership team, once per wait, and the escalation is recorded on the case. The chasing goes
 * on until the review is done: lateness is not a failure.
 */
export async function escalateMissingDecision(
  service: EscalationPorts,
  payload: z.infer<typeof escalateMissingDecisionPayload>,
): Promise<EscalateMissingDecisionResult> {
  const { caseId, attempt } = payload;
  let record = await loadCase(service.cases, caseId);
  const readiness = await readinessOf(service, record);
  if (readiness.ready) return { outcome: 'ready' };

  if (!record.late?.panelToldAt) record = await markLate(service, record);

  const profile = service.profile;
  const now = service.clock.now();
  const step = `${caseId}:EscalateMissingDecision:${attempt}`;
  const link = caseUrl(service.publicBaseUrl, caseId);
  const chased = await service.mailer.sendOnce(
    step,
    submissionOverdueEmail(emailContext(profile, record), chasedAddresses(profile, record, readiness), {
      attempt,
      waitingFor: readiness.waitingFor.map((awaited) => ({
        what: awaitedInWords[awaited],
        url: `${link}${awaitedPage[awaited]}`,
      })),
      nextReminderAt: decisionDueAt(record, attempt + 1, now, rulesOf(profile)),
      caseUrl: link,
    }),
  );
  await writeOnce(() =>
    service.cases.updateCase(
      record,
      { currentStep: 'EscalateMissingDecision' },
      {
        actor: workflowActor,
        at: now.toISOString(),
        action: 'decision.escalated',
        reason: `The review is late and still waits for ${inWords(readiness.waitingFor.map((awaited) => awaitedInWords[awaited]))}: reminder ${attempt} sent, the partnership team copied`,
        details: { attempt, waitingFor: readiness.waitingFor.join(' ') },
        eventId: step,
      },
    ),
  );
  if (chased.outcome === 'sent') countEscalations(1);
  return { outcome: 'escalated' };
}
