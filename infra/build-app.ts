import { App, type AppProps, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DataStack } from './stacks/data-stack.ts';

/** What one deployment of the service is, read from CDK context. */
export interface DeploymentConfig {
  /** Names this deployment's stacks (`SafeguardingReviews-<stage>-Data`), so stages share an account safely. */
  readonly stage: string;
  /** Web origins of the agency upload page, allowed to POST to the upload bucket. */
  readonly uploadAllowedOrigins: readonly string[];
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
}

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * Builds the CDK app for one deployment. cdk-nag's AWS Solutions pack is registered as a
 * validation plugin, so every synth (the CLI's as much as the tests') fails on an
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
    uploadAllowedOrigins: config.uploadAllowedOrigins,
  });

  Tags.of(app).add('Application', 'safeguarding-practice-reviews');
  Tags.of(app).add('Stage', config.stage);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );

  return { app, config, dataStack };
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
  return { stage, uploadAllowedOrigins: readStringList(app, 'uploadAllowedOrigins') };
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
