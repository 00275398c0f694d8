import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { hashAgencyToken } from '../../../shared/agency-links.ts';
import { requestAgencySummaries } from '../../../shared/use-cases/request-agency-summaries.ts';
import {
  childNames,
  fakeService,
  openSampleCase,
  PUBLIC_BASE_URL,
  type RecordingMailer,
  testProfile,
} from './workflow-fakes.ts';

const linkPattern = new RegExp(`${PUBLIC_BASE_URL}/agency/([A-Za-z0-9_-]{43})`);

/** The requests to the agencies, without the partnership team's "case opened" email. */
const agencyEmails = (mailer: RecordingMailer) =>
  mailer.sent.filter((email) => email.key.includes(':RequestAgencySummaries:'));

describe('request-agency-summaries (Day 1)', () => {
  it('emails each agency SPOC a request with its own link, due time and what to return', async () => {
    const { service, cases, mailer } = fakeService();
    const record = await openSampleCase(cases);

    await requestAgencySummaries(service, { caseId: record.caseId });

    expect(mailer.sent.map((email) => email.message.to)).toEqual(
      expect.arrayContaining([
        ['spoc.social-care@example.org'],
        ['spoc.police@example.org'],
        ['spoc.health@example.org'],
        ['spoc.education@example.org'],
      ]),
    );
    expect(agencyEmails(mailer)).toHaveLength(4);
    const [police] = mailer.to('spoc.police@example.org');
    expect(police?.subject).toBe(`${record.reference}: summary requested from Police`);
    expect(police?.replyTo).toEqual([testProfile.partnershipTeamAddress]);
    expect(police?.text).toContain('Initial Scoping and Information Sharing template');
    expect(police?.text).toContain('5pm on Tuesday 17 March 2026');
    expect(police?.text).toMatch(linkPattern);
    expect(police?.cc).toBeUndefined();
  });

  it('tells the partnership team once that the case opened: its reference, incident, dates and link, no child', async () => {
    const { service, cases, mailer } = fakeService();
    const record = await openSampleCase(cases);

    await requestAgencySummaries(service, { caseId: record.caseId });
    await requestAgencySummaries(service, { caseId: record.caseId });

    const told = mailer.to(testProfile.partnershipTeamAddress);
    expect(told).toHaveLength(1);
    expect(mailer.sent.find((email) => email.message === told[0])?.key).toBe(
      `${record.caseId}:CaseOpened:partnership-team`,
    );
    expect(told[0]?.subject).toBe(
      `${record.reference}: new case: serious harm, from ${record.notifyingLocalAuthority}`,
    );
    expect(told[0]?.text).toContain(`opened Rapid Review ${record.reference}`);
    expect(told[0]?.text).toContain('Incident: Serious harm');
    expect(told[0]?.text).toContain('Received: ');
    expect(told[0]?.text).toMatch(/review works to/);
    expect(told[0]?.text).toContain(`${PUBLIC_BASE_URL}/cases/${record.caseId}`);
    for (const name of childNames()) expect(`${told[0]?.subject}\n${told[0]?.text}`).not.toContain(name);
  });

  it('stores each link hashed, bound to its case and agency, expiring when collation starts', async () => {
    const { service, cases, mailer } = fakeService();
    const record = await openSampleCase(cases);

    await requestAgencySummaries(service, { caseId: record.caseId });

    const links = cases.linksOf(record.caseId);
    expect(links).toHaveLength(4);
    for (const { key, message } of agencyEmails(mailer)) {
      const token = linkPattern.exec(message.text)?.[1];
      const agencyId = key.split(':').at(-1);
      expect(await cases.findAgencyLink(hashAgencyToken(token!))).toEqual({
        tokenHash: hashAgencyToken(token!),
        caseId: record.caseId,
        agencyId,
        expiresAt: '2026-03-18T09:00:00Z',
      });
    }
  });

  it('marks every agency requested and the case awaiting summaries, with audit events', async () => {
    const { service, cases, clock } = fakeService();
    const record = await openSampleCase(cases);
    clock.set('2026-03-04T10:00:05Z');

    await requestAgencySummaries(service, { caseId: record.caseId });

    const file = await cases.getCaseFile(record.caseId);
    expect(file.case.status).toBe('awaiting-summaries');
    expect(file.agencies.map((agency) => [agency.status, agency.requestedAt])).toEqual(
      Array(4).fill(['requested', '2026-03-04T10:00:05.000Z']),
    );
    expect(file.audit.map((event) => event.action).sort()).toEqual(
      ['case.opened', ...Array(4).fill('agency.summary-requested'), 'summaries.requested'].sort(),
    );
  });

  it('on a second run sends no email and mints no token', async () => {
    const { service, cases, mailer } = fakeService();
    const record = await openSampleCase(cases);
    await requestAgencySummaries(service, { caseId: record.caseId });
    const auditBefore = cases.auditOf(record.caseId).length;

    const second = await requestAgencySummaries(service, { caseId: record.caseId });

    expect(second.requestedAgencyIds).toEqual([]);
    expect(mailer.sent).toHaveLength(5);
    expect(cases.linksOf(record.caseId)).toHaveLength(4);
    expect(cases.auditOf(record.caseId)).toHaveLength(auditBefore);
  });

  it('after a run that stopped part-way, asks only the agencies not yet asked', async () => {
    const { service, cases, mailer } = fakeService();
    const record = await openSampleCase(cases);
    const { agencies } = await cases.getCaseFile(record.caseId);
    const police = agencies.find((agency) => agency.agencyId === 'police')!;
    cases.overwriteAgencyRequest({ ...police, status: 'requested', requestedAt: '2026-03-04T10:00:01Z' });

    const result = await requestAgencySummaries(service, { caseId: record.caseId });

    expect(result.requestedAgencyIds.sort()).toEqual(['childrens-social-care', 'education', 'health']);
    expect(mailer.to('spoc.police@example.org')).toEqual([]);
    expect((await cases.getCase(record.caseId))?.status).toBe('awaiting-summaries');
  });

  it('names no child in any request', async () => {
    const notification = sampleNotification({
      children: [
        {
          name: 'Invented Child Alpha',
          ageYears: 4,
          sex: 'female',
          ethnicity: 'Not recorded (test)',
          lookedAfter: false,
        },
        {
          name: 'Invented Child Beta',
          ageYears: 9,
          sex: 'male',
          ethnicity: 'Not recorded (test)',
          lookedAfter: true,
        },
      ],
    });
    const { service, cases, mailer } = fakeService();
    const record = await openSampleCase(cases, { notification });

    await requestAgencySummaries(service, { caseId: record.caseId });

    const names = [...childNames(notification), ...childNames()];
    for (const { message } of mailer.sent) {
      for (const name of names) {
        expect(message.subject).not.toContain(name);
        expect(message.text).not.toContain(name);
      }
    }
  });

  it('for a child death, says the CDOP Form A or B may serve', async () => {
    const base = sampleNotification();
    const notification = sampleNotification({ incident: { ...base.incident, kind: 'death' } });
    const { service, cases, mailer } = fakeService();
    const record = await openSampleCase(cases, { notification });

    await requestAgencySummaries(service, { caseId: record.caseId });

    expect(mailer.to('spoc.health@example.org')[0]?.text).toContain('CDOP Form A or B may serve');
  });
});
