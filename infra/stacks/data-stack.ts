import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { agencyUploadPrefix } from '../../shared/agency-links.ts';
import { SecureBucket } from '../constructs/secure-bucket.ts';
import { acknowledgeFindings } from '../nag.ts';

/** Configuration of the stateful resources of one deployment. */
export interface DataStackProps extends StackProps {
  /**
   * Web origins (scheme, host and optional port, no path or trailing slash, e.g.
   * `https://reviews.example.org`) whose upload page may POST agency summaries straight to the
   * upload bucket. Without any, the bucket has no CORS rule and browsers cannot post to it from
   * another origin.
   *
   * @default []
   */
  readonly uploadAllowedOrigins?: readonly string[];
}

/**
 * Everything that holds case data and must outlive any redeployment: the customer-managed key,
 * the case table and the document buckets. Later stacks (workflow, API, monitoring) take these
 * through the public properties and grant their functions access with L2 grants.
 */
export class DataStack extends Stack {
  /** Customer-managed key encrypting the table, the document buckets and (later) CloudWatch log groups. */
  public readonly dataKey: kms.IKey;
  /** The single table: cases, capability-link tokens, task tokens and audit events (`pk`/`sk`, `gsi1`). */
  public readonly caseTable: dynamodb.ITable;
  /**
   * The audit trail, apart from the case table so IAM can keep it append-only: every role gets
   * PutItem and Query on it at most (`pk` `CASE#<id>`, `sk` `AUDIT#<eventId>`).
   */
  public readonly auditTable: dynamodb.ITable;
  /** Notifications, collated reports, papers for the Rapid Review Group and covering letters. */
  public readonly caseDocumentBucket: s3.IBucket;
  /** Agency summaries uploaded by agency SPOCs through pre-signed POST. */
  public readonly agencySummaryUploadBucket: s3.IBucket;
  /** Server access logs of the two document buckets. */
  public readonly accessLogBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, props);

    const dataKey = new kms.Key(this, 'DataKey', {
      description: `Encrypts case data of ${this.stackName}: table, document buckets and log groups`,
      alias: `alias/${this.stackName}/data`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Log groups are encrypted by the CloudWatch Logs service itself, which needs the key policy
    // to let it in; the condition limits it to this account's log groups in this region. In a key
    // policy the resource `*` means "this key".
    dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.${this.urlSuffix}`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*`,
          },
        },
      }),
    );

    const caseTable = new dynamodb.Table(this, 'CaseTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAtEpoch',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: dataKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    caseTable.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    // The month index (issue 14): each case and its agency requests under the London month it was
    // notified, so the scrutiny report and the dashboard read a month in one query, never a scan.
    caseTable.addGlobalSecondaryIndex({
      indexName: 'gsi2',
      partitionKey: { name: 'gsi2pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    const auditTable = new dynamodb.Table(this, 'AuditTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: dataKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogBucket = new SecureBucket(this, 'AccessLogBucket', { receivesServerAccessLogs: true });

    const caseDocumentBucket = new SecureBucket(this, 'CaseDocumentBucket', {
      encryptionKey: dataKey,
      accessLogBucket,
      accessLogPrefix: 'case-documents/',
    });

    const uploadAllowedOrigins = props.uploadAllowedOrigins ?? [];
    uploadAllowedOrigins.forEach(assertIsWebOrigin);
    const agencySummaryUploadBucket = new SecureBucket(this, 'AgencySummaryUploadBucket', {
      encryptionKey: dataKey,
      accessLogBucket,
      accessLogPrefix: 'agency-summary-uploads/',
      // A pre-signed POST from the upload page is a cross-origin form post; S3 must answer it
      // with CORS headers for the page to see the result. Nothing else is allowed cross-origin.
      cors:
        uploadAllowedOrigins.length > 0
          ? [
              {
                allowedMethods: [s3.HttpMethods.POST],
                allowedOrigins: [...uploadAllowedOrigins],
                maxAge: 3000,
              },
            ]
          : undefined,
      lifecycleRules: [
        {
          // A staging area: an accepted file is copied into the case document bucket as its own
          // object, a refused one deleted, so an upload need not outlive its checks (and their retries).
          id: 'ExpireUploadsOnceFiled',
          prefix: agencyUploadPrefix,
          expiration: Duration.days(30),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });

    for (const table of [caseTable, auditTable]) {
      acknowledgeFindings(
        table,
        ['NIST.800.53.R5-DynamoDBInBackupPlan'],
        'Point-in-time recovery keeps continuous backups for 35 days, restorable to any second; the table is retained and deletion-protected. An AWS Backup plan would add a second copy in the same region (the only UK one) and no protection.',
      );
    }

    this.dataKey = dataKey;
    this.caseTable = caseTable;
    this.auditTable = auditTable;
    this.caseDocumentBucket = caseDocumentBucket;
    this.agencySummaryUploadBucket = agencySummaryUploadBucket;
    this.accessLogBucket = accessLogBucket;

    new CfnOutput(this, 'CaseTableName', { value: caseTable.tableName });
    new CfnOutput(this, 'AuditTableName', { value: auditTable.tableName });
    new CfnOutput(this, 'CaseDocumentBucketName', { value: caseDocumentBucket.bucketName });
    new CfnOutput(this, 'AgencySummaryUploadBucketName', { value: agencySummaryUploadBucket.bucketName });
    new CfnOutput(this, 'AccessLogBucketName', { value: accessLogBucket.bucketName });
  }
}

/**
 * Browsers send `Origin` as scheme://host[:port] with no path, so anything else in the list would
 * silently never match; `*` would let any site use the upload form's CORS rule.
 */
function assertIsWebOrigin(origin: string): void {
  const isLocalDevelopment = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin);
  const isHttpsOrigin = /^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin);
  if (!isLocalDevelopment && !isHttpsOrigin) {
    throw new Error(
      `uploadAllowedOrigins: "${origin}" is not a web origin; give https://host[:port] with no path or trailing slash`,
    );
  }
}
