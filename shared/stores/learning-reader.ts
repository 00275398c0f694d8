import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
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
export class DynamoDbReviewLearningReader implements Pick<LearningStore, 'getReviewLearning'> {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async getReviewLearning(kind: ReviewKind, reviewId: string): Promise<ReviewLearning | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: { pk: `LEARNING#${kind}#${reviewId}`, sk: 'THEMES' },
      }),
    );
    if (!Item || !Array.isArray(Item.themes) || !Array.isArray(Item.learningPoints)) return undefined;
    const { pk: _pk, sk: _sk, ...learning } = Item;
    return learning as ReviewLearning;
  }
}

/** The reader on the case table the environment names. */
export function reviewLearningReaderFromEnvironment(): Pick<LearningStore, 'getReviewLearning'> {
  return new DynamoDbReviewLearningReader(dynamoDocumentClient(), requireEnv('tableName'));
}
