import { describe, expect, it } from 'vitest';
import { notifyOutcome } from '../../../shared/use-cases/notify-outcome.ts';
import {
  childNames,
  fakeService,
  openSampleCase,
  PUBLIC_BASE_URL,
  sampleDecision,
} from './workflow-fakes.ts';

describe('notify-outcome', () => {
  async function aSubmittedCase() {
    const fakes = fakeService('2026-03-23T15:00:06Z');
    const record = await openSampleCase(fakes.cases, {
      changes: { status: 'submitted-to-panel', decision: sampleDecision },
    });
    return { ...fakes, record };
  }

  it('tells the notifier, each agency SPOC and the partnership team the outcome went to the Panel, with the decision in summary', async () => {
    const { service, mailer, record } = await aSubmittedCase();

    const result = await notifyOutcome(service, { caseId: record.caseId });

    expect(result.recipients).toBe(6);
    expect(mailer.sent.map((email) => email.message.to[0]).sort()).toEqual([
      'notifier@example.org',
      'partnership-team@example.org',
      'spoc.education@example.org',
      'spoc.health@example.org',
      'spoc.police@example.org',
      'spoc.social-care@example.org',
    ]);
    const [police] = mailer.to('spoc.police@example.org');
    expect(police?.subject).toContain('outcome sent to the Panel');
    expect(police?.text).toContain('decided to commission a Local Child Safeguarding Practice Review');
    expect(police?.text).toContain('does not recommend a national review');
    const [team] = mailer.to('partnership-team@example.org');
    expect(team?.subject).toBe(`${record.reference}: outcome sent to the Panel`);
    expect(team?.text).toMatch(/was sent to the Child Safeguarding Practice Review Panel at \d/);
    expect(team?.text).toContain('decided to commission a Local Child Safeguarding Practice Review');
    expect(team?.text).toContain(`${PUBLIC_BASE_URL}/cases/${record.caseId}`);
  });

  it('tells the Executive Board the decision when the profile names it, once', async () => {
    const { service, mailer, cases, record } = await aSubmittedCase();
    const profile = {
      ...service.profile,
      executiveBoard: { name: 'Board Chair (test)', email: 'executive-board@example.org' },
    };

    const withBoard = {
      cases: service.cases,
      clock: service.clock,
      mailer: service.mailer,
      profile,
      publicBaseUrl: service.publicBaseUrl,
    };

    const result = await notifyOutcome(withBoard, { caseId: record.caseId });
    await notifyOutcome(withBoard, { caseId: record.caseId });

    expect(result.recipients).toBe(7);
    const [board, ...again] = mailer.to('executive-board@example.org');
    expect(again).toEqual([]);
    expect(board?.text).toContain('Dear Board Chair (test)');
    expect(board?.text).toContain('decided to commission a Local Child Safeguarding Practice Review');
    expect(cases.auditOf(record.caseId).at(-1)?.reason).toContain('the Executive Board');
  });

  it('leaves out the reasons and every child name', async () => {
    const { service, mailer, record } = await aSubmittedCase();

    await notifyOutcome(service, { caseId: record.caseId });

    for (const { message } of mailer.sent) {
      expect(message.text).not.toContain(sampleDecision.localReviewReason);
      expect(message.text).not.toContain(sampleDecision.nationalReviewReason);
      for (const name of childNames()) expect(`${message.subject}\n${message.text}`).not.toContain(name);
    }
  });

  it('completes the case, and on a second run sends nothing', async () => {
    const { service, cases, mailer, record } = await aSubmittedCase();

    await notifyOutcome(service, { caseId: record.caseId });
    await notifyOutcome(service, { caseId: record.caseId });

    expect((await cases.getCase(record.caseId))?.status).toBe('completed');
    expect(mailer.sent).toHaveLength(6);
    expect(cases.auditOf(record.caseId).filter((event) => event.action === 'outcome.notified')).toHaveLength(
      1,
    );
  });

  it('refuses a case whose outcome has not gone to the Panel', async () => {
    const { service, cases, mailer } = fakeService();
    const record = await openSampleCase(cases, { changes: { status: 'decided', decision: sampleDecision } });

    const notifying = notifyOutcome(service, { caseId: record.caseId });

    await expect(notifying).rejects.toMatchObject({ name: 'CaseNotReady' });
    expect(mailer.sent).toEqual([]);
  });
});
