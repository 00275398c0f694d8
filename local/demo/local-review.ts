import { dateToParts } from '../../functions/web/pages/notify/answers.ts';
import { CalendarDate } from '../../shared/calendar/dates.ts';
import { addWorkingDays } from '../../shared/calendar/working-days.ts';
import { localReviewRules } from '../../shared/local-review-rules.ts';
import {
  completionDueOn as completionDueOnFor,
  type LocalReviewCalendar,
  minimumPeriodAlertAt,
  reminderPoints,
} from '../../shared/workflow/local-review-plan.ts';
import { formatDate, isoDateOf } from '../../shared/workflow/london-time.ts';
import type { ReviewClient } from './review-client.ts';

/**
 * `npm run demo -- --local-review`'s second half (issue 13): the partnership team, signed in on
 * the local stack's pages, starts the Local Child Safeguarding Practice Review the Rapid Review's
 * decision commissioned, records its terms of reference, reviewer and a criminal trial that
 * holds publication back, and walks it in virtual time past the reminders, the hold, the notice
 * to the Panel and the Secretary of State, to a recorded publication and the alert before the
 * minimum period of publication ends. Everything goes through the pages as a person's browser
 * would: forms with their CSRF tokens, a session cookie.
 */

const calendar: LocalReviewCalendar = {
  rules: localReviewRules.parse({}),
  hours: { timeZone: 'Europe/London', workingDayStart: '09:00', workingDayEnd: '17:00' },
};

/** A browser's worth of the staff pages: a cookie jar, and the CSRF token of the last page read. */
export class PagesClient {
  readonly #baseUrl: string;
  readonly #cookies = new Map<string, string>();

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async request(path: string, init: { method?: string; form?: Record<string, string | string[]> } = {}) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(init.form ?? {})) {
      for (const item of [value].flat()) body.append(name, item);
    }
    const response = await fetch(`${this.#baseUrl}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.#cookies.set(name.trim(), value.join('='));
    }
    return {
      status: response.status,
      location: response.headers.get('location') ?? '',
      html: await response.text(),
    };
  }

  /** The CSRF token of a page's form. */
  static csrfOf(html: string): string {
    const token = /name="csrfToken" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error('The page has no form to post');
    return token;
  }

  /** Reads `page`, then posts `form` to `action` with the page's CSRF token; answers where it was sent (a 303). */
  async submit(page: string, action: string, form: Record<string, string | string[]>): Promise<string> {
    const read = await this.request(page);
    if (read.status !== 200) throw new Error(`GET ${page} answered ${read.status}`);
    const posted = await this.request(action, {
      method: 'POST',
      form: { ...form, csrfToken: PagesClient.csrfOf(read.html) },
    });
    if (posted.status !== 303) {
      const message =
        /<li><a href="[^"]*">([^<]+)<\/a><\/li>/.exec(posted.html)?.[1] ?? `status ${posted.status}`;
      throw new Error(`POST ${action} was refused: ${message}`);
    }
    return posted.location;
  }

  async signIn(role: string): Promise<void> {
    const location = await this.submit('/sign-in', '/sign-in', { role, returnTo: '/' });
    if (!location) throw new Error('Signing in did not redirect');
  }
}

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
      .trim();
  return [
    ...table.matchAll(
      /<th scope="row" class="govuk-table__header">([\s\S]*?)<\/th>\s*<td[^>]*>([\s\S]*?)<\/td>\s*<td[^>]*>([\s\S]*?)<\/td>/g,
    ),
  ].map((match) => ({ when: text(match[1]), who: text(match[2]), what: text(match[3]) }));
}

export interface DemoLocalReviewResult {
  reviewId: string;
  reference: string;
  publishedOn: string;
  address: string;
  timeline: LocalReviewTimelineEntry[];
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
  const pages = new PagesClient(client.apiUrl);
  await pages.signIn('partnership-team');
  const today = async () => isoDateOf((await client.clock()).now, calendar.hours.timeZone);
  const advanceTo = async (at: Date) => {
    const { now } = await client.clock();
    if (at.getTime() > Date.parse(now)) await client.advanceTo(at.toISOString());
    await client.settle();
  };

  await pages.submit(`/cases/${caseId}/local-review`, `/cases/${caseId}/local-review/confirm`, {});
  const opened = await pages.request(`/cases/${caseId}/local-review`);
  const reviewId = /\/local-reviews\/([0-9a-f-]{36})/.exec(opened.location)?.[1];
  if (!reviewId) throw new Error('The local review was not started');
  const base = `/local-reviews/${reviewId}`;
  const reference =
    /<h1 class="govuk-heading-l">(LCSPR-[^<]+)<\/h1>/.exec((await pages.request(base)).html)?.[1] ?? '';
  await client.waitForEmails('the Panel told of the local review', (email) =>
    email.subject.startsWith(`${reference}: local review commissioned`),
  );
  progress(`The partnership team started local review ${reference}; the Panel was emailed`);

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
  progress(`Terms of reference recorded, ${termsAgencies.length} agencies taking part`);

  const contractStart = CalendarDate.from(now).add({ days: 7 }).toString();
  const contractEnd = CalendarDate.from(now).add({ days: 180 }).toString();
  await pages.submit(`${base}/reviewer`, `${base}/reviewer/confirm`, {
    name: 'Reviewer A (invented)',
    organisation: 'Independent Reviews (invented)',
    email: 'reviewer.a@example.org',
    'evidence.professionalKnowledge': 'Invented: has led six local reviews with families taking part.',
    'evidence.research': 'Invented: teaches safeguarding research to practitioners.',
    'evidence.complexCircumstances': 'Invented: twenty years in children’s social work.',
    'evidence.withoutHindsight': 'Invented: uses a systems approach that avoids hindsight bias.',
    'evidence.communication': 'Invented: her reports are read and acted on.',
    'evidence.conflicts': 'None',
    ...dateToParts('contractStartsOn', contractStart),
    ...dateToParts('contractEndsOn', contractEnd),
    feePounds: '12,500',
  });
  await client.waitForEmails('the Panel told who the reviewer is', (email) =>
    email.subject.startsWith(`${reference}: reviewer appointed`),
  );
  progress('Reviewer appointed against the six points; the Panel was emailed');

  await pages.submit(`${base}/parallel-process`, `${base}/parallel-process/confirm`, {
    kind: 'criminal-trial',
    description: 'Crown Court trial (invented)',
    ...dateToParts('startedOn', now),
    holdsPublication: 'yes',
  });
  progress('A criminal trial recorded: it holds publication back while it is open');

  // The reminders before the completion target: six months from the day of the partners' decision.
  const { decision } = (await client.getCase(caseId)) as { decision?: { decidedAt: string } };
  if (!decision) throw new Error('The Rapid Review has no decision');
  const completionDueOn = completionDueOnFor(
    isoDateOf(decision.decidedAt, calendar.hours.timeZone),
    calendar.rules,
  );
  for (const point of reminderPoints(
    { completionDueOn, commissionedAt: (await client.clock()).now, remindersSent: [] },
    calendar,
  )) {
    await advanceTo(new Date(point.at.getTime() + 60_000));
    const months = point.monthsBefore === 1 ? 'one month' : `${point.monthsBefore} months`;
    await client.waitForEmails(`the reminder ${months} before`, (email) =>
      email.subject.startsWith(`${reference}: local review due in ${months}`),
    );
    progress(
      `Reminder to the partnership team: the review is due by ${formatDate(completionDueOn)}, ${point.monthsBefore === 1 ? 'a month' : `${point.monthsBefore} months`} from now`,
    );
  }

  const plannedOn = addWorkingDays(CalendarDate.from(await today()), 15).toString();
  await pages.submit(`${base}/publication-plan`, `${base}/publication-plan/confirm`, {
    ...dateToParts('plannedOn', plannedOn),
    inFull: 'yes',
  });
  await client.settle();
  progress(
    `The final report is ready: publication planned for ${formatDate(plannedOn)}, but the trial holds it back`,
  );

  await advanceTo(new Date(Date.parse((await client.clock()).now) + 7 * 24 * 3600_000));
  await pages.submit(`${base}/parallel-processes/1/ended`, `${base}/parallel-processes/1/ended/confirm`, {
    ...dateToParts('endedOn', await today()),
  });
  progress('The criminal trial ended');
  await advanceTo(new Date(Date.parse((await client.clock()).now) + 7 * 24 * 3600_000));
  await client.waitForEmails('the notice before publication', (email) =>
    email.subject.startsWith(`${reference}: local review to be published`),
  );
  progress('Notice of the publication sent to the Panel and the Secretary of State');

  const publishedAt = new Date(`${plannedOn}T10:00:00Z`);
  await advanceTo(publishedAt);
  const address = `https://safeguarding.example.org/reviews/${reference.toLowerCase()}`;
  await pages.submit(`${base}/publication`, `${base}/publication/confirm`, {
    ...dateToParts('publishedOn', plannedOn),
    address,
  });
  await client.settle();
  progress(`Publication recorded: ${address}`);

  await advanceTo(new Date(minimumPeriodAlertAt(plannedOn, calendar).getTime() + 60_000));
  await client.waitForEmails('the alert before the minimum period ends', (email) =>
    email.subject.startsWith(`${reference}: minimum period of publication ends in a month`),
  );
  progress('The partnership team was alerted a month before the minimum period of publication ends');

  return {
    reviewId,
    reference,
    publishedOn: plannedOn,
    address,
    timeline: timelineIn((await pages.request(base)).html),
  };
}
