import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { localReviewWorkPages } from '../../../functions/web/pages/local-review-work-pages.ts';
import { createWebApp } from '../../../functions/web/router.ts';
import type { SessionUser } from '../../../functions/web/session.ts';
import { templateEnvironment } from '../../../functions/web/views.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import type { LocalReview } from '../../../shared/schemas/local-review.ts';
import { InMemoryLocalReviewEnquiryStore } from '../../support/in-memory-local-review-enquiry-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { aLocalReview } from '../../support/local-review-store-contract.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import { anonymousBrowser, signedIn, testSessionSecret, testUser, webEvent } from './support/web-fixtures.ts';

const html = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&#x27;', "'");
/** Each summary list row's key and value, as text, white space collapsed. */
const summaryRows = (body: string) =>
  [
    ...body.matchAll(
      /<dt class="govuk-summary-list__key">([\s\S]*?)<\/dt>\s*<dd class="govuk-summary-list__value">([\s\S]*?)<\/dd>/g,
    ),
  ].map((match) =>
    match.slice(1, 3).map((part) =>
      (part ?? '')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
const summaryLinks = (body: unknown) =>
  [...html(body).matchAll(/<a href="(#[A-Za-z0-9-]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]]);

/** The chasing port: records each request's chasing started; nothing else is asked of it. */
function chasingThat(started: string[]): ReviewWorkflow {
  return new Proxy({} as ReviewWorkflow, {
    get: (_target, name) =>
      name === 'start'
        ? async (id: string) => {
            started.push(id);
            return 'started';
          }
        : () => {
            throw new Error(`Not used here (${String(name)})`);
          },
  });
}

const team = testUser('partnership-team');
const reviewer: SessionUser = {
  id: 'user-reviewer-demo',
  name: 'Reviewer A (invented)',
  email: 'reviewer@example.org',
  roles: ['reviewer'],
};
const otherReviewer: SessionUser = { ...reviewer, id: 'user-other', email: 'other.reviewer@example.org' };

const reviewerRecord = {
  name: 'Reviewer A (invented)',
  organisation: 'Independent Reviews Ltd (invented)',
  email: 'Reviewer@example.org',
  evidence: {
    professionalKnowledge: 'Invented.',
    research: 'Invented.',
    complexCircumstances: 'Invented.',
    withoutHindsight: 'Invented.',
    communication: 'Invented.',
    conflicts: 'None',
  },
  contractStartsOn: '2026-04-01',
  contractEndsOn: '2026-09-30',
  feePence: 100,
  recordedAt: '2026-03-24T10:00:00Z',
  recordedBy: 'user-team',
};

describe('a local review’s enquiry pages (issue 13)', () => {
  let localReviews: InMemoryLocalReviewStore;
  let localReviewEnquiries: InMemoryLocalReviewEnquiryStore;
  let mailer: RecordingMailer;
  let clock: SettableClock;
  let app: ReturnType<typeof createWebApp>;
  let review: LocalReview;
  let chasesStarted: string[];

  beforeEach(async () => {
    localReviews = new InMemoryLocalReviewStore();
    localReviewEnquiries = new InMemoryLocalReviewEnquiryStore(localReviews.audit);
    mailer = new RecordingMailer();
    clock = new SettableClock('2026-03-25T10:00:00Z');
    chasesStarted = [];
    const service = testService({
      store: new InMemoryCaseStore(),
      clock,
      s3: testS3Client(),
      mailer,
      localReviews,
      localReviewEnquiries,
      informationRequestChases: chasingThat(chasesStarted),
    });
    app = createWebApp({
      pages: localReviewWorkPages,
      service: () => service,
      sessions: { secret: () => testSessionSecret, revocations: () => service.sessions },
      templates: templateEnvironment,
    });
    const commissioned = aLocalReview();
    await localReviews.commissionLocalReview(
      commissioned,
      {
        actor: { kind: 'system', id: 'test' },
        at: commissioned.createdAt,
        action: 'local-review.commissioned',
        reason: 'Invented',
      },
      {
        actor: { kind: 'system', id: 'test' },
        at: commissioned.createdAt,
        action: 'local-review.commissioned',
        reason: 'Invented',
      },
    );
    review = await localReviews.updateLocalReview(
      commissioned,
      { reviewer: reviewerRecord },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-24T10:00:00Z',
        action: 'local-review.reviewer-appointed',
        reason: 'Invented',
      },
    );
  });

  const get = (address: string, user: SessionUser = team) => {
    const [path = '', query] = address.split('?');
    return app(webEvent({ path, ...(query ? { query } : {}), cookies: signedIn(user).cookies }));
  };
  const post = (path: string, form: Record<string, string | string[]>, user: SessionUser = team) => {
    const browser = signedIn(user);
    return app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));
  };
  const agencyGet = (path: string) => app(webEvent({ path, cookies: anonymousBrowser().cookies }));
  const agencyPost = (path: string, form: Record<string, string>) =>
    app(webEvent({ path, cookies: anonymousBrowser().cookies, form }));
  const enquiry = () => `/local-reviews/${review.reviewId}/enquiry`;

  async function sentLink(): Promise<string> {
    const sent = await post(`${enquiry()}/request`, {
      agencyId: 'police',
      contactName: 'Agency Contact (invented)',
      contactEmail: 'agency.contact@example.org',
      asks: 'Your records of the family (invented).',
      'dueOn-day': '24',
      'dueOn-month': '4',
      'dueOn-year': '2026',
    });
    expect(sent.statusCode).toBe(303);
    const link = /https?:\/\/[^/\s]+(\/local-review-agency\/[^\s]+)/.exec(mailer.sent.at(-1)!.message.text);
    return link![1]!;
  }

  it('shows the reviewer only their own reviews, and to any other reviewer the review does not exist', async () => {
    const home = await get('/your-reviews', reviewer);
    const otherHome = await get('/your-reviews', otherReviewer);

    expect(home.statusCode).toBe(200);
    expect(html(home.body)).toContain(`href="${enquiry()}"`);
    expect(html(otherHome.body)).toContain('You have not been appointed to any local review yet');
    const own = await get(enquiry(), reviewer);
    expect(own.statusCode).toBe(200);
    // Where the reviewer reads the partners' requests to them and records their answers.
    expect(html(own.body)).toContain(`href="/local-reviews/${review.reviewId}/supervision"`);
    expect((await get(enquiry(), otherReviewer)).statusCode).toBe(404);
    expect((await get(`${enquiry()}/chronology`, otherReviewer)).statusCode).toBe(404);
    expect((await get(enquiry(), testUser('rrg-chair'))).statusCode).toBe(403);
    expect((await get(`${enquiry()}/request`, reviewer)).statusCode).toBe(403);
    expect((await get('/your-reviews', team)).statusCode).toBe(403);
  });

  it('shows everyone who may open the enquiry the review itself: its target, milestones and terms of reference, in words', async () => {
    const before = html((await get(enquiry(), reviewer)).body);
    review = await localReviews.updateLocalReview(
      review,
      {
        termsOfReference: {
          method: 'A systems approach (invented)',
          periodFrom: '2025-01-06',
          periodTo: '2026-02-27',
          agencyIds: ['police'],
          keyLinesOfEnquiry:
            'How the agencies shared what they knew (invented).\nWho saw the child (invented).',
          familyInvolvementPlan: 'The reviewer meets the mother, with her advocate (invented).',
          recordedAt: '2026-03-24T11:00:00Z',
          recordedBy: 'user-team',
        },
      },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-24T11:00:00Z',
        action: 'local-review.terms-recorded',
        reason: 'Invented',
      },
    );

    const own = await get(enquiry(), reviewer);
    const page = html(own.body);
    const teams = html((await get(enquiry(), team)).body);

    expect(before).toContain('The partnership team has not recorded the terms of reference yet');
    expect(own.statusCode).toBe(200);
    expect(page).toContain('The review is due to be complete by Wednesday 23 September 2026.');
    // The milestones with their tags, as the review's page shows them.
    expect(page).toMatch(/Final report ready<\/th>\s*<td[^>]*>Wednesday 23 September 2026<\/td>/);
    expect(page).toContain('On track');
    expect(page).toContain('Notice to the Panel and the Secretary of State');
    expect(page).toContain('Not yet planned');
    // The terms of reference in a summary list, dates in words and agencies by name.
    expect(summaryRows(page)).toEqual([
      ['Method', 'A systems approach (invented)'],
      ['Period in scope', 'Monday 6 January 2025 to Friday 27 February 2026'],
      ['Agencies taking part', 'Police (invented)'],
      [
        'Key lines of enquiry',
        'How the agencies shared what they knew (invented). Who saw the child (invented).',
      ],
      ['How the family will be involved', 'The reviewer meets the mother, with her advocate (invented).'],
    ]);
    expect(page).not.toContain('The partnership team has not recorded the terms of reference yet');
    expect(page).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(page).not.toContain('police<');
    // Where the reviewer answers the partners and uploads their drafts.
    expect(page).toContain(`href="/local-reviews/${review.reviewId}/supervision"`);
    expect(page).toContain(`href="/local-reviews/${review.reviewId}/drafts"`);
    expect(teams).toContain('A systems approach (invented)');
    expect(teams).toContain(`href="/local-reviews/${review.reviewId}/drafts"`);
  });

  it('records the reviewer’s declaration, naming each missing answer, and shows who has and has not declared', async () => {
    const before = await get(enquiry(), reviewer);
    const refused = await post(`${enquiry()}/declaration`, { hasConflicts: 'yes' }, reviewer);
    const recorded = await post(
      `${enquiry()}/declaration`,
      { hasConflicts: 'no', confidentialityAgreed: 'yes' },
      reviewer,
    );
    const after = await get(`${enquiry()}?done=declaration`, team);

    expect(html(before.body)).toMatch(/Reviewer A \(invented\)[\s\S]*Not yet/);
    expect(refused.statusCode).toBe(400);
    expect(summaryLinks(refused.body)).toEqual([
      ['#confidentialityAgreed', 'Confirm that you will keep what you learn in this review confidential'],
    ]);
    expect(recorded.headers?.location).toBe(`${enquiry()}?done=declaration`);
    expect(html(after.body)).toContain('None declared');
    expect(html(after.body)).toContain('Yes, 10am on Wednesday 25 March 2026');
  });

  it('sends a request for information, refusing a form with nothing in it field by field', async () => {
    const empty = await post(`${enquiry()}/request`, {});
    const link = await sentLink();
    const confirmation = await get(
      `${enquiry()}/request/confirmation?request=${(await localReviewEnquiries.getEnquiry(review.reviewId)).informationRequests[0]!.requestId}`,
    );

    expect(empty.statusCode).toBe(400);
    expect(summaryLinks(empty.body)).toEqual([
      ['#agencyId', 'Choose the agency'],
      ['#contactName', 'Enter the contact’s name'],
      ['#contactEmail', 'Enter an email address in the correct format, like name@example.org'],
      ['#asks', 'Enter what the review asks the agency for'],
      ['#dueOn-day', 'Enter the date the information is due'],
    ]);
    expect(link).toMatch(/^\/local-review-agency\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}$/);
    expect(chasesStarted).toEqual([`${review.reviewId}-request-1`]);
    expect(html(confirmation.body)).toContain('due <strong>Friday 24 April 2026</strong>');
  });

  it('lets the agency declare, then add chronology entries through its link; the reviewer filters and exports them', async () => {
    const link = await sentLink();

    const first = await agencyGet(link);
    const tooSoon = await agencyPost(`${link}/entries`, {
      'occurredOn-day': '1',
      'occurredOn-month': '2',
      'occurredOn-year': '2025',
      whatHappened: 'x',
      source: 'y',
    });
    await agencyPost(`${link}/declaration`, {
      name: 'Agency Contact (invented)',
      hasConflicts: 'no',
      confidentialityAgreed: 'yes',
    });
    const bad = await agencyPost(`${link}/entries`, {
      'occurredOn-day': '31',
      'occurredOn-month': '2',
      'occurredOn-year': '2025',
    });
    for (const [day, month, what] of [
      ['1', '6', 'Home visit (invented)'],
      ['3', '2', 'Referral received (invented)'],
    ] as const) {
      const added = await agencyPost(`${link}/entries`, {
        'occurredOn-day': day,
        'occurredOn-month': month,
        'occurredOn-year': '2025',
        whatHappened: what,
        source: 'Case note (invented)',
      });
      expect(added.statusCode).toBe(303);
    }
    const all = await get(`${enquiry()}/chronology`, reviewer);
    const filtered = await get(
      `${enquiry()}/chronology?agency=police&from-day=1&from-month=3&from-year=2025&to-day=&to-month=&to-year=`,
      reviewer,
    );
    const wrongFilter = await get(
      `${enquiry()}/chronology?from-day=40&from-month=3&from-year=2025`,
      reviewer,
    );
    const csv = await get(`${enquiry()}/chronology.csv?agency=police`, reviewer);
    const pdf = await get(`${enquiry()}/chronology.pdf`, reviewer);

    expect(first.statusCode).toBe(200);
    expect(html(first.body)).toContain('First, your declaration');
    expect(tooSoon.statusCode).toBe(409);
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad.body).map(([href]) => href)).toEqual([
      '#occurredOn-day',
      '#whatHappened',
      '#source',
    ]);
    expect(html(all.body).indexOf('Referral received')).toBeLessThan(html(all.body).indexOf('Home visit'));
    expect(html(filtered.body)).toContain('Home visit');
    expect(html(filtered.body)).not.toContain('Referral received');
    expect(html(filtered.body)).toContain('from 1 March 2025');
    expect(wrongFilter.statusCode).toBe(400);
    expect(String(csv.body)).toBe(
      '\uFEFFDate,Agency,What happened,Source\r\n3 February 2025,Police (invented),Referral received (invented),Case note (invented)\r\n1 June 2025,Police (invented),Home visit (invented),Case note (invented)\r\n',
    );
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(Buffer.from(String(pdf.body), 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('escalates the agency’s refusal to the safeguarding partners, and its replaced or expired link stops working', async () => {
    const link = await sentLink();

    const noReason = await agencyPost(`${link}/refuse`, { reason: '' });
    const refused = await agencyPost(`${link}/refuse`, { reason: 'Held by another body (invented).' });
    const requestId = (await localReviewEnquiries.getEnquiry(review.reviewId)).informationRequests[0]!
      .requestId;
    const replaced = await post(`${enquiry()}/requests/${requestId}/new-link`, {});
    const newLink = /(\/local-review-agency\/[^\s]+)/.exec(mailer.sent.at(-1)!.message.text)![1]!;
    const old = await agencyGet(link);
    clock.set('2026-07-01T09:00:00Z');
    const expired = await agencyGet(newLink);

    expect(noReason.statusCode).toBe(400);
    expect(refused.statusCode).toBe(200);
    expect(html(refused.body)).toContain('Your answer has been sent');
    expect(mailer.sent.some((email) => email.key.includes(':InformationRefused:'))).toBe(true);
    expect(replaced.headers?.location).toBe(`${enquiry()}?done=new-link`);
    expect(old.statusCode).toBe(404);
    expect(expired.statusCode).toBe(410);
    expect(html(expired.body)).toContain('This link has expired');
  });

  it('names no review to a link that is not one', async () => {
    expect((await agencyGet(`/local-review-agency/${randomUUID()}/${'a'.repeat(43)}`)).statusCode).toBe(404);
    expect((await agencyGet(`/local-review-agency/${review.reviewId}/short`)).statusCode).toBe(404);
  });
});
