import type { DocumentStore } from '../adapters/documents.ts';
import type { KeyedEmail } from '../adapters/mailer.ts';
import { agencyLinkUrl, mintAgencyToken } from '../agency-links.ts';
import { rapidReviewGroupPeople, rulesOf } from '../config/partnership-profile.ts';
import { countEscalations } from '../metrics.ts';
import type { EscalationRungKind } from '../rapid-review-rules.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import { collationStartsAt, ladderOf, milestone, type PlannedRung } from '../schemas/timetable.ts';
import type { Service } from '../service.ts';
import type { AgencyLink, AgencyRequestUpdate } from '../stores/case-store.ts';
import type { CaseTaskPayload, ClimbLadderResult } from '../workflow/contracts.ts';
import {
  agencyEscalationEmail,
  agencyReminderEmail,
  emailContext,
  formalRequestEmail,
  missingAgenciesEmail,
} from '../workflow/emails.ts';
import { formalRequestDocumentKey, formalRequestPdf } from '../workflow/formal-request.ts';
import { climbedRungs, stillMissing, yetToClimb } from '../workflow/ladder.ts';
import { formatInstant } from '../workflow/london-time.ts';
import { caseUrl, stopIfClosed, workflowActor, writeOnce } from '../workflow/steps.ts';
import { strategicLeadOf } from './partnership-directory.ts';

type Ports = Pick<Service, 'cases' | 'clock' | 'documents' | 'mailer' | 'profile' | 'publicBaseUrl'>;

/**
 * The key of an agency's rung, for its email and its audit event. The reminder and the lead
 * copied keep the keys of the steps they replace (ChaseMissingSummaries, CheckReturns), so a
 * case chased before the ladder is not chased again.
 */
export function rungStep(caseId: string, kind: EscalationRungKind, agencyId: string): string {
  const step = {
    reminder: 'ChaseMissingSummaries',
    'lead-copied': 'CheckReturns',
    'formal-request': 'FormalRequest',
  };
  return `${caseId}:${step[kind]}:${agencyId}`;
}

/**
 * The escalation ladder (issue 10 part 4): every rung due by now, in order, for each agency that
 * has been asked for its summary and not returned it and has not yet climbed that rung. A
 * reminder goes to the agency's single point of contact; "lead copied" goes to the contact with
 * its strategic safeguarding lead (when the profile names one) and the partnership team copied;
 * the formal request is a letter under section 16H of the Children Act 2004, filed with the case
 * and emailed to the strategic lead with the contact copied, and the Rapid Review Group is told,
 * once, which agencies have not returned. Every email to an agency carries a link of the
 * agency's own (see `chasingLinks`). Each email is sent once by its key, and each rung is
 * marked on the agency with an audit event (the emails together, then the marks together), so a
 * retry repeats nothing. Answers when the next rung is due, and whether there is one still to
 * wait for (none once every agency has returned).
 */
export async function climbLadder(service: Ports, payload: CaseTaskPayload): Promise<ClimbLadderResult> {
  let file = await service.cases.getCaseWithAgencies(payload.caseId);
  stopIfClosed(file.case);
  const now = service.clock.now();
  const ladder = ladderOf(file.case.timetable);
  const due = ladder.filter((rung) => Date.parse(rung.at) <= now.getTime());
  for (const rung of due) {
    const climbing = file.agencies.filter((agency) => stillMissing(agency) && yetToClimb(agency, rung.kind));
    if (climbing.length === 0) continue;
    await climb(service, file.case, file.agencies, climbing, rung);
    file = await service.cases.getCaseWithAgencies(payload.caseId);
  }
  const next = ladder.find((rung) => Date.parse(rung.at) > now.getTime());
  const anyMissing = file.agencies.some(stillMissing);
  return {
    nextRungAt: next?.at ?? ladder.at(-1)?.at ?? now.toISOString(),
    more: next !== undefined && anyMissing,
  };
}

async function climb(
  service: Ports,
  record: CaseRecord,
  agencies: readonly AgencyRequest[],
  climbing: readonly AgencyRequest[],
  rung: PlannedRung,
): Promise<void> {
  const profile = service.profile;
  const context = emailContext(profile, record);
  const now = service.clock.now();
  const at = now.toISOString();
  const emails: KeyedEmail[] = [];
  const letters = new Map<string, string>();
  const links = await chasingLinks(service, record, climbing);
  // Each agency's lead by its id: the partnership directory's, else the profile's.
  const leads = new Map(
    await Promise.all(
      climbing.map(async (agency) => [agency.agencyId, await strategicLeadOf(service, agency)] as const),
    ),
  );
  for (const agency of climbing) {
    const key = rungStep(record.caseId, rung.kind, agency.agencyId);
    const lead = leads.get(agency.agencyId);
    const link = links.get(agency.agencyId) as { url: string; expiresAt: string };
    if (rung.kind === 'reminder') emails.push({ key, message: agencyReminderEmail(context, agency, link) });
    if (rung.kind === 'lead-copied') {
      emails.push({ key, message: agencyEscalationEmail(context, agency, lead, link, now) });
    }
    if (rung.kind === 'formal-request') {
      const documentKey = formalRequestDocumentKey(record.caseId, agency.agencyId);
      const letter = await storedOrRendered(service.documents, documentKey, () =>
        formalRequestPdf(record, agency, lead, {
          partnershipName: profile.partnershipName,
          timeZone: rulesOf(profile).timeZone,
          now,
        }),
      );
      letters.set(agency.agencyId, documentKey);
      emails.push({
        key,
        message: formalRequestEmail(
          context,
          agency,
          lead,
          {
            fileName: `formal-request-${record.reference}-${agency.agencyId}.pdf`,
            contentType: 'application/pdf',
            content: letter,
          },
          link,
        ),
      });
    }
  }
  if (rung.kind === 'formal-request') {
    emails.push({
      key: `${record.caseId}:FormalRequest:RapidReviewGroup`,
      message: missingAgenciesEmail(
        context,
        rapidReviewGroupPeople(profile),
        agencies.filter(stillMissing).map((agency) => agency.agencyName),
        caseUrl(service.publicBaseUrl, record.caseId),
      ),
    });
  }
  const sent = await service.mailer.sendEachOnce(emails);
  // Each agency chased up a rung is an escalation (the Rapid Review Group's notice is not one).
  const chasedKeys = new Set(climbing.map((agency) => rungStep(record.caseId, rung.kind, agency.agencyId)));
  countEscalations(sent.filter((email) => email.outcome === 'sent' && chasedKeys.has(email.key)).length);

  const updates = climbing.map((agency): AgencyRequestUpdate => {
    const lead = leads.get(agency.agencyId);
    const ladder = [...climbedRungs(agency), { kind: rung.kind, at }];
    const base = {
      current: agency,
      audit: { actor: workflowActor, at, eventId: rungStep(record.caseId, rung.kind, agency.agencyId) },
    };
    if (rung.kind === 'reminder') {
      return {
        ...base,
        changes: { status: 'reminded', remindedAt: at, ladder },
        audit: {
          ...base.audit,
          action: 'agency.reminded',
          reason: `Reminder sent: no summary from ${agency.agencyName} yet`,
          details: { agencyId: agency.agencyId, rung: rung.kind } as Record<string, string | boolean | null>,
        },
      };
    }
    const dueAt = milestone(record.timetable, 'agencySummariesDue').dueAt;
    const byOrAt = now.getTime() < Date.parse(dueAt) ? 'yet, due by' : 'by the deadline,';
    if (rung.kind === 'lead-copied') {
      return {
        ...base,
        changes: { status: 'escalated', escalatedAt: at, ladder },
        audit: {
          ...base.audit,
          action: 'agency.escalated',
          reason: `No summary from ${agency.agencyName} ${byOrAt} ${formatInstant(dueAt, context.timeZone)}; escalated to the agency${
            lead ? ' and its strategic safeguarding lead' : ''
          } and the partnership team`,
          details: { agencyId: agency.agencyId, rung: rung.kind, strategicLeadCopied: lead !== undefined },
        },
      };
    }
    return {
      ...base,
      changes: {
        status: 'escalated',
        escalatedAt: agency.escalatedAt ?? at,
        ladder,
        formalRequestKey: letters.get(agency.agencyId),
      },
      audit: {
        ...base.audit,
        action: 'agency.formal-request-sent',
        reason: `No summary from ${agency.agencyName} ${byOrAt} ${formatInstant(dueAt, context.timeZone)}; formal request for information (section 16H of the Children Act 2004) sent to ${
          lead ? 'its strategic safeguarding lead' : 'the agency'
        }, and the Rapid Review Group told`,
        details: {
          agencyId: agency.agencyId,
          rung: rung.kind,
          strategicLeadNamed: lead !== undefined,
          documentKey: letters.get(agency.agencyId) ?? null,
        },
      },
    };
  });
  await writeOnce(() => service.cases.updateAgencyRequests(updates));
}

/**
 * A fresh link for each agency chased, for its email to carry: the request's link was stored by
 * its hash only, so it cannot be sent again, and a new one must not stop it (the agency may
 * still be using it). Each new link is stored as the companion of the agency's current link
 * (`companionOf`): it works while that link works, until collation, and stops with it when the
 * partnership team replaces the contact, resends the link, removes the agency or withdraws the
 * case. A retry mints others, which are stored but never sent (the mailer finds the emails
 * sent); they reach no one.
 */
async function chasingLinks(
  service: Pick<Service, 'cases' | 'publicBaseUrl'>,
  record: CaseRecord,
  climbing: readonly AgencyRequest[],
): Promise<Map<string, { url: string; expiresAt: string }>> {
  const expiresAt = collationStartsAt(record.timetable);
  const minted = climbing.map((agency) => ({ agency, ...mintAgencyToken() }));
  await service.cases.putAgencyLinks(
    minted.map(
      ({ agency, tokenHash }): AgencyLink => ({
        tokenHash,
        caseId: record.caseId,
        agencyId: agency.agencyId,
        expiresAt,
        ...(agency.linkTokenHash ? { companionOf: agency.linkTokenHash } : {}),
      }),
    ),
  );
  return new Map(
    minted.map(({ agency, token }) => [
      agency.agencyId,
      { url: agencyLinkUrl(service.publicBaseUrl, token), expiresAt },
    ]),
  );
}

/** The letter filed by an earlier attempt, or one rendered and filed now: a retry sends the same letter. */
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
