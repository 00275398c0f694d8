import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** What is known of a stored object without reading it. */
export interface StoredObjectHead {
  size: number;
  contentType: string | undefined;
  lastModified: Date | undefined;
}

/** Documents in one S3 bucket. Keys are built by the caller; this adapter only moves bytes. */
export class DocumentStore {
  readonly #s3: S3Client;
  readonly bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.bucket = bucket;
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.#s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const result = await this.#s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!result.Body) throw new Error(`Object ${key} has no body`);
    return result.Body.transformToByteArray();
  }

  async head(key: string): Promise<StoredObjectHead> {
    const result = await this.#s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    return {
      size: result.ContentLength ?? 0,
      contentType: result.ContentType,
      lastModified: result.LastModified,
    };
  }

  async delete(key: string): Promise<void> {
    await this.#s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** A link that downloads the object and stops working after `expiresInSeconds`. */
  async downloadUrl(key: string, expiresInSeconds: number, fileName?: string): Promise<string> {
    return getSignedUrl(
      this.#s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: fileName ? `attachment; filename="${fileName}"` : undefined,
      }),
      { expiresIn: expiresInSeconds },
    );
  }

  /**
   * A pre-signed POST for exactly one key, limited in size and content type. S3 enforces the
   * policy on AWS; the upload handler re-checks both because local S3 enforces neither.
   *
   * `contentType` is either the one type the form sends (a `Content-Type` field is included), or
   * `{ startsWith }` for a form whose page lets the person choose the type (no `Content-Type`
   * field: the form supplies it). `successRedirect`: where S3 sends the browser (303) after a
   * plain HTML form upload; it becomes a field and part of the policy.
   */
  async uploadForm(
    key: string,
    options: {
      contentType: string | { startsWith: string };
      maxBytes: number;
      expiresInSeconds: number;
      successRedirect?: string;
    },
  ): Promise<PresignedPost> {
    const exactType = typeof options.contentType === 'string' ? options.contentType : undefined;
    const typeCondition: ['eq' | 'starts-with', string, string] =
      typeof options.contentType === 'string'
        ? ['eq', '$Content-Type', options.contentType]
        : ['starts-with', '$Content-Type', options.contentType.startsWith];
    return createPresignedPost(this.#s3, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [['content-length-range', 1, options.maxBytes], typeCondition],
      Fields: {
        ...(exactType ? { 'Content-Type': exactType } : {}),
        ...(options.successRedirect ? { success_action_redirect: options.successRedirect } : {}),
      },
      Expires: options.expiresInSeconds,
    });
  }
}
