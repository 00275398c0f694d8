import { localReviewWorkflowFromEnvironment } from '../../shared/adapters/local-review-workflow.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json, ProblemError } from '../../shared/http/problem.ts';
import { environmentService, type Service } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import { localReviewEnquiryStoreFromEnvironment } from '../../shared/stores/local-review-enquiry-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { commissionLocalReview, LocalReviewRefusedError } from '../../shared/use-cases/local-review.ts';
import { detailsOf } from '../../shared/use-cases/local-review-overview.ts';

/** What commissioning touches: the case, the review store, the Panel's email and the review's workflow. */
export type CommissionLocalReviewPorts = Pick<
  Service,
  | 'clock'
  | 'profile'
  | 'publicBaseUrl'
  | 'cases'
  | 'localReviews'
  | 'localReviewEnquiries'
  | 'mailer'
  | 'localReviewWorkflow'
>;

/**
 * POST /api/cases/{caseId}/local-review (CommissionLocalReview): the partnership team commissions
 * the local review of a Rapid Review through the same use case as the case's pages: 201 with the
 * review the first time, 200 with the same review when asked again (which finishes the Panel's
 * email and the workflow's start if they were not done), 409 with the plain reason when the case
 * led to no local review. It is idempotent by its nature (a case has at most one local review),
 * so it needs no Idempotency-Key.
 */
export function commissionLocalReviewEndpoints(service: CommissionLocalReviewPorts): {
  CommissionLocalReview: Endpoint;
} {
  return {
    async CommissionLocalReview(request) {
      if (!request.caller) throw new NotSignedInError();
      let commissioned: Awaited<ReturnType<typeof commissionLocalReview>>;
      try {
        commissioned = await commissionLocalReview(service, {
          caseId: request.pathParameters.caseId ?? '',
          member: request.caller,
        });
      } catch (error) {
        // The case is not in a state that allows one: a conflict with the case, said plainly.
        if (error instanceof LocalReviewRefusedError) throw new ProblemError(409, error.title, error.message);
        throw error;
      }
      const { review, outcome } = commissioned;
      return json(outcome === 'commissioned' ? 201 : 200, await detailsOf(service, review, request.caller), {
        location: `/api/local-reviews/${review.reviewId}`,
      });
    },
  };
}

export const handler = apiHandler(
  'commission-local-review',
  commissionLocalReviewEndpoints(
    environmentService({
      cases: caseStoreFromEnvironment,
      localReviews: localReviewStoreFromEnvironment,
      localReviewEnquiries: localReviewEnquiryStoreFromEnvironment,
      mailer: mailerFromEnvironment,
      localReviewWorkflow: localReviewWorkflowFromEnvironment,
    }),
  ),
);
