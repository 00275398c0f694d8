import { describe, expect, it } from 'vitest';
import { distributePapers } from '../../../shared/use-cases/distribute-papers.ts';
import {
  childNames,
  fakeService,
  openSampleCase,
  PUBLIC_BASE_URL,
  requestAll,
  setAgency,
} from './workflow-fakes.ts';

describe('distribute-papers (Day 12)', () => {
  async function aCollatedCase() {
    const fakes = fakeService('2026-03-19T09:00:05Z');
    const record = await openSampleCase(fakes.cases, { changes: { status: 'collating' } });
    return { ...fakes, record };
  }

  it('tells the chair and each member, once per person, that the papers are on the case page, with no link that works without signing in', async () => {
    const { service, mailer, documents, record } = await aCollatedCase();

    await distributePapers(service, { caseId: record.caseId });

    expect(documents.downloadLinks).toEqual([]);
    expect(mailer.sent.map((email) => email.message.to[0])).toEqual([
      'rrg-chair@example.org',
      'rrg-member-one@example.org',
      'rrg-member-two@example.org',
    ]);
    const [member] = mailer.to('rrg-member-one@example.org');
    expect(member?.text).toContain(
      `The collated report (PDF) is on the case page, under Documents.\n\nSign in to read them:\n${PUBLIC_BASE_URL}/cases/${record.caseId}\n`,
    );
    expect(member?.text).not.toContain('documents.example.org');
    expect(member?.text).not.toContain('forward');
    expect(member?.replyTo).toEqual(['partnership-team@example.org']);
    expect(member?.subject).toBe(`${record.reference}: papers for the meeting on Monday 23 March 2026`);
  });

  it('moves the case to awaiting-decision with an audit event', async () => {
    const { service, cases, record } = await aCollatedCase();

    await distributePapers(service, { caseId: record.caseId });

    const file = await cases.getCaseFile(record.caseId);
    expect(file.case.status).toBe('awaiting-decision');
    expect(file.audit.find((event) => event.action === 'papers.distributed')).toMatchObject({
      eventId: `${record.caseId}:DistributePapers`,
      details: { recipients: 3, wordFiles: 0 },
    });
  });

  it('on a second run emails nobody again', async () => {
    const { service, mailer, record } = await aCollatedCase();
    await distributePapers(service, { caseId: record.caseId });

    const second = await distributePapers(service, { caseId: record.caseId });

    expect(second.recipients).toBe(0);
    expect(mailer.sent).toHaveLength(3);
  });

  it('sends nobody a second copy when an earlier run emailed some and stopped', async () => {
    const { service, cases, mailer, record } = await aCollatedCase();
    await distributePapers(service, { caseId: record.caseId });
    // As if the status write had failed after the emails went.
    cases.overwriteCase({ ...(await cases.getCase(record.caseId))!, status: 'collating' });

    await distributePapers(service, { caseId: record.caseId });

    expect(mailer.sent).toHaveLength(3);
    expect(mailer.calls).toBe(6);
  });

  it('names no child in the papers email', async () => {
    const { service, mailer, record } = await aCollatedCase();

    await distributePapers(service, { caseId: record.caseId });

    for (const { message } of mailer.sent) {
      for (const name of childNames()) expect(`${message.subject}\n${message.text}`).not.toContain(name);
    }
  });

  it('names the agencies whose Word files are beside the report on the case page, since the report only lists them', async () => {
    const { service, cases, mailer, documents, record } = await aCollatedCase();
    await requestAll(cases, record.caseId);
    const wordKey = `cases/${record.caseId}/agency-returns/upload-1/education-summary.docx`;
    await setAgency(cases, record.caseId, 'education', {
      status: 'received',
      receivedAt: '2026-03-16T09:30:00Z',
      documentKey: wordKey,
    });

    await distributePapers(service, { caseId: record.caseId });

    expect(documents.downloadLinks).toEqual([]);
    const [member] = mailer.to('rrg-member-one@example.org');
    expect(member?.text).toContain(
      'under Documents. With it are the Word files these agencies sent, which the report lists but cannot hold:\n- Education\n\nSign in',
    );
    expect(member?.text).not.toContain(wordKey);
  });
});
