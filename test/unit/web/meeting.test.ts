import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { csrfFieldName } from '../../../functions/web/session.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import { aPdf, htmlPage } from '../../support/test-files.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { InMemoryDocumentStore, openSampleCase, RecordingMailer } from '../workflow/workflow-fakes.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/** The schedule page's answers: 10am on Friday 3 April 2026, in person. */
const meetingForm = {
  'date-day': '3',
  'date-month': '4',
  'date-year': '2026',
  time: '10:00',
  where: 'place',
  place: 'Room 1, Town Hall (invented)',
  callLink: '',
};

const row = (index: number, overrides: Record<string, string> = {}) => {
  const fields = {
    name: `Attendee ${index + 1} (invented)`,
    agency: 'Police',
    role: 'Inspector',
    conflicts: 'none',
    confidentialityAgreed: 'yes',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(fields).map(([field, value]) => [`attendees-${index}-${field}`, value]),
  );
};

/** A multipart POST, as a browser sends a file upload form. */
async function multipartEvent(
  path: string,
  browser: { cookies: string[]; csrfToken: string },
  file?: { name: string; bytes: Uint8Array },
) {
  const form = new FormData();
  form.append(csrfFieldName, browser.csrfToken);
  if (file)
    form.append(
      'file',
      new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }),
      file.name,
    );
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

describe('the Rapid Review Group meeting pages', () => {
  let store: InMemoryCaseStore;
  let mailer: RecordingMailer;
  let documents: InMemoryDocumentStore;
  let app: ReturnType<typeof testWebApp>;
  let record: CaseRecord;
  const team = () => signedIn(testUser('partnership-team'));

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    mailer = new RecordingMailer();
    documents = new InMemoryDocumentStore();
    const service = testService({
      store,
      clock: new SettableClock('2026-03-30T10:00:00Z'),
      s3: testS3Client(),
      mailer,
    });
    app = testWebApp(pages, {
      service: Object.assign(service, {
        documents,
        workflow: { progress: async () => ({ status: 'not-started' }) } as unknown as typeof service.workflow,
      }),
    });
    record = await openSampleCase(store, { changes: { status: 'awaiting-summaries' } });
  });

  const post = (path: string, form: Record<string, string>) => {
    const browser = team();
    return app(webEvent({ path, cookies: browser.cookies, form, csrfToken: browser.csrfToken }));
  };

  it('schedules the meeting: question, errors, check your answers, confirm, the invitations, the confirmation', async () => {
    const base = `/cases/${record.caseId}/meeting`;
    const question = await app(webEvent({ path: base, cookies: team().cookies }));
    const empty = await post(`${base}/check`, {});
    const check = await post(`${base}/check`, meetingForm);
    const confirmed = await post(`${base}/confirm`, meetingForm);
    const confirmation = await app(webEvent({ path: `${base}/confirmation`, cookies: team().cookies }));

    expect(question.statusCode).toBe(200);
    expect(question.body).toContain('Schedule the Rapid Review Group meeting');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the date of the meeting');
    expect(empty.body).toContain('Select where the meeting is');
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('10am on Friday 3 April 2026');
    expect(confirmed).toMatchObject({ statusCode: 303, headers: { location: `${base}/confirmation` } });
    expect(confirmation.body).toContain('Meeting scheduled');
    expect(mailer.sent.map((email) => email.message.to[0]).sort()).toEqual([
      'rrg-chair@example.org',
      'rrg-member@example.org',
    ]);
  });

  it('refuses a date in the past on the page, in the use case’s words', async () => {
    const answer = await post(`/cases/${record.caseId}/meeting/check`, {
      ...meetingForm,
      'date-month': '3',
      'date-day': '2',
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('The date of the meeting must be today or in the future');
  });

  it('records who attended: an attendee without confidentiality is named; "add another" adds a row; the case page shows the declarations', async () => {
    await post(`/cases/${record.caseId}/meeting/confirm`, meetingForm);
    const base = `/cases/${record.caseId}/meeting/attendance`;

    const refused = await post(`${base}/check`, { ...row(0), ...row(1, { confidentialityAgreed: '' }) });
    const added = await post(base, { ...row(0), action: 'add' });
    const check = await post(`${base}/check`, { ...row(0), ...row(1, { conflicts: 'Knows the family' }) });
    const confirmed = await post(`${base}/confirm`, {
      ...row(0),
      ...row(1, { conflicts: 'Knows the family' }),
    });
    const casePage = await app(webEvent({ path: `/cases/${record.caseId}`, cookies: team().cookies }));

    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Attendee 2 must agree to keep the meeting confidential');
    expect(refused.body).toContain('href="#attendees-1-confidentialityAgreed"');
    expect(added.body).toContain('Attendee 2');
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Knows the family');
    expect(confirmed.statusCode).toBe(303);
    expect(casePage.body).toContain('Rapid Review Group meeting');
    expect(casePage.body).toContain('10am on Friday 3 April 2026');
    expect(casePage.body).toContain('Knows the family');
    expect(casePage.body).toContain('None declared');
  });

  it('uploads the minutes as a multipart form, checked by their bytes', async () => {
    await post(`/cases/${record.caseId}/meeting/confirm`, meetingForm);
    const path = `/cases/${record.caseId}/meeting/minutes`;

    const form = await app(webEvent({ path, cookies: team().cookies }));
    const none = await app(await multipartEvent(path, team()));
    const wrong = await app(await multipartEvent(path, team(), { name: 'minutes.pdf', bytes: htmlPage() }));
    const uploaded = await app(await multipartEvent(path, team(), { name: 'minutes.pdf', bytes: aPdf() }));

    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select the minutes');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('must be a PDF or a Word document');
    expect(uploaded).toMatchObject({ statusCode: 303, headers: { location: `${path}/uploaded` } });
    expect([...documents.objects.keys()]).toEqual([`cases/${record.caseId}/meeting/minutes.pdf`]);
  });

  it('refuses the Panel letter page before the reply is recorded', async () => {
    const answer = await app(
      webEvent({ path: `/cases/${record.caseId}/panel-reply/letter`, cookies: team().cookies }),
    );
    expect(answer.statusCode).toBe(409);
    expect(answer.body).toContain('Panel reply not yet recorded');
  });
});
