import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../scripts/bundles/cold-import.ts';
import {
  bundlesReport,
  formatBytes,
  formatReport,
  functionReport,
  readBundleInputs,
  shortBytes,
} from '../../../scripts/bundles/report.ts';
import { UNMAPPED_INPUT } from '../../../scripts/bundles/source-map.ts';
import { BundlesArgumentError, parseBundlesArgs, runBundlesCommand } from '../../../scripts/bundles.ts';

const MiB = 1024 * 1024;

const bundleOf = (name: string, bytes: number) => ({
  name,
  constructPath: `Test-Api/${name}/Function/Resource`,
  bundlePath: `/assembly/asset.${name}/index.mjs`,
  bytes,
});

const inputs = {
  inputs: [
    { input: 'zod', bytes: 400_000 },
    { input: '@aws-sdk/client-s3', bytes: 300_000 },
    { input: 'shared/', bytes: 200_000 },
    { input: 'functions/intake/', bytes: 1_000 },
  ],
  sdkPackages: ['@aws-sdk/client-s3'],
};

/** A measured cold import with these wall-clock and CPU-time ratios over a 10 ms bare handler. */
const measured = (ratio: number, cpuRatio = ratio) => ({
  bundleMs: 10 * ratio,
  bareMs: 10,
  ratio,
  bundleCpuMs: 8 * cpuRatio,
  bareCpuMs: 8,
  cpuRatio,
  runs: 15,
});

const settings = { assemblyDirectory: '/assembly', runs: 15, clock: 'wall' as const };

describe('functionReport', () => {
  it('holds a bundle of exactly 1 MiB within the limit and one byte more over it', () => {
    expect(functionReport(bundleOf('a', MiB), inputs, undefined).withinSizeLimit).toBe(true);
    expect(functionReport(bundleOf('a', MiB + 1), inputs, undefined).withinSizeLimit).toBe(false);
  });

  it('holds a cold import of 1.2× within the limit, more over it, and a failed import over it', () => {
    expect(functionReport(bundleOf('a', 1), inputs, measured(1.2)).withinColdImportLimit).toBe(true);
    expect(functionReport(bundleOf('a', 1), inputs, measured(1.21)).withinColdImportLimit).toBe(false);
    expect(functionReport(bundleOf('a', 1), inputs, { error: 'boom' }).withinColdImportLimit).toBe(false);
    expect(functionReport(bundleOf('a', 1), inputs, undefined).withinColdImportLimit).toBe(true);
  });

  it('judges the cold import by the clock it is told', () => {
    const wallOverCpuWithin = measured(1.5, 1.1);

    expect(functionReport(bundleOf('a', 1), inputs, wallOverCpuWithin, 'wall').withinColdImportLimit).toBe(
      false,
    );
    expect(functionReport(bundleOf('a', 1), inputs, wallOverCpuWithin, 'cpu').withinColdImportLimit).toBe(
      true,
    );
  });
});

describe('bundlesReport', () => {
  it('counts what is over each limit and fails if anything is', () => {
    const report = bundlesReport(settings, [
      functionReport(bundleOf('small', 900_000), inputs, measured(1.1)),
      functionReport(bundleOf('large', 2 * MiB), inputs, measured(3)),
      functionReport(bundleOf('broken', 1000), inputs, { error: 'the bundle throws at import: Error: x' }),
    ]);

    expect(report.totals).toEqual({
      functions: 3,
      bytes: 900_000 + 2 * MiB + 1000,
      overSizeLimit: 1,
      overColdImportLimit: 1,
      failingAtImport: 1,
    });
    expect(report.ok).toBe(false);
  });

  it('passes when every bundle and every cold import is within its limit', () => {
    const report = bundlesReport(settings, [
      functionReport(bundleOf('small', 900_000), inputs, measured(1.1)),
    ]);

    expect(report.ok).toBe(true);
  });
});

describe('formatReport', () => {
  const report = bundlesReport({ ...settings, machine: { cores: 2, loadAverage: 4.47 } }, [
    functionReport(bundleOf('intake', 1_274_398), inputs, {
      bundleMs: 125.69,
      bareMs: 90.17,
      ratio: 1.394,
      bundleCpuMs: 142.04,
      bareCpuMs: 98.2,
      cpuRatio: 1.446,
      runs: 15,
      bareBundleBytes: 680_780,
    }),
    functionReport(bundleOf('web', 900_000), inputs, {
      error: 'the bundle throws at import: ConfigurationError: Environment variable X is not set',
    }),
  ]);
  const text = formatReport(report);

  it('says what it measured, and warns when the machine was busy', () => {
    expect(text).toContain('judged by the wall clock; medians of 15 imports each in fresh processes');
    expect(text).toContain(
      'Machine: 2 cores, load average up to 4.5 while measuring: busy, so wall-clock times are noisy; the CPU-time ratio is steadier (--clock cpu judges by it).',
    );
  });

  it('gives each function its size, three largest inputs, SDK packages and cold import', () => {
    expect(text).toContain(
      [
        'intake (Test-Api/intake)',
        '  size         1,274,398 B (1.22 MiB): OVER 1 MiB by 225,822 B',
        '  largest      zod 400,000 B (31%), @aws-sdk/client-s3 300,000 B (24%), shared/ 200,000 B (16%)',
        '  AWS SDK      client-s3',
        '  cold import  125.7 ms, bare handler 90.2 ms (its bundle 664.8 KiB): ×1.39; CPU time 142.0 ms against 98.2 ms: ×1.45; OVER 1.2 by the wall clock',
      ].join('\n'),
    );
    expect(text).toContain('  size         900,000 B (878.9 KiB): within 1 MiB, 145.1 KiB to spare');
    expect(text).toContain(
      '  cold import  FAILED: the bundle throws at import: ConfigurationError: Environment variable X is not set',
    );
  });

  it('ends with a table, the totals and the verdict', () => {
    const lines = text.split('\n');
    const header = lines.findIndex((line) => line.startsWith('function '));

    expect(lines[header]).toMatch(
      /^function\s+bundle\s+≤1 MiB\s+import ms\s+bare ms\s+ratio\s+cpu ratio\s+≤1.2$/,
    );
    expect(lines[header + 1]).toMatch(/^intake\s+1.22 MiB\s+NO\s+125.7\s+90.2\s+1.39\s+1.45\s+NO$/);
    expect(lines[header + 2]).toMatch(/^web\s+878.9 KiB\s+yes\s+failed\s+-\s+-\s+-\s+NO$/);
    expect(lines.at(-1)).toBe(
      'Result: FAIL, 1 over 1 MiB; 1 importing over 1.2× (the wall clock); 1 failing at import.',
    );
  });
});

describe('formatBytes', () => {
  it('gives bytes and the nearest binary unit', () => {
    expect(formatBytes(1_274_398)).toBe('1,274,398 B (1.22 MiB)');
    expect(formatBytes(MiB)).toBe('1,048,576 B (1 MiB)');
    expect(shortBytes(2048)).toBe('2.0 KiB');
    expect(shortBytes(900)).toBe('900 B');
  });
});

describe('readBundleInputs', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bundles-report-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('charges the bundle’s bytes to its inputs and finds its SDK packages', async () => {
    // Absolute sources, as a map moved away from where it was built might hold.
    const sources = ['node_modules/@aws-sdk/client-sfn/dist-es/index.js', 'functions/intake/handler.ts'].map(
      (path) => join(projectRoot, path),
    );
    await mkdir(join(directory, 'asset'), { recursive: true });
    const bundlePath = join(directory, 'asset', 'index.mjs');
    await writeFile(bundlePath, 'banner\naaaabb');
    await writeFile(`${bundlePath}.map`, JSON.stringify({ version: 3, sources, mappings: ';AAAA,ICAA' }));

    const result = await readBundleInputs(bundlePath);

    expect(result).toEqual({
      inputs: [
        { input: UNMAPPED_INPUT, bytes: 7 },
        { input: '@aws-sdk/client-sfn', bytes: 4 },
        { input: 'functions/intake/', bytes: 2 },
      ],
      sdkPackages: ['@aws-sdk/client-sfn'],
    });
  });

  it('says why when the source map cannot be read', async () => {
    const bundlePath = join(directory, 'no-map.mjs');
    await writeFile(bundlePath, 'code');

    const result = await readBundleInputs(bundlePath);

    expect(result.inputs).toEqual([]);
    expect(result.inputsError).toContain('no-map.mjs.map');
  });
});

describe('npm run bundles arguments', () => {
  it('synthesises into cdk.out and runs 15 imports each unless told otherwise', () => {
    expect(parseBundlesArgs([])).toEqual({
      synth: true,
      out: join(projectRoot, 'cdk.out'),
      runs: 15,
      clock: 'wall',
      json: false,
      help: false,
    });
  });

  it('reads every option, with its value apart or after =', () => {
    expect(
      parseBundlesArgs(['--no-synth', '--out', '/tmp/assembly', '--runs=3', '--clock', 'cpu', '--json']),
    ).toEqual({
      synth: false,
      out: '/tmp/assembly',
      runs: 3,
      clock: 'cpu',
      json: true,
      help: false,
    });
  });

  it('refuses an unknown argument, a run count that is not a whole number and an unknown clock', () => {
    expect(() => parseBundlesArgs(['--fast'])).toThrow(BundlesArgumentError);
    expect(() => parseBundlesArgs(['--runs', 'many'])).toThrow('--runs: a whole number');
    expect(() => parseBundlesArgs(['--runs'])).toThrow('--runs: needs a value');
    expect(() => parseBundlesArgs(['--clock=sundial'])).toThrow('--clock: wall or cpu');
  });

  it('prints its help, exit statuses included, and answers 2 for a bad argument', async () => {
    const printed: string[] = [];
    const errors: string[] = [];
    const output = { out: (text: string) => printed.push(text), err: (text: string) => errors.push(text) };

    await expect(runBundlesCommand(['--help'], output)).resolves.toBe(0);
    await expect(runBundlesCommand(['--fast'], output)).resolves.toBe(2);

    expect(printed.join('\n')).toContain('Exit status: 0 when every bundle is within 1 MiB');
    expect(errors).toEqual([expect.stringContaining('bundles: --fast: unknown argument')]);
  });
});
