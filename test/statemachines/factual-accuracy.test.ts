import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { factualAccuracyChaseInput } from '../../shared/adapters/local-review-workflow.ts';
import { partnershipProfile } from '../../shared/config/partnership-profile.ts';
import type { StaffMember } from '../../shared/schemas/roles.ts';
import type { CaseStore } from '../../shared/stores/case-store.ts';
import {
  chaseFactualAccuracyRound,
  commentOnDraft,
  startFactualAccuracyRound,
  uploadDraft,
} from '../../shared/use-cases/local-review-drafts.ts';
import { InMemoryLocalReviewDraftsStore } from '../support/in-memory-local-review-drafts-store.ts';
import { InMemoryLocalReviewStore } from '../support/in-memory-local-review-store.ts';
import { aLocalReview } from '../support/local-review-store-contract.ts';
import { InMemoryDocumentStore, RecordingMailer, testProfile } from '../unit/workflow/workflow-fakes.ts';
import { LocalReviewWorkflow } from './support/local-review-harness.ts';

const team: StaffMember = {
  id: 'user-team-test',
  roles: ['partnership-team'],
  name: 'Team Member (invented)',
};
const PDF = new TextEncoder().encode('%PDF-1.7\n% an invented draft\n');

/** Each agency's contact, as the Rapid Review the review came from asked them. */
const contacts = {
  police: { name: 'Police Contact (invented)', email: 'police.contact@example.org' },
  health: { name: 'Health Contact (invented)', email: 'health.contact@example.org' },
};

/**
 * A factual-accuracy round (issue 13 part 4) on the real local-review ASL and the local engine,
 * in virtual time: the round is started by the real use case, which starts the round's own
 * execution; its task is the real reminding step over in-memory stores on the same virtual
 * clock, so the waits are the reminders the profile sets (by default the working day before the
 * due day and the due day, at the start of each).
 */
describe('a factual-accuracy round on the local engine', () => {
  let workflow: LocalReviewWorkflow;
  let localReviewDrafts: InMemoryLocalReviewDraftsStore;
  let localReviews: InMemoryLocalReviewStore;
  let mailer: RecordingMailer;
  let service: Parameters<typeof startFactualAccuracyRound>[0] &
    Parameters<typeof chaseFactualAccuracyRound>[0] &
    Parameters<typeof uploadDraft>[0];
  let reviewId: string;

  beforeEach(async () => {
    workflow = await LocalReviewWorkflow.start();
    localReviews = new InMemoryLocalReviewStore();
    localReviewDrafts = new InMemoryLocalReviewDraftsStore(localReviews.audit);
    mailer = new RecordingMailer();
    // Starting a round's reminders is an execution of the machine, named by the round.
    const chases = workflow.chasesStartedBy(factualAccuracyChaseInput);
    service = {
      clock: workflow.clock,
      profile: partnershipProfile.parse(testProfile),
      publicBaseUrl: 'https://reviews.example.org',
      localReviews,
      localReviewDrafts,
      mailer,
      documents: new InMemoryDocumentStore('case-documents-test', () => workflow.clock.now()),
      cases: {
        getCaseWithAgencies: async () => ({
          agencies: Object.entries(contacts).map(([agencyId, spoc]) => ({ agencyId, spoc })),
        }),
      } as unknown as CaseStore,
      factualAccuracyChases: chases,
    };
    const review = {
      ...aLocalReview(),
      agencies: [
        { agencyId: 'police', agencyName: 'Police (invented)' },
        { agencyId: 'health', agencyName: 'Health (invented)' },
      ],
    };
    const audit = {
      actor: { kind: 'system' as const, id: 'test' },
      at: review.createdAt,
      action: 'local-review.commissioned',
      reason: 'Invented',
    };
    await localReviews.commissionLocalReview(review, audit, audit);
    reviewId = review.reviewId;
    await uploadDraft(service, {
      reviewId,
      upload: { fileName: 'draft.pdf', content: PDF },
      member: team,
    });
    workflow.functions.answer('chase-factual-accuracy', (payload) =>
      chaseFactualAccuracyRound(service, payload as { reviewId: string; roundNumber: number }),
    );
  });
  afterEach(async () => {
    await workflow.stop();
  });

  /** Sends draft version 1 on Monday 2 March 2026, comments due Friday 13 March, and lets the execution settle. */
  async function roundStarted() {
    await startFactualAccuracyRound(service, {
      reviewId,
      draftVersion: 1,
      dueOn: '2026-03-13',
      member: team,
    });
    await workflow.service.whenSettled();
    return workflow.executionArnOf(`${reviewId}-round-1`);
  }

  const reminders = () =>
    mailer.sent
      .filter((email) => email.key.includes(':FactualAccuracyReminder:'))
      .map((email) => ({ to: email.message.to[0], on: email.key.split(':').at(-1) }));

  const tokenIn = (email: { message: { text: string } } | undefined) =>
    /\/factual-accuracy\/([A-Za-z0-9_-]{43})/.exec(email?.message.text ?? '')![1]!;

  const firstLinkOf = (address: string) =>
    tokenIn(
      mailer.sent.find((email) => email.key.includes(':FactualAccuracy:') && email.message.to[0] === address),
    );

  it('reminds each agency that has not commented the working day before and on the morning of the due day, then ends', async () => {
    const executionArn = await roundStarted();

    const dayBefore = await workflow.advanceToNext();
    const dueDay = await workflow.advanceToNext();

    expect(dayBefore.toISOString()).toBe('2026-03-12T09:00:00.000Z');
    expect(dueDay.toISOString()).toBe('2026-03-13T09:00:00.000Z');
    expect(reminders()).toEqual([
      { to: contacts.police.email, on: '1' },
      { to: contacts.health.email, on: '1' },
      { to: contacts.police.email, on: '0' },
      { to: contacts.health.email, on: '0' },
    ]);
    expect(await workflow.status(executionArn)).toBe('SUCCEEDED');
    expect(
      (await workflow.statesEntered(executionArn)).filter((state) => state === 'WaitForNextReminder'),
    ).toHaveLength(2);
    expect(workflow.functions.names()).not.toContain('record-local-review-failure');
    const [round] = (await localReviewDrafts.getDrafts(reviewId)).rounds;
    expect(round!.agencies.map((agency) => agency.reminders)).toEqual([
      [
        { workingDaysBefore: 1, sentAt: '2026-03-12T09:00:00.000Z' },
        { workingDaysBefore: 0, sentAt: '2026-03-13T09:00:00.000Z' },
      ],
      [
        { workingDaysBefore: 1, sentAt: '2026-03-12T09:00:00.000Z' },
        { workingDaysBefore: 0, sentAt: '2026-03-13T09:00:00.000Z' },
      ],
    ]);
    expect(
      (localReviews.audit.get(reviewId) ?? []).filter(
        (event) => event.action === 'local-review.factual-accuracy-reminded',
      ),
    ).toHaveLength(2);
  });

  it('reminds only the agency still to comment, with a link that works beside the first, and stops once all have commented', async () => {
    const executionArn = await roundStarted();
    await commentOnDraft(service, {
      token: firstLinkOf(contacts.police.email),
      comments: 'Page 2: the date of the visit is wrong (invented).',
    });

    await workflow.advanceToNext();
    expect(reminders()).toEqual([{ to: contacts.health.email, on: '1' }]);
    const reminder = mailer.sent.find((email) => email.key.includes(':FactualAccuracyReminder:'));
    expect(reminder!.message.subject).toContain('reminder to check the draft report');
    const view = await commentOnDraft(service, {
      token: tokenIn(reminder),
      comments: 'No comments: the draft is accurate for our agency (invented).',
    });
    expect(view.agency.agencyId).toBe('health');
    // The first link still works too.
    await expect(
      commentOnDraft(service, {
        token: firstLinkOf(contacts.health.email),
        comments: 'No comments (invented).',
      }),
    ).resolves.toMatchObject({ agency: { agencyId: 'health' } });

    await workflow.advanceToNext();

    expect(reminders()).toHaveLength(1);
    expect(await workflow.status(executionArn)).toBe('SUCCEEDED');
    expect((await workflow.statesEntered(executionArn)).at(-1)).toBe('FactualAccuracySettled');
    // Nothing of this round waits on the clock any longer.
    expect(workflow.clock.advanceToNext()).toBeFalsy();
  });
});
