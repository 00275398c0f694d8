import { beforeEach, describe, expect, it } from 'vitest';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { partnershipProfile } from '../../../shared/config/partnership-profile.ts';
import { InvalidInputError, NotFoundError } from '../../../shared/errors.ts';
import type { LocalReview } from '../../../shared/schemas/local-review.ts';
import type { StaffMember } from '../../../shared/schemas/roles.ts';
import {
  appointReviewer,
  commissionLocalReview,
  LocalReviewRefusedError,
} from '../../../shared/use-cases/local-review.ts';
import {
  addChronologyEntry,
  chaseInformationRequest,
  completeInformationRequest,
  declarationRows,
  InformationLinkExpiredError,
  InformationLinkNotFoundError,
  informationRequestLadder,
  listReviewersReviews,
  loadReviewToWorkOn,
  mergedChronology,
  openInformationLink,
  recordAgencyDeclaration,
  recordStaffDeclaration,
  refuseInformationRequest,
  sendInformationRequest,
  sendNewInformationLink,
} from '../../../shared/use-cases/local-review-enquiry.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { fakeService, openSampleCase, sampleDecision, testProfile } from '../workflow/workflow-fakes.ts';

const team: StaffMember = {
  id: 'user-team-test',
  roles: ['partnership-team'],
  name: 'Team Member (invented)',
};
const reviewer: StaffMember = {
  id: 'user-reviewer-test',
  roles: ['reviewer'],
  name: 'Reviewer A (invented)',
  email: 'Reviewer@example.org',
};
const otherReviewer: StaffMember = { ...reviewer, id: 'user-other', email: 'someone.else@example.org' };

const idleWorkflow: ReviewWorkflow = {
  start: async () => 'started',
  resume: async () => 'started',
  completeTask: async () => {},
  failTask: async () => {},
  progress: async () => ({ status: 'RUNNING' }),
  failedStep: async () => undefined,
};

/** The chasing port, recording each request whose chasing was started. */
class RecordingChases implements ReviewWorkflow {
  readonly started: string[] = [];
  async start(id: string) {
    if (this.started.includes(id)) return 'already-started' as const;
    this.started.push(id);
    return 'started' as const;
  }
  resume = idleWorkflow.resume;
  completeTask = idleWorkflow.completeTask;
  failTask = idleWorkflow.failTask;
  progress = idleWorkflow.progress;
  failedStep = idleWorkflow.failedStep;
}

const reviewerAnswers = {
  name: 'Reviewer A (invented)',
  organisation: 'Independent Reviews Ltd (invented)',
  email: 'reviewer@example.org',
  evidence: {
    professionalKnowledge: 'Invented.',
    research: 'Invented.',
    complexCircumstances: 'Invented.',
    withoutHindsight: 'Invented.',
    communication: 'Invented.',
    conflicts: 'None',
  },
  contractStartsOn: '2026-04-01',
  contractEndsOn: '2026-09-30',
  feePence: 100,
};

/** A commissioned review with its reviewer appointed, on 25 March 2026. */
async function fixtureWithReview() {
  const fakes = fakeService('2026-03-25T10:00:00Z');
  const chases = new RecordingChases();
  const localReviews = new InMemoryLocalReviewStore();
  const service = {
    clock: fakes.clock,
    cases: fakes.cases,
    mailer: fakes.mailer,
    documents: fakes.documents,
    publicBaseUrl: fakes.service.publicBaseUrl,
    profile: partnershipProfile.parse(testProfile),
    localReviews,
    localReviewWorkflow: idleWorkflow,
    informationRequestChases: chases,
  };
  const record = await openSampleCase(fakes.cases, {
    changes: { status: 'decided', decision: sampleDecision },
  });
  const { review } = await commissionLocalReview(service, { caseId: record.caseId, member: team });
  await appointReviewer(service, { reviewId: review.reviewId, answers: reviewerAnswers, member: team });
  fakes.mailer.sent.length = 0;
  return { ...fakes, service, chases, localReviews, reviewId: review.reviewId, agency: review.agencies[0]! };
}

type Fixture = Awaited<ReturnType<typeof fixtureWithReview>>;

const requestAnswers = (agencyId: string, dueOn = '2026-04-24') => ({
  agencyId,
  contactName: 'Agency Contact (invented)',
  contactEmail: 'agency.contact@example.org',
  asks: 'Your records of the family from January 2025 (invented).',
  dueOn,
});

/** The token in the link the email carries. */
function tokenIn(text: string): string {
  const match = /\/local-review-agency\/[0-9a-f-]{36}\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!match) throw new Error('No link in the email');
  return match[1]!;
}

async function sentRequest(fixture: Fixture, dueOn?: string) {
  const { request } = await sendInformationRequest(fixture.service, {
    reviewId: fixture.reviewId,
    member: team,
    answers: requestAnswers(fixture.agency.agencyId, dueOn),
  });
  const email = fixture.mailer.sent.at(-1)!;
  return { request, token: tokenIn(email.message.text), email };
}

const noConflict = { hasConflicts: false, confidentialityAgreed: true };

describe('who may work on a local review', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await fixtureWithReview();
  });

  it('lets the reviewer recorded on it (by their sign-in email, in any case) and the team open it, and no other reviewer', async () => {
    expect((await loadReviewToWorkOn(fixture.service, fixture.reviewId, reviewer)).reviewId).toBe(
      fixture.reviewId,
    );
    expect((await loadReviewToWorkOn(fixture.service, fixture.reviewId, team)).reviewId).toBe(
      fixture.reviewId,
    );
    await expect(loadReviewToWorkOn(fixture.service, fixture.reviewId, otherReviewer)).rejects.toThrow(
      NotFoundError,
    );
    await expect(
      loadReviewToWorkOn(fixture.service, fixture.reviewId, {
        id: 'x',
        roles: ['rrg-chair'],
        email: 'reviewer@example.org',
      }),
    ).rejects.toThrow(NotFoundError);
    expect((await listReviewersReviews(fixture.service, reviewer)).map((each) => each.reviewId)).toEqual([
      fixture.reviewId,
    ]);
    expect(await listReviewersReviews(fixture.service, otherReviewer)).toEqual([]);
  });
});

describe('declarations of conflicts and confidentiality', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await fixtureWithReview();
  });

  it('shows who has not declared, then records the reviewer’s and a team member’s, each audited', async () => {
    const before = declarationRows(
      (await fixture.localReviews.getLocalReview(fixture.reviewId)) as LocalReview,
    );

    await recordStaffDeclaration(fixture.service, {
      reviewId: fixture.reviewId,
      member: reviewer,
      answers: noConflict,
    });
    const after = await recordStaffDeclaration(fixture.service, {
      reviewId: fixture.reviewId,
      member: team,
      answers: {
        hasConflicts: true,
        conflictDetails: 'Managed the team in 2024 (invented).',
        confidentialityAgreed: true,
      },
    });

    expect(before).toEqual([{ who: 'Reviewer A (invented)', role: 'The reviewer' }]);
    expect(
      declarationRows(after).map((row) => [
        row.role,
        Boolean(row.declaration),
        row.declaration?.hasConflicts,
      ]),
    ).toEqual([
      ['The reviewer', true, false],
      ['Partnership team', true, true],
    ]);
    const actions = (fixture.localReviews.audit.get(fixture.reviewId) ?? []).map((event) => event.action);
    expect(actions.filter((action) => action === 'local-review.declaration-recorded')).toHaveLength(2);
  });

  it('refuses a declaration without the confidentiality agreement, or a conflict without its details, naming the field', async () => {
    const fieldsRefused = (answers: unknown) =>
      recordStaffDeclaration(fixture.service, { reviewId: fixture.reviewId, member: reviewer, answers }).then(
        () => [],
        (error: InvalidInputError) => error.fields.map((field) => field.field),
      );

    expect(await fieldsRefused({ hasConflicts: false })).toEqual(['confidentialityAgreed']);
    expect(await fieldsRefused({ hasConflicts: true, confidentialityAgreed: true })).toEqual([
      'conflictDetails',
    ]);
    expect(
      declarationRows((await fixture.localReviews.getLocalReview(fixture.reviewId)) as LocalReview)[0]
        ?.declaration,
    ).toBeUndefined();
  });
});

describe('information requests and the agency’s link', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await fixtureWithReview();
  });

  it('emails the agency’s contact the request with a link of its own, keeping only the link’s hash, audited', async () => {
    const { request, token, email } = await sentRequest(fixture);

    const stored = JSON.stringify(await fixture.localReviews.getLocalReview(fixture.reviewId));
    expect(stored).not.toContain(token);
    expect(request.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(email.message.to).toEqual(['agency.contact@example.org']);
    expect(email.message.text).toContain('Friday 24 April 2026');
    expect(email.message.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(
      (await openInformationLink(fixture.service, { reviewId: fixture.reviewId, token })).request.requestId,
    ).toBe(request.requestId);
    expect(fixture.localReviews.audit.get(fixture.reviewId)?.at(-1)?.action).toBe(
      'local-review.information-requested',
    );
    expect(fixture.chases.started).toEqual([`${fixture.reviewId}-request-1`]);
  });

  it('refuses a due date that is not in the future, and an agency not of the review', async () => {
    await expect(
      sendInformationRequest(fixture.service, {
        reviewId: fixture.reviewId,
        member: team,
        answers: requestAnswers(fixture.agency.agencyId, '2026-03-25'),
      }),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      sendInformationRequest(fixture.service, {
        reviewId: fixture.reviewId,
        member: team,
        answers: requestAnswers('not-an-agency-of-it'),
      }),
    ).rejects.toThrow(InvalidInputError);
    expect(fixture.mailer.sent).toEqual([]);
  });

  it('stops the old link when a new one replaces it, and refuses a link once it has expired', async () => {
    const { request, token } = await sentRequest(fixture);

    await sendNewInformationLink(fixture.service, {
      reviewId: fixture.reviewId,
      requestId: request.requestId,
      member: team,
    });
    const newToken = tokenIn(fixture.mailer.sent.at(-1)!.message.text);
    // Its chasing, already running, is not started twice.
    expect(fixture.chases.started).toEqual([`${fixture.reviewId}-request-1`]);

    await expect(openInformationLink(fixture.service, { reviewId: fixture.reviewId, token })).rejects.toThrow(
      InformationLinkNotFoundError,
    );
    expect(
      (await openInformationLink(fixture.service, { reviewId: fixture.reviewId, token: newToken })).request
        .linkNumber,
    ).toBe(2);
    expect(fixture.mailer.sent.at(-1)!.message.text).toContain('no longer works');
    fixture.clock.set('2026-06-30T09:00:00Z');
    await expect(
      openInformationLink(fixture.service, { reviewId: fixture.reviewId, token: newToken }),
    ).rejects.toThrow(InformationLinkExpiredError);
  });

  it('takes chronology entries only after the agency’s declaration, and merges every agency’s entries in date order, filterable', async () => {
    const { token } = await sentRequest(fixture);
    const entry = (occurredOn: string, whatHappened: string) => ({
      reviewId: fixture.reviewId,
      token,
      answers: { occurredOn, whatHappened, source: 'Case note (invented)' },
    });

    await expect(addChronologyEntry(fixture.service, entry('2025-02-01', 'Too soon'))).rejects.toThrow(
      LocalReviewRefusedError,
    );
    await recordAgencyDeclaration(fixture.service, {
      reviewId: fixture.reviewId,
      token,
      answers: { ...noConflict, name: 'Agency Contact (invented)' },
    });
    await addChronologyEntry(fixture.service, entry('2025-06-01', 'Home visit (invented)'));
    await addChronologyEntry(fixture.service, entry('2025-02-01', 'Referral received (invented)'));
    const review = (await fixture.localReviews.getLocalReview(fixture.reviewId)) as LocalReview;
    await expect(addChronologyEntry(fixture.service, entry('2027-01-01', 'Future'))).rejects.toThrow(
      InvalidInputError,
    );

    expect(mergedChronology(review).map((each) => each.whatHappened)).toEqual([
      'Referral received (invented)',
      'Home visit (invented)',
    ]);
    expect(mergedChronology(review, { from: '2025-03-01' }).map((each) => each.occurredOn)).toEqual([
      '2025-06-01',
    ]);
    expect(mergedChronology(review, { agencyId: 'another-agency' })).toEqual([]);
    expect(
      declarationRows(review).find((row) => row.role === 'Agency')?.declaration?.declarant,
    ).toMatchObject({
      kind: 'agency',
      name: 'Agency Contact (invented)',
    });
  });

  it('escalates a refusal to the safeguarding partners by email, once, audited, and stops the chasing', async () => {
    const { request, token } = await sentRequest(fixture);

    await refuseInformationRequest(fixture.service, {
      reviewId: fixture.reviewId,
      token,
      answers: { reason: 'The records are held by another body (invented).' },
    });
    await refuseInformationRequest(fixture.service, { reviewId: fixture.reviewId, token, answers: {} });

    const escalations = fixture.mailer.sent.filter((email) => email.key.includes(':InformationRefused:'));
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.message.to.sort()).toEqual(
      ['health-lead@example.org', 'la-lead@example.org', 'police-partner-lead@example.org'].sort(),
    );
    expect(escalations[0]!.message.text).toContain('held by another body');
    expect(fixture.localReviews.audit.get(fixture.reviewId)?.at(-1)?.action).toBe(
      'local-review.information-refused',
    );
    expect(
      await chaseInformationRequest(fixture.service, {
        reviewId: fixture.reviewId,
        requestNumber: request.number,
      }),
    ).toMatchObject({
      done: true,
    });
  });
});

describe('chasing an information request on the partnership’s escalation ladder', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await fixtureWithReview();
  });

  it('lays the ladder on the due date: the reminder three working days before, at the start of the day; the lead copied and the formal request at its end', () => {
    expect(informationRequestLadder(fixture.service.profile, '2026-04-24')).toEqual([
      { kind: 'reminder', at: '2026-04-21T08:00:00.000Z' },
      { kind: 'lead-copied', at: '2026-04-24T16:00:00.000Z' },
      { kind: 'formal-request', at: '2026-04-24T16:00:00.000Z' },
    ]);
  });

  it('climbs each rung once when due, says when the next falls, and stops once the agency has answered', async () => {
    const { request, token } = await sentRequest(fixture);
    const chase = () =>
      chaseInformationRequest(fixture.service, { reviewId: fixture.reviewId, requestNumber: request.number });

    const first = await chase();
    fixture.clock.set('2026-04-21T08:00:00Z');
    const second = await chase();
    const again = await chase();
    fixture.clock.set('2026-04-24T16:00:00Z');
    const third = await chase();

    expect(first).toEqual({ done: false, nextAt: '2026-04-21T08:00:00.000Z' });
    expect(second).toEqual({ done: false, nextAt: '2026-04-24T16:00:00.000Z' });
    expect(again).toEqual(second);
    expect(third).toMatchObject({ done: true });
    const chases = fixture.mailer.sent.filter((email) => email.key.includes(':ChaseInformationRequest:'));
    expect(chases.map((email) => email.key.split(':').at(-1))).toEqual([
      'reminder',
      'lead-copied',
      'formal-request',
    ]);
    expect(chases[2]!.message.text).toContain('section 16H');

    const later = await fixtureWithReview();
    const sent = await sentRequest(later);
    await recordAgencyDeclaration(later.service, {
      reviewId: later.reviewId,
      token: sent.token,
      answers: { ...noConflict, name: 'A (invented)' },
    });
    await completeInformationRequest(later.service, { reviewId: later.reviewId, token: sent.token });
    later.clock.set('2026-04-24T16:00:00Z');
    expect(
      await chaseInformationRequest(later.service, {
        reviewId: later.reviewId,
        requestNumber: sent.request.number,
      }),
    ).toMatchObject({ done: true });
    expect(later.mailer.sent.filter((email) => email.key.includes(':ChaseInformationRequest:'))).toEqual([]);
    expect(token).not.toBe(sent.token);
  });
});
