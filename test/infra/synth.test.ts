import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const cdkCli = join(projectRoot, 'node_modules/.bin/cdk');

interface CliRun {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs the real CDK CLI as a deployer would, offline: no telemetry, no notices, output kept apart. */
function cdkSynth(outputDirectory: string, ...extraArguments: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      cdkCli,
      ['synth', '--quiet', '--no-notices', '-o', outputDirectory, ...extraArguments],
      { cwd: projectRoot, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' }, timeout: 110_000 },
      (error, stdout, stderr) => {
        resolve({
          exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: stdout + stderr,
        });
      },
    );
  });
}

describe('cdk synth (the real CLI, offline)', () => {
  let outputDirectory: string;

  beforeAll(async () => {
    outputDirectory = await mkdtemp(join(tmpdir(), 'safeguarding-reviews-synth-'));
  });

  afterAll(async () => {
    await rm(outputDirectory, { recursive: true, force: true });
  });

  it('writes the data stack of the default stage, with cdk-nag passing', async () => {
    const run = await cdkSynth(join(outputDirectory, 'default'));

    expect(run.exitCode, run.output).toBe(0);
    const template = JSON.parse(
      await readFile(join(outputDirectory, 'default', 'SafeguardingReviews-dev-Data.template.json'), 'utf8'),
    );
    expect(
      Object.values(template.Resources).map((resource) => (resource as { Type: string }).Type),
    ).toContain('AWS::DynamoDB::Table');
  });

  it('names the stacks after the stage given on the command line', async () => {
    const run = await cdkSynth(join(outputDirectory, 'staging'), '-c', 'stage=staging');

    expect(run.exitCode, run.output).toBe(0);
    await expect(
      readFile(join(outputDirectory, 'staging', 'SafeguardingReviews-staging-Data.template.json'), 'utf8'),
    ).resolves.toContain('AWS::DynamoDB::Table');
  });

  it('fails fast on a stage that cannot name a stack', async () => {
    const run = await cdkSynth(join(outputDirectory, 'invalid'), '-c', 'stage=Not_A_Stage');

    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('Context "stage"');
  });
});
