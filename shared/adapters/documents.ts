import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
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

/** How s3rver answers what it does not do: list versions, abort a multipart upload. */
const UNVERSIONED_STORE = new Set(['MethodNotAllowed', 'NotImplemented']);

/** An object being written piece by piece (`DocumentStore.openWrite`). */
export interface DocumentWriter {
  /** Adds bytes at the end; resolves once they are held or sent, so memory stays at about one part. */
  write(bytes: Uint8Array): Promise<void>;
  /** Stores the object; answers its size. Until then nothing can be read at the key. */
  close(): Promise<number>;
  /** Gives up: nothing is stored, and any parts sent are discarded. */
  abort(): Promise<void>;
}

/** S3's smallest part but the last, 5 MiB: the least memory (10,000 parts still make 48 GiB). */
export const UPLOAD_PART_BYTES = 5 * 1024 * 1024;

/**
 * Writes one object in parts of `partBytes`: held in one buffer until it is full, then sent as a
 * part of a multipart upload, started only when the object turns out to be bigger than one part
 * (a small object is one PutObject). At most one part is held, so an object of any size costs
 * about `partBytes` of memory.
 */
class MultipartWriter implements DocumentWriter {
  readonly #s3: S3Client;
  readonly #target: { Bucket: string; Key: string };
  readonly #contentType: string;
  readonly #part: Uint8Array;
  #filled = 0;
  #size = 0;
  #uploadId: string | undefined;
  readonly #parts: { PartNumber: number; ETag: string }[] = [];
  #ended = false;

  constructor(s3: S3Client, bucket: string, key: string, contentType: string, partBytes: number) {
    this.#s3 = s3;
    this.#target = { Bucket: bucket, Key: key };
    this.#contentType = contentType;
    this.#part = new Uint8Array(partBytes);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#ended) throw new Error(`The object ${this.#target.Key} is already closed`);
    let from = 0;
    while (from < bytes.byteLength) {
      const take = Math.min(bytes.byteLength - from, this.#part.byteLength - this.#filled);
      this.#part.set(bytes.subarray(from, from + take), this.#filled);
      this.#filled += take;
      from += take;
      if (this.#filled === this.#part.byteLength) await this.#sendPart();
    }
    this.#size += bytes.byteLength;
  }

  async #sendPart(): Promise<void> {
    if (this.#uploadId === undefined) {
      const started = await this.#s3.send(
        new CreateMultipartUploadCommand({ ...this.#target, ContentType: this.#contentType }),
      );
      if (!started.UploadId) throw new Error(`S3 gave no upload id for ${this.#target.Key}`);
      this.#uploadId = started.UploadId;
    }
    const PartNumber = this.#parts.length + 1;
    const sent = await this.#s3.send(
      new UploadPartCommand({
        ...this.#target,
        UploadId: this.#uploadId,
        PartNumber,
        Body: this.#part.subarray(0, this.#filled),
      }),
    );
    if (!sent.ETag) throw new Error(`S3 gave no ETag for part ${PartNumber} of ${this.#target.Key}`);
    this.#parts.push({ PartNumber, ETag: sent.ETag });
    this.#filled = 0;
  }

  async close(): Promise<number> {
    if (this.#ended) throw new Error(`The object ${this.#target.Key} is already closed`);
    this.#ended = true;
    if (this.#uploadId === undefined) {
      await this.#s3.send(
        new PutObjectCommand({
          ...this.#target,
          Body: this.#part.subarray(0, this.#filled),
          ContentType: this.#contentType,
        }),
      );
      return this.#size;
    }
    if (this.#filled > 0) await this.#sendPart();
    await this.#s3.send(
      new CompleteMultipartUploadCommand({
        ...this.#target,
        UploadId: this.#uploadId,
        MultipartUpload: { Parts: this.#parts },
      }),
    );
    return this.#size;
  }

  async abort(): Promise<void> {
    this.#ended = true;
    if (this.#uploadId === undefined) return;
    try {
      await this.#s3.send(new AbortMultipartUploadCommand({ ...this.#target, UploadId: this.#uploadId }));
    } catch (error) {
      // s3rver cannot abort an upload; its parts stay in the local stack's folder, never read.
      // On AWS the bucket's lifecycle rule clears an upload left open after 7 days.
      if (!UNVERSIONED_STORE.has((error as Error).name)) throw error;
    }
  }
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

  /**
   * Starts writing an object piece by piece, for one too large to hold whole (the collated
   * report of scanned returns). Close it to store it; abort it on failure.
   */
  openWrite(key: string, contentType: string, partBytes = UPLOAD_PART_BYTES): DocumentWriter {
    return new MultipartWriter(this.#s3, this.bucket, key, contentType, partBytes);
  }

  /** The object's bytes: its current version, or the version given (in a versioned bucket). */
  async getBytes(key: string, versionId?: string): Promise<Uint8Array> {
    const result = await this.#s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
    );
    if (!result.Body) throw new Error(`Object ${key} has no body`);
    const length = result.ContentLength;
    const body = result.Body as unknown as Partial<AsyncIterable<Uint8Array>>;
    if (length === undefined || typeof body[Symbol.asyncIterator] !== 'function') {
      return result.Body.transformToByteArray();
    }
    // Read into one buffer of the stated length: collecting the pieces and joining them would
    // hold the object twice (an agency's 10 MiB scan, while the collated report is built).
    const bytes = new Uint8Array(length);
    let at = 0;
    for await (const piece of body as AsyncIterable<Uint8Array>) {
      if (at + piece.byteLength > length) throw new Error(`Object ${key} is longer than S3 said`);
      bytes.set(piece, at);
      at += piece.byteLength;
    }
    if (at !== length) throw new Error(`Object ${key} ended after ${at} of ${length} bytes`);
    return bytes;
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
