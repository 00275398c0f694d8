import { localReviewRulesOf, rulesOf } from '../config/partnership-profile.ts';
import type { AuditEvent } from '../schemas/case.ts';
import type { LocalReview } from '../schemas/local-review.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import {
  addCalendarMonths,
  completionDueAt,
  type LocalReviewCalendar,
  minimumPeriodEndsOn,
  prePublicationNoticeOn,
  processesHoldingPublication,
  publicationDueAt,
} from '../workflow/local-review-plan.ts';
import { isoDateOf } from '../workflow/london-time.ts';
import { loadLocalReview } from './local-review.ts';

/** Where a milestone stands: done, on track, at risk (close to its date), late (past it), or held back. */
export type MilestoneState = 'done' | 'on-track' | 'at-risk' | 'late' | 'held' | 'not-yet';

export interface LocalReviewMilestone {
  key: 'completion' | 'notice' | 'publication' | 'minimum-period';
  /** What it is, in words. */
  name: string;
  /** YYYY-MM-DD, when there is a date yet. */
  dueOn?: string;
  /** When it was done. */
  doneAt?: string;
  state: MilestoneState;
}

/** One line of the review's timeline: when, and what happened, from its audit trail. */
export interface TimelineEntry {
  at: string;
  action: string;
  reason: string;
  /** Who: a person's name, or the service itself. */
  who: string;
}

export interface LocalReviewView {
  review: LocalReview;
  /** The children, from the Rapid Review's notification (names as recorded; none when it cannot be read). */
  children: { name?: string; dateOfBirth?: string }[];
  milestones: LocalReviewMilestone[];
  timeline: TimelineEntry[];
  /** Open processes holding publication back. */
  holdingProcesses: number[];
}

const notificationChildren = z.object({
  children: z.array(z.object({ name: z.optional(z.string()), dateOfBirth: z.optional(z.string()) })),
});

/**
 * The review's milestones at `now`, each on track, at risk or late: the final report by the
 * completion target (at risk within the last reminder's months of it), the notice before
 * publication and the publication itself (at risk within the notice's working days; held while a
 * process holds publication back), and the end of the minimum period of publication.
 */
export function localReviewMilestones(
  review: LocalReview,
  now: Date,
  calendar: LocalReviewCalendar,
): LocalReviewMilestone[] {
  const today = isoDateOf(now, calendar.hours.timeZone);
  const held = processesHoldingPublication(review).length > 0;
  const nearest = Math.min(...calendar.rules.reminderMonthsBefore, calendar.rules.completionMonths);
  const completion: LocalReviewMilestone = review.publicationPlan
    ? {
        key: 'completion',
        name: 'Final report ready',
        dueOn: review.completionDueOn,
        doneAt: review.publicationPlan.recordedAt,
        state: 'done',
      }
    : {
        key: 'completion',
        name: 'Final report ready',
        dueOn: review.completionDueOn,
        state:
          review.late || now.getTime() > completionDueAt(review, calendar).getTime()
            ? 'late'
            : today >= addCalendarMonths(review.completionDueOn, -nearest)
              ? 'at-risk'
              : 'on-track',
      };
  const plan = review.publicationPlan;
  const noticeOn = plan ? prePublicationNoticeOn(plan.plannedOn, calendar.rules) : undefined;
  const dated = (state: MilestoneState, dueOn?: string) => (dueOn ? { state, dueOn } : { state });
  const notice: LocalReviewMilestone = {
    key: 'notice',
    name: 'Notice to the Panel and the Secretary of State',
    ...(review.prePublicationNoticeSentAt
      ? { ...dated('done', noticeOn), doneAt: review.prePublicationNoticeSentAt }
      : !plan || !noticeOn
        ? dated('not-yet')
        : held
          ? dated('held', noticeOn)
          : dated(today > noticeOn ? 'late' : today === noticeOn ? 'at-risk' : 'on-track', noticeOn)),
  };
  const publication: LocalReviewMilestone = {
    key: 'publication',
    name: 'Published',
    ...(review.publication
      ? { ...dated('done', plan?.plannedOn), doneAt: review.publication.recordedAt }
      : !plan
        ? dated('not-yet')
        : held
          ? dated('held', plan.plannedOn)
          : dated(
              now.getTime() > publicationDueAt(plan.plannedOn, calendar).getTime()
                ? 'late'
                : noticeOn && today >= noticeOn
                  ? 'at-risk'
                  : 'on-track',
              plan.plannedOn,
            )),
  };
  const minimum: LocalReviewMilestone = {
    key: 'minimum-period',
    name: 'Public for the minimum period',
    ...(review.publication
      ? dated(
          review.minimumPeriodAlertSentAt ? 'at-risk' : 'on-track',
          minimumPeriodEndsOn(review.publication.publishedOn, calendar.rules),
        )
      : dated('not-yet')),
  };
  return [completion, notice, publication, minimum];
}

function whoDid(event: AuditEvent): string {
  if (event.actor.kind === 'staff') return event.actor.name ?? 'A member of the partnership team';
  if (event.actor.kind === 'agency') return 'An agency';
  return 'The service';
}

/** The review's page: the review, its children, its milestones and its timeline. */
export async function showLocalReview(
  service: Pick<Service, 'clock' | 'profile' | 'localReviews' | 'documents'>,
  input: { reviewId: string },
): Promise<LocalReviewView> {
  const review = await loadLocalReview(service, input.reviewId);
  const [audit, children] = await Promise.all([
    service.localReviews.getLocalReviewAudit(review.reviewId),
    childrenOf(service, review),
  ]);
  const calendar = { rules: localReviewRulesOf(service.profile), hours: rulesOf(service.profile) };
  return {
    review,
    children,
    milestones: localReviewMilestones(review, service.clock.now(), calendar),
    timeline: audit.map((event) => ({
      at: event.at,
      action: event.action,
      reason: event.reason,
      who: whoDid(event),
    })),
    holdingProcesses: processesHoldingPublication(review).map((process) => process.number),
  };
}

async function childrenOf(
  service: Pick<Service, 'documents'>,
  review: LocalReview,
): Promise<LocalReviewView['children']> {
  if (!review.fromCase) {
    const child = review.fromReferral?.child;
    return child
      ? [{ name: child.name, ...(child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : {}) }]
      : [];
  }
  try {
    const bytes = await service.documents.getBytes(review.fromCase.notificationDocumentKey);
    const parsed = notificationChildren.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success
      ? parsed.data.children.map((child) => ({
          ...(child.name ? { name: child.name } : {}),
          ...(child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : {}),
        }))
      : [];
  } catch {
    return [];
  }
}
