/**
 * Benchmarks the Day 11 collated report as collation builds it (`collatedReport`): the cover,
 * contents and notification, then for each agency its structured return (of typical length: a
 * summary, four key practice episodes, actions and learning) and its uploaded PDF, read from disk
 * when its turn comes (as the workflow fetches each from S3) and appended in full.
 *
 *   npm run bench:papers                       every scenario, then a table
 *   npm run bench:papers -- --only scanned-20  one scenario (repeat --only for more)
 *   npm run bench:papers -- --keep <dir>       also write each merged PDF into <dir>
 *
 * Each scenario runs in a fresh child process (this file, with --child), so its peak RSS is its
 * own. The returns are invented and generated at run time, the same bytes every run; they are
 * written to a temporary folder that is removed afterwards.
 *
 * Goal for 20 agencies: at most 5 s and 512 MiB (the memory every function is given,
 * infra/constructs/service-function.ts; Lambda's own default, 128 MB, is too little). The others show how time
 * and memory grow: 30 is the most agencies a notification can name, 50 is past that.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from 'pdf-lib';
import { memoryOf } from '../local/process-usage.ts';
import { sampleNotification } from '../local/sample-notification.ts';
import { openCase } from '../shared/cases/open-case.ts';
import type { ReturnVersion } from '../shared/schemas/agency-return.ts';
import type { AgencyRequest } from '../shared/schemas/case.ts';
import { collatedReport } from '../shared/workflow/collated-report.ts';

const MiB = 1024 * 1024;
/** The goal holds for reviews of up to `agencies` agencies; scenarios with more show growth. */
export const GOAL = { agencies: 20, wallMs: 5000, peakRssBytes: 512 * MiB };
const A4 = { width: 595.28, height: 841.89 };
const FIXED_DATE = new Date('2026-03-17T16:00:00Z');

/** One run: how many agencies return, how many pages each, and what kind of PDF. */
export interface BenchScenario {
  name: string;
  agencies: number;
  pagesPerReturn: number;
  /** `typed`: text pages as a word processor exports them; `scanned`: each page one greyscale image. */
  kind: 'typed' | 'scanned';
  /** Scanned pages' resolution (A4 at this many dots per inch). */
  dpi?: number;
  /**
   * How many different files the agencies' returns cycle through: each agency's file is still
   * read and merged on its own, this only saves generating many large scans.
   */
  distinctReturns?: number;
}

export const scenarios: readonly BenchScenario[] = [
  { name: 'typed-20', agencies: 20, pagesPerReturn: 10, kind: 'typed' },
  { name: 'typed-50', agencies: 50, pagesPerReturn: 10, kind: 'typed' },
  { name: 'scanned-20', agencies: 20, pagesPerReturn: 10, kind: 'scanned', dpi: 150, distinctReturns: 4 },
  { name: 'scanned-30', agencies: 30, pagesPerReturn: 10, kind: 'scanned', dpi: 150, distinctReturns: 4 },
  { name: 'scanned-50', agencies: 50, pagesPerReturn: 10, kind: 'scanned', dpi: 150, distinctReturns: 4 },
];

/** What one scenario measured. */
export interface ScenarioResult {
  scenario: BenchScenario;
  /** Always 0: the report is no longer rendered apart from the returns (kept so older results still read). */
  reportBytes: number;
  returnBytes: number;
  outputBytes: number;
  outputPages: number;
  /** The pages the service wrote itself: cover, contents, notification, each agency's section, the Word files. */
  reportPages: number;
  merged: number;
  notMerged: number;
  /** From the start of the collated report to the merged PDF's last byte. */
  wallMs: number;
  rssAtStartBytes: number;
  /** The process's peak resident set size (getrusage ru_maxrss), known only in a child process. */
  peakRssBytes?: number;
}

/** Mulberry32: a small seeded generator, so every run makes the same fixtures. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const WORDS =
  'invented agency record contact visit school health police review family home assessment plan referral strategy meeting information sharing outcome practitioner supervision'.split(
    ' ',
  );

function newFixtureDocument(title: string): Promise<PDFDocument> {
  return PDFDocument.create({ updateMetadata: false }).then((document) => {
    document.setTitle(title);
    document.setCreationDate(FIXED_DATE);
    document.setModificationDate(FIXED_DATE);
    return document;
  });
}

/** A typed summary: `pages` A4 pages of invented sentences, as a word processor's PDF export. */
export async function typedReturnPdf(agencyName: string, pages: number, seed: number): Promise<Uint8Array> {
  const random = seeded(seed);
  const document = await newFixtureDocument(`Agency summary: ${agencyName} (invented)`);
  const font = await document.embedFont(StandardFonts.Helvetica);
  const bold = await document.embedFont(StandardFonts.HelveticaBold);
  for (let index = 1; index <= pages; index++) {
    const page = document.addPage([A4.width, A4.height]);
    page.drawText(`${agencyName}: summary page ${index} of ${pages} (invented, no real person)`, {
      x: 56,
      y: A4.height - 64,
      size: 12,
      font: bold,
    });
    for (let line = 0; line < 48; line++) {
      const words = Array.from({ length: 9 + (random() % 5) }, () => WORDS[random() % WORDS.length]);
      page.drawText(words.join(' '), { x: 56, y: A4.height - 96 - line * 14.5, size: 10.5, font });
    }
  }
  return document.save();
}

/**
 * One scanned page as a Flate-compressed 8-bit greyscale image: grey paper with a few bits of
 * sensor noise per pixel and darker bands where lines of type would be. At 150 dpi a page is
 * about 0.8 MiB, so 10 pages come to about 8 MiB, a little under the 10 MiB upload limit.
 */
function scannedPageImage(width: number, height: number, random: () => number): Uint8Array {
  const pixels = new Uint8Array(width * height);
  const lineHeight = Math.max(4, Math.round(height / 60));
  for (let y = 0; y < height; y++) {
    const inText = y > height * 0.08 && y < height * 0.92 && y % lineHeight < lineHeight * 0.45;
    let bits = 0;
    let left = 0;
    for (let x = 0; x < width; x++) {
      if (left < 3) {
        bits = random();
        left = 32;
      }
      const sample = bits & 7;
      const noise = sample > 5 ? sample - 6 : sample; // 0 to 5, about 2.5 bits a pixel
      bits >>>= 3;
      left -= 3;
      const ink = inText && x > width * 0.1 && x < width * 0.9 && (x >> 3) % 5 !== 0;
      pixels[y * width + x] = (ink ? 70 : 228) + noise;
    }
  }
  return deflateSync(pixels);
}

/** A scanned summary: `pages` A4 pages, each one greyscale image at `dpi`. */
export async function scannedReturnPdf(
  agencyName: string,
  pages: number,
  seed: number,
  dpi = 150,
): Promise<Uint8Array> {
  const random = seeded(seed);
  const document = await newFixtureDocument(`Scanned agency summary: ${agencyName} (invented)`);
  const width = Math.round((210 / 25.4) * dpi);
  const height = Math.round((297 / 25.4) * dpi);
  for (let index = 0; index < pages; index++) {
    const image = document.context.register(
      document.context.stream(scannedPageImage(width, height, random), {
        Type: 'XObject',
        Subtype: 'Image',
        Width: width,
        Height: height,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 8,
        Filter: 'FlateDecode',
      }),
    );
    const page = document.addPage([A4.width, A4.height]);
    const name = page.node.newXObject('Scan', image);
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(A4.width, 0, 0, A4.height, 0, 0),
      drawObject(name),
      popGraphicsState(),
    );
  }
  return document.save();
}

export function agencyNameFor(index: number): string {
  return `Example Agency ${String(index + 1).padStart(2, '0')} (invented)`;
}

/**
 * Writes the scenario's returns into `directory` and answers each agency's file, in order
 * (agencies share files when the scenario has fewer distinct returns than agencies).
 */
export async function writeFixtures(scenario: BenchScenario, directory: string): Promise<string[]> {
  const distinct = Math.min(scenario.distinctReturns ?? scenario.agencies, scenario.agencies);
  const files: string[] = [];
  for (let index = 0; index < distinct; index++) {
    const file = join(
      directory,
      `${scenario.kind}-${scenario.pagesPerReturn}p-${scenario.dpi ?? 0}dpi-${index + 1}.pdf`,
    );
    files.push(file);
    if (existsSync(file)) continue; // made for an earlier scenario, the same bytes
    const name = agencyNameFor(index);
    const seed = 1000 + index;
    const bytes =
      scenario.kind === 'typed'
        ? await typedReturnPdf(name, scenario.pagesPerReturn, seed)
        : await scannedReturnPdf(name, scenario.pagesPerReturn, seed, scenario.dpi);
    await writeFile(file, bytes);
  }
  return Array.from({ length: scenario.agencies }, (_, index) => files[index % distinct]!);
}

/** Invented prose of about `characters` characters, the same every run for a seed. */
function prose(characters: number, seed: number): string {
  const random = seeded(seed);
  const words: string[] = [];
  let length = 0;
  while (length < characters) {
    const word = WORDS[random() % WORDS.length]!;
    words.push(word);
    length += word.length + 1;
  }
  return `${words.join(' ')} (invented).`;
}

/**
 * A structured return of typical length: a summary of about 2,500 characters, four key practice
 * episodes of about 900 each, immediate actions and early learning of about 600 each.
 */
export function typicalReturn(seed: number, submittedAt: string): ReturnVersion {
  return {
    version: 1,
    submittedAt,
    by: 'agency',
    answers: {
      kind: 'involvement',
      involvedFrom: '2024-09-02',
      involvedTo: '2026-02-27',
      rolesInvolved: 'Case worker; team manager; duty officer (invented roles)',
      summary: prose(2500, seed),
      episodes: Array.from({ length: 4 }, (_, index) => ({
        date: `2025-${String(3 + index * 2).padStart(2, '0')}-1${index}`,
        whatHappened: prose(500, seed * 10 + index),
        decidedAndWhy: prose(400, seed * 20 + index),
      })),
      immediateActions: prose(600, seed * 30),
      earlyLearning: prose(600, seed * 40),
      protectedCharacteristics: prose(150, seed * 50),
    },
  };
}

/** An invented case whose agencies all returned on time, each a structured return and a PDF. */
function anInventedCase(agencies: number) {
  const notification = sampleNotification({
    agencies: Array.from({ length: agencies }, (_, index) => ({
      name: agencyNameFor(index),
      spoc: {
        name: `Spoc ${String(index + 1).padStart(2, '0')} (invented)`,
        email: `spoc.agency-${index + 1}@example.org`,
      },
    })),
  });
  const caseId = '5e1d0c2a-9b8f-4e7d-a6c5-b4a392817060';
  const opened = openCase({
    caseId,
    notification,
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${caseId}/notification.json`,
  });
  const returned: AgencyRequest[] = opened.agencies.map((agency, index) => {
    const receivedAt = new Date(Date.parse('2026-03-16T09:00:00Z') + index * 60_000).toISOString();
    const documentKey = `cases/${caseId}/agency-returns/upload-${index + 1}/${agency.agencyId}-summary.pdf`;
    return {
      ...agency,
      status: 'received',
      receivedAt,
      documentKey,
      returns: [{ ...typicalReturn(index + 1, receivedAt), documentKey }],
    };
  });
  return { record: opened.record, agencies: returned, notification };
}

/**
 * The work being measured, in this process: the whole collated report, every agency's PDF read
 * from its file when its turn comes and appended in full.
 */
export async function runScenario(
  scenario: BenchScenario,
  files: readonly string[],
  keep?: string,
): Promise<ScenarioResult> {
  const rssAtStartBytes = process.memoryUsage().rss;
  const { record, agencies, notification } = anInventedCase(scenario.agencies);
  const fileOf = new Map(agencies.map((agency, index) => [agency.agencyId, files[index]!]));
  let returnBytes = 0;
  let returnPages = 0;

  const started = performance.now();
  const report = await collatedReport(
    record,
    agencies,
    {
      partnershipName: 'Exampleshire Safeguarding Children Partnership (invented)',
      timeZone: 'Europe/London',
      now: new Date('2026-03-18T09:00:00Z'),
    },
    {
      notification: {
        notifyingLocalAuthority: notification.notifyingLocalAuthority,
        incident: notification.incident,
        children: notification.children,
        notifier: notification.notifier,
        parallelProcesses: notification.parallelProcesses,
        agencies: notification.agencies.map((agency) => agency.name),
      },
      fetch: async (_key, agency) => {
        const bytes: Uint8Array = await readFile(fileOf.get(agency.agencyId)!);
        returnBytes += bytes.byteLength;
        returnPages += scenario.pagesPerReturn;
        return { agencyName: agency.agencyName, contentType: 'application/pdf', bytes };
      },
    },
  );
  const wallMs = performance.now() - started;

  if (keep) await writeFile(join(keep, `${scenario.name}.pdf`), report.pdf);
  return {
    scenario,
    reportBytes: 0,
    returnBytes,
    outputBytes: report.pdf.byteLength,
    outputPages: report.pageCount,
    reportPages: report.pageCount - returnPages,
    merged: agencies.length - report.notMerged.length,
    notMerged: report.notMerged.length,
    wallMs,
    rssAtStartBytes,
  };
}

/** The process's peak RSS in bytes: VmHWM where /proc has it, else ru_maxrss (KiB on Linux). */
function peakRssBytes(): number {
  return memoryOf(process.pid).peakRssBytes || process.resourceUsage().maxRSS * 1024;
}

const thisFile = fileURLToPath(import.meta.url);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs one scenario in a fresh Node process (this file with --child) and answers what it measured. */
export async function measureInChild(
  scenario: BenchScenario,
  files: readonly string[],
  workDirectory: string,
  keep?: string,
): Promise<ScenarioResult> {
  const manifest = join(workDirectory, `${scenario.name}.json`);
  await writeFile(manifest, JSON.stringify({ scenario, files, keep }));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', thisFile, '--child', manifest],
    { cwd: projectRoot, maxBuffer: 1024 * 1024, timeout: 300_000 },
  );
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as ScenarioResult;
}

async function runChild(manifestPath: string): Promise<void> {
  const { scenario, files, keep } = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    scenario: BenchScenario;
    files: string[];
    keep?: string;
  };
  const result = await runScenario(scenario, files, keep);
  console.log(JSON.stringify({ ...result, peakRssBytes: peakRssBytes() }));
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
    mib(result.reportBytes + result.returnBytes),
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
  try {
    const results: ScenarioResult[] = [];
    for (const scenario of chosen) {
      const generating = performance.now();
      const files = await writeFixtures(scenario, work);
      const fixtureSeconds = ((performance.now() - generating) / 1000).toFixed(1);
      const result = await measureInChild(scenario, files, work, keep);
      console.log(
        `  ${scenario.name}: fixtures made in ${fixtureSeconds} s; merged in ${(result.wallMs / 1000).toFixed(2)} s`,
      );
      results.push(result);
    }
    console.log('');
    console.log(resultsTable(results));
    console.log('');
    console.log(
      'input: the collated report plus every return read; peak RSS: the child process that did the work (VmHWM), Node and tsx included.',
    );
    console.log(
      `within goal: the goal is for up to ${GOAL.agencies} agencies; "-" on the other rows, which show growth (30 is the most agencies a notification can name).`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// Compared by path rather than import.meta.main, which a tsx started by an older system node lacks.
if (process.argv[1] === thisFile) {
  const childAt = process.argv.indexOf('--child');
  await (childAt >= 0 ? runChild(process.argv[childAt + 1]!) : main(process.argv.slice(2)));
}
