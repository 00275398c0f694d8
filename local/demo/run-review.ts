import { randomUUID } from 'node:crypto';
import type { SeriousIncidentNotification } from '../../shared/schemas/notification.ts';
import { planDayOf } from '../../shared/schemas/timetable.ts';
import { formatInstant, isoDateOf } from '../../shared/workflow/london-time.ts';
import { recordDemoPanelReply } from './panel-reply.ts';
import { agencyLinkIn, type CaseView, type InboxEmail, type ReviewClient } from './review-client.ts';

/** One line of the timeline the demo prints: what happened, on which day of the partnership's plan, at what virtual time. */
export interface TimelineEntry {
  at: string;
  day: number | undefined;
  what: string;
}

export interface DemoReviewResult {
  caseId: string;
  reference: string;
  panelEmail: InboxEmail;
  finalCase: CaseView;
  timeline: TimelineEntry[];
}

/** A tiny, valid PDF standing in for an agency's completed template (invented content). */
export function demoSummaryPdf(agency: string): Uint8Array {
  const text = `Invented demo summary from ${agency}`.replace(/[()\\]/g, '');
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

/** The agency the demo's partnership team adds mid-case (invented). */
export const addedAgency = {
  name: 'Housing (demo)',
  spoc: { name: 'Hana Housing (demo)', email: 'spoc.housing@example.org' },
};

/** An invented structured return: the agency's involvement with two key practice episodes. */
export function demoInvolvement(agency: string) {
  return {
    kind: 'involvement',
    involvedFrom: '2025-01-06',
    rolesInvolved: `Invented demo roles at ${agency}: a duty social worker and a team manager.`,
    summary: `Invented demo summary: ${agency} knew the family through two referrals in the year before the incident.`,
    episodes: [
      {
        date: '2025-03-10',
        whatHappened: 'Invented demo episode: a referral from school about the child seeming withdrawn.',
        decidedAndWhy: 'Invented demo decision: a home visit; no further action, as the parent engaged.',
      },
      {
        date: '2025-09-22',
        whatHappened: 'Invented demo episode: a second referral, from a neighbour, about shouting at night.',
        decidedAndWhy:
          'Invented demo decision: a strategy discussion with the police; a child and family assessment.',
      },
    ],
    immediateActions: 'Invented demo actions: the siblings were seen and a safety plan agreed.',
    earlyLearning: 'Invented demo learning: the child’s own voice was not recorded in either episode.',
  };
}

/** The day of the partnership's plan a date falls on, from the case's timetable (undefined before Day 1 or between listed days). */
function planDay(view: CaseView, at: string): number | undefined {
  const date = isoDateOf(at, 'Europe/London');
  const step = view.timetable.find((milestone) => milestone.date === date);
  return step ? planDayOf(view.clocks, step) : undefined;
}

export function timelineOf(view: CaseView): TimelineEntry[] {
  return view.audit.map((event) => ({ at: event.at, day: planDay(view, event.at), what: event.reason }));
}

/**
 * Runs one Rapid Review through the API as a partnership would: the notifier submits, every
 * agency but the last uploads its summary through the emailed link, time moves on to each
 * deadline, the partnership team completes the report, the chair records the decision, each
 * safeguarding partner signs it off, the outcome reaches the Panel's mailbox, and the
 * partnership team records the Panel's reply.
 *
 * `late`: nobody decides by the governing date, so the Panel gets the holding email; the team
 * records why the review is late; a working day later everyone is reminded; then the review is
 * finished and goes to the Panel saying it is late and why.
 */
export async function runDemoReview(
  client: ReviewClient,
  notification: SeriousIncidentNotification,
  progress: (message: string) => void = () => {},
  options: { late?: boolean } = {},
): Promise<DemoReviewResult> {
  const { caseId, reference } = await runDemoReviewToDecision(client, notification, progress, options);

  for (const partner of ['local-authority', 'police', 'health'] as const) {
    await client.signOff(caseId, partner, { agrees: true });
    progress(
      `The ${partner === 'local-authority' ? 'local authority' : partner} safeguarding partner signed off the decision`,
    );
  }

  const [panelEmail] = await client.waitForEmails('the outcome email to the Panel', (email) =>
    email.subject.startsWith(`${reference}: Rapid Review outcome`),
  );
  await client.waitForCase(caseId, 'completed', (view) => view.status === 'completed');
  progress(`Outcome sent to the Panel mailbox ${panelEmail!.destination.to.join(', ')}`);
  // The Panel's reply (issue 9 part 6).
  await recordDemoPanelReply(client, caseId);
  progress('The partnership team recorded the Panel’s reply: a local review to commission');
  const finalCase = await client.getCase(caseId);
  return { caseId, reference, panelEmail: panelEmail!, finalCase, timeline: timelineOf(finalCase) };
}

/**
 * The review up to the chair's decision, the report complete and the partners not yet signed
 * off: what `runDemoReview` does before the sign-offs, for a test that signs off itself.
 */
export async function runDemoReviewToDecision(
  client: ReviewClient,
  notification: SeriousIncidentNotification,
  progress: (message: string) => void = () => {},
  options: { late?: boolean } = {},
): Promise<{ caseId: string; reference: string }> {
  const { caseId, reference } = await client.submitNotification(notification, randomUUID());
  progress(`Notification submitted: case ${reference}`);

  const spocs = new Set(notification.agencies.map((agency) => agency.spoc.email));
  const requests = await client.waitForEmails(
    'a summary request to every agency',
    (email) => email.subject.includes(reference) && email.destination.to.some((to) => spocs.has(to)),
    { count: spocs.size },
  );
  progress(`Summary requests emailed to ${requests.length} agencies`);

  // The partnership team adds an agency the notification did not name (issue 10 part 3).
  await client.addAgency(caseId, {
    name: addedAgency.name,
    spoc: addedAgency.spoc,
    reason: 'Invented demo reason: the family was registered with this housing provider.',
  });
  const [addedRequest] = await client.waitForEmails(
    'the summary request to the agency added mid-case',
    (email) => email.subject.includes(reference) && email.destination.to.includes(addedAgency.spoc.email),
  );
  progress(`The partnership team added ${addedAgency.name}; its contact was asked at once`);

  const answering = notification.agencies.slice(0, -1);
  const silentAgency = notification.agencies.at(-1)!;
  for (const [index, agency] of answering.entries()) {
    const email = requests.find((request) => request.destination.to.includes(agency.spoc.email))!;
    const link = agencyLinkIn(email);
    const asked = await client.agencyRequest(link);
    if (index === answering.length - 1) {
      // The last one never knew the family: "no involvement" counts as its return.
      await client.submitStructuredReturn(link, { kind: 'no-involvement', confirmed: true });
      progress(`${asked.agency} answered that it had no involvement with this child or family`);
      continue;
    }
    await client.uploadSummary(link, {
      name: `${agency.name} summary (demo).pdf`,
      type: 'application/pdf',
      bytes: demoSummaryPdf(agency.name),
    });
    if (index === 0) {
      await client.submitStructuredReturn(link, demoInvolvement(agency.name));
      progress(
        `${asked.agency} sent its return in structure, with its summary file (due by ${formatInstant(asked.dueAt, 'Europe/London')})`,
      );
    } else {
      progress(
        `${asked.agency} uploaded its summary (due by ${formatInstant(asked.dueAt, 'Europe/London')})`,
      );
    }
  }
  const addedLink = agencyLinkIn(addedRequest!);
  await client.uploadSummary(addedLink, {
    name: `${addedAgency.name} summary (demo).pdf`,
    type: 'application/pdf',
    bytes: demoSummaryPdf(addedAgency.name),
  });
  progress(`${addedAgency.name}, added mid-case, uploaded its summary`);
  await client.waitForCase(
    caseId,
    'returns recorded',
    (view) => view.agencies.filter((agency) => agency.status === 'received').length === answering.length + 1,
  );
  progress(`${silentAgency.name} has not returned: the workflow will climb the escalation ladder`);

  for (let jumps = 0; ; jumps += 1) {
    const view = await client.getCase(caseId);
    if (view.status === 'awaiting-decision') break;
    // Other reviews on a running stack wait on the same clock, so a jump may be theirs.
    if (jumps > 40) throw new Error(`The case never reached the decision (status ${view.status})`);
    const { now } = await client.advanceToNext();
    const after = await client.getCase(caseId);
    progress(
      `Clock moved to ${formatInstant(now, 'Europe/London')}: ${after.workflow.currentStep ?? after.status}`,
    );
  }

  // The silent agency's return arrives after collation: the team takes it in, and the group gets
  // it as an addendum to the papers (issue 10 part 3).
  const silent = (await client.getCase(caseId)).agencies.find((agency) => agency.name === silentAgency.name)!;
  await client.takeInLateReturn(caseId, silent.agencyId, {
    answers: demoInvolvement(silentAgency.name),
    reason: 'Invented demo reason: the school sent its return by post after the papers went out.',
  });
  await client.waitForEmails(
    'the addendum to the papers',
    (email) => email.subject.includes(reference) && /addendum/i.test(email.subject),
  );
  progress(`${silentAgency.name}'s late return was taken in; the group got it as an addendum to the papers`);

  if (options.late) {
    // Nobody decides by the governing date: the review is late, not failed.
    const { now } = await client.advanceToNext();
    await client.waitForEmails('the holding email to the Panel', (email) =>
      email.subject.startsWith(`${reference}: Rapid Review late`),
    );
    progress(
      `Clock moved to ${formatInstant(now, 'Europe/London')}: the governing date passed; the Panel was told the review is late`,
    );
    const expectedOn = isoDateOf(new Date(Date.parse(now) + 7 * 24 * 60 * 60 * 1000), 'Europe/London');
    await client.recordLateReason(caseId, {
      reason: 'Invented demo reason: the Rapid Review Group meeting had to be moved.',
      expectedOn,
    });
    progress('The partnership team recorded why the review is late and when it now expects to submit');
    const next = await client.advanceToNext();
    progress(
      `Clock moved to ${formatInstant(next.now, 'Europe/London')}: the chair, the partners and the team were reminded again`,
    );
  }

  // The Rapid Review Group meeting (issue 9 part 4): on the timetable's meeting day (or today,
  // should the clock be past it), with invented attendees.
  const beforeMeeting = await client.getCase(caseId);
  const today = (await client.clock()).now.slice(0, 10);
  const meetingDay = beforeMeeting.timetable.find((step) => /meeting/i.test(step.name))?.date ?? today;
  await client.scheduleMeeting(caseId, {
    date: [meetingDay, today].sort().at(-1),
    time: '10:00',
    callLink: 'https://meet.example.org/rapid-review-demo',
  });
  await client.recordMeetingAttendance(caseId, {
    attendees: [
      {
        name: 'Chris Chair (demo)',
        agency: 'Safeguarding partnership',
        role: 'Chair',
        conflicts: 'none',
        confidentialityAgreed: true,
      },
      {
        name: 'Pat Police (demo)',
        agency: 'Police',
        role: 'Detective Inspector',
        conflicts: 'none',
        confidentialityAgreed: true,
      },
      {
        name: 'Sam Health (demo)',
        agency: 'Integrated care board',
        role: 'Designated nurse',
        conflicts: 'Invented (demo): knew a family member through work some years ago',
        confidentialityAgreed: true,
      },
    ],
  });
  progress('The Rapid Review Group met: meeting scheduled, invitations sent, attendance recorded');

  await client.writeReport(caseId);
  progress('The partnership team completed the rapid review report');

  await client.recordDecision(caseId, {
    commissionLocalReview: true,
    localReviewReason:
      'Invented demo reason: the agencies’ accounts suggest learning about information sharing.',
    recommendNationalReview: false,
    nationalReviewReason:
      'Invented demo reason: the issues are local and the partnership can learn from them.',
  });
  progress('The Rapid Review Group chair recorded the decision');
  return { caseId, reference };
}
