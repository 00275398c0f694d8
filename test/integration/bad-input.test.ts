import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFieldName } from '../../functions/web/session.ts';
import { auditTableNameFor } from '../../local/case-table.ts';
import { agencyLinkIn, ReviewClient } from '../../local/demo/review-client.ts';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { type LocalStack, localResourceNames, startLocalStack } from '../../local/stack.ts';
import { DocumentStore } from '../../shared/adapters/documents.ts';
import { DynamoDbCaseStore } from '../../shared/stores/case-store.ts';
import { sweepOrphanNotifications } from '../../shared/use-cases/sweep-orphans.ts';
import { sharedDynamoDbEndpoint } from '../support/dynamodb.ts';

/**
 * Bad input, as a clumsy user or a careful attacker would send it, over real HTTP to the local
 * stack: every API route of shared/routes.ts and the main pages. Nothing may answer 5xx (or
 * drop the connection), and a 400 problem names the field at fault.
 */

/** Today on the stack's clock is Wednesday 4 March 2026. */
const start = new Date('2026-03-04T10:00:00.000Z');
const CASE_ID = '5d0c3a8e-0000-4000-8000-00000000abcd';

interface Answer {
  status: number;
  contentType: string | null;
  location: string | null;
  text: string;
  json: { errors?: { field: string; message: string }[] } | undefined;
  cookies: string[];
}

/** One bad request: what it sends, and the field a 400 must name (when it must be a 400). */
interface BadRequest {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  role?: string;
  /** Sent as it is: not necessarily JSON. */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** The answer must be a 400 problem naming a field that matches. */
  field?: string | RegExp;
}

const json = (value: unknown) => JSON.stringify(value);
const notification = sampleNotification();
const withIncident = (incident: Record<string, unknown>) =>
  json({ ...notification, incident: { ...notification.incident, ...incident } });

/** The bodies every JSON route is sent, with the field each must be refused for. */
/** A valid involvement return (invented), for the corpus to spoil one field of. */
const involvementReturn = {
  kind: 'involvement',
  involvedFrom: '2025-09-01',
  rolesInvolved: 'Response officer (test)',
  summary: 'Two call-outs (test).',
  episodes: [
    { date: '2025-10-02', whatHappened: 'A call-out (test).', decidedAndWhy: 'No further action (test).' },
  ],
  immediateActions: 'A review of referrals (test).',
  earlyLearning: 'Voice of the child (test).',
};

const malformedBodies: { name: string; body: string; contentType?: string; field: string | RegExp }[] = [
  { name: 'a truncated JSON body', body: '{"notifyingLocalAuthority":', field: '(body)' },
  { name: 'a JSON null', body: 'null', field: '(body)' },
  { name: 'a JSON array', body: '[]', field: '(body)' },
  { name: 'a JSON string', body: '"a string"', field: '(body)' },
  { name: 'a JSON number', body: '42', field: '(body)' },
  { name: 'JSON nested 100,000 deep', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, field: '(body)' },
  {
    name: 'bytes that are not UTF-8',
    body: '\u00ff\u00fe{',
    contentType: 'application/octet-stream',
    field: '(body)',
  },
];

describe('bad input over HTTP to the local stack', () => {
  let stack: LocalStack;
  let dataDirectory: string;
  let client: ReviewClient;
  let agencyLink: string;
  const tokens = new Map<string, string>();
  const documents = () =>
    new DocumentStore(
      new S3Client({ ...localClientConfig(stack.s3Endpoint), forcePathStyle: true }),
      localResourceNames.documentBucket,
    );

  async function send(request: Omit<BadRequest, 'name' | 'field'>, cookies: string[] = []): Promise<Answer> {
    const headers: Record<string, string> = { ...request.headers };
    if (request.role) headers.authorization = `Bearer ${tokens.get(request.role)}`;
    if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
    if (cookies.length) headers.cookie = cookies.join('; ');
    const response = await fetch(`${stack.apiUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.body,
      redirect: 'manual',
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    return {
      status: response.status,
      contentType,
      location: response.headers.get('location'),
      text,
      json: contentType?.includes('json') && text ? JSON.parse(text) : undefined,
      cookies: response.headers.getSetCookie().map((cookie) => cookie.split(';')[0] as string),
    };
  }

  function expectRefusedWell(answer: Answer, request: Pick<BadRequest, 'name' | 'field'>) {
    expect(answer.status, `${request.name}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
    if (answer.status === 400 && answer.contentType === 'application/problem+json') {
      expect(answer.json?.errors?.length, `${request.name} names no field`).toBeGreaterThan(0);
    }
    if (request.field !== undefined) {
      expect(answer.status, `${request.name}: ${answer.text.slice(0, 300)}`).toBe(400);
      expect(answer.contentType).toBe('application/problem+json');
      const fields = (answer.json?.errors ?? []).map((error) => error.field);
      expect(fields, request.name).toContainEqual(
        typeof request.field === 'string' ? request.field : expect.stringMatching(request.field),
      );
    }
  }

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'bad-input-'));
    stack = await startLocalStack({
      dataDirectory,
      speed: 0,
      start,
      retryIntervalScale: 0,
      quiet: true,
      existingDynamoDb: { endpoint: sharedDynamoDbEndpoint() },
    });
    client = new ReviewClient(stack);
    for (const role of ['notifier', 'partnership-team', 'rrg-chair'])
      tokens.set(role, await client.token(role));
    // One real case, for an agency's capability link to send bad uploads to.
    await client.submitNotification(notification, 'bad-input-corpus-1');
    await client.settle();
    const [request] = await client.waitForEmails('an agency request', (email) =>
      /agency\//.test(email.body.text ?? ''),
    );
    agencyLink = new URL(agencyLinkIn(request!)).pathname;
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  });

  describe('POST /api/notifications', () => {
    const cases: BadRequest[] = [
      ...malformedBodies.map((bad) => ({
        ...bad,
        method: 'POST' as const,
        path: '/api/notifications',
        role: 'notifier',
      })),
      ...(
        [
          [
            'a number for a name',
            json({ ...notification, notifyingLocalAuthority: 42 }),
            'notifyingLocalAuthority',
          ],
          ['a string for the children', json({ ...notification, children: 'three' }), 'children'],
          ['an array for the incident', json({ ...notification, incident: [] }), 'incident'],
          [
            'a name of a million characters',
            json({ ...notification, notifyingLocalAuthority: 'x'.repeat(1_000_000) }),
            'notifyingLocalAuthority',
          ],
          [
            'an email address of 10,000 characters',
            json({
              ...notification,
              notifier: { ...notification.notifier, email: `${'a'.repeat(9988)}@example.org` },
            }),
            'notifier.email',
          ],
          [
            'a NUL in an agency name',
            json({ ...notification, agencies: [{ ...notification.agencies[0], name: 'Pol\u0000ice' }] }),
            'agencies.0.name',
          ],
          [
            'an escape and a bell in the notifier’s name',
            json({ ...notification, notifier: { ...notification.notifier, name: 'Demo\u001b[2J\u0007' } }),
            'notifier.name',
          ],
          [
            'an agency id that names no agency of the partnership directory',
            json({
              ...notification,
              agencies: [{ ...notification.agencies[0], agencyId: 'no-such-agency' }],
            }),
            'agencies.0.agencyId',
          ],
          [
            'an agency id that is no id (a path, capitals)',
            json({ ...notification, agencies: [{ ...notification.agencies[0], agencyId: '../Police' }] }),
            'agencies.0.agencyId',
          ],
          [
            'a Bcc header injected in an agency name',
            json({
              ...notification,
              agencies: [{ ...notification.agencies[0], name: 'Police\r\nBcc: someone@example.org' }],
            }),
            'agencies.0.name',
          ],
          [
            'a line break in the Panel reference',
            withIncident({ panelReference: 'PANEL\r\nSubject: injected' }),
            'incident.panelReference',
          ],
          ['an incident in 1900', withIncident({ occurredOn: '1900-01-01' }), 'incident.occurredOn'],
          [
            'an incident the day before the calendar begins',
            withIncident({ occurredOn: '2009-12-31' }),
            'incident.occurredOn',
          ],
          [
            'an incident in 2099',
            withIncident({
              occurredOn: '2099-01-01',
              localAuthorityAwareOn: '2099-01-01',
              panelNotifiedOn: '2099-01-01',
            }),
            'incident.occurredOn',
          ],
          [
            'an incident 60 days ahead',
            withIncident({
              occurredOn: '2026-05-03',
              localAuthorityAwareOn: '2026-05-03',
              panelNotifiedOn: '2026-05-03',
            }),
            'incident.occurredOn',
          ],
          ['30 February', withIncident({ occurredOn: '2026-02-30' }), 'incident.occurredOn'],
          ['a thirteenth month', withIncident({ occurredOn: '2026-13-01' }), 'incident.occurredOn'],
          ['a five-digit year', withIncident({ occurredOn: '+02026-01-01' }), 'incident.occurredOn'],
          [
            'a child born next year',
            json({ ...notification, children: [{ ...notification.children[0], dateOfBirth: '2027-01-01' }] }),
            'children.0.dateOfBirth',
          ],
          [
            'a child born after the incident',
            json({ ...notification, children: [{ ...notification.children[0], dateOfBirth: '2026-03-03' }] }),
            'children.0.dateOfBirth',
          ],
          [
            'an ethnicity code that is no 2021 census category',
            json({
              ...notification,
              children: [{ ...notification.children[0], ethnicity: { code: 'martian' } }],
            }),
            'children.0.ethnicity.code',
          ],
          [
            'an ethnicity as free text',
            json({
              ...notification,
              children: [{ ...notification.children[0], ethnicity: 'Not recorded (demo)' }],
            }),
            'children.0.ethnicity',
          ],
          [
            'a child protection plan that is not one of the answers',
            json({
              ...notification,
              children: [{ ...notification.children[0], childProtectionPlan: 'sometimes' }],
            }),
            'children.0.childProtectionPlan',
          ],
        ] as const
      ).map(([name, body, field]) => ({
        name,
        method: 'POST' as const,
        path: '/api/notifications',
        role: 'notifier',
        body,
        field,
      })),
      {
        name: 'an Idempotency-Key with spaces',
        method: 'POST',
        path: '/api/notifications',
        role: 'notifier',
        body: json(notification),
        headers: { 'idempotency-key': 'has spaces' },
        field: 'Idempotency-Key',
      },
    ];
    it.each(cases.map((bad) => [bad.name, bad] as const))('refuses %s', async (_, bad) => {
      expectRefusedWell(await send(bad), bad);
    });

    it('stores nothing for any of them: the one real case’s notification is the only document', async () => {
      const listed = await documents().list('cases/');
      expect(listed.filter((object) => object.key.endsWith('/notification.json'))).toHaveLength(1);
    });
  });

  describe('GET /api/cases/{caseId} and POST /api/cases/{caseId}/decision', () => {
    const decision = {
      commissionLocalReview: true,
      localReviewReason: 'Invented reason.\nOn two lines.',
      recommendNationalReview: false,
      nationalReviewReason: 'Invented reason.',
    };
    const cases: BadRequest[] = [
      {
        name: 'malformed percent-encoding',
        method: 'GET',
        path: '/api/cases/%E0%A4%A',
        role: 'partnership-team',
        field: '(path)',
      },
      { name: 'a lone %', method: 'GET', path: '/api/cases/%', role: 'partnership-team', field: '(path)' },
      // An id that is not a case's is simply not found (404), as for any unknown case.
      {
        name: 'an encoded NUL',
        method: 'GET',
        path: '/api/cases/%00',
        role: 'partnership-team',
      },
      {
        name: 'not a case id',
        method: 'GET',
        path: '/api/cases/not-a-case',
        role: 'partnership-team',
      },
      {
        name: 'a case id of 10,000 characters',
        method: 'GET',
        path: `/api/cases/${'a'.repeat(10_000)}`,
        role: 'partnership-team',
      },
      {
        name: 'an emoji',
        method: 'GET',
        path: '/api/cases/%F0%9F%98%80',
        role: 'partnership-team',
      },
      {
        name: 'a decision on a malformed path',
        method: 'POST',
        path: '/api/cases/%E0%A4%A/decision',
        role: 'rrg-chair',
        body: json(decision),
        field: '(path)',
      },
      ...malformedBodies.map((bad) => ({
        ...bad,
        method: 'POST' as const,
        path: `/api/cases/${CASE_ID}/decision`,
        role: 'rrg-chair',
      })),
      {
        name: 'a decision with strings for booleans',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/decision`,
        role: 'rrg-chair',
        body: json({ ...decision, commissionLocalReview: 'yes' }),
        field: 'commissionLocalReview',
      },
      {
        name: 'a decision reason holding a NUL',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/decision`,
        role: 'rrg-chair',
        body: json({ ...decision, localReviewReason: 'Reason\u0000' }),
        field: 'localReviewReason',
      },
      {
        name: 'a decision reason of a million characters',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/decision`,
        role: 'rrg-chair',
        body: json({ ...decision, nationalReviewReason: 'x'.repeat(1_000_000) }),
        field: 'nationalReviewReason',
      },
    ];
    it.each(cases.map((bad) => [bad.name, bad] as const))('refuses %s', async (_, bad) => {
      expectRefusedWell(await send(bad), bad);
    });
  });

  // The Panel's reply (issue 9 part 6): the answers are checked before the case is read.
  describe('POST /api/cases/{caseId}/panel-reply', () => {
    const reply = {
      repliedOn: '2026-03-04',
      agreesWithDecision: true,
      nationalReview: false,
      asksForLocalReview: false,
      comments: 'Invented comments.\nOn two lines.',
    };
    const cases: BadRequest[] = [
      {
        name: 'a reply on a malformed path',
        method: 'POST',
        path: '/api/cases/%E0%A4%A/panel-reply',
        role: 'partnership-team',
        body: json(reply),
        field: '(path)',
      },
      ...malformedBodies.map((bad) => ({
        ...bad,
        method: 'POST' as const,
        path: `/api/cases/${CASE_ID}/panel-reply`,
        role: 'partnership-team',
      })),
      {
        name: 'a reply with strings for booleans',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/panel-reply`,
        role: 'partnership-team',
        body: json({ ...reply, asksForLocalReview: 'yes' }),
        field: 'asksForLocalReview',
      },
      {
        name: 'a reply dated 30 February',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/panel-reply`,
        role: 'partnership-team',
        body: json({ ...reply, repliedOn: '2026-02-30' }),
        field: 'repliedOn',
      },
      {
        name: 'comments holding a NUL',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/panel-reply`,
        role: 'partnership-team',
        body: json({ ...reply, comments: 'Comments\u0000' }),
        field: 'comments',
      },
      {
        name: 'a letter reference with a line break',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/panel-reply`,
        role: 'partnership-team',
        body: json({ ...reply, letterReference: 'Letter\r\nBcc: someone@example.org' }),
        field: 'letterReference',
      },
      {
        name: 'comments of a million characters',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/panel-reply`,
        role: 'partnership-team',
        body: json({ ...reply, comments: 'x'.repeat(1_000_000) }),
        field: 'comments',
      },
    ];
    it.each(cases.map((bad) => [bad.name, bad] as const))('refuses %s', async (_, bad) => {
      expectRefusedWell(await send(bad), bad);
    });
  });

  // The partnership team's controls on a running case (issue 9 parts 3 and 6): the answers are
  // checked before the case is read.
  describe('POST /api/cases/{caseId}/late-reason and /notification-only', () => {
    const lateReason = {
      reason: 'Invented: an agency summary came late.\nOn two lines.',
      expectedOn: '2026-03-20',
    };
    const closure = { reason: 'Invented: no concerns.' };
    const cases: BadRequest[] = [
      ...(['late-reason', 'notification-only'] as const).flatMap((route): BadRequest[] => [
        {
          name: `a ${route} on a malformed path`,
          method: 'POST',
          path: `/api/cases/%E0%A4%A/${route}`,
          role: 'partnership-team',
          body: json(route === 'late-reason' ? lateReason : closure),
          field: '(path)',
        },
        ...malformedBodies.map((bad) => ({
          ...bad,
          name: `${route}: ${bad.name}`,
          method: 'POST' as const,
          path: `/api/cases/${CASE_ID}/${route}`,
          role: 'partnership-team',
        })),
        {
          name: `a ${route} reason holding a NUL`,
          method: 'POST',
          path: `/api/cases/${CASE_ID}/${route}`,
          role: 'partnership-team',
          body: json({ ...(route === 'late-reason' ? lateReason : closure), reason: 'Reason\u0000' }),
          field: 'reason',
        },
        {
          name: `a ${route} reason of a million characters`,
          method: 'POST',
          path: `/api/cases/${CASE_ID}/${route}`,
          role: 'partnership-team',
          body: json({ ...(route === 'late-reason' ? lateReason : closure), reason: 'x'.repeat(1_000_000) }),
          field: 'reason',
        },
      ]),
      {
        name: 'an expected date of 30 February',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/late-reason`,
        role: 'partnership-team',
        body: json({ ...lateReason, expectedOn: '2026-02-30' }),
        field: 'expectedOn',
      },
      {
        name: 'an expected date that is a number',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/late-reason`,
        role: 'partnership-team',
        body: json({ ...lateReason, expectedOn: 20260320 }),
        field: 'expectedOn',
      },
    ];
    it.each(cases.map((bad) => [bad.name, bad] as const))('refuses %s', async (_, bad) => {
      expectRefusedWell(await send(bad), bad);
    });
  });

  // The partnership team steers the case (issue 10 part 3): the answers are checked before the
  // case is read, so a malformed one is a 400 on any case.
  describe('the team controls: agencies added, changed, removed, returns entered; the case withdrawn', () => {
    const spoc = { name: 'Spoc Housing (invented)', email: 'spoc.housing@example.org' };
    const reason = 'Invented: the family had a housing officer.';
    const answers = { kind: 'no-involvement', confirmed: true };
    const routes: { method: 'POST' | 'PUT'; path: string; body: Record<string, unknown> }[] = [
      { method: 'POST', path: `/api/cases/${CASE_ID}/agencies`, body: { name: 'Housing', spoc, reason } },
      { method: 'PUT', path: `/api/cases/${CASE_ID}/agencies/police/contact`, body: { spoc, reason } },
      { method: 'POST', path: `/api/cases/${CASE_ID}/agencies/police/resend`, body: { reason } },
      { method: 'POST', path: `/api/cases/${CASE_ID}/agencies/police/remove`, body: { reason } },
      { method: 'POST', path: `/api/cases/${CASE_ID}/withdraw`, body: { reason } },
      { method: 'PUT', path: `/api/cases/${CASE_ID}/agencies/police/return`, body: { answers, reason } },
      {
        method: 'POST',
        path: `/api/cases/${CASE_ID}/agencies/police/late-return`,
        body: { answers, reason },
      },
    ];
    const cases: BadRequest[] = routes.flatMap((route): BadRequest[] => [
      ...malformedBodies.map((bad) => ({
        ...bad,
        name: `${route.path.split('/').slice(4).join('/')}: ${bad.name}`,
        method: route.method,
        path: route.path,
        role: 'partnership-team',
      })),
      {
        name: `${route.path.split('/').slice(4).join('/')}: a reason holding a NUL`,
        method: route.method,
        path: route.path,
        role: 'partnership-team',
        body: json({ ...route.body, reason: 'Reason\u0000' }),
        field: 'reason',
      },
      {
        name: `${route.path.split('/').slice(4).join('/')}: a reason of a million characters`,
        method: route.method,
        path: route.path,
        role: 'partnership-team',
        body: json({ ...route.body, reason: 'x'.repeat(1_000_000) }),
        field: 'reason',
      },
      ...('spoc' in route.body
        ? [
            {
              name: `${route.path.split('/').slice(4).join('/')}: a contact's email with a line break`,
              method: route.method,
              path: route.path,
              role: 'partnership-team',
              body: json({ ...route.body, spoc: { ...spoc, email: 'a@example.org\nBcc: b@example.org' } }),
              field: 'spoc.email',
            },
          ]
        : []),
      ...('answers' in route.body
        ? [
            {
              name: `${route.path.split('/').slice(4).join('/')}: an involvement with no episode`,
              method: route.method,
              path: route.path,
              role: 'partnership-team',
              body: json({
                ...route.body,
                answers: {
                  kind: 'involvement',
                  involvedFrom: '2026-01-05',
                  rolesInvolved: 'Officer',
                  summary: 'Invented.',
                  episodes: [],
                  immediateActions: 'None.',
                  earlyLearning: 'None.',
                },
              }),
              field: 'answers.episodes',
            },
            ...(
              [
                ['neither the answers nor a file', { reason }, 'answers'],
                [
                  'a file that is neither a PDF nor a Word document',
                  {
                    reason,
                    file: {
                      fileName: 'summary.pdf',
                      contentBase64: Buffer.from('<html>').toString('base64'),
                    },
                  },
                  'file',
                ],
                [
                  'a file that is not base64',
                  { reason, file: { fileName: 'summary.pdf', contentBase64: '<script>' } },
                  'file.contentBase64',
                ],
              ] as const
            ).map(([what, body, field]) => ({
              name: `${route.path.split('/').slice(4).join('/')}: ${what}`,
              method: route.method,
              path: route.path,
              role: 'partnership-team',
              body: json(body),
              field,
            })),
          ]
        : []),
    ]);
    it.each(cases.map((bad) => [bad.name, bad] as const))('refuses %s', async (_, bad) => {
      expectRefusedWell(await send(bad), bad);
    });
  });

  // The team corrects the notification (issue 10 part 3): the whole notification, as intake
  // takes it, and why; checked before the case is read.
  describe('PUT /api/cases/{caseId}/notification', () => {
    const path = `/api/cases/${CASE_ID}/notification`;
    const edit = { notification, reason: 'Invented: the NHS number came later.' };
    const withChild = (child: Record<string, unknown>) =>
      json({
        ...edit,
        notification: { ...notification, children: [{ ...notification.children[0], ...child }] },
      });
    const cases: BadRequest[] = [
      ...malformedBodies.map((bad) => ({
        ...bad,
        name: `notification edit: ${bad.name}`,
        method: 'PUT' as const,
        path,
        role: 'partnership-team',
      })),
      {
        name: 'a notification edit on a malformed path',
        method: 'PUT',
        path: '/api/cases/%E0%A4%A/notification',
        role: 'partnership-team',
        body: json(edit),
        field: '(path)',
      },
      {
        name: 'a notification edit without its notification',
        method: 'PUT',
        path,
        role: 'partnership-team',
        body: json({ reason: edit.reason }),
        field: 'notification',
      },
      {
        name: 'an NHS number failing its check digit',
        method: 'PUT',
        path,
        role: 'partnership-team',
        body: withChild({ nhsNumber: '943 476 5918' }),
        field: 'notification.children.0.nhsNumber',
      },
      {
        name: 'an NHS number of letters',
        method: 'PUT',
        path,
        role: 'partnership-team',
        body: withChild({ nhsNumber: 'ABCDEFGHIJ' }),
        field: 'notification.children.0.nhsNumber',
      },
      {
        name: 'an address of a million characters',
        method: 'PUT',
        path,
        role: 'partnership-team',
        body: withChild({ address: 'x'.repeat(1_000_000) }),
        field: 'notification.children.0.address',
      },
      {
        name: 'a household member whose name holds a line break',
        method: 'PUT',
        path,
        role: 'partnership-team',
        body: json({
          ...edit,
          notification: { ...notification, householdMembers: [{ name: 'A\nB', relationship: 'Uncle' }] },
        }),
        field: 'notification.householdMembers.0.name',
      },
      {
        name: 'a notification edit whose reason holds a NUL',
        method: 'PUT',
        path,
        role: 'partnership-team',
        body: json({ ...edit, reason: 'Reason\u0000' }),
        field: 'reason',
      },
    ];
    it.each(cases.map((bad) => [bad.name, bad] as const))('refuses %s', async (_, bad) => {
      expectRefusedWell(await send(bad), bad);
    });
  });

  // The Rapid Review Group meeting and the staff uploads (issue 9 part 4): each body is checked
  // before the case is read, so a malformed one is a 400 on any case.
  describe('the meeting routes: PUT /api/cases/{caseId}/meeting, …/attendance, POST …/minutes, …/panel-reply/letter', () => {
    const meeting = { date: '2026-03-20', time: '10:00', place: 'Room 1 (invented)' };
    const attendee = {
      name: 'Alex Example (invented)',
      agency: 'Police',
      role: 'Inspector',
      conflicts: 'none',
      confidentialityAgreed: true,
    };
    const upload = {
      fileName: 'minutes.pdf',
      contentBase64: Buffer.from('%PDF-1.7 invented').toString('base64'),
    };
    const routes: { method: 'PUT' | 'POST'; path: string }[] = [
      { method: 'PUT', path: `/api/cases/${CASE_ID}/meeting` },
      { method: 'PUT', path: `/api/cases/${CASE_ID}/meeting/attendance` },
      { method: 'POST', path: `/api/cases/${CASE_ID}/meeting/minutes` },
      { method: 'POST', path: `/api/cases/${CASE_ID}/panel-reply/letter` },
    ];
    const cases: BadRequest[] = [
      ...routes.flatMap((route) =>
        malformedBodies.map((bad) => ({
          ...bad,
          name: `${route.method} ${route.path.replace(CASE_ID, '{caseId}')}: ${bad.name}`,
          ...route,
          role: 'partnership-team',
        })),
      ),
      {
        name: 'a meeting on a malformed path',
        method: 'PUT',
        path: '/api/cases/%E0%A4%A/meeting',
        role: 'partnership-team',
        body: json(meeting),
        field: '(path)',
      },
      {
        name: 'a meeting in the past',
        method: 'PUT',
        path: `/api/cases/${CASE_ID}/meeting`,
        role: 'partnership-team',
        body: json({ ...meeting, date: '2026-03-03' }),
        field: 'date',
      },
      {
        name: 'a meeting at 24:61',
        method: 'PUT',
        path: `/api/cases/${CASE_ID}/meeting`,
        role: 'partnership-team',
        body: json({ ...meeting, time: '24:61' }),
        field: 'time',
      },
      {
        name: 'a meeting with neither place nor call link',
        method: 'PUT',
        path: `/api/cases/${CASE_ID}/meeting`,
        role: 'partnership-team',
        body: json({ date: meeting.date, time: meeting.time }),
        field: 'place',
      },
      {
        name: 'a call link that is a script',
        method: 'PUT',
        path: `/api/cases/${CASE_ID}/meeting`,
        role: 'partnership-team',
        body: json({ date: meeting.date, time: meeting.time, callLink: 'javascript:alert(1)' }),
        field: 'callLink',
      },
      {
        name: 'a place with a line break',
        method: 'PUT',
        path: `/api/cases/${CASE_ID}/meeting`,
        role: 'partnership-team',
        body: json({ ...meeting, place: 'Room 1\r\nBcc: someone@example.org' }),
        field: 'place',
      },
      {
        name: 'an attendee who has not agreed to confidentiality',
        method: 'PUT',
        path: `/api/cases/${CASE_ID}/meeting/attendance`,
        role: 'partnership-team',
        body: json({ attendees: [attendee, attendee, { ...attendee, confidentialityAgreed: false }] }),
        field: 'attendees.2.confidentialityAgreed',
      },
      {
        name: 'no attendees',
        method: 'PUT',
        path: `/api/cases/${CASE_ID}/meeting/attendance`,
        role: 'partnership-team',
        body: json({ attendees: [] }),
        field: 'attendees',
      },
      {
        name: 'ten thousand attendees',
        method: 'PUT',
        path: `/api/cases/${CASE_ID}/meeting/attendance`,
        role: 'partnership-team',
        body: json({ attendees: Array.from({ length: 10_000 }, () => attendee) }),
        field: 'attendees',
      },
      {
        name: 'a declaration of a million characters',
        method: 'PUT',
        path: `/api/cases/${CASE_ID}/meeting/attendance`,
        role: 'partnership-team',
        body: json({ attendees: [{ ...attendee, conflicts: 'x'.repeat(1_000_000) }] }),
        field: 'attendees.0.conflicts',
      },
      {
        name: 'minutes that are not base64',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/meeting/minutes`,
        role: 'partnership-team',
        body: json({ ...upload, contentBase64: '<script>' }),
        field: 'contentBase64',
      },
      {
        name: 'minutes over 4 MB',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/meeting/minutes`,
        role: 'partnership-team',
        body: json({ ...upload, contentBase64: 'A'.repeat(6_000_000) }),
        field: 'contentBase64',
      },
      {
        name: 'a letter that is a web page',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/panel-reply/letter`,
        role: 'partnership-team',
        body: json({
          fileName: 'letter.pdf',
          contentBase64: Buffer.from('<html></html>').toString('base64'),
        }),
        field: 'file',
      },
      {
        name: 'a letter with a file name of a line break',
        method: 'POST',
        path: `/api/cases/${CASE_ID}/panel-reply/letter`,
        role: 'partnership-team',
        body: json({ ...upload, fileName: 'a\r\nb.pdf' }),
        field: 'fileName',
      },
    ];
    it.each(cases.map((bad) => [bad.name, bad] as const))('refuses %s', async (_, bad) => {
      expectRefusedWell(await send(bad), bad);
    });
  });

  // The local authority's notification to the Panel (issue 10 part 5), on the intake function:
  // the body and the file are checked before the case is read, so a bad one is a 400 on any case.
  describe('POST /api/cases/{caseId}/panel-notification', () => {
    const path = `/api/cases/${CASE_ID}/panel-notification`;
    const upload = {
      fileName: 'to-the-panel.pdf',
      contentBase64: Buffer.from('%PDF-1.7 invented').toString('base64'),
    };
    const cases: BadRequest[] = [
      ...malformedBodies.map((bad) => ({
        ...bad,
        name: `POST /api/cases/{caseId}/panel-notification: ${bad.name}`,
        method: 'POST' as const,
        path,
        role: 'notifier',
      })),
      {
        name: 'a notification to the Panel on a malformed path',
        method: 'POST',
        path: '/api/cases/%E0%A4%A/panel-notification',
        role: 'notifier',
        body: json(upload),
        field: '(path)',
      },
      {
        name: 'a notification to the Panel that is not base64',
        method: 'POST',
        path,
        role: 'notifier',
        body: json({ ...upload, contentBase64: '<script>' }),
        field: 'contentBase64',
      },
      {
        name: 'a notification to the Panel over 4 MB',
        method: 'POST',
        path,
        role: 'partnership-team',
        body: json({ ...upload, contentBase64: 'A'.repeat(6_000_000) }),
        field: 'contentBase64',
      },
      {
        name: 'a notification to the Panel that is a Word document, not a PDF',
        method: 'POST',
        path,
        role: 'notifier',
        body: json({
          fileName: 'to-the-panel.docx',
          contentBase64: Buffer.from('PK\u0003\u0004 word/document.xml').toString('base64'),
        }),
        field: 'file',
      },
      {
        name: 'a notification to the Panel that is a web page',
        method: 'POST',
        path,
        role: 'notifier',
        body: json({
          fileName: 'to-the-panel.pdf',
          contentBase64: Buffer.from('<html></html>').toString('base64'),
        }),
        field: 'file',
      },
      {
        name: 'a notification to the Panel with a file name of a line break',
        method: 'POST',
        path,
        role: 'notifier',
        body: json({ ...upload, fileName: 'a\r\nb.pdf' }),
        field: 'fileName',
      },
    ];
    it.each(cases.map((bad) => [bad.name, bad] as const))('refuses %s', async (_, bad) => {
      expectRefusedWell(await send(bad), bad);
    });
  });

  describe('the agency routes', () => {
    const cases = (): BadRequest[] => [
      { name: 'malformed percent-encoding', method: 'GET', path: '/api/agency/%E0%A4%A', field: '(path)' },
      { name: 'a token of 10,000 characters', method: 'GET', path: `/api/agency/${'a'.repeat(10_000)}` },
      { name: 'an encoded NUL token', method: 'GET', path: '/api/agency/%00' },
      {
        name: 'an upload on a malformed path',
        method: 'POST',
        path: '/api/agency/%E0%A4%A/uploads',
        body: '{}',
        field: '(path)',
      },
      ...malformedBodies.map((bad) => ({ ...bad, method: 'POST' as const, path: `${agencyLink}/uploads` })),
      ...(
        [
          [
            'a file name with a line break',
            { fileName: 'summary.pdf\r\nX-Injected: 1', contentType: 'application/pdf', size: 100 },
            'fileName',
          ],
          [
            'a file name holding a NUL',
            { fileName: 'summary\u0000.pdf', contentType: 'application/pdf', size: 100 },
            'fileName',
          ],
          ['a negative size', { fileName: 'summary.pdf', contentType: 'application/pdf', size: -1 }, 'size'],
          [
            'a size that is text',
            { fileName: 'summary.pdf', contentType: 'application/pdf', size: 'big' },
            'size',
          ],
          [
            'a size of 1e300',
            { fileName: 'summary.pdf', contentType: 'application/pdf', size: 1e300 },
            'size',
          ],
          ['an HTML file', { fileName: 'summary.html', contentType: 'text/html', size: 100 }, 'contentType'],
        ] as const
      ).map(([name, body, field]) => ({
        name,
        method: 'POST' as const,
        path: `${agencyLink}/uploads`,
        body: json(body),
        field,
      })),
      // The structured return (PUT /api/agency/{token}/return).
      {
        name: 'a return on a malformed path',
        method: 'PUT',
        path: '/api/agency/%E0%A4%A/return',
        body: '{}',
        field: '(path)',
      },
      ...malformedBodies.map((bad) => ({ ...bad, method: 'PUT' as const, path: `${agencyLink}/return` })),
      ...(
        [
          ['a return of no kind', {}, 'kind'],
          ['a return of an unknown kind', { kind: 'maybe' }, 'kind'],
          ['no involvement not confirmed', { kind: 'no-involvement', confirmed: 'yes' }, 'confirmed'],
          ['an involvement with no episodes', { ...involvementReturn, episodes: [] }, 'episodes'],
          [
            'an episode with an impossible date',
            {
              ...involvementReturn,
              episodes: [{ date: '2025-02-30', whatHappened: 'x (test)', decidedAndWhy: 'y (test)' }],
            },
            'episodes.0.date',
          ],
          ['an episode that is a string', { ...involvementReturn, episodes: ['soon'] }, 'episodes.0'],
          ['a summary holding a NUL', { ...involvementReturn, summary: 'a\u0000b' }, 'summary'],
          [
            'a summary of 100,000 characters',
            { ...involvementReturn, summary: 'a'.repeat(100_000) },
            'summary',
          ],
          ['a start date that is a number', { ...involvementReturn, involvedFrom: 20250901 }, 'involvedFrom'],
        ] as const
      ).map(([name, body, field]) => ({
        name,
        method: 'PUT' as const,
        path: `${agencyLink}/return`,
        body: json(body),
        field,
      })),
    ];
    it('refuses every one, naming the field', async () => {
      for (const bad of cases()) expectRefusedWell(await send(bad), bad);
    });

    it('refuses a malformed code, a code of 1,000 digits and a malformed token on the details pages', async () => {
      const page = agencyLink.replace(/^\/api/, '');
      const gate = await send({ method: 'GET', path: `${page}/details` });
      expect(gate.status, gate.text.slice(0, 300)).toBe(200);
      const csrf = new RegExp(`name="${csrfFieldName}" value="([^"]+)"`).exec(gate.text)?.[1] ?? '';
      for (const [name, code] of [
        ['a malformed code', '12ab5!'],
        ['a code of 1,000 digits', '1'.repeat(1000)],
      ] as const) {
        const answer = await send(
          {
            method: 'POST',
            path: `${page}/details/verify`,
            contentType: 'application/x-www-form-urlencoded',
            body: new URLSearchParams({ code, [csrfFieldName]: csrf }).toString(),
          },
          gate.cookies,
        );
        expect(answer.status, name).toBe(400);
        expect(answer.text, name).toContain('The code is 6 digits');
      }
      for (const path of [
        '/agency/%E0%A4%A/details',
        `/agency/${'a'.repeat(10_000)}/details`,
        '/agency/%00/details/verify',
        '/agency/not-a-token/details/code',
      ]) {
        const answer = await send({ method: path.endsWith('/code') ? 'POST' : 'GET', path });
        expectRefusedWell(answer, { name: path });
        expect(answer.status, path).toBeGreaterThanOrEqual(400);
      }
    });
  });

  describe('the orphan sweeper, on the emulators', () => {
    it('removes a notification document older than an hour that no case owns, keeping the real case’s', async () => {
      const orphan = `cases/${CASE_ID}/notification.json`;
      await documents().put(orphan, json(notification), 'application/json');
      const cases = new DynamoDbCaseStore(
        DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(stack.dynamodbEndpoint)), {
          marshallOptions: { removeUndefinedValues: true },
        }),
        stack.tableName,
        auditTableNameFor(stack.tableName),
      );
      // The objects carry the emulator's real time; the sweeper looks from two hours later.
      const later = new Date(Date.now() + 2 * 60 * 60 * 1000);

      const swept = await sweepOrphanNotifications({
        cases,
        documents: documents(),
        clock: { now: () => later },
      });

      expect(swept.removed).toEqual([orphan]);
      const left = (await documents().list('cases/')).map((object) => object.key);
      expect(left.filter((key) => key.endsWith('/notification.json'))).toHaveLength(1);
      expect(left).not.toContain(orphan);
    });
  });

  describe('the pages', () => {
    async function signedIn(role: string): Promise<{ cookies: string[]; csrfToken: string }> {
      const form = await send({ method: 'GET', path: '/sign-in' });
      const token = new RegExp(`name="${csrfFieldName}" value="([^"]+)"`).exec(form.text)?.[1] ?? '';
      const signIn = await send(
        {
          method: 'POST',
          path: '/sign-in',
          contentType: 'application/x-www-form-urlencoded',
          body: new URLSearchParams({ role, returnTo: '/', [csrfFieldName]: token }).toString(),
        },
        form.cookies,
      );
      const cookies = signIn.cookies;
      const page = await send({ method: 'GET', path: '/notify/incident' }, cookies);
      const csrfToken = new RegExp(`name="${csrfFieldName}" value="([^"]+)"`).exec(page.text)?.[1] ?? '';
      return { cookies, csrfToken };
    }

    it.each([['/%E0%A4%A'], ['/cases/%E0%A4%A'], ['/agency/%E0%A4%A'], ['/notify/children/%ZZ/remove']])(
      'shows the 400 page for the malformed path %s',
      async (path) => {
        const answer = await send({ method: 'GET', path });
        expect(answer.status).toBe(400);
        expect(answer.text).toContain('There is a problem with the web address');
      },
    );

    it('signs in with a return path outside Latin-1 and is sent on, percent-encoded, not reset', async () => {
      const form = await send({ method: 'GET', path: '/sign-in?returnTo=%2Fcases%3Fstatus%3D%E2%82%AC' });
      expect(form.status).toBe(200);
      const token = new RegExp(`name="${csrfFieldName}" value="([^"]+)"`).exec(form.text)?.[1] ?? '';

      const signIn = await send(
        {
          method: 'POST',
          path: '/sign-in',
          contentType: 'application/x-www-form-urlencoded',
          body: new URLSearchParams({
            role: 'notifier',
            returnTo: '/cases?status=€',
            [csrfFieldName]: token,
          }).toString(),
        },
        form.cookies,
      );

      expect(signIn.status).toBe(303);
      expect(signIn.location).toBe('/cases?status=%E2%82%AC');
    });

    it('refuses bad answers on the notify pages with a 400 page naming each field', async () => {
      const browser = await signedIn('notifier');
      const post = (path: string, fields: Record<string, string>) =>
        send(
          {
            method: 'POST',
            path,
            contentType: 'application/x-www-form-urlencoded',
            body: new URLSearchParams({ ...fields, [csrfFieldName]: browser.csrfToken }).toString(),
          },
          browser.cookies,
        );

      const incident = await post('/notify/incident', {
        kind: 'serious-harm',
        'occurredOn-day': '1',
        'occurredOn-month': '1',
        'occurredOn-year': '1900',
        'localAuthorityAwareOn-day': '1',
        'localAuthorityAwareOn-month': '1',
        'localAuthorityAwareOn-year': '2099',
        'panelNotifiedOn-day': '31',
        'panelNotifiedOn-month': '2',
        'panelNotifiedOn-year': '2026',
        location: 'x'.repeat(100_000),
        panelReference: 'PANEL\r\nBcc: someone@example.org',
        notifyingLocalAuthority: 'Council\u0000',
        summary: 'Beep\u0007',
      });
      const agency = await post('/notify/agencies/new', {
        name: 'Police\nBcc: someone@example.org',
        spocName: 'Spoc (demo)',
        spocEmail: `${'a'.repeat(9988)}@example.org`,
      });
      const child = await post('/notify/children/new', {
        name: 'Demo Child',
        'dateOfBirth-day': '1',
        'dateOfBirth-month': '1',
        'dateOfBirth-year': '2027',
        sex: 'not-known',
        ethnicity: 'martian',
        disability: 'no',
        lookedAfterStatus: 'never',
        childProtectionPlan: 'never',
        childInNeed: 'never',
      });

      expect(incident.status).toBe(400);
      for (const message of [
        'Date of incident must be on or after 1 January 2010',
        'Date the local authority became aware must be today or in the past',
        'Date the Panel was notified must be a real date',
        'Where it happened must be 200 characters or fewer',
        'Panel reference must not contain line breaks or control characters',
        'Notifying local authority must not contain line breaks or control characters',
        'Summary must not contain control characters',
      ]) {
        expect(incident.text).toContain(message);
      }
      expect(agency.status).toBe(400);
      expect(agency.text).toContain('Agency name must not contain line breaks or control characters');
      expect(agency.text).toContain('Contact email address must be 254 characters or fewer');
      expect(child.status).toBe(400);
      expect(child.text).toContain('Date of birth must be today or in the past');
      expect(child.text).toContain('Select the child’s ethnicity, or ‘Not known’');
    });

    it('refuses a bad partnership directory entry with a 400 page naming each field, and a strange agency id without a 5xx', async () => {
      const team = await signedIn('partnership-team');
      const post = (path: string, fields: Record<string, string>) =>
        send(
          {
            method: 'POST',
            path,
            contentType: 'application/x-www-form-urlencoded',
            body: new URLSearchParams({ ...fields, [csrfFieldName]: team.csrfToken }).toString(),
          },
          team.cookies,
        );

      const entry = await post('/directory/add/check', {
        name: 'Housing\r\nBcc: someone@example.org',
        contactName: 'x'.repeat(100_000),
        contactEmail: `${'a'.repeat(9988)}@example.org`,
        leadName: 'Lead\u0000 (demo)',
        leadEmail: 'not an address',
      });
      const confirmed = await post('/directory/add/confirm', { name: '', contactName: '', contactEmail: '' });

      expect(entry.status).toBe(400);
      for (const message of [
        'Agency name must not contain control characters',
        'Contact’s name must be 120 characters or fewer',
        'Contact’s email address must be 254 characters or fewer',
        'Strategic lead’s name must not contain control characters',
        'Enter the strategic lead’s email address in the correct format, like name@example.org',
      ]) {
        expect(entry.text.replaceAll('&#39;', "'")).toContain(message);
      }
      expect(confirmed.status).toBe(400);
      expect(confirmed.text).toContain('Enter the agency’s name');
      const strange = await Promise.all([
        send({ method: 'GET', path: '/directory/..%2F..%2Fcases/change' }, team.cookies),
        send({ method: 'GET', path: `/directory/${'a'.repeat(10_000)}/remove` }, team.cookies),
        post('/directory/police/remove/confirm', { version: 'many' }),
        post('/directory/NOT-AN-ID/change/confirm', { name: 'x' }),
      ]);
      for (const answer of strange) expect(answer.status, answer.text.slice(0, 200)).toBeLessThan(500);
    });

    it('answers a form that is not URL-encoded properly, and a decision on a malformed case, without a 5xx', async () => {
      const browser = await signedIn('rrg-chair');
      const answers = await Promise.all([
        send(
          {
            method: 'POST',
            path: `/cases/${CASE_ID}/decision`,
            contentType: 'application/x-www-form-urlencoded',
            body: `%E0%A4%A=1&${csrfFieldName}=${encodeURIComponent(browser.csrfToken)}&commissionLocalReview=%`,
          },
          browser.cookies,
        ),
        send({ method: 'GET', path: '/cases/not-a-case' }, browser.cookies),
        send({ method: 'GET', path: `/cases/${'a'.repeat(10_000)}` }, browser.cookies),
      ]);
      for (const answer of answers) expect(answer.status, answer.text.slice(0, 200)).toBeLessThan(500);
    });

    it('answers a strange search, sort or case on each role’s home with a page naming the field, never a 5xx', async () => {
      const team = await signedIn('partnership-team');
      const scrutineer = await signedIn('scrutineer');
      const notifier = await signedIn('notifier');
      const [search, sort, csv, ...others] = await Promise.all([
        send({ method: 'GET', path: `/cases?q=${'%E2%82%AC'.repeat(50)}&status=%00` }, team.cookies),
        send({ method: 'GET', path: '/cases?sort=%3Cscript%3E&q=%25' }, team.cookies),
        send({ method: 'GET', path: '/cases.csv?sort=nowhere' }, team.cookies),
        send({ method: 'GET', path: '/scrutiny/not-a-case' }, scrutineer.cookies),
        send({ method: 'GET', path: `/scrutiny/${'a'.repeat(10_000)}` }, scrutineer.cookies),
        send({ method: 'GET', path: '/your-notifications/not-a-case' }, notifier.cookies),
      ]);

      expect(search.status).toBe(400);
      expect(search.text).toContain(
        'Enter a case reference or the child’s initials in 40 characters or fewer',
      );
      expect(search.text).toContain('Select a status from the list');
      expect(sort.status).toBe(400);
      expect(sort.text).toContain('Select how to sort the cases from the list');
      expect(sort.text).not.toContain('<script>');
      expect(csv.status).toBe(303);
      for (const answer of others) expect(answer.status, answer.text.slice(0, 200)).toBe(404);
    });
  });
});
