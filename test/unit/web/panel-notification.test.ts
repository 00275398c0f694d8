import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import type { SessionUser } from '../../../functions/web/session.ts';
import { csrfFieldName } from '../../../functions/web/session.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import { aDocx, aPdf } from '../../support/test-files.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { InMemoryDocumentStore, openSampleCase, RecordingMailer } from '../workflow/workflow-fakes.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/** The notifier who sent the sample notification (its case.opened actor). */
const sender: SessionUser = { id: 'user-notifier-test', name: 'Notifier (test)', roles: ['notifier'] };
const otherNotifier: SessionUser = {
  id: 'user-other-notifier',
  name: 'Other Notifier (test)',
  email: 'other@example.org',
  roles: ['notifier'],
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

describe("the local authority's notification to the Panel pages (issue 10 part 5)", () => {
  let store: InMemoryCaseStore;
  let documents: InMemoryDocumentStore;
  let app: ReturnType<typeof testWebApp>;
  let record: CaseRecord;
  let path: string;

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    documents = new InMemoryDocumentStore();
    const service = testService({
      store,
      clock: new SettableClock('2026-03-05T10:00:00Z'),
      s3: testS3Client(),
      mailer: new RecordingMailer(),
    });
    app = testWebApp(pages, {
      service: Object.assign(service, {
        documents,
        workflow: { progress: async () => ({ status: 'not-started' }) } as unknown as typeof service.workflow,
      }),
    });
    record = await openSampleCase(store, { changes: { status: 'awaiting-summaries' } });
    path = `/cases/${record.caseId}/panel-notification`;
  });

  it('links the upload from the notification’s confirmation page', async () => {
    const page = await app(
      webEvent({ path: `/notify/confirmation/${record.caseId}`, cookies: signedIn(sender).cookies }),
    );

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Upload the local authority’s notification to the Panel (PDF)');
    expect(page.body).toContain(`href="${path}"`);
  });

  it('lets the notifier who sent it upload a PDF (multipart), checked by its bytes, then confirms', async () => {
    const form = await app(webEvent({ path, cookies: signedIn(sender).cookies }));
    const none = await app(await multipartEvent(path, signedIn(sender)));
    const wrong = await app(await multipartEvent(path, signedIn(sender), { name: 'p.pdf', bytes: aDocx() }));
    const uploaded = await app(
      await multipartEvent(path, signedIn(sender), { name: 'to-panel.pdf', bytes: aPdf() }),
    );
    const confirmation = await app(webEvent({ path: `${path}/uploaded`, cookies: signedIn(sender).cookies }));

    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(form.body).toContain(`/notify/confirmation/${record.caseId}`);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select the notification to the Panel');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The selected file must be a PDF');
    expect(uploaded).toMatchObject({ statusCode: 303, headers: { location: `${path}/uploaded` } });
    expect([...documents.objects.keys()]).toEqual([`cases/${record.caseId}/panel-notification.pdf`]);
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain('Notification to the Panel uploaded');
    expect(confirmation.body).toContain('to-panel.pdf');
  });

  it('gives a notifier matched by the notification’s email alone a back link they can follow, not the sender’s confirmation', async () => {
    const byEmail = signedIn({
      id: 'user-colleague-notifier',
      name: 'Colleague (test)',
      email: record.notifierEmail.toUpperCase(),
      roles: ['notifier'],
    });

    const form = await app(webEvent({ path, cookies: byEmail.cookies }));
    await app(await multipartEvent(path, byEmail, { name: 'to-panel.pdf', bytes: aPdf() }));
    const uploaded = await app(webEvent({ path: `${path}/uploaded`, cookies: byEmail.cookies }));
    const senderConfirmation = await app(
      webEvent({ path: `/notify/confirmation/${record.caseId}`, cookies: byEmail.cookies }),
    );
    const start = await app(webEvent({ path: '/', cookies: byEmail.cookies }));

    expect(form.statusCode).toBe(200);
    expect(uploaded.statusCode).toBe(200);
    for (const page of [form, uploaded]) {
      expect(page.body).not.toContain(`/notify/confirmation/${record.caseId}`);
      expect(page.body).toMatch(/href="\/your-notifications"[^>]*>\s*Go to your notifications/);
    }
    // The sender's confirmation is not theirs to see; the start page and their notifications are.
    expect(senderConfirmation.statusCode).toBe(404);
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('Notify a serious incident');
    expect(start.body).toContain('href="/your-notifications"');
  });

  it('refuses another notifier (403) and a role that is not allowed', async () => {
    const other = await app(webEvent({ path, cookies: signedIn(otherNotifier).cookies }));
    const posted = await app(
      await multipartEvent(path, signedIn(otherNotifier), { name: 'p.pdf', bytes: aPdf() }),
    );
    const chair = await app(webEvent({ path, cookies: signedIn(testUser('rrg-chair')).cookies }));

    expect(other.statusCode).toBe(403);
    expect(posted.statusCode).toBe(403);
    expect(chair.statusCode).toBe(403);
    expect(documents.objects.size).toBe(0);
  });

  it('shows the team the link on the case page, and what was uploaded', async () => {
    const team = signedIn(testUser('partnership-team'));
    const before = await app(webEvent({ path: `/cases/${record.caseId}`, cookies: team.cookies }));
    expect(before.body).toContain('Upload the local authority’s notification to the Panel (PDF)');

    await app(await multipartEvent(path, team, { name: 'from-the-la.pdf', bytes: aPdf() }));
    const after = await app(webEvent({ path: `/cases/${record.caseId}`, cookies: team.cookies }));
    expect(after.body).toContain('from-the-la.pdf, uploaded');
  });

  it('refuses the page once the papers are collated (409), and the links are gone', async () => {
    store.overwriteCase({ ...record, status: 'collating' });
    const team = signedIn(testUser('partnership-team'));

    const answer = await app(webEvent({ path, cookies: team.cookies }));
    const casePage = await app(webEvent({ path: `/cases/${record.caseId}`, cookies: team.cookies }));
    const confirmation = await app(
      webEvent({ path: `/notify/confirmation/${record.caseId}`, cookies: signedIn(sender).cookies }),
    );

    expect(answer.statusCode).toBe(409);
    expect(answer.body).toContain('Papers already collated');
    expect(casePage.body).not.toContain('Upload the local authority’s notification to the Panel');
    expect(confirmation.body).not.toContain('Upload the local authority’s notification to the Panel');
  });
});
