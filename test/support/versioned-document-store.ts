import { S3Client } from '@aws-sdk/client-s3';
import { DocumentStore, type StoredObjectHead } from '../../shared/adapters/documents.ts';

class NoSuchKey extends Error {
  override readonly name = 'NoSuchKey';
}

interface StoredVersion {
  versionId: string;
  body: Uint8Array;
  contentType: string;
  lastModified: Date;
  /** A delete marker: the key reads as missing while it is the latest version. */
  deleteMarker?: true;
}

/**
 * A versioned S3 bucket in memory, with the DocumentStore's surface: every write is a new
 * version; a read or delete names a version or means the latest; a delete without a version adds
 * a delete marker that hides every earlier version, as S3 does.
 */
export class VersionedDocumentStore extends DocumentStore {
  readonly #versions = new Map<string, StoredVersion[]>();
  #next = 0;

  constructor(bucket: string) {
    super(new S3Client({ region: 'eu-west-2' }), bucket);
  }

  /** Stores a new version, as an upload would, and answers its version id. */
  store(key: string, body: Uint8Array, contentType: string, lastModified = new Date()): string {
    this.#next += 1;
    const versionId = `version-${this.#next}`;
    const versions = this.#versions.get(key) ?? [];
    versions.push({ versionId, body, contentType, lastModified });
    this.#versions.set(key, versions);
    return versionId;
  }

  override async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    this.store(key, typeof body === 'string' ? new TextEncoder().encode(body) : body, contentType);
  }

  override async getBytes(key: string, versionId?: string): Promise<Uint8Array> {
    return this.#find(key, versionId).body;
  }

  override async head(key: string, versionId?: string): Promise<StoredObjectHead> {
    const found = this.#find(key, versionId);
    return { size: found.body.byteLength, contentType: found.contentType, lastModified: found.lastModified };
  }

  override async delete(key: string, versionId?: string): Promise<void> {
    const versions = this.#versions.get(key) ?? [];
    if (versionId) {
      this.#versions.set(
        key,
        versions.filter((version) => version.versionId !== versionId),
      );
      return;
    }
    this.#next += 1;
    versions.push({
      versionId: `marker-${this.#next}`,
      body: new Uint8Array(),
      contentType: '',
      lastModified: new Date(),
      deleteMarker: true,
    });
    this.#versions.set(key, versions);
  }

  override async deleteEveryVersion(key: string): Promise<void> {
    this.#versions.delete(key);
  }

  /** Every version of the key still held, delete markers included (none once removed for good). */
  versionCount(key: string): number {
    return this.#versions.get(key)?.length ?? 0;
  }

  override async downloadUrl(key: string, expiresInSeconds: number): Promise<string> {
    return `https://documents.example.org/${this.bucket}/${key}?expires-in=${expiresInSeconds}`;
  }

  /** The bytes the key reads as now, or undefined when it reads as missing. */
  current(key: string): Uint8Array | undefined {
    const latest = this.#versions.get(key)?.at(-1);
    return latest && !latest.deleteMarker ? latest.body : undefined;
  }

  /** Every key that reads as present now. */
  keys(): string[] {
    return [...this.#versions.keys()].filter((key) => this.current(key) !== undefined);
  }

  #find(key: string, versionId?: string): StoredVersion {
    const versions = this.#versions.get(key) ?? [];
    const found = versionId ? versions.find((version) => version.versionId === versionId) : versions.at(-1);
    if (!found || found.deleteMarker) throw new NoSuchKey(`The specified key does not exist: ${key}`);
    return found;
  }
}
