import { dateToParts } from '../../functions/web/pages/notify/answers.ts';
import { CalendarDate } from '../../shared/calendar/dates.ts';
import { type CommissionedDemoReview, demoClock, referenceOf } from './local-review.ts';
import { PagesClient } from './pages-client.ts';
import type { ReviewClient } from './review-client.ts';

/**
 * `npm run demo -- --referral`'s first half (issue 13, the Practice Review Group's way in): an
 * agency's contact refers a case that was not notifiable, the agency's strategic lead approves
 * it by the link in their email, the group decides against each criterion that it should lead to
 * a Local Child Safeguarding Practice Review, and the partnership team commissions the review
 * from the referral. All through the pages, in virtual time; then local/demo/local-review.ts
 * walks the review as it walks one from a Rapid Review.
 */

/** The referring agency (invented), which the partnership directory lists with its contact. */
export const referringAgency = {
  name: 'Health Visiting (invented)',
  contact: { name: 'Hollis Health Visitor (invented)', email: 'health.visiting@example.org' },
  lead: { name: 'Harley Health Visiting Lead (invented)', email: 'lead.health-visiting@example.org' },
};

export async function commissionDemoLocalReviewFromReferral(
  client: ReviewClient,
  progress: (message: string) => void = () => {},
): Promise<CommissionedDemoReview> {
  const { today, advanceTo, saying } = demoClock(client);
  const say = saying(progress);
  const moveOn = async (days: number) =>
    advanceTo(new Date(`${CalendarDate.from(await today()).add({ days })}T10:00:00Z`));

  // The partnership directory knows the agency and its contact, who is sent the review's links.
  const team = new PagesClient(client.apiUrl);
  await team.signIn('partnership-team');
  if (!(await team.request('/directory')).html.includes(referringAgency.name)) {
    await team.submit('/directory/add', '/directory/add/confirm', {
      name: referringAgency.name,
      contactName: referringAgency.contact.name,
      contactEmail: referringAgency.contact.email,
      leadName: referringAgency.lead.name,
      leadEmail: referringAgency.lead.email,
    });
    await say(
      `The partnership team added ${referringAgency.name} and its contact to the partnership directory`,
    );
  }

  // The referrer, an agency's contact, refers a near miss that was not notifiable.
  const referrer = new PagesClient(client.apiUrl);
  await referrer.signIn('referrer');
  const sent = await referrer.submit('/practice-review-group/refer', '/practice-review-group/refer/confirm', {
    agencyName: referringAgency.name,
    kind: 'near-miss',
    'child.name': 'Child R (invented)',
    ...dateToParts('child.dateOfBirth', '2023-06-01'),
    summary: 'Invented demo summary: a referral about a baby’s bruising was almost lost between two teams.',
    whyNotNotifiable: 'Invented: the child was not seriously harmed.',
    criteria: ['improvements', 'working-together'],
    'relatedReviews.safeguardingAdultReview': '',
    'relatedReviews.domesticHomicideReview': '',
    'relatedReviews.childDeathReview': '',
    'lead.name': referringAgency.lead.name,
    'lead.email': referringAgency.lead.email,
  });
  const referralId = /\/referrals\/([0-9a-f-]{36})\//.exec(sent)?.[1];
  if (!referralId) throw new Error('The referral was not made');
  const referralPath = `/practice-review-group/referrals/${referralId}`;
  const prgReference = /PRG-[0-9]{4}-[0-9A-F]+/.exec((await referrer.request(referralPath)).html)?.[0] ?? '';
  const [approvalEmail] = await client.waitForEmails(
    'the strategic lead asked to approve',
    (email) =>
      email.destination.to.includes(referringAgency.lead.email) &&
      /\/approval\/[A-Za-z0-9_-]{43}/.test(email.body.text ?? ''),
  );
  await say(
    `${referringAgency.name} referred a near miss to the Practice Review Group (${prgReference}); its strategic lead was emailed a link to approve it`,
  );

  // The strategic lead, with no account, approves it by the link.
  await moveOn(1);
  const link = /https?:\/\/\S+?(\/practice-review-group\/approval\/[A-Za-z0-9_-]{43})/.exec(
    approvalEmail?.body.text ?? '',
  )?.[1];
  if (!link) throw new Error('No approval link in the strategic lead’s email');
  await new PagesClient(client.apiUrl).submit(link, `${link}/approve`, {});
  await say(
    'The strategic lead approved the referral through the link in their email; the group was emailed',
  );

  // The group meets a week later and decides, against each criterion, on a local review.
  await moveOn(7);
  const group = new PagesClient(client.apiUrl);
  await group.signIn('prg-member');
  await group.submit(`${referralPath}/decision`, `${referralPath}/decision/confirm`, {
    'criteria.improvements.met': 'yes',
    'criteria.improvements.reasons': 'Invented: how referrals pass between teams needs to change.',
    'criteria.working-together.met': 'yes',
    'criteria.working-together.reasons':
      'Invented: health visiting and social care each thought the other had it.',
    outcome: 'lcspr',
    reasons: 'Invented: a local review would help every agency learn from the near miss.',
  });
  await client.waitForEmails(
    'the referrer told of the decision',
    (email) =>
      email.destination.to.includes('referrer@example.org') &&
      email.subject.includes(`${prgReference}: the Practice Review Group`),
  );
  const decidedOn = await today();
  await say(
    'The Practice Review Group decided, against both criteria, on a local review; the referrer and the partners were emailed',
  );

  // The partnership team commissions the review from the referral.
  await moveOn(1);
  await team.submit(`${referralPath}/local-review`, `${referralPath}/local-review/confirm`, {});
  const opened = await team.request(`${referralPath}/local-review`);
  const reviewId = /\/local-reviews\/([0-9a-f-]{36})/.exec(opened.location)?.[1];
  if (!reviewId) throw new Error('The local review was not started from the referral');
  const reference = await referenceOf(team, reviewId);
  await client.waitForEmails('the Panel told of the local review', (email) =>
    email.subject.startsWith(`${reference}: local review commissioned`),
  );
  await say(
    `The partnership team started local review ${reference} from the referral; the Panel was emailed`,
  );
  return {
    reviewId,
    reference,
    decidedOn,
    askedAgency: {
      name: referringAgency.name,
      contactName: referringAgency.contact.name,
      contactEmail: referringAgency.contact.email,
    },
  };
}
