import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, NotFound } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WebService } from '../../../functions/web/page.ts';
import { pages } from '../../../functions/web/pages/index.ts';
import type { SessionUser } from '../../../functions/web/session.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import {
  InMemoryCaseStore,
  SettableClock,
  testProfileWithPartners,
  testS3Client,
  testService,
} from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';
import { signedIn, testWebApp, webEvent } from './support/web-fixtures.ts';

const workflow = { kind: 'system', id: 'rapid-review-workflow' } as const;

const policeDelegate: SessionUser = {
  id: 'user-police-delegate-demo',
  name: 'Police Delegate (demo)',
  email: 'police-delegate@example.org',
  roles: ['safeguarding-partner'],
};
const healthLead: SessionUser = {
  id: 'user-health-lead-demo',
  name: 'Health Lead (demo)',
  email: 'health-lead@example.org',
  roles: ['safeguarding-partner'],
};
const boardChair: SessionUser = {
  id: 'user-board-demo',
  name: 'Board Chair (demo)',
  email: 'board-chair@example.org',
  roles: ['executive-board'],
};

describe('the sign-off pages', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let app: ReturnType<typeof testWebApp>;
  let caseId: string;

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    const s3Client = testS3Client();
    mockClient(s3Client)
      .on(HeadObjectCommand)
      .rejects(new NotFound({ message: 'Not found', $metadata: {} }));
    const base = testService({ store, clock: new SettableClock('2026-03-23T15:30:00Z'), s3: s3Client });
    const service = Object.create(base, {
      profile: { value: testProfileWithPartners },
      mailer: { value: mailer },
    }) as WebService;
    app = testWebApp(pages, { service });
    caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    const created = await store.createCase(record, agencies, {
      actor: workflow,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'r',
    });
    await store.updateCase(
      created,
      {
        status: 'decided',
        decision: {
          commissionLocalReview: false,
          localReviewReason: 'Invented local reason (demo).',
          recommendNationalReview: false,
          nationalReviewReason: 'Invented national reason (demo).',
          decidedAt: '2026-03-20T15:00:00.000Z',
          decidedBy: 'user-chair-demo',
          decidedByName: 'Chair Person (demo)',
        },
      },
      { actor: workflow, at: '2026-03-20T15:00:00.000Z', action: 'decision.recorded', reason: 'r' },
    );
  });

  const post = (path: string, user: SessionUser, form: Record<string, string>) => {
    const browser = signedIn(user);
    return app(
      webEvent({ method: 'POST', path, cookies: browser.cookies, form, csrfToken: browser.csrfToken }),
    );
  };

  it("shows the partner the chair's decision and asks whether their partner agrees", async () => {
    const result = await app(
      webEvent({ path: `/cases/${caseId}/sign-off`, cookies: signedIn(policeDelegate).cookies }),
    );

    expect(result.statusCode).toBe(200);
    const html = String(result.body);
    expect(html).toContain('Chief officer of police');
    expect(html).toContain('Invented local reason (demo).');
    expect(html).toContain('Chair Person (demo)');
    expect(html).toContain(`action="/cases/${caseId}/sign-off/check"`);
    expect(html).toContain('name="agrees"');
    expect(html).not.toContain('user-chair-demo');
  });

  it('asks for reasons when the partner disagrees, then checks the answers before recording', async () => {
    const missing = await post(`/cases/${caseId}/sign-off/check`, policeDelegate, {
      agrees: 'no',
      reasons: '',
    });
    expect(missing.statusCode).toBe(400);
    expect(String(missing.body)).toContain('Enter why your partner does not agree with the decision');
    expect(String(missing.body)).toContain('href="#reasons"');

    const check = await post(`/cases/${caseId}/sign-off/check`, policeDelegate, {
      agrees: 'no',
      reasons: 'Invented reasons (demo).',
    });
    expect(check.statusCode).toBe(200);
    expect(String(check.body)).toContain('Invented reasons (demo).');
    expect(String(check.body)).toContain(`action="/cases/${caseId}/sign-off/confirm"`);
    expect(store.caseOf(caseId)?.signOffs).toBeUndefined();
  });

  it('records the sign-off, emails the Board chair on a disagreement, and redirects to the confirmation', async () => {
    const confirmed = await post(`/cases/${caseId}/sign-off/confirm`, healthLead, {
      agrees: 'no',
      reasons: 'Invented reasons (demo).',
    });

    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers?.location).toBe(`/cases/${caseId}/sign-off/confirmation`);
    expect(store.caseOf(caseId)?.signOffs).toMatchObject([
      { partner: 'health', agrees: false, signedByName: 'Health Lead (demo)' },
    ]);
    expect(mailer.sent.map((email) => email.message.to)).toEqual([['board-chair@example.org']]);
    const page = await app(
      webEvent({ path: `/cases/${caseId}/sign-off/confirmation`, cookies: signedIn(healthLead).cookies }),
    );
    expect(page.statusCode).toBe(200);
    expect(String(page.body)).toContain('Sign-off recorded');
    expect(String(page.body)).toContain('does not agree');

    const again = await app(
      webEvent({ path: `/cases/${caseId}/sign-off`, cookies: signedIn(healthLead).cookies }),
    );
    expect(again.statusCode).toBe(409);
  });

  it('refuses, in words, a partner the profile does not name', async () => {
    const stranger: SessionUser = { ...policeDelegate, email: 'someone@example.org' };
    const result = await app(
      webEvent({ path: `/cases/${caseId}/sign-off`, cookies: signedIn(stranger).cookies }),
    );
    expect(result.statusCode).toBe(403);
    expect(String(result.body)).toContain('You cannot sign off for a partner');
  });

  it('lets the Executive Board chair resolve a disagreement, seeing each sign-off, and the case page says it is complete', async () => {
    const before = await app(
      webEvent({ path: `/cases/${caseId}/sign-offs/resolution`, cookies: signedIn(boardChair).cookies }),
    );
    expect(before.statusCode).toBe(409);

    await post(`/cases/${caseId}/sign-off/confirm`, healthLead, {
      agrees: 'no',
      reasons: 'Invented (demo).',
    });
    const question = await app(
      webEvent({ path: `/cases/${caseId}/sign-offs/resolution`, cookies: signedIn(boardChair).cookies }),
    );
    expect(question.statusCode).toBe(200);
    expect(String(question.body)).toContain('Integrated care board');
    expect(String(question.body)).toContain('Does not agree');

    const invalid = await post(`/cases/${caseId}/sign-offs/resolution/check`, boardChair, {
      outcome: '',
      reasons: '',
    });
    expect(invalid.statusCode).toBe(400);
    expect(String(invalid.body)).toContain(
      'Select whether the decision stands or the Executive Board varies it',
    );

    const confirmed = await post(`/cases/${caseId}/sign-offs/resolution/confirm`, boardChair, {
      outcome: 'decision-stands',
      reasons: 'Invented resolution (demo).',
    });
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers?.location).toBe(`/cases/${caseId}/sign-offs/resolution/confirmation`);
    expect(store.caseOf(caseId)?.signOffResolution).toMatchObject({
      outcome: 'decision-stands',
      resolvedByName: 'Board Chair (demo)',
    });
  });

  it('shows everyone on the case page each partner’s sign-off by name, and whether the decision is complete', async () => {
    const casePage = async (user: SessionUser) =>
      String((await app(webEvent({ path: `/cases/${caseId}`, cookies: signedIn(user).cookies }))).body);

    const before = await casePage(policeDelegate);
    expect(before).toContain(`href="/cases/${caseId}/sign-off"`);
    expect(before).toContain('Not signed off yet');
    expect(before).toContain('The decision is complete when all three safeguarding partners agree.');

    for (const [user, email] of [
      [policeDelegate, 'police-delegate@example.org'],
      [healthLead, 'health-lead@example.org'],
      [{ ...policeDelegate, id: 'user-la-demo', name: 'LA Delegate (demo)' }, 'la-delegate@example.org'],
    ] as const) {
      await post(`/cases/${caseId}/sign-off/confirm`, { ...user, email }, { agrees: 'yes', reasons: '' });
    }
    const after = await casePage(boardChair);

    expect(after).toMatch(/Chief officer of police[\s\S]*?Agrees: Police Delegate \(demo\), /);
    expect(after).toContain('The partners’ decision is complete: all three safeguarding partners agree.');
    const section = /id="sign-offs"[\s\S]*?<h2/.exec(after)?.[0] ?? '';
    expect(section).toContain('Police Delegate (demo)');
    expect(section).not.toContain('user-police-delegate-demo');
    expect(after).not.toContain(`/cases/${caseId}/sign-offs/resolution`);
  });
});
