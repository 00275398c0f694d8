import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { type PartnershipProfile, parsePartnershipProfile } from '../shared/config/partnership-profile.ts';
import { profileParameterPath } from './constructs/partnership-profile-parameters.ts';
import { constructIdOf } from './constructs/service-function.ts';
import { nagPacks } from './nag.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { LocalReviewStack } from './stacks/local-review-stack.ts';
import { MonitoringStack, type WatchedDeadLetterQueue } from './stacks/monitoring-stack.ts';
import { WorkflowStack } from './stacks/workflow-stack.ts';

/** What one deployment of the service is, read from CDK context. */
export interface DeploymentConfig {
  /** Names this deployment's stacks (`SafeguardingReviews-<stage>-Data`), so stages share an account safely. */
  readonly stage: string;
  /** Web origins of the agency upload page, allowed to POST to the upload bucket. */
  readonly uploadAllowedOrigins: readonly string[];
  /** Where the partnership profile was read from (context `profile`, a path to a JSON file). */
  readonly partnershipProfilePath: string;
  /** Who this deployment serves, validated; kept in Parameter Store under `/safeguarding-reviews/<stage>`, which functions read. */
  readonly partnershipProfile: PartnershipProfile;
  /**
   * Base URL of links in emails (context `publicBaseUrl`), without a trailing slash; when
   * absent, the HTTP API's own URL is used.
   */
  readonly publicBaseUrl: string | undefined;
  /**
   * Prefix of the Cognito hosted sign-in domain (context `signInDomainPrefix`); unique in the
   * region across all AWS accounts, so a deployment may need its own.
   *
   * @default `safeguarding-reviews-<stage>`
   */
  readonly signInDomainPrefix: string;
}

/** How to build the app; every option has the value the CLI run needs, so `infra/app.ts` passes none. */
export interface BuildAppOptions {
  /**
   * Props for the CDK `App`. The CLI hands context and the output directory over through the
   * environment; tests pass `context` (cdk.json's feature flags and any deployment settings) here.
   *
   * @default {}
   */
  readonly appProps?: AppProps;
  /**
   * Account and region to deploy to.
   *
   * @default CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, which the CLI sets from the caller's
   * credentials; with neither set the stacks are environment-agnostic.
   */
  readonly env?: Environment;
}

/** The app and its stacks, so tests can assert on each stack's template. */
export interface BuiltApp {
  readonly app: App;
  readonly config: DeploymentConfig;
  readonly dataStack: DataStack;
  readonly apiStack: ApiStack;
  readonly workflowStack: WorkflowStack;
  readonly localReviewStack: LocalReviewStack;
  readonly monitoringStack: MonitoringStack;
}

/**
 * The origins allowed to upload to the agency bucket from a browser: context
 * `uploadAllowedOrigins` plus the origin of `publicBaseUrl` (the agency page's own), when set.
 * Without `publicBaseUrl` the page is on the API's URL, known only at deploy: list it in context.
 */
export function uploadOrigins(
  config: Pick<DeploymentConfig, 'uploadAllowedOrigins' | 'publicBaseUrl'>,
): string[] {
  const origins = [...config.uploadAllowedOrigins];
  if (config.publicBaseUrl) origins.push(new URL(config.publicBaseUrl).origin);
  return [...new Set(origins)];
}

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/** The profile used when context names none: invented people under example.org. */
export const EXAMPLE_PROFILE_PATH = fileURLToPath(new URL('./profiles/example.json', import.meta.url));

/**
 * Builds the CDK app for one deployment. cdk-nag's AWS Solutions, NIST 800-53 rev 5 and
 * Serverless packs are registered as validation plugins, so every synth (the CLI's as much as the tests') fails on an
 * unacknowledged finding, and each acknowledgement is written into the template's
 * `cdk_nag` metadata as an audit trail.
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const app = new App(options.appProps);
  const config = readDeploymentConfig(app);
  const env = options.env ?? {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  };

  const stackNamePrefix = `SafeguardingReviews-${config.stage}`;
  const dataStack = new DataStack(app, `${stackNamePrefix}-Data`, {
    env,
    description: `Safeguarding practice reviews (${config.stage}): key, case table and document buckets`,
    uploadAllowedOrigins: uploadOrigins(config),
  });

  const shared = {
    env,
    dataKey: dataStack.dataKey,
    caseTable: dataStack.caseTable,
    auditTable: dataStack.auditTable,
    caseDocumentBucket: dataStack.caseDocumentBucket,
    agencySummaryUploadBucket: dataStack.agencySummaryUploadBucket,
    // Named, so the API's functions can be granted on it before the workflow stack exists.
    rapidReviewStateMachineName: `${stackNamePrefix}-RapidReview`,
    localReviewStateMachineName: `${stackNamePrefix}-LocalReview`,
  };
  // The API stack comes first: the workflow's emails link to it (unless publicBaseUrl is set)
  // and send through its SES configuration set; the API reaches the workflow by name only.
  const apiStack = new ApiStack(app, `${stackNamePrefix}-Api`, {
    ...shared,
    description: `Safeguarding practice reviews (${config.stage}): HTTP API, staff sign-in, email sending`,
    partnershipProfile: config.partnershipProfile,
    partnershipProfilePath: profileParameterPath(config.stage),
    publicBaseUrl: config.publicBaseUrl,
    signInDomainPrefix: config.signInDomainPrefix,
  });
  const workflowStack = new WorkflowStack(app, `${stackNamePrefix}-Workflow`, {
    ...shared,
    description: `Safeguarding practice reviews (${config.stage}): the rapid-review state machine and its functions`,
    email: apiStack.email,
    configuration: apiStack.serviceConfiguration,
  });

  // The second workflow (issue 13): Local Child Safeguarding Practice Reviews.
  const localReviewStack = new LocalReviewStack(app, `${stackNamePrefix}-LocalReview`, {
    ...shared,
    description: `Safeguarding practice reviews (${config.stage}): the local-review state machine and its functions`,
    email: apiStack.email,
    configuration: apiStack.serviceConfiguration,
  });

  const functions = [
    ...apiStack.functions.values(),
    ...workflowStack.functions.values(),
    ...localReviewStack.functions.values(),
  ];
  const deadLetterQueues: WatchedDeadLetterQueue[] = [
    ...[...apiStack.uploadMalwareProtections].map(([name, protection]) => ({
      id: `${constructIdOf(name)}ScanResults`,
      holds: `GuardDuty's scan results of agency uploads that ${name} could not record in a day of deliveries`,
      queue: protection.scanResultDeadLetterQueue,
    })),
    ...functions.flatMap((fn) =>
      fn.deadLetterQueue
        ? [
            {
              id: constructIdOf(fn.catalogueName),
              holds: `the ${fn.catalogueName} function: events it failed on after Lambda's retries, or EventBridge could not deliver`,
              queue: fn.deadLetterQueue,
            },
          ]
        : [],
    ),
  ];
  const monitoringStack = new MonitoringStack(app, `${stackNamePrefix}-Monitoring`, {
    env,
    description: `Safeguarding practice reviews (${config.stage}): alarms, who they tell, and the operations dashboard`,
    stateMachine: workflowStack.stateMachine,
    localReviewStateMachine: localReviewStack.stateMachine,
    functions,
    httpApi: apiStack.httpApi,
    configurationSet: apiStack.configurationSet,
    deadLetterQueues,
    alarmEmails: config.partnershipProfile.operations?.alarmEmails ?? [],
  });

  Tags.of(app).add('Application', 'safeguarding-practice-reviews');
  Tags.of(app).add('Stage', config.stage);
  Validations.of(app).addPlugins(
    ...nagPacks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );

  return { app, config, dataStack, apiStack, workflowStack, localReviewStack, monitoringStack };
}

/**
 * Reads the deployment's settings from CDK context (`cdk synth -c stage=prod`, or `context` in
 * cdk.json), failing fast on a value that would produce a broken deployment.
 */
export function readDeploymentConfig(app: App): DeploymentConfig {
  const stage: unknown = app.node.tryGetContext('stage');
  if (typeof stage !== 'string' || !STAGE_PATTERN.test(stage)) {
    throw new Error(
      `Context "stage" (cdk.json sets "dev"; override with -c stage=<name>) must be lower-case letters, digits and hyphens, at most 20, starting with a letter; got ${JSON.stringify(stage)}`,
    );
  }
  const partnershipProfilePath = resolve(readOptionalString(app, 'profile') ?? EXAMPLE_PROFILE_PATH);
  return {
    stage,
    uploadAllowedOrigins: readStringList(app, 'uploadAllowedOrigins'),
    partnershipProfilePath,
    partnershipProfile: readPartnershipProfile(partnershipProfilePath),
    publicBaseUrl: readPublicBaseUrl(app),
    signInDomainPrefix: readSignInDomainPrefix(app, stage),
  };
}

/** Cognito's rules for a domain prefix: lower-case letters, digits and hyphens, not naming AWS. */
function readSignInDomainPrefix(app: App, stage: string): string {
  const prefix = readOptionalString(app, 'signInDomainPrefix') ?? `safeguarding-reviews-${stage}`;
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
    throw new Error(
      `Context "signInDomainPrefix" must be lower-case letters, digits and hyphens (at most 63, not containing aws, amazon or cognito); got ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
}

/** Reads and validates the profile file, naming the file in every failure. */
function readPartnershipProfile(path: string): PartnershipProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `Context "profile": cannot read the partnership profile at ${path}: ${(error as Error).message}`,
    );
  }
  let profile: PartnershipProfile;
  try {
    profile = parsePartnershipProfile(text);
  } catch (error) {
    throw new Error(`Context "profile" (${path}): ${(error as Error).message}`);
  }
  return profile;
}

/** An https URL without query, fragment or trailing slash, since links are built by appending paths to it. */
function readPublicBaseUrl(app: App): string | undefined {
  const value = readOptionalString(app, 'publicBaseUrl');
  if (value === undefined) return undefined;
  const trimmed = value.replace(/\/+$/, '');
  if (!/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~-]+)*$/i.test(trimmed)) {
    throw new Error(
      `Context "publicBaseUrl" must be an https URL such as https://reviews.example.org, without query or fragment; got ${JSON.stringify(value)}`,
    );
  }
  return trimmed;
}

/** A string from context; absent or empty reads as undefined. */
function readOptionalString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string')
    throw new Error(`Context "${key}" must be a string; got ${JSON.stringify(value)}`);
  return value;
}

/** A list from context: a JSON array in cdk.json, or a comma-separated string from `-c key=a,b`. */
function readStringList(app: App, key: string): string[] {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return [];
  if (typeof value === 'string') return value.split(',').map((item) => item.trim());
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new Error(
    `Context "${key}" must be a list of strings or a comma-separated string; got ${JSON.stringify(value)}`,
  );
}
