import type { PdfBlock } from '../documents/pdf.ts';
import type { InvolvementReturn, ReturnVersion } from '../schemas/agency-return.ts';
import { formatDate, formatInstant } from './london-time.ts';

/**
 * An agency's structured return as blocks for the service's own PDF writer: what the collated
 * report's agency sections and a late return's addendum print. Apart from the collated report
 * (which merges PDFs with pdf-lib), so a function that prints a return need not bundle pdf-lib.
 */

function periodInWords(answers: InvolvementReturn): string {
  const from = formatDate(answers.involvedFrom, { weekday: false });
  return answers.involvedTo
    ? `From ${from} to ${formatDate(answers.involvedTo, { weekday: false })}`
    : `From ${from}, and continuing`;
}

/** The latest structured return, laid out with headings. */
export function structuredBlocks(version: ReturnVersion): PdfBlock[] {
  const answers = version.answers;
  if (answers.kind === 'no-involvement') {
    return [
      { kind: 'heading', text: 'No involvement' },
      {
        kind: 'paragraph',
        text: 'The agency confirmed that it has had no involvement with this child or family.',
      },
    ];
  }
  return [
    { kind: 'heading', text: 'Period of involvement' },
    { kind: 'paragraph', text: periodInWords(answers) },
    { kind: 'heading', text: 'Roles involved' },
    { kind: 'paragraph', text: answers.rolesInvolved },
    { kind: 'heading', text: 'Summary of involvement' },
    { kind: 'paragraph', text: answers.summary },
    ...answers.episodes.flatMap((episode, index): PdfBlock[] => [
      { kind: 'heading', text: `Key practice episode ${index + 1}: ${formatDate(episode.date)}` },
      { kind: 'paragraph', text: `What happened:\n${episode.whatHappened}` },
      { kind: 'paragraph', text: `What was decided, and why:\n${episode.decidedAndWhy}` },
    ]),
    { kind: 'heading', text: 'Immediate actions' },
    { kind: 'paragraph', text: answers.immediateActions },
    { kind: 'heading', text: 'Early learning' },
    { kind: 'paragraph', text: answers.earlyLearning },
    { kind: 'heading', text: 'Protected characteristics' },
    { kind: 'paragraph', text: answers.protectedCharacteristics ?? 'None given.' },
  ];
}

export function versionFields(version: ReturnVersion, timeZone: string): [string, string][] {
  return [
    [
      'Return',
      version.version > 1
        ? `Version ${version.version}, corrected, submitted at ${formatInstant(version.submittedAt, timeZone)}`
        : `Submitted at ${formatInstant(version.submittedAt, timeZone)}`,
    ],
  ];
}

export function enteredByBlocks(version: ReturnVersion): PdfBlock[] {
  if (version.by !== 'partnership-team') return [];
  const name = version.byName ? ` (${version.byName})` : '';
  return [{ kind: 'paragraph', text: `Entered by the partnership team for the agency${name}.` }];
}
