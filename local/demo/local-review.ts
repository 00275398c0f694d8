import { dateToParts } from '../../functions/web/pages/notify/answers.ts';
import { CalendarDate } from '../../shared/calendar/dates.ts';
import { addWorkingDays } from '../../shared/calendar/working-days.ts';
import { agencyIdFor } from '../../shared/cases/open-case.ts';
import { localReviewRules } from '../../shared/local-review-rules.ts';
import {
  completionDueOn as completionDueOnFor,
  type LocalReviewCalendar,
  minimumPeriodAlertAt,
  type ReminderPoint,
  reminderPoints,
} from '../../shared/workflow/local-review-plan.ts';
import { formatDate, isoDateOf } from '../../shared/workflow/london-time.ts';
import { localUsers } from '../tokens.ts';
import { PagesClient } from './pages-client.ts';
import type { ReviewClient } from './review-client.ts';
import { demoSummaryPdf } from './run-review.ts';

/**
 * `npm run demo -- --local-review` and `-- --referral`'s second half (issue 13): a Local Child
 * Safeguarding Practice Review, once commissioned (from a Rapid Review's decision, or from a
 * Practice Review Group referral, local/demo/referral.ts), walked in virtual time through the
 * pages people use: the terms of reference, the reviewer, a criminal trial that holds publication
 * back, the declarations, a request for information that the agency answers through its link
 * with chronology entries, a practitioner learning event, the family plan, supervision of the
 * reviewer in writing, a draft, its factual-accuracy round and quality check, the final version,
 * the reminders before the completion target, the publication plan, the notice to the Panel and
 * the Secretary of State, the publication and the alert before its minimum period ends. Forms go
 * with their CSRF tokens and a session cookie, as a person's browser would send them.
 */

const calendar: LocalReviewCalendar = {
  rules: localReviewRules.parse({}),
  hours: { timeZone: 'Europe/London', workingDayStart: '09:00', workingDayEnd: '17:00' },
};

export { PagesClient } from './pages-client.ts';

/** One line of the review's timeline, as its page shows it. */
export interface LocalReviewTimelineEntry {
  when: string;
  who: string;
  what: string;
}

/** The timeline table of the review's page, oldest first. */
function timelineIn(html: string): LocalReviewTimelineEntry[] {
  const table = html.slice(html.indexOf('id="timeline-table"'));
  const text = (value: string | undefined) =>
    (value ?? '')
      .replace(/&#39;|&rsquo;/g, '’')
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .trim();
  return [
    ...table.matchAll(
      /<th scope="row" class="govuk-table__header">([\s\S]*?)<\/th>\s*<td[^>]*>([\s\S]*?)<\/td>\s*<td[^>]*>([\s\S]*?)<\/td>/g,
    ),
  ].map((match) => ({ when: text(match[1]), who: text(match[2]), what: text(match[3]) }));
}

/** A local review just commissioned, by either way in, ready to walk. */
export interface CommissionedDemoReview {
  reviewId: string;
  reference: string;
  /** The day the partners (or the group) decided on it: the completion target counts from it. */
  decidedOn: string;
  /** The agency the reviewer asks for information, and who answers for it. */
  askedAgency: { name: string; contactName: string; contactEmail: string };
}

export interface DemoLocalReviewResult {
  reviewId: string;
  reference: string;
  publishedOn: string;
  address: string;
  timeline: LocalReviewTimelineEntry[];
}

/** The demo's clock, in the words and dates a person reads. */
export function demoClock(client: ReviewClient) {
  const today = async () => isoDateOf((await client.clock()).now, calendar.hours.timeZone);
  const advanceTo = async (at: Date) => {
    const { now } = await client.clock();
    if (at.getTime() > Date.parse(now)) await client.advanceTo(at.toISOString());
    await client.settle();
  };
  /** A progress line that starts with the virtual day it happened. */
  const saying =
    (progress: (message: string) => void) =>
    async (message: string): Promise<void> =>
      progress(`${formatDate(await today())}: ${message}`);
  return { today, advanceTo, saying };
}

/**
 * The partnership team, signed in on the pages, starts the local review the Rapid Review's
 * decision commissioned (`caseId`): the Panel is emailed.
 */
export async function commissionDemoLocalReviewFromCase(
  client: ReviewClient,
  caseId: string,
  progress: (message: string) => void = () => {},
): Promise<CommissionedDemoReview> {
  const pages = new PagesClient(client.apiUrl);
  await pages.signIn('partnership-team');
  const say = demoClock(client).saying(progress);
  await pages.submit(`/cases/${caseId}/local-review`, `/cases/${caseId}/local-review/confirm`, {});
  const opened = await pages.request(`/cases/${caseId}/local-review`);
  const reviewId = /\/local-reviews\/([0-9a-f-]{36})/.exec(opened.location)?.[1];
  if (!reviewId) throw new Error('The local review was not started');
  const reference = await referenceOf(pages, reviewId);
  await client.waitForEmails('the Panel told of the local review', (email) =>
    email.subject.startsWith(`${reference}: local review commissioned`),
  );
  await say(
    `The partnership team started local review ${reference} from the Rapid Review; the Panel was emailed`,
  );
  const { decision } = (await client.getCase(caseId)) as { decision?: { decidedAt: string } };
  if (!decision) throw new Error('The Rapid Review has no decision');
  // The demo's notification names the Police, with its contact (local/sample-notification.ts).
  return {
    reviewId,
    reference,
    decidedOn: isoDateOf(decision.decidedAt, calendar.hours.timeZone),
    askedAgency: {
      name: 'Police',
      contactName: 'Spoc Police (demo)',
      contactEmail: 'spoc.police@example.org',
    },
  };
}

/** The review's reference, from the heading of its page. */
export async function referenceOf(pages: PagesClient, reviewId: string): Promise<string> {
  const reference = /<h1 class="govuk-heading-l">(LCSPR-[^<]+)<\/h1>/.exec(
    (await pages.request(`/local-reviews/${reviewId}`)).html,
  )?.[1];
  if (!reference) throw new Error('The local review’s page shows no reference');
  return reference;
}

/** A link of `kind` in the latest email to `to` whose body has one. */
async function linkEmailed(client: ReviewClient, what: string, to: string, pattern: RegExp): Promise<string> {
  const [email] = await client.waitForEmails(
    what,
    (candidate) => candidate.destination.to.includes(to) && pattern.test(candidate.body.text ?? ''),
  );
  const link = pattern.exec(email?.body.text ?? '')?.[0];
  if (!link) throw new Error(`No link in the email: ${what}`);
  return new URL(link).pathname;
}

/**
 * Walks a commissioned local review to a recorded publication and the minimum period's alert,
 * in virtual time, through the pages.
 */
export async function walkDemoLocalReview(
  client: ReviewClient,
  commissioned: CommissionedDemoReview,
  progress: (message: string) => void = () => {},
): Promise<DemoLocalReviewResult> {
  const { reviewId, reference, askedAgency } = commissioned;
  const base = `/local-reviews/${reviewId}`;
  const pages = new PagesClient(client.apiUrl);
  await pages.signIn('partnership-team');
  const { today, advanceTo, saying } = demoClock(client);
  const say = saying(progress);

  // The reminders before the completion target (six months from the decision) come when the
  // clock passes them: each is said on its day, whatever else the walk is doing.
  const completionDueOn = completionDueOnFor(commissioned.decidedOn, calendar.rules);
  const reminders: ReminderPoint[] = reminderPoints(
    { completionDueOn, commissionedAt: (await client.clock()).now, remindersSent: [] },
    calendar,
  );
  /** Moves the clock to each reminder before `target`, saying each on its day. */
  const remindBefore = async (target: number) => {
    while (reminders[0] && reminders[0].at.getTime() < target) {
      const point = reminders.shift()!;
      await advanceTo(new Date(point.at.getTime() + 60_000));
      const months = point.monthsBefore === 1 ? 'one month' : `${point.monthsBefore} months`;
      await client.waitForEmails(`the reminder ${months} before`, (email) =>
        email.subject.startsWith(`${reference}: local review due in ${months}`),
      );
      await say(
        `The partnership team was reminded the review is due by ${formatDate(completionDueOn)}, ${point.monthsBefore === 1 ? 'a month' : `${point.monthsBefore} months`} from now`,
      );
    }
  };
  /** Moves the clock `days` on, to 10am on that day, saying each reminder it passes on the way. */
  const moveOn = async (days: number) => {
    const target = new Date(`${CalendarDate.from(await today()).add({ days })}T10:00:00Z`);
    await remindBefore(target.getTime());
    await advanceTo(target);
  };

  // Commissioning: the terms of reference, the reviewer, a trial that holds publication back.
  const terms = await pages.request(`${base}/terms`);
  const termsAgencies = [...terms.html.matchAll(/name="agencyIds" type="checkbox" value="([^"]+)"/g)].map(
    (match) => match[1] as string,
  );
  const now = await today();
  await pages.submit(`${base}/terms`, `${base}/terms/confirm`, {
    method: 'A systems approach (invented demo)',
    ...dateToParts('periodFrom', '2025-01-01'),
    ...dateToParts('periodTo', now),
    agencyIds: termsAgencies,
    keyLinesOfEnquiry: 'Invented demo enquiry: how the agencies shared what they knew about the family.',
    familyInvolvementPlan:
      'Invented demo plan: the reviewer invites the child’s parents to meet, with an advocate.',
  });
  await say(
    `Terms of reference recorded, ${termsAgencies.length} ${termsAgencies.length === 1 ? 'agency' : 'agencies'} taking part`,
  );

  await pages.submit(`${base}/reviewer`, `${base}/reviewer/confirm`, {
    name: localUsers.reviewer.name,
    organisation: 'Independent Reviews (invented)',
    email: localUsers.reviewer.email,
    'evidence.professionalKnowledge': 'Invented: has led six local reviews with families taking part.',
    'evidence.research': 'Invented: teaches safeguarding research to practitioners.',
    'evidence.complexCircumstances': 'Invented: twenty years in children’s social work.',
    'evidence.withoutHindsight': 'Invented: uses a systems approach that avoids hindsight bias.',
    'evidence.communication': 'Invented: their reports are read and acted on.',
    'evidence.conflicts': 'None',
    ...dateToParts('contractStartsOn', now),
    ...dateToParts('contractEndsOn', CalendarDate.from(now).add({ days: 180 }).toString()),
    feePounds: '12,500',
  });
  await client.waitForEmails('the Panel told who the reviewer is', (email) =>
    email.subject.startsWith(`${reference}: reviewer appointed`),
  );
  await say('Reviewer appointed against the six points; the Panel was emailed');

  await pages.submit(`${base}/parallel-process`, `${base}/parallel-process/confirm`, {
    kind: 'criminal-trial',
    description: 'Crown Court trial (invented)',
    ...dateToParts('startedOn', now),
    holdsPublication: 'yes',
  });
  await say('A criminal trial recorded: it holds publication back while it is open');

  // The enquiry: declarations, a request for information the agency answers through its link.
  const reviewer = new PagesClient(client.apiUrl);
  await reviewer.signIn('reviewer');
  await reviewer.submit(`${base}/enquiry/declaration`, `${base}/enquiry/declaration`, {
    hasConflicts: 'no',
    confidentialityAgreed: 'yes',
  });
  await say(
    'The reviewer, signed in, recorded their declaration: no conflict of interest, confidentiality agreed',
  );

  const dueOn = CalendarDate.from(now).add({ days: 21 }).toString();
  await pages.submit(`${base}/enquiry/request`, `${base}/enquiry/request`, {
    agencyId: agencyIdFor(askedAgency.name),
    contactName: askedAgency.contactName,
    contactEmail: askedAgency.contactEmail,
    asks: 'Invented demo request: your records of the family for the period in scope, as chronology entries.',
    ...dateToParts('dueOn', dueOn),
  });
  const agencyLink = await linkEmailed(
    client,
    `the request for information to ${askedAgency.name}`,
    askedAgency.contactEmail,
    new RegExp(`https?://\\S+?/local-review-agency/${reviewId}/[A-Za-z0-9_-]{43}`),
  );
  await say(
    `Information requested in writing from ${askedAgency.name}, due by ${formatDate(dueOn)}; its contact was emailed a link`,
  );

  await moveOn(7);
  const agency = new PagesClient(client.apiUrl);
  const opened = await agency.request(agencyLink);
  if (opened.status !== 200) throw new Error(`The agency’s link answered ${opened.status}`);
  await agency.post(`${agencyLink}/declaration`, {
    name: askedAgency.contactName,
    hasConflicts: 'no',
    confidentialityAgreed: 'yes',
  });
  for (const [on, what] of [
    ['2025-03-10', 'Invented demo entry: a referral from school about the child seeming withdrawn.'],
    ['2025-09-22', 'Invented demo entry: a strategy discussion with children’s social care.'],
  ] as const) {
    await agency.post(`${agencyLink}/entries`, {
      ...dateToParts('occurredOn', on),
      whatHappened: what,
      source: 'Case record (invented)',
    });
  }
  await agency.post(`${agencyLink}/finished`, {});
  await say(
    `${askedAgency.name}, through its link, recorded its declaration, added two chronology entries and said it has sent everything`,
  );

  // The work in writing: a learning event, the family plan, supervision of the reviewer.
  await moveOn(21);
  await pages.submit(`${base}/learning-events/add`, `${base}/learning-events/add/confirm`, {
    ...dateToParts('heldOn', await today()),
    invited: 'Health visitors, school staff, police officers and social workers (invented)',
    attended: 'Nine practitioners from five agencies (invented)',
  });
  await say('A practitioner learning event held and recorded');

  await moveOn(7);
  await pages.submit(`${base}/family-plan/add`, `${base}/family-plan/add/confirm`, {
    who: 'Mother (invented)',
    invited: 'yes',
    tookPart: 'yes',
  });
  await pages.submit(`${base}/family-plan/1/contact`, `${base}/family-plan/1/contact/confirm`, {
    ...dateToParts('on', await today()),
    how: 'visit',
    what: 'Invented: the reviewer and an advocate met the child’s mother at home.',
  });
  await say('The child’s mother added to the family plan: invited, took part, met at home');

  await moveOn(7);
  const askedOn = await today();
  await pages.submit(`${base}/supervision/request`, `${base}/supervision/request/confirm`, {
    kind: 'draft',
    request: 'Invented: please send the first draft of the report.',
    ...dateToParts('askedOn', askedOn),
    ...dateToParts('dueOn', CalendarDate.from(askedOn).add({ days: 28 }).toString()),
  });
  await say('Supervision in writing: the partners asked the reviewer for a first draft within four weeks');

  await moveOn(21);
  await pages.submit(`${base}/supervision/1/answer`, `${base}/supervision/1/answer/confirm`, {
    answer: 'Invented: the first draft is attached to the drafts page.',
    ...dateToParts('answeredOn', await today()),
  });
  await pages.upload(
    `${base}/drafts/upload`,
    `${base}/drafts/upload`,
    { note: 'First draft (invented)' },
    {
      field: 'file',
      name: 'draft-report.pdf',
      type: 'application/pdf',
      bytes: demoSummaryPdf(`the draft report of ${reference}`),
    },
  );
  await say('The reviewer answered with the first draft, uploaded as version 1');

  // The draft's factual-accuracy round and its quality check; the final version.
  const commentsDueOn = CalendarDate.from(await today())
    .add({ days: 14 })
    .toString();
  await pages.submit(`${base}/drafts/1/factual-accuracy`, `${base}/drafts/1/factual-accuracy/confirm`, {
    ...dateToParts('dueOn', commentsDueOn),
  });
  const checkLink = await linkEmailed(
    client,
    `the factual-accuracy request to ${askedAgency.name}`,
    askedAgency.contactEmail,
    /https?:\/\/\S+?\/factual-accuracy\/[A-Za-z0-9_-]{43}/,
  );
  await say(
    `Draft version 1 sent to the agencies for factual accuracy, comments due by ${formatDate(commentsDueOn)}`,
  );
  await moveOn(7);
  await agency.post(checkLink, {
    comments: 'Invented demo comment: page 3, the strategy discussion was on 22 September, not 23.',
  });
  await say(`${askedAgency.name} sent its comments on the draft through its link`);

  await moveOn(10);
  await pages.submit(`${base}/drafts/1/quality`, `${base}/drafts/1/quality/confirm`, {
    'improvementsSummarised.met': 'yes',
    'improvementsSummarised.note': 'Invented: summarised on page 2.',
    'systemicReasons.met': 'yes',
    'systemicReasons.note': 'Invented: the analysis looks at how the agencies worked, not who erred.',
    'recommendationsWhoWhatWhen.met': 'yes',
    'recommendationsWhoWhatWhen.note': 'Invented: each recommendation names an owner and a date.',
  });
  await pages.submit(`${base}/drafts`, `${base}/drafts/1/final`, {});
  await say('The quality check recorded against the framework; version 1 chosen as the final report');

  // The reminders still to come, then the publication plan, held back by the trial until it ends.
  await remindBefore(Number.POSITIVE_INFINITY);
  const plannedOn = addWorkingDays(CalendarDate.from(await today()), 15).toString();
  await pages.submit(`${base}/publication-plan`, `${base}/publication-plan/confirm`, {
    ...dateToParts('plannedOn', plannedOn),
    inFull: 'yes',
  });
  await client.settle();
  await say(
    `The final report is ready: publication planned for ${formatDate(plannedOn)}, but the trial holds it back`,
  );

  await moveOn(7);
  await pages.submit(`${base}/parallel-processes/1/ended`, `${base}/parallel-processes/1/ended/confirm`, {
    ...dateToParts('endedOn', await today()),
  });
  await say('The criminal trial ended');
  await moveOn(7);
  await client.waitForEmails('the notice before publication', (email) =>
    email.subject.startsWith(`${reference}: local review to be published`),
  );
  await say(
    'Notice of the publication sent to the Panel and the Secretary of State, the final report attached',
  );

  await advanceTo(new Date(`${plannedOn}T10:00:00Z`));
  const address = `https://safeguarding.example.org/reviews/${reference.toLowerCase()}`;
  await pages.submit(`${base}/publication`, `${base}/publication/confirm`, {
    ...dateToParts('publishedOn', plannedOn),
    address,
  });
  await client.settle();
  await say(`Publication recorded: ${address}`);

  await advanceTo(new Date(minimumPeriodAlertAt(plannedOn, calendar).getTime() + 60_000));
  await client.waitForEmails('the alert before the minimum period ends', (email) =>
    email.subject.startsWith(`${reference}: minimum period of publication ends in a month`),
  );
  await say('The partnership team was alerted a month before the minimum period of publication ends');

  return {
    reviewId,
    reference,
    publishedOn: plannedOn,
    address,
    timeline: timelineIn((await pages.request(base)).html),
  };
}

/**
 * The local review of `caseId` from its start to a recorded publication and the minimum
 * period's alert, in virtual time.
 */
export async function runDemoLocalReview(
  client: ReviewClient,
  caseId: string,
  progress: (message: string) => void = () => {},
): Promise<DemoLocalReviewResult> {
  const commissioned = await commissionDemoLocalReviewFromCase(client, caseId, progress);
  return walkDemoLocalReview(client, commissioned, progress);
}

/**
 * What the demo prints once a local review is walked: its timeline (virtual time, London), then
 * the line that says where and when it was published (the last line the demo prints).
 */
export function localReviewReport(result: DemoLocalReviewResult): { timeline: string[]; published: string } {
  return {
    timeline: [
      `Timeline of local review ${result.reference} (virtual time, London):`,
      ...result.timeline.map((entry) => `  ${entry.when.padEnd(36)} ${entry.what}`),
    ],
    published: `Local review ${result.reference} published on ${formatDate(result.publishedOn)} at ${result.address}`,
  };
}
