import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import type { PartnershipProfile } from '../../shared/config/partnership-profile.ts';
import { rapidReviewRules } from '../../shared/rapid-review-rules.ts';
import type { SeriousIncidentNotification } from '../../shared/schemas/notification.ts';
import { recordPanelReply } from '../../shared/use-cases/record-panel-reply.ts';
import { addAgency, withdrawCase } from '../../shared/use-cases/steer-agencies.ts';
import { closeAsNotificationOnly, recordLateReason } from '../../shared/use-cases/steer-case.ts';
import { acceptLateReturn, returnOnBehalf } from '../../shared/use-cases/team-returns.ts';
import { pdfText } from '../unit/workflow/pdf-text.ts';
import { setAgency, testProfileWithBoard } from '../unit/workflow/workflow-fakes.ts';
import { ReviewScenario } from './support/review-scenario.ts';

/**
 * Whole Rapid Reviews on the real ASL and the real task logic (in-memory stores, a recording
 * mailer, a virtual clock): the five ways a review goes that issue 9 names. People act through
 * the same use cases the API calls.
 */

const PANEL = 'panel-mailbox@example.org';

/** The invented notification, as the death of a looked-after child (the Secretary of State and Ofsted told the same day). */
function lookedAfterChildDeath(): SeriousIncidentNotification {
  const base = sampleNotification();
  return {
    ...base,
    incident: { ...base.incident, kind: 'death' },
    children: base.children.map((child, index) => (index === 0 ? { ...child, lookedAfter: true } : child)),
    deathNotifications: {
      secretaryOfStateNotifiedOn: base.incident.occurredOn,
      ofstedNotifiedOn: base.incident.occurredOn,
    },
  } as SeriousIncidentNotification;
}
const BOARD = 'executive-board@example.org';

describe('a Rapid Review, from notification to the Panel, on the state machine', () => {
  let scenario: ReviewScenario;

  beforeEach(async () => {
    scenario = await ReviewScenario.start();
  });

  afterEach(async () => {
    await scenario.stop();
  });

  const panelEmails = () => scenario.mailer.sent.filter((email) => email.message.to.includes(PANEL));

  it('decided on time: the submission goes once the decision, all three sign-offs and the report are in, whatever their order', async () => {
    // Prepare
    const { record, executionArn } = await scenario.open();
    await scenario.writeReport(record.caseId);
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'awaiting-decision');

    // Act
    await scenario.decide(record.caseId);
    const afterDecision = await scenario.status(executionArn);
    await scenario.signOff(record.caseId, 'police', { agrees: true });
    await scenario.signOff(record.caseId, 'local-authority', { agrees: true });
    const beforeLastSignOff = panelEmails().length;
    await scenario.signOff(record.caseId, 'health', { agrees: true });

    // Assess
    expect(afterDecision).toBe('RUNNING');
    expect(beforeLastSignOff).toBe(0);
    const done = (await scenario.cases.getCase(record.caseId))!;
    expect(done.status).toBe('completed');
    expect(done.late).toBeUndefined();
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    expect(panelEmails()).toHaveLength(1);
    expect(panelEmails()[0]?.message.subject).toContain('Rapid Review outcome');
    expect(scenario.calls).not.toContain('escalate-missing-decision');
    const partnersAsked = scenario.mailer.sent.filter((email) => email.key.endsWith(':SignOffRequest'));
    expect(partnersAsked).toHaveLength(1);
    expect(partnersAsked[0]?.message.to).toEqual(
      expect.arrayContaining([
        'la-lead@example.org',
        'police-partner-lead@example.org',
        'health-delegate@example.org',
      ]),
    );
  });

  it('late then decided: the Panel is told once at the end of the governing date, the chasing goes on, and the submission says why it is late', async () => {
    // Prepare
    const { record, executionArn } = await scenario.open();
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'awaiting-decision');

    // Act: the governing date passes, then three more working days.
    const governingEnd = await scenario.advanceToNext();
    for (let day = 0; day < 3; day++) await scenario.advanceToNext();
    const late = (await scenario.cases.getCase(record.caseId))!;
    await recordLateReason(scenario.service, {
      caseId: record.caseId,
      answer: { reason: 'Invented reason: the chair was unwell (test).', expectedOn: '2025-04-04' },
      member: scenario.team,
    });
    await scenario.decide(record.caseId);
    await scenario.allPartnersAgree(record.caseId);
    await scenario.writeReport(record.caseId);

    // Assess
    expect(late.status).toBe('awaiting-decision');
    expect(late.late).toMatchObject({ dueDate: '2025-03-21', panelToldAt: governingEnd.toISOString() });
    const holding = panelEmails().filter((email) => email.key.endsWith(':LateNotice'));
    expect(holding).toHaveLength(1);
    expect(holding[0]?.message.cc).toEqual([BOARD]);
    expect(holding[0]?.message.subject).toContain('Rapid Review late');
    const reminders = scenario.mailer.sent.filter((email) => email.key.includes(':EscalateMissingDecision:'));
    expect(reminders).toHaveLength(4);
    expect(reminders[0]?.message.to).toContain('rrg-chair@example.org');
    expect(reminders[0]?.message.text).toContain("the Rapid Review Group chair's decision");
    expect(reminders[0]?.message.text).toContain('the completed rapid review report');
    const done = (await scenario.cases.getCase(record.caseId))!;
    expect(done.status).toBe('completed');
    expect(done.failure).toBeUndefined();
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    const submissions = panelEmails().filter((email) => email.key.endsWith(':SubmitToPanel'));
    expect(submissions).toHaveLength(1);
    // Due on Friday 21 March 2025; three waits of a working day later, decided on Wednesday 26 March.
    expect(submissions[0]?.message.text).toContain(
      'This rapid review is late. It was due on Friday 21 March 2025 and is sent 3 working days late.',
    );
    const letter = await pdfText(submissions[0]!.message.attachments![0]!.content);
    expect(letter).toContain('Invented reason: the chair was unwell (test).');
    const states = await scenario.statesEntered(executionArn);
    expect(states).not.toContain('RecordFailure');
    expect(states.filter((state) => state === 'EscalateMissingDecision')).toHaveLength(4);
    expect(states.slice(-3)).toEqual(['SubmitToPanel', 'NotifyOutcome', 'ReviewComplete']);
  });

  it('notification only: a looked-after child death closed by the team stops the workflow cleanly at its next step, and the audit says why', async () => {
    // Prepare
    const notification = lookedAfterChildDeath();
    const { record, executionArn } = await scenario.open(notification);

    // Act
    await closeAsNotificationOnly(scenario.service, {
      caseId: record.caseId,
      answer: { reason: 'Invented reason: abuse or neglect is not suspected (test).' },
      member: scenario.team,
    });
    await scenario.advanceToNext();

    // Assess
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    const states = await scenario.statesEntered(executionArn);
    expect(states.slice(-2)).toEqual(['ClimbLadder', 'ClosedAsNotificationOnly']);
    expect(scenario.calls).not.toContain('record-failure');
    const file = await scenario.cases.getCaseFile(record.caseId);
    expect(file.case.status).toBe('closed');
    expect(file.audit.at(-1)).toMatchObject({
      action: 'case.closed-notification-only',
      reason: expect.stringContaining('abuse or neglect is not suspected'),
    });
    expect(scenario.mailer.sent.some((email) => email.key.includes(':ChaseMissingSummaries:'))).toBe(false);
    expect(scenario.mailer.sent.filter((email) => email.key.includes(':Closed:')).length).toBeGreaterThan(1);
    const [execution] = scenario.steps.executions();
    expect(execution).toBeDefined();
    expect(execution?.waitingOn).toEqual([]);
  });

  it('notification only while the workflow waits for the decision: the wait ends at once', async () => {
    // Prepare
    const notification = lookedAfterChildDeath();
    const { record, executionArn } = await scenario.open(notification);
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'awaiting-decision');

    // Act
    await closeAsNotificationOnly(scenario.service, {
      caseId: record.caseId,
      answer: { reason: 'Invented reason: abuse or neglect is not suspected (test).' },
      member: scenario.team,
    });
    await scenario.steps.whenSettled();

    // Assess
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    expect((await scenario.statesEntered(executionArn)).slice(-2)).toEqual([
      'AwaitDecision',
      'ClosedAsNotificationOnly',
    ]);
    expect(scenario.clock.pending()).toEqual([]);
  });

  it('an agency added mid-case is requested at once and reminded and escalated on the same timetable', async () => {
    // Prepare
    const { record } = await scenario.open();
    const housing = 'spoc.housing@example.org';
    const keysTo = (address: string) =>
      scenario.mailer.sent.filter((email) => email.message.to.includes(address)).map((email) => email.key);

    // Act
    await addAgency(scenario.service, {
      caseId: record.caseId,
      answer: {
        name: 'Housing (demo)',
        spoc: { name: 'Spoc Housing (demo)', email: housing },
        reason: 'Invented: the family had a housing officer (test).',
      },
      member: scenario.team,
    });
    const askedAt = keysTo(housing);
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'collating');

    // Assess
    expect(askedAt).toEqual([`${record.caseId}:AddAgency:housing-demo`]);
    expect(keysTo(housing)).toEqual([
      `${record.caseId}:AddAgency:housing-demo`,
      `${record.caseId}:ChaseMissingSummaries:housing-demo`,
      `${record.caseId}:CheckReturns:housing-demo`,
      // The profile names no strategic lead for it, so the formal request goes to its contact.
      `${record.caseId}:FormalRequest:housing-demo`,
    ]);
    const police = keysTo('spoc.police@example.org').map((key) => key.split(':')[1]);
    expect(police).toEqual(['RequestAgencySummaries', 'ChaseMissingSummaries', 'CheckReturns']);
    const added = await scenario.cases.getCaseWithAgencies(record.caseId);
    const agency = added.agencies.find((candidate) => candidate.agencyId === 'housing-demo');
    const other = added.agencies.find((candidate) => candidate.agencyId === 'police');
    expect(agency).toMatchObject({
      status: 'escalated',
      remindedAt: other?.remindedAt,
      escalatedAt: other?.escalatedAt,
    });
  });

  it('a late return taken in after collation goes to the group as an addendum, and the review goes on', async () => {
    // Prepare: every agency but Education returns (the team enters them, as the phone brought
    // them); the case is collated with Education missing, and the papers go out.
    const { record, executionArn } = await scenario.open();
    const noInvolvement = { kind: 'no-involvement', confirmed: true };
    const reason = 'Invented: the agency read its return to the team over the phone (test).';
    for (const agencyId of ['childrens-social-care', 'police', 'health']) {
      await returnOnBehalf(scenario.service, {
        caseId: record.caseId,
        agencyId,
        answer: { answers: noInvolvement, reason },
        member: scenario.team,
      });
    }
    await scenario.writeReport(record.caseId);
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'awaiting-decision');
    const collated = await scenario.cases.getCaseFile(record.caseId);
    expect(collated.audit.find((event) => event.action === 'report.collated')?.details).toMatchObject({
      missing: 1,
    });

    // Act
    const late = await acceptLateReturn(scenario.service, {
      caseId: record.caseId,
      agencyId: 'education',
      answer: {
        answers: {
          kind: 'involvement',
          involvedFrom: '2025-09-01',
          rolesInvolved: 'Class teacher; designated safeguarding lead (invented)',
          summary: 'Invented: the child attended the school until the incident (test).',
          episodes: [
            {
              date: '2026-01-12',
              whatHappened: 'Invented: a bruise was noticed and recorded (test).',
              decidedAndWhy: 'Invented: referred to children’s social care the same day (test).',
            },
          ],
          immediateActions: 'Invented: records secured (test).',
          earlyLearning: 'Invented: none yet (test).',
        },
        reason: 'Invented: the school sent its return after the papers went out (test).',
      },
      member: scenario.team,
    });
    await scenario.decide(record.caseId);
    await scenario.allPartnersAgree(record.caseId);

    // Assess
    const key = `cases/${record.caseId}/addendum-1.pdf`;
    expect(late.addendum.number).toBe(1);
    const addendum = await pdfText(await scenario.documents.getBytes(key));
    expect(addendum).toContain('Addendum to the papers: late return from Education');
    expect(addendum).toContain(record.reference);
    const addendumEmails = scenario.mailer.sent.filter((email) => email.key.includes(':LateReturnAddendum:'));
    const group = scenario.service.profile.rapidReviewGroup;
    const groupAddresses = new Set(
      [group.chair, ...group.deputyChairs, ...group.members].map((person) => person.email.toLowerCase()),
    );
    expect(addendumEmails).toHaveLength(groupAddresses.size);
    for (const address of groupAddresses) {
      const theirs = addendumEmails.filter((email) => email.message.to.includes(address));
      expect(theirs).toHaveLength(1);
      // The addendum is on the case page, behind a sign-in, not linked by its key.
      expect(theirs[0]?.message.text).toContain(`/cases/${record.caseId}\n`);
      expect(theirs[0]?.message.text).not.toContain(key);
    }
    const education = (await scenario.cases.getCaseWithAgencies(record.caseId)).agencies.find(
      (agency) => agency.agencyId === 'education',
    );
    expect(education).toMatchObject({ status: 'received', late: true });
    expect(education?.returns?.at(-1)).toMatchObject({ by: 'partnership-team' });
    const done = (await scenario.cases.getCase(record.caseId))!;
    expect(done.status).toBe('completed');
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    expect(panelEmails()).toHaveLength(1);
  });

  it('a case withdrawn stops cleanly: no failure, the execution succeeds at Withdrawn, nobody is chased after', async () => {
    // Prepare
    const { record, executionArn } = await scenario.open();

    // Act
    await withdrawCase(scenario.service, {
      caseId: record.caseId,
      answer: { reason: 'Invented: the criteria for a Rapid Review turned out not to be met (test).' },
      member: scenario.team,
    });
    await scenario.advanceToNext();

    // Assess
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    expect((await scenario.statesEntered(executionArn)).slice(-2)).toEqual(['ClimbLadder', 'Withdrawn']);
    expect(scenario.calls).not.toContain('record-failure');
    const file = await scenario.cases.getCaseFile(record.caseId);
    expect(file.case.status).toBe('withdrawn');
    expect(file.case.failure).toBeUndefined();
    expect(file.audit.at(-1)).toMatchObject({
      action: 'case.withdrawn',
      reason: expect.stringContaining('criteria for a Rapid Review'),
    });
    expect(scenario.mailer.sent.some((email) => email.key.includes(':ChaseMissingSummaries:'))).toBe(false);
    expect(scenario.clock.pending()).toEqual([]);
  });

  it('a case withdrawn while the workflow waits for the decision: the wait ends at once at Withdrawn', async () => {
    // Prepare
    const { record, executionArn } = await scenario.open();
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'awaiting-decision');

    // Act
    await withdrawCase(scenario.service, {
      caseId: record.caseId,
      answer: { reason: 'Invented: the criteria were not met (test).' },
      member: scenario.team,
    });
    await scenario.steps.whenSettled();

    // Assess
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    expect((await scenario.statesEntered(executionArn)).slice(-2)).toEqual(['AwaitDecision', 'Withdrawn']);
    expect(scenario.calls).not.toContain('record-failure');
    expect(scenario.clock.pending()).toEqual([]);
  });

  it('a partner disagreeing: the Executive Board chair is emailed, and the submission waits for the resolution, then carries the dissent', async () => {
    // Prepare
    const { record, executionArn } = await scenario.open();
    await scenario.writeReport(record.caseId);
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'awaiting-decision');
    await scenario.decide(record.caseId);

    // Act
    await scenario.signOff(record.caseId, 'local-authority', { agrees: true });
    await scenario.signOff(record.caseId, 'police', {
      agrees: false,
      reasons: 'Invented reason: the police partner thinks a local review is not needed (test).',
    });
    await scenario.signOff(record.caseId, 'health', { agrees: true });
    const waiting = await scenario.status(executionArn);
    await scenario.resolve(
      record.caseId,
      'decision-stands',
      'Invented reason: the group heard every view (test).',
    );

    // Assess
    expect(waiting).toBe('RUNNING');
    const board = scenario.mailer.sent.filter((email) => email.message.to.includes(BOARD));
    expect(board.map((email) => email.message.subject)).toContainEqual(
      expect.stringContaining('a safeguarding partner disagrees'),
    );
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    const done = (await scenario.cases.getCase(record.caseId))!;
    expect(done.status).toBe('completed');
    expect(done.signOffResolution?.outcome).toBe('decision-stands');
    expect(panelEmails().filter((email) => email.key.endsWith(':SubmitToPanel'))).toHaveLength(1);
  });

  it('a Panel reply asking for a local review marks the case as a local review to commission, and the Board is told', async () => {
    // Prepare
    const { record } = await scenario.open();
    await scenario.writeReport(record.caseId);
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'awaiting-decision');
    await scenario.decide(record.caseId);
    await scenario.allPartnersAgree(record.caseId);
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'completed', 0);
    scenario.clock.advanceBy('P2D');

    // Act
    await recordPanelReply(scenario.service, {
      caseId: record.caseId,
      reply: {
        repliedOn: scenario.clock.now().toISOString().slice(0, 10),
        agreesWithDecision: false,
        nationalReview: false,
        asksForLocalReview: true,
        comments: 'Invented comments from the Panel (test).',
      },
      recordedBy: scenario.team,
    });

    // Assess
    const replied = (await scenario.cases.getCase(record.caseId))!;
    expect(replied.localReviewToCommission).toBe(true);
    expect(replied.panelReply?.asksForLocalReview).toBe(true);
    expect(scenario.mailer.sent.filter((email) => email.message.to.includes(BOARD)).length).toBeGreaterThan(
      0,
    );
  });
});

describe("chasing that follows the partnership's escalation ladder, on the state machine", () => {
  // A custom ladder of three rungs (invented): reminder Day 5, lead copied Day 8, formal request Day 9.
  const ladderProfile: PartnershipProfile = {
    ...testProfileWithBoard,
    rules: rapidReviewRules.parse({
      reminderDay: 5,
      escalationLadder: [
        { kind: 'reminder', day: 5 },
        { kind: 'lead-copied', day: 8 },
        { kind: 'formal-request', day: 9 },
      ],
    }),
    agencyStrategicLeadsById: {
      health: { name: 'Health Strategic Lead (test)', email: 'health-lead-strategic@example.org' },
    },
  };
  let scenario: ReviewScenario;

  beforeEach(async () => {
    // Received Monday 3 March 2025: Day 5 is Friday 7 March, Day 8 Wednesday 12, Day 9 Thursday 13.
    scenario = await ReviewScenario.start(new Date('2025-03-03T10:00:00Z'), ladderProfile);
  });

  afterEach(async () => {
    await scenario.stop();
  });

  it('climbs each rung at its time for each agency still missing, and never chases one that returned', async () => {
    // Prepare
    const { record, executionArn } = await scenario.open();
    await setAgency(scenario.cases, record.caseId, 'education', {
      status: 'received',
      receivedAt: '2025-03-04T11:00:00Z',
    });

    // Act
    await scenario.advanceUntil(record.caseId, (current) => current.status === 'awaiting-decision');

    // Assess
    const file = await scenario.cases.getCaseFile(record.caseId);
    const missing = ['childrens-social-care', 'health', 'police'];
    for (const agency of file.agencies) {
      if (agency.agencyId === 'education') {
        expect(agency.ladder, agency.agencyId).toBeUndefined();
        continue;
      }
      expect(agency.ladder, agency.agencyId).toEqual([
        { kind: 'reminder', at: '2025-03-07T09:00:00.000Z' },
        { kind: 'lead-copied', at: '2025-03-12T17:00:00.000Z' },
        { kind: 'formal-request', at: '2025-03-13T17:00:00.000Z' },
      ]);
      expect(agency.formalRequestKey).toBe(`cases/${record.caseId}/formal-requests/${agency.agencyId}.pdf`);
    }
    const keys = scenario.mailer.sent.map((email) => email.key);
    for (const agencyId of missing) {
      for (const step of ['ChaseMissingSummaries', 'CheckReturns', 'FormalRequest']) {
        expect(
          keys.filter((key) => key === `${record.caseId}:${step}:${agencyId}`),
          step,
        ).toHaveLength(1);
      }
    }
    expect(keys.filter((key) => key.endsWith(':education'))).toEqual([
      `${record.caseId}:RequestAgencySummaries:education`,
    ]);
    expect(scenario.mailer.to('spoc.education@example.org').map((email) => email.subject)).toHaveLength(1);
    const group = scenario.mailer.sent.filter(
      (email) => email.key === `${record.caseId}:FormalRequest:RapidReviewGroup`,
    );
    expect(group).toHaveLength(1);
    expect(group[0]?.message.text).toContain("- Children's Social Care\n- Health\n- Police");
    const [healthLetter] = scenario.mailer
      .to('health-lead-strategic@example.org')
      .filter((email) => email.subject.includes('formal request'));
    expect(healthLetter?.cc).toEqual(['spoc.health@example.org', 'partnership-team@example.org']);
    const letter = await pdfText(healthLetter!.attachments![0]!.content);
    expect(letter).toContain('Dear Health Strategic Lead (test),');
    expect(letter).toContain('Section 16H of the Children Act 2004');
    const climbs = (await scenario.statesEntered(executionArn)).filter((state) => state === 'ClimbLadder');
    expect(climbs).toHaveLength(3);
  });
});
