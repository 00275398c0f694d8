import { caseId, isoInstant, text } from './primitives.ts';
import * as z from './zod.ts';

/**
 * The rapid review report's sections, in the order the report reads (issue 9 part 5, from the
 * seed framework's list of what the meeting must record and what a good report holds).
 */
export const reportSectionKeys = [
  'criteria',
  'immediate-safeguarding',
  'facts',
  'agency-involvement',
  'practice-analysis',
  'equality',
  'immediate-learning',
  'further-learning',
  'decision',
  'agencies',
  'participants',
] as const;
export const reportSectionKey = z.enum(reportSectionKeys, {
  error: 'There is no report section with this name',
});
export type ReportSectionKey = (typeof reportSectionKeys)[number];

/** The longest a section may be, in characters. */
export const REPORT_SECTION_MAX_CHARACTERS = 20_000;

/** What a person sends to save a section: its text, over as many lines as it needs. */
export const reportSectionInput = z.object({
  text: text(REPORT_SECTION_MAX_CHARACTERS, { multiline: true }),
});

/** Each section's title, and what it should hold, in the words the pages and the documents use. */
export const reportSectionWording: Record<ReportSectionKey, { title: string; hint: string }> = {
  criteria: {
    title: 'Whether the case meets the criteria',
    hint: 'Whether the case meets the criteria for a local or national review, and which.',
  },
  'immediate-safeguarding': {
    title: 'Immediate safeguarding arrangements',
    hint: 'The immediate safeguarding arrangements for any children: siblings, others in the household.',
  },
  facts: {
    title: 'Summary of the facts and context',
    hint: 'A concise summary of the facts and the context.',
  },
  'agency-involvement': {
    title: 'Agency involvement and key practice episodes',
    hint: "Agency involvement and an analysis of key practice episodes, drawing on each agency's return.",
  },
  'practice-analysis': {
    title: 'Why decisions were made and how agencies worked together',
    hint: 'Why professionals made the decisions they did; the quality of joint working; whether any shortcomings are general.',
  },
  equality: {
    title: 'Race, ethnicity, disability and other protected characteristics',
    hint: "How race, ethnicity, disability and other protected characteristics shaped the child's experience and the practice around them.",
  },
  'immediate-learning': {
    title: 'Immediate learning',
    hint: 'The immediate learning, and how it is being shared now.',
  },
  'further-learning': {
    title: 'Potential for further learning',
    hint: 'The potential for further learning, or why none is expected.',
  },
  decision: {
    title: 'The decision and its reasons',
    hint: 'The local review decision and its reasons; the national review view and its reasons.',
  },
  agencies: {
    title: 'Agencies involved',
    hint: 'The agencies involved, and why any agency that would be expected was not.',
  },
  participants: {
    title: 'Who took part in the decision',
    hint: 'Who took part in the decision: name, agency and role.',
  },
};

/** One section as saved: its text, and who saved it when. */
export const savedReportSection = z.object({
  caseId,
  section: reportSectionKey,
  text: text(REPORT_SECTION_MAX_CHARACTERS, { multiline: true }),
  savedAt: isoInstant,
  /** The staff member's id, for the audit; their name for people to read, when sign-in gave one. */
  savedBy: z.string(),
  savedByName: z.optional(z.string()),
});
export type SavedReportSection = z.infer<typeof savedReportSection>;

/** The report marked complete: who did it, when. */
export const reportCompletion = z.object({
  caseId,
  completedAt: isoInstant,
  completedBy: z.string(),
  completedByName: z.optional(z.string()),
});
export type ReportCompletion = z.infer<typeof reportCompletion>;

/** Everything saved of a case's report: the sections written so far (in report order) and its completion. */
export interface StoredReport {
  sections: SavedReportSection[];
  completion?: ReportCompletion;
}

/** Where the finished report is filed with the case's documents. */
export const reportDocumentKeys = {
  pdf: (caseId: string) => `cases/${caseId}/rapid-review-report.pdf`,
  docx: (caseId: string) => `cases/${caseId}/rapid-review-report.docx`,
};
