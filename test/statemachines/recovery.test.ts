import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executionArnFor, type ReviewWorkflow } from '../../shared/adapters/review-workflow.ts';
import { staffActor } from '../../shared/schemas/roles.ts';
import { RESUME_POINTS, resumeFailedCase } from '../../shared/use-cases/resume-case.ts';
import { resumeOwedWorkflows } from '../../shared/use-cases/resume-workflows.ts';
import { parseRapidReviewAsl } from './support/rapid-review-definition.ts';
import { ReviewScenario } from './support/review-scenario.ts';

/**
 * Issue 12 part 1 on the real ASL and the real task logic: the decision wait never loses what
 * a person saved, a failed review is a fault flag on the case that an operator resumes from the
 * failed step, and a failure no Catch sees still reaches the case.
 */

const PANEL = 'panel-mailbox@example.org';
const TEAM = 'partnership-team@example.org';
const operator = staffActor({ id: 'user-operator-test', name: 'Operator (test)' }, 'partnership-team');

/** A task error as a function would throw it. */
function named(name: string): Error {
  const error = new Error(`${name} (invented for a test)`);
  error.name = name;
  return error;
}

describe('the decision wait', () => {
  let scenario: ReviewScenario;

  beforeEach(async () => {
    scenario = await ReviewScenario.start();
  });

  afterEach(async () => {
    await scenario.stop();
  });

  const panelEmails = () => scenario.mailer.sent.filter((email) => email.message.to.includes(PANEL));

  /** The case waiting for its decision, the report complete, the chair decided and two partners signed off. */
  async function oneSignOffShort() {
    const opened = await scenario.open();
    const caseId = opened.record.caseId;
    await scenario.writeReport(caseId);
    await scenario.advanceUntil(caseId, (current) => current.status === 'awaiting-decision');
    await scenario.decide(caseId);
    await scenario.signOff(caseId, 'police', { agrees: true });
    await scenario.signOff(caseId, 'local-authority', { agrees: true });
    return { caseId, executionArn: opened.executionArn };
  }

  it('keeps a case the chair decides just as the wait times out decided, not failed, and submits once the partners sign off', async () => {
    // Prepare: the report is in; the chair decides in the instant the first wait runs out.
    const { record, executionArn } = await scenario.open();
    const caseId = record.caseId;
    await scenario.writeReport(caseId);
    await scenario.advanceUntil(caseId, (current) => current.status === 'awaiting-decision');
    scenario.beforeEach('escalate-missing-decision', async () => {
      await scenario.decideNow(caseId);
      scenario.beforeEach('escalate-missing-decision', async () => {});
    });

    // Act
    await scenario.advanceToNext();
    const decided = (await scenario.cases.getCase(caseId))!;
    const statusAfterTimeout = await scenario.status(executionArn);
    await scenario.allPartnersAgree(caseId);

    // Assess
    expect(decided.status).toBe('decided');
    expect(decided.failure).toBeUndefined();
    expect(statusAfterTimeout).toBe('RUNNING');
    const states = await scenario.statesEntered(executionArn);
    expect(states).not.toContain('RecordFailure');
    expect(states.slice(-3)).toEqual(['SubmitToPanel', 'NotifyOutcome', 'ReviewComplete']);
    expect((await scenario.cases.getCase(caseId))?.status).toBe('completed');
    expect(panelEmails().filter((email) => email.key.endsWith(':SubmitToPanel'))).toHaveLength(1);
  });

  it('submits when the last sign-off arrives just as the wait times out: the escalation finds it, and the case is not failed', async () => {
    // Prepare: the last partner signs off in the instant the wait runs out, its callback too late.
    const { caseId, executionArn } = await oneSignOffShort();
    scenario.beforeEach('escalate-missing-decision', async () => {
      await scenario.agreeNow(caseId, 'health');
      scenario.beforeEach('escalate-missing-decision', async () => {});
    });

    // Act
    await scenario.advanceToNext();

    // Assess
    const states = await scenario.statesEntered(executionArn);
    expect(states.slice(-6)).toEqual([
      'AwaitDecision',
      'EscalateMissingDecision',
      'ReadyAfterEscalation',
      'SubmitToPanel',
      'NotifyOutcome',
      'ReviewComplete',
    ]);
    expect(states).not.toContain('RecordFailure');
    const done = (await scenario.cases.getCase(caseId))!;
    expect(done).toMatchObject({ status: 'completed' });
    expect(done.failure).toBeUndefined();
    expect(done.resumeOwed).toBeUndefined();
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    expect(panelEmails().filter((email) => email.key.endsWith(':SubmitToPanel'))).toHaveLength(1);
  });

  it('submits when the last sign-off arrives after the escalation looked and before the next wait: the next wait finds it at once', async () => {
    // Prepare: the escalation chases; the sign-off lands while the next wait is being scheduled.
    const { caseId, executionArn } = await oneSignOffShort();
    scenario.beforeEach('schedule-decision-deadline', async (payload) => {
      if (payload.previousAttempt === 1) await scenario.agreeNow(caseId, 'health');
    });

    // Act
    await scenario.advanceToNext();

    // Assess
    const states = await scenario.statesEntered(executionArn);
    expect(states.slice(-7)).toEqual([
      'EscalateMissingDecision',
      'ReadyAfterEscalation',
      'ExtendDecisionDeadline',
      'AwaitDecision',
      'SubmitToPanel',
      'NotifyOutcome',
      'ReviewComplete',
    ]);
    expect((await scenario.cases.getCase(caseId))?.status).toBe('completed');
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    expect(panelEmails().filter((email) => email.key.endsWith(':SubmitToPanel'))).toHaveLength(1);
  });

  it('keeps a resume Step Functions refused owed on the case, and the resume sweep delivers it long before the deadline', async () => {
    // Prepare: Step Functions refuses the callback of the last sign-off (the SDK's retries spent).
    const { caseId, executionArn } = await oneSignOffShort();
    const real = scenario.service.workflow;
    let refusals = 1;
    const flaky: ReviewWorkflow = {
      start: (id) => real.start(id),
      resume: (id, name, from) => real.resume(id, name, from),
      failTask: (token, error, cause) => real.failTask(token, error, cause),
      progress: (id, name) => real.progress(id, name),
      failedStep: (arn, ignoring) => real.failedStep(arn, ignoring),
      completeTask: async (token, output) => {
        if (refusals-- > 0) throw named('ThrottlingException');
        return real.completeTask(token, output);
      },
    };
    Object.defineProperty(scenario.service, 'workflow', { value: flaky });
    await scenario.signOff(caseId, 'health', { agrees: true });
    const owed = (await scenario.cases.getCase(caseId))!;
    const statusWhileOwed = await scenario.status(executionArn);
    const clockBefore = scenario.clock.now();

    // Act
    const sweep = await resumeOwedWorkflows(scenario.service);
    await scenario.steps.whenSettled();

    // Assess
    expect(owed.resumeOwed).toBe(owed.signOffs?.at(-1)?.signedAt);
    expect(statusWhileOwed).toBe('RUNNING');
    expect(sweep).toEqual({ owed: 1, resumed: 1, failed: 0 });
    const done = (await scenario.cases.getCase(caseId))!;
    expect(done.status).toBe('completed');
    expect(done.resumeOwed).toBeUndefined();
    expect(scenario.clock.now()).toEqual(clockBefore);
    expect(scenario.calls).not.toContain('escalate-missing-decision');
    expect(await scenario.status(executionArn)).toBe('SUCCEEDED');
    expect(await resumeOwedWorkflows(scenario.service)).toEqual({ owed: 0, resumed: 0, failed: 0 });
  });
});

describe('a failed review, resumed', () => {
  let scenario: ReviewScenario;

  beforeEach(async () => {
    scenario = await ReviewScenario.start();
  });

  afterEach(async () => {
    await scenario.stop();
  });

  const failureEmails = () =>
    scenario.mailer.sent.filter(
      (email) => email.message.to.includes(TEAM) && email.key.includes(':RecordFailure'),
    );

  it('routes every resume point of resume-case.ts to a state the ASL resumes at', () => {
    const choice = parseRapidReviewAsl().States.ResumeAtFailedStep as unknown as {
      Choices: { And: { StringEquals?: string }[]; Next: string }[];
      Default: string;
    };
    const branches = choice.Choices.map((rule) => ({
      resumeFrom: rule.And.find((test) => test.StringEquals)?.StringEquals,
      next: rule.Next,
    }));

    expect(branches.every((branch) => branch.resumeFrom === branch.next)).toBe(true);
    expect(new Set(Object.values(RESUME_POINTS))).toEqual(new Set(branches.map((branch) => branch.next)));
    expect(choice.Default).toBe('RequestAgencySummaries');
  });

  it('flags the case (keeping its status) when a step fails, and resumes from that step to the end without sending any email twice', async () => {
    // Prepare: collating fails once, with an error no Retry takes.
    const { record, executionArn } = await scenario.open();
    const caseId = record.caseId;
    scenario.answerOnce('collate-report', () => {
      throw named('RehearsedFailure');
    });
    const failed = await scenario.advanceUntil(caseId, (current) => current.failure !== undefined);
    const sentBeforeResume = scenario.mailer.sent.length;

    // Act
    const resumed = await resumeFailedCase(scenario.service, {
      caseId,
      actor: operator,
      reason: 'Invented reason: the collation fault was fixed (test).',
    });
    await scenario.steps.whenSettled();
    const resumedArn = executionArnFor(scenario.steps.stateMachineArn('rapid-review'), `${caseId}-resume-1`);
    const afterResume = (await scenario.cases.getCase(caseId))!;
    await scenario.writeReport(caseId);
    await scenario.advanceUntil(caseId, (current) => current.status === 'awaiting-decision');
    await scenario.decide(caseId);
    await scenario.allPartnersAgree(caseId);

    // Assess
    expect(failed.status).toBe('awaiting-summaries');
    expect(failed.failure).toMatchObject({ step: 'CollateReport', error: 'RehearsedFailure' });
    expect(await scenario.status(executionArn)).toBe('FAILED');
    expect((await scenario.statesEntered(executionArn)).slice(-3)).toEqual([
      'CollateReport',
      'RecordFailure',
      'ReviewFailed',
    ]);
    expect(resumed).toEqual({ resumedFrom: "collating the agencies' summaries" });
    expect(afterResume.failure).toBeUndefined();
    expect(afterResume.resumes).toBe(1);
    const audit = (await scenario.cases.getCaseFile(caseId)).audit;
    expect(audit.filter((event) => event.action === 'case.resumed')).toEqual([
      expect.objectContaining({
        reason: 'Invented reason: the collation fault was fixed (test).',
        actor: operator,
        details: expect.objectContaining({ step: 'CollateReport', resumeFrom: 'WaitForCollationDay' }),
      }),
    ]);
    // Straight to the failed step: nothing before it runs again.
    expect((await scenario.statesEntered(resumedArn)).slice(0, 4)).toEqual([
      'PlanTimetable',
      'ResumeAtFailedStep',
      'WaitForCollationDay',
      'CollateReport',
    ]);
    expect(await scenario.status(resumedArn)).toBe('SUCCEEDED');
    expect((await scenario.cases.getCase(caseId))?.status).toBe('completed');
    expect(failureEmails()).toHaveLength(1);
    expect(sentBeforeResume).toBeGreaterThan(0);
    // No email twice: each message, to each recipient, once.
    const messages = scenario.mailer.sent.map((email) =>
      JSON.stringify([email.message.to, email.message.subject, email.message.text]),
    );
    expect(messages.length).toBe(new Set(messages).size);
    expect(scenario.mailer.sent.filter((email) => email.key.endsWith(':SubmitToPanel'))).toHaveLength(1);
  });

  it('resumes a failed decision wait with the count of waits it had reached: every reminder goes once, none is skipped', async () => {
    // Prepare: a late review chased twice; the third escalation fails before it chases.
    const { record } = await scenario.open();
    const caseId = record.caseId;
    await scenario.advanceUntil(caseId, (current) => current.status === 'awaiting-decision');
    await scenario.advanceToNext(); // the governing date passes: reminder 1
    await scenario.advanceToNext(); // reminder 2
    scenario.answerOnce('escalate-missing-decision', () => {
      throw named('RehearsedFailure');
    });
    await scenario.advanceUntil(caseId, (current) => current.failure !== undefined);
    const reminders = () =>
      scenario.mailer.sent
        .map((email) => email.key)
        .filter((key) => key.includes(':EscalateMissingDecision:'))
        .map((key) => Number(key.split(':').at(-1)));

    // Act
    await resumeFailedCase(scenario.service, { caseId, actor: operator, reason: 'Invented (test).' });
    await scenario.steps.whenSettled();
    const beforeTimeout = reminders();
    await scenario.advanceToNext();
    const afterOneWait = reminders();
    await scenario.advanceToNext();

    // Assess
    expect((await scenario.cases.getCase(caseId))?.failure).toBeUndefined();
    expect(beforeTimeout).toEqual([1, 2]);
    expect(afterOneWait).toEqual([1, 2, 3]);
    expect(reminders()).toEqual([1, 2, 3, 4]);
  });

  it('refuses to resume a case that has not failed, in plain words', async () => {
    const { record } = await scenario.open();

    await expect(
      resumeFailedCase(scenario.service, {
        caseId: record.caseId,
        actor: operator,
        reason: 'Invented (test).',
      }),
    ).rejects.toMatchObject({
      name: 'Conflict',
      message: `Case ${record.reference} has not failed: there is nothing to resume`,
    });
  });

  it('records a runtime error no Catch sees through the execution status change, once, and resumes at the step it stopped', async () => {
    // Prepare: the timetable answers a date the first wait cannot read (States.Runtime: no Catch).
    scenario.answerOnce('plan-timetable', () => ({
      firstRungAt: 'not-a-timestamp',
      collateAt: 'not-a-timestamp',
      papersAt: 'not-a-timestamp',
    }));
    const { record, executionArn } = await scenario.open();
    const caseId = record.caseId;

    // Act: the fault reaches the case, then an operator resumes it.
    const failed = (await scenario.cases.getCase(caseId))!;
    const status = await scenario.status(executionArn);
    await resumeFailedCase(scenario.service, { caseId, actor: operator, reason: 'Invented (test).' });
    await scenario.steps.whenSettled();

    // Assess
    expect(status).toBe('FAILED');
    expect(await scenario.statesEntered(executionArn)).not.toContain('RecordFailure');
    expect(failed.failure).toMatchObject({ step: 'WaitForFirstRung' });
    expect(failed.status).toBe('awaiting-summaries');
    expect(failureEmails()).toHaveLength(1);
    const resumedArn = executionArnFor(scenario.steps.stateMachineArn('rapid-review'), `${caseId}-resume-1`);
    expect((await scenario.statesEntered(resumedArn)).slice(0, 3)).toEqual([
      'PlanTimetable',
      'ResumeAtFailedStep',
      'WaitForFirstRung',
    ]);
    expect(await scenario.status(resumedArn)).toBe('RUNNING');
    expect((await scenario.cases.getCase(caseId))?.failure).toBeUndefined();
  });
});
