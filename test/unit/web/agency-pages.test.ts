import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { agencyPages, londonTimeInWords } from '../../../functions/agency-web/pages.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { agencyUploadKey, agencyUploadRules, mintAgencyToken } from '../../../shared/agency-links.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { Service } from '../../../shared/service.ts';
import { showAgencyRequest } from '../../../shared/use-cases/agency-request.ts';
import { recordSummary } from '../../../shared/use-cases/record-summary.ts';
import { aDocx, aPdf, htmlPage, windowsExecutable } from '../../support/test-files.ts';
import { VersionedDocumentStore } from '../../support/versioned-document-store.ts';
import {
  InMemoryCaseStore,
  SettableClock,
  testProfile,
  testS3Client,
  testService,
  UPLOAD_BUCKET,
} from '../api/support/api-fixtures.ts';
import { PUBLIC_BASE_URL, RecordingMailer } from '../workflow/workflow-fakes.ts';
import { sessionlessWebApp, webEvent } from './support/web-fixtures.ts';

/** What recording an upload needs beside the stores: the team is emailed when a return comes late. */
const mailerPorts = () => ({
  mailer: new RecordingMailer(),
  profile: testProfile,
  publicBaseUrl: PUBLIC_BASE_URL,
});

/** A PDF one byte over the limit. */
function oversizePdf(): Uint8Array {
  const bytes = new Uint8Array(10 * 1024 * 1024 + 1);
  bytes.set(aPdf());
  return bytes;
}

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Everything a page must never show an agency: the child, the case id, any SPOC or notifier address. */
function personalDetails(caseId: string): string[] {
  return [
    'Demo Child One',
    '2019-05-14',
    'Exampletown',
    caseId,
    'spoc.police@example.org',
    'Spoc Police',
    'notifier@example.org',
  ];
}

/** The visible text of an HTML page: no tags, no hidden form fields, whitespace collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<input[^>]*type="hidden"[^>]*>/g, '')
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/\s+/g, ' ');
}

/** The value of a hidden input in the page. */
function hiddenField(html: string, name: string): string | undefined {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return match?.[1]?.replaceAll('&amp;', '&');
}

describe('the agency return pages (GET /agency/{token}, GET /agency/{token}/uploaded)', () => {
  let store: InMemoryCaseStore;
  let clock: SettableClock;
  let service: Service;
  let caseId: string;
  let reference: string;
  let token: string;

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    clock = new SettableClock('2026-03-09T11:00:00Z');
    caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification({ incident: { ...sampleNotification().incident, kind: 'death' } }),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(record, agencies, {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Opened for the test',
    });
    reference = record.reference;
    const minted = mintAgencyToken();
    token = minted.token;
    await store.putAgencyLinks([
      {
        tokenHash: minted.tokenHash,
        caseId,
        agencyId: 'police',
        expiresAt: '2026-03-18T09:00:00.000Z',
      },
    ]);
    service = testService({ store, clock, s3: testS3Client() });
  });

  const open = (path: string, query?: string) =>
    sessionlessWebApp(agencyPages, service)(webEvent({ path, ...(query ? { query } : {}) }));

  /**
   * The uploaded page after a refused file: it sends the browser back to the upload form, which
   * shows why in its error summary. Answers the redirect and the form page's HTML.
   */
  async function afterRefusal(query: string) {
    const redirected = await open(`/agency/${token}/uploaded`, query);
    const location = new URL(String(redirected.headers?.location), 'http://agency.invalid');
    const page = await open(location.pathname, location.search.slice(1));
    return { redirected, location, html: String(page.body), status: page.statusCode };
  }

  /**
   * record-summary's handling of a file sent with a form issued now (or `issuedAt`), as the
   * bucket's event would trigger it; the buckets are in memory.
   */
  async function anUploadArrives(
    file: { body: Uint8Array; contentType: string },
    sequencer: string,
    issuedAt = clock.now(),
  ) {
    const uploadId = randomUUID();
    await store.putIssuedUpload({
      uploadId,
      caseId,
      agencyId: 'police',
      issuedAt: issuedAt.toISOString(),
      expiresAt: new Date(issuedAt.getTime() + 15 * 60_000).toISOString(),
    });
    const key = agencyUploadKey(caseId, 'police', uploadId);
    const uploads = new VersionedDocumentStore(UPLOAD_BUCKET);
    const versionId = uploads.store(key, file.body, file.contentType, clock.now());
    const documents = new VersionedDocumentStore('case-documents-test');
    return recordSummary(
      { cases: store, clock, uploads, documents, ...mailerPorts() },
      {
        eventName: 'ObjectCreated:Post',
        eventTime: clock.now().toISOString(),
        s3: {
          bucket: { name: UPLOAD_BUCKET },
          object: { key, size: file.body.byteLength, versionId, sequencer },
        },
      },
    );
  }
  const aPdfFile = { body: aPdf(), contentType: PDF };

  describe('GET /agency/{token}', () => {
    it('tells the agency what to return, by when in London time, and that it has not been received', async () => {
      const result = await open(`/agency/${token}`);

      expect(result.statusCode).toBe(200);
      const text = visibleText(String(result.body));
      expect(text).toContain("Return your agency's summary");
      expect(text).toContain(testProfile.partnershipName);
      expect(text).toContain(reference);
      expect(text).toContain('Police');
      expect(text).toContain('Initial Scoping and Information Sharing template');
      expect(text).toContain('CDOP Form A or B');
      expect(text).toContain('Return by 5pm on Tuesday 17 March 2026');
      expect(text).toContain('Not yet received');
      for (const personal of personalDetails(caseId)) expect(text).not.toContain(personal);
    });

    it('reads the link and the case once for the whole page', async () => {
      const findLink = vi.spyOn(store, 'findAgencyLink');
      const getCaseFile = vi.spyOn(store, 'getCaseFile');

      expect((await open(`/agency/${token}`)).statusCode).toBe(200);

      expect(findLink).toHaveBeenCalledTimes(1);
      expect(getCaseFile).toHaveBeenCalledTimes(1);
    });

    it('shows a received return with its time, and offers to replace it', async () => {
      clock.set('2026-03-10T09:15:00Z');
      await anUploadArrives(aPdfFile, '0010');

      const result = await open(`/agency/${token}`);

      const text = visibleText(String(result.body));
      expect(text).toContain('Received at 9:15am on Tuesday 10 March 2026');
      expect(text).toContain('Upload a new version');
      expect(text).toContain('A file you upload now replaces it.');
    });

    it('tags the return late once the deadline has passed without it', async () => {
      clock.set('2026-03-17T17:30:00Z');

      const result = await open(`/agency/${token}`);

      expect(visibleText(String(result.body))).toContain('Late: not yet received');
    });

    it('offers a form that posts the file straight to the upload bucket, working without JavaScript', async () => {
      const result = await open(`/agency/${token}`);

      const html = String(result.body);
      expect(html).toMatch(
        new RegExp(
          `<form method="post" action="https://[^"]*${UPLOAD_BUCKET}[^"]*" enctype="multipart/form-data"`,
        ),
      );
      // The person chooses the type without JavaScript (S3 stores the form's Content-Type, not the file's).
      expect(html).toContain(`name="Content-Type" type="radio" value="${PDF}" checked`);
      expect(html).toContain(`name="Content-Type" type="radio" value="${DOCX}"`);
      expect(html).toMatch(/<input class="govuk-file-upload"[^>]*name="file"[^>]*accept="\.pdf,\.docx,/);
      // Every field precedes the file, as S3 ignores fields after it.
      expect(html.indexOf('name="file"')).toBeGreaterThan(html.lastIndexOf('type="hidden"'));
      // A key of its own, recorded with the form's expiry, so only this form's upload is accepted.
      const key = hiddenField(html, 'key') ?? '';
      const [issued] = store.issuedUploadsOf(caseId);
      expect(key).toBe(agencyUploadKey(caseId, 'police', issued?.uploadId ?? 'none'));
      expect(issued).toMatchObject({ agencyId: 'police', expiresAt: '2026-03-09T13:00:00.000Z' });
      const redirect = new URL(hiddenField(html, 'success_action_redirect') ?? '');
      expect(`${redirect.origin}${redirect.pathname}`).toBe(
        `https://reviews.example.org/agency/${token}/uploaded`,
      );
      expect(redirect.searchParams.get('after')).toBe('2026-03-09T11:00:00.000Z');
      const policy = JSON.parse(
        Buffer.from(hiddenField(html, 'Policy') ?? '', 'base64').toString('utf8'),
      ) as {
        conditions: unknown[];
      };
      expect(policy.conditions).toEqual(
        expect.arrayContaining([
          ['content-length-range', 0, agencyUploadRules.maxBytes],
          ['starts-with', '$Content-Type', 'application/'],
          { success_action_redirect: redirect.toString() },
        ]),
      );
      const csp = String(result.headers?.['content-security-policy']);
      expect(csp).toMatch(/form-action 'self' https:\/\/[^ ;]+/);
      expect(csp).toMatch(/connect-src 'self' https:\/\/[^ ;]+/);
      expect(html).toContain(`data-upload-api="/api/agency/${token}/uploads"`);
    });

    it('lets the agency press Upload again at once after an error: no GOV.UK double-click guard on the button', async () => {
      const result = await open(`/agency/${token}`);

      // GOV.UK Frontend would swallow a second press within a second; the page's own script
      // refuses a second upload while one runs instead (test/e2e/agency-return.test.ts).
      const button = /<button[^>]*data-upload-button[^>]*>/.exec(String(result.body))?.[0];
      expect(button).toContain('type="submit"');
      expect(button).not.toContain('data-prevent-double-click');
    });

    it('shows the wrong-link page with 404 for an unknown or malformed link, naming no case', async () => {
      const unknown = await open(`/agency/${mintAgencyToken().token}`);
      const malformed = await open('/agency/not-a-token');

      for (const result of [unknown, malformed]) {
        expect(result.statusCode).toBe(404);
        const text = visibleText(String(result.body));
        expect(text).toContain('This link has expired or is not valid');
        expect(text).toContain(testProfile.partnershipTeamAddress);
        for (const revealing of [reference, 'Police', ...personalDetails(caseId)]) {
          expect(text).not.toContain(revealing);
        }
      }
    });

    it('shows the same page with 403 for an expired link', async () => {
      clock.set('2026-03-18T09:00:00Z');

      const expired = await open(`/agency/${token}`);
      const expiredConfirmation = await open(`/agency/${token}/uploaded`);

      expect([expired.statusCode, expiredConfirmation.statusCode]).toEqual([403, 403]);
      for (const result of [expired, expiredConfirmation]) {
        const text = visibleText(String(result.body));
        expect(text).toContain('This link has expired or is not valid');
        expect(text).not.toContain(reference);
        expect(text).not.toContain('Police');
      }
    });
  });

  describe('GET /agency/{token}/uploaded', () => {
    it('says the file is being checked until the upload is recorded, with a link to refresh', async () => {
      const result = await open(`/agency/${token}/uploaded`, 'after=2026-03-09T11:00:00.000Z');

      expect(result.statusCode).toBe(200);
      const html = String(result.body);
      expect(visibleText(html)).toContain('We are checking your file');
      expect(html).toContain(`href="/agency/${token}/uploaded?after=2026-03-09T11%3A00%3A00.000Z"`);
      expect(html).toContain('data-module="app-upload-check"');
    });

    it('confirms "Summary received" with the time once record-summary has recorded it', async () => {
      clock.set('2026-03-09T11:02:00Z');
      await anUploadArrives(aPdfFile, '0001');

      const result = await open(`/agency/${token}/uploaded`, 'after=2026-03-09T11:00:00.000Z');

      const text = visibleText(String(result.body));
      expect(text).toContain('Summary received');
      expect(text).toContain(reference);
      expect(text).toContain("We received Police's summary at 11:02am on Monday 9 March 2026.");
      expect(text).toContain('It arrived before the deadline of 5pm on Tuesday 17 March 2026.');
      for (const personal of personalDetails(caseId)) expect(text).not.toContain(personal);
    });

    it('says a summary that came after the deadline is recorded as late', async () => {
      clock.set('2026-03-17T18:00:00Z');
      await anUploadArrives({ body: aDocx(), contentType: DOCX }, '0002');

      const result = await open(`/agency/${token}/uploaded`, 'after=2026-03-17T17:59:00.000Z');

      const text = visibleText(String(result.body));
      expect(text).toContain('Summary received');
      expect(text).toContain('recorded as late');
      // Corrections are taken until the link stops working, at collation, not "until the meeting".
      expect(text).toMatch(
        /you can upload a new version until 9am on Wednesday 18 March 2026, when the summaries are collated/,
      );
    });

    it('sends the browser back to the upload form, whose error summary says why the file was refused, without JavaScript', async () => {
      await anUploadArrives({ body: aPdf(), contentType: 'binary/octet-stream' }, '0003');

      const { redirected, location, html, status } = await afterRefusal('after=2026-03-09T11:00:00.000Z');

      expect(redirected.statusCode).toBe(303);
      expect(location.pathname).toBe(`/agency/${token}`);
      expect(location.hash).toBe('#file');
      expect(status).toBe(200);
      const text = visibleText(html);
      expect(html).toMatch(/<title>Error: Return your agency/);
      // The error summary is shown (not hidden for the script), linking to the file field, which carries the same message.
      expect(html).toMatch(/<div class="govuk-error-summary" data-upload-error-summary>/);
      expect(html).toMatch(
        /<a href="#file" data-upload-error-text>The file was not a PDF or a Word document \(\.docx\)\. Upload a PDF or a Word document \(\.docx\) of up to 10 MB<\/a>/,
      );
      expect(html).toMatch(/<p id="file-error" class="govuk-error-message">/);
      expect(text).toContain('Your summary has not been received yet.');
      expect(text).not.toContain('Summary received');
      // A fresh form to upload again, on the same page.
      expect(hiddenField(html, 'key')).toBeDefined();
    });

    it('shows no error on the upload form for a refusal from before the one asked about', async () => {
      await anUploadArrives({ body: aPdf(), contentType: 'binary/octet-stream' }, '0003');

      const page = await open(`/agency/${token}`, 'rejected=2026-03-09T12:00:00.000Z');

      expect(String(page.body)).toMatch(/<div class="govuk-error-summary" data-upload-error-summary hidden>/);
      expect(String(page.body)).not.toContain('govuk-error-message');
    });

    it.each([
      [
        'Windows executable bytes sent as a PDF',
        { body: windowsExecutable(), contentType: PDF },
        'The file was not a PDF or a Word document (.docx).',
      ],
      [
        'a web page sent as a PDF',
        { body: htmlPage(), contentType: PDF },
        'The file was not a PDF or a Word document (.docx).',
      ],
      ['an empty file', { body: new Uint8Array(), contentType: PDF }, 'The file was empty.'],
      ['a file over 10 MB', { body: oversizePdf(), contentType: PDF }, 'The file was larger than 10 MB.'],
    ])('says in plain words why %s was refused', async (_name, file, why) => {
      await anUploadArrives(file, '0005');

      const text = visibleText((await afterRefusal('after=2026-03-09T11:00:00.000Z')).html);

      expect(text).toContain('There is a problem');
      expect(text).toContain(why);
    });

    it('says the form had expired when the file arrived after it, and that the earlier summary stands', async () => {
      await anUploadArrives(aPdfFile, '0006');
      clock.set('2026-03-09T12:00:00Z');
      await anUploadArrives(aPdfFile, '0007', new Date('2026-03-09T11:30:00Z'));

      const text = visibleText((await afterRefusal('after=2026-03-09T11:59:00.000Z')).html);

      expect(text).toContain('There is a problem');
      expect(text).toContain(
        'The upload form had expired before the file arrived. Open your link again and upload the file again.',
      );
      expect(text).toContain('The summary you sent before is still the one we hold.');
    });

    it('does not count an upload from before this one as its result', async () => {
      clock.set('2026-03-09T10:00:00Z');
      await anUploadArrives(aPdfFile, '0004');

      const result = await open(`/agency/${token}/uploaded`, 'after=2026-03-09T11:00:00.000Z');

      expect(visibleText(String(result.body))).toContain('We are checking your file');
    });

    it('sends the browser on without the bucket, key and etag S3 appends, so the case id leaves the address bar', async () => {
      const result = await open(
        `/agency/${token}/uploaded`,
        `after=2026-03-09T11%3A00%3A00.000Z&bucket=${UPLOAD_BUCKET}&key=${encodeURIComponent(agencyUploadKey(caseId, 'police', randomUUID()))}&etag=%22abc%22`,
      );

      expect(result.statusCode).toBe(303);
      expect(result.headers?.location).toBe(`/agency/${token}/uploaded?after=2026-03-09T11%3A00%3A00.000Z`);
    });
  });
});

describe('GET /api/agency/{token} tells what became of the latest upload (lastUpload)', () => {
  it('is null before any upload, and names a rejection with its reason', async () => {
    const store = new InMemoryCaseStore();
    const clock = new SettableClock('2026-03-09T11:00:00Z');
    const caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(record, agencies, {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Opened for the test',
    });
    const { token, tokenHash } = mintAgencyToken();
    await store.putAgencyLinks([
      {
        tokenHash,
        caseId,
        agencyId: 'police',
        expiresAt: '2026-03-18T09:00:00.000Z',
      },
    ]);
    const service = testService({ store, clock, s3: testS3Client() });
    const show = () => showAgencyRequest(service, { token });
    const before = await show();
    const uploadId = randomUUID();
    await store.putIssuedUpload({
      uploadId,
      caseId,
      agencyId: 'police',
      issuedAt: '2026-03-09T11:00:00.000Z',
      expiresAt: '2026-03-09T11:15:00.000Z',
    });
    const key = agencyUploadKey(caseId, 'police', uploadId);
    const uploads = new VersionedDocumentStore(UPLOAD_BUCKET);
    const versionId = uploads.store(key, new Uint8Array(), PDF, clock.now());

    await recordSummary(
      {
        cases: store,
        clock,
        uploads,
        documents: new VersionedDocumentStore('case-documents-test'),
        ...mailerPorts(),
      },
      {
        eventName: 'ObjectCreated:Post',
        eventTime: clock.now().toISOString(),
        s3: { bucket: { name: UPLOAD_BUCKET }, object: { key, versionId, sequencer: '01' } },
      },
    );

    expect(before.lastUpload).toBeNull();
    expect((await show()).lastUpload).toEqual({
      outcome: 'rejected',
      at: '2026-03-09T11:00:00.000Z',
      problem: 'The file was empty',
    });
  });
});

describe('londonTimeInWords', () => {
  it.for([
    ['2026-03-17T17:00:00Z', '5pm on Tuesday 17 March 2026'],
    ['2026-07-01T08:30:00Z', '9:30am on Wednesday 1 July 2026'],
    ['2026-07-01T11:00:00Z', 'midday on Wednesday 1 July 2026'],
    ['2026-01-05T00:00:00Z', 'midnight on Monday 5 January 2026'],
  ])('writes %s as "%s"', ([instant, words]) => {
    expect(londonTimeInWords(instant as string)).toBe(words);
  });
});
