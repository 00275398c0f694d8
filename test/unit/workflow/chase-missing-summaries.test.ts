import { describe, expect, it } from 'vitest';
import { chaseMissingSummaries } from '../../../shared/use-cases/chase-missing-summaries.ts';
import { childNames, fakeService, openSampleCase, requestAll, setAgency } from './workflow-fakes.ts';

describe('chase-missing-summaries (reminder day)', () => {
  async function aCaseWithPoliceReturned() {
    const fakes = fakeService('2026-03-12T09:00:02Z');
    const record = await openSampleCase(fakes.cases, { changes: { status: 'awaiting-summaries' } });
    await requestAll(fakes.cases, record.caseId);
    await setAgency(fakes.cases, record.caseId, 'police', {
      status: 'received',
      receivedAt: '2026-03-10T11:00:00Z',
    });
    return { ...fakes, record };
  }

  it('reminds each agency that has not returned, and marks it reminded', async () => {
    const { service, cases, mailer, record } = await aCaseWithPoliceReturned();

    const result = await chaseMissingSummaries(service, { caseId: record.caseId });

    expect(result.remindedAgencyIds.sort()).toEqual(['childrens-social-care', 'education', 'health']);
    expect(mailer.sent.map((email) => email.message.to[0]).sort()).toEqual([
      'spoc.education@example.org',
      'spoc.health@example.org',
      'spoc.social-care@example.org',
    ]);
    const health = mailer.to('spoc.health@example.org')[0]!;
    expect(health.subject).toContain('reminder');
    expect(health.text).toContain('due by 5pm on Tuesday 17 March 2026');
    const file = await cases.getCaseFile(record.caseId);
    expect(file.agencies.map((agency) => [agency.agencyId, agency.status, agency.remindedAt])).toEqual([
      ['childrens-social-care', 'reminded', '2026-03-12T09:00:02.000Z'],
      ['education', 'reminded', '2026-03-12T09:00:02.000Z'],
      ['health', 'reminded', '2026-03-12T09:00:02.000Z'],
      ['police', 'received', undefined],
    ]);
    expect(file.audit.filter((event) => event.action === 'agency.reminded')).toHaveLength(3);
  });

  it('on a second run reminds nobody again', async () => {
    const { service, cases, mailer, record } = await aCaseWithPoliceReturned();
    await chaseMissingSummaries(service, { caseId: record.caseId });

    const second = await chaseMissingSummaries(service, { caseId: record.caseId });

    expect(second.remindedAgencyIds).toEqual([]);
    expect(mailer.sent).toHaveLength(3);
    expect(cases.auditOf(record.caseId).filter((event) => event.action === 'agency.reminded')).toHaveLength(
      3,
    );
  });

  it('names no child in a reminder', async () => {
    const { service, mailer, record } = await aCaseWithPoliceReturned();

    await chaseMissingSummaries(service, { caseId: record.caseId });

    for (const { message } of mailer.sent) {
      for (const name of childNames()) expect(`${message.subject}\n${message.text}`).not.toContain(name);
    }
  });
});
