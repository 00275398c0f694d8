import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import { escalateMissingDecision } from '../../../shared/use-cases/escalate-missing-decision.ts';
import { captureOutput } from '../../support/log-lines.ts';
import {
  childNames,
  fakeService,
  openSampleCase,
  PUBLIC_BASE_URL,
  sampleDecision,
  testProfileWithBoard,
} from './workflow-fakes.ts';

const PANEL = 'panel-mailbox@example.org';
const TEAM = 'partnership-team@example.org';

describe('escalate-missing-decision: the wait for the submission ran out', () => {
  async function aLateCase(changes: Partial<CaseRecord> = {}) {
    const fakes = fakeService('2026-03-24T17:00:02Z');
    const record = await openSampleCase(fakes.cases, {
      changes: { status: 'awaiting-decision', ...changes },
    });
    // The fakes' workflow is a getter that refuses to be read here: copy it as a getter.
    const service = Object.defineProperties(
      {},
      {
        ...Object.getOwnPropertyDescriptors(fakes.service),
        profile: { value: testProfileWithBoard, enumerable: true },
      },
    ) as typeof fakes.service;
    return { ...fakes, service, record };
  }

  it('the first time: marks the case late (not failed), tells the Panel once with the Executive Board copied, and audits it', async () => {
    const { service, cases, mailer, record } = await aLateCase();

    const result = await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });

    expect(result.outcome).toBe('escalated');
    const late = (await cases.getCase(record.caseId))!;
    expect(late.status).toBe('awaiting-decision');
    expect(late.late).toEqual({ dueDate: '2026-03-24', panelToldAt: '2026-03-24T17:00:02.000Z' });
    const holding = mailer.to(PANEL);
    expect(holding).toHaveLength(1);
    expect(holding[0]?.cc).toEqual(['executive-board@example.org']);
    expect(holding[0]?.subject).toBe(
      `${record.reference}: Rapid Review late, Panel reference ${record.panelReference}`,
    );
    expect(holding[0]?.text).toContain(`our reference ${record.reference}`);
    expect(holding[0]?.text).toContain('Tuesday 24 March 2026');
    for (const name of childNames()) expect(holding[0]?.text).not.toContain(name);
    expect(cases.auditOf(record.caseId).map((event) => event.action)).toContain('review.late');
  });

  it('chases whoever the submission waits for: the chair for the decision, the team for the report', async () => {
    const { service, cases, mailer, record } = await aLateCase();

    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });

    const [overdue] = mailer.to('rrg-chair@example.org');
    expect(overdue?.cc).toEqual([TEAM]);
    expect(overdue?.subject).toContain('is late');
    // Each thing it waits for comes with the page where it is done.
    expect(overdue?.text).toContain(
      `- the Rapid Review Group chair's decision:\n  ${PUBLIC_BASE_URL}/cases/${record.caseId}/decision\n`,
    );
    expect(overdue?.text).toContain(
      `- the completed rapid review report:\n  ${PUBLIC_BASE_URL}/cases/${record.caseId}/report\n`,
    );
    expect(overdue?.replyTo).toEqual([TEAM]);
    expect(overdue?.text).toContain('5pm on Tuesday 24 March 2026');
    for (const name of childNames()) expect(overdue?.text).not.toContain(name);
    expect(cases.auditOf(record.caseId).find((event) => event.action === 'decision.escalated')).toMatchObject(
      {
        eventId: `${record.caseId}:EscalateMissingDecision:1`,
        details: { attempt: 1, waitingFor: 'decision report' },
      },
    );
  });

  it('once decided, chases only the partners who have not signed off', async () => {
    const { service, mailer, record } = await aLateCase({
      status: 'decided',
      decision: sampleDecision,
      signOffs: [
        {
          partner: 'police',
          agrees: true,
          signedAt: '2026-03-23T10:00:00.000Z',
          signedBy: 'user-police',
          signedByName: 'Police Partner Lead (test)',
        },
      ],
    });

    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });

    const overdue = mailer.sent.find((email) => email.key.endsWith(':EscalateMissingDecision:1'))?.message;
    expect(overdue?.to.sort()).toEqual(
      ['health-delegate@example.org', 'health-lead@example.org', 'la-lead@example.org'].sort(),
    );
    expect(overdue?.text).toContain(
      `- the safeguarding partners' sign-off of the decision:\n  ${PUBLIC_BASE_URL}/cases/${record.caseId}/sign-off\n`,
    );
  });

  it('tells the Panel only once, and escalates once per wait, however often it runs, counting each once', async () => {
    const { service, cases, mailer, record } = await aLateCase();
    const output = captureOutput();

    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });
    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });
    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 2 });

    expect(mailer.sent.map((email) => email.key)).toEqual([
      `${record.caseId}:LateNotice`,
      `${record.caseId}:EscalateMissingDecision:1`,
      `${record.caseId}:EscalateMissingDecision:2`,
    ]);
    expect(
      cases.auditOf(record.caseId).filter((event) => event.action === 'decision.escalated'),
    ).toHaveLength(2);
    expect(output.publishedCounts()).toEqual({ PanelEmailsSent: 1, Escalations: 2 });
  });

  it('says beside the missed date that the 15 working days are the Panel’s expectation, not a statute', async () => {
    const { service, mailer, record } = await aLateCase();

    await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });

    const text = mailer.to('rrg-chair@example.org')[0]?.text ?? '';
    expect(text).toContain(
      "The 15 working days are the Panel's expectation, not a statute. Days 1 to 15 are the partnership's own plan for meeting it.",
    );
    expect(text).not.toMatch(/statutory/i);
  });

  it('chases nobody when the submission became ready as the wait ran out', async () => {
    const { service, cases, mailer, record } = await aLateCase({
      status: 'decided',
      decision: sampleDecision,
      signOffResolution: {
        outcome: 'decision-stands',
        reasons: 'Invented reasons (test).',
        resolvedAt: '2026-03-24T16:00:00.000Z',
        resolvedBy: 'user-board',
        resolvedByName: 'Board Chair (test)',
      },
    });
    await cases.completeReport(
      { caseId: record.caseId, completedAt: '2026-03-24T16:30:00.000Z', completedBy: 'user-team' },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-24T16:30:00.000Z',
        action: 'report.completed',
        reason: 'r',
      },
    );

    const result = await escalateMissingDecision(service, { caseId: record.caseId, attempt: 1 });

    expect(result.outcome).toBe('ready');
    expect(mailer.sent).toEqual([]);
  });
});
