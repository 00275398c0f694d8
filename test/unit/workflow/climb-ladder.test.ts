import { describe, expect, it } from 'vitest';
import { LinkNotUsableError, resolveLink } from '../../../shared/use-cases/agency-request.ts';
import { climbLadder } from '../../../shared/use-cases/climb-ladder.ts';
import { requestAgencySummaries } from '../../../shared/use-cases/request-agency-summaries.ts';
import { resendAgencyLink } from '../../../shared/use-cases/steer-agencies.ts';
import { formalRequestParagraphs } from '../../../shared/workflow/formal-request.ts';
import { captureOutput } from '../../support/log-lines.ts';
import { pdfText } from './pdf-text.ts';
import {
  childNames,
  fakeService,
  openSampleCase,
  PUBLIC_BASE_URL,
  requestAll,
  setAgency,
} from './workflow-fakes.ts';

/**
 * The sample case is received Wednesday 4 March 2026: with the default ladder the reminder is at
 * 9am on Day 7 (Thursday 12 March), and the strategic lead copied and the formal request at the
 * Day 10 deadline, 5pm on Tuesday 17 March.
 */
const REMINDER_AT = '2026-03-12T09:00:00Z';
const DEADLINE = '2026-03-17T17:00:00Z';

async function aCase(now: string) {
  const fakes = fakeService(now);
  const record = await openSampleCase(fakes.cases, { changes: { status: 'awaiting-summaries' } });
  await requestAll(fakes.cases, record.caseId);
  return { ...fakes, record };
}

describe('climb-ladder: the reminder rung', () => {
  async function aCaseWithPoliceReturned() {
    const fakes = await aCase('2026-03-12T09:00:02Z');
    await setAgency(fakes.cases, fakes.record.caseId, 'police', {
      status: 'received',
      receivedAt: '2026-03-10T11:00:00Z',
    });
    return fakes;
  }

  it('reminds each agency that has not returned, marks it reminded, and says the next rung is the deadline', async () => {
    const { service, cases, mailer, record } = await aCaseWithPoliceReturned();

    const result = await climbLadder(service, { caseId: record.caseId });

    expect(result).toEqual({ nextRungAt: DEADLINE, more: true });
    expect(mailer.sent.map((email) => email.message.to[0]).sort()).toEqual([
      'spoc.education@example.org',
      'spoc.health@example.org',
      'spoc.social-care@example.org',
    ]);
    const health = mailer.to('spoc.health@example.org')[0]!;
    expect(health.subject).toContain('reminder');
    expect(health.text).toContain('due by 5pm on Tuesday 17 March 2026');
    const file = await cases.getCaseFile(record.caseId);
    expect(file.agencies.map((agency) => [agency.agencyId, agency.status, agency.ladder])).toEqual([
      ['childrens-social-care', 'reminded', [{ kind: 'reminder', at: '2026-03-12T09:00:02.000Z' }]],
      ['education', 'reminded', [{ kind: 'reminder', at: '2026-03-12T09:00:02.000Z' }]],
      ['health', 'reminded', [{ kind: 'reminder', at: '2026-03-12T09:00:02.000Z' }]],
      ['police', 'received', undefined],
    ]);
    expect(file.audit.filter((event) => event.action === 'agency.reminded')).toHaveLength(3);
  });

  it('on a second run climbs nothing again, counting each agency chased as one escalation, once', async () => {
    const { service, cases, mailer, record } = await aCaseWithPoliceReturned();
    const output = captureOutput();
    await climbLadder(service, { caseId: record.caseId });

    await climbLadder(service, { caseId: record.caseId });

    expect(output.publishedCounts()).toEqual({ Escalations: 3 });

    expect(mailer.sent).toHaveLength(3);
    expect(cases.auditOf(record.caseId).filter((event) => event.action === 'agency.reminded')).toHaveLength(
      3,
    );
  });

  it('before the first rung, climbs nothing and waits for it', async () => {
    const { service, mailer, record } = await aCase('2026-03-11T16:00:00Z');

    expect(await climbLadder(service, { caseId: record.caseId })).toEqual({
      nextRungAt: REMINDER_AT,
      more: true,
    });
    expect(mailer.sent).toEqual([]);
  });
});

describe('climb-ladder: the Day 10 deadline (the strategic lead copied, then the formal request)', () => {
  async function aCaseWithTwoReturned() {
    const fakes = await aCase('2026-03-17T17:00:03Z');
    const { cases, record } = fakes;
    await setAgency(cases, record.caseId, 'health', {
      status: 'received',
      receivedAt: '2026-03-16T09:30:00Z',
    });
    await setAgency(cases, record.caseId, 'education', {
      status: 'received',
      receivedAt: '2026-03-13T15:00:00Z',
    });
    await setAgency(cases, record.caseId, 'police', {
      status: 'reminded',
      remindedAt: '2026-03-12T09:00:02Z',
      ladder: [{ kind: 'reminder', at: '2026-03-12T09:00:02Z' }],
    });
    return fakes;
  }

  it('escalates each missing agency to its contact, copying its strategic lead (by name, the older form) and the team', async () => {
    const { service, mailer, record } = await aCaseWithTwoReturned();

    const result = await climbLadder(service, { caseId: record.caseId });

    expect(result).toEqual({ nextRungAt: DEADLINE, more: false });
    const overdue = mailer.sent.filter((email) => email.key.includes(':CheckReturns:'));
    expect(overdue.map((email) => email.key.split(':').at(-1)).sort()).toEqual([
      'childrens-social-care',
      'police',
    ]);
    const police = overdue.find((email) => email.key.endsWith(':police'))!.message;
    expect(police.to).toEqual(['spoc.police@example.org']);
    expect(police.cc).toEqual(['police-lead@example.org', 'partnership-team@example.org']);
    expect(police.text).toContain('was due by 5pm on Tuesday 17 March 2026');
    const socialCare = overdue.find((email) => email.key.endsWith(':childrens-social-care'))!.message;
    expect(socialCare.cc).toEqual(['partnership-team@example.org']);
  });

  it('copies the partnership directory’s strategic lead, found by the agency’s id, before the profile’s', async () => {
    const { service, cases, mailer, record } = await aCaseWithTwoReturned();
    // The directory's Police lead replaces the profile's; social care, which the profile gives no
    // lead, gets the directory's. An entry named like an agency but with another id is not used.
    await cases.startDirectory([]);
    const at = '2026-03-01T09:00:00Z';
    await cases.putDirectoryEntry({
      agencyId: 'police',
      name: 'Exampleshire Police (demo)',
      strategicLead: { name: 'Directory Police Lead (demo)', email: 'directory.police-lead@example.org' },
      updatedAt: at,
    });
    await cases.putDirectoryEntry({
      agencyId: 'social-care-by-another-id',
      name: "Children's Social Care",
      strategicLead: { name: 'Wrong Lead (demo)', email: 'wrong.lead@example.org' },
      updatedAt: at,
    });

    await climbLadder(service, { caseId: record.caseId });

    const overdue = mailer.sent.filter((email) => email.key.includes(':CheckReturns:'));
    const police = overdue.find((email) => email.key.endsWith(':police'))!.message;
    expect(police.cc).toEqual(['directory.police-lead@example.org', 'partnership-team@example.org']);
    const socialCare = overdue.find((email) => email.key.endsWith(':childrens-social-care'))!.message;
    expect(socialCare.cc).toEqual(['partnership-team@example.org']);
  });

  it('sends each missing agency the formal request, filed with the case, and tells the Rapid Review Group once', async () => {
    const { service, mailer, documents, record } = await aCaseWithTwoReturned();

    await climbLadder(service, { caseId: record.caseId });

    const formal = mailer.sent.filter((email) => email.key.includes(':FormalRequest:'));
    expect(formal.map((email) => email.key.replace(`${record.caseId}:FormalRequest:`, '')).sort()).toEqual([
      'RapidReviewGroup',
      'childrens-social-care',
      'police',
    ]);
    const police = formal.find((email) => email.key.endsWith(':police'))!.message;
    expect(police.to).toEqual(['police-lead@example.org']);
    expect(police.cc).toEqual(['spoc.police@example.org', 'partnership-team@example.org']);
    const letter = await pdfText(police.attachments![0]!.content);
    expect(letter).toContain('Dear Police Strategic Lead (test),');
    expect(letter).toContain('Section 16H of the Children Act 2004');
    expect(letter).toContain(record.reference);
    expect(letter).toContain(record.panelReference);
    expect(letter).toContain('5pm on Tuesday 17 March 2026');
    const stored = await documents.getBytes(`cases/${record.caseId}/formal-requests/police.pdf`);
    expect(stored).toEqual(police.attachments![0]!.content);
    // No strategic lead known for social care: the letter goes to the contact, to pass on.
    const socialCare = formal.find((email) => email.key.endsWith(':childrens-social-care'))!.message;
    expect(socialCare.to).toEqual(['spoc.social-care@example.org']);
    const group = formal.find((email) => email.key.endsWith(':RapidReviewGroup'))!.message;
    expect(group.to).toEqual([
      'rrg-chair@example.org',
      'rrg-member-one@example.org',
      'rrg-member-two@example.org',
    ]);
    expect(group.text).toContain("- Children's Social Care\n- Police");
  });

  it('marks each rung climbed with an audit event, and on a second run sends and marks nothing again', async () => {
    const { service, cases, mailer, record } = await aCaseWithTwoReturned();
    await climbLadder(service, { caseId: record.caseId });
    const sent = mailer.sent.length;

    await climbLadder(service, { caseId: record.caseId });

    expect(mailer.sent).toHaveLength(sent);
    const file = await cases.getCaseFile(record.caseId);
    const police = file.agencies.find((agency) => agency.agencyId === 'police')!;
    expect(police.status).toBe('escalated');
    expect(police.ladder?.map((rung) => rung.kind)).toEqual(['reminder', 'lead-copied', 'formal-request']);
    expect(police.formalRequestKey).toBe(`cases/${record.caseId}/formal-requests/police.pdf`);
    const actions = file.audit
      .filter((event) => event.eventId.endsWith(':police'))
      .map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['agency.escalated', 'agency.formal-request-sent']));
    expect(file.audit.filter((event) => event.action === 'agency.formal-request-sent')).toHaveLength(2);
  });

  it('climbs a rung missed while the workflow was away, and those after it, in order', async () => {
    const { service, cases, record } = await aCase('2026-03-17T17:00:03Z');

    await climbLadder(service, { caseId: record.caseId });

    const file = await cases.getCaseFile(record.caseId);
    expect(file.agencies[0]?.ladder?.map((rung) => rung.kind)).toEqual([
      'reminder',
      'lead-copied',
      'formal-request',
    ]);
  });

  it('names no child in any email or letter', async () => {
    const { service, mailer, record } = await aCaseWithTwoReturned();

    await climbLadder(service, { caseId: record.caseId });

    for (const { message } of mailer.sent) {
      const letter = message.attachments?.[0] ? await pdfText(message.attachments[0].content) : '';
      for (const name of childNames()) {
        expect(`${message.subject}\n${message.text}\n${letter}`).not.toContain(name);
      }
    }
  });

  it("the letter's text cites the safeguarding partners' power plainly and names the child nowhere", async () => {
    const { cases, record } = await aCaseWithTwoReturned();
    const { agencies } = await cases.getCaseFile(record.caseId);
    const police = agencies.find((agency) => agency.agencyId === 'police')!;

    const text = formalRequestParagraphs(
      record,
      police,
      { name: 'Police Strategic Lead (test)' },
      { partnershipName: 'Exampleshire (test)', timeZone: 'Europe/London', now: new Date(DEADLINE) },
    ).join('\n');

    expect(text).toContain('require a person or body to supply information');
    expect(text).toContain('for the purpose of enabling or assisting the performance of their functions');
    expect(text).toContain('It was due by 5pm on Tuesday 17 March 2026');
    expect(text).toContain('by 9am on Wednesday 18 March 2026, when the summaries are collated');
    for (const name of childNames()) expect(text).not.toContain(name);
  });
});

describe("climb-ladder: every chasing email carries the agency's own link", () => {
  const linkIn = (text: string) =>
    new RegExp(`${PUBLIC_BASE_URL}/agency/([A-Za-z0-9_-]{43})`).exec(text)?.[1] as string;
  const team = { id: 'user-team-test', roles: ['partnership-team'], name: 'Team Member (test)' } as const;

  /** A case whose agencies were asked on Day 1 by the workflow itself, their links in the request emails. */
  async function aRequestedCase() {
    const fakes = fakeService('2026-03-04T10:00:05Z');
    const record = await openSampleCase(fakes.cases);
    await requestAgencySummaries(fakes.service, { caseId: record.caseId });
    return { ...fakes, record };
  }

  /** Whether a link works, as the agency's page judges it. */
  async function works(service: ReturnType<typeof fakeService>['service'], token: string): Promise<boolean> {
    try {
      await resolveLink(service, token, 'without-audit');
      return true;
    } catch (error) {
      if (error instanceof LinkNotUsableError) return false;
      throw error;
    }
  }

  it('the reminder, the escalation and the formal request each link the agency, and the request’s link keeps working', async () => {
    const { service, mailer, clock, record } = await aRequestedCase();
    const requestLink = linkIn(
      mailer.sent.find((email) => email.key.endsWith(':RequestAgencySummaries:police'))!.message.text,
    );

    clock.set('2026-03-12T09:00:02Z');
    await climbLadder(service, { caseId: record.caseId });
    clock.set('2026-03-17T17:00:03Z');
    await climbLadder(service, { caseId: record.caseId });

    const chasing = ['ChaseMissingSummaries', 'CheckReturns', 'FormalRequest'].map(
      (step) => mailer.sent.find((email) => email.key === `${record.caseId}:${step}:police`)!.message,
    );
    for (const email of chasing) {
      const token = linkIn(email.text);
      expect(token, email.subject).toBeDefined();
      expect(await works(service, token)).toBe(true);
      expect((await resolveLink(service, token, 'without-audit')).agency.agencyId).toBe('police');
      expect(email.text).toContain(
        'It works until 9am on Wednesday 18 March 2026, when the summaries are collated',
      );
      expect(email.replyTo).toEqual(['partnership-team@example.org']);
    }
    expect(new Set(chasing.map((email) => linkIn(email.text))).size).toBe(3);
    expect(await works(service, requestLink)).toBe(true);
    // The group's email links the case page (signed in), never an agency's link.
    const group = mailer.sent.find((email) => email.key.endsWith(':FormalRequest:RapidReviewGroup'))!.message;
    expect(group.text).toContain(`${PUBLIC_BASE_URL}/cases/${record.caseId}`);
    expect(group.text).not.toContain('/agency/');
  });

  it('a chasing link stops with the link it was sent beside, when the partnership team resends the link', async () => {
    const { service, mailer, clock, record } = await aRequestedCase();
    clock.set('2026-03-12T09:00:02Z');
    await climbLadder(service, { caseId: record.caseId });
    const reminderLink = linkIn(mailer.to('spoc.police@example.org').at(-1)!.text);

    clock.set('2026-03-13T10:00:00Z');
    await resendAgencyLink(service, {
      caseId: record.caseId,
      agencyId: 'police',
      answer: { reason: 'The contact lost the email (invented)' },
      member: team,
    });
    const resentLink = linkIn(mailer.to('spoc.police@example.org').at(-1)!.text);
    clock.set('2026-03-17T17:00:03Z');
    await climbLadder(service, { caseId: record.caseId });
    const escalation = mailer.sent.find(
      (email) => email.key === `${record.caseId}:CheckReturns:police`,
    )!.message;
    const escalationLink = linkIn(escalation.text);

    expect(await works(service, reminderLink)).toBe(false);
    expect(await works(service, resentLink)).toBe(true);
    expect(await works(service, escalationLink)).toBe(true);
    // An upload form opened from the chasing link records the link it stands by: the resent one.
    const police = (await service.cases.getCaseWithAgencies(record.caseId)).agencies.find(
      (agency) => agency.agencyId === 'police',
    )!;
    expect((await resolveLink(service, escalationLink, 'without-audit')).linkTokenHash).toBe(
      police.linkTokenHash,
    );

    await resendAgencyLink(service, {
      caseId: record.caseId,
      agencyId: 'police',
      answer: { reason: 'Sent again (invented)' },
      member: team,
    });

    expect(await works(service, resentLink)).toBe(false);
    expect(await works(service, escalationLink)).toBe(false);
  });
});
