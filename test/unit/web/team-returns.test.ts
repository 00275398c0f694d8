import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { csrfFieldName } from '../../../functions/web/session.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import { requestAgencySummaries } from '../../../shared/use-cases/request-agency-summaries.ts';
import { aDocx } from '../../support/test-files.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { InMemoryDocumentStore, RecordingMailer } from '../workflow/workflow-fakes.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

const workflow = { kind: 'system', id: 'rapid-review-workflow' } as const;
const unescaped = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&#x27;', "'");
const summaryLinks = (body: unknown) =>
  [...unescaped(body).matchAll(/<a href="(#[A-Za-z0-9-]+)">([^<]+)<\/a>/g)].map((match) => [
    match[1],
    match[2],
  ]);

const reason = 'Invented: the school read its return to the team over the phone (demo).';
const involvement = {
  kind: 'involvement',
  involvedFromDay: '1',
  involvedFromMonth: '9',
  involvedFromYear: '2025',
  rolesInvolved: 'Class teacher (demo)',
  summary: 'Invented: the child attended the school (demo).',
  episode1DateDay: '12',
  episode1DateMonth: '1',
  episode1DateYear: '2026',
  episode1WhatHappened: 'Invented: a bruise was noticed and recorded (demo).',
  episode1DecidedAndWhy: 'Invented: referred the same day (demo).',
  immediateActions: 'Invented: records secured (demo).',
  earlyLearning: 'Invented: none yet (demo).',
  reason,
};

/** A multipart POST, as a browser sends the question page with a file. */
async function multipartEvent(
  path: string,
  browser: { cookies: string[]; csrfToken: string },
  fields: Record<string, string>,
  file?: { name: string; bytes: Uint8Array },
) {
  const form = new FormData();
  form.append(csrfFieldName, browser.csrfToken);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>]), file.name);
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

/** The hidden fields the check page carries to the confirmation. */
const hiddenFields = (body: unknown) =>
  Object.fromEntries(
    [...unescaped(body).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
      .filter((match) => match[1] !== csrfFieldName)
      .map((match) => [match[1] as string, (match[2] as string).replaceAll('&amp;', '&')]),
  );

const aPdf = new Uint8Array(Buffer.from('%PDF-1.7 invented summary'));

describe('the team makes an agency’s return, as pages', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let app: ReturnType<typeof testWebApp>;
  let service: ReturnType<typeof testService>;
  let documents: InMemoryDocumentStore;
  const team = () => signedIn(testUser('partnership-team'));

  async function aCase(status?: CaseStatus): Promise<string> {
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-12-10T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(record, agencies, {
      actor: workflow,
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    await requestAgencySummaries(service, { caseId });
    if (status) {
      await store.updateCase(
        store.caseOf(caseId)!,
        { status },
        {
          actor: workflow,
          at: '2026-12-11T09:00:00.000Z',
          action: 'status.changed',
          reason: 'Invented (test)',
        },
      );
    }
    return caseId;
  }

  beforeEach(() => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    documents = new InMemoryDocumentStore();
    service = testService({
      store,
      clock: new SettableClock('2026-12-11T10:00:00Z'),
      s3: testS3Client(),
      mailer,
    });
    // The addendum is read back from the documents: an in-memory bucket in place of S3's.
    Object.defineProperty(service, 'documents', { value: documents });
    app = testWebApp(pages, { service });
  });

  const get = (path: string, browser = team()) => app(webEvent({ path, cookies: browser.cookies }));
  const post = (path: string, form: Record<string, string>, browser = team()) =>
    app(webEvent({ path, cookies: browser.cookies, csrfToken: browser.csrfToken, form }));

  describe('on the agency’s behalf, /cases/{caseId}/agencies/{agencyId}/return', () => {
    it('asks the return’s questions without conditional reveals, and names each missing answer in page order', async () => {
      const caseId = await aCase();
      const path = `/cases/${caseId}/agencies/education/return`;

      const question = await get(path);
      const refused = await post(`${path}/check`, { kind: 'involvement' });

      expect(question.statusCode).toBe(200);
      const html = unescaped(question.body);
      for (const name of [
        'kind',
        'involvedFromDay',
        'summary',
        'episode1WhatHappened',
        'episode3DateYear',
        'reason',
      ])
        expect(html).toContain(`name="${name}"`);
      expect(html).not.toContain('data-aria-controls');
      expect(refused.statusCode).toBe(400);
      const hrefs = summaryLinks(refused.body).map(([href]) => href);
      expect(hrefs[0]).toBe('#involvedFromDay');
      expect(hrefs).toContain('#summary');
      expect(hrefs).toContain('#episode1WhatHappened');
      expect(hrefs.at(-1)).toBe('#reason');
    });

    it('checks the answers with Change links, then enters the return marked as the team’s, and confirms', async () => {
      const caseId = await aCase();
      const path = `/cases/${caseId}/agencies/education/return`;

      const check = await post(`${path}/check`, involvement);
      const html = unescaped(check.body);
      const confirmed = await post(`${path}/confirm`, involvement);
      const confirmation = await get(String(confirmed.headers?.location));

      expect(check.statusCode).toBe(200);
      expect(html).toContain(`formaction="${path}#summary"`);
      expect(html).toContain('From 1 September 2025, and continuing');
      expect(confirmed.statusCode).toBe(303);
      expect(confirmed.headers?.location).toBe(`${path}/confirmation`);
      expect(unescaped(confirmation.body)).toContain("You entered Education's return on its behalf");
      const { agencies } = await store.getCaseWithAgencies(caseId);
      const education = agencies.find((agency) => agency.agencyId === 'education');
      expect(education?.returns?.at(-1)).toMatchObject({
        by: 'partnership-team',
        answers: { kind: 'involvement' },
      });
    });

    it('takes "no involvement" with the reason alone', async () => {
      const caseId = await aCase();
      const path = `/cases/${caseId}/agencies/police/return`;

      const confirmed = await post(`${path}/confirm`, { kind: 'no-involvement', reason });

      expect(confirmed.statusCode).toBe(303);
      const { agencies } = await store.getCaseWithAgencies(caseId);
      expect(agencies.find((agency) => agency.agencyId === 'police')?.returns?.[0]?.answers).toEqual({
        kind: 'no-involvement',
        confirmed: true,
      });
    });

    it('refuses in words once collated, pointing to a late return', async () => {
      const caseId = await aCase('collating');
      const result = await get(`/cases/${caseId}/agencies/education/return`);
      expect(result.statusCode).toBe(409);
      expect(unescaped(result.body)).toContain("take in Education's return as a late return instead");
    });
  });

  describe('a late return, /cases/{caseId}/agencies/{agencyId}/late-return', () => {
    it('is offered on the case page after collation, then takes the return in as an addendum and confirms', async () => {
      const caseId = await aCase('awaiting-decision');
      const path = `/cases/${caseId}/agencies/education/late-return`;

      const casePage = unescaped((await get(`/cases/${caseId}`)).body);
      const confirmed = await post(`${path}/confirm`, involvement);
      const confirmation = unescaped((await get(String(confirmed.headers?.location))).body);

      expect(casePage).toContain(`href="${path}"`);
      expect(casePage).toContain('Take in a late return');
      expect(casePage).not.toContain('Add an agency');
      expect(confirmed.statusCode).toBe(303);
      expect(confirmation).toContain('addendum 1 to the papers');
      expect(documents.objects.has(`cases/${caseId}/addendum-1.pdf`)).toBe(true);
      expect(
        mailer.to('rrg-chair@example.org').filter((email) => email.subject.includes('addendum')),
      ).toHaveLength(1);
    });

    it('refuses in words before collation', async () => {
      const caseId = await aCase();
      const result = await get(`/cases/${caseId}/agencies/education/late-return`);
      expect(result.statusCode).toBe(409);
      expect(unescaped(result.body)).toContain('You cannot take in a late return now');
    });
  });
  describe('the agency’s summary uploaded by the team, instead of or as well as the answers', () => {
    const send = async (
      path: string,
      fields: Record<string, string>,
      file?: { name: string; bytes: Uint8Array },
    ) => {
      const browser = team();
      return { browser, result: await app(await multipartEvent(path, browser, fields, file)) };
    };

    it('offers the upload on both question pages, as a multipart form', async () => {
      const gathering = await aCase();
      const collated = await aCase('awaiting-decision');
      for (const path of [
        `/cases/${gathering}/agencies/education/return`,
        `/cases/${collated}/agencies/education/late-return`,
      ]) {
        const html = unescaped((await get(path)).body);
        expect(html).toContain('enctype="multipart/form-data"');
        expect(html).toContain('name="file"');
        expect(html).toContain("Upload the agency's summary instead, or as well");
      }
    });

    it('takes a file alone: the check page names it, and the agency is received with the team’s upload', async () => {
      const caseId = await aCase();
      const path = `/cases/${caseId}/agencies/education/return`;

      const { browser, result: check } = await send(
        `${path}/check`,
        { reason },
        { name: 'school summary.pdf', bytes: aPdf },
      );
      const html = unescaped(check.body);
      const confirmed = await post(`${path}/confirm`, hiddenFields(check.body), browser);
      const confirmation = unescaped((await get(String(confirmed.headers?.location), browser)).body);

      expect(check.statusCode).toBe(200);
      expect(summaryLinks(check.body)).toEqual([]);
      expect(html).toContain('Uploaded summary');
      expect(html).toContain('school summary.pdf');
      expect(html).not.toContain('Involvement');
      expect(html).not.toContain('team-upload');
      expect(confirmed.statusCode).toBe(303);
      expect(confirmation).toContain("You uploaded Education's summary for it");
      const { agencies } = await store.getCaseWithAgencies(caseId);
      const education = agencies.find((agency) => agency.agencyId === 'education');
      const key = `cases/${caseId}/agencies/education/team-upload-1.pdf`;
      expect(education).toMatchObject({ status: 'received', documentKey: key });
      expect(education?.uploadedByTeam).toBeDefined();
      expect(education?.returns).toBeUndefined();
      expect(documents.objects.get(key)?.body).toEqual(aPdf);
      // The file set aside for the check page is gone once the return is saved.
      expect([...documents.objects.keys()].filter((each) => each.includes('team-upload-pending'))).toEqual(
        [],
      );
    });

    it('takes a late return’s answers with a Word file, into the addendum', async () => {
      const caseId = await aCase('awaiting-decision');
      const path = `/cases/${caseId}/agencies/education/late-return`;

      const { browser, result: check } = await send(`${path}/check`, involvement, {
        name: 'school summary.docx',
        bytes: aDocx(),
      });
      const confirmed = await post(`${path}/confirm`, hiddenFields(check.body), browser);

      expect(check.statusCode).toBe(200);
      expect(unescaped(check.body)).toContain('school summary.docx');
      expect(unescaped(check.body)).toContain('From 1 September 2025, and continuing');
      expect(confirmed.statusCode).toBe(303);
      const { agencies } = await store.getCaseWithAgencies(caseId);
      const education = agencies.find((agency) => agency.agencyId === 'education');
      const key = `cases/${caseId}/agencies/education/team-upload-1.docx`;
      expect(education?.documentKey).toBe(key);
      expect(education?.returns?.at(-1)).toMatchObject({ by: 'partnership-team', documentKey: key });
      expect(documents.objects.has(`cases/${caseId}/addendum-1.pdf`)).toBe(true);
    });

    it('refuses a file that is neither a PDF nor a Word document, naming the upload', async () => {
      const caseId = await aCase();
      const path = `/cases/${caseId}/agencies/education/return`;
      const { result } = await send(
        `${path}/check`,
        { reason },
        {
          name: 'summary.pdf',
          bytes: new Uint8Array(Buffer.from('<html>not a summary</html>')),
        },
      );
      expect(result.statusCode).toBe(400);
      expect(summaryLinks(result.body)).toContainEqual([
        '#file',
        'The selected file must be a PDF or a Word document (.docx)',
      ]);
    });

    it('asks for the answers or a file when neither is given', async () => {
      const caseId = await aCase();
      const result = await post(`/cases/${caseId}/agencies/education/return/check`, { reason });
      expect(result.statusCode).toBe(400);
      expect(summaryLinks(result.body)).toContainEqual([
        '#kind',
        'Select whether the agency had any involvement, or upload its summary',
      ]);
    });
  });
});
