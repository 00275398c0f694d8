/**
 * The bundle report `npm run bundles` prints: per function its size against the 1 MiB limit,
 * its largest inputs and its cold import against a bare handler's; then a table and totals.
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { BUNDLE_SIZE_LIMIT_BYTES, type FunctionBundle } from './assembly.ts';
import {
  COLD_IMPORT_RATIO_LIMIT,
  type ColdImportComparison,
  projectRoot,
  sdkPackagesIn,
} from './cold-import.ts';
import { bytesPerInput, type InputBytes, type SourceMap } from './source-map.ts';

/** A bundle's inputs, read from its source map, and the AWS SDK packages among them. */
export interface BundleInputs {
  /** Every input, largest first; empty when the source map could not be read. */
  readonly inputs: readonly InputBytes[];
  /** Why there are no inputs, when there are none. */
  readonly inputsError?: string;
  readonly sdkPackages: readonly string[];
}

/** Reads the bundle and its source map (`<bundle>.map`) and charges the bundle's bytes to its inputs. */
export async function readBundleInputs(bundlePath: string): Promise<BundleInputs> {
  try {
    const code = await readFile(bundlePath, 'utf8');
    const map = JSON.parse(await readFile(`${bundlePath}.map`, 'utf8')) as SourceMap;
    const inputs = bytesPerInput(code, map, { projectRoot, mapDirectory: dirname(bundlePath) });
    return { inputs, sdkPackages: sdkPackagesIn(inputs.map(({ input }) => input)) };
  } catch (error) {
    return { inputs: [], inputsError: (error as Error).message, sdkPackages: [] };
  }
}

/**
 * Which clock the cold-import limit is judged by: the wall clock (`performance.now()`, what
 * the limit is about) or CPU time (steadier when other work shares the cores).
 */
export type Clock = 'wall' | 'cpu';

const clockName = (clock: Clock) => (clock === 'wall' ? 'the wall clock' : 'CPU time');

/** One function's line of the report. */
export interface FunctionReport extends BundleInputs {
  readonly name: string;
  readonly constructPath: string;
  readonly bundlePath: string;
  readonly bytes: number;
  /** Modules of its own beside the handler, imported when first needed: in `bytes`, not in the cold import. */
  readonly separateModules: FunctionBundle['separateModules'];
  readonly withinSizeLimit: boolean;
  /** Absent when cold imports were not measured (`--runs 0`). */
  readonly coldImport?: ColdImportComparison & { readonly bareBundleBytes?: number };
  /** False when over the ratio (by the report's clock) or failing at import; true when within it or not measured. */
  readonly withinColdImportLimit: boolean;
}

/** How the report was made. */
export interface ReportSettings {
  readonly assemblyDirectory: string;
  /** Imports of each bundle and of its bare handler that each median is taken over; 0 when not measured. */
  readonly runs: number;
  readonly clock: Clock;
  /** The machine's cores and its highest one-minute load average seen while measuring. */
  readonly machine?: { readonly cores: number; readonly loadAverage: number };
}

export interface BundlesReport extends ReportSettings {
  readonly limits: { readonly bundleBytes: number; readonly coldImportRatio: number };
  readonly functions: readonly FunctionReport[];
  readonly totals: {
    readonly functions: number;
    readonly bytes: number;
    readonly overSizeLimit: number;
    readonly overColdImportLimit: number;
    readonly failingAtImport: number;
  };
  /** Every bundle within 1 MiB and every measured cold import within the ratio. */
  readonly ok: boolean;
}

/** Holds one function's size, and its cold import by this clock, to the limits. */
export function functionReport(
  bundle: Pick<FunctionBundle, 'constructPath' | 'bundlePath' | 'bytes'> & {
    readonly name: string;
    readonly separateModules?: FunctionBundle['separateModules'];
  },
  inputs: BundleInputs,
  coldImport: FunctionReport['coldImport'],
  clock: Clock = 'wall',
): FunctionReport {
  return {
    name: bundle.name,
    constructPath: bundle.constructPath,
    bundlePath: bundle.bundlePath,
    bytes: bundle.bytes,
    separateModules: bundle.separateModules ?? [],
    withinSizeLimit: bundle.bytes <= BUNDLE_SIZE_LIMIT_BYTES,
    ...inputs,
    ...(coldImport ? { coldImport } : {}),
    withinColdImportLimit:
      coldImport === undefined ||
      ('ratio' in coldImport &&
        (clock === 'wall' ? coldImport.ratio : coldImport.cpuRatio) <= COLD_IMPORT_RATIO_LIMIT),
  };
}

/** The whole report, with totals and the verdict. */
export function bundlesReport(settings: ReportSettings, functions: readonly FunctionReport[]): BundlesReport {
  const measured = functions.filter((entry) => entry.coldImport && 'ratio' in entry.coldImport);
  const totals = {
    functions: functions.length,
    bytes: functions.reduce((sum, { bytes }) => sum + bytes, 0),
    overSizeLimit: functions.filter((entry) => !entry.withinSizeLimit).length,
    overColdImportLimit: measured.filter((entry) => !entry.withinColdImportLimit).length,
    failingAtImport: functions.filter((entry) => entry.coldImport && 'error' in entry.coldImport).length,
  };
  return {
    ...settings,
    limits: { bundleBytes: BUNDLE_SIZE_LIMIT_BYTES, coldImportRatio: COLD_IMPORT_RATIO_LIMIT },
    functions,
    totals,
    ok: functions.every((entry) => entry.withinSizeLimit && entry.withinColdImportLimit),
  };
}

/** `1,274,398 B (1.22 MiB)`; KiB under a mebibyte. */
export function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-GB')} B (${shortBytes(bytes)})`;
}

/** `1.22 MiB`, `1 MiB`, `512.0 KiB`, `900 B`. */
export function shortBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

/** The report as text for people: a section per function, then a table and the totals. */
export function formatReport(report: BundlesReport): string {
  const { limits, machine } = report;
  const lines = [
    `Lambda bundles in ${report.assemblyDirectory}: ${report.totals.functions} functions.`,
    `Limits: ${shortBytes(limits.bundleBytes)} a bundle; a cold import at most ${limits.coldImportRatio}× a bare handler's (the same SDK clients, the same esbuild options), ${report.runs > 0 ? `judged by ${clockName(report.clock)}; medians of ${report.runs} imports each in fresh processes` : 'not measured (--runs 0)'}.`,
  ];
  if (machine && report.runs > 0) {
    const busy = machine.loadAverage >= machine.cores;
    lines.push(
      `Machine: ${machine.cores} cores, load average up to ${machine.loadAverage.toFixed(1)} while measuring${busy ? `: busy, so wall-clock times are noisy; the CPU-time ratio is steadier${report.clock === 'wall' ? ' (--clock cpu judges by it)' : ''}` : ''}.`,
    );
  }
  lines.push('');
  for (const entry of report.functions) lines.push(...functionSection(entry, limits, report.clock), '');
  lines.push(...summaryTable(report), '', ...totalsLines(report));
  return lines.join('\n');
}

function functionSection(entry: FunctionReport, limits: BundlesReport['limits'], clock: Clock): string[] {
  const over = entry.bytes - limits.bundleBytes;
  const size = entry.withinSizeLimit
    ? `${formatBytes(entry.bytes)}: within ${shortBytes(limits.bundleBytes)}, ${shortBytes(-over)} to spare`
    : `${formatBytes(entry.bytes)}: OVER ${shortBytes(limits.bundleBytes)} by ${over.toLocaleString('en-GB')} B`;
  // The inputs are the handler module's, read from its source map: shares of it alone.
  const handlerBytes = entry.separateModules.reduce((rest, separate) => rest - separate.bytes, entry.bytes);
  const largest = entry.inputsError
    ? `unknown (${entry.inputsError})`
    : entry.inputs
        .slice(0, 3)
        .map(
          ({ input, bytes }) =>
            `${input} ${bytes.toLocaleString('en-GB')} B (${percent(bytes, handlerBytes)})`,
        )
        .join(', ');
  const sdk = entry.sdkPackages.map((name) => name.replace('@aws-sdk/', '')).join(', ') || 'none';
  return [
    `${entry.name} (${entry.constructPath.replace(/\/Function\/Resource$/, '')})`,
    `  size         ${size}`,
    `  largest      ${largest}`,
    `  AWS SDK      ${sdk}`,
    ...entry.separateModules.map(
      (separate) =>
        `  apart        ${separate.package} in ${relative(dirname(entry.bundlePath), separate.path)}, ${formatBytes(separate.bytes)}: imported when first needed, not at the cold start`,
    ),
    `  cold import  ${coldImportText(entry, limits.coldImportRatio, clock)}`,
  ];
}

function coldImportText(entry: FunctionReport, ratioLimit: number, clock: Clock): string {
  const result = entry.coldImport;
  if (result === undefined) return 'not measured';
  if ('error' in result) return `FAILED: ${result.error}`;
  const bare =
    result.bareBundleBytes === undefined ? '' : ` (its bundle ${shortBytes(result.bareBundleBytes)})`;
  const verdict = `${entry.withinColdImportLimit ? 'within' : 'OVER'} ${ratioLimit} by ${clockName(clock)}`;
  return [
    `${result.bundleMs.toFixed(1)} ms, bare handler ${result.bareMs.toFixed(1)} ms${bare}: ×${result.ratio.toFixed(2)};`,
    `CPU time ${result.bundleCpuMs.toFixed(1)} ms against ${result.bareCpuMs.toFixed(1)} ms: ×${result.cpuRatio.toFixed(2)}; ${verdict}`,
  ].join(' ');
}

function summaryTable(report: BundlesReport): string[] {
  const nameWidth = Math.max('function'.length, ...report.functions.map(({ name }) => name.length));
  const widths = [12, 7, 10, 8, 6, 10, 6];
  const row = (cells: readonly string[]) =>
    [cells[0]!.padEnd(nameWidth), ...cells.slice(1).map((cell, index) => cell.padStart(widths[index]!))]
      .join('  ')
      .trimEnd();
  const yesNo = (ok: boolean) => (ok ? 'yes' : 'NO');
  const rows = report.functions.map((entry) => {
    const result = entry.coldImport;
    const measured = result && 'ratio' in result ? result : undefined;
    return row([
      entry.name,
      shortBytes(entry.bytes),
      yesNo(entry.withinSizeLimit),
      measured ? measured.bundleMs.toFixed(1) : result ? 'failed' : '-',
      measured ? measured.bareMs.toFixed(1) : '-',
      measured ? measured.ratio.toFixed(2) : '-',
      measured ? measured.cpuRatio.toFixed(2) : '-',
      result ? yesNo(entry.withinColdImportLimit) : '-',
    ]);
  });
  const { limits } = report;
  return [
    row([
      'function',
      'bundle',
      `≤${shortBytes(limits.bundleBytes)}`,
      'import ms',
      'bare ms',
      'ratio',
      'cpu ratio',
      `≤${limits.coldImportRatio}`,
    ]),
    ...rows,
  ];
}

function totalsLines(report: BundlesReport): string[] {
  const { totals, functions, limits } = report;
  const largest = [...functions].sort((a, b) => b.bytes - a.bytes)[0];
  const ratios = functions.flatMap((entry) =>
    entry.coldImport && 'ratio' in entry.coldImport
      ? [
          {
            name: entry.name,
            ratio: report.clock === 'wall' ? entry.coldImport.ratio : entry.coldImport.cpuRatio,
          },
        ]
      : [],
  );
  const highest = ratios.sort((a, b) => b.ratio - a.ratio)[0];
  const failures = [
    totals.overSizeLimit ? `${totals.overSizeLimit} over ${shortBytes(limits.bundleBytes)}` : '',
    totals.overColdImportLimit
      ? `${totals.overColdImportLimit} importing over ${limits.coldImportRatio}× (${clockName(report.clock)})`
      : '',
    totals.failingAtImport ? `${totals.failingAtImport} failing at import` : '',
  ].filter(Boolean);
  return [
    `Totals: ${totals.functions} bundles, ${shortBytes(totals.bytes)} together${largest ? `; largest ${largest.name} ${shortBytes(largest.bytes)}` : ''}${highest ? `; highest import ratio by ${clockName(report.clock)} ${highest.name} ×${highest.ratio.toFixed(2)}` : ''}.`,
    report.ok
      ? `Result: PASS, every bundle within ${shortBytes(limits.bundleBytes)}${report.runs > 0 ? ` and every cold import within ${limits.coldImportRatio}×` : ''}.`
      : `Result: FAIL, ${failures.join('; ')}.`,
  ];
}
