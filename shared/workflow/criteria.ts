/**
 * The texts the service quotes or summarises when the Rapid Review Group decides, and the words
 * it uses for the safeguarding partners and for the 15 working days. One place, so the decision
 * page, the emails and the papers say the same.
 *
 * Regulation 11 is quoted word for word from the legislation as made
 * (https://www.legislation.gov.uk/uksi/2018/789/regulation/11/made), Crown copyright, reused
 * under the Open Government Licence v3.0; the footnote marker after "safeguarding partners" is
 * left out. Do not edit its words: change them only from the legislation itself.
 */

/** A quotation: who says it, the words, and where to read it. */
export interface Quotation {
  /** How the page cites it. */
  citation: string;
  /** Where the words can be read. */
  url: string;
  /** The words before the lettered paragraphs, exactly as the source has them. */
  lead: string;
  /** The lettered paragraphs, exactly as the source has them. */
  paragraphs: readonly { letter: string; text: string }[];
}

/** Regulation 11 (local review criteria), word for word. */
export const regulation11: Quotation = {
  citation:
    'Regulation 11, The Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018',
  url: 'https://www.legislation.gov.uk/uksi/2018/789/regulation/11/made',
  lead: 'The criteria to be taken into account by the safeguarding partners for the purpose of section 16F(1) of the Act include whether the case in question—',
  paragraphs: [
    {
      letter: 'a',
      text: 'highlights or may highlight improvements needed to safeguard and promote the welfare of children, including where those improvements have been previously identified;',
    },
    {
      letter: 'b',
      text: 'highlights or may highlight recurrent themes in the safeguarding and promotion of the welfare of children;',
    },
    {
      letter: 'c',
      text: 'highlights or may highlight concerns regarding two or more agencies working together effectively to safeguard and promote the welfare of children;',
    },
    {
      letter: 'd',
      text: 'is one which the Child Safeguarding Practice Review Panel have considered and concluded a local review may be more appropriate.',
    },
  ],
};

/** What "the Act" in regulation 11 is (regulation 2 of the same Regulations). */
export const regulation11Note = '“The Act” is the Children Act 2004.';

/**
 * What the safeguarding partners should also have regard to, from Working Together to Safeguard
 * Children 2023, chapter 5. A SUMMARY IN THE SERVICE'S OWN WORDS, NOT A QUOTATION: the guidance's
 * exact text could not be checked against a stored copy when this was written, so the page says
 * it is a summary and sends the reader to the guidance for the words.
 */
export const workingTogether2023 = {
  edition: 'Working Together to Safeguard Children 2023, chapter 5',
  url: 'https://www.gov.uk/government/publications/working-together-to-safeguard-children--2',
  quoted: false,
  intro:
    'In summary (this is not a quotation: read the guidance for its exact words), the safeguarding partners should also have regard to whether:',
  summary: [
    'they have cause for concern about the actions of a single agency',
    'there was no agency involvement, and that itself gives them cause for concern',
    'more than one local authority, police area or integrated care board is involved, including where a family has moved around',
    'the case may raise issues about safeguarding or promoting the welfare of children in institutional settings',
  ],
  caveat:
    'Meeting the criteria does not mean a local child safeguarding practice review must follow: the decision rests with the safeguarding partners.',
} as const;

/** The three safeguarding partners by their 2023 names. */
export const safeguardingPartners =
  'the safeguarding partners (the local authority, the chief officer of police and the integrated care board)';

/** Who acts for each partner, in the 2023 words. */
export const leadAndDelegatedPartners =
  'Each partner acts through its lead safeguarding partner (the head of the organisation) or the delegated safeguarding partner the lead has named.';

/** The 15 working days, said once: the Panel's expectation, not a statute; Days 1 to 15 are the partnership's plan. */
export const fifteenWorkingDays =
  "The 15 working days are the Panel's expectation, not a statute. Days 1 to 15 are the partnership's own plan for meeting it.";
