import { type PdfBlock, renderPdf } from '../documents/pdf.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import { milestone } from '../schemas/timetable.ts';
import { agencyStatusInWords, latestReturn, type WordFile } from './agency-returns-wording.ts';
import { formatInstant } from './london-time.ts';
import type { PaperContext } from './papers.ts';
import { enteredByBlocks, structuredBlocks, versionFields } from './return-blocks.ts';

/** The addendum's title: what it is and whose return it brings. */
export function addendumTitle(agencyName: string): string {
  return `Addendum to the papers: late return from ${agencyName}`;
}

/**
 * An addendum to the papers (issue 10 part 3): one agency's return taken in after collation, for
 * the Rapid Review Group. The case, the agency and when the return came, that the collated report
 * itself is unchanged, then the agency's section as the collated report lays it out (its status
 * and its latest structured return). A file the agency sent goes with the email as a link of its
 * own, PDF or Word: this document is written by the service's own PDF writer alone, so the
 * functions that take a late return in do not bundle pdf-lib.
 */
export function lateReturnAddendumPdf(
  record: CaseRecord,
  agency: AgencyRequest,
  context: PaperContext,
  addendum: { number: number; receivedAt: string; file?: WordFile; byTeam?: boolean },
): Promise<Uint8Array> {
  const title = addendumTitle(agency.agencyName);
  const latest = latestReturn(agency);
  const { timeZone } = context;
  const blocks: PdfBlock[] = [
    {
      kind: 'fields',
      rows: [
        ['Case reference', record.reference],
        ['Partnership', context.partnershipName],
        ['Addendum', `Number ${addendum.number} to the papers`],
        ['Late return from', agency.agencyName],
        ['Received', formatInstant(addendum.receivedAt, timeZone)],
        [
          'Summaries were due by',
          formatInstant(milestone(record.timetable, 'agencySummariesDue').dueAt, timeZone),
        ],
      ],
    },
    {
      kind: 'paragraph',
      text: `${agency.agencyName}'s return came after the papers were collated. The partnership team took it in and sends it to the Rapid Review Group as this addendum; the collated report itself is unchanged.`,
    },
    {
      kind: 'paragraph',
      text: 'Confidential to the Rapid Review Group: it may name the child. Please do not forward it.',
    },
    { kind: 'heading', text: agency.agencyName },
    {
      kind: 'fields',
      rows: [
        ['Status', agencyStatusInWords(agency, timeZone)],
        ...(latest ? versionFields(latest, timeZone) : []),
      ],
    },
    ...(latest ? [...enteredByBlocks(latest), ...structuredBlocks(latest)] : []),
    ...(addendum.file
      ? ([
          { kind: 'heading', text: 'Uploaded file' },
          {
            kind: 'paragraph',
            text: `${addendum.byTeam ? `The partnership team uploaded ${agency.agencyName}'s summary for it` : `${agency.agencyName} sent a file`} (${addendum.file.fileName}): it is not in this PDF and has its own link in the email that brought this addendum.`,
          },
        ] as PdfBlock[])
      : []),
  ];
  return renderPdf({
    title,
    author: context.partnershipName,
    createdAt: context.now,
    footer: `Rapid Review ${record.reference}: addendum ${addendum.number}`,
    blocks,
  });
}
