import { describe, expect, it } from 'vitest';
import { distributePapers, PAPERS_LINK_SECONDS } from '../../../shared/use-cases/distribute-papers.ts';
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

  it('emails the chair and each member, once per person, a link to the report that expires in 7 days', async () => {
    const { service, mailer, documents, record } = await aCollatedCase();

    await distributePapers(service, { caseId: record.caseId });

    expect(PAPERS_LINK_SECONDS).toBe(7 * 24 * 3600);
    expect(documents.downloadLinks).toEqual([
      {
        key: `cases/${record.caseId}/collated-report.pdf`,
        expiresInSeconds: PAPERS_LINK_SECONDS,
        fileName: `collated-report-${record.reference}.pdf`,
      },
    ]);
    expect(mailer.sent.map((email) => email.message.to[0])).toEqual([
      'rrg-chair@example.org',
      'rrg-member-one@example.org',
      'rrg-member-two@example.org',
    ]);
    const [member] = mailer.to('rrg-member-one@example.org');
    expect(member?.text).toContain(
      `https://documents.example.org/case-documents-test/cases/${record.caseId}/collated-report.pdf`,
    );
    expect(member?.text).toContain('stops working at 9am on Thursday 26 March 2026');
    expect(member?.text).toContain(`${PUBLIC_BASE_URL}/cases/${record.caseId}`);
    expect(member?.subject).toContain('meeting Monday 23 March 2026');
  });

  it('moves the case to awaiting-decision with an audit event', async () => {
    const { service, cases, record } = await aCollatedCase();

    await distributePapers(service, { caseId: record.caseId });

    const file = await cases.getCaseFile(record.caseId);
    expect(file.case.status).toBe('awaiting-decision');
    expect(file.audit.find((event) => event.action === 'papers.distributed')).toMatchObject({
      eventId: `${record.caseId}:DistributePapers`,
      details: { recipients: 3, linkExpiresAt: '2026-03-26T09:00:05.000Z' },
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

  it('gives each Word file an agency sent its own link, since the collated report only lists it', async () => {
    const { service, cases, mailer, documents, record } = await aCollatedCase();
    await requestAll(cases, record.caseId);
    const wordKey = `cases/${record.caseId}/agency-returns/upload-1/education-summary.docx`;
    await setAgency(cases, record.caseId, 'education', {
      status: 'received',
      receivedAt: '2026-03-16T09:30:00Z',
      documentKey: wordKey,
    });

    await distributePapers(service, { caseId: record.caseId });

    expect(documents.downloadLinks).toContainEqual({
      key: wordKey,
      expiresInSeconds: PAPERS_LINK_SECONDS,
      fileName: `Education summary ${record.reference}.docx`,
    });
    const [member] = mailer.to('rrg-member-one@example.org');
    expect(member?.text).toContain(
      `Word files the agencies sent, which are not in the collated report:\nEducation (Education summary ${record.reference}.docx):\nhttps://documents.example.org/case-documents-test/${wordKey}`,
    );
    expect(member?.text).toContain('These links stop working at');
  });
});
