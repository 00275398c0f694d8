import { beforeEach, describe, expect, it } from 'vitest';
import { rapidReviewReportEndpoints } from '../../../functions/rapid-review-report/handler.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { apiHandler } from '../../../shared/http/api-handler.ts';
import { reportSectionKeys } from '../../../shared/schemas/report.ts';
import { uploadedFileKind, zipEntryNames } from '../../../shared/upload-contents.ts';
import { showReport } from '../../../shared/use-cases/rapid-review-report.ts';
import { pdfText } from '../workflow/pdf-text.ts';
import { fakeService, openSampleCase } from '../workflow/workflow-fakes.ts';
import {
  apiEvent,
  invalidFieldsOf,
  invoke,
  notifier,
  partnershipTeam,
  rrgChair,
  type TestCaller,
} from './support/api-fixtures.ts';

const teamWithName: TestCaller = { ...partnershipTeam, name: 'Team Person (demo)' };

describe('rapid-review-report: the report drafted through the API', () => {
  let fakes: ReturnType<typeof fakeService>;
  let handler: ReturnType<typeof apiHandler>;
  let caseId: string;

  beforeEach(async () => {
    fakes = fakeService('2026-03-19T14:05:00Z');
    const record = await openSampleCase(fakes.cases);
    caseId = record.caseId;
    await fakes.documents.put(
      record.notificationDocumentKey,
      JSON.stringify(sampleNotification()),
      'application/json',
    );
    handler = apiHandler('rapid-review-report', rapidReviewReportEndpoints(fakes.service));
  });

  const save = (section: string, body: unknown, caller: TestCaller = teamWithName, id = caseId) =>
    invoke(
      handler,
      apiEvent({
        method: 'PUT',
        path: `/api/cases/${id}/report/sections/${section}`,
        routePath: '/api/cases/{caseId}/report/sections/{section}',
        pathParameters: { caseId: id, section },
        body,
        caller,
      }),
    );
  const complete = (caller: TestCaller = teamWithName) =>
    invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: `/api/cases/${caseId}/report/complete`,
        routePath: '/api/cases/{caseId}/report/complete',
        pathParameters: { caseId },
        caller,
      }),
    );
  const writeEverySection = async () => {
    for (const key of reportSectionKeys) {
      const response = await save(key, { text: `Invented text for ${key} (demo).\nA second line.` });
      expect(response.status).toBe(200);
    }
  };

  it('saves a section over several lines, audited, and counts it in the progress', async () => {
    const response = await save('facts', { text: '  Invented facts (demo).\n\nA second paragraph.  ' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      section: 'facts',
      text: 'Invented facts (demo).\n\nA second paragraph.',
      progress: { sectionsDone: 1, sectionsTotal: 11, complete: false },
    });
    expect(fakes.cases.auditOf(caseId).at(-1)).toMatchObject({
      action: 'report.section-saved',
      actor: { kind: 'staff', id: partnershipTeam.sub, role: 'partnership-team' },
      details: { section: 'facts' },
    });
    const view = await showReport(fakes.service, { caseId });
    expect(view.sections.find((section) => section.key === 'facts')).toMatchObject({
      status: 'completed',
      savedByName: 'Team Person (demo)',
    });
    expect(view.sections.find((section) => section.key === 'criteria')?.status).toBe('not-started');
  });

  it('replaces a section saved before, so a person can return to it', async () => {
    await save('facts', { text: 'First draft (demo).' });
    await save('facts', { text: 'Second draft (demo).' });

    const report = await fakes.cases.getReport(caseId);
    expect(report.sections.map(({ text }) => text)).toEqual(['Second draft (demo).']);
  });

  it('refuses an unknown section with 400 naming `section`, and saves nothing', async () => {
    const response = await save('summary', { text: 'Invented (demo).' });

    expect(response.status).toBe(400);
    expect(invalidFieldsOf(response.body)).toEqual(['section']);
    expect((await fakes.cases.getReport(caseId)).sections).toEqual([]);
  });

  it('refuses empty text, text over 20,000 characters and control characters, naming `text`', async () => {
    for (const text of ['   ', 'x'.repeat(20_001), 'Invented \u0007 bell (demo).']) {
      const response = await save('facts', { text });
      expect(response.status).toBe(400);
      expect(invalidFieldsOf(response.body)).toEqual(['text']);
    }
    expect((await save('facts', { text: 'x'.repeat(20_000) })).status).toBe(200);
  });

  it('is for the partnership team only', async () => {
    expect((await save('facts', { text: 'Invented (demo).' }, rrgChair)).status).toBe(403);
    expect((await save('facts', { text: 'Invented (demo).' }, notifier)).status).toBe(403);
    expect((await complete(rrgChair)).status).toBe(403);
  });

  it('answers 404 for a case that does not exist', async () => {
    const response = await save(
      'facts',
      { text: 'Invented (demo).' },
      teamWithName,
      '00000000-0000-4000-8000-000000000000',
    );

    expect(response.status).toBe(404);
  });

  it('refuses to complete a report with empty sections, naming them, and files nothing', async () => {
    await save('criteria', { text: 'Invented (demo).' });

    const response = await complete();

    expect(response.status).toBe(422);
    expect(response.body.detail).toContain('immediate-safeguarding');
    expect(response.body.detail).toContain('participants');
    expect(response.body.detail).not.toContain('criteria,');
    expect((await fakes.cases.getReport(caseId)).completion).toBeUndefined();
    expect([...fakes.documents.objects.keys()].filter((key) => key.includes('rapid-review-report'))).toEqual(
      [],
    );
  });

  it('completes a written report, filing a PDF and a Word copy with the partnership, the Panel reference and the child', async () => {
    await writeEverySection();

    const response = await complete();

    expect(response.status).toBe(201);
    const pdfKey = `cases/${caseId}/rapid-review-report.pdf`;
    const docxKey = `cases/${caseId}/rapid-review-report.docx`;
    expect(response.body).toEqual({
      completedAt: '2026-03-19T14:05:00.000Z',
      documents: { pdf: pdfKey, docx: docxKey },
    });
    const pdf = fakes.documents.objects.get(pdfKey)!;
    expect(pdf.contentType).toBe('application/pdf');
    const text = await pdfText(pdf.body);
    expect(text).toContain(`Partnership\n${fakes.service.profile.partnershipName}`);
    expect(text).toContain('PANEL-DEMO-0001');
    expect(text).toContain("The child's identifying details");
    expect(text).toContain('Demo Child One');
    expect(text).toContain('11. Who took part in the decision');
    expect(text).toContain('Invented text for participants (demo).');
    const docx = fakes.documents.objects.get(docxKey)!;
    expect(uploadedFileKind(docx.body)).toBe('docx');
    expect(zipEntryNames(docx.body)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
    const wordText = new TextDecoder().decode(docx.body);
    expect(wordText).toContain('Demo Child One');
    expect(wordText).toContain('Invented text for equality (demo).');
    expect(fakes.cases.auditOf(caseId).at(-1)).toMatchObject({
      action: 'report.completed',
      details: { pdf: pdfKey, docx: docxKey },
    });
    expect((await showReport(fakes.service, { caseId })).progress).toEqual({
      sectionsDone: 11,
      sectionsTotal: 11,
      complete: true,
      completedAt: '2026-03-19T14:05:00.000Z',
    });
  });

  it('refuses changes and a second completion once the report is complete', async () => {
    await writeEverySection();
    await complete();

    expect((await save('facts', { text: 'A late change (demo).' })).status).toBe(409);
    expect((await complete()).status).toBe(409);
    const report = await fakes.cases.getReport(caseId);
    expect(report.sections.find((section) => section.section === 'facts')?.text).toContain(
      'Invented text for facts',
    );
  });
});
