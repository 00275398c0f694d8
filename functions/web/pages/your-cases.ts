import { CalendarDate, instantAt } from '../../../shared/calendar/dates.ts';
import {
  type PartnershipProfile,
  partnerOf,
  safeguardingPartnerNames,
} from '../../../shared/config/partnership-profile.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import type { StaffMember, StaffRole } from '../../../shared/schemas/roles.ts';
import { milestone } from '../../../shared/schemas/timetable.ts';
import { clocksInBrief, clocksOf } from '../../../shared/workflow/clocks-wording.ts';
import { meetingWhen } from '../../../shared/workflow/emails.ts';
import { formatDate } from '../../../shared/workflow/london-time.ts';
import { partnersDecision } from '../../../shared/workflow/readiness.ts';
import { hasReached } from '../../../shared/workflow/steps.ts';
import { type Page, render } from '../page.ts';
import { statusTag } from './case-tags.ts';
import { londonDate, londonDateTime } from './london.ts';
import { yourCasesMenuPage } from './menu.ts';

/**
 * The home of the Rapid Review Group's members and chair, the safeguarding partners' leads and
 * delegates and the Executive Board chair (GET /your-cases, issue 11 part 2): every review not
 * yet gone to the Panel (the group reads the papers of every one: the profile names one group,
 * not one per case), each with what it needs from the person signed in, by when, and a link to
 * do it. Those that need something come first.
 */

/** Something the person is asked to do on a case, and where, when there is a page for it. */
export interface Task {
  text: string;
  link?: { href: string; text: string };
}

const timeZone = 'Europe/London';

/** The meeting's start, as an instant. */
function meetingStart(meeting: NonNullable<CaseRecord['meeting']>): Date {
  return instantAt(CalendarDate.from(meeting.date), meeting.time, timeZone);
}

/** What a member of the Rapid Review Group is asked to do on the case, if anything. */
function memberTasks(record: CaseRecord, now: Date): Task[] {
  const meeting = record.meeting;
  const meetingToCome = meeting && meetingStart(meeting).getTime() > now.getTime();
  if (record.decision) return [];
  if (!hasReached(record.status, 'awaiting-decision')) return [];
  return meetingToCome
    ? [
        {
          text: `Read the papers before the meeting at ${meetingWhen(meeting)}.`,
          link: { href: `/cases/${record.caseId}`, text: 'Open the case and its papers' },
        },
      ]
    : meeting
      ? []
      : [
          {
            text: 'Read the papers before the meeting. The partnership team will tell you when it is.',
            link: { href: `/cases/${record.caseId}`, text: 'Open the case and its papers' },
          },
        ];
}

/** What the chair is asked to do: the member's reading, and the decision once the papers are out. */
function chairTasks(record: CaseRecord, now: Date): Task[] {
  if (record.decision || record.status !== 'awaiting-decision') return [];
  const dueAt = milestone(record.timetable, 'submitToPanel').dueAt;
  const overdue = Date.parse(dueAt) <= now.getTime();
  return [
    {
      text: overdue
        ? `Record the group’s decision now: it was due by ${londonDateTime(dueAt)}.`
        : `Record the group’s decision by ${londonDateTime(dueAt)}.`,
      link: { href: `/cases/${record.caseId}/decision`, text: 'Record the decision' },
    },
  ];
}

/** What a safeguarding partner's lead or delegate is asked to do: sign off the chair's decision for their partner. */
function partnerTasks(record: CaseRecord, profile: PartnershipProfile, email: string | undefined): Task[] {
  const partner = partnerOf(profile, email);
  if (!partner || !record.decision) return [];
  if (!partnersDecision(record).awaiting.includes(partner)) return [];
  return [
    {
      text: `Sign off the chair’s decision for the ${safeguardingPartnerNames[partner].toLowerCase()}.`,
      link: { href: `/cases/${record.caseId}/sign-off`, text: 'Sign off the decision' },
    },
  ];
}

/** What the Executive Board chair is asked to do: resolve a partner's disagreement. */
function boardTasks(record: CaseRecord): Task[] {
  if (!partnersDecision(record).awaitingResolution) return [];
  return [
    {
      text: 'A safeguarding partner does not agree with the chair’s decision. Resolve the disagreement.',
      link: { href: `/cases/${record.caseId}/sign-offs/resolution`, text: 'Resolve the disagreement' },
    },
  ];
}

/** Everything the case asks of this person, by their roles, each once. */
export function tasksFor(
  record: CaseRecord,
  person: Pick<StaffMember, 'roles' | 'email'>,
  profile: PartnershipProfile,
  now: Date,
): Task[] {
  const has = (role: StaffRole) => person.roles.includes(role);
  const tasks = [
    ...(has('rrg-chair') ? chairTasks(record, now) : []),
    ...(has('rrg-member') || has('rrg-chair') ? memberTasks(record, now) : []),
    ...(has('safeguarding-partner') ? partnerTasks(record, profile, person.email) : []),
    ...(has('executive-board') ? boardTasks(record) : []),
  ];
  return tasks.filter((task, index) => tasks.findIndex((other) => other.text === task.text) === index);
}

/** Where the review stands for someone it asks nothing of now: what comes next for the group. */
export function whatComesNext(record: CaseRecord, now: Date): string {
  const meeting = record.meeting;
  if (record.decision) {
    const awaiting = partnersDecision(record);
    return awaiting.complete
      ? 'The decision is recorded and signed off. The review goes to the Panel once its report is complete.'
      : 'The decision is recorded. It waits for the safeguarding partners to sign it off.';
  }
  if (!hasReached(record.status, 'awaiting-decision')) {
    const papers = milestone(record.timetable, 'distributePapers');
    return `The agencies’ summaries are being gathered. The papers are due to reach the group on ${formatDate(papers.date)}.`;
  }
  if (meeting && meetingStart(meeting).getTime() <= now.getTime()) {
    return `The group met at ${meetingWhen(meeting)}. The chair records the decision.`;
  }
  return 'The papers have gone to the group. The chair records the decision after the meeting.';
}

/** One case as the home shows it. */
function cardOf(record: CaseRecord, tasks: Task[], now: Date) {
  return {
    caseId: record.caseId,
    reference: record.reference,
    incident: record.incidentKind === 'death' ? 'Death of a child' : 'Serious harm to a child',
    status: statusTag(record.status),
    received: londonDate(record.receivedAt),
    reviewDue: clocksInBrief(clocksOf(record.timetable)).due,
    meeting: record.meeting
      ? `${meetingWhen(record.meeting)}${record.meeting.place ? `, ${record.meeting.place}` : ', by call'}`
      : 'Not arranged yet',
    tasks,
    next: tasks.length === 0 ? whatComesNext(record, now) : undefined,
  };
}

/** GET /your-cases. */
const yourCasesPage: Page = {
  ...yourCasesMenuPage,
  async handle(request) {
    const person: Pick<StaffMember, 'id' | 'roles' | 'email'> = request.user ?? { id: '', roles: [] };
    const now = request.service.clock.now();
    const profile = request.service.profile;
    const records = (await request.service.cases.listCases()).filter(
      (record) => !hasReached(record.status, 'submitted-to-panel'),
    );
    // The review due first; the newest first among those due the same day.
    const byDue = [...records].sort(
      (a, b) =>
        clocksOf(a.timetable).governingDueDate.localeCompare(clocksOf(b.timetable).governingDueDate) ||
        Date.parse(b.receivedAt) - Date.parse(a.receivedAt),
    );
    const cards = byDue.map((record) => cardOf(record, tasksFor(record, person, profile, now), now));
    const partner = person.roles.includes('safeguarding-partner')
      ? partnerOf(profile, person.email)
      : undefined;
    return render('homes/your-cases.njk', {
      pageTitle: 'Your cases',
      needsYou: cards.filter((card) => card.tasks.length > 0),
      others: cards.filter((card) => card.tasks.length === 0),
      partnerName: partner ? safeguardingPartnerNames[partner].toLowerCase() : undefined,
      // A partner's lead or delegate the profile does not name cannot sign off: say so, not nothing.
      unknownPartner: person.roles.includes('safeguarding-partner') && !partner,
      today: londonDate(now),
    });
  },
};

export const yourCasesPages: Page[] = [yourCasesPage];
