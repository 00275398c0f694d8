import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CalendarDate } from '../../shared/calendar/dates.ts';
import { addWorkingDays, subtractWorkingDays } from '../../shared/calendar/working-days.ts';
import { openCase } from '../../shared/cases/open-case.ts';
import { defaultLearningThemes, learningThemeKey } from '../../shared/config/partnership-profile.ts';
import { DuplicateWriteError } from '../../shared/errors.ts';
import type { AgencyRequest, CaseRecord } from '../../shared/schemas/case.ts';
import type { LearningAction } from '../../shared/schemas/learning.ts';
import type { CaseStore } from '../../shared/stores/case-store.ts';
import {
  DynamoDbLearningStore,
  type LearningStore,
  type ReviewLearningInput,
} from '../../shared/stores/learning-store.ts';
import { auditTableNameFor } from '../case-table.ts';
import { localClientConfig } from '../dynamodb-local.ts';
import { sampleNotification } from '../sample-notification.ts';

/**
 * A partnership's history, invented (issue 14 part 4): closed Rapid Reviews spread over the four
 * years before `now`, each written straight into the case store as the workflow would have left
 * it (decided, sent to the Panel on time or a few working days late, the Panel's reply, the
 * agencies' returns on time, late or missing), so that the dashboard and the scrutiny report have
 * a realistic history to count. Every child is "Child A (invented)"; every reference starts `RR-INV-`.
 * The same `seed` gives the same reviews.
 */

/** A small deterministic random source (mulberry32). */
function randomSource(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENCIES = [
  "Children's Social Care (invented)",
  'Police (invented)',
  'Health (invented)',
  'Education (invented)',
  'Probation (invented)',
  'Housing (invented)',
];

const iso = (date: CalendarDate) => date.toString();

/** One invented closed review: the case as sent and replied to, and its agencies' requests. */
export function inventedReview(index: number, now: Date, random: () => number) {
  const days = Math.floor(random() * 4 * 365) + 20;
  const receivedAt = new Date(now.getTime() - days * 24 * 3600 * 1000);
  receivedAt.setUTCHours(9 + Math.floor(random() * 8), Math.floor(random() * 60), 0, 0);
  const receivedOn = CalendarDate.from(receivedAt.toISOString().slice(0, 10));
  const year = receivedAt.getUTCFullYear();
  const caseId = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  const notification = sampleNotification({
    children: [{ ...sampleNotification().children[0], name: 'Child A (invented)' } as never],
    agencies: AGENCIES.slice(0, 3 + Math.floor(random() * 4)).map((name) => ({
      name,
      spoc: { name: `Contact at ${name}`, email: 'spoc.invented@example.org' },
    })),
  });
  notification.incident = {
    ...notification.incident,
    kind: random() < 0.3 ? 'death' : 'serious-harm',
    occurredOn: iso(subtractWorkingDays(receivedOn, 2)),
    localAuthorityAwareOn: iso(subtractWorkingDays(receivedOn, 1)),
    panelNotifiedOn: iso(receivedOn),
    panelReference: `PANEL-INV-${String(index).padStart(5, '0')}`,
    summary: 'Invented review for the benchmark. No real child or family is described.',
  };
  const { record, agencies } = openCase({
    caseId,
    notification,
    receivedAt,
    notificationDocumentKey: `cases/${caseId}/notification.json`,
    reference: `RR-INV-${year}-${String(index).padStart(4, '0')}`,
    notifiedBy: 'user-notifier-invented',
  });
  const outcome = random();
  const governing = record.timetable.governingDueDate ?? record.timetable.panelDueBy ?? iso(receivedOn);
  const lateBy = random() < 0.25 ? 1 + Math.floor(random() * 6) : 0;
  const sentOn = lateBy
    ? addWorkingDays(CalendarDate.from(governing), lateBy)
    : subtractWorkingDays(CalendarDate.from(governing), Math.floor(random() * 3));
  const sentAt = `${iso(sentOn)}T14:00:00.000Z`;
  const decidedAt = `${iso(subtractWorkingDays(sentOn, 2))}T15:00:00.000Z`;
  const local = random() < 0.15;
  const national = random() < 0.05;
  const base: CaseRecord = {
    ...record,
    timetable: { ...record.timetable, milestones: record.timetable.milestones },
  };
  let closed: CaseRecord;
  if (outcome < 0.05) {
    closed = {
      ...base,
      status: 'closed',
      currentStep: 'Closed',
      closure: {
        kind: 'notification-only',
        reason: 'Invented: notification only.',
        closedAt: `${iso(addWorkingDays(receivedOn, 3))}T10:00:00.000Z`,
        closedBy: 'user-partnership-team-invented',
      },
    };
  } else if (outcome < 0.07) {
    closed = {
      ...base,
      status: 'withdrawn',
      currentStep: 'Withdrawn',
      withdrawal: {
        reason: 'Invented: withdrawn.',
        withdrawnAt: `${iso(addWorkingDays(receivedOn, 2))}T10:00:00.000Z`,
        withdrawnBy: 'user-partnership-team-invented',
      },
    };
  } else {
    const replied = random() < 0.9;
    const agrees = random() < 0.85;
    closed = {
      ...base,
      status: 'completed',
      currentStep: 'NotifyOutcome',
      decision: {
        commissionLocalReview: local,
        localReviewReason: local
          ? 'Invented: the criteria for a local review are met.'
          : 'Invented: the learning is captured by this rapid review.',
        recommendNationalReview: national,
        nationalReviewReason: national
          ? 'Invented: the case raises issues of national importance.'
          : 'Invented: no national learning beyond this review.',
        decidedAt,
        decidedBy: 'user-rrg-chair-invented',
      },
      submittedToPanelAt: sentAt,
      ...(lateBy
        ? {
            late: {
              dueDate: governing,
              panelToldAt: `${iso(addWorkingDays(CalendarDate.from(governing), 1))}T09:00:00.000Z`,
            },
          }
        : {}),
      ...(replied
        ? {
            panelReply: {
              repliedOn: iso(addWorkingDays(sentOn, 10 + Math.floor(random() * 10))),
              agreesWithDecision: agrees,
              nationalReview: national && agrees,
              asksForLocalReview: local || (!agrees && random() < 0.5),
              comments: 'Invented reply.',
              recordedAt: `${iso(addWorkingDays(sentOn, 25))}T10:00:00.000Z`,
              recordedBy: 'user-partnership-team-invented',
            },
          }
        : {}),
    };
  }
  const day10 = `${iso(addWorkingDays(receivedOn, 9))}T17:00:00.000Z`;
  const returned: AgencyRequest[] = agencies.map((agency) => {
    const roll = random();
    if (closed.status !== 'completed') return agency;
    if (roll < 0.06)
      return { ...agency, status: 'escalated', requestedAt: record.receivedAt, escalatedAt: day10 };
    const late = roll < 0.2;
    return {
      ...agency,
      status: 'received',
      late,
      requestedAt: record.receivedAt,
      receivedAt: late
        ? `${iso(addWorkingDays(receivedOn, 11))}T12:00:00.000Z`
        : `${iso(addWorkingDays(receivedOn, 7))}T12:00:00.000Z`,
    };
  });
  // Its learning: one to three themes, and for some reviews actions on the agencies, some overdue.
  const themes = [
    ...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, THEME_KEYS))),
  ];
  const learning: ReviewLearningInput | undefined =
    closed.status === 'completed'
      ? {
          reviewKind: 'rapid-review',
          reviewId: caseId,
          reference: closed.reference,
          reviewedOn: iso(receivedOn),
          themes,
          learningPoints: themes.map((theme, point) => ({
            pointId: `P${point + 1}`,
            text: 'Invented learning point for the benchmark.',
            theme,
            repeats: [],
          })),
          updatedBy: 'user-partnership-team-invented',
        }
      : undefined;
  const actions: LearningAction[] = [];
  if (learning && random() < 0.4) {
    const count = 1 + Math.floor(random() * 2);
    for (let number = 1; number <= count; number++) {
      const owner = pick(random, agencies);
      const dueOn = iso(addWorkingDays(sentOn, 40 + Math.floor(random() * 160)));
      const statusRoll = random();
      const status =
        statusRoll < 0.5
          ? 'verified'
          : statusRoll < 0.65
            ? 'done'
            : statusRoll < 0.85
              ? 'in-progress'
              : 'not-started';
      actions.push({
        actionId: `00000000-0000-4000-9000-${String(index * 10 + number).padStart(12, '0')}`,
        reviewKind: 'rapid-review',
        reviewId: caseId,
        reviewReference: closed.reference,
        number,
        source: 'immediate-learning',
        recommendation: 'Invented recommendation for the benchmark.',
        description: 'Invented action for the benchmark.',
        theme: themes[0],
        scope: 'single-agency',
        owningAgencyId: owner?.agencyId ?? 'police-invented',
        owningAgencyName: owner?.agencyName ?? 'Police (invented)',
        otherAgencyIds: [],
        otherAgencyNames: [],
        ownerRole: 'Safeguarding lead (invented)',
        ownerEmail: 'owner.invented@example.org',
        dueOn,
        status,
        progress: [],
        remindersSent: [],
        version: 1,
        createdAt: sentAt,
        createdBy: 'user-partnership-team-invented',
        updatedAt: sentAt,
      } as LearningAction);
    }
  }
  return { record: closed, agencies: returned, learning, actions };
}

const THEME_KEYS = defaultLearningThemes.map(learningThemeKey);
function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const ignoreDuplicate = (error: unknown) => {
  if (!(error instanceof DuplicateWriteError)) throw error;
};

/**
 * Writes `count` invented closed reviews into the case store, `concurrency` at a time; a review
 * already there (the same index seeded before) is left as it is. Answers how many it wrote.
 */
export async function seedClosedReviews(
  store: Pick<CaseStore, 'createCase'>,
  learningStore: Pick<LearningStore, 'saveReviewLearning' | 'createAction'> | undefined,
  options: {
    count: number;
    now: Date;
    seed?: number;
    concurrency?: number;
    onProgress?: (done: number) => void;
  },
): Promise<number> {
  const random = randomSource(options.seed ?? 14);
  const reviews = Array.from({ length: options.count }, (_, index) =>
    inventedReview(index + 1, options.now, random),
  );
  let written = 0;
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < reviews.length) {
      const review = reviews[next++];
      if (!review) break;
      try {
        await store.createCase(review.record, review.agencies, {
          actor: { kind: 'system', id: 'seed-invented-reviews' },
          at: review.record.receivedAt,
          action: 'case.seeded',
          reason: 'Invented closed review written by npm run seed for the dashboard and the scrutiny report',
        });
        written += 1;
      } catch (error) {
        if (!(error instanceof DuplicateWriteError)) throw error;
      }
      const audit = {
        actor: { kind: 'system' as const, id: 'seed-invented-reviews' },
        at: review.record.updatedAt,
        action: 'learning.seeded',
        reason: 'Invented learning written by npm run seed',
      };
      if (learningStore && review.learning) {
        await learningStore.saveReviewLearning(review.learning, undefined, audit).catch(ignoreDuplicate);
        for (const action of review.actions)
          await learningStore
            .createAction(action, { ...audit, action: 'action.seeded' })
            .catch(ignoreDuplicate);
      }
      done += 1;
      if (done % 100 === 0) options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return written;
}

/** The local stack's learning store (themes and actions), beside its case store. */
export function localLearningStore(dynamodbEndpoint: string, tableName: string): DynamoDbLearningStore {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamodbEndpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return new DynamoDbLearningStore(client, tableName, auditTableNameFor(tableName));
}
