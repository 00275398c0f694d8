import { beforeEach, describe, expect, it } from 'vitest';
import { prgPages } from '../../../functions/web/pages/prg-pages.ts';
import { createWebApp } from '../../../functions/web/router.ts';
import type { SessionUser } from '../../../functions/web/session.ts';
import { templateEnvironment } from '../../../functions/web/views.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { InMemoryPrgReferralStore } from '../../support/in-memory-prg-referral-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import { anonymousBrowser, signedIn, testSessionSecret, testUser, webEvent } from './support/web-fixtures.ts';

class RecordingWorkflow implements ReviewWorkflow {
  readonly started: string[] = [];
  async start(id: string) {
    this.started.push(id);
    return 'started' as const;
  }
  async completeTask() {}
  async resume() {
    return 'started' as const;
  }
  async failTask() {}
  async progress() {
    return { status: 'RUNNING' };
  }
  async failedStep() {
    return undefined;
  }
}

const html = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&#x27;', "'");
const summaryLinks = (body: unknown) =>
  [...html(body).matchAll(/<a href="(#[A-Za-z0-9-]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]]);

const referrerUser: SessionUser = { ...testUser('referrer'), email: 'referrer@example.org' };

/** The referral form as a referrer fills it in: invented throughout. */
const referralForm = {
  agencyName: 'Exampleshire Health Visiting (invented)',
  kind: 'near-miss',
  'child.name': 'Child R (invented)',
  'child.dateOfBirth-day': '1',
  'child.dateOfBirth-month': '6',
  'child.dateOfBirth-year': '2021',
  summary: 'An invented near miss.',
  whyNotNotifiable: 'The child was not seriously harmed (invented).',
  criteria: ['improvements', 'working-together'],
  'relatedReviews.safeguardingAdultReview': '',
  'relatedReviews.domesticHomicideReview': '',
  'relatedReviews.childDeathReview': 'CDR-INVENTED-1',
  'lead.name': 'Strategic Lead (invented)',
  'lead.email': 'strategic.lead@example.org',
};

const decisionForm = {
  'criteria.improvements.met': 'yes',
  'criteria.improvements.reasons': 'Invented: the handover needs to change.',
  'criteria.working-together.met': 'no',
  'criteria.working-together.reasons': 'Invented: the agencies worked together well.',
  outcome: 'lcspr',
  reasons: 'Invented reasons for the decision.',
};

describe('the Practice Review Group pages (issue 13)', () => {
  let referrals: InMemoryPrgReferralStore;
  let localReviews: InMemoryLocalReviewStore;
  let workflow: RecordingWorkflow;
  let mailer: RecordingMailer;
  let app: ReturnType<typeof createWebApp>;

  beforeEach(() => {
    referrals = new InMemoryPrgReferralStore();
    localReviews = new InMemoryLocalReviewStore();
    workflow = new RecordingWorkflow();
    mailer = new RecordingMailer();
    const service = testService({
      store: new InMemoryCaseStore(),
      clock: new SettableClock('2026-03-25T10:00:00Z'),
      s3: testS3Client(),
      mailer,
      localReviews,
      localReviewWorkflow: workflow,
      referrals,
    });
    app = createWebApp({
      pages: prgPages,
      service: () => service,
      sessions: { secret: () => testSessionSecret, revocations: () => service.sessions },
      templates: templateEnvironment,
    });
  });

  const as = (user: SessionUser) => signedIn(user);
  const get = (path: string, browser: { cookies: string[] }) =>
    app(webEvent({ path, cookies: browser.cookies }));
  const post = (
    path: string,
    form: Record<string, string | string[]>,
    browser: { cookies: string[]; csrfToken: string },
  ) => app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));

  async function referred(): Promise<{ referralId: string; token: string }> {
    const sent = await post('/practice-review-group/refer/confirm', referralForm, as(referrerUser));
    expect(sent.statusCode).toBe(303);
    const referralId = /referrals\/([0-9a-f-]{36})\/sent$/.exec(
      String(sent.headers?.location),
    )?.[1] as string;
    const email = mailer.to('strategic.lead@example.org').at(-1);
    const token = /approval\/([A-Za-z0-9_-]{43})/.exec(email?.text ?? '')?.[1] as string;
    return { referralId, token };
  }

  it('asks the referrer the questions, names each field left wrong, then checks the answers', async () => {
    const empty = await post('/practice-review-group/refer/check', {}, as(referrerUser));
    expect(empty.statusCode).toBe(400);
    const links = summaryLinks(empty.body);
    expect(links).toEqual(
      expect.arrayContaining([
        ['#agencyName', 'Enter your agency'],
        ['#kind', 'Choose what kind of case this is'],
        ['#child-name', 'Enter the child’s name'],
        ['#criteria', 'Choose at least one criterion the case may meet'],
        ['#lead-email', 'Enter the strategic lead’s email address'],
      ]),
    );
    expect(html(empty.body)).toContain('<title>Error: ');

    const check = await post('/practice-review-group/refer/check', referralForm, as(referrerUser));
    expect(check.statusCode).toBe(200);
    expect(html(check.body)).toContain('Check your answers');
    expect(html(check.body)).toContain('1 June 2021');
    expect(html(check.body)).toContain('CDR-INVENTED-1');
  });

  it('walks a referral from the referrer to the lead’s link, the group’s decision and the team’s local review', async () => {
    const { referralId, token } = await referred();
    const sent = await get(`/practice-review-group/referrals/${referralId}/sent`, as(referrerUser));
    expect(html(sent.body)).toContain('Referral sent');
    expect(html((await get('/practice-review-group/your-referrals', as(referrerUser))).body)).toContain(
      'Waiting for the strategic lead’s approval',
    );

    // The lead, without an account, by the emailed link: no child's name on the page.
    const lead = anonymousBrowser();
    const approvalPage = await get(`/practice-review-group/approval/${token}`, lead);
    expect(approvalPage.statusCode).toBe(200);
    expect(html(approvalPage.body)).toContain('Approve the referral');
    expect(html(approvalPage.body)).not.toContain('Child R');
    const approved = await post(`/practice-review-group/approval/${token}/approve`, {}, lead);
    expect(approved.headers?.location).toBe(`/practice-review-group/approval/${token}/approved`);
    expect(html((await get(String(approved.headers?.location), lead)).body)).toContain('Referral approved');

    // The group decides.
    const member = as(testUser('prg-member'));
    const referralPage = await get(`/practice-review-group/referrals/${referralId}`, member);
    expect(html(referralPage.body)).toContain('Record the group’s decision');
    expect(html(referralPage.body)).toContain('Child R (invented)');
    const missing = await post(
      `/practice-review-group/referrals/${referralId}/decision/check`,
      { ...decisionForm, 'criteria.working-together.met': '' },
      member,
    );
    expect(summaryLinks(missing.body)).toEqual([
      ['#criteria-working-together-met', 'Say whether the case meets this criterion'],
    ]);
    const decided = await post(
      `/practice-review-group/referrals/${referralId}/decision/confirm`,
      decisionForm,
      member,
    );
    expect(decided.headers?.location).toBe(
      `/practice-review-group/referrals/${referralId}/decision/confirmation`,
    );
    expect(mailer.to('referrer@example.org')).toHaveLength(1);

    // The team commissions the local review.
    const team = as(testUser('partnership-team'));
    const decidedPage = html((await get(`/practice-review-group/referrals/${referralId}`, team)).body);
    expect(decidedPage).toContain('A Local Child Safeguarding Practice Review');
    expect(decidedPage).toContain('Invented reasons for the decision.');
    expect(decidedPage).toContain('Not met');
    const start = await get(`/practice-review-group/referrals/${referralId}/local-review`, team);
    expect(html(start.body)).toContain('Start the local review');
    const confirmed = await post(
      `/practice-review-group/referrals/${referralId}/local-review/confirm`,
      {},
      team,
    );
    expect(confirmed.headers?.location).toBe(
      `/practice-review-group/referrals/${referralId}/local-review/confirmation`,
    );
    const reviewId = await localReviews.findLocalReviewOfReferral(referralId);
    expect(workflow.started).toEqual([reviewId]);
    expect(html((await get(String(confirmed.headers?.location), team)).body)).toContain(
      'Local review started',
    );
    expect(
      (await get(`/practice-review-group/referrals/${referralId}/local-review`, team)).headers?.location,
    ).toBe(`/local-reviews/${reviewId}`);
  });

  it('keeps another referrer’s referral from a referrer, and an unknown link from the lead', async () => {
    const { referralId } = await referred();
    const other = as({ ...testUser('referrer'), id: 'user-another-referrer' });

    expect((await get(`/practice-review-group/referrals/${referralId}`, other)).statusCode).toBe(403);
    expect(
      (await get(`/practice-review-group/approval/${'x'.repeat(43)}`, anonymousBrowser())).statusCode,
    ).toBe(404);
  });

  it('refuses the group’s decision before the lead approves, in words', async () => {
    const { referralId } = await referred();

    const page = await get(
      `/practice-review-group/referrals/${referralId}/decision`,
      as(testUser('prg-member')),
    );

    expect(page.statusCode).toBe(409);
    expect(html(page.body)).toContain('waiting for its agency’s strategic lead to approve it');
  });
});
