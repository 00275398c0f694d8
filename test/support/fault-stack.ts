/**
 * The local stack as the fault suite runs it (test/integration/faults.test.ts starts this file
 * as a child process, so the suite can kill the whole stack with SIGKILL and start it again on
 * the same data): its cases on a DynamoDB Local the suite runs, its handlers reaching S3 and SES
 * through the suite's fault proxies, every function held to a short timeout, the clock standing
 * still until moved. It tells its parent where it is over the IPC channel, and stops on SIGTERM
 * or when the channel closes.
 */
import { type LocalStack, startLocalStack } from '../../local/stack.ts';

/** What the suite hands the child, as JSON in FAULT_STACK. */
export interface FaultStackConfig {
  dataDirectory: string;
  dynamodbEndpoint: string;
  tableName: string;
  s3Proxy: string;
  sesProxy: string;
  functionTimeoutSeconds: number;
  start: string;
}

/** What the child tells the suite once it is up. */
export interface FaultStackReady {
  apiUrl: string;
  s3Endpoint: string;
  sfnEndpoint: string;
}

if (!process.send) throw new Error('Start this file from test/integration/faults.test.ts');
const config = JSON.parse(process.env.FAULT_STACK ?? '') as FaultStackConfig;
let stack: LocalStack | undefined;
let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  try {
    await stack?.stop();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', shutdown);
process.on('disconnect', shutdown);

stack = await startLocalStack({
  dataDirectory: config.dataDirectory,
  existingDynamoDb: { endpoint: config.dynamodbEndpoint, tableName: config.tableName },
  handlerEndpoints: { s3: config.s3Proxy, sesv2: config.sesProxy },
  functionTimeoutSeconds: config.functionTimeoutSeconds,
  start: new Date(config.start),
  speed: 0,
  // The workflow's own retry budget, fifty times faster and without jitter, so a step that finds
  // DynamoDB down retries after 0.04, 0.08, … 5.12, 6 and 6 seconds (22 s in all), as it would
  // for about 18 minutes on AWS.
  retryIntervalScale: 0.02,
  retryJitter: false,
  quiet: true,
});
const ready: FaultStackReady = {
  apiUrl: stack.apiUrl,
  s3Endpoint: stack.s3Endpoint,
  sfnEndpoint: stack.sfnEndpoint,
};
process.send(ready);
