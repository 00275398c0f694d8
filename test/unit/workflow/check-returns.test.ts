import { describe, expect, it } from 'vitest';
import { checkReturns } from '../../../shared/use-cases/check-returns.ts';
import { childNames, fakeService, openSampleCase, requestAll, setAgency } from './workflow-fakes.ts';

describe('check-returns (Day 10 deadline)', () => {
  async function aCaseWithTwoReturned() {
    const fakes = fakeService('2026-03-17T17:00:03Z');
    const record = await openSampleCase(fakes.cases, { changes: { status: 'awaiting-summaries' } });
    await requestAll(fakes.cases, record.caseId);
    await setAgency(fakes.cases, record.caseId, 'health', {
      status: 'received',
      receivedAt: '2026-03-16T09:30:00Z',
    });
    await setAgency(fakes.cases, record.caseId, 'education', {
      status: 'received',
      receivedAt: '2026-03-13T15:00:00Z',
    });
    await setAgency(fakes.cases, record.caseId, 'police', {
      status: 'reminded',
      remindedAt: '2026-03-12T09:00:02Z',
    });
    return { ...fakes, record };
  }

  it('escalates each missing agency to its SPOC, copying its strategic lead when known and the partnership team', async () => {
    const { service, mailer, record } = await aCaseWithTwoReturned();

    const result = await checkReturns(service, { caseId: record.caseId });

    expect(result.escalatedAgencyIds.sort()).toEqual(['childrens-social-care', 'police']);
    expect(mailer.sent).toHaveLength(2);
    const [police] = mailer.to('spoc.police@example.org');
    expect(police?.cc).toEqual(['police-lead@example.org', 'partnership-team@example.org']);
    expect(police?.text).toContain('Police Strategic Lead (test)');
    expect(police?.text).toContain('was due by 5pm on Tuesday 17 March 2026');
    const [socialCare] = mailer.to('spoc.social-care@example.org');
    expect(socialCare?.cc).toEqual(['partnership-team@example.org']);
    expect(socialCare?.subject).toContain('overdue');
  });

  it('marks the missing agencies escalated with the time and an audit event that says why', async () => {
    const { service, cases, record } = await aCaseWithTwoReturned();

    await checkReturns(service, { caseId: record.caseId });

    const file = await cases.getCaseFile(record.caseId);
    expect(file.agencies.map((agency) => [agency.agencyId, agency.status, agency.escalatedAt])).toEqual([
      ['childrens-social-care', 'escalated', '2026-03-17T17:00:03.000Z'],
      ['education', 'received', undefined],
      ['health', 'received', undefined],
      ['police', 'escalated', '2026-03-17T17:00:03.000Z'],
    ]);
    const police = file.audit.find((event) => event.eventId === `${record.caseId}:CheckReturns:police`);
    expect(police).toMatchObject({ action: 'agency.escalated', actor: { kind: 'system' } });
    expect(police?.reason).toBe(
      'No summary from Police by the Day 10 deadline, 5pm on Tuesday 17 March 2026; escalated to the agency and its strategic safeguarding lead and the partnership team',
    );
    expect(police?.details).toMatchObject({ agencyId: 'police', strategicLeadCopied: true });
  });

  it('on a second run escalates nobody again', async () => {
    const { service, cases, mailer, record } = await aCaseWithTwoReturned();
    await checkReturns(service, { caseId: record.caseId });

    const second = await checkReturns(service, { caseId: record.caseId });

    expect(second.escalatedAgencyIds).toEqual([]);
    expect(mailer.sent).toHaveLength(2);
    expect(cases.auditOf(record.caseId).filter((event) => event.action === 'agency.escalated')).toHaveLength(
      2,
    );
  });

  it('names no child in an escalation', async () => {
    const { service, mailer, record } = await aCaseWithTwoReturned();

    await checkReturns(service, { caseId: record.caseId });

    for (const { message } of mailer.sent) {
      for (const name of childNames()) expect(`${message.subject}\n${message.text}`).not.toContain(name);
    }
  });
});
