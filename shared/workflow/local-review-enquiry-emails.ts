import type { EmailMessage } from '../adapters/mailer.ts';
import type { EscalationRungKind } from '../rapid-review-rules.ts';
import type { InformationRequest } from '../schemas/local-review-enquiry.ts';
import { emailSubject } from './email-subject.ts';
import type { LocalReviewEmailContext } from './local-review-emails.ts';
import { formatDate, formatDateOf, formatInstant } from './london-time.ts';

/**
 * The emails of a local review's enquiry (issue 13 part 3): the written request for information
 * with the agency's own link, its chasing on the partnership's escalation ladder, and an
 * agency's refusal escalated to the safeguarding partners. Each names the review by its
 * reference, never a child, and replies go to the partnership team.
 */

const signOff = (context: LocalReviewEmailContext) =>
  `\n\n${context.partnershipName}\nPartnership team: ${context.partnershipTeamAddress}\n\nThis email was sent by the safeguarding practice review service. It names the review by its reference only.`;

const replyTo = (context: LocalReviewEmailContext) => ({ replyTo: [context.partnershipTeamAddress] });

/** The link's own words: what it opens, and until when. */
function linkLines(context: LocalReviewEmailContext, request: InformationRequest, link: string): string {
  return `Your agency's link to this request (keep it private: anyone with it can add to the review's chronology):\n${link}\n\nThrough it, first record your declaration of any conflict of interest and your agreement to keep the review confidential; then add each entry of the chronology (the date, what happened, and where your record of it is). The link works until ${formatInstant(request.linkExpiresAt, context.timeZone)}.`;
}

/** The written request to an agency, with its link (the first, or a new one replacing the last). */
export function informationRequestEmail(
  context: LocalReviewEmailContext,
  request: InformationRequest,
  link: string,
): EmailMessage {
  const replaced =
    request.linkNumber > 1 ? '\n\nThis is a new link: the link we sent you before no longer works.' : '';
  return {
    to: [request.contactEmail],
    cc: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(
      context.review.reference,
      `request for information for a local child safeguarding practice review, due ${formatDate(request.dueOn)}`,
    ),
    text:
      `Dear ${request.contactName},\n\n${context.partnershipName} is carrying out a Local Child Safeguarding Practice Review, ${context.review.reference}. We ask ${request.agencyName} for the following information, in writing, by ${formatDate(request.dueOn, { weekday: true })}:\n\n${request.asks}\n\n` +
      linkLines(context, request, link) +
      replaced +
      '\n\nIf you cannot provide this information, say so through the link, with your reasons.' +
      signOff(context),
  };
}

const rungWords: Record<EscalationRungKind, string> = {
  reminder: 'reminder',
  'lead-copied': 'reminder, your strategic lead copied',
  'formal-request': 'formal request for information',
};

/**
 * One rung of the ladder for an information request not yet answered. An email to the agency's
 * contact carries the agency's new link (`link`: the one before it stops working); the formal
 * request to the strategic lead carries none, and says plainly what is late and since when.
 */
export function informationRequestChaseEmail(
  context: LocalReviewEmailContext,
  request: InformationRequest,
  kind: EscalationRungKind,
  strategicLead: { name: string; email: string } | undefined,
  link: { url: string; expiresAt: string } | undefined,
): EmailMessage {
  const asked = `On ${formatDateOf(request.sentAt, context.timeZone)} we asked ${request.agencyName} for information for Local Child Safeguarding Practice Review ${context.review.reference}, due ${formatDate(request.dueOn, { weekday: true })}. We have not yet had it.`;
  const withLink = link
    ? `\n\n${linkLines(context, { ...request, linkExpiresAt: link.expiresAt }, link.url)}\n\nThis is a new link: the link we sent you before no longer works.`
    : '';
  const subject = emailSubject(
    context.review.reference,
    `${rungWords[kind]}: information for a local child safeguarding practice review, due ${formatDate(request.dueOn)}`,
  );
  const unable =
    '\n\nIf your agency cannot provide this information, say so through the link, with your reasons.';
  if (kind === 'formal-request') {
    const to = strategicLead ? [strategicLead.email] : [request.contactEmail];
    const late = `${request.agencyName} has not provided the information ${context.partnershipName} asked it for on ${formatDateOf(request.sentAt, context.timeZone)}, in writing, for Local Child Safeguarding Practice Review ${context.review.reference}. It was due by the end of ${formatDate(request.dueOn, { weekday: true })}. We asked for:\n\n${request.asks}`;
    const contact = strategicLead
      ? `\n\n${request.contactName}, copied, is the agency's contact for this request and has its link, from our latest reminder, to provide the information or to tell us why it cannot.`
      : withLink + unable;
    return {
      to,
      cc: [...(strategicLead ? [request.contactEmail] : []), context.partnershipTeamAddress],
      ...replyTo(context),
      subject,
      text:
        `Dear ${strategicLead?.name ?? request.contactName},\n\n${late}\n\nThe safeguarding partners formally request this information under section 16H of the Children Act 2004. Please provide it without further delay, or tell us in writing why you cannot.${contact}` +
        signOff(context),
    };
  }
  return {
    to: [request.contactEmail],
    cc: [
      ...(kind === 'lead-copied' && strategicLead ? [strategicLead.email] : []),
      ...(kind === 'lead-copied' ? [context.partnershipTeamAddress] : []),
    ],
    ...replyTo(context),
    subject,
    text: `Dear ${request.contactName},\n\n${asked}${withLink}${unable}${signOff(context)}`,
  };
}

/** An agency refused to provide the information: the safeguarding partners are told, the team copied. */
export function informationRefusedEmail(
  context: LocalReviewEmailContext,
  request: InformationRequest & { refusal: NonNullable<InformationRequest['refusal']> },
  partners: readonly string[],
): EmailMessage {
  return {
    to: [...partners],
    cc: [context.partnershipTeamAddress],
    ...replyTo(context),
    subject: emailSubject(
      context.review.reference,
      `${request.agencyName} refused a request for information for a local review`,
    ),
    text:
      `Dear safeguarding partners,\n\n${request.agencyName} has refused the request for information for Local Child Safeguarding Practice Review ${context.review.reference} (${context.review.fromCase ? `from Rapid Review ${context.review.fromCase.reference}` : `from Practice Review Group referral ${context.review.fromReferral?.reference ?? ''}`}), which was due ${formatDate(request.dueOn)}. It gave these reasons on ${formatInstant(request.refusal.at, context.timeZone)}:\n\n${request.refusal.reason}\n\nThe safeguarding partners may require the information under section 16H of the Children Act 2004. The review's page: ${context.reviewUrl}` +
      signOff(context),
  };
}
