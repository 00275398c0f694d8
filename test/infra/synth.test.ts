import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionCatalogue } from '../../functions/catalogue.ts';
import { buildApp } from '../../infra/build-app.ts';
import { cdkJsonContext, skipBundling, type TemplateJson } from './app-under-test.ts';

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

const resourceTypes = (template: TemplateJson): string[] =>
  Object.values(template.Resources as Record<string, { Type: string }>).map((resource) => resource.Type);

/**
 * The real CLI runs once, for the default stage: it is what a deployer runs, and the one synth
 * here that bundles every function with esbuild (the other infra tests skip bundling).
 */
describe('cdk synth (the real CLI, offline)', () => {
  let outputDirectory: string;
  let run: CliRun;

  beforeAll(async () => {
    outputDirectory = await mkdtemp(join(tmpdir(), 'safeguarding-reviews-synth-'));
    run = await cdkSynth(outputDirectory);
  });

  afterAll(async () => {
    await rm(outputDirectory, { recursive: true, force: true });
  });

  it('writes the three stacks of the default stage, with cdk-nag passing', async () => {
    expect(run.exitCode, run.output).toBe(0);
    const templates = (await readdir(outputDirectory)).filter((file) => file.endsWith('.template.json'));
    expect(templates.sort()).toEqual([
      'SafeguardingReviews-dev-Api.template.json',
      'SafeguardingReviews-dev-Data.template.json',
      'SafeguardingReviews-dev-Workflow.template.json',
    ]);
    const data = JSON.parse(
      await readFile(join(outputDirectory, 'SafeguardingReviews-dev-Data.template.json'), 'utf8'),
    );
    expect(resourceTypes(data)).toContain('AWS::DynamoDB::Table');
  });

  it("bundles every function's code with esbuild", async () => {
    expect(run.exitCode, run.output).toBe(0);
    const functions = await Promise.all(
      ['Api', 'Workflow'].map(async (stack) => {
        const template = JSON.parse(
          await readFile(join(outputDirectory, `SafeguardingReviews-dev-${stack}.template.json`), 'utf8'),
        );
        // CDK's own inline helpers (the bucket notifications handler) carry their code in the template.
        return Object.values(template.Resources as Record<string, TemplateJson>).filter(
          (resource) => resource.Type === 'AWS::Lambda::Function' && !resource.Properties.Code.ZipFile,
        );
      }),
    );
    const assets = functions.flat().map((resource) => String(resource.Metadata?.['aws:asset:path']));
    expect(assets).toHaveLength(Object.keys(functionCatalogue).length);
    for (const asset of assets) {
      expect(asset, 'each function names its bundled asset').toMatch(/^asset\.[0-9a-f]{64}$/);
      expect(existsSync(join(outputDirectory, asset, 'index.mjs')), `${asset}/index.mjs`).toBe(true);
    }
  });
});

/**
 * What the CLI's `-c stage=<name>` sets: the `stage` context over cdk.json's. Built in-process
 * through infra/build-app.ts (what the CLI runs), without bundling.
 */
describe('the stage from context', () => {
  let outputDirectory: string;

  beforeAll(async () => {
    outputDirectory = await mkdtemp(join(tmpdir(), 'safeguarding-reviews-stage-'));
  });

  afterAll(async () => {
    await rm(outputDirectory, { recursive: true, force: true });
  });

  function appFor(stage: string) {
    return buildApp({
      appProps: { outdir: outputDirectory, context: { ...cdkJsonContext, ...skipBundling, stage } },
    });
  }

  it('names every stack after the stage, and the stacks synthesize with cdk-nag passing', async () => {
    // Act
    const assembly = appFor('staging').app.synth();

    // Assess
    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual([
      'SafeguardingReviews-staging-Api',
      'SafeguardingReviews-staging-Data',
      'SafeguardingReviews-staging-Workflow',
    ]);
    const data = JSON.parse(
      await readFile(join(outputDirectory, 'SafeguardingReviews-staging-Data.template.json'), 'utf8'),
    );
    expect(resourceTypes(data)).toContain('AWS::DynamoDB::Table');
  });

  it.each(['Not_A_Stage', 'prod!', '1prod', 'a-stage-name-over-twenty'])(
    'fails fast on "%s", which cannot name a stack, naming the context',
    (stage) => {
      expect(() => appFor(stage)).toThrow(/^Context "stage" .*must be lower-case letters/);
    },
  );
});
