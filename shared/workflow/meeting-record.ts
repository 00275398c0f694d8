import { renderPdf } from '../documents/pdf.ts';
import { type CaseRecord, declaresNoConflicts, type RrgMeeting } from '../schemas/case.ts';
import { meetingWhen } from './emails.ts';
import { formatInstant } from './london-time.ts';
import type { PaperContext } from './papers.ts';

/**
 * The record of the Rapid Review Group meeting (issue 9 part 4), for the Panel: when and where,
 * who attended (name, agency, role), each attendee's declaration of conflicts of interest and
 * agreement to confidentiality, and whether minutes were taken. Built from the case record, which
 * names no child.
 */
export async function meetingRecordPdf(
  record: Pick<CaseRecord, 'reference' | 'panelReference'> & { meeting?: RrgMeeting },
  context: PaperContext,
): Promise<Uint8Array> {
  const meeting = record.meeting;
  const attendees = meeting?.attendees ?? [];
  return renderPdf({
    title: 'Rapid Review Group meeting record',
    author: context.partnershipName,
    createdAt: context.now,
    footer: `Rapid Review ${record.reference}`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Case reference', record.reference],
          ['Panel reference', record.panelReference],
          ['Partnership', context.partnershipName],
          ['Produced', formatInstant(context.now, context.timeZone)],
        ],
      },
      { kind: 'heading', text: 'When and where' },
      meeting
        ? {
            kind: 'fields',
            rows: [
              ['When', meetingWhen(meeting)],
              meeting.place ? ['Place', meeting.place] : ['Call link', meeting.callLink ?? ''],
              ...(meeting.version > 1
                ? [['Changed', `${meeting.version - 1} ${meeting.version === 2 ? 'time' : 'times'}`] as const]
                : []),
            ],
          }
        : { kind: 'paragraph', text: 'No meeting was scheduled in the service.' },
      { kind: 'heading', text: 'Who attended' },
      attendees.length
        ? {
            kind: 'table',
            columns: [
              { header: 'Name', share: 2.2 },
              { header: 'Agency', share: 2 },
              { header: 'Role', share: 2 },
              { header: 'Conflicts of interest', share: 2.6 },
              { header: 'Confidential', share: 1.6 },
            ],
            rows: attendees.map((attendee) => [
              attendee.name,
              attendee.agency,
              attendee.role,
              declaresNoConflicts(attendee.conflicts) ? 'None declared' : attendee.conflicts,
              attendee.confidentialityAgreed ? 'Agreed' : 'Not agreed',
            ]),
          }
        : { kind: 'paragraph', text: 'No attendance was recorded.' },
      ...(attendees.length
        ? [
            {
              kind: 'paragraph' as const,
              text: `${attendees.length} ${attendees.length === 1 ? 'person' : 'people'} attended. Each declared any conflict of interest and agreed to keep the meeting and its papers confidential.`,
            },
          ]
        : []),
      { kind: 'heading', text: 'Minutes' },
      {
        kind: 'paragraph',
        text: meeting?.minutes
          ? `Minutes were taken. They were filed with the case on ${formatInstant(meeting.minutes.uploadedAt, context.timeZone)}.`
          : 'No minutes have been filed with the case.',
      },
    ],
  });
}
