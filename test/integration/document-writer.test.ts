/**
 * DocumentStore.openWrite against s3rver (the local S3), through the real AWS SDK client: an
 * object written piece by piece is stored as one, by a single PutObject when it fits one part and
 * by a multipart upload when it does not; an aborted write stores nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../local/dynamodb-local.ts';
import { type RunningS3, startLocalS3 } from '../../local/s3.ts';
import { DocumentStore } from '../../shared/adapters/documents.ts';

const BUCKET = 'document-writer-it';
const MiB = 1024 * 1024;
/** S3 refuses parts under 5 MiB but the last; the writer's parts here are the smallest it allows. */
const PART = 5 * MiB;

/** Bytes that differ at every offset, so a part out of place or repeated would show. */
function patterned(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('DocumentStore.openWrite on s3rver', () => {
  const directory = mkdtempSync(join(tmpdir(), 'document-writer-'));
  let s3: RunningS3;
  let client: S3Client;
  let store: DocumentStore;

  beforeAll(async () => {
    s3 = await startLocalS3({ directory, buckets: [BUCKET], retryDelaysMs: [], log: () => {} });
    client = new S3Client({ ...localClientConfig(s3.endpoint), forcePathStyle: true });
    store = new DocumentStore(client, BUCKET);
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('stores an object of several parts written in pieces of every size, byte for byte', async () => {
    const whole = patterned(12 * MiB + 12_345, 7);
    const writer = store.openWrite('cases/it/collated-report.pdf', 'application/pdf', PART);
    // Pieces smaller than a part, one larger than a part, and one that ends exactly on a part's edge.
    const cuts = [0, 100, 4 * MiB, 10 * MiB, 10 * MiB + 1, whole.byteLength];
    for (let index = 1; index < cuts.length; index++) {
      await writer.write(whole.subarray(cuts[index - 1], cuts[index]));
    }

    expect(await writer.close()).toBe(whole.byteLength);

    const stored = await store.getBytes('cases/it/collated-report.pdf');
    expect(stored.byteLength).toBe(whole.byteLength);
    expect(sha256(stored)).toBe(sha256(whole));
    expect((await store.head('cases/it/collated-report.pdf')).contentType).toBe('application/pdf');
  });

  it('stores an object smaller than one part with one put', async () => {
    const small = patterned(3_000, 11);
    const writer = store.openWrite('cases/it/small.pdf', 'application/pdf', PART);
    await writer.write(small.subarray(0, 1_000));
    await writer.write(small.subarray(1_000));

    expect(await writer.close()).toBe(3_000);

    expect(sha256(await store.getBytes('cases/it/small.pdf'))).toBe(sha256(small));
  });

  it('stores nothing when the write is aborted after parts were sent', async () => {
    const writer = store.openWrite('cases/it/aborted.pdf', 'application/pdf', PART);
    await writer.write(patterned(PART + 10, 3));

    await writer.abort();

    // s3rver cannot abort (nor list) uploads; the unit test shows the abort S3 is sent.
    await expect(store.getBytes('cases/it/aborted.pdf')).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(writer.write(new Uint8Array(1))).rejects.toThrow(/already closed/);
  });
});
