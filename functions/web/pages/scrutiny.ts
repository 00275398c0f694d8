import { CaseNotFoundError } from '../../../shared/errors.ts';
import type { AgencyRequest, AuditEvent, CaseRecord } from '../../../shared/schemas/case.ts';
import { caseId as caseIdSchema } from '../../../shared/schemas/primitives.ts';
import { planDayOf } from '../../../shared/schemas/timetable.ts';
import {
  clocksInBrief,
  clocksInWords,
  clocksOf,
  timelinessInWords,
} from '../../../shared/workflow/clocks-wording.ts';
import { formatDate } from '../../../shared/workflow/london-time.ts';
import { notFound, type Page, render, staffOnly } from '../page.ts';
import { statusTag } from './case-tags.ts';
import { londonDate } from './london.ts';

/**
 * The Independent Scrutineer's home (issue 11 part 2): every Rapid Review, read only and without
 * identifying details (now on the six-monthly report, GET /scrutiny, issue 14), and one review's facts (GET /scrutiny/{caseId}): its
 * reference, the kind of incident, its dates, where it stands and whether it was on time. Never
 * a child, the notifier, where it happened nor any free text (reasons, summaries, minutes): only
 * what the case record holds as dates, counts and yes or no; no notification document is read.
 */

/** Whether the review went to the Panel by its due date, in words, with a tag's colour. */
export function onTimeOf(
  record: Pick<CaseRecord, 'status' | 'late' | 'timetable'>,
  now: Date,
): { text: string; classes: string } {
  if (record.status === 'closed')
    return { text: 'Does not apply: notification only', classes: 'govuk-tag--grey' };
  if (record.status === 'withdrawn') return { text: 'Does not apply: withdrawn', classes: 'govuk-tag--grey' };
  const gone = record.status === 'submitted-to-panel' || record.status === 'completed';
  if (record.late) return { text: 'Late', classes: 'govuk-tag--red' };
  if (gone) return { text: 'On time', classes: 'govuk-tag--green' };
  // The review is due by the end of its governing date: past it, and not gone, it is late.
  const dueAt = record.timetable.milestones.find((milestone) => milestone.key === 'submitToPanel')?.dueAt;
  if (dueAt && Date.parse(dueAt) <= now.getTime()) return { text: 'Late', classes: 'govuk-tag--red' };
  return { text: 'Not due yet', classes: 'govuk-tag--grey' };
}

const incidentOf = (record: Pick<CaseRecord, 'incidentKind'>) =>
  record.incidentKind === 'death' ? 'Death of a child' : 'Serious harm to a child';

/** The rows of the scrutineer's list of reviews: reference, incident, dates, status and whether on time. */
export function scrutinyRowsOf(records: readonly CaseRecord[], now: Date) {
  return records.map((record) => ({
    caseId: record.caseId,
    reference: record.reference,
    incident: incidentOf(record),
    received: londonDate(record.receivedAt),
    reviewDue: clocksInBrief(clocksOf(record.timetable)).due,
    status: statusTag(record.status),
    onTime: onTimeOf(record, now),
  }));
}

type Row = { key: { text: string }; value: { text: string } | { html: string } };
const row = (key: string, value: string): Row => ({ key: { text: key }, value: { text: value } });
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/** The agencies' returns as counts: asked, returned, returned late; none named, nothing of what they said. */
function returnsInWords(agencies: readonly AgencyRequest[]): string {
  const asked = agencies.filter((agency) => agency.status !== 'removed');
  const returned = asked.filter((agency) => agency.status === 'received');
  const late = returned.filter((agency) => agency.late);
  const agenciesWord = (count: number) => `${count} ${count === 1 ? 'agency' : 'agencies'}`;
  return `${agenciesWord(asked.length)} asked; ${returned.length} returned${late.length ? `, ${late.length} of them late` : ''}`;
}

/** One review's facts for the scrutineer, from the case record, its agencies and its audit trail. */
export function scrutinyViewOf(
  record: CaseRecord,
  agencies: readonly AgencyRequest[],
  audit: readonly AuditEvent[],
  now: Date,
) {
  const clocks = clocksOf(record.timetable);
  const timeliness = timelinessInWords(clocks);
  const submittedAt = [...audit].reverse().find((event) => event.action === 'panel.submitted')?.at;
  const decision = record.decision;
  const rows: Row[] = [
    row('Incident', incidentOf(record)),
    row('Notifying local authority', record.notifyingLocalAuthority),
    row('Received', londonDate(record.receivedAt)),
    row('Review due', clocksInWords(clocks).governs),
    row('Notifications', `${timeliness.panelNotified}. ${timeliness.partnershipTold}.`),
    row('Agencies’ summaries', returnsInWords(agencies)),
    row('Decision recorded', decision ? londonDate(decision.decidedAt) : 'Not yet'),
    ...(decision
      ? [
          row('Local review commissioned', yesNo(decision.commissionLocalReview)),
          row('National review recommended', yesNo(decision.recommendNationalReview)),
        ]
      : []),
    row('Sent to the Panel', submittedAt ? londonDate(submittedAt) : 'Not yet'),
    ...(record.panelReply
      ? [
          row('Panel replied', formatDate(record.panelReply.repliedOn, { weekday: false })),
          row('Panel agrees with the decision', yesNo(record.panelReply.agreesWithDecision)),
          row('Panel asks for a local review', yesNo(record.panelReply.asksForLocalReview)),
        ]
      : []),
  ];
  const showDays = !(clocks.governedBy === 'panel' && clocks.workingDaysApart > 0);
  return {
    reference: record.reference,
    status: statusTag(record.status),
    onTime: onTimeOf(record, now),
    rows,
    // The timetable as planned: each step's date (not whether it was done: the audit says that).
    timetable: [...record.timetable.milestones]
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
      .map((milestone) => {
        const day = showDays ? planDayOf(record.timetable, milestone) : undefined;
        return row(`${day ? `Day ${day}: ` : ''}${milestone.name}`, formatDate(milestone.date));
      }),
  };
}

/** GET /scrutiny/{caseId}: one review, read only. */
const scrutinyCasePage: Page = {
  method: 'GET',
  path: '/scrutiny/{caseId}',
  access: staffOnly('scrutineer'),
  async handle(request) {
    const parsed = caseIdSchema.safeParse(request.params.caseId);
    if (!parsed.success) return notFound();
    let file: Awaited<ReturnType<typeof request.service.cases.getCaseFile>>;
    try {
      file = await request.service.cases.getCaseFile(parsed.data);
    } catch (error) {
      if (error instanceof CaseNotFoundError) return notFound();
      throw error;
    }
    const view = scrutinyViewOf(file.case, file.agencies, file.audit, request.service.clock.now());
    return render('scrutiny/case.njk', { pageTitle: `Rapid Review ${view.reference}`, view });
  },
};

/**
 * The scrutineer's pages the home pages' function serves: one review. The list of reviews is on
 * the six-monthly report at GET /scrutiny (issue 14, functions/insight-web), for any period.
 */
export const scrutinyPages: Page[] = [scrutinyCasePage];
