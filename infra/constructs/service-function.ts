import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Arn, ArnFormat, Duration, type SecretValue, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  type ICommandHooks,
  NodejsFunction,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import { type FunctionName, type FunctionSpec, functionCatalogue } from '../../functions/catalogue.ts';
import { agencyUploadPrefix } from '../../shared/agency-links.ts';
import { envNames } from '../../shared/env.ts';
import { acknowledgeFindings } from '../nag.ts';

/** The project root: entries are `functions/<name>/handler.ts` under it, and esbuild runs from it. */
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * How esbuild bundles every function, in one place: `ServiceFunction` passes it to
 * `NodejsFunction`, and `npm run bundles` builds its bare-handler baseline with exactly these
 * options, so the two cannot drift apart.
 */
export const functionBundling = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies call require(); an ES module has none unless made.
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  // The SDK goes into the bundle, so the function runs the versions package-lock.json pins and the tests ran.
  bundleAwsSDK: true,
  // Powertools for AWS Lambda (logger, metrics, tracer and the X-Ray SDK the tracer brings, some
  // 200 KiB) comes from its Lambda layer instead, at the version package-lock.json pins
  // (`powertoolsLayer`): bundled, it would take the page functions over 1 MiB.
  externalModules: ['@aws-lambda-powertools/*'],
  minify: true,
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  // pdf-lib (collate-report) loads two packages it never uses here: its standard fonts' metrics
  // (the papers draw their pages with shared/documents/pdf-writer.ts) and pako, which only
  // deflates (Node's zlib does). Swapped for small stand-ins, they keep collate-report within 1 MiB.
  // An alias resolves from the project root, so pdf-lib's own older tslib (1.x, nested under it)
  // gives way to the one the AWS SDK already brings (2.x, which still exports every helper pdf-lib uses).
  esbuildArgs: {
    '--alias:@pdf-lib/standard-fonts': './shared/documents/pdf-lib-bundling/standard-fonts.ts',
    '--alias:pako': './shared/documents/pdf-lib-bundling/pako.ts',
    '--alias:tslib': 'tslib',
  },
} satisfies BundlingOptions;

/** The version of Powertools for AWS Lambda the tests ran, from package-lock.json's install. */
export const powertoolsVersion = (
  JSON.parse(
    readFileSync(`${projectRoot}node_modules/@aws-lambda-powertools/logger/package.json`, 'utf8'),
  ) as { version: string }
).version;

/**
 * The Powertools for AWS Lambda (TypeScript) layer of exactly that version, in the stack's
 * region: AWS publishes each version's layer ARN in Parameter Store, which CloudFormation reads
 * at deploy time. One per stack.
 */
export function powertoolsLayer(scope: Construct): lambda.ILayerVersion {
  const stack = Stack.of(scope);
  const id = 'PowertoolsLayer';
  const existing = stack.node.tryFindChild(id) as lambda.ILayerVersion | undefined;
  return (
    existing ??
    lambda.LayerVersion.fromLayerVersionArn(
      stack,
      id,
      ssm.StringParameter.valueForStringParameter(
        stack,
        `/aws/service/powertools/typescript/generic/all/${powertoolsVersion}`,
      ),
    )
  );
}

/** `functionBundling` as esbuild's command line says it, for a package bundled into a module of its own. */
const separateModuleFlags = [
  '--bundle',
  '--platform=node',
  `--format=${functionBundling.format}`,
  `--target=${functionBundling.target}`,
  `--main-fields=${functionBundling.mainFields.join(',')}`,
  ...(functionBundling.minify ? ['--minify'] : []),
  ...(functionBundling.keepNames ? ['--keep-names'] : []),
  ...(functionBundling.sourceMap ? ['--sourcemap'] : []),
  `--sources-content=${functionBundling.sourcesContent}`,
  `--banner:js=${functionBundling.banner}`,
  ...Object.entries(functionBundling.esbuildArgs).map(([flag, value]) => `${flag}=${value}`),
  '--log-level=warning',
];

/**
 * The triggers that invoke a function synchronously, each with why it needs no dead-letter queue
 * (its caller sees every failure). Every other trigger (a schedule, an EventBridge rule, anything
 * added later) invokes asynchronously: a failure after Lambda's own retries would be lost
 * without a dead-letter queue, so `ServiceFunction` gives it one.
 */
const SYNCHRONOUS_TRIGGERS: Partial<Record<FunctionSpec['trigger'], string>> = {
  api: 'Invoked synchronously by the HTTP API: the caller receives the failure as the response; there is no event to keep.',
  workflow:
    'Invoked synchronously by the state machine, which retries transient failures and catches the rest (record-failure records them on the case); there is no event to keep.',
  'upload-event':
    'Invoked by its SQS event source: a message it fails on returns to the scan-result queue and, after its redeliveries, goes to that queue’s dead-letter queue.',
};

/**
 * A dead-letter queue: what cdk-nag asks of a working queue (a dead-letter queue of its own)
 * does not apply to it.
 */
export function acknowledgeDeadLetterQueue(queue: sqs.IQueue): void {
  acknowledgeFindings(
    queue,
    ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
    'This queue is itself a dead-letter queue: what reaches it stays 14 days for an operator to replay, and an alarm fires on its first visible message.',
  );
}

/** Whether Lambda invokes the function asynchronously (so it needs a dead-letter queue). */
export function isInvokedAsynchronously(spec: Pick<FunctionSpec, 'trigger'>): boolean {
  return SYNCHRONOUS_TRIGGERS[spec.trigger] === undefined;
}

/** A construct id for a catalogue function: `request-agency-summaries` → `RequestAgencySummaries`. */
export function constructIdOf(name: FunctionName): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** How email leaves the service: the verified sender identities and the configuration set that requires TLS. */
/** The partition keys an agency's functions may read: its link, its case (with the agency requests), its upload forms. */
const AGENCY_READABLE_KEYS = ['LINK#*', 'CASE#*', 'UPLOAD#*'];
/** The email claims the mailer reads and writes so that each email is sent once (`EMAIL#<key>`). */
const EMAIL_CLAIM_KEYS = ['EMAIL#*'];

/** The case table's access levels (see `FunctionSpec.needs.table`). */
type CaseTableAccess = 'read' | 'read-and-issue-uploads' | 'read-and-record-agency-returns' | 'read-write';

export interface EmailSending {
  /** The identities the sender address is verified through (its domain, and the address itself if verified too). */
  readonly identities: readonly ses.IEmailIdentity[];
  /** The configuration set every email is sent through. */
  readonly configurationSet: ses.IConfigurationSet;
}

/** The resources a function may be given, by the name its catalogue `needs` use. */
export interface ServiceResources {
  readonly caseTable: dynamodb.ITable;
  /** The append-only audit trail: granted beside the case table, PutItem and Query at most. */
  readonly auditTable: dynamodb.ITable;
  readonly caseDocumentBucket: s3.IBucket;
  readonly agencySummaryUploadBucket: s3.IBucket;
  /** Absent in a stack that sends no email. */
  readonly email?: EmailSending;
  /** Absent in a stack whose functions never touch the workflow. */
  readonly rapidReviewStateMachine?: sfn.IStateMachine;
  /** Absent in a stack whose functions never touch a local review's workflow (issue 13). */
  readonly localReviewStateMachine?: sfn.IStateMachine;
  /** Absent in a stack that serves no pages. */
  readonly staffSignIn?: StaffSignIn;
  /** The secret key of the possible-duplicate check, as a deploy-time dynamic reference. */
  readonly duplicateCheckKey?: SecretValue;
  /** The agency details pages' own key, as a deploy-time dynamic reference. */
  readonly agencyDetailsKey?: SecretValue;
}

/** What the web pages sign staff in with: the Cognito hosted UI, and the key that signs session cookies. */
export interface StaffSignIn {
  /** `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly cognitoDomain: string;
  readonly cognitoClientId: string;
  /** The user pool's issuer URL. */
  readonly cognitoIssuer: string;
  /**
   * The session-signing key. A Secrets Manager dynamic reference: CloudFormation resolves it at
   * deploy time, so the value is in neither the template nor cdk.out, only in the function's
   * environment, encrypted with the data key.
   */
  readonly sessionSecret: SecretValue;
}

/** What every function of one deployment is told, whatever it needs. */
export interface ServiceConfiguration {
  /**
   * The Parameter Store path the partnership profile is kept under (`/safeguarding-reviews/<stage>`,
   * infra/constructs/partnership-profile-parameters.ts).
   */
  readonly partnershipProfilePath: string;
  /** Base URL people reach the service at, without a trailing slash; links in emails start with it. */
  readonly publicBaseUrl: string;
}

/** Properties of one function. */
export interface ServiceFunctionProps {
  /** The function's name in functions/catalogue.ts; its handler is `functions/<name>/handler.ts`. */
  readonly name: FunctionName;
  /** Customer-managed key that encrypts the function's log group and its environment variables. */
  readonly dataKey: kms.IKey;
  readonly configuration: ServiceConfiguration;
  /** The resources its catalogue entry's `needs` are granted on. */
  readonly resources: ServiceResources;
  /**
   * How long its logs are kept.
   *
   * @default three months, matching the 90 days Step Functions keeps execution history
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One Lambda function of the catalogue with the project's defaults fixed in one place: Node.js
 * 24 on arm64, ESM bundled locally by esbuild, X-Ray tracing, JSON logs into its own encrypted
 * log group, environment encrypted with the data key, and a role of its own that holds nothing
 * but what its catalogue entry needs. Each need is granted by one method that sets the
 * environment variable and makes the L2 grant together, so the two cannot drift apart.
 */
export class ServiceFunction extends Construct {
  /** The catalogue name, e.g. `request-agency-summaries`. */
  public readonly catalogueName: FunctionName;
  public readonly spec: FunctionSpec;
  public readonly function: NodejsFunction;
  /** The function's own execution role, shared with no other function. */
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /**
   * Where an asynchronous invocation goes once Lambda's two retries have failed (and where its
   * EventBridge rule sends an event it could not deliver): kept 14 days for an operator to
   * replay. Absent for a function invoked synchronously (see `isInvokedAsynchronously`).
   */
  public readonly deadLetterQueue: sqs.Queue | undefined;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const spec: FunctionSpec = functionCatalogue[props.name];
    this.catalogueName = props.name;
    this.spec = spec;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.dataKey,
    });

    // A role of our own rather than the default one: the default carries the AWS managed
    // AWSLambdaBasicExecutionRole, which may create any log group and write to all of them.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.name} function: ${spec.description}`,
    });
    this.logGroup.grantWrite(this.role);

    // The events (a schedule's, a rule's) carry case ids at most, no personal data: SQS's own encryption is enough.
    this.deadLetterQueue = isInvokedAsynchronously(spec)
      ? new sqs.Queue(this, 'DeadLetterQueue', {
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        })
      : undefined;
    if (this.deadLetterQueue) acknowledgeDeadLetterQueue(this.deadLetterQueue);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${projectRoot}functions/${props.name}/handler.ts`,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      // PDF collation and MIME building need more than the 128 MB default; on Lambda, memory also buys CPU.
      memorySize: 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 30),
      role: this.role,
      ...(this.deadLetterQueue ? { deadLetterQueue: this.deadLetterQueue } : {}),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      // Encrypted with the data key like all case data.
      environmentEncryption: props.dataKey,
      layers: [powertoolsLayer(this)],
      environment: {
        [envNames.publicBaseUrl]: props.configuration.publicBaseUrl,
        NODE_OPTIONS: '--enable-source-maps',
        // Traces keep neither a handler's response (a page, a case) nor an error's message,
        // either of which may hold personal data (shared/observability.ts).
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
      },
      bundling: {
        ...functionBundling,
        ...(spec.bundledFiles?.length || spec.separateModules?.length
          ? { commandHooks: afterBundling(spec.bundledFiles ?? [], spec.separateModules ?? []) }
          : {}),
      },
    });
    props.dataKey.grantDecrypt(this.role);

    // X-Ray accepts trace segments only on resource "*"; there is no trace resource to name.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so active tracing needs resource "*"; CDK adds exactly these two.',
    });

    this.acknowledgeNagFindings();
    this.grantNeeds(props.resources);
    // The API and workflow wrappers read the profile before every invocation; the upload event handler never does.
    if (spec.trigger !== 'upload-event')
      this.readPartnershipProfile(props.configuration.partnershipProfilePath);
  }

  /**
   * Reads the partnership profile from Parameter Store: GetParametersByPath on its path (which
   * covers every parameter below it), nothing else. The parameters are plain String ones, so no
   * key is needed to read them.
   */
  public readPartnershipProfile(path: string): void {
    this.function.addEnvironment(envNames.partnershipProfilePath, path);
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['ssm:GetParametersByPath'],
      resourceArns: [
        Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName: path.slice(1) }),
      ],
    });
  }

  /**
   * Signs staff in through the Cognito hosted UI: where it is, the app client, the issuer of
   * its ID tokens, and the session-signing key. Nothing to grant: the token exchange and the
   * JWKS are public endpoints.
   */
  public signStaffIn(signIn: StaffSignIn): void {
    this.function.addEnvironment(envNames.cognitoDomain, signIn.cognitoDomain);
    this.function.addEnvironment(envNames.cognitoClientId, signIn.cognitoClientId);
    this.function.addEnvironment(envNames.cognitoIssuer, signIn.cognitoIssuer);
    this.function.addEnvironment(envNames.sessionSecret, signIn.sessionSecret.unsafeUnwrap());
  }

  /** The function's ARN; the state machine invokes it by this. */
  public get functionArn(): string {
    return this.function.functionArn;
  }

  /** Lets the principal (the state machine, an event source) invoke this function. */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvoke(grantee);
  }

  /**
   * Reads (`read`) or reads and writes (`read-write`) the case table: cases, tokens, email claims
   * and session revocations; and the audit table beside it, which is append-only: `read` may
   * query it, `read-write` may also put new events (the store's condition refuses one that
   * exists). No role of the service gets UpdateItem, DeleteItem or BatchWriteItem on it.
   */
  public useCaseTable(table: dynamodb.ITable, auditTable: dynamodb.ITable, access: CaseTableAccess): void {
    this.function.addEnvironment(envNames.tableName, table.tableName);
    this.function.addEnvironment(envNames.auditTableName, auditTable.tableName);
    const agencyLink = access === 'read-and-issue-uploads' || access === 'read-and-record-agency-returns';
    if (access === 'read') {
      table.grantReadData(this.role);
    } else if (agencyLink) {
      // Reached by anyone holding an agency's link: reads only what an agency's page needs (its
      // link, its case and the agency requests, the forms it issued), never staff data in the
      // same table (notification drafts, sessions, idempotency keys; email claims only to record
      // a return and send its receipt), and puts the issued-upload items (partition key UPLOAD#<id>).
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': AGENCY_READABLE_KEYS } },
        }),
      );
      table.encryptionKey?.grantDecrypt(this.role);
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['UPLOAD#*'] } },
        }),
      );
      if (access === 'read-and-record-agency-returns') {
        // The structured return: the agency request's new version (a put in a transaction that
        // checks the case's version) and its draft, both under the case's partition; and the
        // receipt's email claim, which the mailer reads, puts, marks and releases.
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
            resources: [table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CASE#*'] } },
          }),
        );
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: [
              'dynamodb:BatchGetItem',
              'dynamodb:PutItem',
              'dynamodb:BatchWriteItem',
              'dynamodb:DeleteItem',
            ],
            resources: [table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': EMAIL_CLAIM_KEYS } },
          }),
        );
      }
      table.encryptionKey?.grantEncrypt(this.role);
    } else {
      table.grantReadWriteData(this.role);
      this.acknowledgeActions(['kms:ReEncrypt*', 'kms:GenerateDataKey*'], KMS_WRITE_REASON);
    }
    acknowledgeWildcardResource(this.role, table.tableArn, '/index/*', TABLE_INDEX_REASON);
    if (agencyLink) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          // Recording a return appends its audit event; nothing of an agency's updates or deletes one.
          actions:
            access === 'read-and-record-agency-returns'
              ? ['dynamodb:Query', 'dynamodb:PutItem']
              : ['dynamodb:Query'],
          resources: [auditTable.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CASE#*'] } },
        }),
      );
      return;
    }
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: access === 'read-write' ? ['dynamodb:Query', 'dynamodb:PutItem'] : ['dynamodb:Query'],
      resourceArns: [auditTable.tableArn],
    });
    // Both tables are encrypted with the data key: the case table's grant above gives its data keys.
  }

  /** Reads, puts (`write`), or reads and puts every document of a case in the case document bucket; never deletes. */
  public useCaseDocumentBucket(bucket: s3.IBucket, access: 'read' | 'write' | 'read-write'): void {
    this.function.addEnvironment(envNames.documentBucket, bucket.bucketName);
    if (access !== 'write') bucket.grantRead(this.role);
    if (access !== 'read') bucket.grantPut(this.role);
    this.acknowledgeBucketGrant(bucket, '*', access);
  }

  /**
   * Uses the agency upload bucket, only under `uploads/`: reading or reading and writing the
   * uploaded summaries, or (`presign-post`) signing pre-signed POSTs, which S3 honours only if
   * the signer itself may put the object.
   */
  public useAgencyUploadBucket(bucket: s3.IBucket, access: 'read' | 'read-write' | 'presign-post'): void {
    this.function.addEnvironment(envNames.uploadBucket, bucket.bucketName);
    const objects = `${agencyUploadPrefix}*`;
    if (access === 'read') bucket.grantRead(this.role, objects);
    else if (access === 'read-write') bucket.grantReadWrite(this.role, objects);
    else bucket.grantPut(this.role, objects);
    this.acknowledgeBucketGrant(bucket, objects, access);
  }

  /** Sends email from the verified sender identities, only through the TLS-requiring configuration set. */
  public sendEmail(email: EmailSending): void {
    this.function.addEnvironment(envNames.sesConfigurationSet, email.configurationSet.configurationSetName);
    for (const identity of email.identities) identity.grantSendEmail(this.role);
    // SES v2 authorises SendEmail against the configuration set too; it has no L2 grant of its own.
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [
        Stack.of(this).formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: email.configurationSet.configurationSetName,
        }),
      ],
    });
  }

  /**
   * Uses the rapid-review state machine: starts executions (`start`), completes callback tasks
   * (`callback`), reads its executions (`read`: describe and history, for the case's current
   * step and for failure records), or watches them all (`observe`: the same, and
   * DescribeStateMachine for the definition the operations pages draw and read waits from).
   */
  public useRapidReviewStateMachine(
    stateMachine: sfn.IStateMachine,
    access: 'start' | 'callback' | 'read' | 'observe',
  ): void {
    this.function.addEnvironment(envNames.stateMachineArn, stateMachine.stateMachineArn);
    this.#grantStateMachine(stateMachine, access);
  }

  /** Uses the local-review state machine (issue 13) as `useRapidReviewStateMachine` does the rapid-review one. */
  public useLocalReviewStateMachine(
    stateMachine: sfn.IStateMachine,
    access: 'start' | 'callback' | 'read' | 'observe',
  ): void {
    this.function.addEnvironment(envNames.localReviewStateMachineArn, stateMachine.stateMachineArn);
    this.#grantStateMachine(stateMachine, access);
  }

  #grantStateMachine(
    stateMachine: sfn.IStateMachine,
    access: 'start' | 'callback' | 'read' | 'observe',
  ): void {
    if (access === 'start') {
      stateMachine.grantStartExecution(this.role);
    } else if (access === 'callback') {
      stateMachine.grantTaskResponse(this.role);
    } else {
      // On the state machine itself, not "*" (grantRead() would add ListActivities and DescribeActivity on "*").
      if (access === 'observe') stateMachine.grant(this.role, 'states:DescribeStateMachine');
      // Narrower than grantRead(), which adds ListActivities, DescribeActivity and DescribeStateMachine on "*".
      stateMachine.grantExecution(this.role, 'states:DescribeExecution', 'states:GetExecutionHistory');
      stateMachine.grant(this.role, 'states:ListExecutions');
      // The execution ARN pattern grantExecution() builds, from the state machine's name.
      const { resourceName } = Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME);
      acknowledgeWildcardResource(
        this.role,
        Stack.of(this).formatArn({
          service: 'states',
          resource: 'execution',
          resourceName: `${resourceName}:`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
        '*',
        'Executions are named by case id, so reading a case’s execution needs every execution name of this one state machine.',
      );
    }
  }

  /** Applies the function's catalogue `needs`, failing when this stack does not provide one of them. */
  private grantNeeds(resources: ServiceResources): void {
    const needs = this.spec.needs;
    if (needs.table) this.useCaseTable(resources.caseTable, resources.auditTable, needs.table);
    if (needs.documentBucket) this.useCaseDocumentBucket(resources.caseDocumentBucket, needs.documentBucket);
    if (needs.removesNotificationDocuments) {
      resources.caseDocumentBucket.grantDelete(this.role, 'cases/*/notification.json');
      // The bucket is versioned: removing a document for good lists its versions to delete each.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucketVersions'],
          resources: [resources.caseDocumentBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': 'cases/*/notification.json' } },
        }),
      );
      this.acknowledgeActions(
        ['s3:DeleteObject*'],
        'The L2 delete grant, on notification documents of this one bucket only.',
      );
      acknowledgeWildcardResource(
        this.role,
        resources.caseDocumentBucket.bucketArn,
        '/cases/*/notification.json',
        'Notification documents are keyed by case id; the delete is limited to them, in this one bucket.',
      );
    }
    if (needs.uploadBucket)
      this.useAgencyUploadBucket(resources.agencySummaryUploadBucket, needs.uploadBucket);
    if (needs.email) {
      if (!resources.email)
        throw new Error(`Function ${this.catalogueName} needs email, but its stack sends none`);
      this.sendEmail(resources.email);
    }
    if (needs.stateMachine) {
      if (!resources.rapidReviewStateMachine) {
        throw new Error(`Function ${this.catalogueName} needs the state machine, but its stack has none`);
      }
      for (const access of [needs.stateMachine].flat()) {
        this.useRapidReviewStateMachine(resources.rapidReviewStateMachine, access);
      }
    }
    if (needs.localReviewStateMachine) {
      if (!resources.localReviewStateMachine) {
        throw new Error(
          `Function ${this.catalogueName} needs the local-review state machine, but its stack has none`,
        );
      }
      for (const access of [needs.localReviewStateMachine].flat()) {
        this.useLocalReviewStateMachine(resources.localReviewStateMachine, access);
      }
    }
    if (needs.checksDuplicates) {
      if (!resources.duplicateCheckKey)
        throw new Error(`Function ${this.catalogueName} checks for duplicates, but its stack has no key`);
      // A dynamic reference: CloudFormation resolves it at deploy time; the template holds none.
      this.function.addEnvironment(envNames.duplicateCheckKey, resources.duplicateCheckKey.unsafeUnwrap());
    }
    if (needs.agencyDetailsKey) {
      if (!resources.agencyDetailsKey)
        throw new Error(
          `Function ${this.catalogueName} needs the agency details key, but its stack has none`,
        );
      this.function.addEnvironment(envNames.agencyDetailsSecret, resources.agencyDetailsKey.unsafeUnwrap());
    }
    if (needs.staffSignIn) {
      if (!resources.staffSignIn)
        throw new Error(`Function ${this.catalogueName} signs staff in, but its stack has no sign-in`);
      this.signStaffIn(resources.staffSignIn);
    }
  }

  private acknowledgeBucketGrant(
    bucket: s3.IBucket,
    objects: string,
    access: 'read' | 'write' | 'read-write' | 'presign-post',
  ): void {
    const reads = access !== 'presign-post' && access !== 'write';
    const writes = access !== 'read';
    this.acknowledgeActions(
      [
        ...(reads ? ['s3:GetObject*', 's3:GetBucket*', 's3:List*'] : []),
        ...(access === 'read-write' && objects !== '*' ? ['s3:DeleteObject*'] : []),
        ...(writes ? ['s3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] : []),
      ],
      'These action families are what the L2 bucket grant gives (object versions, multipart uploads, SSE-KMS data keys), on this one bucket and its key only.',
    );
    acknowledgeWildcardResource(
      this.role,
      bucket.bucketArn,
      `/${objects}`,
      objects === '*'
        ? 'Case documents are keyed by case id, so the function needs the objects of this one bucket, not any other bucket.'
        : `Agency summaries are keyed by case and agency under ${agencyUploadPrefix}; the grant is limited to that prefix of this one bucket.`,
    );
  }

  /** The NIST 800-53 and Serverless findings every function of the service has, each with its reason. */
  private acknowledgeNagFindings(): void {
    acknowledgeFindings(
      this.function,
      ['NIST.800.53.R5-LambdaConcurrency'],
      'Reserved concurrency would carve a share of the account’s pool for each of some thirty functions serving a few requests a minute; the API stage’s throttle (25 a second, burst 50) and the state machine pace the load instead.',
    );
    acknowledgeFindings(
      this.function,
      ['NIST.800.53.R5-LambdaInsideVPC'],
      'The functions reach only AWS services (DynamoDB, S3, SES, Step Functions, Parameter Store) through their public endpoints, over TLS and authorised by IAM; there is no private resource to reach, so a VPC would add NAT or endpoints and protect nothing.',
    );
    acknowledgeFindings(
      this.role,
      ['NIST.800.53.R5-IAMNoInlinePolicy'],
      'The role belongs to this one function; the L2 grants write its least-privilege statements as the role’s own policy (held to a table by test/infra/least-privilege.test.ts). A managed policy would be no narrower, and could be attached to other roles.',
    );
    const synchronously = SYNCHRONOUS_TRIGGERS[this.spec.trigger];
    if (synchronously !== undefined) {
      acknowledgeFindings(this.function, ['NIST.800.53.R5-LambdaDLQ', 'Serverless-LambdaDLQ'], synchronously);
    }
    if (this.spec.trigger === 'upload-event') {
      acknowledgeFindings(
        this.function,
        ['Serverless-LambdaEventSourceMappingDestination'],
        'Its event source is an SQS queue, whose own dead-letter queue keeps a message the function failed on; Lambda offers on-failure destinations only for stream and Kafka sources.',
      );
    }
  }

  private acknowledgeActions(actions: readonly string[], reason: string): void {
    for (const action of actions) {
      Validations.of(this.role).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
    }
  }
}

/**
 * esbuild bundles what is imported; files read from disk at run time (templates, static assets)
 * are copied next to the bundle after it is built, where the function looks first. Packages
 * loaded only when first needed are bundled into modules of their own beside it, with the
 * handler's own esbuild options (`functionBundling`).
 */
function afterBundling(
  files: readonly { from: string; to: string }[],
  modules: readonly { package: string; to: string }[],
): ICommandHooks {
  const quote = (path: string) => `'${path.replace(/'/g, "'\\''")}'`;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      ...files.map(({ from, to }) => {
        const target = `${outputDir}/${to}`;
        return `mkdir -p ${quote(dirname(target))} && cp -R ${quote(`${inputDir}/${from}`)} ${quote(target)}`;
      }),
      ...modules.map(({ package: name, to }) =>
        [
          `${inputDir}/node_modules/.bin/esbuild`,
          `${inputDir}/node_modules/${name}`,
          ...separateModuleFlags,
          `--outfile=${outputDir}/${to}`,
        ]
          .map(quote)
          .join(' '),
      ),
    ],
  };
}

const KMS_WRITE_REASON =
  'Writing SSE-KMS encrypted data needs the key’s data-key families (GenerateDataKey*, ReEncrypt*), granted by the L2 grant on the data key only.';
const TABLE_INDEX_REASON =
  'The L2 table grant covers the table and its indexes (gsi1, and gsi2 the month index); all belong to the one case table.';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for a wildcard resource `<arn><suffix>` in
 * the policies under `scope`, with a reason. A finding names the resource as the template
 * will: an ARN from another stack appears as that stack's output, known only once CDK has
 * resolved cross-stack references. So the finding id is worked out then, in a validation step
 * that runs after that resolution and before cdk-nag, and the acknowledgement is also written
 * into the policy's `cdk_nag` metadata, where the earlier audit-trail aspect cannot see it.
 */
export function acknowledgeWildcardResource(
  scope: Construct,
  arn: string,
  suffix: string,
  reason: string,
): void {
  scope.node.addValidation({
    validate: () => {
      const id = `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}${suffix}]`;
      Validations.of(scope).acknowledge({ id, reason });
      for (const child of scope.node.findAll()) {
        if (child instanceof iam.CfnPolicy) {
          const metadata = child.getMetadata('cdk_nag') as { rules_to_suppress?: unknown[] } | undefined;
          const rules = metadata?.rules_to_suppress ?? [];
          child.addMetadata('cdk_nag', { ...metadata, rules_to_suppress: [...rules, { id, reason }] });
        }
      }
      return [];
    },
  });
}
