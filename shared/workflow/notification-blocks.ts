import type { PdfBlock } from '../documents/pdf.ts';
import type { CaseRecord } from '../schemas/case.ts';
import type { CrossBorder, DeathNotifications, NotifiedChild } from '../schemas/notification.ts';
import { formatDate, formatInstant } from './london-time.ts';
import { childRows } from './rapid-review-report.ts';
import { incidentKindLabel } from './wording.ts';

/**
 * The notification as the service's own PDF writer prints it: the collated report's section and
 * the notification's printable copy (GET /cases/{caseId}/notification.pdf). Apart from the
 * collated report (which merges PDFs with pdf-lib), so a function that prints the notification
 * need not bundle pdf-lib.
 */

/** The notification as the papers print it: each part as it parsed, so an older notification still shows what it has. */
export interface NotificationForPapers {
  notifyingLocalAuthority?: string;
  incident?: {
    kind: 'death' | 'serious-harm';
    occurredOn: string;
    location?: string;
    localAuthorityAwareOn?: string;
    panelNotifiedOn?: string;
    panelReference?: string;
    summary?: string;
  };
  children: NotifiedChild[];
  notifier?: { name: string; role: string; email?: string | undefined; phone?: string | undefined };
  parallelProcesses?: {
    policeInvestigation: boolean;
    childDeathReview: boolean;
    safeguardingAdultReview: boolean;
    domesticHomicideReview: boolean;
    inquest?: boolean | undefined;
    other?: string | undefined;
  };
  deathNotifications?: DeathNotifications;
  crossBorder?: CrossBorder;
  /** The agencies the notification named. */
  agencies: string[];
}

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/**
 * The notification as the papers print it: who notified it, the incident, each child, the dates
 * the Secretary of State and Ofsted were told, a cross-border case's other local authority, the
 * other processes and the agencies asked; or, when its document could not be read, what the case
 * itself holds.
 */
export function notificationBlocks(
  record: CaseRecord,
  notification: NotificationForPapers | undefined,
  timeZone: string,
): PdfBlock[] {
  if (!notification) {
    return [
      {
        kind: 'paragraph',
        text: 'The notification could not be read when this report was collated. Open the case in the Rapid Review service to read it.',
      },
      {
        kind: 'fields',
        rows: [
          ['Notified by', record.notifyingLocalAuthority],
          ['Incident', incidentKindLabel(record.incidentKind)],
          ['Notification received', formatInstant(record.receivedAt, timeZone)],
        ],
      },
    ];
  }
  const { incident, parallelProcesses: processes } = notification;
  const date = (value: string | undefined) => (value ? formatDate(value, { weekday: false }) : 'Not given');
  return [
    {
      kind: 'fields',
      rows: [
        ['Notified by', notification.notifyingLocalAuthority ?? record.notifyingLocalAuthority],
        ...(notification.notifier
          ? ([
              ['Notifier', `${notification.notifier.name}, ${notification.notifier.role}`],
              ...(notification.notifier.email ? [["Notifier's email", notification.notifier.email]] : []),
              ...(notification.notifier.phone ? [["Notifier's phone", notification.notifier.phone]] : []),
            ] as [string, string][])
          : []),
        ['Notification received', formatInstant(record.receivedAt, timeZone)],
        ['Incident', incidentKindLabel(incident?.kind ?? record.incidentKind)],
        ['Date of incident', date(incident?.occurredOn)],
        ['Where', incident?.location ?? 'Not given'],
        ['Local authority became aware', date(incident?.localAuthorityAwareOn)],
      ],
    },
    { kind: 'heading', text: 'What happened' },
    { kind: 'paragraph', text: incident?.summary ?? 'The notification gives no summary.' },
    { kind: 'heading', text: notification.children.length === 1 ? 'The child' : 'The children' },
    ...(notification.children.length === 0
      ? [{ kind: 'paragraph' as const, text: 'The notification names no child that could be read.' }]
      : notification.children.map((child): PdfBlock => ({ kind: 'fields', rows: childRows(child) }))),
    ...(notification.deathNotifications
      ? ([
          { kind: 'heading', text: 'The Secretary of State and Ofsted' },
          {
            kind: 'fields',
            rows: [
              [
                'Secretary of State notified',
                date(notification.deathNotifications.secretaryOfStateNotifiedOn),
              ],
              ['Ofsted notified', date(notification.deathNotifications.ofstedNotifiedOn)],
            ],
          },
        ] as PdfBlock[])
      : []),
    ...(notification.crossBorder
      ? ([
          { kind: 'heading', text: 'Across a local authority border' },
          {
            kind: 'fields',
            rows: [
              ['Other local authority', notification.crossBorder.otherLocalAuthority],
              [
                'Connection',
                notification.crossBorder.connection === 'child-lives-there'
                  ? 'The child lives there'
                  : 'The incident happened there',
              ],
              [
                'Leads the review',
                notification.crossBorder.leadPartnership === 'this'
                  ? 'This partnership'
                  : 'The other partnership',
              ],
            ],
          },
        ] as PdfBlock[])
      : []),
    ...(processes
      ? ([
          { kind: 'heading', text: 'Other processes' },
          {
            kind: 'fields',
            rows: [
              ['Police investigation', yesNo(processes.policeInvestigation)],
              ['Child death review', yesNo(processes.childDeathReview)],
              ['Safeguarding adult review', yesNo(processes.safeguardingAdultReview)],
              ['Domestic homicide review', yesNo(processes.domesticHomicideReview)],
              // Not asked of notifications received before it was a choice.
              ["Coroner's inquest", processes.inquest === undefined ? 'Not asked' : yesNo(processes.inquest)],
              ...(processes.other ? ([['Other', processes.other]] as [string, string][]) : []),
            ],
          },
        ] as PdfBlock[])
      : []),
    { kind: 'heading', text: 'Agencies asked for a summary' },
    {
      kind: 'paragraph',
      text: notification.agencies.length > 0 ? notification.agencies.join('\n') : 'None could be read.',
    },
  ];
}
