import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { requireEnv } from '../env.ts';
import type { ReviewKind, ReviewLearning } from '../schemas/learning.ts';
import type { LearningStore } from './learning-store.ts';

/**
 * Reads a review's learning (its themes and learning points) and nothing else, without the
 * learning store's schemas: what the rapid review report needs to say which learning repeats,
 * in the functions near their bundle's limit (case-web). Written only by the learning store
 * (shared/stores/learning-store.ts), which validates it; an item not of that shape reads as none.
 */
export function reviewLearningReaderFromEnvironment(): Pick<LearningStore, 'getReviewLearning'> {
  const tableName = requireEnv('tableName');
  return {
    async getReviewLearning(kind: ReviewKind, reviewId: string): Promise<ReviewLearning | undefined> {
      const { Item } = await dynamoDocumentClient().send(
        new GetCommand({ TableName: tableName, Key: { pk: `LEARNING#${kind}#${reviewId}`, sk: 'THEMES' } }),
      );
      if (!Item || !Array.isArray(Item.themes) || !Array.isArray(Item.learningPoints)) return undefined;
      return Item as ReviewLearning;
    },
  };
}
