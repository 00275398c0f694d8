import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionCatalogue } from '../../functions/catalogue.ts';
import { buildApp } from '../../infra/build-app.ts';
import { startLocalSsm } from '../../local/ssm.ts';
import {
  BUNDLE_SIZE_LIMIT_BYTES,
  type CliRun,
  cdkSynth,
  listFunctionBundles,
} from '../../scripts/bundles/assembly.ts';
import { lambdaEnvironment } from '../../scripts/bundles/cold-import.ts';
import { envNames } from '../../shared/env.ts';
import { cdkJsonContext, skipBundling, type TemplateJson } from './app-under-test.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
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
    // Powertools for AWS Lambda is left out of every bundle for its Lambda layer, which Lambda
    // puts where a bundle's imports resolve (/opt/nodejs/node_modules); here the project's own
    // installation stands in for it, above every bundle.
    await symlink(join(projectRoot, 'node_modules'), join(outputDirectory, 'node_modules'), 'dir');
    // The CLI bundles every function (over forty) with esbuild: about a minute and a half on two
    // cores, longer when other work shares them.
  }, 360_000);

  afterAll(async () => {
    await rm(outputDirectory, { recursive: true, force: true });
  });

  it('writes the five stacks of the default stage, with cdk-nag passing', async () => {
    expect(run.exitCode, run.output).toBe(0);
    const templates = (await readdir(outputDirectory)).filter((file) => file.endsWith('.template.json'));
    expect(templates.sort()).toEqual([
      'SafeguardingReviews-dev-Api.template.json',
      'SafeguardingReviews-dev-Data.template.json',
      'SafeguardingReviews-dev-LocalReview.template.json',
      'SafeguardingReviews-dev-Monitoring.template.json',
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
      ['Api', 'Workflow', 'LocalReview'].map(async (stack) => {
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
    for (const resource of functions.flat()) {
      expect(resource.Properties.Layers, 'each function has the Powertools layer').toHaveLength(1);
    }
    for (const asset of assets) {
      expect(asset, 'each function names its bundled asset').toMatch(/^asset\.[0-9a-f]{64}$/);
      expect(existsSync(join(outputDirectory, asset, 'index.mjs')), `${asset}/index.mjs`).toBe(true);
    }
  });

  it('keeps every function’s bundle within 1 MiB', async () => {
    expect(run.exitCode, run.output).toBe(0);
    const bundles = await listFunctionBundles(outputDirectory);

    expect(bundles.map((bundle) => bundle.name).sort()).toEqual(Object.keys(functionCatalogue).sort());
    const over = bundles.filter((bundle) => bundle.bytes > BUNDLE_SIZE_LIMIT_BYTES);
    expect(over.map((bundle) => `${bundle.name}: ${bundle.bytes} bytes`)).toEqual([]);
  });

  it('bundles one copy of each package: none nested under another, none both in the handler and beside it', async () => {
    expect(run.exitCode, run.output).toBe(0);
    for (const bundle of await listFunctionBundles(outputDirectory)) {
      const map = JSON.parse(await readFile(`${bundle.bundlePath}.map`, 'utf8')) as { sources: string[] };
      const nested = map.sources.filter((source) => /node_modules\/.*\/node_modules\//.test(source));
      expect(nested, bundle.name).toEqual([]);
      // Powertools comes from its layer, never from the bundle.
      const powertools = map.sources.filter((source) =>
        source.includes('node_modules/@aws-lambda-powertools/'),
      );
      expect(powertools, bundle.name).toEqual([]);
      // A package bundled into a module of its own must not also be in the handler's.
      const alsoInHandler = bundle.separateModules.flatMap((separate) =>
        map.sources.filter((source) => source.includes(`node_modules/${separate.package}/`)),
      );
      expect(alsoInHandler, bundle.name).toEqual([]);
    }
  });

  it('runs every bundle as Lambda would: it loads and answers, refusing a malformed event by its handler', async () => {
    expect(run.exitCode, run.output).toBe(0);
    const answers = await Promise.all(
      (await listFunctionBundles(outputDirectory)).map(async (bundle) => {
        const spec = functionCatalogue[bundle.name];
        // The web function's stylesheet, read from the files copied beside its bundle; a page
        // under a case from the case pages' function, asked without signing in.
        const path =
          bundle.name === 'web'
            ? '/assets/app.css'
            : bundle.name === 'case-web'
              ? '/cases/0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de/decision'
              : bundle.name === 'team-web'
                ? '/cases/0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de/withdraw'
                : bundle.name === 'home-web'
                  ? '/cases'
                  : bundle.name === 'notify-web'
                    ? '/notify/incident'
                    : bundle.name === 'local-review-web'
                      ? '/local-reviews/0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de'
                      : bundle.name === 'ops-web'
                        ? '/ops'
                        : bundle.name === 'prg-web'
                          ? '/practice-review-group'
                          : bundle.name === 'learning-web'
                            ? '/actions'
                            : bundle.name === 'local-review-work-web'
                              ? '/your-reviews'
                              : bundle.name === 'local-review-drafts-web'
                                ? '/local-reviews/0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de/drafts'
                                : bundle.name === 'insight-web'
                                  ? '/dashboard'
                                  : '/api/nowhere';
        const event =
          spec.trigger === 'workflow' || spec.trigger === 'local-review-workflow'
            ? { caseId: 'not-a-case-id' }
            : spec.trigger === 'upload-event'
              ? { Records: [] }
              : spec.trigger === 'schedule'
                ? { source: 'not-a-schedule' }
                : spec.trigger === 'execution-status'
                  ? { source: 'not-a-status-change' }
                  : {
                      version: '2.0',
                      routeKey: 'GET /nowhere',
                      rawPath: path,
                      headers: {},
                      requestContext: { http: { method: 'GET', path }, requestId: 'synth-test' },
                    };
        return {
          name: bundle.name,
          trigger: spec.trigger,
          answer: await invokeBundle(
            bundle.bundlePath,
            event,
            // The case, team and notify pages read the session key for every page (the web function's asset needs
            // none); the agency details pages their own key likewise.
            bundle.name === 'case-web' ||
              bundle.name === 'team-web' ||
              bundle.name === 'home-web' ||
              bundle.name === 'notify-web' ||
              bundle.name === 'local-review-web' ||
              bundle.name === 'prg-web' ||
              bundle.name === 'local-review-work-web' ||
              bundle.name === 'local-review-drafts-web' ||
              bundle.name === 'insight-web' ||
              bundle.name === 'ops-web' ||
              bundle.name === 'learning-web'
              ? { [envNames.sessionSecret]: 'a-session-key-invented-for-the-synth-test' }
              : bundle.name === 'agency-details'
                ? { [envNames.agencyDetailsSecret]: 'an-agency-details-key-invented-for-the-synth-test' }
                : {},
          ),
        };
      }),
    );

    for (const { name, trigger, answer } of answers) {
      if (trigger === 'workflow' || trigger === 'local-review-workflow') {
        expect(answer, name).toMatchObject({ error: 'InvalidTaskPayload' });
      } else if (trigger === 'upload-event') {
        expect(answer, name).toMatchObject({ error: 'InvalidUploadEvent' });
      } else if (trigger === 'schedule') {
        expect(answer, name).toMatchObject({ error: 'InvalidScheduledEvent' });
      } else if (trigger === 'execution-status') {
        expect(answer, name).toMatchObject({ error: 'InvalidExecutionStatusEvent' });
      } else if (
        name === 'case-web' ||
        name === 'team-web' ||
        name === 'home-web' ||
        name === 'notify-web' ||
        name === 'local-review-web' ||
        name === 'prg-web' ||
        name === 'local-review-work-web' ||
        name === 'local-review-drafts-web' ||
        name === 'insight-web' ||
        name === 'ops-web' ||
        name === 'learning-web'
      ) {
        expect(answer, name).toMatchObject({
          statusCode: 303,
          headers: { location: expect.stringContaining('/sign-in') },
        });
      } else if (name === 'web') {
        expect(answer, name).toMatchObject({
          statusCode: 200,
          headers: { 'content-type': 'text/css; charset=utf-8' },
        });
      } else {
        expect(answer, name).toMatchObject({ statusCode: 404 });
      }
    }
  });

  it('renders a page from the web bundle: its templates, govuk-frontend’s and Nunjucks in its own module beside it', async () => {
    expect(run.exitCode, run.output).toBe(0);
    const web = (await listFunctionBundles(outputDirectory)).find((bundle) => bundle.name === 'web')!;
    expect(web.separateModules.map((separate) => relative(web.assetDirectory, separate.path))).toEqual([
      'vendor/nunjucks.mjs',
    ]);
    // The profile as the Api stack's template puts it in Parameter Store, served by the local one.
    const api = JSON.parse(
      await readFile(join(outputDirectory, 'SafeguardingReviews-dev-Api.template.json'), 'utf8'),
    ) as TemplateJson;
    const parameters = Object.values(api.Resources as Record<string, TemplateJson>)
      .filter((resource) => resource.Type === 'AWS::SSM::Parameter')
      .map((resource) => ({
        name: String(resource.Properties.Name),
        value: String(resource.Properties.Value),
      }));
    const ssm = await startLocalSsm({ parameters });
    let answer: { statusCode?: number; headers?: Record<string, string>; body?: string };
    try {
      answer = (await invokeBundle(
        web.bundlePath,
        {
          version: '2.0',
          routeKey: 'GET /',
          rawPath: '/',
          headers: {},
          requestContext: { http: { method: 'GET', path: '/' }, requestId: 'synth-test' },
        },
        { ...lambdaEnvironment(web), AWS_ENDPOINT_URL_SSM: ssm.endpoint },
      )) as typeof answer;
    } finally {
      await ssm.stop();
    }

    expect(answer).toMatchObject({
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    expect(answer.body).toContain('<html lang="en" class="govuk-template');
    const { partnershipName } = JSON.parse(
      parameters.find((parameter) => parameter.name === '/safeguarding-reviews/dev/profile')?.value ?? '{}',
    ) as { partnershipName: string };
    expect(partnershipName).toMatch(/example/);
    expect(answer.body).toContain(partnershipName);
  });
});

/**
 * Imports a bundled handler in a fresh Node 24 process, as Lambda's runtime would, and calls it
 * with `event`: its answer, or the name of the error it threw.
 */
function invokeBundle(
  bundlePath: string,
  event: unknown,
  environment: Readonly<Record<string, string>> = {},
): Promise<unknown> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundlePath).href)});
    try {
      process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)}, { getRemainingTimeInMillis: () => 30000 })));
    } catch (error) {
      process.stdout.write(JSON.stringify({ error: error.name }));
    }`;
  return new Promise((resolve, reject) => {
    execFile(
      join(projectRoot, 'node_modules/.bin/node'),
      ['--input-type=module', '-e', script],
      {
        cwd: tmpdir(),
        env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-2', ...environment },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error && !stdout) reject(new Error(`${bundlePath}: ${stderr}`));
        // The handler's own log lines come first on standard output, as on Lambda; the answer is last.
        else resolve(JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '') as unknown);
      },
    );
  });
}

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
      'SafeguardingReviews-staging-LocalReview',
      'SafeguardingReviews-staging-Monitoring',
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
