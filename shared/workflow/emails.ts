import type { Attachment, EmailMessage } from '../adapters/mailer.ts';
import { agencyUploadRules } from '../agency-links.ts';
import { type PartnershipProfile, rulesOf } from '../config/partnership-profile.ts';
import type { AgencyRequest, CaseRecord, RrgMeeting } from '../schemas/case.ts';
import { milestone } from '../schemas/timetable.ts';
import { clocksInWords, clocksOf } from './clocks-wording.ts';
import { fifteenWorkingDays, safeguardingPartners } from './criteria.ts';
import { emailSubject } from './email-subject.ts';
import { lateInWords, noLateReason } from './late-wording.ts';
import { formatDate, formatInstant } from './london-time.ts';
import { decisionSummary, incidentKindLabel, stepInWords } from './wording.ts';

/**
 * The texts of the workflow's emails. They are built from the case record, which holds no
 * child's name: an email names the case by its reference, never by the child. Every subject
 * starts with the reference and stays under 78 characters (`emailSubject`); every email's
 * replies go to the partnership team (`replyTo`); papers and reports are reached through the
 * case page, which needs a sign-in, never through a link that works for whoever holds it.
 */

/** What every email knows about the case and the partnership. */
export interface EmailContext {
  partnershipName: string;
  partnershipTeamAddress: string;
  timeZone: string;
  record: CaseRecord;
}

/** The context for a case's emails from the deployment's profile. */
export function emailContext(profile: PartnershipProfile, record: CaseRecord): EmailContext {
  return {
    partnershipName: profile.partnershipName,
    partnershipTeamAddress: profile.partnershipTeamAddress,
    timeZone: rulesOf(profile).timeZone,
    record,
  };
}

/** Every email's sign-off: the partnership that sends it (from the profile) and its team's mailbox. */
export const SIGN_OFF = (context: EmailContext) =>
  `\n\n${context.partnershipName}\nPartnership team: ${context.partnershipTeamAddress}\n\nThis email was sent by the Rapid Review service. It names the case by its reference only.`;

/** Every email's Reply-To: the partnership team's mailbox, whoever the email is to. */
export const replyToTeam = (context: Pick<EmailContext, 'partnershipTeamAddress'>) => ({
  replyTo: [context.partnershipTeamAddress],
});

/** An agency's own link, as a chasing email carries it: the URL and when it stops working. */
export interface AgencyLinkInEmail {
  url: string;
  expiresAt: string;
}

const ACCEPTED_FORMATS = `${Object.values(agencyUploadRules.allowedTypes)
  .map((extension) => extension.slice(1).toUpperCase())
  .join(' or ')}, up to ${agencyUploadRules.maxBytes / (1024 * 1024)} MB`;

function whatToReturn(record: CaseRecord): string {
  const template = 'the Initial Scoping and Information Sharing template';
  return record.incidentKind === 'death'
    ? `${template} (for a child death, your CDOP Form A or B may serve instead)`
    : template;
}

/** Day 1: the request to an agency's single point of contact, with its capability link. */
export function agencySummaryRequestEmail(
  context: EmailContext,
  agency: AgencyRequest,
  link: AgencyLinkInEmail,
): EmailMessage {
  const { record, timeZone } = context;
  const dueAt = milestone(record.timetable, 'agencySummariesDue').dueAt;
  return {
    to: [agency.spoc.email],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, `summary requested from ${agency.agencyName}`),
    text:
      `Dear ${agency.spoc.name},\n\n` +
      `${context.partnershipName} has started a Rapid Review, reference ${record.reference}, after ${record.notifyingLocalAuthority} notified a serious incident (${incidentKindLabel(record.incidentKind).toLowerCase()}).\n\n` +
      `As the single point of contact for ${agency.agencyName}, please return ${whatToReturn(record)}, completed for your agency, by ${formatInstant(dueAt, timeZone)}.\n\n` +
      `Upload it here (${ACCEPTED_FORMATS}):\n${link.url}\n\n` +
      `The link is for ${agency.agencyName} and this case only; please do not forward it. It stops working at ${formatInstant(link.expiresAt, timeZone)}, when the summaries are collated for the Rapid Review Group.` +
      SIGN_OFF(context),
  };
}

function requestedOn(agency: AgencyRequest, timeZone: string): string {
  return agency.requestedAt ? ` sent at ${formatInstant(agency.requestedAt, timeZone)}` : '';
}

/**
 * Where a chasing email's link is and how long it works. It is a link of the agency's own, made
 * for this email: the link in the request keeps working beside it.
 */
function chasingLink(context: EmailContext, agency: AgencyRequest, link: AgencyLinkInEmail): string {
  return (
    `Upload it here (${ACCEPTED_FORMATS}):\n${link.url}\n\n` +
    `The link is for ${agency.agencyName} and this case only; please do not forward it. It works until ${formatInstant(link.expiresAt, context.timeZone)}, when the summaries are collated, as does the link in our request${requestedOn(agency, context.timeZone)}. After that, reply to this email to reach the partnership team.`
  );
}

/** Reminder day: a summary not yet returned, with the agency's link. */
export function agencyReminderEmail(
  context: EmailContext,
  agency: AgencyRequest,
  link: AgencyLinkInEmail,
): EmailMessage {
  const { record, timeZone } = context;
  const dueAt = milestone(record.timetable, 'agencySummariesDue').dueAt;
  return {
    to: [agency.spoc.email],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, `reminder: summary due from ${agency.agencyName}`),
    text:
      `Dear ${agency.spoc.name},\n\n` +
      `We have not yet received ${agency.agencyName}'s summary for Rapid Review ${record.reference}. It is due by ${formatInstant(dueAt, timeZone)}.\n\n` +
      `Please return ${whatToReturn(record)}, completed for your agency. ` +
      chasingLink(context, agency, link) +
      SIGN_OFF(context),
  };
}

/**
 * Day 10 deadline passed: to the SPOC, copied to the agency's strategic lead (when known) and the
 * partnership team, with the agency's link.
 */
export function agencyEscalationEmail(
  context: EmailContext,
  agency: AgencyRequest,
  strategicLead: { name: string; email: string } | undefined,
  link: AgencyLinkInEmail,
  now?: Date,
): EmailMessage {
  const { record, timeZone } = context;
  const dueAt = milestone(record.timetable, 'agencySummariesDue').dueAt;
  // A ladder may copy the strategic lead before the deadline: the summary is then due, not overdue.
  const beforeDeadline = now !== undefined && now.getTime() < Date.parse(dueAt);
  const copied = strategicLead
    ? `This email is copied to ${strategicLead.name}, ${agency.agencyName}'s strategic safeguarding lead, and to the partnership team.`
    : 'This email is copied to the partnership team.';
  return {
    to: [agency.spoc.email],
    cc: [...(strategicLead ? [strategicLead.email] : []), context.partnershipTeamAddress],
    ...replyToTeam(context),
    subject: emailSubject(
      record.reference,
      `${beforeDeadline ? 'still missing' : 'overdue'}: summary from ${agency.agencyName}`,
    ),
    text:
      `Dear ${agency.spoc.name},\n\n` +
      `${agency.agencyName}'s summary for Rapid Review ${record.reference} ${beforeDeadline ? 'is due by' : 'was due by'} ${formatInstant(dueAt, timeZone)} and has not been received. The Rapid Review Group needs every agency's summary to reach its decision.\n\n` +
      `Please return ${whatToReturn(record)} as soon as you can. ` +
      chasingLink(context, agency, link) +
      `\n\n${copied}` +
      SIGN_OFF(context),
  };
}

/**
 * The ladder's formal request: to the agency's strategic lead (to its single point of contact
 * when the profile names no lead), copied to the contact and the partnership team, with the
 * letter attached and the agency's link.
 */
export function formalRequestEmail(
  context: EmailContext,
  agency: AgencyRequest,
  strategicLead: { name: string; email: string } | undefined,
  letter: Attachment,
  link: AgencyLinkInEmail,
): EmailMessage {
  const { record } = context;
  const to = strategicLead ? strategicLead.email : agency.spoc.email;
  return {
    to: [to],
    cc: [...(strategicLead ? [agency.spoc.email] : []), context.partnershipTeamAddress],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, `formal request for information from ${agency.agencyName}`),
    text:
      `Dear ${strategicLead ? strategicLead.name : agency.spoc.name},\n\n` +
      `${agency.agencyName} has not returned its summary for Rapid Review ${record.reference}. The attached letter is the safeguarding partners' formal request for it, under section 16H of the Children Act 2004.\n\n` +
      `${agency.agencyName} can still return ${whatToReturn(record)}. ` +
      chasingLink(context, agency, link) +
      '\n\n' +
      `${strategicLead ? `This email is copied to ${agency.spoc.name}, ${agency.agencyName}'s single point of contact, and to the partnership team.` : `We do not hold the name of ${agency.agencyName}'s strategic safeguarding lead: please pass this letter to them. This email is copied to the partnership team.`}` +
      SIGN_OFF(context),
    attachments: [letter],
  };
}

/** The ladder's formal request: one email telling the Rapid Review Group which agencies have not returned. */
export function missingAgenciesEmail(
  context: EmailContext,
  recipients: readonly { email: string }[],
  agencyNames: readonly string[],
  caseUrl: string,
): EmailMessage {
  const { record, timeZone } = context;
  const dueAt = milestone(record.timetable, 'agencySummariesDue').dueAt;
  return {
    to: recipients.map((person) => person.email),
    ...replyToTeam(context),
    subject: emailSubject(
      record.reference,
      `${agencyNames.length} ${agencyNames.length === 1 ? 'agency has' : 'agencies have'} not returned a summary`,
    ),
    text:
      'Dear members of the Rapid Review Group,\n\n' +
      `These agencies have not returned their summary for Rapid Review ${record.reference}, due by ${formatInstant(dueAt, timeZone)}:\n\n` +
      agencyNames.map((name) => `- ${name}`).join('\n') +
      `\n\nThe partnership has sent each of them a formal request for the information under section 16H of the Children Act 2004.\n\n` +
      `The case, signed in:\n${caseUrl}` +
      SIGN_OFF(context),
  };
}

/** Day 12: the papers to one member of the Rapid Review Group, on the case page (signed in). */
export function papersEmail(
  context: EmailContext,
  recipient: { name: string; email: string },
  papers: {
    caseUrl: string;
    /** The agencies whose Word files the collated report lists but cannot hold: on the case page too. */
    wordFilesFrom?: readonly string[];
  },
): EmailMessage {
  const { record } = context;
  const meeting = milestone(record.timetable, 'rapidReviewMeeting');
  const wordFilesFrom = papers.wordFilesFrom ?? [];
  const wordFiles =
    wordFilesFrom.length === 0
      ? ''
      : ` With it are the Word files these agencies sent, which the report lists but cannot hold:\n${wordFilesFrom
          .map((name) => `- ${name}`)
          .join('\n')}`;
  // The meeting as the partnership team scheduled it, when it has; the timetable's Day 14 otherwise.
  const scheduled = record.meeting;
  const when = scheduled ? formatDate(scheduled.date) : formatDate(meeting.date);
  const at = scheduled
    ? `the Rapid Review Group meeting at ${meetingWhen(scheduled)}, ${meetingWhere(scheduled)}`
    : `the Rapid Review Group meeting on ${formatDate(meeting.date)}`;
  return {
    to: [recipient.email],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, `papers for the meeting on ${when}`),
    text:
      `Dear ${recipient.name},\n\n` +
      `The papers for Rapid Review ${record.reference} are ready for ${at}.\n\n` +
      `The collated report (PDF) is on the case page, under Documents.${wordFiles}\n\n` +
      `Sign in to read them:\n${papers.caseUrl}\n\n` +
      'The papers are confidential to the Rapid Review Group.' +
      SIGN_OFF(context),
  };
}

/** While the workflow waits: asks the chair for the decision by the deadline, linking the page to record it. */
export function decisionRequestEmail(
  context: EmailContext,
  chair: { name: string; email: string },
  wait: { attempt: number; dueAt: string; caseUrl: string },
): EmailMessage {
  const { record, timeZone } = context;
  return {
    to: [chair.email],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, `decision due by ${formatInstant(wait.dueAt, timeZone)}`),
    text:
      `Dear ${chair.name},\n\n` +
      `The papers for Rapid Review ${record.reference} have been sent to the Rapid Review Group. Please record the group's decision (whether to commission a Local Child Safeguarding Practice Review, and whether to recommend a national review, each with reasons) by ${formatInstant(wait.dueAt, timeZone)}. The decision on a local review is for ${safeguardingPartners}.\n\n` +
      `${clocksInWords(clocksOf(record.timetable)).sentence} ${fifteenWorkingDays}\n\n` +
      `Record the decision, signed in:\n${wait.caseUrl}/decision\n\n` +
      `The case and its papers:\n${wait.caseUrl}` +
      SIGN_OFF(context),
  };
}

/**
 * A wait for the submission ran out: to whoever it still waits for (the chair, the partners who
 * have not signed off, the Executive Board chair), copied to the partnership team, each thing it
 * waits for with the page where it is done.
 */
export function submissionOverdueEmail(
  context: EmailContext,
  to: readonly string[],
  escalation: {
    attempt: number;
    /** What the submission still waits for, in words, each with the page where it is done. */
    waitingFor: readonly { what: string; url: string }[];
    nextReminderAt: string;
    caseUrl: string;
  },
): EmailMessage {
  const { record, timeZone } = context;
  const dueAt = milestone(record.timetable, 'submitToPanel').dueAt;
  // Sent only after the first wait ran out, when the Panel has had its holding email.
  const panel = ' The Panel has been told that the review is late, and the Executive Board copied.';
  return {
    to: [...to],
    cc: [context.partnershipTeamAddress],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, `the review is late (reminder ${escalation.attempt})`),
    text:
      'Dear colleagues,\n\n' +
      `Rapid Review ${record.reference} has not gone to the Panel. It was due by ${formatInstant(dueAt, timeZone)}.${panel} ${fifteenWorkingDays}\n\n` +
      `It goes as soon as it has the following. Each link opens the page where it is done, once you have signed in:\n${escalation.waitingFor.map((awaited) => `- ${awaited.what}:\n  ${awaited.url}`).join('\n')}\n\n` +
      `If it is still waiting, you will be reminded again at ${formatInstant(escalation.nextReminderAt, timeZone)}. The partnership team can record why the review is late, and when it now expects to submit, on the case:\n${escalation.caseUrl}` +
      SIGN_OFF(context),
  };
}

/**
 * The end of the governing date, with no submission: one short holding email to the Panel's
 * mailbox, the Executive Board chair copied.
 */
export function lateNoticeEmail(
  context: EmailContext,
  panelMailbox: string,
  executiveBoard: string | undefined,
): EmailMessage {
  const { record } = context;
  const dueOn = milestone(record.timetable, 'submitToPanel').date;
  return {
    to: [panelMailbox],
    ...(executiveBoard ? { cc: [executiveBoard] } : {}),
    ...replyToTeam(context),
    subject: emailSubject(record.reference, `Rapid Review late, Panel reference ${record.panelReference}`),
    text:
      'Dear Child Safeguarding Practice Review Panel,\n\n' +
      `${context.partnershipName}'s Rapid Review for Panel reference ${record.panelReference} (our reference ${record.reference}), notified by ${record.notifyingLocalAuthority}, was due to reach you by ${formatDate(dueOn)}. It is not complete yet. We will send it as soon as it is, saying why it is late.` +
      SIGN_OFF(context),
  };
}

/** The chair has recorded the decision: each safeguarding partner's lead and delegates are asked to sign it off. */
export function signOffRequestEmail(
  context: EmailContext,
  to: readonly string[],
  caseUrl: string,
): EmailMessage {
  const { record, timeZone } = context;
  const dueAt = milestone(record.timetable, 'submitToPanel').dueAt;
  return {
    to: [...to],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, 'the decision is ready for your sign-off'),
    text:
      'Dear safeguarding partners,\n\n' +
      `The Rapid Review Group chair has recorded the group's decision on Rapid Review ${record.reference}. The decision is the safeguarding partners': each partner (its lead or a delegate) agrees with it or disagrees with reasons. The review goes to the Panel once all three partners have signed off and the report is complete; it is due by ${formatInstant(dueAt, timeZone)}.\n\n` +
      `Read the decision and sign off, signed in:\n${caseUrl}/sign-off` +
      SIGN_OFF(context),
  };
}

/**
 * The case was closed as notification only: an agency still asked for its summary, or the
 * notifier, is told nothing more is needed. The reason stays on the case.
 */
export function caseClosedEmail(
  context: EmailContext,
  spoc: { name: string; email: string } | undefined,
  notifierEmail?: string,
): EmailMessage {
  const { record } = context;
  const greeting = spoc ? `Dear ${spoc.name},` : 'Hello,';
  const ask = spoc
    ? 'Your agency does not need to return a summary for it, and the link you were sent no longer needs to be used.'
    : 'Thank you for the notification.';
  return {
    to: [spoc?.email ?? (notifierEmail as string)],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, 'closed as notification only: no Rapid Review needed'),
    text:
      `${greeting}\n\n` +
      `The partnership has closed case ${record.reference} as a notification only: no Rapid Review will be held. ${ask}` +
      SIGN_OFF(context),
  };
}

/**
 * The partnership team withdrew the review (issue 10 part 3): to an agency still asked, to a
 * member of the Rapid Review Group, or to the notifier. It gives no reason: the reason is free
 * text that may describe the family, and stays on the case.
 */
export function caseWithdrawnEmail(
  context: EmailContext,
  to: { name?: string; email: string },
  kind: 'agency' | 'group' | 'notifier',
): EmailMessage {
  const { record } = context;
  const greeting = to.name ? `Dear ${to.name},` : 'Hello,';
  const what = {
    agency: 'Your agency does not need to return a summary for it. The link you were sent no longer works.',
    group: 'The Rapid Review Group will not meet or decide on it.',
    notifier: 'Thank you for the notification. The partnership team can tell you more.',
  }[kind];
  return {
    to: [to.email],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, 'Rapid Review withdrawn'),
    text:
      `${greeting}\n\n` +
      `The partnership has withdrawn the Rapid Review of case ${record.reference}. ${what}` +
      SIGN_OFF(context),
  };
}

/**
 * Day 15: the one email to the Panel's mailbox, with the papers attached; for a late review it says
 * so, with the date it was due and how many working days late it goes (`sentAt` counts them).
 */
export function panelSubmissionEmail(
  context: EmailContext,
  panelMailbox: string,
  attachments: Attachment[],
  sentAt: Date,
): EmailMessage {
  const { record } = context;
  // The reason is free text and may describe the family: it goes in the covering letter, not here.
  const late = record.late
    ? `${lateInWords(record.late, sentAt, context.timeZone).statement} ${
        record.late.reason ? "The covering letter gives the partnership's reason." : noLateReason
      }\n\n`
    : '';
  return {
    to: [panelMailbox],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, `Rapid Review outcome, Panel reference ${record.panelReference}`),
    text:
      'Dear Child Safeguarding Practice Review Panel,\n\n' +
      `Please find attached the outcome of ${context.partnershipName}'s Rapid Review for Panel reference ${record.panelReference} (our reference ${record.reference}), notified by ${record.notifyingLocalAuthority}.\n\n` +
      late +
      `Attached:\n${attachments.map((attachment) => `- ${attachment.fileName}`).join('\n')}` +
      SIGN_OFF(context),
    attachments,
  };
}

/** After submission: the outcome in summary to the notifier or an agency's SPOC. */
export function outcomeEmail(
  context: EmailContext,
  recipient: { name?: string; email: string },
  decision: NonNullable<CaseRecord['decision']>,
  submittedAt: string,
): EmailMessage {
  const { record, timeZone } = context;
  return {
    to: [recipient.email],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, 'outcome sent to the Panel'),
    text:
      `${recipient.name ? `Dear ${recipient.name}` : 'Hello'},\n\n` +
      `The outcome of Rapid Review ${record.reference} was sent to the Child Safeguarding Practice Review Panel at ${formatInstant(submittedAt, timeZone)}.\n\n` +
      `${decisionSummary(decision)}\n\n` +
      'Thank you for your part in the review. The partnership team will be in touch about anything that follows from it.' +
      SIGN_OFF(context),
  };
}

/**
 * After submission: the partnership team is told the outcome went, with the decision in two
 * sentences and the case, where the Panel's reply is recorded when it comes.
 */
export function outcomeSentToTeamEmail(
  context: EmailContext,
  decision: NonNullable<CaseRecord['decision']>,
  submittedAt: string,
  caseUrl: string,
): EmailMessage {
  const { record, timeZone } = context;
  return {
    to: [context.partnershipTeamAddress],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, 'outcome sent to the Panel'),
    text:
      `The outcome of Rapid Review ${record.reference} was sent to the Child Safeguarding Practice Review Panel at ${formatInstant(submittedAt, timeZone)}. The notifier and each agency's contact are told too.\n\n` +
      `${decisionSummary(decision)}\n\n` +
      `Record the Panel's reply on the case when it comes, signed in:\n${caseUrl}` +
      SIGN_OFF(context),
  };
}

// ── What the partnership team is told (issue 11 part 5) ─────────────────────────────────────
/**
 * A notification opened a case: the partnership team is told its reference, the incident, who
 * notified it, when it came and the date the review works to, and the case's link. No child.
 */
export function caseOpenedEmail(context: EmailContext, caseUrl: string): EmailMessage {
  const { record, timeZone } = context;
  const incident = incidentKindLabel(record.incidentKind);
  return {
    to: [context.partnershipTeamAddress],
    ...replyToTeam(context),
    subject: emailSubject(
      record.reference,
      `new case: ${incident.toLowerCase()}, from ${record.notifyingLocalAuthority}`,
    ),
    text:
      `A serious incident notification has opened Rapid Review ${record.reference}.\n\n` +
      `Incident: ${incident}\n` +
      `Notified by: ${record.notifyingLocalAuthority}\n` +
      `Received: ${formatInstant(record.receivedAt, timeZone)}\n\n` +
      `${clocksInWords(clocksOf(record.timetable)).sentence}\n\n` +
      `The agencies named in the notification are asked for their summaries now.\n\n` +
      `The case, signed in:\n${caseUrl}` +
      SIGN_OFF(context),
  };
}

/**
 * An agency's own return (its upload or its structured return) came after the Day 10 deadline:
 * the partnership team is told once. It came before collation (the agency's link stops then), so
 * the collated report holds it.
 */
export function lateReturnEmail(
  context: EmailContext,
  agency: Pick<AgencyRequest, 'agencyName'>,
  receivedAt: string,
  caseUrl: string,
): EmailMessage {
  const { record, timeZone } = context;
  const dueAt = milestone(record.timetable, 'agencySummariesDue').dueAt;
  return {
    to: [context.partnershipTeamAddress],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, `late return from ${agency.agencyName}`),
    text:
      `${agency.agencyName} returned its summary for Rapid Review ${record.reference} at ${formatInstant(receivedAt, timeZone)}, after the Day 10 deadline of ${formatInstant(dueAt, timeZone)}.\n\n` +
      'It came before the summaries were collated, so the collated report includes it. It is marked late on the case.\n\n' +
      `The case, signed in:\n${caseUrl}` +
      SIGN_OFF(context),
  };
}
// ── end of what the partnership team is told ────────────────────────────────────────────────

/** The workflow stopped: to the partnership team, naming the step and the error, never the error's text. */
export function workflowFailureEmail(
  context: EmailContext,
  failure: { step: string; error: string; at: string; caseUrl: string },
): EmailMessage {
  const { record, timeZone } = context;
  return {
    to: [context.partnershipTeamAddress],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, 'the review has stopped and needs the partnership team'),
    text:
      `The Rapid Review service stopped working on case ${record.reference} at ${formatInstant(failure.at, timeZone)}, while ${stepInWords(failure.step)}.\n\n` +
      'The service will not take any more of its steps until the service’s support team has put right what went wrong and resumed the review. It then carries on from where it stopped, without sending anything twice. The case page says what has been done so far. The service’s support team can see what went wrong; nothing about the child or family is in this email.\n\n' +
      `The case:\n${failure.caseUrl}` +
      SIGN_OFF(context),
  };
}

// ── The Panel's reply (issue 9 part 6) ─────────────────────────────────────────────────────
/**
 * The Panel's reply, to the partnership's Executive Board: its date and its three answers, and
 * a link to the case for the rest. No comments (like the decision's reasons, they may describe
 * the family), and never a child's name.
 */
export function panelReplyEmail(
  context: EmailContext,
  board: { name?: string; email: string },
  reply: NonNullable<CaseRecord['panelReply']>,
  caseLink: string,
): EmailMessage {
  const { record } = context;
  const answer = (yes: boolean, ifYes: string, ifNo: string) => `- ${yes ? ifYes : ifNo}`;
  return {
    to: [board.email],
    ...replyToTeam(context),
    subject: emailSubject(record.reference, "the Panel's reply"),
    text:
      `${board.name ? `Dear ${board.name}` : 'Hello'},\n\n` +
      `The Child Safeguarding Practice Review Panel replied to Rapid Review ${record.reference} on ${formatDate(reply.repliedOn)}. The partnership team recorded its reply.\n\n` +
      `${answer(reply.agreesWithDecision, 'The Panel agrees with the decision.', 'The Panel does not agree with the decision.')}\n` +
      `${answer(reply.nationalReview, 'The Panel will carry out a national review.', 'The Panel will not carry out a national review.')}\n` +
      `${answer(
        reply.asksForLocalReview,
        'The Panel asks the partnership for a local child safeguarding practice review: the case is marked as a local review to commission.',
        'The Panel does not ask the partnership for a local review.',
      )}\n\n` +
      `The Panel's comments are on the case, for those signed in to the service:\n${caseLink}` +
      SIGN_OFF(context),
  };
}
// ── end of the Panel's reply ────────────────────────────────────────────────────────────────

// ── The Rapid Review Group meeting (issue 9 part 4) ─────────────────────────────────────────
/** The meeting's time and date in words: "10am on Tuesday 12 January 2027", "2:30pm on …". */
export function meetingWhen(meeting: Pick<RrgMeeting, 'date' | 'time'>): string {
  const [hours = 0, minutes = 0] = meeting.time.split(':').map(Number);
  const period = hours < 12 ? 'am' : 'pm';
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const clock =
    minutes === 0 ? `${hour12}${period}` : `${hour12}:${String(minutes).padStart(2, '0')}${period}`;
  const named = minutes === 0 && hours === 12 ? 'midday' : minutes === 0 && hours === 0 ? 'midnight' : clock;
  return `${named} on ${formatDate(meeting.date)}`;
}

/** Where the meeting is: "at Room 1, Town Hall" or "by call: https://…". */
export function meetingWhere(meeting: Pick<RrgMeeting, 'place' | 'callLink'>): string {
  return meeting.place ? `at ${meeting.place}` : `by call: ${meeting.callLink ?? ''}`;
}

/**
 * The invitation to the Rapid Review Group meeting, to the chair, a deputy chair or a member:
 * when and where, the case by its reference (never the child), and the case page, which holds
 * the papers once they have gone out (signed in), or says they follow on papers day.
 */
export function meetingInvitationEmail(
  context: EmailContext,
  recipient: { name: string; email: string },
  invitation: {
    meeting: Pick<RrgMeeting, 'date' | 'time' | 'place' | 'callLink'>;
    /** The meeting was scheduled before: this invitation replaces the earlier one. */
    changed: boolean;
    caseUrl: string;
    /** The papers have gone out: they are on the case page. */
    papersOut?: boolean;
    /** When the papers go out (YYYY-MM-DD), when they have not yet. */
    papersDay?: string;
  },
): EmailMessage {
  const { record } = context;
  const { meeting } = invitation;
  const when = meetingWhen(meeting);
  const where = meeting.place ? `Place: ${meeting.place}` : `Join the call: ${meeting.callLink ?? ''}`;
  const opening = invitation.changed
    ? `The Rapid Review Group meeting for Rapid Review ${record.reference} has changed. It is now at ${when}. This replaces the earlier invitation.`
    : `You are invited to the Rapid Review Group meeting for Rapid Review ${record.reference}, at ${when}.`;
  const papersText = invitation.papersOut
    ? 'The papers are on the case page, under Documents, for those signed in to the service.'
    : `The papers will follow on papers day${invitation.papersDay ? ` (${formatDate(invitation.papersDay)})` : ''}, by email and on the case page.`;
  return {
    to: [recipient.email],
    ...replyToTeam(context),
    subject: emailSubject(
      record.reference,
      invitation.changed ? `meeting changed: now ${when}` : `meeting invitation: ${when}`,
    ),
    text:
      `Dear ${recipient.name},\n\n` +
      `${opening}\n\n` +
      `${where}\n\n` +
      `${papersText}\n\n` +
      'At the meeting each attendee is asked to declare any conflict of interest and to agree to keep the meeting and its papers confidential.\n\n' +
      `The case, signed in:\n${invitation.caseUrl}` +
      SIGN_OFF(context),
  };
}
// ── end of the Rapid Review Group meeting ───────────────────────────────────────────────────
