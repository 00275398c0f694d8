/**
 * The work `npm run bench:papers` measures, as collation does it: the whole collated report,
 * each agency's PDF read when its turn comes and appended in full, the report written out as it
 * is built (`collatedReportInto`, the function `collateReport` uses).
 */
import type { ByteSink } from '../../shared/documents/incremental-pdf-writer.ts';
import { collatedReportInto } from '../../shared/workflow/collated-report.ts';
import { anInventedCase, type BenchScenario, type ScenarioResult } from './fixtures.ts';

/** Where the report goes: a sink that is closed once the report is written (S3's, or memory). */
export interface ReportOutput extends ByteSink {
  close(): Promise<number>;
}

/**
 * Builds the scenario's collated report into `output`. `read(index)` answers the file the
 * agency at that index returned (from S3 in the benchmark's child, from disk in the unit test).
 */
export async function runScenario(
  scenario: BenchScenario,
  read: (agencyIndex: number) => Promise<Uint8Array>,
  output: ReportOutput,
): Promise<ScenarioResult> {
  const rssAtStartBytes = process.memoryUsage().rss;
  const { record, agencies, notification } = anInventedCase(scenario.agencies);
  const indexOf = new Map(agencies.map((agency, index) => [agency.agencyId, index]));
  let returnBytes = 0;
  let returnPages = 0;

  const started = performance.now();
  const report = await collatedReportInto(
    output,
    record,
    agencies,
    {
      partnershipName: 'Exampleshire Safeguarding Children Partnership (invented)',
      timeZone: 'Europe/London',
      now: new Date('2026-03-18T09:00:00Z'),
    },
    {
      notification: {
        notifyingLocalAuthority: notification.notifyingLocalAuthority,
        incident: notification.incident,
        children: notification.children,
        notifier: notification.notifier,
        parallelProcesses: notification.parallelProcesses,
        agencies: notification.agencies.map((agency) => agency.name),
      },
      fetch: async (_key, agency) => {
        const bytes = await read(indexOf.get(agency.agencyId)!);
        returnBytes += bytes.byteLength;
        returnPages += scenario.pagesPerReturn;
        return { agencyName: agency.agencyName, contentType: 'application/pdf', bytes };
      },
    },
  );
  const outputBytes = await output.close();
  const wallMs = performance.now() - started;

  return {
    scenario,
    returnBytes,
    outputBytes,
    outputPages: report.pageCount,
    reportPages: report.pageCount - returnPages,
    merged: agencies.length - report.notMerged.length,
    notMerged: report.notMerged.length,
    wallMs,
    rssAtStartBytes,
  };
}
