import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import type { DocumentStore } from '../../../shared/adapters/documents.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { reportSectionKeys } from '../../../shared/schemas/report.ts';
import { uploadedFileKind } from '../../../shared/upload-contents.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { InMemoryDocumentStore } from '../workflow/workflow-fakes.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

describe('the rapid review report pages', () => {
  let store: InMemoryCaseStore;
  let documents: InMemoryDocumentStore;
  let app: ReturnType<typeof testWebApp>;
  let caseId: string;
  const team = () => signedIn(testUser('partnership-team'));

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    documents = new InMemoryDocumentStore();
    const service = testService({
      store,
      clock: new SettableClock('2026-03-23T15:30:00Z'),
      s3: testS3Client(),
    });
    (service as { documents: DocumentStore }).documents = documents;
    app = testWebApp(pages, { service });
    caseId = randomUUID();
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
      reason: 'Serious incident notification received',
    });
    await documents.put(
      record.notificationDocumentKey,
      JSON.stringify(sampleNotification()),
      'application/json',
    );
  });

  const get = (path: string) => app(webEvent({ path, cookies: team().cookies }));
  const post = (path: string, form: Record<string, string>) => {
    const browser = team();
    return app(webEvent({ path, cookies: browser.cookies, form, csrfToken: browser.csrfToken }));
  };
  const saveSection = (section: string, text: string) =>
    post(`/cases/${caseId}/report/sections/${section}`, { text });

  it('lists the eleven sections as a task list, each not yet started and linked to its page', async () => {
    const result = await get(`/cases/${caseId}/report`);

    expect(result.statusCode).toBe(200);
    const html = String(result.body);
    expect(html).toContain('govuk-task-list');
    expect(html.match(/Not yet started/g)).toHaveLength(12); // each section, and the report itself
    for (const key of reportSectionKeys)
      expect(html).toContain(`href="/cases/${caseId}/report/sections/${key}"`);
    expect(html).toContain('1. Whether the case meets the criteria');
    expect(html).toContain('11. Who took part in the decision');
  });

  it('saves a section and returns to the list, which shows it completed and the report in progress', async () => {
    const saved = await saveSection('facts', 'Invented facts (demo).\nA second line.');

    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe(`/cases/${caseId}/report`);
    const html = String((await get(`/cases/${caseId}/report`)).body);
    expect(html).toContain('In progress: 1 of 11 sections written.');
    expect(html.match(/Not yet started/g)).toHaveLength(10);
    const again = String((await get(`/cases/${caseId}/report/sections/facts`)).body);
    expect(again).toContain('Invented facts (demo).\nA second line.</textarea>');
  });

  it('shows the error beside the text when it is empty, and saves nothing', async () => {
    const result = await saveSection('facts', '   ');

    expect(result.statusCode).toBe(400);
    expect(String(result.body)).toContain('govuk-error-summary');
    expect(String(result.body)).toContain('Enter the text of &quot;Summary of the facts and context&quot;');
    expect((await store.getReport(caseId)).sections).toEqual([]);
  });

  it('answers 404 for a section that does not exist', async () => {
    expect((await get(`/cases/${caseId}/report/sections/summary`)).statusCode).toBe(404);
  });

  it('will not mark the report complete while a section is empty, naming those left', async () => {
    await saveSection('criteria', 'Invented (demo).');

    const check = String((await get(`/cases/${caseId}/report/complete`)).body);
    const refused = await post(`/cases/${caseId}/report/complete`, {});

    expect(check).toContain(`href="/cases/${caseId}/report/sections/participants"`);
    expect(check).not.toContain(`href="/cases/${caseId}/report/sections/criteria"`);
    expect(refused.statusCode).toBe(400);
    expect(String(refused.body)).toContain('govuk-error-summary');
    expect((await store.getReport(caseId)).completion).toBeUndefined();
  });

  it('marks a written report complete, files its PDF and Word copy, and then shows it read-only', async () => {
    for (const key of reportSectionKeys) await saveSection(key, `Invented text for ${key} (demo).`);

    const done = await post(`/cases/${caseId}/report/complete`, {});

    expect(done.statusCode).toBe(303);
    expect(documents.objects.get(`cases/${caseId}/rapid-review-report.pdf`)?.contentType).toBe(
      'application/pdf',
    );
    expect(uploadedFileKind(documents.objects.get(`cases/${caseId}/rapid-review-report.docx`)!.body)).toBe(
      'docx',
    );
    const list = String((await get(`/cases/${caseId}/report`)).body);
    expect(list).toContain('Completed: 11 of 11 sections written.');
    expect(list).not.toContain(`href="/cases/${caseId}/report/sections/`);
    expect((await get(`/cases/${caseId}/report/sections/facts`)).headers?.location).toBe(
      `/cases/${caseId}/report`,
    );
  });

  it("shows the report's progress on the case page, with a link for the team", async () => {
    await saveSection('facts', 'Invented facts (demo).');

    const html = String((await get(`/cases/${caseId}`)).body);

    expect(html).toContain('In progress: 1 of 11 sections written.');
    expect(html).toContain(`href="/cases/${caseId}/report"`);
  });
});
