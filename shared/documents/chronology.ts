import type { LocalReview } from '../schemas/local-review.ts';
import type { ChronologyEntry } from '../schemas/local-review-enquiry.ts';
import type { ChronologyFilter } from '../use-cases/local-review-enquiry.ts';
import { formatDate, formatInstant } from '../workflow/london-time.ts';
import { renderPdf } from './pdf.ts';

/**
 * The merged multi-agency chronology of a local review (issue 13 part 3) to take away: as a PDF
 * (the service's own writer) and as a spreadsheet (CSV), each the entries the page shows, in its
 * order, and saying which filter made them.
 */

/** A cell as a spreadsheet reads it: quoted when it must be; a leading =, +, - or @ made text, so no formula runs. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const columns: readonly [string, (entry: ChronologyEntry) => string][] = [
  ['Date', (entry) => formatDate(entry.occurredOn, { weekday: false })],
  ['Agency', (entry) => entry.agencyName],
  ['What happened', (entry) => entry.whatHappened],
  ['Source', (entry) => entry.source],
];

/** The chronology as CSV, with a byte order mark so a spreadsheet reads it as UTF-8. */
export function chronologyCsv(entries: readonly ChronologyEntry[]): string {
  const lines = [
    columns.map(([heading]) => csvCell(heading)).join(','),
    ...entries.map((entry) => columns.map(([, value]) => csvCell(value(entry))).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Which entries these are, in words: "All agencies, any date" or "Police (invented), from 1 February 2025". */
export function filterInWords(review: LocalReview, filter: ChronologyFilter): string {
  const agency = filter.agencyId
    ? (review.agencies.find((each) => each.agencyId === filter.agencyId)?.agencyName ?? 'One agency')
    : 'All agencies';
  const dates =
    filter.from && filter.to
      ? `from ${formatDate(filter.from, { weekday: false })} to ${formatDate(filter.to, { weekday: false })}`
      : filter.from
        ? `from ${formatDate(filter.from, { weekday: false })}`
        : filter.to
          ? `up to ${formatDate(filter.to, { weekday: false })}`
          : 'any date';
  return `${agency}, ${dates}`;
}

/** The chronology as a PDF: a table of the entries, named by the review's reference only. */
export async function chronologyPdf(input: {
  review: LocalReview;
  entries: readonly ChronologyEntry[];
  filter: ChronologyFilter;
  partnershipName: string;
  now: Date;
  timeZone: string;
}): Promise<Uint8Array> {
  const { review, entries } = input;
  return renderPdf({
    title: `Multi-agency chronology: ${review.reference}`,
    author: input.partnershipName,
    createdAt: input.now,
    footer: `${review.reference}: confidential`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Local review', review.reference],
          review.fromCase
            ? ['From Rapid Review', review.fromCase.reference]
            : ['From the Practice Review Group referral', review.fromReferral?.reference ?? 'Not known'],
          ['Entries shown', filterInWords(review, input.filter)],
          ['Printed', formatInstant(input.now, input.timeZone)],
        ],
      },
      entries.length === 0
        ? { kind: 'paragraph', text: 'No agency has added an entry that matches.' }
        : {
            kind: 'table',
            columns: [
              { header: 'Date', share: 0.17 },
              { header: 'Agency', share: 0.18 },
              { header: 'What happened', share: 0.45 },
              { header: 'Source', share: 0.2 },
            ],
            rows: entries.map((entry) => columns.map(([, value]) => value(entry))),
          },
    ],
  });
}
