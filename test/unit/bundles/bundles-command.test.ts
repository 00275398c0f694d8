import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBundlesCommand } from '../../../scripts/bundles.ts';
import { names, SEPARATE_MODULE_BYTES, writeFakeAssembly } from './fake-assembly.ts';

/** Runs `npm run bundles` in this process, keeping what it prints. */
async function bundlesCommand(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runBundlesCommand(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run bundles on an existing cloud assembly, sizes only', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bundles-command-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('passes when every bundle is within 1 MiB', async () => {
    await writeFakeAssembly(
      directory,
      names.map((name) => ({ name })),
    );

    const { status, out } = await bundlesCommand('--no-synth', '--out', directory, '--runs', '0');

    expect(status).toBe(0);
    expect(out).toContain('  largest      zod 100 B (100%)');
    expect(out).toContain('  cold import  not measured');
    expect(out.split('\n').at(-1)).toBe('Result: PASS, every bundle within 1 MiB.');
  });

  it('prints every function and then fails when one bundle is over 1 MiB', async () => {
    await writeFakeAssembly(
      directory,
      // The handler module within 1 MiB, with Nunjucks beside it over.
      names.map((name) =>
        name === 'web' ? { name, bytes: 1024 * 1024 + 1 - SEPARATE_MODULE_BYTES } : { name },
      ),
    );

    const { status, out } = await bundlesCommand('--no-synth', '--out', directory, '--runs=0');

    expect(status).toBe(1);
    expect(out).toContain('  size         1,048,577 B (1.00 MiB): OVER 1 MiB by 1 B');
    expect(out).toContain(
      '  apart        nunjucks in vendor/nunjucks.mjs, 10 B (10 B): imported when first needed, not at the cold start',
    );
    for (const name of names) expect(out).toMatch(new RegExp(`^${name}\\s+\\d`, 'm')); // a table row each
    expect(out.split('\n').at(-1)).toBe('Result: FAIL, 1 over 1 MiB.');
  });

  it('prints the report as JSON with --json', async () => {
    await writeFakeAssembly(
      directory,
      names.map((name) => ({ name })),
    );

    const { status, out } = await bundlesCommand('--no-synth', '--out', directory, '--runs', '0', '--json');

    expect(status).toBe(0);
    const report = JSON.parse(out);
    expect(report.functions.map((entry: { name: string }) => entry.name)).toEqual(names);
    expect(report.totals).toMatchObject({ functions: names.length, overSizeLimit: 0 });
    expect(report.ok).toBe(true);
  });

  it('answers 2, naming the directory, when there is no cloud assembly', async () => {
    const { status, err } = await bundlesCommand('--no-synth', '--out', join(directory, 'missing'));

    expect(status).toBe(2);
    expect(err).toContain(
      `Cannot read the cloud assembly manifest ${join(directory, 'missing', 'manifest.json')}`,
    );
  });
});
