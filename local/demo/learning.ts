import { CalendarDate } from '../../shared/calendar/dates.ts';
import { isoDateOf } from '../../shared/workflow/london-time.ts';
import { PagesClient } from './pages-client.ts';
import type { ReviewClient } from './review-client.ts';

/**
 * `npm run demo`'s learning (issue 14 parts 1 and 2): the partnership team, signed in on the
 * local stack's pages, tags the Rapid Review (and the local review, when the demo ran one) with
 * learning themes, records its learning points, and turns the immediate learning into actions;
 * the first action's owner records progress and evidence through the link emailed to them, and
 * the team verifies it. Everything through the pages, as a browser would.
 */
export async function runDemoLearning(
  client: ReviewClient,
  review: { caseId: string; localReviewId?: string },
  progress: (message: string) => void = () => {},
): Promise<{ actions: number }> {
  const pages = new PagesClient(client.apiUrl);
  await pages.signIn('partnership-team');
  const today = CalendarDate.from(isoDateOf((await client.clock()).now, 'Europe/London'));
  const dueIn = (days: number) => {
    const [year, month, day] = today.add({ days }).toString().split('-');
    return { 'dueOn-day': String(Number(day)), 'dueOn-month': String(Number(month)), 'dueOn-year': year! };
  };
  let actions = 0;

  async function learningOf(base: string, themes: string[], points: { text: string; theme: string }[]) {
    await pages.submit(base, `${base}/themes`, { themes });
    for (const point of points) await pages.submit(base, `${base}/points`, point);
  }
  async function action(base: string, form: Record<string, string | string[]>): Promise<string> {
    const location = await pages.submit(`${base}/actions/new`, `${base}/actions/new`, form);
    actions += 1;
    return location;
  }

  const rapid = `/cases/${review.caseId}/learning`;
  await learningOf(
    rapid,
    ['safe-sleep', 'parental-mental-health', 'information-sharing'],
    [
      {
        text: 'Safe sleep advice was given at the birth visit but not checked again when the family moved (invented).',
        theme: 'safe-sleep',
      },
      {
        text: 'The adult mental health service did not know a baby lived in the household (invented).',
        theme: 'parental-mental-health',
      },
    ],
  );
  progress('Tagged the Rapid Review with three learning themes and recorded two learning points');
  const first = await action(rapid, {
    recommendation:
      'Health visitors check safe sleep arrangements at every visit after a family moves (invented).',
    description: 'Add a safe sleep check to the health visiting record for a change of address (invented).',
    theme: 'safe-sleep',
    scope: 'single-agency',
    owningAgencyId: 'health',
    ownerRole: 'Named nurse for safeguarding',
    ownerEmail: 'named.nurse.demo@example.org',
    ...dueIn(90),
  });
  await action(rapid, {
    recommendation: 'Adult services ask about children in the household at every assessment (invented).',
    description:
      'A joint protocol between adult mental health services, police and children’s social care (invented).',
    theme: 'parental-mental-health',
    scope: 'multi-agency',
    owningAgencyId: 'childrens-social-care',
    otherAgencyIds: ['police', 'health'],
    ownerRole: 'Head of safeguarding, children’s social care',
    ownerEmail: 'head.of.safeguarding.demo@example.org',
    ...dueIn(30),
  });
  progress('Turned the immediate learning into two actions; each owner was emailed their link');

  // The first action's owner, through their link (no sign-in), then the team's verification.
  const emails = await client.waitForEmails('the action owner’s link', (email) =>
    email.destination.to.includes('named.nurse.demo@example.org'),
  );
  const token = /\/action\/([A-Za-z0-9_-]{43})/.exec(emails[0]?.body.text ?? '')?.[1];
  if (!token) throw new Error('The action owner’s email holds no link');
  const owner = new PagesClient(client.apiUrl);
  for (const [path, form] of [
    [
      `/action/${token}/progress`,
      { status: 'done', note: 'The record now asks about sleep after every move (invented).' },
    ],
    [
      `/action/${token}/evidence`,
      { evidenceNote: 'An audit of 20 visits after a move found the check made in 19 (invented).' },
    ],
  ] as const) {
    const answer = await owner.request(path, { method: 'POST', form });
    if (answer.status !== 303) throw new Error(`POST ${path} answered ${answer.status}`);
  }
  await pages.submit(first, `${first}/verify`, {});
  progress(
    'The first action’s owner recorded progress and evidence through their link; the team verified it',
  );

  if (review.localReviewId) {
    const local = `/local-reviews/${review.localReviewId}/learning`;
    await learningOf(
      local,
      ['safe-sleep', 'professional-curiosity'],
      [
        {
          text: 'Practitioners accepted the family’s account of where the baby slept without seeing it (invented).',
          theme: 'professional-curiosity',
        },
      ],
    );
    await action(local, {
      recommendation: 'Practitioners see where a baby sleeps (invented).',
      description: 'Multi-agency briefing on professional curiosity about sleeping arrangements (invented).',
      theme: 'professional-curiosity',
      scope: 'multi-agency',
      owningAgencyId: 'health',
      otherAgencyIds: ['childrens-social-care'],
      ownerRole: 'Designated nurse for safeguarding',
      ownerEmail: 'designated.nurse.demo@example.org',
      ...dueIn(120),
    });
    progress('Tagged the local review and turned its report’s recommendation into an action');
  }
  return { actions };
}
