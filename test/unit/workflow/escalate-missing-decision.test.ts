import { describe, expect, it } from 'vitest';
import { escalateMissingDecision } from '../../../shared/use-cases/escalate-missing-decision.ts';
import { MAX_DECISION_WAITS } from '../../../shared/workflow/contracts.ts';
import { childNames, fakeService, openSampleCase, sampleDecision } from './workflow-fakes.ts';

describe('escalate-missing-decision', () => {
  async function aCaseWithNoDecision(changes = {}) {
    const fakes = fakeService('2026-03-24T17:00:02Z');
    const record = await openSampleCase(fakes.cases, {
      changes: { status: 'awaiting-decision', ...changes },
    });
    return { ...fakes, record };
  }

  it('tells the chair, copying the partnership team, that the decision is overdue, and audits it', async () => {
    const { service, cases, mailer, record } = await aCaseWithNoDecision();

    const result = await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });

    expect(result.outcome).toBe('escalated');
    expect(mailer.sent).toHaveLength(1);
    const [overdue] = mailer.to('rrg-chair@example.org');
    expect(overdue?.cc).toEqual(['partnership-team@example.org']);
    expect(overdue?.subject).toContain('overdue');
    expect(overdue?.text).toContain('5pm on Tuesday 24 March 2026');
    expect(overdue?.text).toContain('wait until the end of the next working day');
    for (const name of childNames()) expect(overdue?.text).not.toContain(name);
    expect(cases.auditOf(record.caseId).find((event) => event.action === 'decision.escalated')).toMatchObject(
      {
        eventId: `${record.caseId}:EscalateMissingDecision:1`,
        details: { attempt: 1, lastAttempt: false },
      },
    );
  });

  it('escalates once per wait, however often it runs', async () => {
    const { service, cases, mailer, record } = await aCaseWithNoDecision();

    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });
    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });
    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 2 });

    expect(mailer.sent.map((email) => email.key)).toEqual([
      `${record.caseId}:EscalateMissingDecision:1`,
      `${record.caseId}:EscalateMissingDecision:2`,
    ]);
    expect(
      cases.auditOf(record.caseId).filter((event) => event.action === 'decision.escalated'),
    ).toHaveLength(2);
  });

  it('says beside the missed date that the 15 working days are the Panel’s expectation, not a statute', async () => {
    const { service, mailer, record } = await aCaseWithNoDecision();

    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });

    const text = mailer.sent[0]?.message.text ?? '';
    expect(text).toContain(
      "The 15 working days are the Panel's expectation, not a statute. Days 1 to 15 are the partnership's own plan for meeting it.",
    );
    expect(text).not.toMatch(/statutory/i);
  });

  it('on the last wait says the workflow stops and the team must act', async () => {
    const { service, mailer, record } = await aCaseWithNoDecision();

    await escalateMissingDecision(service, { caseId: record.caseId, attempt: MAX_DECISION_WAITS });

    expect(mailer.sent[0]?.message.text).toContain('This was the last extension');
  });

  it('chases nobody when the decision arrived as the wait ran out', async () => {
    const { service, mailer, record } = await aCaseWithNoDecision({
      status: 'decided',
      decision: sampleDecision,
    });

    const result = await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });

    expect(result.outcome).toBe('decided');
    expect(mailer.sent).toEqual([]);
  });
});
