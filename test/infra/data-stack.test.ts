import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataStack } from '../../infra/stacks/data-stack.ts';
import { acknowledgementsIn, buildTestApp, cdkMessages, logicalIdOf, nagFindings } from './app-under-test.ts';

function buildDataStack(context: Record<string, unknown> = {}): DataStack {
  return buildTestApp(context).dataStack;
}

describe('DataStack', () => {
  let stack: DataStack;
  let template: Template;
  let dataKeyArn: unknown;
  let accessLogBucketId: string;
  let documentBucketIds: string[];

  beforeAll(() => {
    stack = buildDataStack();
    template = Template.fromStack(stack);
    dataKeyArn = stack.resolve(stack.dataKey.keyArn);
    accessLogBucketId = logicalIdOf(stack.accessLogBucket);
    documentBucketIds = [logicalIdOf(stack.caseDocumentBucket), logicalIdOf(stack.agencySummaryUploadBucket)];
  });

  describe('data key', () => {
    it('is customer-managed, rotated, aliased and retained', () => {
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResource('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::KMS::Alias', {
        AliasName: 'alias/SafeguardingReviews-dev-Data/data',
        TargetKeyId: dataKeyArn,
      });
    });

    it("lets CloudWatch Logs of this region use it, only for this account's log groups", () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: {
                Service: Match.objectLike({ 'Fn::Join': ['', ['logs.eu-west-2.', Match.anyValue()]] }),
              },
              Action: Match.arrayWith(['kms:Decrypt*', 'kms:GenerateDataKey*']),
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-2:111111111111:log-group:*',
                },
              },
            }),
          ]),
        },
      });
    });
  });

  describe('case table', () => {
    it('has the single-table keys, the status index, the month index and the TTL attribute', () => {
      // The case table and the audit table (test/infra/least-privilege.test.ts).
      template.resourceCountIs('AWS::DynamoDB::Table', 2);
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'gsi2',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      });
    });

    it('is encrypted with the data key, recoverable to a point in time and protected from deletion', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: {
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: dataKeyArn },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('buckets', () => {
    it('are three, all retained, versioned, ACL-free and closed to the public', () => {
      template.resourceCountIs('AWS::S3::Bucket', 3);
      template.allResources('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          VersioningConfiguration: { Status: 'Enabled' },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        }),
      });
    });

    it('each deny any request not made over TLS', () => {
      for (const bucketId of [accessLogBucketId, ...documentBucketIds]) {
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: bucketId },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: 's3:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    });

    it('encrypt documents with the data key and log every access to the access-log bucket', () => {
      for (const bucketId of documentBucketIds) {
        expect(template.toJSON().Resources[bucketId].Properties).toMatchObject({
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: dataKeyArn } },
            ],
          },
          LoggingConfiguration: { DestinationBucketName: { Ref: accessLogBucketId } },
        });
      }
    });

    it('encrypt access logs with S3-managed keys, the only encryption S3 log delivery accepts', () => {
      expect(template.toJSON().Resources[accessLogBucketId].Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
      expect(template.toJSON().Resources[accessLogBucketId].Properties.LoggingConfiguration).toBeUndefined();
    });

    it('have no CORS rule on the upload bucket when no upload origin is configured', () => {
      const uploadBucketId = logicalIdOf(stack.agencySummaryUploadBucket);
      expect(template.toJSON().Resources[uploadBucketId].Properties.CorsConfiguration).toBeUndefined();
    });

    it('keep an upload only as long as its checks need: accepted files are filed with the case documents', () => {
      const uploadBucketId = logicalIdOf(stack.agencySummaryUploadBucket);
      const rules = template.toJSON().Resources[uploadBucketId].Properties.LifecycleConfiguration.Rules;

      expect(rules).toContainEqual({
        Id: 'ExpireUploadsOnceFiled',
        Prefix: 'uploads/',
        ExpirationInDays: 30,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        Status: 'Enabled',
      });
    });

    it('let only the configured origins POST to the upload bucket', () => {
      const withOrigins = buildDataStack({ uploadAllowedOrigins: ['https://reviews.example.org'] });
      const uploadBucketId = logicalIdOf(withOrigins.agencySummaryUploadBucket);
      const documentBucketId = logicalIdOf(withOrigins.caseDocumentBucket);

      const resources = Template.fromStack(withOrigins).toJSON().Resources;

      expect(resources[uploadBucketId].Properties.CorsConfiguration).toEqual({
        CorsRules: [
          { AllowedMethods: ['POST'], AllowedOrigins: ['https://reviews.example.org'], MaxAge: 3000 },
        ],
      });
      expect(resources[documentBucketId].Properties.CorsConfiguration).toBeUndefined();
    });

    it('refuse an upload origin a browser would never send', () => {
      for (const origin of [
        '*',
        'https://reviews.example.org/',
        'reviews.example.org',
        'http://reviews.example.org',
      ]) {
        expect(() => buildDataStack({ uploadAllowedOrigins: [origin] })).toThrow(/not a web origin/);
      }
    });
  });

  it('outputs the table and bucket names', () => {
    template.hasOutput('CaseTableName', { Value: { Ref: logicalIdOf(stack.caseTable) } });
    template.hasOutput('CaseDocumentBucketName', { Value: { Ref: documentBucketIds[0] } });
    template.hasOutput('AgencySummaryUploadBucketName', { Value: { Ref: documentBucketIds[1] } });
    template.hasOutput('AccessLogBucketName', { Value: { Ref: accessLogBucketId } });
  });

  it('raises no CDK warnings or errors', () => {
    expect(cdkMessages(stack)).toEqual([]);
  });

  describe('cdk-nag (AwsSolutions)', () => {
    it('has no unacknowledged finding', () => {
      expect(nagFindings(stack)).toEqual([]);
    });

    it('would report an unlogged bucket, so the check above can fail', () => {
      const probe = buildDataStack();
      new s3.Bucket(probe, 'UnloggedBucket', { enforceSSL: true });
      expect(nagFindings(probe)).toEqual([
        expect.stringMatching(/^error AwsSolutions-S1 at .*\/UnloggedBucket\//),
      ]);
    });

    it('carries a written reason with every acknowledgement, in the template as an audit trail', () => {
      const acknowledgements = acknowledgementsIn(template);

      expect(acknowledgements).toContainEqual(
        expect.objectContaining({ logicalId: accessLogBucketId, id: 'AwsSolutions-S1' }),
      );
      for (const { logicalId, id, reason } of acknowledgements) {
        expect(reason.trim().length, `reason for ${id} on ${logicalId}`).toBeGreaterThanOrEqual(20);
      }
    });
  });
});
