import type { Attachment, EmailMessage } from '../adapters/mailer.ts';
import type { PartnershipProfile } from '../config/partnership-profile.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import type { LocalReview, ParallelProcess } from '../schemas/local-review.ts';
import { parallelProcessNames } from '../schemas/local-review.ts';
import { emailSubject } from './email-subject.ts';
import { formatDate, formatInstant } from './london-time.ts';

/**
 * The emails of a Local Child Safeguarding Practice Review (issue 13). Each names the review by
 * its reference and the Panel's reference for the Rapid Review, never a child, and links the
 * review's page (signed in). Every one replies to the partnership team.
 */

/** Who sends a review's emails and how they sign off. */
export interface LocalReviewEmailContext {
  partnershipName: string;
  partnershipTeamAddress: string;
  timeZone: string;
  review: LocalReview;
  /** The review's page in the service. */
  reviewUrl: string;
}

export function localReviewEmailContext(
  profile: PartnershipProfile,
  review: LocalReview,
  publicBaseUrl: string,
): LocalReviewEmailContext {
  return {
    partnershipName: profile.partnershipName,
    partnershipTeamAddress: profile.partnershipTeamAddress,
    timeZone: rulesOf(profile).timeZone,
    review,
    reviewUrl: localReviewUrl(publicBaseUrl, review.reviewId),
  };
}

/** Where staff open a local review in the service. */
export function localReviewUrl(publicBaseUrl: string, reviewId: string): string {
  return `${publicBaseUrl}/local-reviews/${reviewId}`;
}

const signOff = (context: LocalReviewEmailContext) =>
  `\n\n${context.partnershipName}\nPartnership team: ${context.partnershipTeamAddress}\n\nThis email was sent by the safeguarding practice review service. It names the review by its reference only.`;

const replyTo = (context: LocalReviewEmailContext) => ({ replyTo: [context.partnershipTeamAddress] });

/** "LCSPR-2026-0007 (Rapid Review RR-2026-0007, Panel reference P-123)". */
const named = (review: LocalReview) =>
  review.fromCase
    ? `${review.reference} (from Rapid Review ${review.fromCase.reference}, Panel reference ${review.fromCase.panelReference})`
    : `${review.reference} (from Practice Review Group referral ${review.fromReferral?.reference ?? ''})`;

/** ", Panel reference P-123" for a review from a Rapid Review; nothing for one from a referral, which the Panel was never notified of. */
const panelReferenceOf = (review: LocalReview) =>
  review.fromCase ? `, Panel reference ${review.fromCase.panelReference}` : '';

const PANEL = 'Dear Child Safeguarding Practice Review Panel,\n\n';
const TEAM = 'Dear partnership team,\n\n';

/** The Panel is told the partnership has commissioned a local review. */
export function commissionedEmail(context: LocalReviewEmailContext, panelMailbox: string): EmailMessage {
  const { review } = context;
  const why =
    review.route === 'panel-request'
      ? 'as the Panel asked in its reply to the Rapid Review'
      : review.route === 'practice-review-group'
        ? 'as its Practice Review Group decided on a referral of a case that was not notifiable'
        : 'as the safeguarding partners decided at the Rapid Review';
  return {
    to: [panelMailbox],
    cc: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, `local review commissioned${panelReferenceOf(review)}`),
    text:
      PANEL +
      `${context.partnershipName} has commissioned a Local Child Safeguarding Practice Review, ${named(review)}, ${why}. The decision to commission was made on ${formatDate(review.decidedOn)}. The partnership aims to complete the review by ${formatDate(review.completionDueOn)}.\n\nWe will tell you who the reviewer is once they are appointed.` +
      signOff(context),
  };
}

/** The Panel is told who the reviewer is. */
export function reviewerAppointedEmail(context: LocalReviewEmailContext, panelMailbox: string): EmailMessage {
  const { review } = context;
  const reviewer = review.reviewer;
  return {
    to: [panelMailbox],
    cc: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, 'reviewer appointed'),
    text:
      PANEL +
      `${context.partnershipName} has appointed the reviewer for its Local Child Safeguarding Practice Review ${named(review)}: ${reviewer?.name ?? 'the reviewer'} of ${reviewer?.organisation ?? 'their organisation'}, contracted from ${reviewer ? formatDate(reviewer.contractStartsOn) : ''} to ${reviewer ? formatDate(reviewer.contractEndsOn) : ''}. The partnership chose the reviewer against the six points of its framework for choosing a reviewer, including any real or perceived conflict of interest.` +
      signOff(context),
  };
}

/** A reminder to the team before the completion target. */
export function completionReminderEmail(
  context: LocalReviewEmailContext,
  monthsBefore: number,
): EmailMessage {
  const { review } = context;
  const months = monthsBefore === 1 ? 'one month' : `${monthsBefore} months`;
  return {
    to: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, `local review due in ${months}`),
    text:
      TEAM +
      `The Local Child Safeguarding Practice Review ${named(review)} is due to be complete by ${formatDate(review.completionDueOn)}, ${months} from now. When the final report is ready, record its planned publication date on the review's page:\n${context.reviewUrl}` +
      signOff(context),
  };
}

/** The completion target passed: the Panel is told once, the Executive Board copied. */
export function localReviewLateEmail(
  context: LocalReviewEmailContext,
  panelMailbox: string,
  executiveBoard: string | undefined,
): EmailMessage {
  const { review } = context;
  return {
    to: [panelMailbox],
    cc: [context.partnershipTeamAddress, ...(executiveBoard ? [executiveBoard] : [])],
    ...replyTo(context),
    subject: emailSubject(review.reference, `local review late${panelReferenceOf(review)}`),
    text:
      PANEL +
      `${context.partnershipName}'s Local Child Safeguarding Practice Review ${named(review)} was due to be complete by ${formatDate(review.completionDueOn)}. It is not complete yet. We will tell you why, and when we now expect to complete it.` +
      signOff(context),
  };
}

/** The team is chased while the review is late. */
export function completionOverdueEmail(
  context: LocalReviewEmailContext,
  attempt: number,
  reasonRecorded: boolean,
): EmailMessage {
  const { review } = context;
  return {
    to: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, 'local review late'),
    text:
      TEAM +
      `The Local Child Safeguarding Practice Review ${named(review)} was due to be complete by ${formatDate(review.completionDueOn)} and is late (reminder ${attempt}). The Panel has been told.${reasonRecorded ? '' : ' Record why it is late, and when you now expect to complete it,'} When the final report is ready, record its planned publication date on the review's page:\n${context.reviewUrl}` +
      signOff(context),
  };
}

/** The review's own reviewer uploaded a draft: the partnership team is told, with the drafts page. */
export function reviewerDraftUploadedEmail(context: LocalReviewEmailContext, version: number): EmailMessage {
  const { review } = context;
  return {
    to: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, `the reviewer uploaded draft version ${version}`),
    text:
      TEAM +
      `The reviewer uploaded draft version ${version} of local review ${review.reference}. Read it on the review's drafts page, where you can also send it to the agencies for factual accuracy or check its quality:\n${context.reviewUrl}/drafts` +
      signOff(context),
  };
}

const processInWords = (process: ParallelProcess) =>
  `${parallelProcessNames[process.kind]}${process.description ? ` (${process.description})` : ''}${process.expectedEndOn ? `, expected to end by ${formatDate(process.expectedEndOn)}` : ''}`;

/** Publication is held back by open processes: the team is told once for each set of them. */
export function publicationHeldEmail(
  context: LocalReviewEmailContext,
  holding: readonly ParallelProcess[],
): EmailMessage {
  const { review } = context;
  return {
    to: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, 'publication held back'),
    text:
      TEAM +
      `The Local Child Safeguarding Practice Review ${named(review)} is not to be published while these processes are open:\n${holding.map((process) => `- ${processInWords(process)}`).join('\n')}\n\nWhen each has ended, record its end on the review's page and, if need be, a new planned publication date. The notice to the Panel and the Secretary of State goes before publication, as planned.\n${context.reviewUrl}` +
      signOff(context),
  };
}

/** The notice before publication: to the Panel and the Secretary of State, the partnership team copied. */
export function prePublicationNoticeEmail(
  context: LocalReviewEmailContext,
  recipients: readonly string[],
  secretaryOfStateCopied: boolean,
  final?: FinalReportAttachment,
): EmailMessage {
  const { review } = context;
  const plan = review.publicationPlan;
  const what = plan?.inFull
    ? 'the final report in full'
    : `the improvements information rather than the full report, because: ${plan?.reasonsNotInFull ?? ''}`;
  return {
    to: [...recipients],
    cc: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(
      review.reference,
      `local review to be published on ${plan ? formatDate(plan.plannedOn) : ''}`,
    ),
    text:
      (secretaryOfStateCopied
        ? 'Dear Child Safeguarding Practice Review Panel and Secretary of State for Education,\n\n'
        : PANEL) +
      `${context.partnershipName} plans to publish its Local Child Safeguarding Practice Review ${named(review)} on ${plan ? formatDate(plan.plannedOn) : ''}. It will publish ${what}.${review.reviewer ? ` The reviewer, ${review.reviewer.name}, will be named.` : ''} ${final ? `The ${plan?.inFull === false ? 'improvements information' : 'final report'} is attached (${final.attachment.fileName}).` : 'No final version of the report was chosen on the service, so the partnership team sends the document itself with this notice.'}` +
      (secretaryOfStateCopied
        ? ''
        : '\n\nThe partnership profile names no mailbox for the Secretary of State: the partnership team must send the Secretary of State this notice itself.') +
      signOff(context),
    ...(final ? { attachments: [final.attachment] } : {}),
  };
}

/** The final version the team chose (issue 13 part 4), attached to the notice before publication. */
export interface FinalReportAttachment {
  version: number;
  attachment: Attachment;
}

/** The planned publication date passed without a recorded publication. */
export function publicationOverdueEmail(context: LocalReviewEmailContext, attempt: number): EmailMessage {
  const { review } = context;
  return {
    to: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, 'record the publication'),
    text:
      TEAM +
      `The Local Child Safeguarding Practice Review ${named(review)} was planned for publication on ${review.publicationPlan ? formatDate(review.publicationPlan.plannedOn) : ''} (reminder ${attempt}). Record the date it was published and its public address, or a new planned date, on the review's page:\n${context.reviewUrl}` +
      signOff(context),
  };
}

/** A month before the report has been public for the minimum period. */
export function minimumPeriodAlertEmail(context: LocalReviewEmailContext, endsOn: string): EmailMessage {
  const { review } = context;
  return {
    to: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, 'minimum period of publication ends in a month'),
    text:
      TEAM +
      `The report of the Local Child Safeguarding Practice Review ${named(review)} was published on ${review.publication ? formatDate(review.publication.publishedOn) : ''} at ${review.publication?.address ?? ''}. It must stay public until at least ${formatDate(endsOn)}. Do not take it down before then.\n${context.reviewUrl}` +
      signOff(context),
  };
}

/** One request's chasing or one round's reminders stopped; the review goes on: the team is told what to do by hand. */
export function chasingStoppedEmail(context: LocalReviewEmailContext, what: string, at: Date): EmailMessage {
  const { review } = context;
  return {
    to: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, 'reminders stopped'),
    text:
      TEAM +
      `The service stopped sending reminders for ${what} in the Local Child Safeguarding Practice Review ${named(review)} at ${formatInstant(at, context.timeZone)}: something went wrong. Please chase this by hand. The rest of the review goes on as planned, and nothing recorded was lost. The service's support team can see what failed.\n${context.reviewUrl}` +
      signOff(context),
  };
}

/** The workflow stopped: the team is told. */
export function localReviewFailedEmail(context: LocalReviewEmailContext, at: Date): EmailMessage {
  const { review } = context;
  return {
    to: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(review.reference, 'local review timetable stopped'),
    text:
      TEAM +
      `The service stopped following the timetable of the Local Child Safeguarding Practice Review ${named(review)} at ${formatInstant(at, context.timeZone)}: something went wrong. The review and what was recorded are kept. The service's support team can see what failed.\n${context.reviewUrl}` +
      signOff(context),
  };
}
