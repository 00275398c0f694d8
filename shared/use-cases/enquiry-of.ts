import type { LocalReview } from '../schemas/local-review.ts';
import type { LocalReviewEnquiry } from '../schemas/local-review-enquiry.ts';
import type { Service } from '../service.ts';

/**
 * The review's enquiry. A review commissioned before the enquiry had its own item kept it on the
 * review's: until the enquiry's item is first written, its declarations and requests are those
 * (the first write copies them over); the entries it kept stay part of the chronology, before
 * those added since. Nothing saved is lost, and nothing writes the review's item for it.
 */
export async function enquiryOf(
  service: Pick<Service, 'localReviewEnquiries'>,
  review: LocalReview,
): Promise<LocalReviewEnquiry> {
  const stored = await service.localReviewEnquiries.getEnquiry(review.reviewId);
  const kept = review.chronology ?? [];
  const added = new Set(stored.chronology.map((entry) => entry.entryId));
  const chronology = [...kept.filter((entry) => !added.has(entry.entryId)), ...stored.chronology];
  if (stored.version > 0) return { ...stored, chronology };
  return {
    ...stored,
    declarations: review.declarations ?? [],
    informationRequests: review.informationRequests ?? [],
    chronology,
  };
}
