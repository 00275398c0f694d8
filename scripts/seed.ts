/**
 * Fills the running local stack (`npm start`, found through .local/stack.json, as the demo finds
 * it) with invented closed Rapid Reviews, for the dashboard and the scrutiny report (issue 14):
 *
 *   npm run seed -- --reviews 1000
 *
 * Each is decided, sent to the Panel (most on time, some a few working days late), replied to,
 * with its agencies' returns; every child is "Child A (invented)", every reference `RR-INV-…`.
 * Seeding again writes only the reviews not there yet.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureMonthIndex } from '../local/case-table.ts';
import { localCaseStore } from '../local/demo-directory.ts';
import { localClientConfig } from '../local/dynamodb-local.ts';
import { localLearningStore, seedClosedReviews } from '../local/insight/seed-reviews.ts';
import { localResourceNames } from '../local/stack.ts';

const projectRoot = resolve(import.meta.dirname, '..');

/** The running stack's DynamoDB, its table and its clock's now, or an explanation. */
export async function runningStackTable(): Promise<{
  endpoint: string;
  tableName: string;
  now: Date;
  apiUrl: string;
}> {
  let stack: { apiUrl: string; dynamodbEndpoint: string; tableName?: string };
  try {
    stack = JSON.parse(readFileSync(join(projectRoot, '.local/stack.json'), 'utf8'));
  } catch {
    throw new Error('No local stack is running: start one with `npm start` first.');
  }
  const clock = await fetch(`${stack.apiUrl}/local/clock`, { signal: AbortSignal.timeout(3000) }).catch(
    () => undefined,
  );
  if (!clock?.ok)
    throw new Error(`The local stack at ${stack.apiUrl} does not answer: start it with \`npm start\`.`);
  const body = (await clock.json()) as { now?: string };
  return {
    endpoint: stack.dynamodbEndpoint,
    tableName: stack.tableName ?? localResourceNames.table,
    now: body.now ? new Date(body.now) : new Date(),
    apiUrl: stack.apiUrl,
  };
}

async function main() {
  const { values } = parseArgs({ options: { reviews: { type: 'string', default: '1000' } } });
  const count = Number(values.reviews);
  if (!Number.isInteger(count) || count < 1 || count > 20_000) {
    console.error('npm run seed: --reviews must be a whole number from 1 to 20000, like --reviews 1000');
    process.exit(1);
  }
  const target = await runningStackTable().catch((error: Error) => {
    console.error(`npm run seed: ${error.message}`);
    process.exit(1);
  });
  const client = new DynamoDBClient(localClientConfig(target.endpoint));
  if (await ensureMonthIndex(client, target.tableName))
    console.log('Added the month index (gsi2) to the table.');
  client.destroy();
  const started = performance.now();
  const written = await seedClosedReviews(
    localCaseStore(target.endpoint, target.tableName),
    localLearningStore(target.endpoint, target.tableName),
    {
      count,
      now: target.now,
      onProgress: (done) => process.stdout.write(`\r${done} of ${count}…`),
    },
  );
  console.log(
    `\rWrote ${written} invented closed reviews (${count - written} were there already) in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
