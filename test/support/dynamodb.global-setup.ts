/**
 * Vitest global setup (the `integration` and `e2e` projects): one DynamoDB Local, in memory,
 * for every test file of the run. Files make tables of their own on it (unique names), so they
 * never see each other's items; its endpoint reaches them as `inject('dynamodbEndpoint')`.
 *
 * Each project runs its global setup, so the first to start shares the JVM with the others
 * (kept on `globalThis` of the main process) and the last to finish stops it. Vitest runs the
 * teardowns when the run ends, whether tests failed or not.
 */
import type { TestProject } from 'vitest/node';
import { type RunningDynamoDb, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import './provided-context.ts';

interface SharedDynamoDb {
  users: number;
  running: Promise<RunningDynamoDb>;
}

const key = Symbol.for('safeguarding-reviews.test.shared-dynamodb');
const holder = globalThis as { [key]?: SharedDynamoDb };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  holder[key] ??= { users: 0, running: startDynamoDbLocal() };
  const shared = holder[key];
  shared.users += 1;
  let dynamodb: RunningDynamoDb;
  try {
    dynamodb = await shared.running;
  } catch (error) {
    shared.users -= 1;
    if (shared.users === 0) delete holder[key];
    throw error;
  }
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    delete holder[key];
    await dynamodb.stop();
  };
}
