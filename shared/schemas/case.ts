import { escalationRungKind } from '../rapid-review-rules.ts';
import { returnVersion } from './agency-return.ts';
import {
  agencyId,
  caseId,
  emailAddress,
  hasLineBreakOrControl,
  isoDate,
  isoInstant,
  nonEmpty,
  optionalText,
  text,
  textMessages,
  wholeNumber,
} from './primitives.ts';
import { actor, safeguardingPartner } from './roles.ts';
import { timetable } from './timetable.ts';
import * as z from './zod.ts';

/** Where a Rapid Review stands. The workflow moves a case forward through these in order. */
export const caseStatus = z.enum([
  'notified',
  'awaiting-summaries',
  'collating',
  'awaiting-decision',
  'decided',
  'submitted-to-panel',
  'completed',
  /**
   * Only cases recorded as failed before failure became a fault flag (`failure`, below) hold this
   * status; a case view says `failed` for a case whose flag is up (shared/use-cases/show-case.ts).
   */
  'failed',
  'closed',
  'withdrawn',
]);
export type CaseStatus = z.infer<typeof caseStatus>;

/** The chair's decision at the Rapid Review Group meeting. Both reasons are required. */
export const rapidReviewDecision = z.object({
  commissionLocalReview: z.boolean({ error: 'Say whether a local review is commissioned' }),
  localReviewReason: text(4000, { multiline: true }),
  recommendNationalReview: z.boolean({ error: 'Say whether a national review is recommended' }),
  nationalReviewReason: text(4000, { multiline: true }),
});
export type RapidReviewDecision = z.infer<typeof rapidReviewDecision>;

/** A safeguarding partner's answer on the chair's decision: agrees, or disagrees with reasons. */
export const signOffAnswer = z
  .object({
    agrees: z.boolean({ error: 'Say whether your partner agrees with the decision' }),
    reasons: optionalText(4000, { multiline: true }),
  })
  .check(
    z.refine((answer) => answer.agrees || Boolean(answer.reasons), {
      message: 'Give the reasons your partner disagrees',
      path: ['reasons'],
    }),
  );
export type SignOffAnswer = z.infer<typeof signOffAnswer>;

/** One partner's sign-off as stored: who signed (their id, and their name for what people read) and when. */
export const signOff = z.object({
  partner: safeguardingPartner,
  agrees: z.boolean(),
  reasons: z.optional(text(4000, { multiline: true })),
  signedAt: isoInstant,
  signedBy: nonEmpty(),
  signedByName: nonEmpty(),
});
export type SignOff = z.infer<typeof signOff>;

/** How the Executive Board chair resolves a disagreement: the chair's decision stands, or the Board varies it (its reasons say how). */
export const resolutionOutcome = z.enum(['decision-stands', 'decision-varied'], {
  error: 'Say whether the decision stands or the Board varies it',
});

/** The Executive Board chair's resolution, as given. */
export const signOffResolutionAnswer = z.object({
  outcome: resolutionOutcome,
  reasons: text(4000, { multiline: true }),
});

export const signOffResolution = z.extend(signOffResolutionAnswer, {
  resolvedAt: isoInstant,
  resolvedBy: nonEmpty(),
  resolvedByName: nonEmpty(),
});
export type SignOffResolution = z.infer<typeof signOffResolution>;

// ── The Panel's reply (issue 9 part 6) ────────────────────────────────────────────────────
/**
 * The national Panel's reply to the Rapid Review, as the partnership team records it: when it
 * came, its three answers, its comments, and (for its letter) the letter's reference or title.
 * "Not in the future, not before the submission" is `panelReplyOn` (shared/use-cases/record-panel-reply.ts).
 */
export const panelReplyAnswers = z.object({
  repliedOn: isoDate,
  agreesWithDecision: z.boolean({ error: 'Say whether the Panel agrees with the decision' }),
  nationalReview: z.boolean({ error: 'Say whether the Panel will carry out a national review' }),
  asksForLocalReview: z.boolean({ error: 'Say whether the Panel asks the partnership for a local review' }),
  comments: text(4000, { multiline: true }),
  letterReference: optionalText(200),
});
export type PanelReplyAnswers = z.infer<typeof panelReplyAnswers>;

/** The Panel's reply as stored on the case: the answers, and who recorded them when. */
export const recordedPanelReply = z.extend(panelReplyAnswers, {
  recordedAt: isoInstant,
  recordedBy: nonEmpty(),
  /** The recorder's name as their sign-in gave it, for what people read (never `recordedBy`). */
  recordedByName: z.optional(nonEmpty()),
  /** The Panel's letter, uploaded after the reply is recorded (issue 9 part 4: see `meetingDocument`). */
  letterDocumentKey: z.optional(nonEmpty()),
});
export type RecordedPanelReply = z.infer<typeof recordedPanelReply>;
// ── end of the Panel's reply ─────────────────────────────────────────────────────────────────

// ── The late path and the notification-only closure (issue 9 parts 3 and 6) ────────────────
/**
 * The governing date passed without a submission: the review is late (not failed). The workflow
 * sets `dueDate` and `panelToldAt` when it sends the Panel its holding email; the partnership
 * team adds the reason and the date it now expects to submit, and may change them until the
 * submission goes.
 */
export const lateAnswers = z.object({
  reason: text(4000, { multiline: true }),
  expectedOn: isoDate,
});
export type LateAnswers = z.infer<typeof lateAnswers>;
export const lateReview = z.object({
  /** The governing date that passed (YYYY-MM-DD). */
  dueDate: isoDate,
  /** When the holding email went to the Panel (the Executive Board copied). */
  panelToldAt: z.optional(isoInstant),
  reason: z.optional(text(4000, { multiline: true })),
  expectedOn: z.optional(isoDate),
  reasonRecordedAt: z.optional(isoInstant),
  reasonRecordedBy: z.optional(nonEmpty()),
  reasonRecordedByName: z.optional(nonEmpty()),
});
export type LateReview = z.infer<typeof lateReview>;

/** The partnership team's reason for closing a looked-after child's or care leaver's death as notification only. */
export const closureAnswers = z.object({ reason: text(4000, { multiline: true }) });
export const caseClosure = z.extend(closureAnswers, {
  kind: z.literal('notification-only'),
  closedAt: isoInstant,
  closedBy: nonEmpty(),
  closedByName: z.optional(nonEmpty()),
});
export type CaseClosure = z.infer<typeof caseClosure>;
// ── end of the late path and the closure ─────────────────────────────────────────────────────

// ── The partnership team steers the case (issue 10 part 3) ────────────────────────────────
/** Why the partnership team changes an agency or withdraws the case: kept in the audit trail. */
export const steerReason = z.object({ reason: text(4000, { multiline: true }) });
export type SteerReason = z.infer<typeof steerReason>;

/** An agency's single point of contact, as the notification gives it. */
export const agencyContact = z.object({ name: text(120), email: emailAddress });
export type AgencyContact = z.infer<typeof agencyContact>;

/** Adding an agency to a running review: its name, its single point of contact, and why. */
export const addAgencyAnswers = z.extend(steerReason, { name: text(120), spoc: agencyContact });
export type AddAgencyAnswers = z.infer<typeof addAgencyAnswers>;

/** Replacing an agency's single point of contact, and why. */
export const replaceContactAnswers = z.extend(steerReason, { spoc: agencyContact });
export type ReplaceContactAnswers = z.infer<typeof replaceContactAnswers>;

/** The case withdrawn (status `withdrawn`): why, by whom, when. */
export const caseWithdrawal = z.extend(steerReason, {
  withdrawnAt: isoInstant,
  withdrawnBy: nonEmpty(),
  withdrawnByName: z.optional(nonEmpty()),
});
export type CaseWithdrawal = z.infer<typeof caseWithdrawal>;

/** An agency removed from the review (status `removed`): why, by whom, when. */
export const agencyRemoval = z.extend(steerReason, {
  removedAt: isoInstant,
  removedBy: nonEmpty(),
  removedByName: z.optional(nonEmpty()),
});
export type AgencyRemoval = z.infer<typeof agencyRemoval>;
// ── end of the partnership team steering the case ────────────────────────────────────────

// ── The Rapid Review Group meeting (issue 9 part 4) ─────────────────────────────────────────
/**
 * The meeting as the partnership team schedules it: a date (not in the past: `meetingOn` in
 * shared/use-cases/rrg-meeting.ts), a time (24-hour HH:MM, London), and a place or a call link
 * (one of them). Rescheduling makes a new version, each audited and each with a fresh invitation.
 */
export const meetingFields = z.object({
  date: isoDate,
  time: z.string({ error: 'Enter a time as HH:MM, like 10:00 or 14:30' }).check(
    z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
      error: 'Enter a time as HH:MM (24-hour), like 10:00 or 14:30',
    }),
  ),
  place: optionalText(200),
  callLink: z.optional(
    z.string({ error: 'Enter the call link' }).check(
      z.trim(),
      z.maxLength(500, { error: textMessages.tooLong(500) }),
      z.refine(
        (value: string) => /^https:\/\/[^\s/?#]+\.[^\s]*$/.test(value) && !hasLineBreakOrControl(value),
        {
          error: 'Enter the call link as a web address starting https://',
        },
      ),
    ),
  ),
});

/** A place or a call link: one of them, not both. */
export const placeOrCallLink = () =>
  z.refine<{ place?: string; callLink?: string }>(
    (meeting: { place?: string; callLink?: string }) => Boolean(meeting.place) !== Boolean(meeting.callLink),
    {
      message: 'Give either the place or the call link, not both',
      path: ['place'],
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    },
  );

export const meetingAnswers = meetingFields.check(placeOrCallLink());
export type MeetingAnswers = z.infer<typeof meetingAnswers>;

/** What one attendee declares: "none", or the conflicts of interest in words. */
export const meetingAttendee = z.object({
  name: text(120),
  agency: text(120),
  role: text(120),
  conflicts: text(2000, { multiline: true }),
  confidentialityAgreed: z.literal(true, {
    error: 'Every attendee must agree to keep the meeting confidential',
  }),
});
export type MeetingAttendee = z.infer<typeof meetingAttendee>;

/** Whether an attendee's declaration says they have no conflicts of interest ("none", "no", "n/a", "nil"). */
export function declaresNoConflicts(conflicts: string): boolean {
  return /^(none|no|n\/a|nil)\.?$/i.test(conflicts.trim());
}

/** Who attended: at least one attendee, the whole list each time (it replaces the one before). */
export const attendanceAnswers = z.object({
  attendees: z
    .array(meetingAttendee, { error: 'List who attended' })
    .check(
      z.minLength(1, { error: 'Add at least one attendee' }),
      z.maxLength(100, { error: 'List at most 100 attendees' }),
    ),
});
export type AttendanceAnswers = z.infer<typeof attendanceAnswers>;

/** A document a member of staff uploaded to the case (the minutes, the Panel's letter). */
export const staffDocument = z.object({
  key: nonEmpty(),
  fileName: text(200),
  mediaType: nonEmpty(),
  bytes: wholeNumber(1),
  uploadedAt: isoInstant,
  uploadedBy: nonEmpty(),
  uploadedByName: z.optional(nonEmpty()),
});
export type StaffDocument = z.infer<typeof staffDocument>;

/** The meeting as stored on the case. */
export const rrgMeeting = z.extend(meetingFields, {
  /** 1 when first scheduled, one more each time it is changed (the invitations' key). */
  version: wholeNumber(1),
  scheduledAt: isoInstant,
  scheduledBy: nonEmpty(),
  scheduledByName: z.optional(nonEmpty()),
  attendees: z.optional(z.array(meetingAttendee)),
  attendanceRecordedAt: z.optional(isoInstant),
  attendanceRecordedBy: z.optional(nonEmpty()),
  attendanceRecordedByName: z.optional(nonEmpty()),
  minutes: z.optional(staffDocument),
});
export type RrgMeeting = z.infer<typeof rrgMeeting>;
// ── end of the Rapid Review Group meeting ──────────────────────────────────────────────────

/**
 * One change to the notification (issue 10 part 3): the version it made (2 onwards), its document,
 * who changed it, when and why, and which fields changed (their paths only, never their values).
 */
export const notificationVersion = z.object({
  version: wholeNumber(2),
  documentKey: nonEmpty(),
  changedAt: isoInstant,
  changedBy: nonEmpty(),
  changedByName: z.optional(nonEmpty()),
  reason: text(4000, { multiline: true }),
  fields: z.array(nonEmpty()),
});
export type NotificationVersion = z.infer<typeof notificationVersion>;

/**
 * A case as stored. It holds what the workflow and the case page need; the children's details
 * stay in the notification document in S3.
 */
export const caseRecord = z.object({
  caseId,
  reference: nonEmpty(),
  status: caseStatus,
  version: wholeNumber(1),
  receivedAt: isoInstant,
  notifyingLocalAuthority: text(120),
  incidentKind: z.enum(['death', 'serious-harm']),
  panelReference: text(60),
  notifierEmail: emailAddress,
  notificationDocumentKey: nonEmpty(),
  /**
   * For finding a possible duplicate without keeping any child's details here: per child with a
   * date of birth, sha256 (hex) of the date of birth and the incident date (duplicateKeyOf).
   * Absent on cases opened before it was kept.
   */
  duplicateKeys: z.optional(z.array(z.string().check(z.regex(/^[0-9a-f]{64}$/)))),
  /**
   * For finding the case by a child's initials without keeping them here (issue 11 part 2): per
   * named child, an HMAC (hex) of each way their initials may be typed, bound to this case
   * (childInitialsKeysOf, shared/cases/child-initials.ts). Absent on cases opened before it was kept.
   */
  childInitialsKeys: z.optional(z.array(z.string().check(z.regex(/^[0-9a-f]{64}$/)))),
  /** The staff id of whoever sent the notification (its `case.opened` actor): their list of notifications finds it by this. */
  notifiedBy: z.optional(nonEmpty()),
  /** A looked-after child's or care leaver's death: the Secretary of State and Ofsted were told (in the notification). */
  lookedAfterOrCareLeaverDeath: z.optional(z.boolean()),
  timetable,
  agencyIds: z.array(agencyId).check(z.minLength(1)),
  /** The step the workflow last reported, for the case page and the engineer on call. */
  currentStep: nonEmpty(),
  decision: z.optional(
    z.extend(rapidReviewDecision, {
      decidedAt: isoInstant,
      decidedBy: nonEmpty(),
      /** The chair's name as their sign-in gave it: what the papers print (never `decidedBy`, an internal id). */
      decidedByName: z.optional(nonEmpty()),
    }),
  ),
  /**
   * The fault flag: the workflow stopped on an error it could not recover from, at this step (its
   * state name, for the operations page) with this error name (never its cause, which may quote
   * personal data). The case keeps its status; an operator resumes it once the cause is fixed
   * (shared/use-cases/resume-case.ts), which clears the flag.
   */
  failure: z.optional(z.object({ step: z.string(), error: z.string(), at: isoInstant })),
  /**
   * How many times an operator resumed the review after a failure: the execution running it now
   * is named `<caseId>-resume-<resumes>` (the first, `<caseId>`). Absent until the first resume.
   */
  resumes: z.optional(wholeNumber(1)),
  /**
   * A person's change that may have made the submission ready (the decision, a sign-off, the
   * Executive Board chair's resolution, the report's completion) was saved at this instant, and
   * the workflow has not yet been told: written with the change, cleared once the waiting
   * workflow is resumed (or found not to need it). Until then, the resume sweep
   * (functions/resume-workflows) tries again.
   */
  resumeOwed: z.optional(isoInstant),
  // The partners' sign-offs (issue 9 part 4): one per safeguarding partner, after the chair's
  // decision, and the Executive Board chair's resolution of a disagreement.
  signOffs: z.optional(z.array(signOff)),
  signOffResolution: z.optional(signOffResolution),

  // The Panel's reply (issue 9 part 6): recorded once, after the submission.
  panelReply: z.optional(recordedPanelReply),
  /** When the review went to the Panel (issue 14): the scrutiny report's and dashboard's timeliness. Absent on a case sent before. */
  submittedToPanelAt: z.optional(isoInstant),
  /** The Panel asked for a local review: one is to be commissioned (the local review is its own piece of work). */
  localReviewToCommission: z.optional(z.boolean()),
  /** The governing date passed without a submission (issue 9 part 6). */
  late: z.optional(lateReview),
  /** Closed as notification only, no Rapid Review (status `closed`). */
  closure: z.optional(caseClosure),
  /** Withdrawn by the partnership team before the submission (status `withdrawn`, issue 10 part 3). */
  withdrawal: z.optional(caseWithdrawal),
  /**
   * Each change to the notification after intake (issue 10 part 3), oldest first: the first
   * version is the notification as received, at `cases/<id>/notification.json`.
   */
  notificationVersions: z.optional(z.array(notificationVersion)),
  // ── The Rapid Review Group meeting (issue 9 part 4): scheduled, attended, minuted.
  meeting: z.optional(rrgMeeting),
  /**
   * The local authority's notification to the Panel (issue 10 part 5), as the notifier (or the
   * partnership team) uploaded it before collation: a PDF at `cases/<id>/panel-notification.pdf`,
   * which the papers append in place of the notification's own fields.
   */
  panelNotificationDocument: z.optional(staffDocument),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type CaseRecord = z.infer<typeof caseRecord>;

/** Where one agency's summary stands. */
export const agencyReturnStatus = z.enum([
  'pending',
  'requested',
  'reminded',
  'escalated',
  'received',
  /** The partnership team removed the agency from the review (issue 10 part 3): never chased, not missing. */
  'removed',
]);
export type AgencyReturnStatus = z.infer<typeof agencyReturnStatus>;

/** The request to one agency for its summary on one case. */
export const agencyRequest = z.object({
  caseId,
  agencyId,
  agencyName: text(120),
  spoc: agencyContact,
  status: agencyReturnStatus,
  /** True when the summary arrived after the Day 10 deadline. */
  late: z.boolean(),
  version: wholeNumber(1),
  requestedAt: z.optional(isoInstant),
  remindedAt: z.optional(isoInstant),
  escalatedAt: z.optional(isoInstant),
  receivedAt: z.optional(isoInstant),
  documentKey: z.optional(z.string()),
  /**
   * The agency's structured returns (issue 10 part 2), every version, the latest last: "no
   * involvement", or its involvement. Absent when it has only uploaded a file, or nothing yet.
   */
  returns: z.optional(z.array(returnVersion)),
  /**
   * The file on record (`documentKey`) was uploaded by the partnership team for the agency (issue
   * 10 part 3): by whom (their name) and when. Cleared when the agency uploads a file itself.
   */
  uploadedByTeam: z.optional(z.object({ byName: z.optional(nonEmpty()), at: isoInstant })),
  // ── The escalation ladder (issue 10 part 4): each rung the agency has climbed, in order, and
  // when. `remindedAt` and `escalatedAt` are still set by the reminder and lead-copied rungs.
  ladder: z.optional(z.array(z.object({ kind: escalationRungKind, at: isoInstant }))),
  /** Where the formal request for information sent to the agency's strategic lead is filed. */
  formalRequestKey: z.optional(z.string()),
  // ── end of the escalation ladder
  /**
   * The hash of the one capability link that works, once the partnership team has replaced the
   * contact or resent the link (issue 10 part 3): every other link of this agency stops working
   * at once. Absent: every unexpired link issued for the agency works.
   */
  linkTokenHash: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  /** Removed from the review by the partnership team (status `removed`). */
  removal: z.optional(agencyRemoval),
  /**
   * When its case was notified, stamped by the case store when the request is written (issue 14):
   * it files the request under its case's month in the month index, beside the case.
   */
  caseReceivedAt: z.optional(isoInstant),
});
export type AgencyRequest = z.infer<typeof agencyRequest>;

/** One entry in a case's audit trail: who, when, what, why. */
export const auditEvent = z.object({
  caseId,
  eventId: nonEmpty(),
  at: isoInstant,
  actor,
  action: nonEmpty(),
  reason: nonEmpty(),
  details: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
});
export type AuditEvent = z.infer<typeof auditEvent>;
