import { learningThemeName, type PartnershipProfile } from '../config/partnership-profile.ts';
import type { ReviewLearning } from '../schemas/learning.ts';

/**
 * The sentences the report's learning section adds for a Rapid Review: its themes, and which of
 * its learning points repeat earlier learning (for the generated report document).
 */
export function repeatedLearningParagraphs(
  profile: Pick<PartnershipProfile, 'learning'>,
  learning: ReviewLearning | undefined,
): string[] {
  if (!learning || learning.themes.length === 0) return [];
  const paragraphs = [
    `Learning themes: ${learning.themes.map((theme) => learningThemeName(profile, theme)).join(', ')}.`,
  ];
  for (const point of learning.learningPoints) {
    const theme = learningThemeName(profile, point.theme);
    paragraphs.push(
      point.repeats.length > 0
        ? `${point.pointId} (${theme}), repeated learning from ${point.repeats
            .map((earlier) => `${earlier.reference} (${earlier.pointId})`)
            .join(', ')}: ${point.text}`
        : `${point.pointId} (${theme}), new learning specific to this case: ${point.text}`,
    );
  }
  return paragraphs;
}
