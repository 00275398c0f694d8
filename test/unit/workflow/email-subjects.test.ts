import { describe, expect, it } from 'vitest';
import type { EmailMessage } from '../../../shared/adapters/mailer.ts';
import type { AgencyRequest, CaseRecord } from '../../../shared/schemas/case.ts';
import { detailsCodeEmail } from '../../../shared/use-cases/agency-details.ts';
import { returnReceiptEmail } from '../../../shared/use-cases/agency-structured-return.ts';
import { disagreementEmail } from '../../../shared/use-cases/sign-off.ts';
import { addendumEmail } from '../../../shared/use-cases/team-returns.ts';
import { emailSubject, SUBJECT_MAX_LENGTH } from '../../../shared/workflow/email-subject.ts';
import * as emails from '../../../shared/workflow/emails.ts';
import {
  childNames,
  fakeService,
  openSampleCase,
  PUBLIC_BASE_URL,
  sampleDecision,
  testProfileWithBoard,
} from './workflow-fakes.ts';

/** Names as long as the service lets them be (invented), to push every subject to its limit. */
const LONG_AGENCY = 'Invented Integrated Care Board Designated Safeguarding Professionals Service North';
const LONG_AUTHORITY = 'Invented Metropolitan Borough Council Children and Young People Directorate (test)';
const LONG_PANEL_REFERENCE = 'CSPRP-INVENTED-2026-000123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const REFERENCE = 'RR-2026-4F2A9C';
const TEAM = testProfileWithBoard.partnershipTeamAddress;

async function longCase(): Promise<{ record: CaseRecord; agency: AgencyRequest }> {
  const { cases } = fakeService('2026-03-04T10:00:00Z');
  const opened = await openSampleCase(cases);
  const record: CaseRecord = {
    ...opened,
    reference: REFERENCE,
    notifyingLocalAuthority: LONG_AUTHORITY,
    panelReference: LONG_PANEL_REFERENCE,
    decision: sampleDecision,
    late: { dueDate: '2026-03-24', panelToldAt: '2026-03-24T17:00:00.000Z' },
  };
  const [first] = (await cases.getCaseWithAgencies(opened.caseId)).agencies;
  const agency: AgencyRequest = {
    ...(first as AgencyRequest),
    agencyName: LONG_AGENCY,
    status: 'requested',
    requestedAt: '2026-03-04T10:00:05Z',
  };
  return { record, agency };
}

/** Every email the service builds, by builder name, each called with the longest names it may hold. */
async function everyEmail(): Promise<[string, EmailMessage][]> {
  const { record, agency } = await longCase();
  const context = emails.emailContext(testProfileWithBoard, record);
  const caseUrl = `${PUBLIC_BASE_URL}/cases/${record.caseId}`;
  const link = { url: `${PUBLIC_BASE_URL}/agency/${'a'.repeat(43)}`, expiresAt: '2026-03-18T09:00:00Z' };
  const person = { name: 'Member With A Long Invented Name (test)', email: 'member@example.org' };
  const lead = { name: 'Strategic Lead (test)', email: 'lead@example.org' };
  const letter = { fileName: 'letter.pdf', contentType: 'application/pdf', content: new Uint8Array([37]) };
  // The longest time of day and date there are: a Wednesday in September, at 12:30pm.
  const meeting = { date: '2027-09-29', time: '12:30', place: 'Invented Town Hall, Committee Room 1' };
  const scheduled = { ...record, meeting: { ...meeting, version: 1 } } as CaseRecord;
  return [
    ['agencySummaryRequestEmail', emails.agencySummaryRequestEmail(context, agency, link)],
    ['agencyReminderEmail', emails.agencyReminderEmail(context, agency, link)],
    ['agencyEscalationEmail', emails.agencyEscalationEmail(context, agency, lead, link)],
    [
      'agencyEscalationEmail (before the deadline)',
      emails.agencyEscalationEmail(context, agency, undefined, link, new Date('2026-03-16T09:00:00Z')),
    ],
    ['formalRequestEmail', emails.formalRequestEmail(context, agency, lead, letter, link)],
    [
      'missingAgenciesEmail',
      emails.missingAgenciesEmail(context, [person], [LONG_AGENCY, 'Police'], caseUrl),
    ],
    ['papersEmail', emails.papersEmail(context, person, { caseUrl, wordFilesFrom: [LONG_AGENCY] })],
    [
      'papersEmail (meeting scheduled)',
      emails.papersEmail(emails.emailContext(testProfileWithBoard, scheduled), person, { caseUrl }),
    ],
    [
      'decisionRequestEmail',
      emails.decisionRequestEmail(context, person, { attempt: 1, dueAt: '2027-09-29T11:30:00Z', caseUrl }),
    ],
    [
      'submissionOverdueEmail',
      emails.submissionOverdueEmail(context, ['chair@example.org'], {
        attempt: 12,
        waitingFor: [{ what: "the Rapid Review Group chair's decision", url: `${caseUrl}/decision` }],
        nextReminderAt: '2027-09-29T16:00:00Z',
        caseUrl,
      }),
    ],
    ['lateNoticeEmail', emails.lateNoticeEmail(context, 'panel@example.org', 'board@example.org')],
    ['signOffRequestEmail', emails.signOffRequestEmail(context, ['partner@example.org'], caseUrl)],
    ['caseClosedEmail', emails.caseClosedEmail(context, agency.spoc)],
    ['caseClosedEmail (notifier)', emails.caseClosedEmail(context, undefined, 'notifier@example.org')],
    ['caseWithdrawnEmail', emails.caseWithdrawnEmail(context, agency.spoc, 'agency')],
    ['caseWithdrawnEmail (group)', emails.caseWithdrawnEmail(context, person, 'group')],
    [
      'caseWithdrawnEmail (notifier)',
      emails.caseWithdrawnEmail(context, { email: 'notifier@example.org' }, 'notifier'),
    ],
    [
      'panelSubmissionEmail',
      emails.panelSubmissionEmail(context, 'panel@example.org', [letter], new Date('2026-03-27T10:00:00Z')),
    ],
    ['outcomeEmail', emails.outcomeEmail(context, agency.spoc, sampleDecision, '2026-03-23T15:00:00Z')],
    [
      'outcomeSentToTeamEmail',
      emails.outcomeSentToTeamEmail(context, sampleDecision, '2026-03-23T15:00:00Z', caseUrl),
    ],
    ['caseOpenedEmail', emails.caseOpenedEmail(context, caseUrl)],
    ['lateReturnEmail', emails.lateReturnEmail(context, agency, '2026-03-17T17:30:00Z', caseUrl)],
    [
      'workflowFailureEmail',
      emails.workflowFailureEmail(context, {
        step: 'DistributePapers',
        error: 'States.TaskFailed',
        at: '2026-03-19T09:00:00Z',
        caseUrl,
      }),
    ],
    [
      'panelReplyEmail',
      emails.panelReplyEmail(
        context,
        person,
        {
          repliedOn: '2026-04-10',
          agreesWithDecision: true,
          nationalReview: false,
          asksForLocalReview: true,
          comments: 'Invented comments (test).',
          recordedAt: '2026-04-10T10:00:00Z',
          recordedBy: 'user-team-test',
        } as NonNullable<CaseRecord['panelReply']>,
        caseUrl,
      ),
    ],
    [
      'meetingInvitationEmail',
      emails.meetingInvitationEmail(context, person, { meeting, changed: false, caseUrl, papersOut: true }),
    ],
    [
      'meetingInvitationEmail (changed)',
      emails.meetingInvitationEmail(context, person, {
        meeting,
        changed: true,
        caseUrl,
        papersDay: '2027-09-27',
      }),
    ],
    [
      'addendumEmail',
      addendumEmail(context, person, {
        number: 12,
        agencyName: LONG_AGENCY,
        receivedAt: '2026-03-20T10:00:00Z',
        caseUrl,
        withFile: true,
        fileByTeam: true,
      }),
    ],
    [
      'returnReceiptEmail',
      returnReceiptEmail(
        { profile: testProfileWithBoard },
        record,
        agency,
        {
          version: 12,
          submittedAt: '2026-03-10T10:00:00Z',
          by: 'agency',
          answers: { kind: 'no-involvement', confirmed: true },
        },
        '2026-03-18T09:00:00Z',
      ),
    ],
    ['detailsCodeEmail', detailsCodeEmail(testProfileWithBoard, record, agency, '123456')],
    [
      'disagreementEmail',
      disagreementEmail({ profile: testProfileWithBoard, publicBaseUrl: PUBLIC_BASE_URL }, record, {
        partner: 'local-authority',
        agrees: false,
        reasons: 'Invented reasons (test).',
        signedAt: '2026-03-23T10:00:00Z',
        signedBy: 'user-la-test',
        signedByName: 'Local Authority Lead With A Long Invented Name (test)',
      }),
    ],
  ];
}

describe('every email the service builds', () => {
  it('has a subject under 78 characters that starts with the case reference, even with the longest names', async () => {
    for (const [builder, email] of await everyEmail()) {
      expect(email.subject.length, `${builder}: ${email.subject}`).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
      expect(email.subject.startsWith(`${REFERENCE}: `), `${builder}: ${email.subject}`).toBe(true);
    }
  });

  it('has its replies go to the partnership team, and names no child', async () => {
    for (const [builder, email] of await everyEmail()) {
      expect(email.replyTo, builder).toEqual([TEAM]);
      for (const name of childNames()) expect(`${email.subject}\n${email.text}`, builder).not.toContain(name);
    }
  });

  it('reaches papers and reports only through the case page or an agency’s own link, never a stored document’s link', async () => {
    for (const [builder, email] of await everyEmail()) {
      const links = email.text.match(/https?:\/\/\S+/g) ?? [];
      for (const link of links) {
        expect(link, builder).toMatch(
          new RegExp(`^(${PUBLIC_BASE_URL}/(cases|agency)/|https?://[^/]*example\\.org/?$)`),
        );
      }
      expect(email.text, builder).not.toMatch(/X-Amz-|do not forward these links/i);
    }
  });

  it('covers every email builder in emails.ts, so a new one cannot be left out', async () => {
    const covered = new Set((await everyEmail()).map(([builder]) => builder.split(' ')[0]));
    const builders = Object.entries(emails)
      .filter(([name, value]) => typeof value === 'function' && name.endsWith('Email'))
      .map(([name]) => name);

    expect(builders.filter((name) => !covered.has(name))).toEqual([]);
  });
});

describe('emailSubject', () => {
  it('puts the reference first and keeps short words whole', () => {
    expect(emailSubject(REFERENCE, 'summary requested from Police (invented)')).toBe(
      'RR-2026-4F2A9C: summary requested from Police (invented)',
    );
  });

  it('cuts long words at a space, ending "…", never cutting the reference', () => {
    const subject = emailSubject(REFERENCE, `reminder: summary due from ${LONG_AGENCY}`);

    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(subject).toBe('RR-2026-4F2A9C: reminder: summary due from Invented Integrated Care Board…');
  });

  it('cuts a single word with no space near the end where it stands', () => {
    const subject = emailSubject(REFERENCE, `late return from ${'X'.repeat(100)}`);

    expect(subject).toHaveLength(SUBJECT_MAX_LENGTH);
    expect(subject.endsWith('X…')).toBe(true);
  });

  it('puts line breaks and runs of spaces into single spaces', () => {
    expect(emailSubject(REFERENCE, 'late   return\nfrom Police')).toBe(
      'RR-2026-4F2A9C: late return from Police',
    );
  });
});
