import { type PdfBlock, renderPdf } from '../documents/pdf.ts';
import type { ScrutinyCommentary } from '../stores/scrutiny-commentary-store.ts';
import { formatDateOf, formatInstant } from '../workflow/london-time.ts';
import type { ScrutinyReport } from './report.ts';

const LONDON = 'Europe/London';

/**
 * The six-monthly report as a PDF for the Executive Board (shared/documents/pdf.ts): the same
 * sections and tables as the page, then the scrutineer's commentary. No child is named.
 */
export function scrutinyReportPdf(
  report: ScrutinyReport,
  commentary: ScrutinyCommentary | undefined,
  context: { partnershipName: string; now: Date },
): Promise<Uint8Array> {
  const blocks: PdfBlock[] = [
    {
      kind: 'paragraph',
      text: `The Independent Scrutineer's report on the Rapid Reviews notified from ${report.periodInWords}, for the Executive Board. Produced on ${formatDateOf(context.now, LONDON)}. It names no child: each review is its reference.`,
    },
  ];
  for (const section of report.sections) {
    blocks.push({ kind: 'heading', text: section.heading });
    if (section.rows.length > 0) blocks.push({ kind: 'fields', rows: section.rows });
    if (section.empty) blocks.push({ kind: 'paragraph', text: section.empty });
    for (const table of section.tables) {
      blocks.push({ kind: 'paragraph', text: table.caption });
      const share =
        table.columns.length === 5 && table.columns[4] === 'Reasons' ? [1, 1, 0.8, 0.8, 3] : undefined;
      blocks.push({
        kind: 'table',
        columns: table.columns.map((header, index) => ({ header, share: share?.[index] ?? 1 })),
        rows: table.rows,
      });
    }
  }
  blocks.push({ kind: 'heading', text: "The scrutineer's commentary" });
  blocks.push(
    commentary
      ? { kind: 'paragraph', text: commentary.commentary }
      : { kind: 'paragraph', text: 'The scrutineer has not written a commentary on this period.' },
  );
  if (commentary)
    blocks.push({
      kind: 'paragraph',
      text: `Written by ${commentary.savedByName ?? 'the scrutineer'}; last saved at ${formatInstant(commentary.savedAt, LONDON)}.`,
    });
  return renderPdf({
    title: `Six-monthly scrutiny report: ${report.periodInWords}`,
    author: context.partnershipName,
    createdAt: context.now,
    blocks,
    footer: `Scrutiny report, ${report.periodInWords}`,
  });
}
