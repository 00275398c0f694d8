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

/** What the service was doing at each step of the workflow, for a sentence "… while <doing>". */
const STEP_IN_WORDS: Record<string, string> = {
  PlanTimetable: "planning the review's timetable",
  RequestAgencySummaries: 'asking the agencies for their summaries',
  ClimbLadder: 'chasing the agencies that had not returned their summaries',
  CollateReport: "collating the agencies' summaries",
  DistributePapers: 'sending the papers to the Rapid Review Group',
  ScheduleDecisionDeadline: "working out when the chair's decision is due",
  AwaitDecision: "waiting for the chair's decision",
  EscalateMissingDecision: 'chasing what the submission to the Panel still waited for',
  ExtendDecisionDeadline: "extending the time for the chair's decision",
  SubmitToPanel: 'sending the Rapid Review to the Panel',
  NotifyOutcome: 'telling everyone the outcome',
};

/**
 * The workflow step a review stopped at, as a reader says it ("sending the papers to the Rapid
 * Review Group"); a step this list does not know is "running the review", never its name.
 */
export function stepInWords(step: string): string {
  return STEP_IN_WORDS[step] ?? 'running the review';
}
