import { renderDocx } from '../documents/docx.ts';
import { type PdfBlock, renderPdf } from '../documents/pdf.ts';
import type { CaseRecord } from '../schemas/case.ts';
import {
  addressInOneLine,
  childLabel,
  disabilityInWords,
  ethnicityInWords,
  formatNhsNumber,
  lookedAfterInWords,
  type NotifiedChild,
  planStatusWords,
} from '../schemas/notification.ts';
import { reportSectionKeys, reportSectionWording, type StoredReport } from '../schemas/report.ts';
import { formatDate, formatInstant } from './london-time.ts';
import type { PaperContext } from './papers.ts';
import { incidentKindLabel } from './wording.ts';

/**
 * The finished rapid review report, as a PDF and as a Word copy from the same blocks: the
 * partnership's name, the Panel reference, the child's identifying details (from the
 * notification document: this report goes only to the Panel and to signed-in staff), then the
 * eleven sections in order.
 */

/** Where the report's documents are kept with the case's other documents. */
export { reportDocumentKeys } from '../schemas/report.ts';

export const REPORT_TITLE = 'Rapid review report';

const sexLabel = { female: 'Female', male: 'Male', 'not-known': 'Not known' } as const;

/** One child's identifying details, as the Panel needs them. */
export function childRows(child: NotifiedChild): [string, string][] {
  const born =
    child.identity === 'unborn'
      ? 'Unborn'
      : child.dateOfBirth
        ? formatDate(child.dateOfBirth, { weekday: false })
        : child.ageYears !== undefined
          ? `Not known (aged ${child.ageYears})`
          : 'Not known';
  return [
    ['Child', childLabel(child)],
    ['Date of birth', born],
    ['Sex', sexLabel[child.sex]],
    ['Ethnicity', ethnicityInWords(child.ethnicity)],
    ...(child.disability
      ? ([['Disability', disabilityInWords(child.disability)]] as [string, string][])
      : []),
    ['Looked after', lookedAfterInWords(child)],
    ...(child.careLeaver ? ([['Care leaver', 'Yes']] as [string, string][]) : []),
    ...(child.childProtectionPlan
      ? ([['Child protection plan', planStatusWords.childProtectionPlan[child.childProtectionPlan]]] as [
          string,
          string,
        ][])
      : []),
    ...(child.childInNeed
      ? ([['Child in need', planStatusWords.childInNeed[child.childInNeed]]] as [string, string][])
      : []),
    ...(child.address ? ([['Address', addressInOneLine(child.address)]] as [string, string][]) : []),
    ...(child.nhsNumber ? ([['NHS number', formatNhsNumber(child.nhsNumber)]] as [string, string][]) : []),
  ];
}

/** The report's blocks, shared by the PDF and the Word copy. */
export function reportBlocks(
  record: CaseRecord,
  report: StoredReport,
  children: readonly NotifiedChild[],
  context: PaperContext,
  /** The review's learning themes and which of its learning points repeat earlier learning (issue 14). */
  learningParagraphs: readonly string[] = [],
): PdfBlock[] {
  const completion = report.completion;
  const text = new Map(report.sections.map((section) => [section.section, section.text]));
  return [
    {
      kind: 'fields',
      rows: [
        ['Partnership', context.partnershipName],
        ['Panel reference', record.panelReference],
        ['Case reference', record.reference],
        ['Notified by', record.notifyingLocalAuthority],
        ['Incident', incidentKindLabel(record.incidentKind)],
        ['Notification received', formatInstant(record.receivedAt, context.timeZone)],
        ...(completion
          ? ([
              ['Report completed', formatInstant(completion.completedAt, context.timeZone)],
              ['Completed by', completion.completedByName ?? 'The partnership team'],
            ] as [string, string][])
          : []),
      ],
    },
    { kind: 'heading', text: "The child's identifying details" },
    {
      kind: 'paragraph',
      text: 'For the Child Safeguarding Practice Review Panel and signed-in staff of the partnership only.',
    },
    ...children.flatMap((child): PdfBlock[] => [{ kind: 'fields', rows: childRows(child) }]),
    ...reportSectionKeys.flatMap((key, index): PdfBlock[] => [
      { kind: 'heading', text: `${index + 1}. ${reportSectionWording[key].title}` },
      { kind: 'paragraph', text: text.get(key) ?? 'Not written.' },
      ...(key === 'immediate-learning'
        ? learningParagraphs.map((paragraph): PdfBlock => ({ kind: 'paragraph', text: paragraph }))
        : []),
    ]),
  ];
}

/** The report as a PDF. */
export function rapidReviewReportPdf(
  record: CaseRecord,
  report: StoredReport,
  children: readonly NotifiedChild[],
  context: PaperContext,
  learningParagraphs: readonly string[] = [],
): Promise<Uint8Array> {
  return renderPdf({
    title: REPORT_TITLE,
    author: context.partnershipName,
    createdAt: context.now,
    footer: `Rapid Review ${record.reference}, Panel reference ${record.panelReference}`,
    blocks: reportBlocks(record, report, children, context, learningParagraphs),
  });
}

/** The report as a Word document, for a partnership that must edit it. */
export function rapidReviewReportDocx(
  record: CaseRecord,
  report: StoredReport,
  children: readonly NotifiedChild[],
  context: PaperContext,
  learningParagraphs: readonly string[] = [],
): Uint8Array {
  return renderDocx({
    title: REPORT_TITLE,
    author: context.partnershipName,
    createdAt: context.now,
    blocks: reportBlocks(record, report, children, context, learningParagraphs),
  });
}
