import { learningThemeName, learningThemes, rulesOf } from '../config/partnership-profile.ts';
import { CaseNotFoundError, InvalidInputError, NotFoundError } from '../errors.ts';
import {
  actionStatusNames,
  type EarlierLearning,
  type LearningAction,
  type LearningPoint,
  type ReviewKind,
  type ReviewLearning,
  reviewKind,
  themeKey,
} from '../schemas/learning.ts';
import { text } from '../schemas/primitives.ts';
import type { Actor } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import { isoDateOf } from '../workflow/london-time.ts';

/** The ports the learning use cases read and write. */
export type LearningService = Pick<Service, 'clock' | 'profile' | 'cases' | 'localReviews' | 'learning'>;

/** A review, as the learning pages need it, whichever kind it is. */
export interface ReviewSummary {
  kind: ReviewKind;
  reviewId: string;
  reference: string;
  /** The day it is dated by: a Rapid Review's notification, a local review's decision to commission. */
  reviewedOn: string;
  /** Its agencies, for an action's owner. */
  agencies: { agencyId: string; agencyName: string }[];
  /** The page of the review itself. */
  path: string;
  /** What the Rapid Review's report says of its immediate learning, when it says it yet. */
  immediateLearning?: string;
}

/** Reads a review of either kind; a NotFoundError when there is none. */
export async function reviewSummary(
  service: Pick<Service, 'profile' | 'cases' | 'localReviews'>,
  kind: ReviewKind,
  reviewId: string,
): Promise<ReviewSummary> {
  if (!z.safeParse(z.uuid(), reviewId).success) throw new NotFoundError('No such review');
  if (kind === 'rapid-review') {
    let file: Awaited<ReturnType<Service['cases']['getCaseWithAgencies']>>;
    try {
      file = await service.cases.getCaseWithAgencies(reviewId);
    } catch (error) {
      if (error instanceof CaseNotFoundError) throw new NotFoundError('No such review');
      throw error;
    }
    const report = await service.cases.getReport(reviewId);
    const immediate = report.sections.find((section) => section.section === 'immediate-learning');
    return {
      kind,
      reviewId,
      reference: file.case.reference,
      reviewedOn: isoDateOf(file.case.receivedAt, rulesOf(service.profile).timeZone),
      agencies: file.agencies
        .filter((agency) => agency.status !== 'removed')
        .map(({ agencyId, agencyName }) => ({ agencyId, agencyName })),
      path: `/cases/${reviewId}`,
      ...(immediate ? { immediateLearning: immediate.text } : {}),
    };
  }
  const review = await service.localReviews.getLocalReview(reviewId);
  if (!review) throw new NotFoundError('No such review');
  return {
    kind,
    reviewId,
    reference: review.reference,
    reviewedOn: review.decidedOn,
    agencies: review.agencies,
    path: `/local-reviews/${reviewId}`,
  };
}

/** One earlier review that shares a theme: its learning points and the state of its actions. */
export interface EarlierReview {
  kind: ReviewKind;
  reviewId: string;
  reference: string;
  reviewedOn: string;
  /** The themes it shares with this review, by name. */
  sharedThemes: string[];
  learningPoints: (LearningPoint & { themeName: string })[];
  actions: { number: number; description: string; statusName: string; dueOn: string }[];
}

export interface ReviewLearningView {
  review: ReviewSummary;
  learning?: ReviewLearning;
  /** Every theme of the partnership, with whether this review is tagged with it. */
  themes: { key: string; name: string; chosen: boolean }[];
  /** The review's learning points, each with its theme's name. */
  learningPoints: (LearningPoint & { themeName: string })[];
  /** Earlier reviews sharing any of its themes, newest first (at most 20). */
  earlierReviews: EarlierReview[];
  actions: LearningAction[];
}

const EARLIER_REVIEWS_SHOWN = 20;

/** A review's themes, learning points and actions, and the earlier reviews that share its themes. */
export async function showReviewLearning(
  service: LearningService,
  input: { kind: ReviewKind; reviewId: string },
): Promise<ReviewLearningView> {
  const review = await reviewSummary(service, input.kind, input.reviewId);
  const [learning, actions] = await Promise.all([
    service.learning.getReviewLearning(input.kind, input.reviewId),
    service.learning.listReviewActions(input.kind, input.reviewId),
  ]);
  const chosen = new Set(learning?.themes ?? []);
  const themes = learningThemes(service.profile).map((theme) => ({
    ...theme,
    chosen: chosen.has(theme.key),
  }));
  // Themes no longer in the profile still show, so that nothing recorded is hidden.
  for (const key of chosen) {
    if (!themes.some((theme) => theme.key === key)) {
      themes.push({ key, name: learningThemeName(service.profile, key), chosen: true });
    }
  }
  const named = (point: LearningPoint) => ({
    ...point,
    themeName: learningThemeName(service.profile, point.theme),
  });
  return {
    review,
    ...(learning ? { learning } : {}),
    themes,
    learningPoints: (learning?.learningPoints ?? []).map(named),
    earlierReviews: learning ? await earlierReviews(service, learning) : [],
    actions,
  };
}

/**
 * The reviews dated before this one that share any of its themes: one query of each theme's
 * partition, then each earlier review's learning and actions (at most `EARLIER_REVIEWS_SHOWN`).
 */
async function earlierReviews(service: LearningService, learning: ReviewLearning): Promise<EarlierReview[]> {
  const byReview = new Map<
    string,
    { kind: ReviewKind; reviewId: string; reference: string; reviewedOn: string; shared: string[] }
  >();
  const lists = await Promise.all(
    learning.themes.map((theme) =>
      service.learning.listReviewsWithTheme(theme, {
        // Dated on or before this one ('$' sorts after the '#' that follows the date): itself left out below.
        before: `${learning.reviewedOn}$`,
        limit: EARLIER_REVIEWS_SHOWN,
      }),
    ),
  );
  for (const entry of lists.flat()) {
    if (entry.reviewId === learning.reviewId) continue;
    const key = `${entry.reviewKind}#${entry.reviewId}`;
    const found = byReview.get(key) ?? { ...entry, kind: entry.reviewKind, shared: [] };
    found.shared.push(entry.theme);
    byReview.set(key, found);
  }
  const chosen = [...byReview.values()]
    .sort((a, b) => b.reviewedOn.localeCompare(a.reviewedOn) || a.reference.localeCompare(b.reference))
    .slice(0, EARLIER_REVIEWS_SHOWN);
  return Promise.all(
    chosen.map(async (entry) => {
      const [their, actions] = await Promise.all([
        service.learning.getReviewLearning(entry.kind, entry.reviewId),
        service.learning.listReviewActions(entry.kind, entry.reviewId),
      ]);
      return {
        kind: entry.kind,
        reviewId: entry.reviewId,
        reference: entry.reference,
        reviewedOn: entry.reviewedOn,
        sharedThemes: entry.shared.map((theme) => learningThemeName(service.profile, theme)),
        learningPoints: (their?.learningPoints ?? []).map((point) => ({
          ...point,
          themeName: learningThemeName(service.profile, point.theme),
        })),
        actions: actions.map((action) => ({
          number: action.number,
          description: action.description,
          statusName: actionStatusNames[action.status],
          dueOn: action.dueOn,
        })),
      };
    }),
  );
}

/** The staff member recording, as the audit names them. */
export interface Recorder {
  actor: Extract<Actor, { kind: 'staff' }>;
}

async function saveLearning(
  service: LearningService,
  review: ReviewSummary,
  current: ReviewLearning | undefined,
  changes: Pick<ReviewLearning, 'themes' | 'learningPoints'>,
  who: Recorder,
  action: string,
  reason: string,
  details?: Record<string, string | number>,
): Promise<ReviewLearning> {
  return service.learning.saveReviewLearning(
    {
      reviewKind: review.kind,
      reviewId: review.reviewId,
      reference: review.reference,
      reviewedOn: review.reviewedOn,
      themes: changes.themes,
      learningPoints: changes.learningPoints,
      updatedBy: who.actor.id,
    },
    current?.version,
    {
      actor: who.actor,
      at: service.clock.now().toISOString(),
      action,
      reason,
      ...(details ? { details } : {}),
    },
  );
}

const themesInput = z.object({
  themes: z
    .array(themeKey, { error: 'Choose the learning themes' })
    .check(z.minLength(1, { error: 'Choose at least one learning theme' })),
});

/** Tags a review with the partnership's themes (replacing its earlier ones). */
export async function tagReviewThemes(
  service: LearningService,
  input: { kind: ReviewKind; reviewId: string; themes: string[] } & Recorder,
): Promise<ReviewLearning> {
  const review = await reviewSummary(service, input.kind, input.reviewId);
  const parsed = themesInput.safeParse({ themes: input.themes });
  const known = new Set(learningThemes(service.profile).map((theme) => theme.key));
  const current = await service.learning.getReviewLearning(input.kind, input.reviewId);
  const kept = new Set(current?.themes ?? []);
  if (!parsed.success || parsed.data.themes.some((theme) => !known.has(theme) && !kept.has(theme))) {
    throw new InvalidInputError('learning themes', [
      { field: 'themes', message: 'Choose at least one learning theme from the list' },
    ]);
  }
  const themes = [...new Set(parsed.data.themes)];
  const points = current?.learningPoints ?? [];
  const orphaned = points.filter((point) => !themes.includes(point.theme));
  if (orphaned.length > 0) {
    throw new InvalidInputError('learning themes', [
      {
        field: 'themes',
        message: `Keep the theme of each learning point: ${orphaned
          .map((point) => `${point.pointId} is about ${learningThemeName(service.profile, point.theme)}`)
          .join('; ')}`,
      },
    ]);
  }
  return saveLearning(
    service,
    review,
    current,
    { themes, learningPoints: points },
    input,
    'learning-themes-tagged',
    `Learning themes: ${themes.map((theme) => learningThemeName(service.profile, theme)).join(', ')}`,
  );
}

const pointInput = z.object({
  text: text(2000, { multiline: true }),
  theme: themeKey,
  repeats: z.array(z.string()),
});

/**
 * Adds a learning point with its one theme (one of the review's), and the earlier learning it
 * repeats (`<kind>:<reviewId>:<pointId>` of the earlier reviews shown), if any.
 */
export async function addLearningPoint(
  service: LearningService,
  input: { kind: ReviewKind; reviewId: string; text: string; theme: string; repeats: string[] } & Recorder,
): Promise<ReviewLearning> {
  const review = await reviewSummary(service, input.kind, input.reviewId);
  const current = await service.learning.getReviewLearning(input.kind, input.reviewId);
  if (!current || current.themes.length === 0) {
    throw new InvalidInputError('learning point', [
      { field: 'theme', message: 'Choose the review’s learning themes before adding a learning point' },
    ]);
  }
  const parsed = pointInput.safeParse({
    text: input.text,
    theme: input.theme || undefined,
    repeats: input.repeats,
  });
  const fields: { field: string; message: string }[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      fields.push({
        field: String(issue.path[0] ?? 'text'),
        message: issue.path[0] === 'theme' ? 'Choose the learning point’s theme' : issue.message,
      });
    }
  } else if (!current.themes.includes(parsed.data.theme)) {
    fields.push({ field: 'theme', message: 'Choose one of the review’s learning themes' });
  }
  const repeats: EarlierLearning[] = [];
  if (parsed.success) {
    const earlier = await earlierReviews(service, current);
    for (const value of parsed.data.repeats) {
      const [kind, reviewId, pointId] = value.split(':');
      const found = earlier.find((review) => review.kind === kind && review.reviewId === reviewId);
      if (!found?.learningPoints.some((point) => point.pointId === pointId)) {
        fields.push({ field: 'repeats', message: 'Choose earlier learning from the reviews shown' });
        break;
      }
      repeats.push({
        reviewKind: reviewKind.parse(kind),
        reviewId: found.reviewId,
        reference: found.reference,
        pointId: pointId!,
      });
    }
  }
  if (fields.length > 0 || !parsed.success) throw new InvalidInputError('learning point', fields);
  const number =
    Math.max(0, ...current.learningPoints.map((point) => Number(point.pointId.slice(1)) || 0)) + 1;
  const point: LearningPoint = {
    pointId: `P${number}`,
    text: parsed.data.text,
    theme: parsed.data.theme,
    repeats,
  };
  return saveLearning(
    service,
    review,
    current,
    { themes: current.themes, learningPoints: [...current.learningPoints, point] },
    input,
    'learning-point-added',
    repeats.length > 0
      ? `Learning point ${point.pointId} added, repeating learning from ${repeats.map((r) => r.reference).join(', ')}`
      : `Learning point ${point.pointId} added`,
    { pointId: point.pointId, theme: point.theme, repeats: repeats.length },
  );
}

export { repeatedLearningParagraphs } from '../workflow/repeated-learning.ts';

/**
 * How many reviews carry each of the partnership's themes, most seen first (then in the profile's
 * order): one count query of each theme's partition, never a scan (for the dashboard).
 */
export async function themesMostSeen(
  service: Pick<Service, 'profile' | 'learning'>,
): Promise<{ key: string; name: string; reviews: number }[]> {
  const themes = learningThemes(service.profile);
  const counts = await Promise.all(themes.map((theme) => service.learning.countReviewsWithTheme(theme.key)));
  return themes
    .map((theme, index) => ({ ...theme, reviews: counts[index] ?? 0, order: index }))
    .sort((a, b) => b.reviews - a.reviews || a.order - b.order)
    .map(({ order: _order, ...theme }) => theme);
}
