import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { type Clock, systemClock } from '../shared/clock.ts';
import { localClientConfig } from './dynamodb-local.ts';
import { portToUse } from './ports.ts';

/** The event s3rver emits after a Put, Post, Copy or Delete (its own, looser S3 event shape). */
interface S3rverEvent {
  Records: {
    eventName: string;
    requestParameters?: { sourceIPAddress?: string };
    s3: {
      bucket: { name: string };
      object: { key: string; size?: number; eTag?: string; sequencer?: string };
    };
  }[];
}

/** The part of s3rver 3's API used here (the package ships no types). */
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3rverEvent) => void): void;
  httpServer?: Server;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  vhostBuckets: boolean;
  configureBuckets: { name: string; configs?: string[] }[];
}) => S3rverInstance;

const require = createRequire(import.meta.url);

/**
 * s3rver accepts signed requests only from access keys it knows (its own is `S3RVER`). The
 * local stack signs every request with the dummy key of `localClientConfig`, so that key is
 * registered with s3rver's account registry once per process.
 */
function registerLocalAccessKey(): void {
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
  };
  const { credentials } = localClientConfig('http://127.0.0.1');
  DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
}

/** What happens when an object is created in a bucket: the S3-triggered Lambda of that bucket. */
export interface ObjectCreatedRoute {
  bucket: string;
  /** Only keys starting with this prefix trigger, like an S3 notification's prefix filter. */
  prefix?: string;
  /** Short name used in log lines (the function's name). */
  name: string;
  handle(event: S3Event): Promise<unknown>;
}

export interface LocalS3Options {
  /** s3rver keeps buckets and objects here, so they survive a restart. */
  directory: string;
  buckets: string[];
  /** Browser origins allowed to POST into these buckets (the upload page's origin). */
  corsOrigins?: { bucket: string; origins: string[] }[];
  onObjectCreated?: ObjectCreatedRoute[];
  /** Stamps `eventTime` on the events: the virtual clock in the local stack. */
  clock?: Clock;
  /** Port to try first (for stable URLs across restarts); a free one otherwise. */
  preferredPort?: number;
  /**
   * Waits before each retry of a failed handler. On AWS the scan results wait in a queue and are
   * delivered again every 5 minutes for a day; locally an upload whose handler fails (the table
   * down) is delivered again after 1, 2, 4, 8, 15 and 30 seconds, then every minute, for about
   * six minutes in all, so an outage that clears is not an upload lost. Stopping the stack ends
   * the waiting.
   */
  retryDelaysMs?: number[];
  log?: (line: string) => void;
}

export interface RunningS3 {
  /** Path-style, IP endpoint: `http://127.0.0.1:<port>`. */
  endpoint: string;
  port: number;
  /** Resolves once every handler started so far (and its retries) has finished. */
  whenIdle(): Promise<void>;
  /** Whether a handler (or its retry) is running or due. */
  busy(): boolean;
  stop(): Promise<void>;
}

/**
 * Encodes an object key as S3 does in event notifications: form URL-encoding per path segment
 * (only letters, digits and `-_.*` stay; a space becomes `+`), slashes kept
 * (`uploads/a b(1).pdf` → `uploads/a+b%281%29.pdf`).
 */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

function corsXml(origins: string[]): string {
  const allowed = origins.map((origin) => `<AllowedOrigin>${origin}</AllowedOrigin>`).join('');
  return (
    '<CORSConfiguration><CORSRule>' +
    `${allowed}<AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod>` +
    '<AllowedHeader>*</AllowedHeader><MaxAgeSeconds>300</MaxAgeSeconds>' +
    '</CORSRule></CORSConfiguration>'
  );
}

/** Builds the record AWS would deliver to the bucket's Lambda for s3rver's event. */
function toS3Event(record: S3rverEvent['Records'][number], clock: Clock): S3Event {
  const bucket = record.s3.bucket.name;
  const awsRecord: S3EventRecord = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'eu-west-2',
    eventTime: clock.now().toISOString(),
    eventName: record.eventName as S3EventRecord['eventName'],
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: record.requestParameters?.sourceIPAddress ?? '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(24).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'local-object-created',
      bucket: { name: bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key: encodeEventKey(record.s3.object.key),
        size: record.s3.object.size ?? 0,
        eTag: record.s3.object.eTag ?? '',
        sequencer: record.s3.object.sequencer ?? Date.now().toString(16).toUpperCase(),
      },
    },
  };
  return { Records: [awsRecord] };
}

/**
 * Starts s3rver on 127.0.0.1 with its data under `directory`, creates the buckets (and their
 * CORS rules), and delivers ObjectCreated events to the routed handlers the way S3 invokes a
 * Lambda: asynchronously, with the key URL-encoded, retried twice on failure. Handler errors
 * are logged by bucket, function and error name only (keys can be logged: they hold ids).
 */
export async function startLocalS3(options: LocalS3Options): Promise<RunningS3> {
  // The SDK's default CRC checksums (aws-chunked bodies) are not understood by s3rver.
  process.env.AWS_REQUEST_CHECKSUM_CALCULATION = 'WHEN_REQUIRED';
  process.env.AWS_RESPONSE_CHECKSUM_VALIDATION = 'WHEN_REQUIRED';
  registerLocalAccessKey();
  mkdirSync(options.directory, { recursive: true });
  const S3rver = require('s3rver') as S3rverConstructor;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => console.error(line));
  const retryDelaysMs = options.retryDelaysMs ?? [
    1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 60_000, 60_000, 60_000, 60_000, 60_000,
  ];
  const port = await portToUse(options.preferredPort);
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => {
      const origins = options.corsOrigins?.find((rule) => rule.bucket === name)?.origins ?? [];
      return { name, configs: origins.length ? [corsXml(origins)] : [] };
    }),
  });

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  /** Ends every wait between retries at once, when the stack stops. */
  const wakers = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });

  async function deliver(route: ObjectCreatedRoute, event: S3Event): Promise<void> {
    const key = event.Records[0]?.s3.object.key ?? '';
    for (let attempt = 0; ; attempt++) {
      try {
        await route.handle(event);
        return;
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        const delay = retryDelaysMs[attempt];
        const next = delay === undefined || stopping ? 'giving up' : `retrying in ${delay} ms`;
        log(`[s3] ${route.name} failed for s3://${route.bucket}/${key} (${name}); ${next}`);
        if (delay === undefined || stopping) return;
        await pause(delay);
        if (stopping) {
          log(`[s3] ${route.name} not delivered again for s3://${route.bucket}/${key}: the stack stopped`);
          return;
        }
      }
    }
  }

  server.on('event', (s3rverEvent) => {
    for (const record of s3rverEvent.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const route = options.onObjectCreated?.find(
        (candidate) =>
          candidate.bucket === record.s3.bucket.name &&
          record.s3.object.key.startsWith(candidate.prefix ?? ''),
      );
      if (!route || stopping) continue;
      // Delivered after the upload's response, as S3 notifications are.
      const delivery = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        deliver(route, toS3Event(record, clock)),
      );
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    }
  });

  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    async whenIdle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    busy: () => inFlight.size > 0,
    async stop() {
      stopping = true;
      for (const wake of [...wakers]) wake();
      const closed = server.close();
      server.httpServer?.closeAllConnections();
      await closed;
      await Promise.allSettled([...inFlight]);
    },
  };
}
