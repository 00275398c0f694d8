import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { learningStoreFromEnvironment } from '../../shared/stores/learning-store.ts';
import {
  type CompleteReportPorts,
  completeReport,
  saveReportSection,
  showReport,
} from '../../shared/use-cases/rapid-review-report.ts';

/**
 * PUT /api/cases/{caseId}/report/sections/{section} (SaveReportSection): answers 200 with the
 * section as saved and the report's progress. POST /api/cases/{caseId}/report/complete
 * (CompleteReport): answers 201 with the completion and the keys of the report's two documents.
 */
export function rapidReviewReportEndpoints(service: CompleteReportPorts): {
  SaveReportSection: Endpoint;
  CompleteReport: Endpoint;
} {
  return {
    async SaveReportSection(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const saved = await saveReportSection(service, {
        caseId,
        section: request.pathParameters.section ?? '',
        body: request.body,
        author: request.caller,
      });
      const { progress } = await showReport(service, { caseId });
      return json(200, { section: saved.section, text: saved.text, savedAt: saved.savedAt, progress });
    },
    async CompleteReport(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const completion = await completeReport(service, { caseId, author: request.caller });
      return json(
        201,
        { completedAt: completion.completedAt, documents: completion.documents },
        { location: `/api/cases/${caseId}` },
      );
    },
  };
}

export const handler = apiHandler(
  'rapid-review-report',
  rapidReviewReportEndpoints(
    environmentService({
      cases: caseStoreFromEnvironment,
      documents: documentsFromEnvironment,
      workflow: reviewWorkflowFromEnvironment,
      learning: learningStoreFromEnvironment,
    }),
  ),
);
