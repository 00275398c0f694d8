import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { localReviewDraftsPages } from '../../../functions/web/pages/local-review-drafts-pages.ts';
import { createWebApp } from '../../../functions/web/router.ts';
import { csrfFieldName } from '../../../functions/web/session.ts';
import { templateEnvironment } from '../../../functions/web/views.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { commissionLocalReview } from '../../../shared/use-cases/local-review.ts';
import { chaseFactualAccuracyRound } from '../../../shared/use-cases/local-review-drafts.ts';
import { InMemoryLocalReviewDraftsStore } from '../../support/in-memory-local-review-drafts-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { engineeringWordsIn } from '../../support/plain-words.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { InMemoryDocumentStore, RecordingMailer, sampleDecision } from '../workflow/workflow-fakes.ts';
import { signedIn, testSessionSecret, testUser, webEvent } from './support/web-fixtures.ts';

const html = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&quot;', '"');
const summaryLinks = (body: unknown) =>
  [...html(body).matchAll(/<a href="(#[A-Za-z0-9-]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]]);
const PDF = new TextEncoder().encode('%PDF-1.7\n% an invented draft\n');

/** A multipart POST, as a browser sends a file upload form. */
async function multipartEvent(
  path: string,
  browser: { cookies: string[]; csrfToken: string },
  file?: { name: string; bytes: Uint8Array },
) {
  const form = new FormData();
  form.append(csrfFieldName, browser.csrfToken);
  form.append('note', 'First full draft (invented)');
  if (file) {
    form.append(
      'file',
      new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }),
      file.name,
    );
  }
  const request = new Request('http://reviews.example.org/', { method: 'POST', body: form });
  const body = Buffer.from(await request.arrayBuffer());
  const event = webEvent({ method: 'POST', path, cookies: browser.cookies, form: {} });
  return {
    ...event,
    headers: { ...event.headers, 'content-type': request.headers.get('content-type') as string },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}

describe('the pages of a local review’s work in writing (issue 13)', () => {
  let store: InMemoryCaseStore;
  let localReviews: InMemoryLocalReviewStore;
  let localReviewDrafts: InMemoryLocalReviewDraftsStore;
  let mailer: RecordingMailer;
  let clock: SettableClock;
  let app: ReturnType<typeof createWebApp>;
  let reviewId: string;
  let roundChases: string[];
  let service: ReturnType<typeof testService>;
  const team = () => signedIn(testUser('partnership-team'));

  beforeEach(async () => {
    roundChases = [];
    store = new InMemoryCaseStore();
    localReviews = new InMemoryLocalReviewStore();
    localReviewDrafts = new InMemoryLocalReviewDraftsStore(localReviews.audit);
    mailer = new RecordingMailer();
    clock = new SettableClock('2026-03-25T10:00:00Z');
    service = Object.assign(
      testService({
        store,
        clock,
        s3: testS3Client(),
        mailer,
        localReviews,
        localReviewDrafts,
        localReviewWorkflow: { start: async () => 'started' } as never,
        // Each factual-accuracy round's reminders: an execution named by the round.
        factualAccuracyChases: {
          start: async (name: string) => {
            roundChases.push(name);
            return 'started';
          },
        } as never,
      }),
      { documents: new InMemoryDocumentStore() },
    );
    app = createWebApp({
      pages: localReviewDraftsPages,
      service: () => service,
      sessions: { secret: () => testSessionSecret, revocations: () => service.sessions },
      templates: templateEnvironment,
    });
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-02T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    const created = await store.createCase(record, agencies, {
      actor: { kind: 'system', id: 'test' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    await store.updateCase(
      created,
      { status: 'decided', decision: sampleDecision },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-23T15:00:00Z',
        action: 'status.changed',
        reason: 'Invented (test)',
      },
    );
    ({
      review: { reviewId },
    } = await commissionLocalReview(service, { caseId, member: testUser('partnership-team') }));
  });

  const get = (path: string, browser = team()) => app(webEvent({ path, cookies: browser.cookies }));
  const post = (path: string, form: Record<string, string | string[]>, browser = team()) =>
    app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));
  const base = () => `/local-reviews/${reviewId}`;

  /** The review's reviewer recorded, with an invented address the signed-in reviewer shares. */
  async function appointReviewer() {
    await localReviews.updateLocalReview(
      (await localReviews.getLocalReview(reviewId))!,
      {
        reviewer: {
          name: 'Robin Reviewer (invented)',
          organisation: 'Invented Reviews',
          email: 'reviewer.invented@example.org',
          evidence: {
            professionalKnowledge: 'Invented',
            research: 'Invented',
            complexCircumstances: 'Invented',
            withoutHindsight: 'Invented',
            communication: 'Invented',
            conflicts: 'None',
          },
          contractStartsOn: '2026-04-01',
          contractEndsOn: '2026-10-01',
          feePence: 100,
          recordedAt: '2026-03-23T10:00:00Z',
          recordedBy: 'test',
        },
      },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-23T10:00:00Z',
        action: 'local-review.reviewer-appointed',
        reason: 'Invented',
      },
    );
  }

  const reviewerOf = (email: string, id: string) =>
    signedIn({ id, name: 'Robin Reviewer (invented)', email, roles: ['reviewer'] });
  /** The review's own reviewer (signed in with the recorded address, capitalised otherwise) and another reviewer. */
  const reviewer = reviewerOf('Reviewer.Invented@example.org', 'user-reviewer-demo');
  const other = reviewerOf('other.reviewer@example.org', 'user-other-reviewer-demo');

  it('refuses a role that is neither the team nor a reviewer, and a review that does not exist', async () => {
    const member = signedIn(testUser('rrg-member'));

    expect((await get(`${base()}/drafts`, member)).statusCode).toBe(403);
    expect((await get(`/local-reviews/${randomUUID()}/drafts`)).statusCode).toBe(404);
    expect((await get(`${base()}/drafts`)).statusCode).toBe(200);
  });

  it('lets the review’s own reviewer read supervision and record their answers, and no other reviewer', async () => {
    await appointReviewer();
    const asked = await post(`${base()}/supervision/request/confirm`, {
      kind: 'draft',
      request: 'Send the first draft (invented)',
      'askedOn-day': '24',
      'askedOn-month': '3',
      'askedOn-year': '2026',
    });
    expect(asked.statusCode).toBe(303);
    const answer = {
      answer: 'The first draft is attached to my email of today (invented).',
      'answeredOn-day': '25',
      'answeredOn-month': '3',
      'answeredOn-year': '2026',
    };

    const page = await get(`${base()}/supervision`, reviewer);
    expect(page.statusCode).toBe(200);
    expect(html(page.body)).toContain('Send the first draft (invented)');
    expect(html(page.body)).toContain('Record your answer');
    expect(html(page.body)).toContain(`href="${base()}/enquiry"`);
    expect(html(page.body)).not.toContain('Record a request to the reviewer');
    for (const path of ['/supervision', '/supervision/1/answer']) {
      expect((await get(`${base()}${path}`, other)).statusCode, path).toBe(404);
    }
    expect((await post(`${base()}/supervision/1/answer/confirm`, answer, other)).statusCode).toBe(404);
    for (const path of ['/supervision/request', '/learning-events', '/family-plan']) {
      expect((await get(`${base()}${path}`, reviewer)).statusCode, path).toBe(403);
    }
    expect(html((await get(`${base()}/supervision/1/answer`, reviewer)).body)).toContain('Your answer');

    const recorded = await post(`${base()}/supervision/1/answer/confirm`, answer, reviewer);
    expect(recorded.headers?.location).toBe(`${base()}/supervision/1/answer/confirmation`);
    const confirmation = html((await get(`${base()}/supervision/1/answer/confirmation`, reviewer)).body);
    expect(confirmation).toContain('Go to the review’s enquiry');
    expect(confirmation).not.toContain('Go to the local review');
    expect(localReviews.audit.get(reviewId)?.at(-1)).toMatchObject({
      action: 'local-review.reviewer-answered',
      actor: { kind: 'staff', role: 'reviewer', name: 'Robin Reviewer (invented)' },
      reason: 'The reviewer recorded their answer to a request',
    });
    const seen = html((await get(`${base()}/supervision`)).body);
    expect(seen).toContain('Answered on Wednesday 25 March 2026');
    expect(seen).toContain('The first draft is attached to my email of today (invented).');
  });

  it('lets the review’s own reviewer upload and read drafts, named as the uploader, the team emailed once; no other reviewer; the team’s own actions stay the team’s', async () => {
    await appointReviewer();
    const upload = (browser: { cookies: string[]; csrfToken: string }) =>
      multipartEvent(`${base()}/drafts/upload`, browser, { name: 'my-draft.pdf', bytes: PDF });

    // Prepare: another reviewer finds nothing here.
    for (const path of ['/drafts', '/drafts/upload', '/drafts/upload/confirmation']) {
      expect((await get(`${base()}${path}`, other)).statusCode, path).toBe(404);
    }
    expect((await app(await upload(other))).statusCode).toBe(404);
    expect(
      localReviews.audit.get(reviewId)?.some((event) => event.action === 'local-review.draft-uploaded'),
    ).not.toBe(true);

    // Act: the reviewer reads the drafts page, then uploads a draft.
    const before = await get(`${base()}/drafts`, reviewer);
    expect(before.statusCode).toBe(200);
    expect(html(before.body)).toContain('Upload each draft of your report here');
    expect(html(before.body)).toContain(
      'The partnership team has not chosen a version as the final report yet.',
    );
    expect((await get(`${base()}/drafts/upload`, reviewer)).statusCode).toBe(200);
    const uploaded = await app(await upload(reviewer));
    expect(uploaded.headers?.location).toBe(`${base()}/drafts/upload/confirmation`);

    // Assess
    const confirmation = html((await get(`${base()}/drafts/upload/confirmation`, reviewer)).body);
    expect(confirmation).toContain(
      'It is kept as version 1, beside every earlier version. The partnership team has been emailed that it is there.',
    );
    expect(confirmation).toContain(`href="${base()}/enquiry"`);
    expect(confirmation).not.toContain('Go to the local review');
    expect(localReviews.audit.get(reviewId)?.at(-1)).toMatchObject({
      action: 'local-review.draft-uploaded',
      actor: { kind: 'staff', role: 'reviewer', id: 'user-reviewer-demo', name: 'Robin Reviewer (invented)' },
      reason: 'The reviewer uploaded draft version 1',
    });
    const told = mailer.sent.filter((email) => email.key.includes(':ReviewerDraftUploaded:'));
    expect(told.map((email) => email.key)).toEqual([`${reviewId}:ReviewerDraftUploaded:1`]);
    const email = told[0]!.message;
    expect(email.to).toEqual([service.profile.partnershipTeamAddress]);
    expect(email.text).toContain('The reviewer uploaded draft version 1 of local review LCSPR-');
    expect(email.text).toContain(`/local-reviews/${reviewId}/drafts\n`);
    expect(engineeringWordsIn(`${email.subject}\n${email.text}`)).toEqual([]);

    const file = await get(`${base()}/drafts/1/file`, reviewer);
    expect(file.statusCode).toBe(200);
    expect(Buffer.from(String(file.body), 'base64')).toEqual(Buffer.from(PDF));
    expect((await get(`${base()}/drafts/1/file`, other)).statusCode).toBe(404);

    // The team's own actions on a draft: refused to the reviewer, and not offered.
    for (const path of ['/drafts/1/factual-accuracy', '/drafts/1/quality']) {
      expect((await get(`${base()}${path}`, reviewer)).statusCode, path).toBe(403);
    }
    expect((await post(`${base()}/drafts/1/final`, {}, reviewer)).statusCode).toBe(403);
    expect((await post(`${base()}/drafts/1/quality/confirm`, {}, reviewer)).statusCode).toBe(403);
    const item = (met: string) => ({ met, note: 'Invented note' });
    const checklist = Object.fromEntries(
      ['improvementsSummarised', 'systemicReasons', 'recommendationsWhoWhatWhen'].flatMap((key, index) =>
        Object.entries(item(index === 2 ? 'no' : 'yes')).map(([field, value]) => [`${key}.${field}`, value]),
      ),
    );
    expect((await post(`${base()}/drafts/1/quality/confirm`, checklist)).statusCode).toBe(303);
    const page = await get(`${base()}/drafts`, reviewer);
    const drafts = html(page.body);
    expect(drafts).toMatch(
      /Uploaded<\/dt>\s*<dd class="govuk-summary-list__value">[^<]* by Robin Reviewer \(invented\)<\/dd>/,
    );
    expect(drafts).toContain('Not met');
    expect(drafts).toContain(`href="${base()}/drafts/1/file"`);
    expect(drafts).toContain(`href="${base()}/drafts/upload"`);
    expect(drafts).toContain(`href="${base()}/enquiry"`);
    for (const offered of [
      'Send for factual accuracy',
      'Check quality',
      'Choose version',
      '/final"',
      'Back to the local review',
    ]) {
      expect(drafts, offered).not.toContain(offered);
    }
    const teams = html((await get(`${base()}/drafts`)).body);
    expect(teams).toContain('Send for factual accuracy');
    expect(teams).toContain('Choose version 1 as the final report');

    // The team's own upload tells nobody; the reviewer's email is not sent twice.
    expect((await app(await upload(team()))).statusCode).toBe(303);
    expect(localReviews.audit.get(reviewId)?.at(-1)).toMatchObject({
      actor: { role: 'partnership-team' },
      reason: 'Draft version 2 uploaded',
    });
    expect(mailer.sent.filter((sent) => sent.key.includes(':ReviewerDraftUploaded:'))).toHaveLength(1);
  });

  it('records a learning event through question, check your answers and confirmation, and lists it', async () => {
    const answers = {
      'heldOn-day': '20',
      'heldOn-month': '3',
      'heldOn-year': '2026',
      invited: 'Health visitors and school staff (invented)',
      attended: 'Six practitioners (invented)',
    };
    const check = await post(`${base()}/learning-events/add/check`, answers);
    expect(html(check.body)).toContain('Friday 20 March 2026');
    const confirmed = await post(`${base()}/learning-events/add/confirm`, answers);
    expect(confirmed.headers?.location).toBe(`${base()}/learning-events/add/confirmation`);

    const list = await get(`${base()}/learning-events`);
    expect(html(list.body)).toContain('Six practitioners (invented)');
    expect(html(list.body)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('refuses a family member not invited without the reason, naming the field, and keeps the other answers', async () => {
    const refused = await post(`${base()}/family-plan/add/check`, {
      who: 'Father (invented)',
      invited: 'no',
      tookPart: 'no',
    });

    expect(refused.statusCode).toBe(400);
    expect(summaryLinks(refused.body)).toEqual([['#reasonNotInvited', 'Enter why they were not invited']]);
    expect(html(refused.body)).toContain('value="Father (invented)"');
    expect((await localReviewDrafts.getDrafts(reviewId)).family).toEqual([]);

    const answers = {
      who: 'Father (invented)',
      invited: 'no',
      reasonNotInvited: 'A court order prevents contact (invented)',
      tookPart: 'no',
    };
    expect((await post(`${base()}/family-plan/add/confirm`, answers)).statusCode).toBe(303);
    expect(
      (
        await post(`${base()}/family-plan/1/contact/confirm`, {
          'on-day': '24',
          'on-month': '3',
          'on-year': '2026',
          how: 'letter',
          what: 'Letter explaining the review (invented)',
        })
      ).statusCode,
    ).toBe(303);
    const plan = html((await get(`${base()}/family-plan`)).body);
    expect(plan).toContain('A court order prevents contact (invented)');
    expect(plan).toContain('Letter explaining the review (invented)');
  });

  it('shows the milestones tagged and each request to the reviewer with its answer', async () => {
    await post(`${base()}/supervision/request/confirm`, {
      kind: 'draft',
      request: 'Send the first draft (invented)',
      'askedOn-day': '23',
      'askedOn-month': '3',
      'askedOn-year': '2026',
    });
    await post(`${base()}/supervision/1/answer/confirm`, {
      answer: 'By the end of April (invented)',
      'answeredOn-day': '25',
      'answeredOn-month': '3',
      'answeredOn-year': '2026',
    });

    const page = html((await get(`${base()}/supervision`)).body);
    expect(page).toContain('On track');
    expect(page).toContain('Send the first draft (invented)');
    expect(page).toContain('Answered on Wednesday 25 March 2026');
  });

  it('uploads a draft, sends it for factual accuracy, takes an agency’s comments by its link and records the quality check', async () => {
    const noFile = await app(await multipartEvent(`${base()}/drafts/upload`, team()));
    expect(summaryLinks(noFile.body)).toEqual([['#file', 'Select the draft to upload']]);
    const uploaded = await app(
      await multipartEvent(`${base()}/drafts/upload`, team(), { name: 'draft.pdf', bytes: PDF }),
    );
    expect(uploaded.headers?.location).toBe(`${base()}/drafts/upload/confirmation`);
    const file = await get(`${base()}/drafts/1/file`);
    expect(Buffer.from(String(file.body), 'base64')).toEqual(Buffer.from(PDF));

    const sent = await post(`${base()}/drafts/1/factual-accuracy/confirm`, {
      'dueOn-day': '8',
      'dueOn-month': '4',
      'dueOn-year': '2026',
    });
    expect(sent.statusCode).toBe(303);
    expect(roundChases).toEqual([`${reviewId}-round-1`]);
    const email = mailer.sent.find((message) => message.key.includes(':FactualAccuracy:'));
    const token = /\/factual-accuracy\/([A-Za-z0-9_-]{43})/.exec(email?.message.text ?? '')?.[1] ?? '';
    const link = `/factual-accuracy/${token}`;

    const agencyPage = await app(webEvent({ path: link }));
    expect(agencyPage.statusCode).toBe(200);
    expect(html(agencyPage.body)).toContain('Wednesday 8 April 2026');
    expect(html(agencyPage.body)).not.toContain('Sign in');
    const empty = await app(webEvent({ path: link, form: { comments: '' } }));
    expect(summaryLinks(empty.body)).toEqual([['#comments', 'Enter your comments']]);
    const commented = await app(
      webEvent({ path: link, form: { comments: 'Page 3: the visit was on a Tuesday (invented).' } }),
    );
    expect(commented.headers?.location).toBe(`${link}/sent`);
    expect((await app(webEvent({ path: `${link}/draft` }))).statusCode).toBe(200);
    expect((await app(webEvent({ path: `/factual-accuracy/${'x'.repeat(43)}` }))).statusCode).toBe(403);

    const item = (met: string) => ({ met, note: 'Invented note' });
    const checklist = Object.fromEntries(
      ['improvementsSummarised', 'systemicReasons', 'recommendationsWhoWhatWhen'].flatMap((key, index) =>
        Object.entries(item(index === 2 ? 'no' : 'yes')).map(([field, value]) => [`${key}.${field}`, value]),
      ),
    );
    const missing = await post(`${base()}/drafts/1/quality/check`, {
      ...checklist,
      'systemicReasons.met': '',
    });
    expect(summaryLinks(missing.body)).toEqual([
      [
        '#systemicReasons-met',
        'Say whether the draft meets this: the systemic reasons for what happened are analysed',
      ],
    ]);
    expect((await post(`${base()}/drafts/1/quality/confirm`, checklist)).statusCode).toBe(303);
    expect((await post(`${base()}/drafts/1/final`, {})).statusCode).toBe(303);

    const drafts = html((await get(`${base()}/drafts`)).body);
    expect(drafts).toContain('Page 3: the visit was on a Tuesday (invented).');
    expect(drafts).toContain('Awaiting comments');
    expect(drafts).toContain('Not met');
    expect(drafts).toContain('Version 1 is chosen as the final report');
    expect(drafts).not.toContain('Reminded on');

    // The round's workflow reminds the agencies still to comment, the working day before the due day.
    clock.set('2026-04-07T08:00:00Z');
    await chaseFactualAccuracyRound(service, { reviewId, roundNumber: 1 });
    const reminded = html((await get(`${base()}/drafts`)).body);
    expect(reminded).toContain('Reminded on Tuesday 7 April 2026');
    expect(reminded.match(/Reminded on/g)).toHaveLength(
      mailer.sent.filter((message) => message.key.includes(':FactualAccuracyReminder:')).length,
    );

    clock.set('2026-04-10T10:00:00Z');
    const late = html((await get(`${base()}/drafts`)).body);
    expect(late).toContain('No comments, past the due date');
  });
});
