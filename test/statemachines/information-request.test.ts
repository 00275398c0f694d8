import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { informationRequestChaseInput } from '../../shared/adapters/local-review-workflow.ts';
import type { ReviewWorkflow } from '../../shared/adapters/review-workflow.ts';
import { partnershipProfile } from '../../shared/config/partnership-profile.ts';
import type { StaffMember } from '../../shared/schemas/roles.ts';
import {
  chaseInformationRequest,
  InformationLinkNotFoundError,
  refuseInformationRequest,
  sendInformationRequest,
} from '../../shared/use-cases/local-review-enquiry.ts';
import { recordLocalReviewFailure } from '../../shared/use-cases/local-review-tasks.ts';
import { InMemoryCaseStore } from '../support/in-memory-case-store.ts';
import { InMemoryLocalReviewDraftsStore } from '../support/in-memory-local-review-drafts-store.ts';
import { InMemoryLocalReviewEnquiryStore } from '../support/in-memory-local-review-enquiry-store.ts';
import { InMemoryLocalReviewStore } from '../support/in-memory-local-review-store.ts';
import { aLocalReview } from '../support/local-review-store-contract.ts';
import { RecordingMailer, testProfile } from '../unit/workflow/workflow-fakes.ts';
import { LocalReviewWorkflow } from './support/local-review-harness.ts';

const team: StaffMember = {
  id: 'user-team-test',
  roles: ['partnership-team'],
  name: 'Team Member (invented)',
};

/**
 * A local review's request for information (issue 13 part 3) on the real local-review ASL and the
 * local engine, in virtual time: the request is sent by the real use case, which starts the
 * request's own execution; the execution's task is the real chasing step over in-memory stores
 * on the same virtual clock, so the waits are the ladder's as the profile sets it.
 */
describe('a request for information on the local engine', () => {
  let workflow: LocalReviewWorkflow;
  let localReviews: InMemoryLocalReviewStore;
  let localReviewEnquiries: InMemoryLocalReviewEnquiryStore;
  let mailer: RecordingMailer;
  let service: Parameters<typeof sendInformationRequest>[0] & Parameters<typeof chaseInformationRequest>[0];
  let reviewId: string;

  beforeEach(async () => {
    workflow = await LocalReviewWorkflow.start();
    localReviews = new InMemoryLocalReviewStore();
    localReviewEnquiries = new InMemoryLocalReviewEnquiryStore(localReviews.audit);
    mailer = new RecordingMailer();
    // Starting a request's chasing is an execution of the machine, named by the request.
    const chases = workflow.chasesStartedBy(informationRequestChaseInput);
    service = {
      clock: workflow.clock,
      profile: partnershipProfile.parse(testProfile),
      publicBaseUrl: 'https://reviews.example.org',
      localReviews,
      localReviewEnquiries,
      mailer,
      cases: new InMemoryCaseStore(),
      informationRequestChases: chases,
    };
    const review = aLocalReview();
    await localReviews.commissionLocalReview(
      review,
      {
        actor: { kind: 'system', id: 'test' },
        at: review.createdAt,
        action: 'local-review.commissioned',
        reason: 'Invented',
      },
      {
        actor: { kind: 'system', id: 'test' },
        at: review.createdAt,
        action: 'local-review.commissioned',
        reason: 'Invented',
      },
    );
    reviewId = review.reviewId;
    workflow.functions.answer('chase-information-request', (payload) =>
      chaseInformationRequest(service, payload as { reviewId: string; requestNumber: number }),
    );
  });
  afterEach(async () => {
    await workflow.stop();
  });

  /** Sends the request (due Friday 27 March 2026, a Day 10 deadline) and lets the execution settle. */
  async function sent() {
    const { request } = await sendInformationRequest(service, {
      reviewId,
      member: team,
      answers: {
        agencyId: 'police',
        contactName: 'Agency Contact (invented)',
        contactEmail: 'agency.contact@example.org',
        asks: 'Your records of the family (invented).',
        dueOn: '2026-03-27',
      },
    });
    await workflow.service.whenSettled();
    const token = linkIn(mailer.sent.at(-1)!.message.text);
    return { request, token, executionArn: workflow.executionArnOf(`${reviewId}-request-${request.number}`) };
  }

  /** The token of the agency's link an email carries. */
  const linkIn = (text: string) =>
    /\/local-review-agency\/[0-9a-f-]{36}\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;

  const chaseKeys = () =>
    mailer.sent
      .filter((email) => email.key.includes(':ChaseInformationRequest:'))
      .map((email) => email.key.split(':').at(-1));

  it('a request chased on the ladder: reminded before its due date, then its strategic lead copied and a formal request at its end', async () => {
    const { executionArn } = await sent();

    const reminderAt = await workflow.advanceToNext();
    const deadlineAt = await workflow.advanceToNext();

    expect(reminderAt.toISOString()).toBe('2026-03-24T09:00:00.000Z');
    expect(deadlineAt.toISOString()).toBe('2026-03-27T17:00:00.000Z');
    expect(chaseKeys()).toEqual(['reminder', 'lead-copied', 'formal-request']);
    const chasing = mailer.sent.filter((email) => email.key.includes(':ChaseInformationRequest:'));
    expect(chasing.map((email) => email.message.text.includes('/local-review-agency/'))).toEqual([
      true,
      true,
      false,
    ]);
    expect(await workflow.status(executionArn)).toBe('SUCCEEDED');
    expect(
      (await workflow.statesEntered(executionArn)).filter((state) => state === 'WaitForNextRung'),
    ).toHaveLength(2);
    expect(workflow.functions.names()).not.toContain('record-local-review-failure');
    const chased = (await localReviewEnquiries.getEnquiry(reviewId)).informationRequests[0]!.chases.map(
      (chase) => chase.kind,
    );
    expect(chased).toEqual(['reminder', 'lead-copied', 'formal-request']);
  });

  it('an information request refused and escalated: the partners are told at once, and the chasing stops at its next rung', async () => {
    const { token, executionArn } = await sent();
    await workflow.advanceToNext();
    // The reminder carries the agency's new link; the one the request carried stopped working.
    const reminded = linkIn(mailer.sent.at(-1)!.message.text);
    await expect(
      refuseInformationRequest(service, { reviewId, token, answers: { reason: 'Invented' } }),
    ).rejects.toThrow(InformationLinkNotFoundError);

    await refuseInformationRequest(service, {
      reviewId,
      token: reminded,
      answers: { reason: 'The records are held by another body (invented).' },
    });
    const nextWake = await workflow.advanceToNext();

    expect(nextWake.toISOString()).toBe('2026-03-27T17:00:00.000Z');
    expect(chaseKeys()).toEqual(['reminder']);
    const escalation = mailer.sent.filter((email) => email.key.includes(':InformationRefused:'));
    expect(escalation).toHaveLength(1);
    expect(escalation[0]!.message.subject).toContain('refused a request for information');
    expect(await workflow.status(executionArn)).toBe('SUCCEEDED');
    expect((await workflow.statesEntered(executionArn)).at(-1)).toBe('InformationRequestSettled');
    // Nothing of this request waits on the clock any longer.
    expect(workflow.clock.advanceToNext()).toBeFalsy();
  });

  it('a chasing step that fails stops only that request’s chasing: the review goes on, its timeline says so and the team is asked to chase by hand', async () => {
    let chases = 0;
    workflow.functions.answer('chase-information-request', (payload) => {
      chases += 1;
      if (chases > 1) throw new Error('Invented fault in the chasing step');
      return chaseInformationRequest(service, payload as { reviewId: string; requestNumber: number });
    });
    workflow.functions.answer('record-local-review-failure', (payload) =>
      recordLocalReviewFailure(
        {
          ...service,
          localReviewDrafts: new InMemoryLocalReviewDraftsStore(),
          localReviewWorkflow: {
            failedStep: async () => 'ChaseInformationRequest',
          } as unknown as ReviewWorkflow,
        },
        payload as Parameters<typeof recordLocalReviewFailure>[1],
      ),
    );
    const { executionArn } = await sent();

    await workflow.advanceToNext();

    expect(await workflow.status(executionArn)).toBe('FAILED');
    expect((await workflow.statesEntered(executionArn)).slice(-2)).toEqual([
      'RecordRequestChaseFailure',
      'ChaseFailed',
    ]);
    // The review itself is not stopped: its enquiry and its own workflow go on.
    expect((await localReviews.getLocalReview(reviewId))!.status).toBe('commissioned');
    const stopped = mailer.sent.filter((email) => email.key.includes(':RecordChaseFailure:'));
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.message.subject).toContain('reminders stopped');
    expect(stopped[0]!.message.text).toContain('the request for information to');
    expect(stopped[0]!.message.text).toContain('Friday 27 March 2026');
    expect(mailer.sent.some((email) => email.key.endsWith(':RecordFailure'))).toBe(false);
    const timeline = (await localReviews.getLocalReviewAudit(reviewId)).map((event) => event.action);
    expect(timeline).toContain('workflow.chasing-stopped');
    expect(timeline).not.toContain('workflow.failed');
  });
});
