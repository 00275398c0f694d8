import { S3Client } from '@aws-sdk/client-s3';

let client: S3Client | undefined;

/**
 * The S3 client, made once per container; its endpoint comes from AWS_ENDPOINT_URL_S3 when set.
 * Path-style addressing lets an IP endpoint work locally; on AWS it is valid for the bucket names
 * this service creates.
 */
export function s3Client(): S3Client {
  client ??= new S3Client({ forcePathStyle: true });
  return client;
}
