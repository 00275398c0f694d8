/**
 * One scenario of `npm run bench:papers`, in a process of its own, bundled as a function is
 * (esbuild, the functions' options) and run by plain Node, so its peak RSS is what a Lambda
 * function doing collation would hold: each agency's PDF fetched from S3 (s3rver, which the
 * benchmark runs in its own process) and the report uploaded part by part, as `collateReport` does.
 *
 *   node child.mjs <manifest.json>   prints one line of JSON: the scenario's result
 */
import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { DocumentStore } from '../../shared/adapters/documents.ts';
import type { BenchScenario } from './fixtures.ts';
import { runScenario } from './work.ts';

export interface ChildManifest {
  scenario: BenchScenario;
  endpoint: string;
  bucket: string;
  /** Each agency's file's key, in the agencies' order. */
  inputKeys: string[];
  outputKey: string;
}

/** The process's peak RSS in bytes: VmHWM from /proc, else ru_maxrss (KiB on Linux). */
function peakRssBytes(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return kib ? Number(kib) * 1024 : process.resourceUsage().maxRSS * 1024;
}

const manifest = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildManifest;
const client = new S3Client({
  endpoint: manifest.endpoint,
  region: 'eu-west-2',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  forcePathStyle: true,
});
const store = new DocumentStore(client, manifest.bucket);
const output = store.openWrite(manifest.outputKey, 'application/pdf');
const result = await runScenario(
  manifest.scenario,
  (index) => store.getBytes(manifest.inputKeys[index]!),
  output,
);
client.destroy();
console.log(JSON.stringify({ ...result, peakRssBytes: peakRssBytes() }));
