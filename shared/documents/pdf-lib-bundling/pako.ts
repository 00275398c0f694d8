import { deflateSync, inflateSync } from 'node:zlib';

/**
 * What the Lambda bundles get instead of `pako` (an esbuild alias,
 * infra/constructs/service-function.ts): pdf-lib only deflates with it (its own decoder reads
 * compressed streams), and Node's zlib does the same without 46 KiB more in the bundle.
 */
const toBytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

export function deflate(data: Uint8Array): Uint8Array {
  return toBytes(deflateSync(data));
}

export function inflate(data: Uint8Array): Uint8Array {
  return toBytes(inflateSync(data));
}

export default { deflate, inflate };
