import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

const workflow = { kind: 'system', id: 'rapid-review-workflow' } as const;

const answers = {
  commissionLocalReview: 'yes',
  localReviewReason: 'Invented reason: learning about information sharing <between> agencies (demo).',
  recommendNationalReview: 'no',
  nationalReviewReason: 'Invented reason: the issues are local (demo).',
};

describe('the decision pages', () => {
  let store: InMemoryCaseStore;
  let app: ReturnType<typeof testWebApp>;
  let caseId: string;
  const chair = () => signedIn(testUser('rrg-chair'));

  async function aCaseWithStatus(status: CaseStatus) {
    const id = randomUUID();
    const { record, agencies } = openCase({
      caseId: id,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${id}/notification.json`,
    });
    const created = await store.createCase(record, agencies, {
      actor: workflow,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    await store.updateCase(
      created,
      { status },
      {
        actor: workflow,
        at: '2026-03-19T09:00:00.000Z',
        action: 'papers.distributed',
        reason: 'Day 12',
      },
    );
    return id;
  }

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    const service = testService({
      store,
      clock: new SettableClock('2026-03-23T15:30:00Z'),
      s3: testS3Client(),
      mailer: new RecordingMailer(),
    });
    app = testWebApp(pages, { service });
    caseId = await aCaseWithStatus('awaiting-decision');
  });

  it('asks the chair both questions, each with its reason, in a form protected against forgery', async () => {
    // Prepare
    const browser = chair();

    // Act
    const result = await app(webEvent({ path: `/cases/${caseId}/decision`, cookies: browser.cookies }));

    // Assess
    expect(result.statusCode).toBe(200);
    const html = String(result.body);
    expect(html).toContain(`action="/cases/${caseId}/decision/check"`);
    expect(html).toContain('name="commissionLocalReview"');
    expect(html).toContain('name="recommendNationalReview"');
    expect(html).toContain('id="local-review-reason"');
    expect(html).toContain('id="national-review-reason"');
    expect(html).toContain(`value="${browser.csrfToken}"`);
  });

  describe('the words on the question page', () => {
    async function questionPage(): Promise<string> {
      const result = await app(webEvent({ path: `/cases/${caseId}/decision`, cookies: chair().cookies }));
      expect(result.statusCode).toBe(200);
      return String(result.body).replaceAll('&#39;', "'");
    }

    it('quotes regulation 11 word for word, with its paragraph letters, and cites it', async () => {
      // Act
      const html = await questionPage();

      // Assess: the words of SI 2018/789 reg. 11 as made, typed here from legislation.gov.uk.
      const quoted = html.match(/<blockquote[^>]*>([\s\S]*?)<\/blockquote>/)?.[1] ?? '';
      const text = quoted
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      expect(text).toBe(
        [
          'The criteria to be taken into account by the safeguarding partners for the purpose of section 16F(1) of the Act include whether the case in question—',
          '(a) highlights or may highlight improvements needed to safeguard and promote the welfare of children, including where those improvements have been previously identified;',
          '(b) highlights or may highlight recurrent themes in the safeguarding and promotion of the welfare of children;',
          '(c) highlights or may highlight concerns regarding two or more agencies working together effectively to safeguard and promote the welfare of children;',
          '(d) is one which the Child Safeguarding Practice Review Panel have considered and concluded a local review may be more appropriate.',
        ].join(' '),
      );
      expect(html).toContain(
        'Regulation 11, The Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018</a>',
      );
      expect(html).toContain('href="https://www.legislation.gov.uk/uksi/2018/789/regulation/11/made"');
    });

    it('names the edition of Working Together the have-regard-to list comes from, and says it is a summary', async () => {
      // Act
      const html = await questionPage();

      // Assess
      expect(html).toContain('Working Together to Safeguard Children 2023, chapter 5</a>');
      expect(html).toMatch(/In summary \(this is not a quotation: read the guidance for its exact words\)/);
      expect(html).toMatch(
        /<li>more than one local authority, police area or integrated care board is involved[^<]*<\/li>/,
      );
      expect(html).not.toMatch(/Working Together to Safeguard Children 20(18|15)/);
    });

    it('says whose decision it is in the 2023 names, never a clinical commissioning group', async () => {
      // Act
      const html = await questionPage();

      // Assess
      expect(html).toContain(
        'the safeguarding partners (the local authority, the chief officer of police and the integrated care board)',
      );
      expect(html).toContain('lead safeguarding partner');
      expect(html).toContain('delegated safeguarding partner');
      expect(html).not.toMatch(/clinical commissioning|\bCCGs?\b/i);
    });

    it('shows when the review is due and says the 15 working days are the Panel’s expectation, not a statute', async () => {
      // Act
      const html = await questionPage();

      // Assess: the invented case was notified to the Panel on Wednesday 4 March 2026, the day the partnership heard.
      const due = html.match(/<div class="govuk-inset-text" id="when-due">([\s\S]*?)<\/div>/)?.[1] ?? '';
      expect(due).toContain('The Panel expects this rapid review by Wednesday 25 March 2026.');
      expect(due).toContain(
        "The 15 working days are the Panel's expectation, not a statute. Days 1 to 15 are the partnership's own plan for meeting it.",
      );
      expect(html).not.toMatch(/statutory/i);
    });
  });

  it('names every missing answer in the error summary, each linking to its field', async () => {
    // Prepare
    const browser = chair();

    // Act
    const result = await app(
      webEvent({
        path: `/cases/${caseId}/decision/check`,
        cookies: browser.cookies,
        csrfToken: browser.csrfToken,
        form: { localReviewReason: '   ' },
      }),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    const html = String(result.body);
    expect(html).toContain('<title>Error: Record the Rapid Review Group’s decision');
    const links = [...html.matchAll(/<a href="(#[a-z-]+)">([^<]+)<\/a>/g)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(links).toEqual([
      [
        '#commission-local-review',
        'Select yes if the group commissions a local child safeguarding practice review',
      ],
      ['#local-review-reason', 'Enter the reason for the decision on a local review'],
      ['#recommend-national-review', 'Select yes if the group recommends a national review to the Panel'],
      ['#national-review-reason', 'Enter the reason for the recommendation on a national review'],
    ]);
    expect(html).toContain('id="commission-local-review"');
  });

  it('keeps line breaks in a reason but names a control character in one', async () => {
    // Prepare
    const browser = chair();

    // Act
    const result = await app(
      webEvent({
        path: `/cases/${caseId}/decision/check`,
        cookies: browser.cookies,
        csrfToken: browser.csrfToken,
        form: {
          commissionLocalReview: 'yes',
          localReviewReason: 'First line.\r\nSecond line.',
          recommendNationalReview: 'no',
          nationalReviewReason: 'Reason\u0007',
        },
      }),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    const links = [...String(result.body).matchAll(/<a href="(#[a-z-]+)">([^<]+)<\/a>/g)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(links).toEqual([
      [
        '#national-review-reason',
        'The reason for the recommendation on a national review must not contain control characters',
      ],
    ]);
  });

  it('shows the answers to check, carried in hidden fields, and stores nothing yet', async () => {
    // Prepare
    const browser = chair();

    // Act
    const result = await app(
      webEvent({
        path: `/cases/${caseId}/decision/check`,
        cookies: browser.cookies,
        csrfToken: browser.csrfToken,
        form: answers,
      }),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    const html = String(result.body);
    expect(html).toContain('Check the decision before you record it');
    expect(html).toContain('learning about information sharing &lt;between&gt; agencies');
    expect(html).toContain(`action="/cases/${caseId}/decision/confirm"`);
    expect(html).toContain('<input type="hidden" name="commissionLocalReview" value="yes">');
    expect((await store.getCase(caseId))?.decision).toBeUndefined();
  });

  it('records the decision through the same logic as the API and confirms it', async () => {
    // Prepare
    const browser = chair();

    // Act
    const confirmed = await app(
      webEvent({
        path: `/cases/${caseId}/decision/confirm`,
        cookies: browser.cookies,
        csrfToken: browser.csrfToken,
        form: answers,
      }),
    );
    const confirmation = await app(
      webEvent({ path: `/cases/${caseId}/decision/confirmation`, cookies: browser.cookies }),
    );

    // Assess
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers?.location).toBe(`/cases/${caseId}/decision/confirmation`);
    const saved = await store.getCase(caseId);
    expect(saved?.status).toBe('decided');
    expect(saved?.decision).toMatchObject({
      commissionLocalReview: true,
      recommendNationalReview: false,
      decidedBy: testUser('rrg-chair').id,
      decidedByName: testUser('rrg-chair').name,
      decidedAt: '2026-03-23T15:30:00.000Z',
    });
    const html = String(confirmation.body);
    expect(html).toMatch(/govuk-panel__title">\s*Decision recorded/);
    expect(html).toContain('What happens next');
    expect(html).toContain('panel@example.org');
  });

  it('refuses a second decision with a clear page', async () => {
    // Prepare
    const browser = chair();
    const form = {
      path: `/cases/${caseId}/decision/confirm`,
      cookies: browser.cookies,
      csrfToken: browser.csrfToken,
      form: answers,
    };
    await app(webEvent(form));

    // Act
    const again = await app(webEvent(form));
    const question = await app(webEvent({ path: `/cases/${caseId}/decision`, cookies: browser.cookies }));

    // Assess
    expect(again.statusCode).toBe(409);
    expect(String(again.body)).toMatch(/<h1 class="govuk-heading-l">Already decided<\/h1>/);
    expect(String(again.body)).toContain('It cannot be recorded again.');
    expect(question.statusCode).toBe(409);
  });

  it('tells the chair when the case is not waiting for a decision', async () => {
    // Prepare
    const early = await aCaseWithStatus('awaiting-summaries');

    // Act
    const result = await app(webEvent({ path: `/cases/${early}/decision`, cookies: chair().cookies }));

    // Assess
    expect(result.statusCode).toBe(409);
    expect(String(result.body)).toContain('Not awaiting a decision');
  });

  it('answers the change button with the question page holding the answers given', async () => {
    // Prepare
    const browser = chair();

    // Act
    const result = await app(
      webEvent({
        path: `/cases/${caseId}/decision`,
        cookies: browser.cookies,
        csrfToken: browser.csrfToken,
        form: answers,
      }),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(String(result.body)).toMatch(/value="yes" checked/);
    expect(String(result.body)).toContain('the issues are local (demo).</textarea>');
  });

  describe('for anyone but the chair', () => {
    const paths = [
      ['GET', '/decision'],
      ['POST', '/decision'],
      ['POST', '/decision/check'],
      ['POST', '/decision/confirm'],
      ['GET', '/decision/confirmation'],
    ] as const;
    const roles = ['notifier', 'partnership-team', 'rrg-member', 'scrutineer'] as const;

    it.for(roles.flatMap((role) => paths.map(([method, path]) => [role, method, path] as const)))(
      'refuses the %s on %s /cases/{caseId}%s with 403 and records nothing',
      async ([role, method, path]) => {
        // Prepare
        const browser = signedIn(testUser(role));

        // Act
        const result = await app(
          webEvent({
            method,
            path: `/cases/${caseId}${path}`,
            cookies: browser.cookies,
            ...(method === 'POST' ? { csrfToken: browser.csrfToken, form: answers } : {}),
          }),
        );

        // Assess
        expect(result.statusCode).toBe(403);
        expect((await store.getCase(caseId))?.decision).toBeUndefined();
      },
    );
  });
});
