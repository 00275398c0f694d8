import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { DocumentStore } from '../../../shared/adapters/documents.ts';

/** An S3 client that records each command and answers as S3 would, with one failure on request. */
function recordingS3(failOn?: string) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      const input = { ...command.input };
      if (input.Body instanceof Uint8Array) input.Body = input.Body.byteLength;
      sent.push({ name, input });
      if (name === failOn) throw Object.assign(new Error('Slow down'), { name: 'SlowDown' });
      if (command instanceof CreateMultipartUploadCommand) return { UploadId: 'upload-1' };
      if (command instanceof UploadPartCommand) return { ETag: `"etag-${String(input.PartNumber)}"` };
      return {};
    },
  } as unknown as S3Client;
  return { client, sent };
}

describe('DocumentStore.openWrite', () => {
  it('sends full parts as they fill and the rest as the last part, then completes them in order', async () => {
    const s3 = recordingS3();
    const writer = new DocumentStore(s3.client, 'bucket').openWrite('report.pdf', 'application/pdf', 10);

    await writer.write(new Uint8Array(7));
    expect(s3.sent).toEqual([]);
    await writer.write(new Uint8Array(15));
    expect(await writer.close()).toBe(22);

    expect(s3.sent.map((command) => command.name)).toEqual([
      CreateMultipartUploadCommand.name,
      UploadPartCommand.name,
      UploadPartCommand.name,
      UploadPartCommand.name,
      CompleteMultipartUploadCommand.name,
    ]);
    expect(s3.sent[0]!.input).toMatchObject({
      Bucket: 'bucket',
      Key: 'report.pdf',
      ContentType: 'application/pdf',
    });
    expect(s3.sent.slice(1, 4).map((command) => [command.input.PartNumber, command.input.Body])).toEqual([
      [1, 10],
      [2, 10],
      [3, 2],
    ]);
    expect(s3.sent[4]!.input).toMatchObject({
      UploadId: 'upload-1',
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: '"etag-1"' },
          { PartNumber: 2, ETag: '"etag-2"' },
          { PartNumber: 3, ETag: '"etag-3"' },
        ],
      },
    });
  });

  it('puts an object that fits in one part in one request', async () => {
    const s3 = recordingS3();
    const writer = new DocumentStore(s3.client, 'bucket').openWrite('small.pdf', 'application/pdf', 10);
    await writer.write(new Uint8Array(4));

    expect(await writer.close()).toBe(4);

    expect(s3.sent).toEqual([
      {
        name: PutObjectCommand.name,
        input: { Bucket: 'bucket', Key: 'small.pdf', Body: 4, ContentType: 'application/pdf' },
      },
    ]);
  });

  it('aborts the upload it started, and an abort before any part sends nothing', async () => {
    const started = recordingS3('UploadPartCommand');
    const writer = new DocumentStore(started.client, 'bucket').openWrite('report.pdf', 'application/pdf', 10);
    await expect(writer.write(new Uint8Array(12))).rejects.toThrow('Slow down');

    await writer.abort();

    expect(started.sent.at(-1)).toEqual({
      name: AbortMultipartUploadCommand.name,
      input: { Bucket: 'bucket', Key: 'report.pdf', UploadId: 'upload-1' },
    });
    const unstarted = recordingS3();
    await new DocumentStore(unstarted.client, 'bucket')
      .openWrite('report.pdf', 'application/pdf', 10)
      .abort();
    expect(unstarted.sent).toEqual([]);
  });
});
