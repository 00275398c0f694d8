/**
 * Benchmarks the Day 11 collated report as collation builds it (`collatedReportInto`, which
 * `collateReport` uses): the cover, contents and notification, then for each agency its
 * structured return (of typical length: a summary, four key practice episodes, actions and
 * learning) and its uploaded PDF, fetched from S3 when its turn comes and appended in full, the
 * report uploaded to S3 part by part as it is built.
 *
 *   npm run bench:papers                       every scenario, then a table
 *   npm run bench:papers -- --only scanned-20  one scenario (repeat --only for more)
 *   npm run bench:papers -- --keep <dir>       also write each collated PDF into <dir>
 *
 * Each scenario runs in a fresh child process (scripts/bench-papers/child.ts, bundled by esbuild
 * with the functions' own options, run by plain Node with the heap limits Lambda's Node.js
 * runtime derives from a 128 MB function), so its peak RSS is what a function doing collation
 * holds. S3 is s3rver, run in this process, not the child's. The returns are invented and
 * generated at run time, the same bytes every run, in a temporary folder removed afterwards.
 *
 * Goal for 20 agencies: at most 5 s and Lambda's default memory, 128 MB. The other scenarios
 * show how time and memory grow: 30 is the most agencies a notification can name, 50 is past that.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { functionBundling } from '../infra/constructs/service-function.ts';
import { localClientConfig } from '../local/dynamodb-local.ts';
import { type RunningS3, startLocalS3 } from '../local/s3.ts';
import { DocumentStore } from '../shared/adapters/documents.ts';
import type { ChildManifest } from './bench-papers/child.ts';
import {
  type BenchScenario,
  GOAL,
  type ScenarioResult,
  scenarios,
  writeFixtures,
} from './bench-papers/fixtures.ts';

export {
  type BenchScenario,
  GOAL,
  type ScenarioResult,
  scannedReturnPdf,
  scenarios,
  typedReturnPdf,
  writeFixtures,
} from './bench-papers/fixtures.ts';
export { runScenario } from './bench-papers/work.ts';

const MiB = 1024 * 1024;
const BUCKET = 'bench-papers';
/** A 128 MB function's heap limits, as Lambda's Node.js runtime sets them (memory/64 new space, the rest old). */
const LAMBDA_128_HEAP = ['--max-semi-space-size=1', '--max-old-space-size=126'];

const thisFile = fileURLToPath(import.meta.url);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The child, bundled as a function is: the functions' esbuild options, aliases included. */
async function bundleChild(directory: string): Promise<string> {
  const outfile = join(directory, 'bench-papers-child.mjs');
  const alias: Record<string, string> = {};
  for (const [flag, target] of Object.entries(functionBundling.esbuildArgs)) {
    const name = flag.replace(/^--alias:/, '');
    alias[name] = target.startsWith('.') ? resolve(projectRoot, target) : target;
  }
  await build({
    entryPoints: [join(projectRoot, 'scripts/bench-papers/child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: functionBundling.target,
    mainFields: functionBundling.mainFields,
    minify: functionBundling.minify,
    keepNames: functionBundling.keepNames,
    banner: { js: functionBundling.banner },
    alias,
    absWorkingDir: projectRoot,
    logLevel: 'warning',
  });
  return outfile;
}

/** What every scenario's child shares: the bundle, and the local S3 holding the returns and reports. */
export interface BenchRig {
  bundle: string;
  s3: RunningS3;
  store: DocumentStore;
  work: string;
  stop(): Promise<void>;
}

/** Starts s3rver and bundles the child, in `work`. */
export async function openBench(work: string): Promise<BenchRig> {
  const s3 = await startLocalS3({
    directory: join(work, 's3'),
    buckets: [BUCKET],
    retryDelaysMs: [],
    log: () => {},
  });
  const client = new S3Client({ ...localClientConfig(s3.endpoint), forcePathStyle: true });
  return {
    bundle: await bundleChild(work),
    s3,
    store: new DocumentStore(client, BUCKET),
    work,
    async stop() {
      client.destroy();
      await s3.stop();
    },
  };
}

/**
 * Runs one scenario in a fresh Node process and answers what it measured: each distinct return
 * is put in S3 first, and the report is read back from S3 into `keep` when asked.
 */
export async function measureInChild(
  bench: BenchRig,
  scenario: BenchScenario,
  files: readonly string[],
  keep?: string,
): Promise<ScenarioResult> {
  const inputKeys: string[] = [];
  for (const file of files) {
    const key = `returns/${basename(file)}`;
    if (!inputKeys.includes(key)) await bench.store.put(key, await readFile(file), 'application/pdf');
    inputKeys.push(key);
  }
  const outputKey = `reports/${scenario.name}.pdf`;
  const manifest: ChildManifest = {
    scenario,
    endpoint: bench.s3.endpoint,
    bucket: BUCKET,
    inputKeys,
    outputKey,
  };
  const manifestPath = join(bench.work, `${scenario.name}.json`);
  await writeFile(manifestPath, JSON.stringify(manifest));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...LAMBDA_128_HEAP, bench.bundle, manifestPath],
    { cwd: bench.work, maxBuffer: 1024 * 1024, timeout: 300_000 },
  );
  if (keep) await writeFile(join(keep, `${scenario.name}.pdf`), await bench.store.getBytes(outputKey));
  await bench.store.delete(outputKey);
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as ScenarioResult;
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** Whether the goal is meant for the scenario: at most 20 agencies, not the rows that show growth. */
export function goalAppliesTo(scenario: BenchScenario): boolean {
  return scenario.agencies <= GOAL.agencies;
}

export function withinGoal(result: ScenarioResult): boolean {
  return result.wallMs <= GOAL.wallMs && (result.peakRssBytes ?? 0) <= GOAL.peakRssBytes;
}

/**
 * The results as a plain-text table. "within goal" says yes or no only where the goal applies
 * (at most 20 agencies) and "-" on the rows past it, which only show growth.
 */
export function resultsTable(results: readonly ScenarioResult[]): string {
  const header = [
    'scenario',
    'agencies',
    'pages/return',
    'input',
    'output',
    'pages out',
    'wall time',
    'RSS at start',
    'peak RSS',
    'within goal',
  ];
  const rows = results.map((result) => [
    result.scenario.name,
    String(result.scenario.agencies),
    String(result.scenario.pagesPerReturn),
    mib(result.returnBytes),
    mib(result.outputBytes),
    String(result.outputPages),
    `${(result.wallMs / 1000).toFixed(2)} s`,
    mib(result.rssAtStartBytes),
    result.peakRssBytes === undefined ? '-' : mib(result.peakRssBytes),
    !goalAppliesTo(result.scenario) ? '-' : withinGoal(result) ? 'yes' : 'no',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function machine(): string {
  const processors = cpus();
  return [
    `CPU: ${processors[0]?.model.trim() ?? 'unknown'}, ${processors.length} cores`,
    `memory: ${mib(totalmem())}`,
    `Node ${process.version} on ${process.platform} ${process.arch}`,
  ].join('; ');
}

async function main(argv: readonly string[]): Promise<void> {
  const only: string[] = [];
  let keep: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--only' && argv[index + 1]) only.push(argv[++index]!);
    else if (argument === '--keep' && argv[index + 1]) keep = argv[++index];
    else {
      console.error(
        `bench-papers: unknown argument ${argument}; usage: npm run bench:papers -- [--only <scenario>]... [--keep <dir>]`,
      );
      process.exitCode = 2;
      return;
    }
  }
  const chosen = only.length === 0 ? scenarios : scenarios.filter((scenario) => only.includes(scenario.name));
  if (chosen.length === 0) {
    console.error(
      `bench-papers: no scenario named ${only.join(', ')}; there are ${scenarios.map((s) => s.name).join(', ')}`,
    );
    process.exitCode = 2;
    return;
  }
  if (keep) await mkdir(keep, { recursive: true });

  console.log(
    `Collated report: structured returns, each agency's PDF appended in full (goal for ${GOAL.agencies} agencies: ≤ ${GOAL.wallMs / 1000} s, ≤ ${mib(GOAL.peakRssBytes)})`,
  );
  console.log(machine());
  const work = await mkdtemp(join(tmpdir(), 'bench-papers-'));
  const bench = await openBench(work);
  try {
    const results: ScenarioResult[] = [];
    for (const scenario of chosen) {
      const generating = performance.now();
      const files = await writeFixtures(scenario, work);
      const fixtureSeconds = ((performance.now() - generating) / 1000).toFixed(1);
      const result = await measureInChild(bench, scenario, files, keep);
      console.log(
        `  ${scenario.name}: fixtures made in ${fixtureSeconds} s; collated in ${(result.wallMs / 1000).toFixed(2)} s`,
      );
      results.push(result);
    }
    console.log('');
    console.log(resultsTable(results));
    console.log('');
    console.log(
      "input: every return read; peak RSS: the child process that did the work (VmHWM), bundled as a function is and run by Node with a 128 MB function's heap limits.",
    );
    console.log(
      `within goal: the goal is for up to ${GOAL.agencies} agencies; "-" on the other rows, which show growth (30 is the most agencies a notification can name).`,
    );
  } finally {
    await bench.stop();
    await rm(work, { recursive: true, force: true });
  }
}

// Compared by path rather than import.meta.main, which a tsx started by an older system node lacks.
if (process.argv[1] === thisFile) await main(process.argv.slice(2));
