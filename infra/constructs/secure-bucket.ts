import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeFindings } from '../nag.ts';

/** Settings every bucket may choose, whatever it holds. */
interface SecureBucketOptions {
  /** Lifecycle rules added to the shared one that clears abandoned multipart uploads. */
  readonly lifecycleRules?: s3.LifecycleRule[];
}

/** A bucket that holds case documents: encrypted with the data key and logged to the access-log bucket. */
export interface DocumentBucketProps extends SecureBucketOptions {
  /** Customer-managed key that encrypts every object (SSE-KMS), so access to documents also needs a KMS grant. */
  readonly encryptionKey: kms.IKey;
  /** Bucket that receives this bucket's server access logs: who read or wrote which document, and when. */
  readonly accessLogBucket: s3.IBucket;
  /** Key prefix in the access-log bucket, so each bucket's logs can be read on their own; ends with `/`. */
  readonly accessLogPrefix: string;
  /** CORS rules, for buckets a browser writes to directly (pre-signed POST). */
  readonly cors?: s3.CorsRule[];
}

/** The bucket that receives the other buckets' server access logs. */
export interface AccessLogTargetBucketProps extends SecureBucketOptions {
  /**
   * Marks this bucket as the server access log target. S3 delivers access logs only to buckets
   * encrypted with S3-managed keys (SSE-S3), and logging the log bucket into itself would loop.
   */
  readonly receivesServerAccessLogs: true;
}

/** Either a document bucket or the access-log target; the two differ only in encryption and logging. */
export type SecureBucketProps = DocumentBucketProps | AccessLogTargetBucketProps;

/**
 * An S3 bucket with the project's storage defaults (ARCHITECTURE §4 rule 8), so no bucket can be
 * declared without them: versioned, every public access path blocked, TLS 1.2+ only, ACLs disabled,
 * retained when the stack is deleted, and never emptied by CloudFormation.
 */
export class SecureBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    const encryption: Partial<s3.BucketProps> =
      'encryptionKey' in props
        ? {
            encryption: s3.BucketEncryption.KMS,
            encryptionKey: props.encryptionKey,
            // Bucket keys cut KMS requests (and cost) for buckets read document by document.
            bucketKeyEnabled: true,
            serverAccessLogsBucket: props.accessLogBucket,
            serverAccessLogsPrefix: props.accessLogPrefix,
            cors: props.cors,
          }
        : { encryption: s3.BucketEncryption.S3_MANAGED };

    super(scope, id, {
      ...encryption,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
      lifecycleRules: [
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        ...(props.lifecycleRules ?? []),
      ],
    });

    const cfnBucket = this.node.defaultChild as s3.CfnBucket;
    acknowledgeFindings(
      cfnBucket,
      ['NIST.800.53.R5-S3BucketReplicationEnabled'],
      'The service keeps case data in the UK: London (eu-west-2) is the only UK region, so there is nowhere in the UK to replicate to. S3 stores every object across several availability zones, and the bucket is versioned and retained.',
    );
    if (!('encryptionKey' in props)) {
      acknowledgeFindings(
        cfnBucket,
        ['NIST.800.53.R5-S3DefaultEncryptionKMS'],
        'S3 delivers server access logs only to a bucket encrypted with S3-managed keys (SSE-S3), so this log target cannot use the KMS key.',
      );
      // On the CfnBucket, not the L2, so the acknowledgement does not spread to the bucket policy.
      Validations.of(this.node.defaultChild as s3.CfnBucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          'This is the server access log target; logging it into itself would loop and logging it elsewhere would need yet another bucket.',
      });
    }
  }
}
