import { describe, expect, it } from 'vitest';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { partnershipProfile } from '../../../shared/config/partnership-profile.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../../shared/errors.ts';
import type { StaffMember } from '../../../shared/schemas/roles.ts';
import {
  commissionLocalReviewFromReferral,
  LocalReviewRefusedError,
} from '../../../shared/use-cases/local-review.ts';
import {
  APPROVAL_LINK_DAYS,
  ApprovalLinkClosedError,
  approveReferral,
  listReferrals,
  openApprovalLink,
  ReferralRefusedError,
  recordPrgDecision,
  referCase,
  resendApprovalLink,
  showReferral,
} from '../../../shared/use-cases/prg-referral.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { InMemoryPrgReferralStore } from '../../support/in-memory-prg-referral-store.ts';
import { fakeService, testProfile } from '../workflow/workflow-fakes.ts';

const referrer: StaffMember = {
  id: 'user-referrer-test',
  roles: ['referrer'],
  name: 'Referrer A (invented)',
  email: 'referrer@example.org',
};
const otherReferrer: StaffMember = {
  id: 'user-referrer-other',
  roles: ['referrer'],
  name: 'Referrer B (invented)',
};
const groupMember: StaffMember = {
  id: 'user-prg-test',
  roles: ['prg-member'],
  name: 'Group Member (invented)',
};
const team: StaffMember = {
  id: 'user-team-test',
  roles: ['partnership-team'],
  name: 'Team Member (invented)',
};

/** What a referrer enters: invented throughout. */
const referralAnswers = {
  agencyName: 'Exampleshire Health Visiting (invented)',
  kind: 'near-miss',
  child: { name: 'Child R (invented)', dateOfBirth: '2021-06-01' },
  summary: 'An invented near miss: a referral was almost lost between two teams.',
  whyNotNotifiable: 'The child was not seriously harmed (invented).',
  criteria: ['improvements', 'working-together'],
  relatedReviews: { childDeathReview: 'None (invented)' },
  lead: { name: 'Strategic Lead (invented)', email: 'strategic.lead@example.org' },
};

const decisionAnswers = (outcome = 'lcspr') => ({
  criteria: {
    improvements: { met: true, reasons: 'Invented: the handover needs to change.' },
    'working-together': { met: false, reasons: 'Invented: the agencies worked together well.' },
  },
  outcome,
  reasons: 'Invented reasons for the decision.',
});

class RecordingWorkflow implements ReviewWorkflow {
  readonly started: string[] = [];
  async start(id: string) {
    if (this.started.includes(id)) return 'already-started' as const;
    this.started.push(id);
    return 'started' as const;
  }
  async completeTask() {}
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

function prgService(start = '2026-03-25T10:00:00Z') {
  const fakes = fakeService(start);
  const referrals = new InMemoryPrgReferralStore();
  const localReviews = new InMemoryLocalReviewStore();
  const localReviewWorkflow = new RecordingWorkflow();
  const profile = partnershipProfile.parse({
    ...testProfile,
    practiceReviewGroup: { members: [{ name: 'Group Member (invented)', email: 'prg.member@example.org' }] },
  });
  const service = {
    clock: fakes.clock,
    mailer: fakes.mailer,
    publicBaseUrl: fakes.service.publicBaseUrl,
    profile,
    referrals,
    localReviews,
    localReviewWorkflow,
  };
  return { ...fakes, service, referrals, localReviews, localReviewWorkflow };
}

/** The approval link in the lead's latest email. */
function approvalTokenIn(mailer: ReturnType<typeof prgService>['mailer']): string {
  const email = mailer.to('strategic.lead@example.org').at(-1);
  const token = /\/practice-review-group\/approval\/([A-Za-z0-9_-]{43})/.exec(email?.text ?? '')?.[1];
  if (!token) throw new Error('No approval link emailed to the lead');
  return token;
}

describe('referring a case to the Practice Review Group', () => {
  it('keeps the referral waiting for approval and emails the strategic lead a link, never the child’s name', async () => {
    const { service, mailer, referrals } = prgService();

    const referral = await referCase(service, { answers: referralAnswers, member: referrer });

    expect(referral.status).toBe('awaiting-approval');
    expect(referral.reference).toMatch(/^PRG-2026-[0-9A-F]{6}$/);
    expect(referral.referrer).toEqual({ id: referrer.id, name: referrer.name, email: referrer.email });
    const [email] = mailer.to('strategic.lead@example.org');
    expect(email?.subject).toContain(referral.reference);
    expect(email?.text).toContain('until 11am on Wednesday 8 April 2026');
    expect(email?.text).not.toContain('Child R');
    const token = approvalTokenIn(mailer);
    expect(JSON.stringify(referrals.referrals.get(referral.referralId))).not.toContain(token);
    expect((await referrals.getReferralAudit(referral.referralId)).map((event) => event.action)).toEqual([
      'prg-referral.referred',
    ]);
  });

  it('names every field it refuses, and a date of birth in the future', async () => {
    const { service } = prgService();

    const missing = referCase(service, {
      answers: {
        ...referralAnswers,
        summary: '',
        criteria: [],
        lead: { name: 'Lead', email: 'not-an-email' },
      },
      member: referrer,
    });
    await expect(missing).rejects.toThrow(InvalidInputError);
    const fields = await missing.catch((error: InvalidInputError) =>
      error.fields.map((field) => field.field),
    );
    expect(fields).toEqual(expect.arrayContaining(['summary', 'criteria', 'lead.email']));

    const future = referCase(service, {
      answers: { ...referralAnswers, child: { name: 'Child R (invented)', dateOfBirth: '2027-01-01' } },
      member: referrer,
    });
    await expect(future).rejects.toThrow(InvalidInputError);
  });
});

describe('the strategic lead’s approval by the emailed link', () => {
  it('sends the referral to the group once, telling its members; approving again changes nothing', async () => {
    const { service, mailer, referrals } = prgService();
    const referral = await referCase(service, { answers: referralAnswers, member: referrer });
    const token = approvalTokenIn(mailer);

    expect((await openApprovalLink(service, token)).state).toBe('open');
    const first = await approveReferral(service, { token });
    const again = await approveReferral(service, { token });

    expect(first.outcome).toBe('approved');
    expect(first.referral.status).toBe('awaiting-decision');
    expect(again.outcome).toBe('already-approved');
    expect(mailer.to('prg.member@example.org')).toHaveLength(1);
    const audit = await referrals.getReferralAudit(referral.referralId);
    expect(audit.map((event) => event.action)).toEqual([
      'prg-referral.referred',
      'prg-referral.lead-approved',
    ]);
    expect(audit[1]?.actor.kind).toBe('agency');
  });

  it('refuses an expired link, and a replaced one once a new link is sent', async () => {
    const { service, mailer, clock } = prgService();
    const referral = await referCase(service, { answers: referralAnswers, member: referrer });
    const first = approvalTokenIn(mailer);

    clock.set(
      new Date(Date.parse('2026-03-25T10:00:00Z') + APPROVAL_LINK_DAYS * 24 * 60 * 60 * 1000).toISOString(),
    );
    await expect(approveReferral(service, { token: first })).rejects.toThrow(ApprovalLinkClosedError);

    await resendApprovalLink(service, { referralId: referral.referralId, member: referrer });
    const second = approvalTokenIn(mailer);
    expect(second).not.toBe(first);
    expect((await openApprovalLink(service, first)).state).toBe('replaced');
    await expect(approveReferral(service, { token: first })).rejects.toThrow(/newer link/);
    expect((await approveReferral(service, { token: second })).outcome).toBe('approved');
  });

  it('knows no link it never issued', async () => {
    const { service } = prgService();
    await expect(openApprovalLink(service, 'a'.repeat(43))).rejects.toThrow(NotFoundError);
    await expect(openApprovalLink(service, 'short')).rejects.toThrow(NotFoundError);
  });

  it('lets only the referrer or the team send a new link', async () => {
    const { service } = prgService();
    const referral = await referCase(service, { answers: referralAnswers, member: referrer });

    await expect(
      resendApprovalLink(service, { referralId: referral.referralId, member: otherReferrer }),
    ).rejects.toThrow(ForbiddenError);
  });
});

describe('the group’s decision', () => {
  async function approved() {
    const prg = prgService();
    const referral = await referCase(prg.service, { answers: referralAnswers, member: referrer });
    await approveReferral(prg.service, { token: approvalTokenIn(prg.mailer) });
    return { ...prg, referral };
  }

  it('is refused before the strategic lead approves', async () => {
    const { service } = prgService();
    const referral = await referCase(service, { answers: referralAnswers, member: referrer });

    await expect(
      recordPrgDecision(service, {
        referralId: referral.referralId,
        answers: decisionAnswers(),
        member: groupMember,
      }),
    ).rejects.toThrow(ReferralRefusedError);
  });

  it('records each criterion with its reasons and tells the referrer and the partners once, without the reasons', async () => {
    const { service, mailer, referral, referrals } = await approved();

    const decided = await recordPrgDecision(service, {
      referralId: referral.referralId,
      answers: decisionAnswers(),
      member: groupMember,
    });

    expect(decided.status).toBe('decided');
    expect(decided.decision?.criteria.improvements).toEqual({
      met: true,
      reasons: 'Invented: the handover needs to change.',
    });
    const toReferrer = mailer.to('referrer@example.org');
    expect(toReferrer).toHaveLength(1);
    expect(toReferrer[0]?.text).toContain('Decision: A Local Child Safeguarding Practice Review.');
    expect(toReferrer[0]?.text).toContain('not met');
    expect(toReferrer[0]?.text).not.toContain('Invented reasons');
    const leads = Object.values(testProfile.safeguardingPartners).map((partner) => partner.lead.email);
    for (const lead of leads) expect(mailer.to(lead)).toHaveLength(1);
    await expect(
      recordPrgDecision(service, {
        referralId: referral.referralId,
        answers: decisionAnswers(),
        member: groupMember,
      }),
    ).rejects.toThrow(/already decided/);
    expect(mailer.to('referrer@example.org')).toHaveLength(1);
    expect((await referrals.getReferralAudit(referral.referralId)).at(-1)?.action).toBe(
      'prg-referral.decided',
    );
  });

  it('asks for every criterion the referral named, and only those', async () => {
    const { service, referral } = await approved();
    const answers = decisionAnswers();

    const missing = recordPrgDecision(service, {
      referralId: referral.referralId,
      answers: { ...answers, criteria: { improvements: answers.criteria.improvements } },
      member: groupMember,
    });
    await expect(missing).rejects.toThrow(InvalidInputError);
    expect(
      await missing.catch((error: InvalidInputError) => error.fields.map((field) => field.field)),
    ).toEqual(['criteria.working-together.met']);
  });
});

describe('who sees which referral', () => {
  it('shows a referrer their own referrals only, and the group all of them', async () => {
    const { service } = prgService();
    const mine = await referCase(service, { answers: referralAnswers, member: referrer });
    const theirs = await referCase(service, { answers: referralAnswers, member: otherReferrer });

    expect((await listReferrals(service, referrer)).map((referral) => referral.referralId)).toEqual([
      mine.referralId,
    ]);
    expect(await listReferrals(service, groupMember)).toHaveLength(2);
    await expect(showReferral(service, { referralId: theirs.referralId, member: referrer })).rejects.toThrow(
      ForbiddenError,
    );
    expect((await showReferral(service, { referralId: mine.referralId, member: team })).audit).toHaveLength(
      1,
    );
  });
});

describe('commissioning a local review from a referral', () => {
  it('is refused unless the group decided on a local review', async () => {
    const { service, mailer } = prgService();
    const referral = await referCase(service, { answers: referralAnswers, member: referrer });
    await approveReferral(service, { token: approvalTokenIn(mailer) });
    await recordPrgDecision(service, {
      referralId: referral.referralId,
      answers: decisionAnswers('single-agency-learning'),
      member: groupMember,
    });

    await expect(
      commissionLocalReviewFromReferral(service, { referralId: referral.referralId, member: team }),
    ).rejects.toThrow(LocalReviewRefusedError);
  });

  it('carries the child and the agency, tells the Panel once, starts the workflow and marks the referral', async () => {
    const { service, mailer, referrals, localReviewWorkflow } = prgService();
    const referral = await referCase(service, { answers: referralAnswers, member: referrer });
    await approveReferral(service, { token: approvalTokenIn(mailer) });
    await recordPrgDecision(service, {
      referralId: referral.referralId,
      answers: decisionAnswers(),
      member: groupMember,
    });

    const first = await commissionLocalReviewFromReferral(service, {
      referralId: referral.referralId,
      member: team,
    });
    const again = await commissionLocalReviewFromReferral(service, {
      referralId: referral.referralId,
      member: team,
    });

    expect(first.outcome).toBe('commissioned');
    expect(again.outcome).toBe('already-commissioned');
    expect(again.review.reviewId).toBe(first.review.reviewId);
    expect(first.review.reference).toBe(`LCSPR-${referral.reference}`);
    expect(first.review.route).toBe('practice-review-group');
    expect(first.review.fromReferral?.child).toEqual(referralAnswers.child);
    expect(first.review.agencies.map((agency) => agency.agencyName)).toEqual([referralAnswers.agencyName]);
    expect(first.review.completionDueOn).toBe('2026-09-25');
    const toPanel = mailer.to(testProfile.panelMailbox);
    expect(toPanel).toHaveLength(1);
    expect(toPanel[0]?.text).toContain('Practice Review Group');
    expect(toPanel[0]?.subject).not.toContain('Panel reference');
    expect(localReviewWorkflow.started).toEqual([first.review.reviewId]);
    const marked = await referrals.getReferral(referral.referralId);
    expect(marked).toMatchObject({ status: 'commissioned', localReviewId: first.review.reviewId });
    expect((await referrals.getReferralAudit(referral.referralId)).at(-1)?.action).toBe(
      'prg-referral.local-review-commissioned',
    );
  });
});

describe('the profile’s Practice Review Group', () => {
  it('lists at least one member, each with a name and an email address', () => {
    const none = partnershipProfile.safeParse({ ...testProfile, practiceReviewGroup: { members: [] } });
    const badEmail = partnershipProfile.safeParse({
      ...testProfile,
      practiceReviewGroup: { members: [{ name: 'Member (invented)', email: 'not-an-address' }] },
    });

    expect(none.success).toBe(false);
    expect(none.error?.issues[0]?.message).toBe('List at least one member of the Practice Review Group');
    expect(badEmail.success).toBe(false);
    expect(partnershipProfile.safeParse(testProfile).success).toBe(true);
  });

  it('tells the partnership team a referral is ready when the profile names no group', async () => {
    const prg = prgService();
    const service = { ...prg.service, profile: testProfile };
    await referCase(service, { answers: referralAnswers, member: referrer });

    await approveReferral(service, { token: approvalTokenIn(prg.mailer) });

    const [ready] = prg.mailer.to(testProfile.partnershipTeamAddress);
    expect(ready?.subject).toContain('referral ready for the Practice Review Group');
    expect(ready?.text).toMatch(/^Dear partnership team,/);
  });
});
