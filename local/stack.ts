import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Event } from 'aws-lambda';
import { functionArnPlaceholder, functionCatalogue } from '../functions/catalogue.ts';
import { sessionSecretFromEnvironment } from '../functions/web/session.ts';
import { installClock, systemClock } from '../shared/clock.ts';
import {
  forgetPartnershipProfile,
  parsePartnershipProfile,
  profileParameters,
  refreshPartnershipProfile,
} from '../shared/config/partnership-profile.ts';
import { envNames } from '../shared/env.ts';
import { ProblemError } from '../shared/http/problem.ts';
import { type ClockAdvance, type RunningApi, startLocalApi } from './api.ts';
import { auditTableNameFor, createCaseTable, ensureMonthIndex } from './case-table.ts';
import { dailyRun } from './daily-runs.ts';
import { ReviewClient } from './demo/review-client.ts';
import { startDemoLocalReview } from './demo/start-local-review.ts';
import {
  localClientConfig,
  type RunningDynamoDb,
  requireJava17,
  startDynamoDbLocal,
} from './dynamodb-local.ts';
import { HandlerWorkers, handlerWorkerCount } from './handler-workers.ts';
import { functionNameFromArn, functionTimeoutVariable } from './handlers.ts';
import { localInboxPath } from './inbox-page.ts';
import { portToUse, readRememberedPorts, rememberPorts } from './ports.ts';
import { FaultRehearsal } from './rehearsal.ts';
import { type RunningS3, startLocalS3 } from './s3.ts';
import { type RunningSes, startLocalSes } from './ses.ts';
import { startLocalSsm } from './ssm.ts';
import { addTiming, type StackStatistics, type Timing } from './stats.ts';
import { startLocalStepFunctions } from './stepfunctions/service.ts';
import { loadOrCreateSecret } from './tokens.ts';
import { VirtualClock } from './virtual-clock.ts';

/** The names the local stack gives its resources (on AWS, CDK names them). */
export const localResourceNames = {
  table: 'cases-local',
  documentBucket: 'case-documents-local',
  uploadBucket: 'agency-uploads-local',
  stateMachine: 'rapid-review',
  /** The second workflow (issue 13): Local Child Safeguarding Practice Reviews. */
  localReviewStateMachine: 'local-review',
  sesConfigurationSet: 'rapid-review-local',
  /** Where the local Parameter Store keeps the partnership profile. */
  profileParameterPath: '/safeguarding-reviews/local',
} as const;

/**
 * A virtual minute per real second by default: time moves visibly but slowly enough that a
 * person working through a review by hand is not overtaken by its deadlines; the local controls
 * page (/local) jumps to the next deadline when they are ready.
 */
export const defaultClockSpeed = 60;

export interface LocalStackOptions {
  /**
   * Everything kept between runs lives here: the table (unless `existingDynamoDb`), documents,
   * clock, executions, token secret.
   */
  dataDirectory: string;
  /** Virtual milliseconds per real millisecond (60: a virtual minute per real second). */
  speed?: number;
  /** The virtual time a new clock starts at (an existing clock in the data directory resumes instead). */
  start?: Date;
  /** Multiplies the workflow's Retry intervals (0.001 makes retries near-instant in tests). */
  retryIntervalScale?: number;
  /** `false` drops the workflow's retry jitter, so a test can count on the retries' timing. */
  retryJitter?: boolean;
  /** Port to serve the API on; by default the one used last time for this data directory, or any free one. */
  apiPort?: number;
  /** No progress lines on stderr (errors are still logged). */
  quiet?: boolean;
  /** Records each emulator request the handlers make, for `statistics()` (the benchmark); off by default. */
  recordStatistics?: boolean;
  /** How long `POST /local/clock/advance` waits for the workflow to settle; default 30 s. */
  settleTimeoutMs?: number;
  /**
   * A DynamoDB (Local) already running to keep the case table in, instead of starting one in a
   * JVM of the stack's own with its tables under the data directory (what `npm start` does).
   * Tests share one this way. The stack creates its table there (when missing) and leaves the
   * DynamoDB running when it stops.
   */
  existingDynamoDb?: ExistingDynamoDb;
  /**
   * Endpoints the handlers reach S3, SES and Step Functions at instead of the stack's own emulators (and so the
   * S3 address in pre-signed upload forms): the fault suite puts a proxy in between that refuses
   * or holds requests while a fault is on. The stack's emulators still serve behind it.
   */
  handlerEndpoints?: { s3?: string; sesv2?: string; sfn?: string };
  /**
   * Holds every function to this timeout, in real seconds, instead of its catalogue timeout (the
   * fault suite's crash needs a short one).
   */
  functionTimeoutSeconds?: number;
  /**
   * Runs the resume sweep (functions/resume-workflows, every minute on AWS) every this many real
   * milliseconds, so a workflow that could not be told of a person's change is resumed here too.
   * Off unless given: `npm start` runs it every few seconds.
   */
  resumeSweepEveryMs?: number;
}

/** A DynamoDB the stack uses rather than starts: its endpoint and the table name to keep cases in. */
export interface ExistingDynamoDb {
  endpoint: string;
  /**
   * The stack's own table, so stacks sharing one DynamoDB never see each other's cases. Give
   * the same name to restart a stack on its data; within one process a restarted stack must keep
   * its name, since handlers read it once per process (as in a Lambda container).
   *
   * @default `cases-local-<random>`, new for each start
   */
  tableName?: string;
}

export interface LocalStack {
  /** The HTTP API, `http://127.0.0.1:<port>` (also PUBLIC_BASE_URL for links in emails). */
  apiUrl: string;
  /** The web inbox of the local SES. */
  sesUrl: string;
  s3Endpoint: string;
  dynamodbEndpoint: string;
  /** The case table's name in that DynamoDB. */
  tableName: string;
  sfnEndpoint: string;
  /** The local Parameter Store holding the partnership profile (seeded from local/partnership-profile.json at every start). */
  ssmEndpoint: string;
  /** The ARN of the rapid-review state machine in the local Step Functions service. */
  stateMachineArn: string;
  /** Where each function's log lines are written, as JSON lines: `<logDirectory>/<function>.log`. */
  logDirectory: string;
  /** The ARN of the local-review state machine (issue 13) in the local Step Functions service. */
  localReviewStateMachineArn: string;
  clock: VirtualClock;
  /** The SES inbox, read through its JSON API. */
  inbox: RunningSes;
  /**
   * Resolves when the workflow is blocked only on the clock or a callback and no upload event is
   * being handled; rejects after `timeoutMs` (default `settleTimeoutMs`) naming busy executions.
   */
  whenSettled(timeoutMs?: number): Promise<void>;
  /** What the handlers have cost so far: each function's invocations, and each emulator's requests when recorded. */
  statistics(): Promise<StackStatistics>;
  /** Failures planned for a rehearsal (the local controls page): the next run of a step for a case fails, once. */
  rehearsal: FaultRehearsal;
  /** Runs the resume sweep now, as its schedule does, and answers what it did. */
  sweepOwedResumes(): Promise<unknown>;
  /** Stops everything it started, in reverse order; the data stays in the data directory. */
  stop(): Promise<void>;
}

const aslFile = fileURLToPath(new URL('../statemachines/rapid-review.asl.json', import.meta.url));
const localReviewAslFile = fileURLToPath(new URL('../statemachines/local-review.asl.json', import.meta.url));
const profileFile = fileURLToPath(new URL('./partnership-profile.json', import.meta.url));

/** A state machine's functions (by their catalogue trigger) and the name each ASL placeholder stands for locally. */
function workflowSubstitutions(
  trigger: 'workflow' | 'local-review-workflow' = 'workflow',
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(functionCatalogue)
      .filter(([, spec]) => spec.trigger === trigger)
      .map(([name]) => [functionArnPlaceholder(name), name]),
  );
}

/** Sets (or, for undefined, removes) variables for the in-process handlers; returns a function that puts the old values back. */
function setEnvironment(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(previous);
}

/** The stack sets process-wide state (environment, the handlers' clock), so one runs at a time. */
let running = false;

/**
 * Starts the embedded local stack (ARCHITECTURE §5) on 127.0.0.1: DynamoDB Local with the case
 * table (or only the table, in `existingDynamoDb`), s3rver with both buckets, the local SES, the
 * virtual clock, the local Step Functions service running statemachines/rapid-review.asl.json
 * and statemachines/local-review.asl.json,
 * and the HTTP API, all serving the same handlers as AWS in this process. Only endpoint
 * variables differ from AWS.
 *
 * Ports are remembered per data directory and reused on the next start when free, so links
 * already emailed keep working, and so handlers (whose SDK clients are made once per process,
 * as in a Lambda container) still reach the emulators after a stop and start in one process.
 * One stack runs per process at a time.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (running) throw new Error('A local stack is already running in this process; stop it first');
  // Before anything is written to the data directory: without Java, or with a worker count
  // that is not one, the stack cannot start.
  if (!options.existingDynamoDb) requireJava17();
  const workerCount = handlerWorkerCount();
  running = true;
  const dataDirectory = resolve(options.dataDirectory);
  mkdirSync(dataDirectory, { recursive: true });
  const log = (line: string) => {
    if (!options.quiet) console.error(line);
  };
  const logError = (line: string) => console.error(line);
  const portsFile = join(dataDirectory, 'ports.json');
  const remembered = readRememberedPorts(portsFile);

  const stops: (() => Promise<void> | void)[] = [];
  async function stopAll() {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        logError(`[stack] stopping a piece failed: ${error instanceof Error ? error.name : 'Error'}`);
      }
    }
  }

  stops.push(() => {
    running = false;
  });
  // Put back last, once nothing that reads the variables is running any more.
  let restoreEnvironment = () => {};
  stops.push(() => restoreEnvironment());

  try {
    const clock = VirtualClock.load(join(dataDirectory, 'clock.json'), {
      start: options.start ?? new Date(),
      speed: options.speed ?? defaultClockSpeed,
    });
    // The clock stands still while the pieces start (seconds of real time would be hours of
    // virtual time) and flows at the chosen speed once everything is up.
    const speed = options.speed ?? clock.speed;
    clock.setSpeed(0);
    let started = false;
    installClock(clock);
    stops.push(() => {
      if (!started) clock.setSpeed(speed);
      installClock(systemClock);
      clock.dispose();
    });

    // The handlers run in worker threads (made once the environment is set, below); every
    // invocation is timed, so the benchmark can say what each step cost (npm run bench).
    let handlers: HandlerWorkers | undefined;
    const invocations: Record<string, Timing> = {};
    const rehearsal = new FaultRehearsal();
    const invoke = async (nameOrArn: string, payload: unknown): Promise<unknown> => {
      const started = performance.now();
      let failed = false;
      try {
        if (!handlers) throw new Error('The local stack is not ready to run functions yet');
        rehearsal.failIfPlanned(functionNameFromArn(nameOrArn), payload);
        return await handlers.invoke(nameOrArn, payload);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        addTiming(invocations, functionNameFromArn(nameOrArn), performance.now() - started, failed);
      }
    };

    const apiPort = await portToUse(options.apiPort ?? remembered.api);
    if (options.apiPort && apiPort !== options.apiPort) {
      throw new Error(`Port ${options.apiPort} on 127.0.0.1 is in use; choose another API port`);
    }
    const apiUrl = `http://127.0.0.1:${apiPort}`;

    const existing = options.existingDynamoDb;
    const tableName = existing
      ? (existing.tableName ?? `cases-local-${randomUUID()}`)
      : localResourceNames.table;
    let dynamodb: Pick<RunningDynamoDb, 'endpoint'>;
    if (existing) {
      dynamodb = { endpoint: existing.endpoint };
    } else {
      const started = await startDynamoDbLocal({
        dataDirectory: join(dataDirectory, 'dynamodb'),
        port: await portToUse(remembered.dynamodb),
      });
      stops.push(() => started.stop());
      dynamodb = started;
    }
    const dynamoClient = new DynamoDBClient(localClientConfig(dynamodb.endpoint));
    try {
      await createCaseTable(dynamoClient, tableName);
      // A table kept from before the month index (issue 14) gets it now.
      await ensureMonthIndex(dynamoClient, tableName);
    } finally {
      dynamoClient.destroy();
    }
    log(
      `[stack] DynamoDB ${existing ? '(already running)' : 'Local'} at ${dynamodb.endpoint}, table ${tableName}`,
    );

    const s3: RunningS3 = await startLocalS3({
      directory: join(dataDirectory, 's3'),
      buckets: [localResourceNames.documentBucket, localResourceNames.uploadBucket],
      corsOrigins: [{ bucket: localResourceNames.uploadBucket, origins: [apiUrl] }],
      onObjectCreated: [
        {
          bucket: localResourceNames.uploadBucket,
          prefix: 'uploads/',
          name: 'record-summary',
          handle: (event: S3Event) => invoke('record-summary', event),
        },
      ],
      clock,
      preferredPort: remembered.s3,
      log: logError,
    });
    stops.push(() => s3.stop());
    log(`[stack] S3 (s3rver) at ${s3.endpoint}`);

    const ses: RunningSes = await startLocalSes({ preferredPort: remembered.ses });
    stops.push(() => ses.stop());
    log(`[stack] SES inbox at ${ses.sesUrl}`);

    // The partnership profile, from local/partnership-profile.json, in a local Parameter Store
    // the handlers read it from as they would on AWS.
    const ssm = await startLocalSsm({
      parameters: profileParameters(
        parsePartnershipProfile(readFileSync(profileFile, 'utf8')),
        localResourceNames.profileParameterPath,
      ),
      port: await portToUse(remembered.ssm),
    });
    stops.push(() => ssm.stop());
    stops.push(() => forgetPartnershipProfile());
    log(`[stack] Parameter Store (the partnership profile) at ${ssm.endpoint}`);

    const sfnPort = await portToUse(remembered.sfn);
    const sfnEndpoint = `http://127.0.0.1:${sfnPort}`;
    const stateMachineArn = `arn:aws:states:eu-west-2:000000000000:stateMachine:${localResourceNames.stateMachine}`;
    const localReviewStateMachineArn = `arn:aws:states:eu-west-2:000000000000:stateMachine:${localResourceNames.localReviewStateMachine}`;

    // Handlers read these when first loaded (and SDK clients are made once per process), so
    // every variable is in place before the first handler runs.
    restoreEnvironment = setEnvironment({
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: localClientConfig(dynamodb.endpoint).credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localClientConfig(dynamodb.endpoint).credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: options.handlerEndpoints?.s3 ?? s3.endpoint,
      AWS_ENDPOINT_URL_SESV2: options.handlerEndpoints?.sesv2 ?? ses.endpoint,
      AWS_ENDPOINT_URL_SFN: options.handlerEndpoints?.sfn ?? sfnEndpoint,
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      [envNames.tableName]: tableName,
      [envNames.auditTableName]: auditTableNameFor(tableName),
      [envNames.documentBucket]: localResourceNames.documentBucket,
      [envNames.uploadBucket]: localResourceNames.uploadBucket,
      [envNames.stateMachineArn]: stateMachineArn,
      [envNames.localReviewStateMachineArn]: localReviewStateMachineArn,
      [envNames.partnershipProfilePath]: localResourceNames.profileParameterPath,
      [envNames.sesConfigurationSet]: localResourceNames.sesConfigurationSet,
      [envNames.publicBaseUrl]: apiUrl,
      [functionTimeoutVariable]: options.functionTimeoutSeconds?.toString(),
      // Made once per data directory, like the token secret, so sessions survive a restart.
      [envNames.sessionSecret]: loadOrCreateSecret(join(dataDirectory, 'session-secret')).toString(
        'base64url',
      ),
      [envNames.agencyDetailsSecret]: loadOrCreateSecret(
        join(dataDirectory, 'agency-details-secret'),
      ).toString('base64url'),
      // Kept with the data, so open cases still match a duplicate after a restart.
      [envNames.duplicateCheckKey]: loadOrCreateSecret(join(dataDirectory, 'duplicate-check-key')).toString(
        'base64url',
      ),
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    // Read here too, for the local pages, straight from the store: this process hosts one stack
    // after another, and an SDK client made once per process would still point at the first.
    // The handlers, in worker threads of this stack's own, read it through the SDK client.
    await refreshPartnershipProfile(async (path) => ssm.list(path));

    const logDirectory = join(dataDirectory, 'logs');
    const workers = new HandlerWorkers({
      clock: clock.shared.buffer,
      size: workerCount,
      logDirectory,
      ...(options.recordStatistics
        ? {
            emulatorPorts: {
              [new URL(dynamodb.endpoint).port]: 'dynamodb',
              [String(s3.port)]: 's3',
              [String(ses.port)]: 'ses',
              [String(sfnPort)]: 'sfn',
              [String(ssm.port)]: 'ssm',
              [String(apiPort)]: 'api',
            },
          }
        : {}),
    });
    handlers = workers;
    stops.push(() => workers.stop());

    const stepFunctions = await startLocalStepFunctions({
      clock,
      port: sfnPort,
      stateMachines: [
        {
          name: localResourceNames.stateMachine,
          definition: readFileSync(aslFile, 'utf8'),
          substitutions: workflowSubstitutions(),
        },
        {
          name: localResourceNames.localReviewStateMachine,
          definition: readFileSync(localReviewAslFile, 'utf8'),
          substitutions: {
            ...workflowSubstitutions('local-review-workflow'),
            LocalReviewStateMachineArn: localReviewStateMachineArn,
          },
        },
      ],
      invokeFunction: invoke,
      // What EventBridge's rule on execution status changes does on AWS (infra/stacks/workflow-stack.ts):
      // the rule matches the rapid-review state machine only.
      onExecutionFault: async (event) =>
        event.detail.stateMachineArn === stateMachineArn
          ? invoke('record-execution-fault', event)
          : undefined,
      dataDirectory: join(dataDirectory, 'stepfunctions'),
      ...(options.retryIntervalScale === undefined ? {} : { retryIntervalScale: options.retryIntervalScale }),
      ...(options.retryJitter === undefined ? {} : { retryJitter: options.retryJitter }),
    });
    stops.push(() => stepFunctions.stop());
    if (
      stepFunctions.stateMachineArn(localResourceNames.stateMachine) !== stateMachineArn ||
      stepFunctions.stateMachineArn(localResourceNames.localReviewStateMachine) !== localReviewStateMachineArn
    ) {
      throw new Error('The local Step Functions service names the state machine differently than expected');
    }
    log(`[stack] Step Functions at ${stepFunctions.endpoint}`);

    const settleTimeoutMs = options.settleTimeoutMs ?? 30_000;
    /** Until the workflow is blocked only on the clock or a callback and no upload event is being handled. */
    const whenSettled = async (timeoutMs = settleTimeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      do {
        await s3.whenIdle();
        await stepFunctions.whenSettled({ timeoutMs: Math.max(1, deadline - Date.now()) });
      } while (s3.busy() && Date.now() < deadline);
    };

    // The resume sweep's schedule (every minute on AWS), on real time: a wait on the virtual clock
    // would show among the deadlines and take the "next deadline" jump.
    const sweepOwedResumes = () =>
      invoke('resume-workflows', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    // The daily reminders to action owners (functions/chase-actions, 03:00 UTC on AWS), on the
    // virtual clock: run once whenever the clock has passed a day's run time.
    const actionChasing = dailyRun(
      () => clock.now(),
      () => invoke('chase-actions', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }),
    );
    const chaseActionsWhenDue = () =>
      actionChasing.due().catch((error: unknown) => {
        logError(
          `[stack] the daily chasing of actions failed: ${error instanceof Error ? error.name : 'Error'}`,
        );
        return false;
      });
    if (options.resumeSweepEveryMs) {
      const sweeping = setInterval(() => {
        sweepOwedResumes().catch((error: unknown) => {
          logError(`[stack] the resume sweep failed: ${error instanceof Error ? error.name : 'Error'}`);
        });
        // A clock running at a speed passes run times without being moved.
        void chaseActionsWhenDue();
      }, options.resumeSweepEveryMs);
      sweeping.unref();
      stops.push(() => clearInterval(sweeping));
    }

    const api: RunningApi = await startLocalApi({
      preferredPort: apiPort,
      tokenSecret: loadOrCreateSecret(join(dataDirectory, 'token-secret')),
      sessionSecret: sessionSecretFromEnvironment(),
      invoke: (functionName, event) => invoke(functionName, event),
      // The controls page links the service's own inbox page, with the virtual times.
      inboxUrl: localInboxPath,
      inbox: ses,
      rehearsal,
      // The demo's local review, set up through the stack's own API and pages, to walk by hand.
      startDemoLocalReview: () => startDemoLocalReview(new ReviewClient({ apiUrl, sesUrl: ses.sesUrl })),
      clock: {
        status: () => ({
          now: clock.now(),
          speed: clock.speed,
          pending: clock.pending().map((wake) => ({ at: wake.at, label: wake.label ?? 'wait' })),
        }),
        async advance(advance: ClockAdvance) {
          if (advance.kind === 'next') clock.advanceToNext();
          else if (advance.kind === 'to') clock.advanceTo(advance.at);
          else clock.advanceBy(advance.duration);
          try {
            await whenSettled();
          } catch {
            logError(`[stack] the workflow had not settled ${settleTimeoutMs} ms after the clock moved`);
          }
          await chaseActionsWhenDue();
        },
        async settle() {
          try {
            await whenSettled();
          } catch {
            throw new ProblemError(
              503,
              'Still busy',
              `The workflow had not settled ${settleTimeoutMs} ms after it was asked to`,
            );
          }
        },
      },
      log: logError,
    });
    stops.push(() => api.stop());
    if (api.url !== apiUrl) throw new Error(`The API port ${apiPort} was taken while the stack started`);
    log(`[stack] API at ${api.url}`);

    rememberPorts(portsFile, {
      api: api.port,
      ...(existing ? {} : { dynamodb: Number(new URL(dynamodb.endpoint).port) }),
      s3: s3.port,
      ses: ses.port,
      sfn: sfnPort,
      ssm: ssm.port,
    });

    clock.setSpeed(speed);
    started = true;
    return {
      apiUrl,
      sesUrl: ses.sesUrl,
      s3Endpoint: s3.endpoint,
      dynamodbEndpoint: dynamodb.endpoint,
      tableName,
      sfnEndpoint: stepFunctions.endpoint,
      ssmEndpoint: ssm.endpoint,
      stateMachineArn,
      logDirectory,
      localReviewStateMachineArn,
      clock,
      inbox: ses,
      whenSettled,
      statistics: async () => ({ functions: invocations, ...(await workers.statistics()) }),
      rehearsal,
      sweepOwedResumes,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
