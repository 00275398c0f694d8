import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { requireEnv } from '../env.ts';
import { s3Client } from './clients/s3.ts';

/** What is known of a stored object without reading it. */
export interface StoredObjectHead {
  size: number;
  contentType: string | undefined;
  lastModified: Date | undefined;
}

/** One object as a listing shows it. */
export interface ListedObject {
  key: string;
  lastModified: Date | undefined;
}

/** How a store that keeps no versions (s3rver) answers a request to list them. */
const UNVERSIONED_STORE = new Set(['MethodNotAllowed', 'NotImplemented']);

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

  /** The object's bytes: its current version, or the version given (in a versioned bucket). */
  async getBytes(key: string, versionId?: string): Promise<Uint8Array> {
    const result = await this.#s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
    );
    if (!result.Body) throw new Error(`Object ${key} has no body`);
    return result.Body.transformToByteArray();
  }

  async head(key: string, versionId?: string): Promise<StoredObjectHead> {
    const result = await this.#s3.send(
      new HeadObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
    return {
      size: result.ContentLength ?? 0,
      contentType: result.ContentType,
      lastModified: result.LastModified,
    };
  }

  /**
   * Deletes the object, or only the version given: in a versioned bucket a delete without a
   * version adds a delete marker that hides every earlier version.
   */
  async delete(key: string, versionId?: string): Promise<void> {
    await this.#s3.send(
      new DeleteObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  }

  /**
   * Removes the object for good: every version of it and every delete marker, so that nothing
   * of it can be read back (in a versioned bucket a plain delete only hides it). Where the store
   * keeps no versions (s3rver, which refuses to list them), a plain delete is all there is.
   */
  async deleteEveryVersion(key: string): Promise<void> {
    const versionIds: string[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      let page: ListObjectVersionsCommandOutput;
      try {
        page = await this.#s3.send(
          new ListObjectVersionsCommand({
            Bucket: this.bucket,
            Prefix: key,
            KeyMarker: keyMarker,
            VersionIdMarker: versionIdMarker,
          }),
        );
      } catch (error) {
        if (!UNVERSIONED_STORE.has((error as Error).name)) throw error;
        await this.delete(key);
        return;
      }
      for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (entry.Key === key && entry.VersionId && entry.VersionId !== 'null')
          versionIds.push(entry.VersionId);
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    if (versionIds.length === 0) {
      await this.delete(key);
      return;
    }
    for (const versionId of versionIds) await this.delete(key, versionId);
  }

  /** Every object whose key starts with `prefix`, page after page, in key order. */
  async list(prefix: string): Promise<ListedObject[]> {
    const listed: ListedObject[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: continuationToken,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) listed.push({ key: object.Key, lastModified: object.LastModified });
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    return listed;
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
}

const stores = new Map<string, DocumentStore>();

/** The store for a bucket named by the environment, made once per container and bucket. */
function storeFor(bucket: string): DocumentStore {
  let store = stores.get(bucket);
  if (!store) {
    store = new DocumentStore(s3Client(), bucket);
    stores.set(bucket, store);
  }
  return store;
}

/** The case document bucket: notifications, collated reports, decisions, covering letters. */
export function documentsFromEnvironment(): DocumentStore {
  return storeFor(requireEnv('documentBucket'));
}

/** The agency upload bucket: what agencies returned (read, checked, deleted when refused). */
export function uploadsFromEnvironment(): DocumentStore {
  return storeFor(requireEnv('uploadBucket'));
}
