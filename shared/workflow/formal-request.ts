import { renderPdf } from '../documents/pdf.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import { collationStartsAt, milestone } from '../schemas/timetable.ts';
import { formatInstant } from './london-time.ts';
import type { PaperContext } from './papers.ts';

/**
 * The formal request for information (the ladder's last rung, issue 10 part 4): a letter from the
 * partnership to an agency's strategic safeguarding lead asking for the agency's summary under
 * the safeguarding partners' power in section 16H of the Children Act 2004. Built from the case
 * record and the agency's request only: it names the case by its references, never the child.
 */

/** The power the letter cites, in plain words (not the statute's own text). */
export const SECTION_16H_PARAGRAPH =
  'Section 16H of the Children Act 2004 allows the safeguarding partners for an area to require a person or body to supply information to them, for the purpose of enabling or assisting the performance of their functions. Reviewing serious child safeguarding cases, through this Rapid Review, is one of those functions. The safeguarding partners for this area make this request under that power, and a person or body asked under section 16H must comply with the request.';

/** Who the letter is addressed to: the strategic lead by name, or their role when the profile names none. */
export function leadSalutation(agency: AgencyRequest, lead: { name: string } | undefined): string {
  return lead ? lead.name : `the strategic safeguarding lead, ${agency.agencyName}`;
}

/** The letter's paragraphs, in order (the PDF adds the case's fields above them). */
export function formalRequestParagraphs(
  record: CaseRecord,
  agency: AgencyRequest,
  lead: { name: string } | undefined,
  context: PaperContext,
): string[] {
  const { timeZone } = context;
  const dueAt = milestone(record.timetable, 'agencySummariesDue').dueAt;
  const collateAt = collationStartsAt(record.timetable);
  const asked = agency.requestedAt
    ? `We asked ${agency.agencyName} for its summary at ${formatInstant(agency.requestedAt, timeZone)}`
    : `We asked ${agency.agencyName} for its summary`;
  const provideBy =
    Date.parse(collateAt) > context.now.getTime()
      ? `Please make sure the summary is uploaded through the link in our request by ${formatInstant(collateAt, timeZone)}, when the summaries are collated for the Rapid Review Group.`
      : 'Please make sure the summary reaches the partnership team as soon as possible: the summaries have been collated for the Rapid Review Group, and the team will add it to the papers.';
  return [
    `Dear ${leadSalutation(agency, lead)},`,
    `Formal request for information: Rapid Review ${record.reference}`,
    `${asked}, through its single point of contact, ${agency.spoc.name}. It was due by ${formatInstant(dueAt, timeZone)} and we have not received it.`,
    SECTION_16H_PARAGRAPH,
    `The information we require is ${agency.agencyName}'s summary of its involvement for Rapid Review ${record.reference} (Panel reference ${record.panelReference}). ${provideBy}`,
    'The Rapid Review Group has been told which agencies have not returned their summaries. If there is a reason the summary cannot be provided, please tell the partnership team at once.',
    `Yours sincerely,\n${context.partnershipName}`,
  ];
}

/** The formal request as a PDF letter. */
export async function formalRequestPdf(
  record: CaseRecord,
  agency: AgencyRequest,
  lead: { name: string } | undefined,
  context: PaperContext,
): Promise<Uint8Array> {
  return renderPdf({
    title: 'Formal request for information',
    author: context.partnershipName,
    createdAt: context.now,
    footer: `Rapid Review ${record.reference}`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['From', context.partnershipName],
          ['To', lead ? `${lead.name}, strategic safeguarding lead` : 'The strategic safeguarding lead'],
          ['Agency', agency.agencyName],
          ['Case reference', record.reference],
          ['Panel reference', record.panelReference],
          ['Date', formatInstant(context.now, context.timeZone)],
        ],
      },
      ...formalRequestParagraphs(record, agency, lead, context).map((text) => ({
        kind: 'paragraph' as const,
        text,
      })),
    ],
  });
}

/** Where an agency's formal request letter is filed with the case's documents. */
export const formalRequestDocumentKey = (caseId: string, agencyId: string) =>
  `cases/${caseId}/formal-requests/${agencyId}.pdf`;
