import { rulesOf } from '../config/partnership-profile.ts';
import type { Service } from '../service.ts';
import { isRemoved } from '../workflow/agency-returns-wording.ts';
import { collatedReportInto } from '../workflow/collated-report.ts';
import type { CaseTaskPayload, CollateReportResult } from '../workflow/contracts.ts';
import { advanceCase, caseDocumentKeys, hasReached, stopIfClosed, workflowActor } from '../workflow/steps.ts';
import { notificationForPapers } from './print-notification.ts';

/**
 * Day 11: the collated report (PDF): a cover, a contents page, the notification and the local
 * authority's notification to the Panel, then each agency's status, latest structured return and
 * uploaded PDF (appended in full, fetched one at a time), and the Word files received (linked
 * separately in the papers email), stored with the case; the case moves to collating. A case already collated (a retry after the
 * write) is left as it is, so the papers the group reads do not change under it.
 */
export async function collateReport(
  service: Pick<Service, 'cases' | 'clock' | 'documents' | 'profile'>,
  payload: CaseTaskPayload,
): Promise<CollateReportResult> {
  const file = await service.cases.getCaseWithAgencies(payload.caseId);
  stopIfClosed(file.case);
  const record = file.case;
  const documentKey = caseDocumentKeys.collatedReport(record.caseId);
  const counted = file.agencies.filter((agency) => !isRemoved(agency));
  const received = counted.filter((agency) => agency.status === 'received').length;
  const counts = { documentKey, received, missing: counted.length - received };
  if (hasReached(record.status, 'collating')) return counts;

  const profile = service.profile;
  const now = service.clock.now();
  const panelDocument = record.panelNotificationDocument;
  // Written to S3 as it is built, part by part: a report of scanned returns is as large as the
  // returns together, so it is never held whole (see `npm run bench:papers`).
  const upload = service.documents.openWrite(documentKey, 'application/pdf');
  let report: Awaited<ReturnType<typeof collatedReportInto>>;
  try {
    report = await collatedReportInto(
      upload,
      record,
      file.agencies,
      { partnershipName: profile.partnershipName, timeZone: rulesOf(profile).timeZone, now },
      {
        notification: await notificationForPapers(service, record),
        // The local authority's notification to the Panel, when the notifier uploaded it (issue 10
        // part 5): appended in place of the notification's own fields, which the report prints otherwise.
        ...(panelDocument
          ? {
              panelNotification: {
                fileName: panelDocument.fileName,
                file: async () => ({
                  agencyName: record.notifyingLocalAuthority,
                  fileName: panelDocument.fileName,
                  contentType: 'application/pdf',
                  bytes: await service.documents.getBytes(panelDocument.key),
                }),
              },
            }
          : {}),
        fetch: async (key, agency) => ({
          agencyName: agency.agencyName,
          contentType: 'application/pdf',
          bytes: await service.documents.getBytes(key),
        }),
      },
    );
    await upload.close();
  } catch (error) {
    await upload.abort().catch(() => undefined);
    throw error;
  }
  await advanceCase(
    service.cases,
    record,
    { status: 'collating', currentStep: 'CollateReport' },
    {
      actor: workflowActor,
      at: now.toISOString(),
      action: 'report.collated',
      reason: `Day 11: ${received} of ${counted.length} agency summaries received`,
      details: {
        documentKey,
        received,
        missing: counts.missing,
        pages: report.pageCount,
        wordFiles: report.wordFiles.length,
        notMerged: report.notMerged.length,
      },
      eventId: `${record.caseId}:CollateReport`,
    },
  );
  return counts;
}
