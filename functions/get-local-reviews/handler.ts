import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import type { Service } from '../../shared/service.ts';
import { environmentService } from '../../shared/service.ts';
import { localReviewEnquiryStoreFromEnvironment } from '../../shared/stores/local-review-enquiry-store.ts';
import { localReviewStoreFromEnvironment } from '../../shared/stores/local-review-store.ts';
import { listLocalReviews, localReviewDetails } from '../../shared/use-cases/local-review-overview.ts';

/** The ports the local reviews' API reads: the review store, with the clock and the profile. */
export type GetLocalReviewsPorts = Pick<
  Service,
  'clock' | 'profile' | 'localReviews' | 'localReviewEnquiries'
>;

/**
 * GET /api/local-reviews (ListLocalReviews): every local review, newest commissioned first, or
 * `?status=in-progress` / `?status=published`; GET /api/local-reviews/{reviewId}
 * (GetLocalReview): one review, for the partnership team or the review's own reviewer. Reads
 * only: the review store's list index and items, nothing else.
 */
export function getLocalReviewsEndpoints(service: GetLocalReviewsPorts): {
  ListLocalReviews: Endpoint;
  GetLocalReview: Endpoint;
} {
  return {
    async ListLocalReviews(request) {
      if (!request.caller) throw new NotSignedInError();
      const localReviews = await listLocalReviews(service, {
        status: request.event.queryStringParameters?.status ?? null,
      });
      return json(200, { localReviews });
    },
    async GetLocalReview(request) {
      if (!request.caller) throw new NotSignedInError();
      const review = await localReviewDetails(service, {
        reviewId: request.pathParameters.reviewId ?? '',
        viewer: request.caller,
      });
      return json(200, review);
    },
  };
}

export const handler = apiHandler(
  'get-local-reviews',
  getLocalReviewsEndpoints(
    environmentService({
      localReviews: localReviewStoreFromEnvironment,
      localReviewEnquiries: localReviewEnquiryStoreFromEnvironment,
    }),
  ),
);
