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
  enquiryOf,
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
import { InMemoryLocalReviewEnquiryStore } from '../../support/in-memory-local-review-enquiry-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { engineeringWordsIn } from '../../support/plain-words.ts';
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
  const localReviewEnquiries = new InMemoryLocalReviewEnquiryStore(localReviews.audit);
  const service = {
    clock: fakes.clock,
    cases: fakes.cases,
    mailer: fakes.mailer,
    documents: fakes.documents,
    publicBaseUrl: fakes.service.publicBaseUrl,
    profile: partnershipProfile.parse(testProfile),
    localReviews,
    localReviewEnquiries,
    localReviewWorkflow: idleWorkflow,
    informationRequestChases: chases,
  };
  const record = await openSampleCase(fakes.cases, {
    changes: { status: 'decided', decision: sampleDecision },
  });
  const { review } = await commissionLocalReview(service, { caseId: record.caseId, member: team });
  await appointReviewer(service, { reviewId: review.reviewId, answers: reviewerAnswers, member: team });
  fakes.mailer.sent.length = 0;
  return {
    ...fakes,
    service,
    chases,
    localReviews,
    localReviewEnquiries,
    reviewId: review.reviewId,
    agency: review.agencies[0]!,
  };
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
    const review = (await fixture.localReviews.getLocalReview(fixture.reviewId)) as LocalReview;
    const before = declarationRows(review, await enquiryOf(fixture.service, review));

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
      declarationRows(review, after).map((row) => [
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
    const review = (await fixture.localReviews.getLocalReview(fixture.reviewId)) as LocalReview;
    expect(declarationRows(review, await enquiryOf(fixture.service, review))[0]?.declaration).toBeUndefined();
  });
});

describe('information requests and the agency’s link', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await fixtureWithReview();
  });

  it('emails the agency’s contact the request with a link of its own, keeping only the link’s hash, audited', async () => {
    const { request, token, email } = await sentRequest(fixture);

    const stored = JSON.stringify(await fixture.localReviewEnquiries.getEnquiry(fixture.reviewId));
    expect(stored).toContain(request.tokenHash);
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
    const enquiry = await enquiryOf(fixture.service, review);
    await expect(addChronologyEntry(fixture.service, entry('2027-01-01', 'Future'))).rejects.toThrow(
      InvalidInputError,
    );

    expect(mergedChronology(enquiry).map((each) => each.whatHappened)).toEqual([
      'Referral received (invented)',
      'Home visit (invented)',
    ]);
    expect(mergedChronology(enquiry, { from: '2025-03-01' }).map((each) => each.occurredOn)).toEqual([
      '2025-06-01',
    ]);
    expect(mergedChronology(enquiry, { agencyId: 'another-agency' })).toEqual([]);
    expect(
      declarationRows(review, enquiry).find((row) => row.role === 'Agency')?.declaration?.declarant,
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

describe('the chasing emails carry the agency’s link', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await fixtureWithReview();
  });

  const chaseEmails = (fixture: Fixture) =>
    fixture.mailer.sent.filter((email) => email.key.includes(':ChaseInformationRequest:'));

  it('mints a new link for each email to the contact (the one before stops), and none for the formal request to the lead, which says what is late', async () => {
    fixture.service.profile.agencyStrategicLeadsById = {
      [fixture.agency.agencyId]: { name: 'Strategic Lead (invented)', email: 'strategic.lead@example.org' },
    };
    const { request, token } = await sentRequest(fixture);
    const chase = () =>
      chaseInformationRequest(fixture.service, { reviewId: fixture.reviewId, requestNumber: request.number });
    const opens = (link: string) =>
      openInformationLink(fixture.service, { reviewId: fixture.reviewId, token: link }).then(
        () => true,
        () => false,
      );

    fixture.clock.set('2026-04-21T08:00:00Z');
    await chase();
    const reminder = chaseEmails(fixture)[0]!;
    const reminderToken = tokenIn(reminder.message.text);
    const afterReminder = [await opens(token), await opens(reminderToken)];
    fixture.clock.set('2026-04-24T16:00:00Z');
    await chase();
    const [, leadCopied, formal] = chaseEmails(fixture);
    const leadCopiedToken = tokenIn(leadCopied!.message.text);

    expect(afterReminder).toEqual([false, true]);
    expect(reminder.message.to).toEqual(['agency.contact@example.org']);
    expect(reminder.message.text).toContain('the link we sent you before no longer works');
    expect(reminder.message.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(leadCopied!.key.endsWith(':lead-copied')).toBe(true);
    expect(await opens(reminderToken)).toBe(false);
    expect(await opens(leadCopiedToken)).toBe(true);
    // The formal request goes to the strategic lead, with no link, saying plainly what is late.
    expect(formal!.key.endsWith(':formal-request')).toBe(true);
    expect(formal!.message.to).toEqual(['strategic.lead@example.org']);
    expect(leadCopied!.message.cc).toContain('strategic.lead@example.org');
    expect(formal!.message.cc).toContain('agency.contact@example.org');
    expect(formal!.message.text).not.toContain('/local-review-agency/');
    expect(formal!.message.text).toContain('has not provided the information');
    expect(formal!.message.text).toContain('due by the end of Friday 24 April 2026');
    expect(formal!.message.text).toContain(requestAnswers(fixture.agency.agencyId).asks);
    const stored = (await fixture.localReviewEnquiries.getEnquiry(fixture.reviewId)).informationRequests[0]!;
    expect(stored.linkNumber).toBe(3);
    expect(stored.chases.map((each) => [each.kind, each.linkNumber, each.emailPending])).toEqual([
      ['reminder', 2, undefined],
      ['lead-copied', 3, undefined],
      ['formal-request', 3, undefined],
    ]);
    const actions = (fixture.localReviews.audit.get(fixture.reviewId) ?? []).map((event) => event.action);
    expect(actions.filter((action) => action === 'local-review.information-chased')).toHaveLength(2);
    // Plain words for their readers: no instant, id or step name outside the link.
    expect(chaseEmails(fixture).flatMap((email) => engineeringWordsIn(email.message.text))).toEqual([]);
  });

  it('a step retried after storing its link and before its email went sends the email once, with a link that works', async () => {
    const { request } = await sentRequest(fixture);
    const chase = () =>
      chaseInformationRequest(fixture.service, { reviewId: fixture.reviewId, requestNumber: request.number });
    const send = fixture.mailer.sendEachOnce.bind(fixture.mailer);
    fixture.mailer.sendEachOnce = async () => {
      fixture.mailer.sendEachOnce = send;
      throw new Error('SES did not answer (invented)');
    };

    fixture.clock.set('2026-04-21T08:00:00Z');
    await expect(chase()).rejects.toThrow('SES did not answer');
    const between = (await fixture.localReviewEnquiries.getEnquiry(fixture.reviewId)).informationRequests[0]!;
    const outcome = await chase();
    await chase();

    expect(between.chases).toEqual([
      { kind: 'reminder', at: '2026-04-21T08:00:00.000Z', linkNumber: 2, emailPending: true },
    ]);
    expect(chaseEmails(fixture)).toHaveLength(1);
    const link = tokenIn(chaseEmails(fixture)[0]!.message.text);
    expect(
      (await openInformationLink(fixture.service, { reviewId: fixture.reviewId, token: link })).request
        .requestId,
    ).toBe(request.requestId);
    expect(outcome).toEqual({ done: false, nextAt: '2026-04-24T16:00:00.000Z' });
    const stored = (await fixture.localReviewEnquiries.getEnquiry(fixture.reviewId)).informationRequests[0]!;
    expect(stored.chases.map((each) => each.emailPending)).toEqual([undefined]);
    expect(stored.spareTokenHashes).toHaveLength(1);
  });

  it('a step retried after its email went sends nothing again, and the link it sent still works', async () => {
    const { request } = await sentRequest(fixture);
    const chase = () =>
      chaseInformationRequest(fixture.service, { reviewId: fixture.reviewId, requestNumber: request.number });
    const store = fixture.localReviewEnquiries;
    const save = store.saveEnquiry.bind(store);
    store.saveEnquiry = async (current, changes, audit) => {
      if (audit.action === 'local-review.information-chased') {
        store.saveEnquiry = save;
        throw new Error('The function timed out (invented)');
      }
      return save(current, changes, audit);
    };

    fixture.clock.set('2026-04-21T08:00:00Z');
    await expect(chase()).rejects.toThrow('timed out');
    await chase();

    expect(chaseEmails(fixture)).toHaveLength(1);
    const link = tokenIn(chaseEmails(fixture)[0]!.message.text);
    expect(
      (await openInformationLink(fixture.service, { reviewId: fixture.reviewId, token: link })).request
        .requestId,
    ).toBe(request.requestId);
    const stored = (await store.getEnquiry(fixture.reviewId)).informationRequests[0]!;
    expect(stored.chases.map((each) => [each.kind, each.emailPending])).toEqual([['reminder', undefined]]);
  });

  it('the formal request carries a new link when it goes to the contact, the agency having no strategic lead', async () => {
    const { request } = await sentRequest(fixture);
    fixture.clock.set('2026-04-24T16:00:00Z');

    await chaseInformationRequest(fixture.service, {
      reviewId: fixture.reviewId,
      requestNumber: request.number,
    });

    const emails = chaseEmails(fixture);
    expect(emails.map((email) => email.key.split(':').at(-1))).toEqual([
      'reminder',
      'lead-copied',
      'formal-request',
    ]);
    const formal = emails[2]!.message;
    expect(formal.to).toEqual(['agency.contact@example.org']);
    // One link for the step's emails: each email carries the same, which works.
    const links = new Set(emails.map((email) => tokenIn(email.message.text)));
    expect(links.size).toBe(1);
    expect(
      (await openInformationLink(fixture.service, { reviewId: fixture.reviewId, token: [...links][0]! }))
        .request.linkNumber,
    ).toBe(2);
  });

  it('the team’s new link after a chase replaces the chasing email’s link too', async () => {
    const { request } = await sentRequest(fixture);
    fixture.clock.set('2026-04-21T08:00:00Z');
    await chaseInformationRequest(fixture.service, {
      reviewId: fixture.reviewId,
      requestNumber: request.number,
    });
    const chased = tokenIn(chaseEmails(fixture)[0]!.message.text);

    await sendNewInformationLink(fixture.service, {
      reviewId: fixture.reviewId,
      requestId: request.requestId,
      member: team,
    });

    await expect(
      openInformationLink(fixture.service, { reviewId: fixture.reviewId, token: chased }),
    ).rejects.toThrow(InformationLinkNotFoundError);
    expect(
      (await fixture.localReviewEnquiries.getEnquiry(fixture.reviewId)).informationRequests[0]!.linkNumber,
    ).toBe(3);
  });
});

describe('the enquiry kept apart from the review', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await fixtureWithReview();
  });

  it('never writes the review’s item, so a change to the review read before an entry or a declaration is not stale', async () => {
    const read = (await fixture.localReviews.getLocalReview(fixture.reviewId)) as LocalReview;
    const { token } = await sentRequest(fixture);
    await recordAgencyDeclaration(fixture.service, {
      reviewId: fixture.reviewId,
      token,
      answers: { ...noConflict, name: 'Agency Contact (invented)' },
    });
    await addChronologyEntry(fixture.service, {
      reviewId: fixture.reviewId,
      token,
      answers: { occurredOn: '2025-02-01', whatHappened: 'Invented', source: 'Invented' },
    });

    // As a workflow step would, on the review it read before.
    const updated = await fixture.localReviews.updateLocalReview(
      read,
      { remindersSent: [{ monthsBefore: 3, at: '2026-03-25T10:00:00.000Z' }] },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-25T10:00:00.000Z',
        action: 'test',
        reason: 'Invented',
      },
    );

    expect(updated.version).toBe(read.version + 1);
    const enquiry = await enquiryOf(fixture.service, updated);
    expect([
      enquiry.informationRequests.length,
      enquiry.declarations.length,
      enquiry.chronology.length,
    ]).toEqual([1, 1, 1]);
  });

  it('reads an enquiry kept on the review’s item before it had its own, and loses none of it on the first change', async () => {
    // A review as stored before: its enquiry on its own item, its agency's link sent then.
    const { request, token } = await sentRequest(fixture);
    await recordAgencyDeclaration(fixture.service, {
      reviewId: fixture.reviewId,
      token,
      answers: { ...noConflict, name: 'Agency Contact (invented)' },
    });
    await addChronologyEntry(fixture.service, {
      reviewId: fixture.reviewId,
      token,
      answers: {
        occurredOn: '2025-06-01',
        whatHappened: 'Kept on the review (invented)',
        source: 'Invented',
      },
    });
    const before = await fixture.localReviewEnquiries.getEnquiry(fixture.reviewId);
    const review = fixture.localReviews.reviews.get(fixture.reviewId)!;
    fixture.localReviews.reviews.set(fixture.reviewId, {
      ...review,
      declarations: before.declarations,
      informationRequests: before.informationRequests,
      chronology: before.chronology,
    });
    fixture.localReviewEnquiries.records.clear();
    fixture.localReviewEnquiries.entries.clear();

    const opened = await openInformationLink(fixture.service, { reviewId: fixture.reviewId, token });
    await addChronologyEntry(fixture.service, {
      reviewId: fixture.reviewId,
      token,
      answers: { occurredOn: '2025-02-01', whatHappened: 'Added since (invented)', source: 'Invented' },
    });
    await recordStaffDeclaration(fixture.service, {
      reviewId: fixture.reviewId,
      member: reviewer,
      answers: noConflict,
    });
    const after = await enquiryOf(
      fixture.service,
      (await fixture.localReviews.getLocalReview(fixture.reviewId)) as LocalReview,
    );

    expect(opened.request.requestId).toBe(request.requestId);
    expect(after.version).toBe(1);
    expect(after.informationRequests.map((each) => each.requestId)).toEqual([request.requestId]);
    expect(after.declarations.map((each) => each.declarant.kind)).toEqual(['agency', 'staff']);
    expect(mergedChronology(after).map((each) => each.whatHappened)).toEqual([
      'Added since (invented)',
      'Kept on the review (invented)',
    ]);
    // The stored enquiry item holds the copied requests; the review's own item is as it was.
    expect(
      (await fixture.localReviewEnquiries.getEnquiry(fixture.reviewId)).informationRequests,
    ).toHaveLength(1);
    expect(fixture.localReviews.reviews.get(fixture.reviewId)?.version).toBe(review.version);
  });

  it('refuses a request for information past the most a review takes, and a chronology entry past its most', async () => {
    const { request, token } = await sentRequest(fixture);
    await recordAgencyDeclaration(fixture.service, {
      reviewId: fixture.reviewId,
      token,
      answers: { ...noConflict, name: 'Agency Contact (invented)' },
    });
    const full = await fixture.localReviewEnquiries.getEnquiry(fixture.reviewId);
    await fixture.localReviewEnquiries.saveEnquiry(
      full,
      {
        declarations: full.declarations,
        informationRequests: Array.from({ length: 30 }, (_, index) => ({
          ...request,
          requestId: index === 0 ? request.requestId : crypto.randomUUID(),
          number: index + 1,
        })),
      },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-25T10:00:00.000Z',
        action: 'test',
        reason: 'Invented',
      },
    );
    fixture.localReviewEnquiries.entries.set(
      fixture.reviewId,
      Array.from({ length: 1000 }, () => ({
        entryId: crypto.randomUUID(),
        occurredOn: '2025-02-01',
        whatHappened: 'Invented',
        source: 'Invented',
        agencyId: request.agencyId,
        agencyName: request.agencyName,
        requestId: request.requestId,
        addedAt: '2026-03-25T10:00:00.000Z',
      })),
    );

    await expect(
      sendInformationRequest(fixture.service, {
        reviewId: fixture.reviewId,
        member: team,
        answers: requestAnswers(fixture.agency.agencyId),
      }),
    ).rejects.toThrow(LocalReviewRefusedError);
    await expect(
      addChronologyEntry(fixture.service, {
        reviewId: fixture.reviewId,
        token,
        answers: { occurredOn: '2025-02-01', whatHappened: 'One too many', source: 'Invented' },
      }),
    ).rejects.toThrow('The chronology holds its most entries (1,000)');
  });
});
