import { CalendarDate } from '../../../shared/calendar/dates.ts';
import { workingDaysBetween } from '../../../shared/calendar/working-days.ts';
import { safeguardingPartner, safeguardingPartnerNames } from '../../../shared/config/partnership-profile.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import type { EscalationRungKind } from '../../../shared/rapid-review-rules.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import { declaresNoConflicts } from '../../../shared/schemas/case.ts';
import {
  addressInOneLine,
  ageOn,
  disabilityInWords,
  ethnicityInWords,
  formatNhsNumber,
  lookedAfterInWords,
  planStatusWords,
} from '../../../shared/schemas/notification.ts';
import { type Actor, caseReaders, type StaffRole } from '../../../shared/schemas/roles.ts';
import { reportStatusInWords } from '../../../shared/use-cases/rapid-review-report.ts';
import { type AgencyReturnView, showAgencyReturns } from '../../../shared/use-cases/show-agency-returns.ts';
import { type CaseView, showCase } from '../../../shared/use-cases/show-case.ts';
import {
  type CaseNotificationView,
  showCaseNotification,
} from '../../../shared/use-cases/show-case-notification.ts';
import { agenciesRefusal, withdrawalRefusal } from '../../../shared/use-cases/steer-agencies.ts';
import { closureRefusal, lateReasonRefusal } from '../../../shared/use-cases/steer-case.ts';
import { clocksInWords, timelinessInWords } from '../../../shared/workflow/clocks-wording.ts';
import { dayOneInWords } from '../../../shared/workflow/day-one-wording.ts';
import { meetingWhen } from '../../../shared/workflow/emails.ts';
import { formatDate } from '../../../shared/workflow/london-time.ts';
import { awaitedInWords } from '../../../shared/workflow/readiness.ts';
import { enteredByBlocks, structuredBlocks, versionFields } from '../../../shared/workflow/return-blocks.ts';
import { notFound, type Page, render, staffOnly } from '../page.ts';
import { lateTag, localReviewToCommissionTag, statusTag } from './case-tags.ts';
import { notificationChangesInWords } from './edit-notification.ts';
import { londonDate, londonDateTime, londonIsoDate } from './london.ts';

/**
 * One case's page (GET /cases/{caseId}) for the team and the Rapid Review Group. The case page
 * asks the same use case as GET /api/cases/{caseId} (`showCase`, shared/use-cases/show-case.ts).
 * The partnership team's list of cases (GET /cases) is in case-list.ts.
 */

export { lateTag, localReviewToCommissionTag, statusTags } from './case-tags.ts';
export { londonDate, londonDateTime, londonIsoDate } from './london.ts';

interface Milestone {
  key: string;
  day: number;
  name: string;
  date: string;
  startsAt?: string;
  dueAt: string;
}

const roleNames: Record<StaffRole, string> = {
  notifier: 'Notifier',
  'partnership-team': 'Partnership team',
  'rrg-member': 'Rapid Review Group member',
  'rrg-chair': 'Rapid Review Group chair',
  'safeguarding-partner': 'Safeguarding partner',
  'executive-board': 'Executive Board chair',
  scrutineer: 'Scrutineer',
  operator: 'Operator',
  referrer: 'Referrer',
  'prg-member': 'Practice Review Group member',
  reviewer: 'Reviewer',
};

/** "AwaitDecision" → "Await decision"; "decision.recorded" → "Decision recorded". */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Who did something, for an event that kept no name (one from before names were kept): their role in words. */
const roleInWords: Record<StaffRole, string> = {
  notifier: 'The person who sent the notification',
  'partnership-team': 'A member of the partnership team',
  'rrg-member': 'A Rapid Review Group member',
  'rrg-chair': 'The Rapid Review Group chair',
  'safeguarding-partner': 'A safeguarding partner',
  'executive-board': 'The Executive Board chair',
  scrutineer: 'The scrutineer',
  operator: 'The operator',
  referrer: 'The person who made the referral',
  'prg-member': 'A Practice Review Group member',
  reviewer: 'The reviewer',
};

/** What happened, for the actions whose own names would not read well. */
const actionInWords: Record<string, string> = {
  'case.opened': 'Case opened',
  'report.collated': 'Summaries collated',
  'panel.submitted': 'Sent to the Panel',
  'panel-reply.recorded': 'The Panel’s reply recorded',
  'workflow.failed': 'The review stopped',
  'case.resumed': 'The review was resumed',
  'review.late': 'The review is late',
  'review.late-reason': 'Why the review is late recorded',
  'case.closed-notification-only': 'Closed as notification only',
};

/** The audit trail's "What": the action in words. */
export function actionName(action: string): string {
  return actionInWords[action] ?? humanise(action);
}

/** The audit trail's "Who": the person by name (their role beside it), or their role in words; never an id. */
export function actorName(actor: Actor, agencies: CaseView['agencies']): string {
  switch (actor.kind) {
    case 'staff':
      return actor.name ? `${actor.name} (${roleNames[actor.role]})` : roleInWords[actor.role];
    case 'agency':
      return agencies.find((agency) => agency.agencyId === actor.agencyId)?.name ?? 'An agency';
    case 'system':
      return 'The service';
  }
}

// ── The escalation ladder (issue 10 part 4): where each agency is on it and what happens next.
const RUNG_CLIMBED: Record<EscalationRungKind, string> = {
  reminder: 'Reminded at',
  'lead-copied': 'Strategic lead copied at',
  'formal-request': 'Formal request sent at',
};
const RUNG_NEXT: Record<EscalationRungKind, string> = {
  reminder: 'the contact is reminded at',
  'lead-copied': 'the strategic lead is copied at',
  'formal-request': 'the formal request for information is sent at',
};

/** "Reminded at 9am on … Next: the strategic lead is copied at 5pm on …", or "Returned." */
export function ladderInWords(
  agency: Pick<CaseView['agencies'][number], 'status' | 'ladder' | 'nextRung'>,
): string {
  const climbed = (agency.ladder ?? []).map(
    (rung) => ` ${RUNG_CLIMBED[rung.kind]} ${londonDateTime(rung.at)}.`,
  );
  const next = agency.nextRung
    ? ` Next: ${RUNG_NEXT[agency.nextRung.kind]} ${londonDateTime(agency.nextRung.at)}.`
    : '';
  const returned = agency.status === 'received' ? ' Returned.' : '';
  return `${climbed.join('')}${next}${returned}`;
}
// ── end of the escalation ladder

function agencyTask(agency: CaseView['agencies'][number]) {
  const status = (() => {
    switch (agency.status) {
      case 'pending':
        return { text: 'Not yet requested', classes: 'govuk-tag--grey' };
      case 'requested':
        return { text: 'Requested', classes: 'govuk-tag--blue' };
      case 'reminded':
        return { text: 'Reminded', classes: 'govuk-tag--light-blue' };
      case 'escalated':
        return { text: 'Escalated', classes: 'govuk-tag--red' };
      case 'received':
        return agency.late
          ? { text: 'Received late', classes: 'govuk-tag--orange' }
          : { text: 'Received', classes: 'govuk-tag--green' };
      case 'removed':
        return { text: 'Removed', classes: 'govuk-tag--grey' };
    }
  })();
  const events = [
    agency.requestedAt && `requested ${londonDate(agency.requestedAt)}`,
    // The ladder's own words say when it was reminded and escalated, when the view carries it.
    !agency.ladder && agency.remindedAt && `reminded ${londonDate(agency.remindedAt)}`,
    !agency.ladder && agency.escalatedAt && `escalated ${londonDate(agency.escalatedAt)}`,
    agency.receivedAt && `received ${londonDate(agency.receivedAt)}`,
  ].filter(Boolean);
  const history = events.length ? `${String(events.join(', ')).replace(/^./, (c) => c.toUpperCase())}.` : '';
  const spoc = agency.spoc ? ` Contact: ${agency.spoc.name}, ${agency.spoc.email}.` : '';
  const ladder = ladderInWords(agency);
  const byTeam = agency.uploadedByTeam ? ' Its file was uploaded by the partnership team for it.' : '';
  const removed = agency.removal
    ? ` Removed from the review ${londonDate(agency.removal.removedAt)}: ${agency.removal.reason}`
    : '';
  const refused = agency.lastRefusal
    ? ` The last file they sent (${londonDate(agency.lastRefusal.at)}) was refused: ${agency.lastRefusal.reason}.`
    : '';
  return {
    title: { text: agency.name },
    ...(history || ladder || spoc || refused || removed || byTeam
      ? { hint: { text: `${history}${byTeam}${ladder}${refused}${removed}${spoc}`.trim() } }
      : {}),
    status: { tag: status },
  };
}

/** What the timeline reads of a case to say which steps were done, and when. */
export type CaseProgress = Pick<CaseView, 'status' | 'timetable' | 'decision'> & {
  audit: readonly Pick<CaseView['audit'][number], 'at' | 'action'>[];
  agencies: readonly Pick<CaseView['agencies'][number], 'status' | 'requestedAt' | 'receivedAt'>[];
};

/** A step's state on the timeline, from what happened (never from the calendar alone). */
export type StepState = 'done' | 'missed' | 'next' | 'overdue' | 'upcoming' | 'not-needed' | 'stopped';

const stepTags: Record<StepState, { text: string; classes: string } | undefined> = {
  done: { text: 'Done', classes: 'govuk-tag--green' },
  missed: { text: 'Missed', classes: 'govuk-tag--red' },
  next: { text: 'Next', classes: 'govuk-tag--blue' },
  overdue: { text: 'Overdue', classes: 'govuk-tag--orange' },
  upcoming: undefined,
  'not-needed': { text: 'Not needed', classes: 'govuk-tag--grey' },
  stopped: { text: 'Stopped', classes: 'govuk-tag--grey' },
};

/**
 * When a step was done, from the audit trail and the case: the requests sent, a reminder sent,
 * every summary received (the last one's time), the summaries collated, the papers sent, the
 * decision recorded, the outcome sent to the Panel. Undefined when it has not been done.
 */
function whenDone(progress: CaseProgress, key: string): string | undefined {
  const first = (action: string) => progress.audit.find((event) => event.action === action)?.at;
  const counted = progress.agencies.filter((agency) => agency.status !== 'removed');
  switch (key) {
    case 'requestAgencySummaries':
      return first('summaries.requested') ?? counted.map((agency) => agency.requestedAt).find(Boolean);
    case 'remindAgencies':
      return first('agency.reminded');
    case 'agencySummariesDue': {
      const times = counted.map((agency) => agency.receivedAt);
      return counted.length > 0 && times.every(Boolean) ? (times as string[]).sort().at(-1) : undefined;
    }
    case 'collateReport':
      return first('report.collated');
    case 'distributePapers':
      return first('papers.distributed');
    case 'rapidReviewMeeting':
      return progress.decision?.decidedAt ?? first('decision.recorded');
    case 'submitToPanel':
      return first('panel.submitted');
    default:
      return undefined;
  }
}

/** A step the case never needed: a reminder when every agency had returned before it, the summaries when no agency is left. */
function notNeeded(progress: CaseProgress, milestone: Milestone): boolean {
  const counted = progress.agencies.filter((agency) => agency.status !== 'removed');
  if (milestone.key === 'agencySummariesDue') return counted.length === 0;
  if (milestone.key !== 'remindAgencies') return false;
  const startsAt = Date.parse(milestone.startsAt ?? milestone.dueAt);
  return counted.every((agency) => agency.receivedAt && Date.parse(agency.receivedAt) < startsAt);
}

/**
 * The timetable as the timeline shows it, each step's state from what happened: "Done" (and
 * when) only once it was done; "Missed" when its time passed without it and the review moved on
 * or stopped; "Next" on the first step still to do (with "Overdue" on later ones whose time has
 * passed); "Not needed" for a reminder no agency needed, and for what a closed or withdrawn
 * review no longer does; "Stopped" for what a review that went wrong did not reach. "Today" is
 * marked between the steps.
 */
export function timelineOf(progress: CaseProgress, now: Date, showDays = true) {
  const today = londonIsoDate(now);
  const sorted = [...progress.timetable].sort(
    (a, b) => a.day - b.day || Date.parse(a.dueAt) - Date.parse(b.dueAt),
  );
  const done = sorted.map((milestone) => whenDone(progress, milestone.key));
  const ended = progress.status === 'closed' || progress.status === 'withdrawn';
  const failed = progress.status === 'failed';
  let nextGiven = false;
  const entries: {
    kind: 'milestone' | 'today';
    day?: number;
    name?: string;
    date: string;
    state: StepState | 'today';
    tag?: { text: string; classes: string };
    doneAt?: string;
    dueAt?: string;
  }[] = [];
  sorted.forEach((milestone, index) => {
    const at = done[index];
    const past = Date.parse(milestone.dueAt) <= now.getTime();
    const laterDone = done.slice(index + 1).some(Boolean);
    let state: StepState;
    if (at) state = 'done';
    else if (notNeeded(progress, milestone) || ended) state = 'not-needed';
    else if (laterDone) state = 'missed';
    else if (failed) state = past ? 'missed' : 'stopped';
    else if (!nextGiven) {
      state = 'next';
      nextGiven = true;
    } else state = past ? 'overdue' : 'upcoming';
    if (!entries.some((entry) => entry.kind === 'today') && milestone.date > today) {
      entries.push({ kind: 'today', date: londonDate(now), state: 'today' });
    }
    const tag = stepTags[state];
    entries.push({
      kind: 'milestone',
      // The partnership's Day numbers, unless the Panel's date pulled the milestones back.
      ...(showDays ? { day: milestone.day } : {}),
      name: milestone.name,
      date: formatDate(milestone.date),
      state,
      ...(tag ? { tag } : {}),
      ...(at ? { doneAt: londonDateTime(at) } : {}),
      // The next step, once its time has passed, says when it was due.
      ...(state === 'next' && past ? { dueAt: londonDateTime(milestone.dueAt) } : {}),
    });
  });
  if (!entries.some((entry) => entry.kind === 'today')) {
    entries.push({ kind: 'today', date: londonDate(now), state: 'today' });
  }
  return entries;
}

/** How many working days from `from` to `to` (dates YYYY-MM-DD); undefined outside the bank holiday calendar. */
function workingDaysFrom(from: string, to: string): number | undefined {
  try {
    return workingDaysBetween(CalendarDate.from(from), CalendarDate.from(to));
  } catch {
    return undefined;
  }
}

const workingDaysInWords = (count: number) => `${count} working day${count === 1 ? '' : 's'}`;

/**
 * Where the review stands against the date it works to (the earlier of the Panel's date and the
 * partnership's own Day 15, which is Day 15 here): "Day 6 of 15 (working days), due by 5pm on …";
 * once that has passed, "2 working days late: it was due by …"; once sent, "Sent to the Panel on
 * day 14 of 15" (or how late). Nothing for a review that was closed, withdrawn or went wrong.
 */
export function dayCounter(
  view: Pick<CaseView, 'status' | 'clocks' | 'timetable' | 'audit'>,
  now: Date,
): string | undefined {
  if (view.status === 'failed' || view.status === 'closed' || view.status === 'withdrawn') return undefined;
  const due = view.clocks.governingDueDate;
  const submission = view.timetable.find((milestone) => milestone.key === 'submitToPanel');
  const total = submission?.day ?? 15;
  const dueAt = submission?.date === due ? submission.dueAt : undefined;
  const dueBy = dueAt ? londonDateTime(dueAt) : formatDate(due);
  const sentAt = view.audit.find((event) => event.action === 'panel.submitted')?.at;
  if (sentAt || view.status === 'submitted-to-panel' || view.status === 'completed') {
    const before = sentAt === undefined ? undefined : workingDaysFrom(londonIsoDate(new Date(sentAt)), due);
    if (before === undefined) return undefined;
    return before >= 0
      ? `Sent to the Panel on day ${total - before} of ${total}`
      : `Sent to the Panel ${workingDaysInWords(-before)} late`;
  }
  const today = londonIsoDate(now);
  const left = workingDaysFrom(today, due);
  if (left === undefined) return undefined;
  // Due "by 5pm": at 5pm it is late, as the workflow (which marks it late then) and the timeline say.
  if (dueAt ? now.getTime() >= Date.parse(dueAt) : today > due) {
    return left < 0
      ? `${workingDaysInWords(-left)} late: it was due by ${dueBy}`
      : `Late: it was due by ${dueBy}`;
  }
  return `Day ${Math.max(1, total - left)} of ${total} (working days), due by ${dueBy}`;
}

/** The partners' sign-offs in words: one row per partner, whether the decision is complete, and what the viewer may do. */
export function signOffsInWords(view: CaseView, roles: readonly StaffRole[]) {
  const decision = view.partnersDecision;
  const rows = safeguardingPartner.options.map((partner) => {
    const given = view.signOffs.find((signOff) => signOff.partner === partner);
    const answer = given
      ? `${given.agrees ? 'Agrees' : 'Does not agree'}: ${given.signedByName}, ${londonDateTime(given.signedAt)}`
      : 'Not signed off yet';
    return { key: { text: safeguardingPartnerNames[partner] }, value: { text: answer } };
  });
  const resolution = decision.resolution;
  if (resolution) {
    rows.push({
      key: { text: 'Executive Board' },
      value: {
        text: `${resolution.outcome === 'decision-stands' ? 'The chair’s decision stands' : 'The Executive Board varies the decision'}: ${resolution.resolvedByName}, ${londonDateTime(resolution.resolvedAt)}. ${resolution.reasons}`,
      },
    });
  }
  const summary = decision.complete
    ? decision.completedBy === 'executive-board'
      ? 'The partners’ decision is complete: the Executive Board chair resolved a disagreement.'
      : 'The partners’ decision is complete: all three safeguarding partners agree.'
    : decision.awaitingResolution
      ? 'A safeguarding partner does not agree. The Executive Board chair has been asked to resolve it.'
      : 'The decision is complete when all three safeguarding partners agree.';
  return {
    summary,
    rows,
    canSignOff: roles.includes('safeguarding-partner') && decision.awaiting.length > 0,
    canResolve: roles.includes('executive-board') && decision.awaitingResolution,
  };
}

type SummaryRow = { key: { text: string }; value: { text: string } };

const summaryRow = (key: string, value: string): SummaryRow => ({
  key: { text: key },
  value: { text: value },
});

/**
 * One child as the case page lists them: who, born when and their age at the incident, whether
 * looked after or a care leaver, and their child protection plan and child in need status; their
 * name, address, NHS number, ethnicity and disability only for those who may read who the child
 * is (`identifying`).
 */
function childCard(
  child: CaseNotificationView['children'][number],
  title: string,
  occurredOn: string,
  identifying: boolean,
) {
  const who =
    child.identity === 'unborn'
      ? 'Unborn'
      : child.identity === 'not-yet-identified'
        ? 'Not yet identified'
        : identifying
          ? (child.name ?? 'Not given')
          : 'Not shown to your role';
  const years =
    child.dateOfBirth && child.dateOfBirth <= occurredOn
      ? ageOn(child.dateOfBirth, occurredOn)
      : child.ageYears;
  return {
    title,
    rows: [
      summaryRow('Name', who),
      ...(identifying
        ? [
            summaryRow(
              'Date of birth',
              child.dateOfBirth
                ? formatDate(child.dateOfBirth, { weekday: false })
                : `Not known${child.ageYears === undefined ? '' : ` (aged ${child.ageYears})`}`,
            ),
          ]
        : []),
      ...(years === undefined ? [] : [summaryRow('Age at the time of the incident', String(years))]),
      // Ethnicity and disability are special category data: for those who may read who the child is.
      ...(identifying ? [summaryRow('Ethnicity', ethnicityInWords(child.ethnicity))] : []),
      ...(identifying && child.disability
        ? [summaryRow('Disability', disabilityInWords(child.disability))]
        : []),
      ...(child.lookedAfterStatus || child.lookedAfter
        ? [summaryRow('Looked after', lookedAfterInWords(child))]
        : []),
      ...(child.careLeaver ? [summaryRow('Care leaver', 'Yes')] : []),
      ...(child.childProtectionPlan
        ? [
            summaryRow(
              'Child protection plan',
              planStatusWords.childProtectionPlan[child.childProtectionPlan],
            ),
          ]
        : []),
      ...(child.childInNeed
        ? [summaryRow('Child in need', planStatusWords.childInNeed[child.childInNeed])]
        : []),
      ...(identifying && child.address ? [summaryRow('Address', addressInOneLine(child.address))] : []),
      ...(identifying && child.nhsNumber ? [summaryRow('NHS number', formatNhsNumber(child.nhsNumber))] : []),
    ],
  };
}

/** The other processes' answers by their field names, in words; an answer asked later reads from its name. */
const processNames: Record<string, string> = {
  policeInvestigation: 'Police investigation',
  childDeathReview: 'Child death review',
  safeguardingAdultReview: 'Safeguarding adult review',
  domesticHomicideReview: 'Domestic homicide review',
  inquest: 'Coroner’s inquest',
};

/** The other processes running alongside the review, in one line: "Police investigation, Child death review", or "None". */
export function processesInWords(processes: CaseNotificationView['parallelProcesses']): string {
  if (!processes) return 'Not recorded';
  const running = Object.entries(processes.answers)
    .filter(([key, answer]) => answer && key !== 'none')
    .map(([key]) => processNames[key] ?? humanise(key));
  if (processes.other) running.push(`Other: ${processes.other}`);
  return running.length > 0 ? running.join('; ') : 'None';
}

/** Who sent the notification, as a card: their name, role and local authority, and how to reach them. */
function notifierCard(notification: CaseNotificationView) {
  const notifier = notification.notifier;
  if (!notifier) return undefined;
  return {
    title: 'Who sent the notification',
    rows: [
      summaryRow('Name', notifier.name),
      summaryRow('Role', notifier.role),
      ...(notification.notifyingLocalAuthority
        ? [summaryRow('Local authority', notification.notifyingLocalAuthority)]
        : []),
      ...(notifier.email ? [summaryRow('Email', notifier.email)] : []),
      ...(notifier.phone ? [summaryRow('Phone', notifier.phone)] : []),
    ],
  };
}

/**
 * Whether the viewer may read who the child is (the child's name, address and NHS number, the
 * household, what happened in the notification's and the agencies' own words): the roles that
 * may open the case (`caseReaders`), never the scrutineer.
 */
export function maySeeTheChild(roles: readonly StaffRole[]): boolean {
  return roles.some((role) => caseReaders.includes(role));
}

/**
 * The notification in words for the case page (the page alone: the case's JSON names no child):
 * the incident, each child, who sent it, the other processes running alongside, the dates the
 * Secretary of State and Ofsted were told of a looked-after child's or care leaver's death, and a
 * cross-border case's other local authority. Who the child is only for those who may read it.
 */
export function notificationInWords(notification: CaseNotificationView | undefined, identifying = true) {
  if (!notification) return { readable: false as const };
  const { incident, children } = notification;
  const rows: SummaryRow[] = [
    summaryRow(
      'What happened',
      `${incident.kind === 'death' ? 'A child died' : 'A child was seriously harmed'} on ${formatDate(incident.occurredOn)}`,
    ),
    ...(incident.location?.trim() ? [summaryRow('Where it happened', incident.location)] : []),
    ...(identifying && incident.summary ? [summaryRow('What the notification says', incident.summary)] : []),
    summaryRow('Other processes running alongside', processesInWords(notification.parallelProcesses)),
  ];
  if (notification.lookedAfterOrCareLeaverDeath) {
    const told = notification.deathNotifications;
    rows.push(
      summaryRow(
        'Secretary of State notified',
        told ? formatDate(told.secretaryOfStateNotifiedOn) : 'Not recorded',
      ),
      summaryRow('Ofsted notified', told ? formatDate(told.ofstedNotifiedOn) : 'Not recorded'),
    );
  }
  const border = notification.crossBorder;
  if (border) {
    rows.push(
      summaryRow('Other local authority', border.otherLocalAuthority),
      summaryRow(
        'Its part in the case',
        border.connection === 'child-lives-there' ? 'The child lives there' : 'The incident happened there',
      ),
      summaryRow(
        'Which partnership leads',
        border.leadPartnership === 'this'
          ? 'This partnership leads the review'
          : `The partnership for ${border.otherLocalAuthority} leads the review`,
      ),
    );
  } else {
    rows.push(summaryRow('Crosses a local authority border', 'No'));
  }
  for (const member of identifying ? (notification.householdMembers ?? []) : []) {
    rows.push(summaryRow('Household member', `${member.name} (${member.relationship})`));
  }
  return {
    readable: true as const,
    rows,
    children: children.map((child, index) =>
      childCard(
        child,
        children.length === 1 ? 'The child' : `Child ${index + 1}`,
        incident.occurredOn,
        identifying,
      ),
    ),
    notifier: notifierCard(notification),
  };
}

// ── The late path, the closure and going to the Panel (issue 9 parts 3, 5 and 6) ─────────────

/** Statuses in which the review has gone to the Panel. */
const gone: readonly CaseStatus[] = ['submitted-to-panel', 'completed'];

/**
 * The case page's truth about the submission: what it still waits for, or when it went; a late
 * review's due date, when the Panel was told and the team's reason; a closure as notification
 * only; and what the partnership team may do about them.
 */
export function lateClosureAndSubmissionInWords(view: CaseView, roles: readonly StaffRole[]) {
  const team = roles.includes('partnership-team');
  const submittedAt = [...view.audit].reverse().find((event) => event.action === 'panel.submitted')?.at;
  const goingToThePanel = gone.includes(view.status)
    ? submittedAt
      ? `The review went to the Panel at ${londonDateTime(submittedAt)}.`
      : 'The review has gone to the Panel.'
    : view.status === 'closed' || view.status === 'failed' || view.status === 'withdrawn'
      ? undefined
      : view.submission.ready
        ? 'The review has everything it needs and is being sent to the Panel.'
        : `The review goes to the Panel as soon as it has: ${view.submission.waitingFor.map((awaited) => awaitedInWords[awaited]).join('; ')}.`;
  const late = view.late;
  const closure = view.closure;
  return {
    goingToThePanel,
    lateTag: late && view.status !== 'closed' && view.status !== 'withdrawn' ? lateTag : undefined,
    late: late
      ? {
          warning: `This review was due by ${formatDate(late.dueDate)}.${late.panelToldAt ? ` The Panel was told it is late at ${londonDateTime(late.panelToldAt)}.` : ''}`,
          rows: late.reason
            ? [
                summaryRow('Why it is late', late.reason),
                ...(late.expectedOn
                  ? [summaryRow('The partnership now expects to submit by', formatDate(late.expectedOn))]
                  : []),
                ...(late.reasonRecordedAt
                  ? [
                      summaryRow(
                        'Recorded',
                        `${londonDateTime(late.reasonRecordedAt)}${late.reasonRecordedByName ? ` by ${late.reasonRecordedByName}` : ''}`,
                      ),
                    ]
                  : []),
              ]
            : undefined,
          link:
            team && !lateReasonRefusal(view)
              ? late.reason
                ? 'Change why the review is late'
                : 'Record why the review is late'
              : undefined,
        }
      : undefined,
    closure: closure
      ? {
          rows: [
            summaryRow('Why abuse or neglect is not suspected', closure.reason),
            summaryRow('Closed by', closure.closedByName ?? 'The partnership team'),
            summaryRow('Closed', londonDateTime(closure.closedAt)),
          ],
        }
      : undefined,
    canCloseAsNotificationOnly: team && !closureRefusal(view),
  };
}
// ── end of the late path, the closure and going to the Panel ────────────────────────────────
/** The meeting as the case page shows it: when and where, who attended with their declarations, the minutes. */
export function meetingInWords(view: CaseView) {
  const meeting = view.meeting;
  if (!meeting) return undefined;
  return {
    when: meetingWhen(meeting),
    place: meeting.place,
    callLink: meeting.callLink,
    changed: meeting.version > 1,
    attendees: meeting.attendees.map((attendee) => ({
      ...attendee,
      conflicts: declaresNoConflicts(attendee.conflicts) ? 'None declared' : attendee.conflicts,
    })),
    attendanceRecordedAt: meeting.attendanceRecordedAt
      ? londonDateTime(meeting.attendanceRecordedAt)
      : undefined,
    minutes: meeting.minutes.present
      ? {
          fileName: meeting.minutes.fileName,
          uploadedAt: londonDateTime(meeting.minutes.uploadedAt),
          link: view.documents.find((document) => document.name === 'Rapid Review Group meeting minutes')
            ?.downloadUrl,
        }
      : undefined,
  };
}

/**
 * The partnership team's controls on the case page (issue 10 part 3): while the summaries are
 * gathered, each agency with its links (enter its return on its behalf, replace the contact, resend
 * the link, remove it); after collation until the submission, "Take in a late return"; the
 * "Withdraw this review" link until the submission; and the withdrawal once made.
 */
export function teamControlsInWords(view: CaseView, now: Date, roles: readonly StaffRole[]) {
  const team = roles.includes('partnership-team');
  const steerable = team && !agenciesRefusal({ ...view, timetable: { milestones: view.timetable } }, now);
  // After collation, until the submission, the team takes in a late return as an addendum to the papers.
  const takingLate =
    team && (['collating', 'awaiting-decision', 'decided'] as const).some((s) => s === view.status);
  const withdrawal = view.withdrawal;
  return {
    canAddAgency: steerable,
    agencies:
      steerable || takingLate
        ? view.agencies.map((agency) => {
            const base = `/cases/${view.caseId}/agencies/${agency.agencyId}`;
            const present = agency.status !== 'removed';
            const actions = (
              steerable
                ? [
                    present && { text: 'Enter its return', href: `${base}/return` },
                    present && { text: 'Replace contact', href: `${base}/contact` },
                    present && agency.status !== 'pending' && { text: 'Resend link', href: `${base}/resend` },
                    present && agency.status !== 'received' && { text: 'Remove', href: `${base}/remove` },
                  ]
                : [present && { text: 'Take in a late return', href: `${base}/late-return` }]
            ).filter((action): action is { text: string; href: string } => Boolean(action));
            return { name: agency.name, task: agencyTask(agency), actions };
          })
        : undefined,
    canWithdraw: team && !withdrawalRefusal(view),
    withdrawal: withdrawal
      ? {
          rows: [
            summaryRow('Why the review was withdrawn', withdrawal.reason),
            summaryRow('Withdrawn by', withdrawal.withdrawnByName ?? 'The partnership team'),
            summaryRow('Withdrawn', londonDateTime(withdrawal.withdrawnAt)),
          ],
        }
      : undefined,
  };
}

/**
 * What each agency returned, readable in the page (issue 11 part 1): its status, its latest
 * structured return in the papers' own words (who entered it, the period, roles, summary, key
 * practice episodes, immediate actions, early learning, protected characteristics; or no
 * involvement), and its file, linked as the documents are.
 */
export function agencyReturnsInWords(view: CaseView, returns: readonly AgencyReturnView[]) {
  return view.agencies
    .filter((agency) => agency.status !== 'removed')
    .map((agency) => {
      const held = returns.find((entry) => entry.agencyId === agency.agencyId);
      const latest = held?.latest;
      const file = held?.documentKey
        ? view.documents.find((document) => document.key === held.documentKey)
        : undefined;
      return {
        agencyId: agency.agencyId,
        name: agency.name,
        status: agencyTask(agency).status.tag,
        submitted: latest ? versionFields(latest, 'Europe/London')[0]?.[1] : undefined,
        blocks: latest
          ? [...enteredByBlocks(latest), ...structuredBlocks(latest)].flatMap((block) =>
              block.kind === 'heading' || block.kind === 'paragraph'
                ? [{ heading: block.kind === 'heading', text: block.text }]
                : [],
            )
          : [],
        file: file ? { name: file.name, href: file.downloadUrl } : undefined,
      };
    });
}

/** When the case was received, and why its Day 1 falls when it does ("6:12pm on …: after 5pm, so Day 1 is …"). */
function receivedInWords(view: Pick<CaseView, 'receivedAt' | 'timetable'>): string {
  const dayOne = dayOneInWords(view.receivedAt, view.timetable);
  return dayOne ? `${londonDateTime(view.receivedAt)}: ${dayOne.why}` : londonDateTime(view.receivedAt);
}

/** What the case page shows, from the logic's answer. */
export function casePageContext(
  view: CaseView,
  now: Date,
  roles: readonly StaffRole[],
  notification?: CaseNotificationView,
  returns?: readonly AgencyReturnView[],
) {
  const submitted = [...view.audit].reverse().find((event) => event.action === 'panel.submitted');
  const expiresAt = view.documents[0]?.expiresAt;
  const identifying = maySeeTheChild(roles);
  return {
    view,
    status: statusTag(view.status),
    // With why Day 1 falls when it does: the cut-off at the end of the working day.
    received: receivedInWords(view),
    incidentKind: view.incidentKind === 'death' ? 'Death of a child' : 'Serious harm to a child',
    notification: notificationInWords(notification, identifying),
    // The notification as a PDF to print (issue 11 part 1), made when asked for: never its raw document.
    notificationPdf: identifying ? `/cases/${view.caseId}/notification.pdf` : undefined,
    notificationChanges: notificationChangesInWords(view, roles),
    // Where the review stands against the date it works to: "Day 6 of 15 (working days), due by …".
    dayCounter: dayCounter(view, now),
    timeline: timelineOf(
      view,
      now,
      !(view.clocks.governedBy === 'panel' && view.clocks.workingDaysApart > 0),
    ),
    // Each agency's return, readable in the page, for those who may read who the child is.
    agencyReturns: identifying && returns ? agencyReturnsInWords(view, returns) : undefined,
    // Both clocks side by side, which one the review works to, and whether the notifications came on time.
    clocks: clocksInWords(view.clocks),
    timeliness: timelinessInWords(view.clocks),
    agencyTasks: view.agencies.map(agencyTask),
    documents: view.documents,
    returnsNotScanned: view.returnsNotScanned,
    documentsExpire: expiresAt ? londonDateTime(expiresAt) : undefined,
    decision: view.decision
      ? {
          ...view.decision,
          decidedAt: londonDateTime(view.decision.decidedAt),
        }
      : undefined,
    // What went wrong is for the service's support team (the operations page), not the reader.
    failure: view.failure
      ? `Something went wrong with this review’s timetable at ${londonDateTime(view.failure.at)}. The service’s support team has been told.`
      : undefined,
    panelSubmission:
      submitted || view.status === 'submitted-to-panel' || view.status === 'completed'
        ? { on: submitted ? londonDate(submitted.at) : undefined }
        : undefined,
    // Oldest first; events at the same instant keep the store's order.
    audit: [...view.audit]
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .map((event) => ({
        when: londonDateTime(event.at),
        who: actorName(event.actor, view.agencies),
        what: actionName(event.action),
        // A failure's own reason names the workflow's states: the reader gets a plain sentence.
        why:
          event.action === 'workflow.failed'
            ? 'Something went wrong with this review’s timetable. The service’s support team has been told.'
            : event.reason,
      })),
    canDecide: roles.includes('rrg-chair') && view.status === 'awaiting-decision' && !view.decision,
    signOffs: signOffsInWords(view, roles),
    // The Panel's reply (issue 9 part 6): recorded by the team once the review has gone to the Panel.
    canRecordPanelReply:
      roles.includes('partnership-team') &&
      (view.status === 'submitted-to-panel' || view.status === 'completed') &&
      !view.panelReply,
    panelReply: view.panelReply
      ? {
          ...view.panelReply,
          repliedOn: formatDate(view.panelReply.repliedOn, { weekday: false }),
          recordedAt: londonDateTime(view.panelReply.recordedAt),
        }
      : undefined,
    localReviewTag: view.localReviewToCommission ? localReviewToCommissionTag : undefined,
    // The late path, the closure and going to the Panel (issue 9 parts 3, 5 and 6).
    steering: lateClosureAndSubmissionInWords(view, roles),
    // The Rapid Review Group meeting (issue 9 part 4): the team schedules it, records who attended
    // and uploads the minutes; and uploads the Panel's letter once its reply is recorded.
    meeting: meetingInWords(view),
    canManageMeeting:
      roles.includes('partnership-team') && view.status !== 'closed' && view.status !== 'withdrawn',
    canScheduleMeeting:
      roles.includes('partnership-team') &&
      !['submitted-to-panel', 'completed', 'closed', 'withdrawn'].includes(view.status),
    canUploadPanelLetter: roles.includes('partnership-team') && view.panelReply !== undefined,
    // The local authority's notification to the Panel (issue 10 part 5): the team uploads it for
    // the notifier until the papers are collated.
    panelNotification: {
      uploaded: view.panelNotificationDocument
        ? `${view.panelNotificationDocument.fileName}, uploaded ${londonDateTime(view.panelNotificationDocument.uploadedAt)}${view.panelNotificationDocument.uploadedByName ? ` by ${view.panelNotificationDocument.uploadedByName}` : ''}`
        : undefined,
      canUpload:
        roles.includes('partnership-team') && ['notified', 'awaiting-summaries'].includes(view.status),
    },
    canSeeList: roles.includes('partnership-team'),
    // The team steers the case (issue 10 part 3): agencies added, changed, removed; the review withdrawn.
    teamControls: teamControlsInWords(view, now, roles),
    // The rapid review report's progress (issue 9 part 5); the team drafts it.
    report: {
      status: reportStatusInWords(view.report),
      sectionsDone: view.report.sectionsDone,
      sectionsTotal: view.report.sectionsTotal,
      canDraft: roles.includes('partnership-team'),
    },
  };
}

/** GET /cases/{caseId}: one case, for the partnership team and the Rapid Review Group. */
const casePage: Page = {
  method: 'GET',
  path: '/cases/{caseId}',
  access: staffOnly(...caseReaders),
  async handle(request) {
    // Staff pages always have a signed-in person holding one of the page's roles.
    const viewer = request.user ?? { id: '', roles: [] };
    const caseId = request.params.caseId ?? '';
    let view: CaseView;
    let notification: CaseNotificationView | undefined;
    let returns: AgencyReturnView[] | undefined;
    try {
      // The notification document and the agencies' answers are read here, for the page only:
      // the case's JSON names no child.
      [view, notification, returns] = await Promise.all([
        showCase(request.service, { caseId, viewer }),
        showCaseNotification(request.service, { caseId }),
        maySeeTheChild(viewer.roles) ? showAgencyReturns(request.service, { caseId }) : undefined,
      ]);
    } catch (error) {
      if (error instanceof NotFoundError) return notFound();
      throw error;
    }
    const context = casePageContext(view, request.service.clock.now(), viewer.roles, notification, returns);
    return render('cases/case.njk', { pageTitle: `Case ${view.reference}`, ...context });
  },
};

export const casePages: Page[] = [casePage];
