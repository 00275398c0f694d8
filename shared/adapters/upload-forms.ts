import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { requireEnv } from '../env.ts';
import { s3Client } from './clients/s3.ts';

export type { PresignedPost } from '@aws-sdk/s3-presigned-post';

/** What an upload form allows. */
export interface UploadFormOptions {
  /**
   * The one type the form sends (a `Content-Type` field is included), or `{ startsWith }` for a
   * form whose page lets the person choose the type (no `Content-Type` field: the form supplies it).
   */
  contentType: string | { startsWith: string };
  maxBytes: number;
  expiresInSeconds: number;
  /**
   * Where S3 sends the browser (303) after a plain HTML form upload; it becomes a field and part
   * of the policy.
   */
  successRedirect?: string;
}

/** The port that issues browser upload forms for one bucket. */
export interface UploadForms {
  readonly bucket: string;
  /** A pre-signed POST for exactly one key, limited in size and content type. */
  uploadForm(key: string, options: UploadFormOptions): Promise<PresignedPost>;
}

/**
 * Pre-signed POST forms into the agency upload bucket. S3 enforces the policy on AWS; the
 * upload handler re-checks size and type because local S3 enforces neither.
 */
export class S3UploadForms implements UploadForms {
  readonly #s3: S3Client;
  readonly bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.bucket = bucket;
  }

  async uploadForm(key: string, options: UploadFormOptions): Promise<PresignedPost> {
    const exactType = typeof options.contentType === 'string' ? options.contentType : undefined;
    const typeCondition: ['eq' | 'starts-with', string, string] =
      typeof options.contentType === 'string'
        ? ['eq', '$Content-Type', options.contentType]
        : ['starts-with', '$Content-Type', options.contentType.startsWith];
    return createPresignedPost(this.#s3, {
      Bucket: this.bucket,
      Key: key,
      // From 0, not 1: S3 answers an empty file with an XML error page of its own, which a browser
      // without JavaScript shows as it is; taken in, the file is refused by record-summary and the
      // agency's page says why in a GOV.UK error summary.
      Conditions: [['content-length-range', 0, options.maxBytes], typeCondition],
      Fields: {
        ...(exactType ? { 'Content-Type': exactType } : {}),
        ...(options.successRedirect ? { success_action_redirect: options.successRedirect } : {}),
      },
      Expires: options.expiresInSeconds,
    });
  }
}

let forms: S3UploadForms | undefined;

/** Upload forms for the agency upload bucket the environment names, made once per container and bucket. */
export function uploadFormsFromEnvironment(): UploadForms {
  const bucket = requireEnv('uploadBucket');
  if (forms?.bucket !== bucket) forms = new S3UploadForms(s3Client(), bucket);
  return forms;
}
