/**
 * Reports every Lambda bundle against the project's two limits: at most 1 MiB, and a cold
 * import at most 1.2× that of a bare handler importing the same AWS SDK clients, bundled the
 * same way.
 *
 *   npm run bundles -- [--no-synth] [--out <dir>] [--runs <n>] [--clock wall|cpu] [--json]
 *
 * It synthesises once with the CDK CLI (offline), finds each catalogue function's bundle in
 * the cloud assembly and prints, per function, the bundle's size, its three largest inputs
 * (npm packages or project folders, from its source map), the AWS SDK packages it holds, and
 * the median cold import of the bundle and of its bare handler in fresh Node processes; then a
 * table with a row per function, and the totals.
 *
 * --no-synth  reuse the cloud assembly already in the output directory
 * --out       the cloud assembly directory (default cdk.out)
 * --runs      imports of each bundle and of its bare handler, in fresh processes, that each
 *             median is taken over (default 15); 0 leaves cold imports out
 * --clock     judge the cold-import ratio by the wall clock (default) or by CPU time, which
 *             stays steadier when other work shares the cores; both are printed
 * --json      print the report as JSON
 * --help      print this help
 *
 * Exit status: 0 when every bundle is within 1 MiB and every cold import within 1.2×; 1 when a
 * bundle is over, a cold import is over or a bundle fails at import (everything is printed
 * first); 2 for a bad argument, a failed synth or an unreadable assembly.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { functionBundling } from '../infra/constructs/service-function.ts';
import { cdkSynth, listFunctionBundles } from './bundles/assembly.ts';
import {
  buildBareHandler,
  COLD_IMPORT_RATIO_LIMIT,
  compareColdImport,
  lambdaEnvironment,
  projectRoot,
} from './bundles/cold-import.ts';
import {
  bundlesReport,
  type Clock,
  type FunctionReport,
  formatReport,
  functionReport,
  readBundleInputs,
} from './bundles/report.ts';

const USAGE =
  'usage: npm run bundles -- [--no-synth] [--out <dir>] [--runs <n>] [--clock wall|cpu] [--json] [--help]';

const HELP = `${USAGE}

Reports every Lambda bundle against two limits: at most 1 MiB, and a cold import at most
${COLD_IMPORT_RATIO_LIMIT}× that of a bare handler that imports the same AWS SDK clients, bundled with the same
esbuild options. Synthesises once with the CDK CLI (offline), then prints per function the
bundle's size, its three largest inputs, its AWS SDK packages and the median cold imports;
then a table and the totals.

  --no-synth   reuse the cloud assembly already in the output directory
  --out <dir>  the cloud assembly directory (default cdk.out)
  --runs <n>   fresh-process imports of each bundle and of its bare handler per median
               (default 15); 0 leaves cold imports out
  --clock wall|cpu
               judge the cold-import ratio by the wall clock (default: performance.now()
               around the import) or by the import's CPU time, steadier when other work
               shares the cores; both ratios are printed
  --json       print the report as JSON
  --help       print this help

Exit status: 0 when every bundle is within 1 MiB and every cold import within ${COLD_IMPORT_RATIO_LIMIT}×;
1 when any bundle is over 1 MiB, any cold import over ${COLD_IMPORT_RATIO_LIMIT}× or any bundle fails at import
(the whole report is printed first); 2 for a bad argument, a failed synth or an unreadable
cloud assembly.`;

/**
 * Powertools for AWS Lambda is left out of every bundle for its Lambda layer (README, "Logs,
 * metrics and traces"); a bundle imported here finds it in the project's `node_modules`, as on
 * Lambda in the layer's. An assembly outside the project gets a link to them beside its bundles.
 */
async function standInForPowertoolsLayer(assemblyDirectory: string): Promise<void> {
  if (!relative(projectRoot, assemblyDirectory).startsWith('..')) return;
  const link = join(assemblyDirectory, 'node_modules');
  if (!existsSync(link)) await symlink(join(projectRoot, 'node_modules'), link, 'dir');
}

/** Thrown for a command-line argument that cannot be used. */
export class BundlesArgumentError extends Error {
  override readonly name = 'BundlesArgumentError';
}

export interface BundlesArgs {
  readonly synth: boolean;
  /** The cloud assembly directory, absolute. */
  readonly out: string;
  readonly runs: number;
  readonly clock: Clock;
  readonly json: boolean;
  readonly help: boolean;
}

/**
 * Reads the command line (the arguments after the script name); `--flag value` or `--flag=value`.
 * @throws BundlesArgumentError for an unknown argument or a missing or unusable value.
 */
export function parseBundlesArgs(argv: readonly string[]): BundlesArgs {
  let synth = true;
  let out = join(projectRoot, 'cdk.out');
  let runs = 15;
  let clock: Clock = 'wall';
  let json = false;
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const [flag, inline] = argument.includes('=') ? splitOnce(argument, '=') : [argument, undefined];
    const value = () => {
      const given = inline ?? argv[++index];
      if (given === undefined || given === '' || given.startsWith('--')) {
        throw new BundlesArgumentError(`${flag}: needs a value`);
      }
      return given;
    };
    if (flag === '--no-synth' && inline === undefined) synth = false;
    else if (flag === '--json' && inline === undefined) json = true;
    else if (flag === '--help' && inline === undefined) help = true;
    else if (flag === '--out') out = resolve(value());
    else if (flag === '--runs') {
      const text = value();
      if (!/^\d+$/.test(text) || Number(text) > 1000) {
        throw new BundlesArgumentError(`--runs: a whole number from 0 to 1000, got ${JSON.stringify(text)}`);
      }
      runs = Number(text);
    } else if (flag === '--clock') {
      const text = value();
      if (text !== 'wall' && text !== 'cpu') {
        throw new BundlesArgumentError(`--clock: wall or cpu, got ${JSON.stringify(text)}`);
      }
      clock = text;
    } else
      throw new BundlesArgumentError(`${argument}: unknown argument (${USAGE.replace('usage: ', 'use ')})`);
  }
  return { synth, out, runs, clock, json, help };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

/** Runs the command; answers the exit status. */
export async function runBundlesCommand(
  argv: readonly string[],
  output: { out: (text: string) => void; err: (text: string) => void },
): Promise<number> {
  let args: BundlesArgs;
  try {
    args = parseBundlesArgs(argv);
  } catch (error) {
    if (!(error instanceof BundlesArgumentError)) throw error;
    output.err(`bundles: ${error.message}`);
    return 2;
  }
  if (args.help) {
    output.out(HELP);
    return 0;
  }

  let bundles: Awaited<ReturnType<typeof listFunctionBundles>>;
  try {
    if (args.synth) {
      output.err(`bundles: synthesising with the CDK CLI into ${args.out} …`);
      const run = await cdkSynth(args.out);
      if (run.exitCode !== 0) throw new Error(`cdk synth failed:\n${run.output}`);
    }
    bundles = await listFunctionBundles(args.out);
    await standInForPowertoolsLayer(args.out);
  } catch (error) {
    output.err(`bundles: ${(error as Error).message}`);
    return 2;
  }

  const bareDirectory = await mkdtemp(join(tmpdir(), 'bundles-bare-handlers-'));
  try {
    let loadAverage = loadavg()[0] ?? 0;
    const bareBundles = new Map<string, Promise<string>>();
    const reports: FunctionReport[] = [];
    for (const [index, bundle] of bundles.entries()) {
      const inputs = await readBundleInputs(bundle.bundlePath);
      let coldImport: FunctionReport['coldImport'];
      if (args.runs > 0 && inputs.inputsError) {
        coldImport = {
          error: `not measured: its AWS SDK packages are read from its source map (${inputs.inputsError})`,
        };
      } else if (args.runs > 0) {
        output.err(`bundles: cold imports of ${bundle.name} (${index + 1}/${bundles.length}) …`);
        const key = inputs.sdkPackages.join(' ');
        if (!bareBundles.has(key)) {
          const directory = join(bareDirectory, String(bareBundles.size));
          bareBundles.set(key, buildBareHandler(inputs.sdkPackages, functionBundling, directory));
        }
        let barePath: string | undefined;
        try {
          barePath = await bareBundles.get(key)!;
        } catch (error) {
          coldImport = { error: `cannot build its bare handler: ${(error as Error).message}` };
        }
        if (barePath) {
          const comparison = await compareColdImport(
            bundle.bundlePath,
            barePath,
            lambdaEnvironment(bundle),
            bundle.assetDirectory,
            args.runs,
          );
          coldImport =
            'error' in comparison
              ? comparison
              : { ...comparison, bareBundleBytes: (await stat(barePath)).size };
        }
      }
      reports.push(functionReport(bundle, inputs, coldImport, args.clock));
      loadAverage = Math.max(loadAverage, loadavg()[0] ?? 0);
    }
    const report = bundlesReport(
      {
        assemblyDirectory: args.out,
        runs: args.runs,
        clock: args.clock,
        machine: { cores: availableParallelism(), loadAverage },
      },
      reports,
    );
    output.out(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    await rm(bareDirectory, { recursive: true, force: true });
  }
}

// Compared by path rather than import.meta.main, which a tsx started by an older system node lacks.
if (process.argv[1] === import.meta.filename) {
  process.exitCode = await runBundlesCommand(process.argv.slice(2), {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  });
}
