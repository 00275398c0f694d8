import type { CaseRecord } from '../schemas/case.ts';

/**
 * Words the papers (PDF) and the emails share. Kept apart from the PDF rendering so a function
 * that only sends email does not bundle a PDF library.
 */

export function incidentKindLabel(kind: CaseRecord['incidentKind']): string {
  return kind === 'death' ? 'Child death' : 'Serious harm';
}

/** The decision as two sentences: on a local review, and on a national one. */
export function decisionSentences(
  decision: NonNullable<CaseRecord['decision']>,
): [local: string, national: string] {
  return [
    decision.commissionLocalReview
      ? 'The Rapid Review Group decided to commission a Local Child Safeguarding Practice Review.'
      : 'The Rapid Review Group decided not to commission a Local Child Safeguarding Practice Review.',
    decision.recommendNationalReview
      ? 'The Rapid Review Group recommends that the Panel considers a national review.'
      : 'The Rapid Review Group does not recommend a national review.',
  ];
}

/** The decision in two sentences, for emails: no reasons, since a reason may describe the family. */
export function decisionSummary(decision: NonNullable<CaseRecord['decision']>): string {
  return decisionSentences(decision).join(' ');
}
