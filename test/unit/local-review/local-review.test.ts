import { beforeEach, describe, expect, it } from 'vitest';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { partnershipProfile } from '../../../shared/config/partnership-profile.ts';
import {
  DuplicateWriteError,
  InvalidInputError,
  StaleWriteError,
  UnavailableError,
} from '../../../shared/errors.ts';
import type { LocalReview } from '../../../shared/schemas/local-review.ts';
import type { StaffMember } from '../../../shared/schemas/roles.ts';
import {
  appointReviewer,
  commissionLocalReview,
  LocalReviewRefusedError,
  PublicationHeldError,
  planLocalReviewPublication,
  recordLocalReviewLateReason,
  recordLocalReviewPublication,
  recordParallelProcess,
  recordParallelProcessEnded,
  recordTermsOfReference,
} from '../../../shared/use-cases/local-review.ts';
import {
  chaseLocalReview,
  EXECUTION_SPAN_DAYS,
  planPublication,
  scheduleLocalReviewWait,
  sendPrePublicationNotice,
  withinExecutionSpan,
} from '../../../shared/use-cases/local-review-tasks.ts';
import { localReviewMilestones } from '../../../shared/use-cases/show-local-review.ts';
import { addCalendarMonths, prePublicationNoticeOn } from '../../../shared/workflow/local-review-plan.ts';
import { InMemoryLocalReviewDraftsStore } from '../../support/in-memory-local-review-drafts-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import {
  fakeService,
  openSampleCase,
  type RecordingMailer,
  sampleDecision,
  testProfile,
} from '../workflow/workflow-fakes.ts';

/** The execution the workflow's tasks run in: started as the review was commissioned. */
const execution = { startedAt: '2026-03-25T10:00:05.000Z', phase: 'review' as const, generation: 0 };

const team: StaffMember = {
  id: 'user-team-test',
  roles: ['partnership-team'],
  name: 'Team Member (invented)',
};
const SECRETARY_OF_STATE = 'secretary-of-state@example.org';

/** The workflow port, recording what the use cases ask of it. */
class RecordingWorkflow implements ReviewWorkflow {
  readonly started: string[] = [];
  readonly completed: { taskToken: string; output: unknown }[] = [];
  async start(id: string) {
    if (this.started.includes(id)) return 'already-started' as const;
    this.started.push(id);
    return 'started' as const;
  }
  async completeTask(taskToken: string, output: unknown) {
    this.completed.push({ taskToken, output });
  }
  async resume() {
    return 'started' as const;
  }
  async failTask() {}
  async progress() {
    return { status: 'RUNNING' };
  }
  async failedStep() {
    return undefined;
  }
}

function localReviewService(start = '2026-03-25T10:00:00Z') {
  const fakes = fakeService(start);
  const localReviews = new InMemoryLocalReviewStore();
  const localReviewWorkflow = new RecordingWorkflow();
  const profile = partnershipProfile.parse({
    ...testProfile,
    localReviews: { secretaryOfStateMailbox: SECRETARY_OF_STATE },
  });
  const service = {
    clock: fakes.clock,
    cases: fakes.cases,
    mailer: fakes.mailer,
    documents: fakes.documents,
    publicBaseUrl: fakes.service.publicBaseUrl,
    profile,
    localReviews,
    localReviewDrafts: new InMemoryLocalReviewDraftsStore(localReviews.audit),
    localReviewWorkflow,
  };
  return { ...fakes, service, localReviews, localReviewWorkflow };
}

const termsAnswers = (agencyIds: string[]) => ({
  method: 'A systems approach (invented)',
  periodFrom: '2025-01-01',
  periodTo: '2026-02-28',
  agencyIds,
  keyLinesOfEnquiry: 'How agencies shared information (invented).',
  familyInvolvementPlan: 'The family is invited to meet the reviewer (invented).',
});

const reviewerAnswers = {
  name: 'Reviewer A (invented)',
  organisation: 'Independent Reviews Ltd (invented)',
  email: 'reviewer@example.org',
  evidence: {
    professionalKnowledge: 'Led six reviews (invented).',
    research: 'Knows the research (invented).',
    complexCircumstances: 'Worked in practice (invented).',
    withoutHindsight: 'Appreciative enquiry (invented).',
    communication: 'Clear reports (invented).',
    conflicts: 'None',
  },
  contractStartsOn: '2026-04-01',
  contractEndsOn: '2026-09-30',
  feePence: 1_250_000,
};

describe('starting a local review from a Rapid Review', () => {
  let fixture: ReturnType<typeof localReviewService>;
  beforeEach(() => {
    fixture = localReviewService();
  });

  it('refuses, in plain words, a Rapid Review whose partners did not commission one and whose Panel did not ask', async () => {
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: { ...sampleDecision, commissionLocalReview: false } },
    });

    const refused = commissionLocalReview(fixture.service, { caseId: record.caseId, member: team });

    await expect(refused).rejects.toThrow(LocalReviewRefusedError);
    await expect(refused).rejects.toThrow(/decided to commission one, or whose Panel reply asked for one/);
    expect(fixture.mailer.sent).toEqual([]);
    expect(fixture.localReviewWorkflow.started).toEqual([]);
  });

  it('commissions from the partners’ decision: carries the case, is due six months on, emails the Panel once and starts the workflow', async () => {
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: sampleDecision },
    });

    const { review, outcome } = await commissionLocalReview(fixture.service, {
      caseId: record.caseId,
      member: team,
    });

    expect(outcome).toBe('commissioned');
    expect(review).toMatchObject({
      reference: record.reference.replace(/^RR-/, 'LCSPR-'),
      route: 'rapid-review-decision',
      decidedOn: '2026-03-23',
      completionDueOn: '2026-09-23',
      fromCase: { caseId: record.caseId, reference: record.reference, panelReference: record.panelReference },
    });
    expect(review.agencies.map((agency) => agency.agencyId).sort()).toEqual([...record.agencyIds].sort());
    expect(review.documents[0]).toEqual({ title: 'Notification', key: record.notificationDocumentKey });
    expect(fixture.mailer.to(testProfile.panelMailbox)).toHaveLength(1);
    expect(fixture.localReviewWorkflow.started).toEqual([review.reviewId]);
    expect(fixture.localReviews.audit.get(record.caseId)?.[0]?.action).toBe('local-review.commissioned');
    expect(fixture.localReviews.audit.get(review.reviewId)?.[0]?.actor).toMatchObject({
      kind: 'staff',
      id: team.id,
    });
  });

  it('commissions when the Panel’s reply asked for one, from the day of the reply', async () => {
    const record = await openSampleCase(fixture.cases, {
      changes: {
        status: 'completed',
        decision: { ...sampleDecision, commissionLocalReview: false },
        panelReply: {
          repliedOn: '2026-04-10',
          agreesWithDecision: false,
          nationalReview: false,
          asksForLocalReview: true,
          comments: 'Invented comments.',
          recordedAt: '2026-04-11T09:00:00Z',
          recordedBy: 'user-team-test',
        },
      },
    });

    const { review } = await commissionLocalReview(fixture.service, { caseId: record.caseId, member: team });

    expect(review).toMatchObject({
      route: 'panel-request',
      decidedOn: '2026-04-10',
      completionDueOn: '2026-10-10',
    });
  });

  it('asked again, finishes the first one’s follow-ups instead of starting a second review', async () => {
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: sampleDecision },
    });
    const first = await commissionLocalReview(fixture.service, { caseId: record.caseId, member: team });

    const second = await commissionLocalReview(fixture.service, { caseId: record.caseId, member: team });

    expect(second.outcome).toBe('already-commissioned');
    expect(second.review.reviewId).toBe(first.review.reviewId);
    expect(fixture.localReviews.reviews.size).toBe(1);
    expect(fixture.mailer.sent).toHaveLength(1);
  });

  it('started by two people at the same moment, gives both the one review and emails the Panel once', async () => {
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: sampleDecision },
    });

    const both = await Promise.all([
      commissionLocalReview(fixture.service, { caseId: record.caseId, member: team }),
      commissionLocalReview(fixture.service, { caseId: record.caseId, member: team }),
    ]);

    expect(both.map((each) => each.outcome).sort()).toEqual(['already-commissioned', 'commissioned']);
    expect(both[0].review.reviewId).toBe(both[1].review.reviewId);
    expect(fixture.localReviews.reviews.size).toBe(1);
    expect(fixture.mailer.to(testProfile.panelMailbox)).toHaveLength(1);
  });

  it('keeps one review per case in the store', async () => {
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: sampleDecision },
    });
    const { review } = await commissionLocalReview(fixture.service, { caseId: record.caseId, member: team });
    const audit = {
      actor: { kind: 'system' as const, id: 'test' },
      at: '2026-03-25T10:00:00Z',
      action: 'x',
      reason: 'x',
    };

    await expect(
      fixture.localReviews.commissionLocalReview({ ...review, reviewId: crypto.randomUUID() }, audit, audit),
    ).rejects.toThrow(DuplicateWriteError);
  });
});

describe('recording on a local review', () => {
  let fixture: ReturnType<typeof localReviewService>;
  let review: LocalReview;
  beforeEach(async () => {
    fixture = localReviewService();
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: sampleDecision },
    });
    review = (await commissionLocalReview(fixture.service, { caseId: record.caseId, member: team })).review;
  });

  it('records the terms of reference, refusing an agency the review does not have by its field', async () => {
    const agencyIds = review.agencies.map((agency) => agency.agencyId);
    const refused = await recordTermsOfReference(fixture.service, {
      reviewId: review.reviewId,
      answers: termsAnswers([...agencyIds, 'not-on-the-review']),
      member: team,
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).fields.map((field) => field.field)).toEqual([
      `agencyIds.${agencyIds.length}`,
    ]);

    const updated = await recordTermsOfReference(fixture.service, {
      reviewId: review.reviewId,
      answers: termsAnswers(agencyIds),
      member: team,
    });
    expect(updated.termsOfReference).toMatchObject({
      method: 'A systems approach (invented)',
      recordedBy: team.id,
    });
  });

  it('names every missing field of the terms of reference', async () => {
    const refused = await recordTermsOfReference(fixture.service, {
      reviewId: review.reviewId,
      answers: { method: '', periodFrom: '2026-02-01', periodTo: '2026-01-01', agencyIds: [] },
      member: team,
    }).catch((error: unknown) => error);

    expect((refused as InvalidInputError).fields.map((field) => field.field).sort()).toEqual(
      ['agencyIds', 'familyInvolvementPlan', 'keyLinesOfEnquiry', 'method'].sort(),
    );
  });

  it('appoints the reviewer with evidence against the six points and tells the Panel, once per reviewer', async () => {
    await appointReviewer(fixture.service, {
      reviewId: review.reviewId,
      answers: reviewerAnswers,
      member: team,
    });
    await appointReviewer(fixture.service, {
      reviewId: review.reviewId,
      answers: reviewerAnswers,
      member: team,
    });

    const toPanel = fixture.mailer.to(testProfile.panelMailbox);
    expect(toPanel).toHaveLength(2);
    expect(toPanel[1]?.subject).toMatch(/reviewer appointed/);
    expect(toPanel[1]?.text).toContain('Reviewer A (invented)');
  });

  it('refuses a reviewer without evidence against a point, naming it', async () => {
    const refused = await appointReviewer(fixture.service, {
      reviewId: review.reviewId,
      answers: { ...reviewerAnswers, evidence: { ...reviewerAnswers.evidence, withoutHindsight: '' } },
      member: team,
    }).catch((error: unknown) => error);

    expect((refused as InvalidInputError).fields.map((field) => field.field)).toEqual([
      'evidence.withoutHindsight',
    ]);
  });

  it('holds publication back while a criminal trial is open, and lets it go once the trial has ended', async () => {
    await recordParallelProcess(fixture.service, {
      reviewId: review.reviewId,
      answers: { kind: 'criminal-trial', startedOn: '2026-03-01', holdsPublication: true },
      member: team,
    });
    fixture.clock.set('2026-09-01T10:00:00Z');
    fixture.localReviews.tokens.set(`${review.reviewId}:completion`, {
      taskToken: 'completion-token',
      attempt: 3,
    });
    await planLocalReviewPublication(fixture.service, {
      reviewId: review.reviewId,
      answers: { plannedOn: '2026-10-01', inFull: true },
      member: team,
    });
    expect(fixture.localReviewWorkflow.completed.map((call) => call.taskToken)).toEqual(['completion-token']);

    const held = await planPublication(fixture.service, { reviewId: review.reviewId, ...execution });
    expect(held.held).toBe(true);
    await expect(
      recordLocalReviewPublication(fixture.service, {
        reviewId: review.reviewId,
        answers: { publishedOn: '2026-09-01', address: 'https://example.org/reviews/invented' },
        member: team,
      }),
    ).rejects.toThrow(PublicationHeldError);
    expect(await sendPrePublicationNotice(fixture.service, { reviewId: review.reviewId })).toEqual({
      outcome: 'held',
    });

    await recordParallelProcessEnded(fixture.service, {
      reviewId: review.reviewId,
      number: 1,
      endedOn: '2026-08-28',
      member: team,
    });
    const free = await planPublication(fixture.service, { reviewId: review.reviewId, ...execution });
    expect(free).toMatchObject({ held: false, nextAt: '2026-09-22T08:00:00.000Z', continueAsNew: false });
    expect(
      (await fixture.localReviews.getLocalReview(review.reviewId))?.publicationHeldSince,
    ).toBeUndefined();
  });

  it('sends the notice before publication to the Panel and the Secretary of State, once for each planned date', async () => {
    fixture.clock.set('2026-09-01T10:00:00Z');
    await planLocalReviewPublication(fixture.service, {
      reviewId: review.reviewId,
      answers: { plannedOn: '2026-10-01', inFull: false, reasonsNotInFull: 'Invented reasons.' },
      member: team,
    });
    fixture.clock.set('2026-09-22T08:00:00Z');

    await sendPrePublicationNotice(fixture.service, { reviewId: review.reviewId });
    await sendPrePublicationNotice(fixture.service, { reviewId: review.reviewId });

    const notices = fixture.mailer.to(SECRETARY_OF_STATE);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.to).toEqual([testProfile.panelMailbox, SECRETARY_OF_STATE]);
    expect(notices[0]?.text).toContain('improvements information');
    expect(notices[0]?.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('records the publication only once planned, not in the future, then ends the workflow’s wait', async () => {
    await expect(
      recordLocalReviewPublication(fixture.service, {
        reviewId: review.reviewId,
        answers: { publishedOn: '2026-03-25', address: 'https://example.org/reviews/invented' },
        member: team,
      }),
    ).rejects.toThrow(LocalReviewRefusedError);
    await planLocalReviewPublication(fixture.service, {
      reviewId: review.reviewId,
      answers: { plannedOn: '2026-03-26', inFull: true },
      member: team,
    });
    fixture.localReviews.tokens.set(`${review.reviewId}:publication`, {
      taskToken: 'publication-token',
      attempt: 1,
    });
    fixture.clock.set('2026-03-26T12:00:00Z');

    const future = await recordLocalReviewPublication(fixture.service, {
      reviewId: review.reviewId,
      answers: { publishedOn: '2026-03-27', address: 'https://example.org/reviews/invented' },
      member: team,
    }).catch((error: unknown) => error);
    expect((future as InvalidInputError).fields.map((field) => field.field)).toEqual(['publishedOn']);

    const published = await recordLocalReviewPublication(fixture.service, {
      reviewId: review.reviewId,
      answers: { publishedOn: '2026-03-26', address: 'https://example.org/reviews/invented' },
      member: team,
    });
    expect(published.status).toBe('published');
    expect(fixture.localReviewWorkflow.completed.map((call) => call.taskToken)).toContain(
      'publication-token',
    );
  });

  it('keeps the publication when the workflow cannot be reached, says so, and hands the wait back when asked again', async () => {
    await planLocalReviewPublication(fixture.service, {
      reviewId: review.reviewId,
      answers: { plannedOn: '2026-03-25', inFull: true },
      member: team,
    });
    fixture.localReviews.tokens.set(`${review.reviewId}:publication`, {
      taskToken: 'publication-token',
      attempt: 1,
    });
    const completeTask = fixture.localReviewWorkflow.completeTask.bind(fixture.localReviewWorkflow);
    fixture.localReviewWorkflow.completeTask = async () => {
      throw Object.assign(new Error('Step Functions is down (invented)'), { name: 'ServiceUnavailable' });
    };
    const answers = { publishedOn: '2026-03-25', address: 'https://example.org/reviews/invented' };

    await expect(
      recordLocalReviewPublication(fixture.service, { reviewId: review.reviewId, answers, member: team }),
    ).rejects.toThrow(UnavailableError);
    expect((await fixture.localReviews.getLocalReview(review.reviewId))?.status).toBe('published');

    fixture.localReviewWorkflow.completeTask = completeTask;
    await expect(
      recordLocalReviewPublication(fixture.service, { reviewId: review.reviewId, answers, member: team }),
    ).rejects.toThrow(/already recorded as published/);
    expect(fixture.localReviewWorkflow.completed.map((call) => call.taskToken)).toContain(
      'publication-token',
    );
  });

  it('refuses a stale change rather than overwrite another', async () => {
    await recordTermsOfReference(fixture.service, {
      reviewId: review.reviewId,
      answers: termsAnswers([review.agencies[0]?.agencyId as string]),
      member: team,
    });
    await expect(
      fixture.localReviews.updateLocalReview(
        review,
        { status: 'failed' },
        {
          actor: { kind: 'system', id: 'test' },
          at: '2026-03-25T10:00:00Z',
          action: 'x',
          reason: 'x',
        },
      ),
    ).rejects.toThrow(StaleWriteError);
  });
});

describe('a local review that runs late', () => {
  it('reminds before the target, marks it late and tells the Panel once, then takes the reason', async () => {
    const fixture = localReviewService();
    const record = await openSampleCase(fixture.cases, {
      changes: { status: 'decided', decision: sampleDecision },
    });
    const { review } = await commissionLocalReview(fixture.service, { caseId: record.caseId, member: team });
    const mailer: RecordingMailer = fixture.mailer;
    await expect(
      recordLocalReviewLateReason(fixture.service, {
        reviewId: review.reviewId,
        answers: { reason: 'Invented.', expectedOn: '2026-11-01' },
        member: team,
      }),
    ).rejects.toThrow(/is not late/);

    const first = await scheduleLocalReviewWait(fixture.service, {
      reviewId: review.reviewId,
      milestone: 'completion',
      previousAttempt: 0,
      ...execution,
    });
    // Three months before 23 September 2026, at the start of the working day.
    expect(first.dueAt).toBe('2026-06-23T08:00:00.000Z');
    fixture.clock.set(first.dueAt);
    expect(
      await chaseLocalReview(fixture.service, {
        reviewId: review.reviewId,
        milestone: 'completion',
        attempt: 1,
      }),
    ).toEqual({
      outcome: 'reminded',
    });

    fixture.clock.set('2026-09-23T16:00:00Z');
    await chaseLocalReview(fixture.service, {
      reviewId: review.reviewId,
      milestone: 'completion',
      attempt: 3,
    });
    await chaseLocalReview(fixture.service, {
      reviewId: review.reviewId,
      milestone: 'completion',
      attempt: 3,
    });
    fixture.clock.set('2026-09-30T16:00:00Z');
    expect(
      await chaseLocalReview(fixture.service, {
        reviewId: review.reviewId,
        milestone: 'completion',
        attempt: 4,
      }),
    ).toEqual({
      outcome: 'late',
    });

    const lateNotices = mailer.to(testProfile.panelMailbox).filter((email) => /late/.test(email.subject));
    expect(lateNotices).toHaveLength(1);
    const late = await recordLocalReviewLateReason(fixture.service, {
      reviewId: review.reviewId,
      answers: { reason: 'An agency’s records came late (invented).', expectedOn: '2026-11-01' },
      member: team,
    });
    expect(late.late).toMatchObject({
      dueDate: '2026-09-23',
      reason: 'An agency’s records came late (invented).',
    });
  });
});

describe('an execution’s year', () => {
  it('brings a wait past the execution’s span forward to its end, to continue in the next execution', () => {
    const natural = new Date('2027-06-01T08:00:00.000Z');

    expect(
      withinExecutionSpan({ reviewId: 'r', ...execution }, new Date('2026-04-01T10:00:00Z'), natural),
    ).toEqual({
      at: new Date(Date.parse(execution.startedAt) + EXECUTION_SPAN_DAYS * 86_400_000),
      continueAsNew: true,
      nextExecutionName: 'r-g1',
      nextGeneration: 1,
    });
    expect(
      withinExecutionSpan(
        { reviewId: 'r', ...execution, phase: 'minimum-period', generation: 2 },
        new Date('2026-04-01T10:00:00Z'),
        new Date('2026-05-01T08:00:00.000Z'),
      ),
    ).toMatchObject({ continueAsNew: false, nextExecutionName: 'r-minimum-period-g3' });
  });
});

describe('the dates a local review runs to', () => {
  it('counts calendar months, keeping to the end of a shorter month', () => {
    expect(addCalendarMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addCalendarMonths('2026-03-23', -3)).toBe('2025-12-23');
  });

  it('puts the notice seven working days before publication, over a bank holiday', () => {
    const rules = partnershipProfile.parse({ ...testProfile, localReviews: {} }).localReviews!;
    // New Year's Day, Boxing Day's substitute (Monday 28 December 2026) and the weekends do not count.
    expect(prePublicationNoticeOn('2027-01-08', rules)).toBe('2026-12-29');
  });

  it('shows the completion at risk within a month of its target and late after it', () => {
    const rules = partnershipProfile.parse({ ...testProfile, localReviews: {} }).localReviews!;
    const calendar = {
      rules,
      hours: { timeZone: 'Europe/London', workingDayStart: '09:00', workingDayEnd: '17:00' },
    };
    const review = {
      completionDueOn: '2026-09-23',
      parallelProcesses: [],
      remindersSent: [],
    } as unknown as LocalReview;

    expect(localReviewMilestones(review, new Date('2026-06-01T10:00:00Z'), calendar)[0]?.state).toBe(
      'on-track',
    );
    expect(localReviewMilestones(review, new Date('2026-09-01T10:00:00Z'), calendar)[0]?.state).toBe(
      'at-risk',
    );
    expect(localReviewMilestones(review, new Date('2026-09-24T10:00:00Z'), calendar)[0]?.state).toBe('late');
  });
});
