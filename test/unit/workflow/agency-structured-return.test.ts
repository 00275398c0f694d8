import { describe, expect, it } from 'vitest';
import { mintAgencyToken } from '../../../shared/agency-links.ts';
import { InvalidInputError } from '../../../shared/errors.ts';
import type { StructuredReturn } from '../../../shared/schemas/agency-return.ts';
import { LinkNotUsableError } from '../../../shared/use-cases/agency-request.ts';
import {
  ReturnsClosedError,
  saveAgencyReturnDraft,
  showAgencyReturn,
  submitAgencyReturn,
} from '../../../shared/use-cases/agency-structured-return.ts';
import { climbLadder } from '../../../shared/use-cases/climb-ladder.ts';
import { captureOutput } from '../../support/log-lines.ts';
import { childNames, fakeService, openSampleCase, requestAll, setAgency } from './workflow-fakes.ts';

/** An involvement return, invented. */
const involvement: StructuredReturn = {
  kind: 'involvement',
  involvedFrom: '2025-09-01',
  rolesInvolved: 'Response officer; public protection unit detective sergeant',
  summary: 'Two call-outs to the family home (test).',
  episodes: [
    {
      date: '2025-10-02',
      whatHappened: 'A neighbour reported shouting (test).',
      decidedAndWhy: 'Officers attended; no further action as nobody was hurt (test).',
    },
  ],
  immediateActions: 'A review of open domestic abuse referrals (test).',
  earlyLearning: 'Voice of the child not recorded (test).',
};

const noInvolvement: StructuredReturn = { kind: 'no-involvement', confirmed: true };

async function aRequestedCase(now = '2026-03-09T11:00:00Z') {
  const fakes = fakeService(now);
  const record = await openSampleCase(fakes.cases, { changes: { status: 'awaiting-summaries' } });
  await requestAll(fakes.cases, record.caseId);
  const links: Record<string, string> = {};
  for (const agencyId of ['police', 'health']) {
    const { token, tokenHash } = mintAgencyToken();
    await fakes.cases.putAgencyLinks([
      { tokenHash, caseId: record.caseId, agencyId, expiresAt: '2026-03-18T09:00:00.000Z' },
    ]);
    links[agencyId] = token;
  }
  const agency = async (agencyId: string) =>
    (await fakes.cases.getCaseFile(record.caseId)).agencies.find((found) => found.agencyId === agencyId)!;
  const audit = async () => (await fakes.cases.getCaseFile(record.caseId)).audit;
  return { ...fakes, record, links, agency, audit };
}

describe('an agency’s structured return through its link', () => {
  it('records no involvement as a return: received, on time, version 1, audited without answers', async () => {
    const { service, links, agency, audit } = await aRequestedCase();

    const result = await submitAgencyReturn(service, { token: links.health, answers: noInvolvement });

    expect(result).toMatchObject({
      version: 1,
      kind: 'no-involvement',
      receivedAt: '2026-03-09T11:00:00.000Z',
    });
    const health = await agency('health');
    expect(health).toMatchObject({ status: 'received', late: false, receivedAt: '2026-03-09T11:00:00.000Z' });
    expect(health.returns).toEqual([
      { version: 1, submittedAt: '2026-03-09T11:00:00.000Z', by: 'agency', answers: noInvolvement },
    ]);
    const event = (await audit()).find((found) => found.action === 'return.received');
    expect(event?.actor).toEqual({ kind: 'agency', agencyId: 'health' });
    expect(event?.details).toEqual({ agencyId: 'health', kind: 'no-involvement', version: 1, late: false });
  });

  it('keeps every version: a correction is version 2 and the first stays as it was, received once', async () => {
    const { service, clock, links, agency, audit } = await aRequestedCase();
    const output = captureOutput();
    await submitAgencyReturn(service, { token: links.police, answers: involvement });
    clock.set('2026-03-10T09:30:00Z');
    const corrected = { ...involvement, summary: 'Three call-outs to the family home (test).' };

    const result = await submitAgencyReturn(service, { token: links.police, answers: corrected });

    expect(result.version).toBe(2);
    const police = await agency('police');
    expect(police.returns?.map((entry) => [entry.version, entry.answers])).toEqual([
      [1, involvement],
      [2, corrected],
    ]);
    // Received when the first version came.
    expect(police.receivedAt).toBe('2026-03-09T11:00:00.000Z');
    const actions = (await audit()).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['return.received', 'return.corrected']));
    const trail = JSON.stringify(await audit());
    expect(trail).not.toContain('call-outs');
    expect(output.publishedCounts()).toEqual({ 'ReturnsReceived[OnTime]': 1 });
  });

  it('marks a return after the Day 10 deadline late, and tells the partnership team once, not of its corrections', async () => {
    const { service, mailer, record, links, agency, audit } = await aRequestedCase('2026-03-17T17:00:01Z');

    const output = captureOutput();
    const result = await submitAgencyReturn(service, { token: links.police, answers: involvement });
    await submitAgencyReturn(service, { token: links.police, answers: involvement });

    expect(output.publishedCounts()).toEqual({ 'ReturnsReceived[Late]': 1 });
    expect(result.late).toBe(true);
    expect(await agency('police')).toMatchObject({ status: 'received', late: true });
    expect((await audit()).map((event) => event.action)).toContain('return.received-late');
    const told = mailer.sent.filter((email) => email.message.to.includes('partnership-team@example.org'));
    expect(told.map((email) => email.key)).toEqual([`${record.caseId}:LateReturn:police`]);
    expect(told[0]?.message.subject).toBe(`${record.reference}: late return from Police`);
    for (const name of childNames()) expect(told[0]?.message.text).not.toContain(name);
  });

  it('tells the partnership team nothing of a return on time', async () => {
    const { service, mailer, links } = await aRequestedCase();

    await submitAgencyReturn(service, { token: links.police, answers: involvement });

    expect(mailer.to('partnership-team@example.org')).toEqual([]);
  });

  it('names the latest accepted upload with the version when there is one', async () => {
    const { service, cases, record, links, agency } = await aRequestedCase();
    await setAgency(cases, record.caseId, 'police', {
      status: 'received',
      receivedAt: '2026-03-06T09:00:00Z',
      documentKey: `cases/${record.caseId}/agency-returns/police/upload-1.pdf`,
    });

    await submitAgencyReturn(service, { token: links.police, answers: involvement });

    const police = await agency('police');
    expect(police.returns?.[0]?.documentKey).toBe(police.documentKey);
    expect(police.receivedAt).toBe('2026-03-06T09:00:00Z');
  });

  it('sends the SPOC one receipt per version, naming no child, with when it can be corrected until', async () => {
    const { service, mailer, links } = await aRequestedCase();

    await submitAgencyReturn(service, { token: links.police, answers: involvement });
    await submitAgencyReturn(service, { token: links.police, answers: involvement });

    expect(mailer.sent.map((email) => email.key.split(':').slice(1).join(':'))).toEqual([
      'AgencyReturnReceipt:police:v1',
      'AgencyReturnReceipt:police:v2',
    ]);
    const [first, second] = mailer.to('spoc.police@example.org');
    expect(first?.subject).toContain('return received from Police');
    expect(first?.replyTo).toEqual(['partnership-team@example.org']);
    expect(first?.text).toContain('at 11am on Monday 9 March 2026 (version 1)');
    expect(first?.text).toContain('1 key practice episode.');
    expect(first?.text).toMatch(
      /You can correct it through the link in our request until .+ on \w+day \d+ March 2026/,
    );
    expect(second?.subject).toContain('corrected return received');
    for (const email of mailer.sent) {
      for (const name of childNames()) expect(email.message.text).not.toContain(name);
      expect(email.message.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    }
  });

  it('refuses a return once collation has started, and changes nothing', async () => {
    const { service, cases, record, links, agency, mailer } = await aRequestedCase();
    cases.overwriteCase({ ...(await cases.getCase(record.caseId))!, status: 'collating' });

    await expect(submitAgencyReturn(service, { token: links.police, answers: involvement })).rejects.toThrow(
      ReturnsClosedError,
    );
    await expect(
      saveAgencyReturnDraft(service, { token: links.police, answers: { kind: 'involvement' } }),
    ).rejects.toThrow(ReturnsClosedError);
    expect((await agency('police')).returns).toBeUndefined();
    expect(mailer.sent).toEqual([]);
  });

  it('names every bad field, and refuses an unknown link before reading the answers', async () => {
    const { service, links } = await aRequestedCase();
    const bad = {
      ...involvement,
      involvedFrom: '2025-02-30',
      episodes: [{ date: 'soon', whatHappened: '' }],
    };

    const error = await submitAgencyReturn(service, { token: links.police, answers: bad }).catch((e) => e);

    expect(error).toBeInstanceOf(InvalidInputError);
    const fields = (error as InvalidInputError).fields.map((field) => field.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'involvedFrom',
        'episodes.0.date',
        'episodes.0.whatHappened',
        'episodes.0.decidedAndWhy',
      ]),
    );
    await expect(
      submitAgencyReturn(service, { token: mintAgencyToken().token, answers: bad }),
    ).rejects.toThrow(LinkNotUsableError);
  });

  it('keeps a draft between visits, and after a submission starts a correction from the latest version', async () => {
    const { service, clock, links } = await aRequestedCase();
    await saveAgencyReturnDraft(service, {
      token: links.police,
      answers: { kind: 'involvement', rolesInvolved: 'Response officer' },
    });
    expect((await showAgencyReturn(service, { token: links.police })).draft).toEqual({
      kind: 'involvement',
      rolesInvolved: 'Response officer',
    });

    clock.set('2026-03-09T12:00:00Z');
    await submitAgencyReturn(service, { token: links.police, answers: involvement });
    const shown = await showAgencyReturn(service, { token: links.police });

    expect(shown.view.latest?.version).toBe(1);
    expect(shown.draft).toMatchObject({
      kind: 'involvement',
      summary: involvement.summary,
      stillInvolved: true,
    });
  });
});

describe('no involvement stops the chasing', () => {
  it('is neither reminded nor escalated: no rung of the ladder is climbed for it', async () => {
    const { service, links, record, mailer, clock, cases } = await aRequestedCase('2026-03-05T09:00:00Z');
    await submitAgencyReturn(service, { token: links.health, answers: noInvolvement });

    // Every rung of the default ladder is due by the end of the Day 10 deadline.
    clock.set('2026-03-17T17:00:05Z');
    await climbLadder(service, { caseId: record.caseId });

    const { agencies } = await cases.getCaseFile(record.caseId);
    const health = agencies.find((agency) => agency.agencyId === 'health');
    const others = agencies.filter((agency) => agency.agencyId !== 'health');
    expect(health).toMatchObject({ status: 'received' });
    expect(health?.ladder ?? []).toEqual([]);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((agency) => (agency.ladder ?? []).length > 0)).toBe(true);
    expect(mailer.to('spoc.health@example.org').map((email) => email.subject)).toEqual([
      expect.stringContaining('return received'),
    ]);
  });
});
