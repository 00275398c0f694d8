import { rulesOf } from '../config/partnership-profile.ts';
import { ConflictError, InvalidInputError, NotFoundError, RefusedError, StaleWriteError } from '../errors.ts';
import { logInfo } from '../log.ts';
import type { CaseRecord } from '../schemas/case.ts';
import { type NotifiedChild, notifiedChild } from '../schemas/notification.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import {
  type ReportCompletion,
  type ReportSectionKey,
  reportDocumentKeys,
  reportSectionInput,
  reportSectionKey,
  reportSectionKeys,
  reportSectionWording,
  type SavedReportSection,
  type StoredReport,
} from '../schemas/report.ts';
import { type Actor, type StaffMember, staffActor } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { resumeNowOrLater } from '../workflow/owed-resume.ts';
import { rapidReviewReportDocx, rapidReviewReportPdf } from '../workflow/rapid-review-report.ts';
import { repeatedLearningParagraphs } from '../workflow/repeated-learning.ts';

/**
 * The rapid review report (issue 9 part 5): the partnership team drafts it section by section,
 * saving and returning as often as it likes, then marks it complete, which files it as a PDF and a
 * Word copy with the case's documents. Once complete it no longer changes.
 */

/** How far the report has got: sections with text, of how many, and whether it is complete. */
export interface ReportProgress {
  sectionsDone: number;
  sectionsTotal: number;
  complete: boolean;
  completedAt?: string;
}

/** One section as the task list shows it. */
export interface ReportSectionView {
  key: ReportSectionKey;
  number: number;
  title: string;
  hint: string;
  text?: string;
  savedAt?: string;
  savedByName?: string;
  status: 'not-started' | 'completed';
}

/** The report as the pages show it. */
export interface ReportView {
  caseId: string;
  reference: string;
  panelReference: string;
  sections: ReportSectionView[];
  progress: ReportProgress;
  completion?: ReportCompletion;
}

const notFound = () => new NotFoundError('There is no case with this id');

/** The report's progress, from what is stored. */
export function reportProgress(report: StoredReport): ReportProgress {
  return {
    sectionsDone: report.sections.length,
    sectionsTotal: reportSectionKeys.length,
    complete: report.completion !== undefined,
    ...(report.completion ? { completedAt: report.completion.completedAt } : {}),
  };
}

/** The report's own status, in words: not yet started, in progress or completed. */
export function reportStatusInWords(progress: ReportProgress): string {
  if (progress.complete) return 'Completed';
  if (progress.sectionsDone === 0) return 'Not yet started';
  return 'In progress';
}

/** The sections that have no text yet, in report order. */
export function emptySections(report: StoredReport): ReportSectionKey[] {
  const written = new Set(report.sections.map((section) => section.section));
  return reportSectionKeys.filter((key) => !written.has(key));
}

async function caseOf(service: Pick<Service, 'cases'>, caseId: string): Promise<CaseRecord> {
  const parsed = caseIdSchema.safeParse(caseId);
  if (!parsed.success) throw notFound();
  const record = await service.cases.getCase(parsed.data);
  if (!record) throw notFound();
  return record;
}

/** Whether `value` names a report section. */
export function isReportSection(value: string): value is ReportSectionKey {
  return (reportSectionKeys as readonly string[]).includes(value);
}

/**
 * The report of a case: each section with its text and status, and the report's progress.
 *
 * @throws NotFoundError for an unknown or malformed case id.
 */
export async function showReport(
  service: Pick<Service, 'cases'>,
  query: { caseId: string },
): Promise<ReportView> {
  const record = await caseOf(service, query.caseId);
  const report = await service.cases.getReport(record.caseId);
  const saved = new Map(report.sections.map((section) => [section.section, section]));
  return {
    caseId: record.caseId,
    reference: record.reference,
    panelReference: record.panelReference,
    sections: reportSectionKeys.map((key, index) => {
      const section = saved.get(key);
      return {
        key,
        number: index + 1,
        ...reportSectionWording[key],
        ...(section
          ? {
              text: section.text,
              savedAt: section.savedAt,
              ...(section.savedByName ? { savedByName: section.savedByName } : {}),
            }
          : {}),
        status: section ? 'completed' : 'not-started',
      };
    }),
    progress: reportProgress(report),
    ...(report.completion ? { completion: report.completion } : {}),
  };
}

const completedRefusal = (record: CaseRecord) =>
  new ConflictError(
    `The rapid review report on case ${record.reference} is complete: it can no longer be changed`,
    'Report complete',
  );

const actorOf = (member: StaffMember): Actor => staffActor(member, 'partnership-team');

/**
 * Saves one section's text, replacing what was saved before.
 *
 * @throws NotFoundError (no such case), InvalidInputError (`section` unknown, or `text` empty,
 * too long or holding control characters), ConflictError (the report is complete).
 */
export async function saveReportSection(
  service: Pick<Service, 'cases' | 'clock'>,
  input: { caseId: string; section: string; body: unknown; author: StaffMember },
): Promise<SavedReportSection> {
  const record = await caseOf(service, input.caseId);
  const section = reportSectionKey.safeParse(input.section);
  if (!section.success) {
    throw new InvalidInputError('report section', [
      {
        field: 'section',
        message: `There is no report section "${input.section}"; the sections are ${reportSectionKeys.join(', ')}`,
      },
    ]);
  }
  const { text } = parseInput(reportSectionInput, input.body, 'report section');
  const report = await service.cases.getReport(record.caseId);
  if (report.completion) throw completedRefusal(record);
  const at = service.clock.now().toISOString();
  const saved: SavedReportSection = {
    caseId: record.caseId,
    section: section.data,
    text,
    savedAt: at,
    savedBy: input.author.id,
    ...(input.author.name ? { savedByName: input.author.name } : {}),
  };
  try {
    await service.cases.saveReportSection(saved, {
      actor: actorOf(input.author),
      at,
      action: 'report.section-saved',
      reason: `Saved the report section "${reportSectionWording[section.data].title}"`,
      details: { section: section.data, characters: text.length },
    });
  } catch (error) {
    // The report was completed between our read and our write.
    if (error instanceof StaleWriteError) throw completedRefusal(record);
    throw error;
  }
  return saved;
}

/** The children named in the case's notification document, each as the notification gave them. */
async function childrenOf(service: Pick<Service, 'documents'>, record: CaseRecord): Promise<NotifiedChild[]> {
  const bytes = await service.documents.getBytes(record.notificationDocumentKey);
  const notification = JSON.parse(new TextDecoder().decode(bytes)) as { children?: unknown };
  const children = Array.isArray(notification.children) ? notification.children : [];
  return children.flatMap((child) => {
    const parsed = notifiedChild.safeParse(child);
    return parsed.success ? [parsed.data] : [];
  });
}

/** What marking the report complete touches. */
export type CompleteReportPorts = Pick<Service, 'cases' | 'clock' | 'documents' | 'profile' | 'workflow'> & {
  /** When given, the report says the review's learning themes and which learning repeats (issue 14). */
  learning?: Pick<Service['learning'], 'getReviewLearning'>;
};

/**
 * Marks the report complete: every section must have text. Files the report as a PDF and a Word
 * copy first, then records the completion, so a complete report always has its documents (a
 * retry after a failed write files them again).
 *
 * @throws NotFoundError (no such case), RefusedError (sections without text, each named),
 * ConflictError (already complete).
 */
export async function completeReport(
  service: CompleteReportPorts,
  input: { caseId: string; author: StaffMember },
): Promise<ReportCompletion & { documents: { pdf: string; docx: string } }> {
  const record = await caseOf(service, input.caseId);
  const report = await service.cases.getReport(record.caseId);
  if (report.completion) {
    throw new ConflictError(
      `The rapid review report on case ${record.reference} is already complete`,
      'Report complete',
    );
  }
  const empty = emptySections(report);
  if (empty.length > 0) {
    throw new RefusedError(
      `The report cannot be marked complete until every section has text. These sections have none yet: ${empty.join(', ')}`,
      'Report not finished',
    );
  }
  const now = service.clock.now();
  const completion: ReportCompletion = {
    caseId: record.caseId,
    completedAt: now.toISOString(),
    completedBy: input.author.id,
    ...(input.author.name ? { completedByName: input.author.name } : {}),
  };
  const context = {
    partnershipName: service.profile.partnershipName,
    timeZone: rulesOf(service.profile).timeZone,
    now,
  };
  const children = await childrenOf(service, record);
  const learningParagraphs = service.learning
    ? repeatedLearningParagraphs(
        service.profile,
        await service.learning.getReviewLearning('rapid-review', record.caseId),
      )
    : [];
  const finished: StoredReport = { sections: report.sections, completion };
  const documents = {
    pdf: reportDocumentKeys.pdf(record.caseId),
    docx: reportDocumentKeys.docx(record.caseId),
  };
  await service.documents.put(
    documents.pdf,
    await rapidReviewReportPdf(record, finished, children, context, learningParagraphs),
    'application/pdf',
  );
  await service.documents.put(
    documents.docx,
    rapidReviewReportDocx(record, finished, children, context, learningParagraphs),
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  );
  try {
    await service.cases.completeReport(completion, {
      actor: actorOf(input.author),
      at: completion.completedAt,
      action: 'report.completed',
      reason: 'The partnership team marked the rapid review report complete',
      details: { pdf: documents.pdf, docx: documents.docx },
    });
  } catch (error) {
    if (error instanceof StaleWriteError) {
      throw new ConflictError(
        `The rapid review report on case ${record.reference} is already complete`,
        'Report complete',
      );
    }
    throw error;
  }
  // The completion marked the case as owing the workflow a resume: settled now, or by the sweep.
  await resumeNowOrLater(service, record.caseId);
  logInfo('Rapid review report completed', { caseId: record.caseId });
  return { ...completion, documents };
}
