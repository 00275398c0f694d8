import type { AgencyRequest, CaseRecord, CaseStatus } from '../../../shared/schemas/case.ts';
import { caseStatus } from '../../../shared/schemas/case.ts';
import { planDayOf } from '../../../shared/schemas/timetable.ts';
import { clocksInBrief, clocksOf } from '../../../shared/workflow/clocks-wording.ts';
import { type Page, render } from '../page.ts';
import { lateTag, localReviewToCommissionTag, statusTag, statusTags } from './case-tags.ts';
import { londonDate } from './london.ts';
import { casesMenuPage } from './menu.ts';

/**
 * The partnership team's list of cases (GET /cases): every open case, or those with a status,
 * each with where it stands, its next deadline and any step that is overdue.
 */

/** Statuses before the decision: the agencies' returns still matter to what the group reads. */
const beforeDecision: readonly CaseStatus[] = [
  'notified',
  'awaiting-summaries',
  'collating',
  'awaiting-decision',
];

/** A milestone of the case's timetable, as the list reads it. */
interface Milestone {
  key: string;
  day: number;
  name: string;
  date: string;
  startsAt?: string;
  dueAt: string;
}

/** The statuses a case moves through, in order: a step is done once its case reaches the status after it. */
const statusOrder: readonly CaseStatus[] = [
  'notified',
  'awaiting-summaries',
  'collating',
  'awaiting-decision',
  'decided',
  'submitted-to-panel',
  'completed',
];

/** The status that says a step is behind the case (the reminder and the summaries are behind it once collated). */
const doneByStatus: Record<string, CaseStatus> = {
  requestAgencySummaries: 'awaiting-summaries',
  remindAgencies: 'collating',
  agencySummariesDue: 'collating',
  collateReport: 'collating',
  distributePapers: 'awaiting-decision',
  rapidReviewMeeting: 'decided',
  submitToPanel: 'submitted-to-panel',
};

/**
 * The next milestone due after `now` that the case has not done yet, or undefined when all are
 * past or done, or the case has gone to the Panel or ended. Without `status`, by the calendar alone.
 */
export function nextDeadline(
  milestones: readonly Milestone[],
  now: Date,
  status?: CaseStatus,
): Milestone | undefined {
  const rank = status === undefined ? -1 : statusOrder.indexOf(status);
  if (status !== undefined && (rank < 0 || rank >= statusOrder.indexOf('submitted-to-panel')))
    return undefined;
  return [...milestones]
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
    .find(
      (milestone) =>
        Date.parse(milestone.dueAt) > now.getTime() &&
        !(rank >= 0 && rank >= statusOrder.indexOf(doneByStatus[milestone.key] ?? 'completed')),
    );
}

/**
 * Tags for steps that are late at `now`: summaries still missing after the Day 10 deadline, a
 * review the workflow found late (its governing date passed without a submission: `late`, set
 * when the Panel is told), and a failed workflow.
 */
export function overdueTags(
  record: Pick<CaseRecord, 'status' | 'timetable' | 'late'>,
  agencies: readonly Pick<AgencyRequest, 'status'>[] | undefined,
  now: Date,
): { text: string; classes: string }[] {
  const tags: { text: string; classes: string }[] = [];
  const due = (key: string) => record.timetable.milestones.find((milestone) => milestone.key === key)?.dueAt;
  const past = (key: string) => {
    const at = due(key);
    return at !== undefined && Date.parse(at) < now.getTime();
  };
  if (record.status === 'failed') tags.push({ text: 'Failed', classes: 'govuk-tag--red' });
  if (
    beforeDecision.includes(record.status) &&
    past('agencySummariesDue') &&
    agencies?.some((agency) => agency.status !== 'received' && agency.status !== 'removed')
  ) {
    tags.push({ text: 'Summaries overdue', classes: 'govuk-tag--orange' });
  }
  if (record.late && record.status !== 'closed' && record.status !== 'withdrawn') tags.push(lateTag);
  return tags;
}

/** The filter's choices: every open status, then the closed one. */
function statusChoices(selected: string | undefined) {
  return [
    { value: '', text: 'All open cases', selected: !selected },
    ...caseStatus.options.map((status) => ({
      value: status,
      text: statusTags[status].text,
      selected: selected === status,
    })),
  ];
}

/** GET /cases: every open case, newest first, or those with the chosen status. */
const casesPage: Page = {
  ...casesMenuPage,
  async handle(request) {
    const asked = request.query.get('status') ?? '';
    const status = caseStatus.safeParse(asked).success ? (asked as CaseStatus) : undefined;
    const invalidFilter = asked !== '' && status === undefined;
    const now = request.service.clock.now();
    const records = await request.service.cases.listCases(status ? { status } : {});
    // A completed case whose local review is still to be commissioned stays open work.
    const open = status
      ? records
      : records.filter((record) => record.status !== 'completed' || record.localReviewToCommission);
    // One read of the case file per case still gathering or reading the agencies' returns: the
    // list of cases carries no agency counts of its own yet.
    const rows = await Promise.all(
      open.map(async (record) => {
        const agencies = beforeDecision.includes(record.status)
          ? (await request.service.cases.getCaseWithAgencies(record.caseId)).agencies
          : undefined;
        const next = nextDeadline(record.timetable.milestones, now, record.status);
        return {
          caseId: record.caseId,
          reference: record.reference,
          localAuthority: record.notifyingLocalAuthority,
          received: londonDate(record.receivedAt),
          status: statusTag(record.status),
          localReviewTag: record.localReviewToCommission ? localReviewToCommissionTag : undefined,
          next: next
            ? { day: planDayOf(record.timetable, next), name: next.name, date: londonDate(next.dueAt) }
            : undefined,
          // The date the review works to, whose it is, and the other clock beside it.
          reviewDue: clocksInBrief(clocksOf(record.timetable)),
          summaries: agencies
            ? `${agencies.filter((agency) => agency.status === 'received').length} of ${agencies.filter((agency) => agency.status !== 'removed').length} summaries received`
            : undefined,
          overdue: overdueTags(record, agencies, now),
        };
      }),
    );
    return render(
      'cases/list.njk',
      {
        pageTitle: status ? `Cases: ${statusTags[status].text}` : 'Open cases',
        rows,
        choices: statusChoices(status),
        selectedStatus: status,
        invalidFilter,
        today: londonDate(now),
      },
      invalidFilter ? 400 : 200,
    );
  },
};

export const caseListPages: Page[] = [casesPage];
