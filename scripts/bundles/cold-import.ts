/**
 * How long a bundle takes to import cold, against a bare handler that imports the same AWS SDK
 * packages and creates their clients, bundled with the same esbuild options: the difference is
 * what the function's own code and its other dependencies cost at every cold start.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build } from 'esbuild';
import type { FunctionBundle } from './assembly.ts';

/** The most a bundle's cold import may take, as a multiple of the bare handler's. */
export const COLD_IMPORT_RATIO_LIMIT = 1.2;

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The project's own Node (the `node` devDependency), which Lambda's nodejs24.x matches; else this one. */
const projectNode = existsSync(join(projectRoot, 'node_modules/.bin/node'))
  ? join(projectRoot, 'node_modules/.bin/node')
  : process.execPath;

const SDK_PACKAGE = /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb|s3-presigned-post|s3-request-presigner)$/;

/**
 * The AWS SDK packages a bundle holds, from its inputs (as `bytesPerInput` names them): every
 * `@aws-sdk/client-*`, `lib-dynamodb` and the two S3 presigners found at the top of
 * node_modules. A copy nested under another package comes with that package, so it is not listed.
 */
export function sdkPackagesIn(inputs: readonly string[]): string[] {
  return [...new Set(inputs.filter((input) => SDK_PACKAGE.test(input)))].sort();
}

/**
 * The client class a `@aws-sdk/client-*` package exports (`S3Client`, `SESv2Client`), read
 * from the package itself since its casing cannot be guessed from the package name.
 * @throws Error unless exactly one `…Client` is exported.
 */
export async function clientClassOf(packageName: string): Promise<string> {
  const exported = Object.keys(await import(packageName));
  const clients = exported.filter((name) => name.endsWith('Client') && name !== '__Client');
  if (clients.length !== 1) {
    throw new Error(
      `${packageName}: expected one exported …Client class, found ${clients.join(', ') || 'none'}`,
    );
  }
  return clients[0]!;
}

/**
 * A bare handler module for these SDK packages, as a function would start: each client created
 * once at top level (`new DynamoDBClient({})`, `DynamoDBDocumentClient.from(…)`), the presigner
 * helpers imported, and an async `handler` that uses them all so that nothing is shaken out.
 * `clientClasses` names each `@aws-sdk/client-*` package's class (see {@link clientClassOf}).
 */
export function bareHandlerSource(
  packages: readonly string[],
  clientClasses: Readonly<Record<string, string>>,
): string {
  const wanted = new Set(packages);
  // The document client wraps a DynamoDB client, which its package imports anyway.
  if (wanted.has('@aws-sdk/lib-dynamodb')) wanted.add('@aws-sdk/client-dynamodb');
  const variableOf = (className: string) => className.charAt(0).toLowerCase() + className.slice(1);
  const imports: string[] = [];
  const setup: string[] = [];
  const used: string[] = [];
  for (const packageName of [...wanted].sort()) {
    if (!packageName.startsWith('@aws-sdk/client-')) continue;
    const className = clientClasses[packageName];
    if (!className) throw new Error(`No client class given for ${packageName}`);
    imports.push(`import { ${className} } from '${packageName}';`);
    setup.push(`const ${variableOf(className)} = new ${className}({});`);
    used.push(variableOf(className));
  }
  if (wanted.has('@aws-sdk/lib-dynamodb')) {
    const dynamoDBClient = variableOf(clientClasses['@aws-sdk/client-dynamodb']!);
    imports.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
    setup.push(`const dynamoDBDocumentClient = DynamoDBDocumentClient.from(${dynamoDBClient});`);
    used.push('dynamoDBDocumentClient');
  }
  if (wanted.has('@aws-sdk/s3-presigned-post')) {
    imports.push(`import { createPresignedPost } from '@aws-sdk/s3-presigned-post';`);
    used.push('createPresignedPost');
  }
  if (wanted.has('@aws-sdk/s3-request-presigner')) {
    imports.push(`import { getSignedUrl } from '@aws-sdk/s3-request-presigner';`);
    used.push('getSignedUrl');
  }
  return [
    ...imports,
    '',
    ...setup,
    '',
    `export const handler = async () => [${used.join(', ')}].map((used) => typeof used);`,
    '',
  ].join('\n');
}

/** CDK bundling props that change nothing in the bundle, or that only copy files beside it. */
const OUTPUT_NEUTRAL_PROPS = new Set(['logLevel', 'metafile', 'assetHash', 'commandHooks']);

/**
 * esbuild's build options for a `NodejsFunction` bundled with these props, as CDK's local
 * bundling passes them on esbuild's command line (`--bundle --platform=node …`), for building
 * from the project root into `outputDirectory`.
 * @throws Error for a prop this translation does not know, so that a new one cannot silently
 *   make the baseline differ from the functions.
 */
export function esbuildOptionsFor(bundling: BundlingOptions, outputDirectory: string): BuildOptions {
  const known = new Set([
    ...OUTPUT_NEUTRAL_PROPS,
    ...['format', 'target', 'mainFields', 'banner', 'bundleAwsSDK', 'externalModules'],
    ...['minify', 'keepNames', 'sourceMap', 'sourcesContent', 'esbuildArgs'],
  ]);
  const unknown = Object.keys(bundling).filter(
    (prop) => bundling[prop as keyof BundlingOptions] !== undefined && !known.has(prop),
  );
  if (unknown.length > 0) {
    throw new Error(
      `Bundling props ${unknown.join(', ')} have no esbuild translation in ${import.meta.filename}`,
    );
  }
  if (!bundling.bundleAwsSDK && bundling.externalModules === undefined) {
    throw new Error(
      "The bare-handler baseline expects bundleAwsSDK: true (or explicit externalModules), so that it bundles the SDK the function bundles; CDK's default externals depend on feature flags",
    );
  }
  if (!bundling.target)
    throw new Error('Bundling props: set target, as CDK otherwise derives it from the runtime');
  return {
    absWorkingDir: projectRoot, // CDK runs esbuild from the project root
    bundle: true,
    platform: 'node',
    target: bundling.target,
    ...(bundling.format ? { format: bundling.format } : {}),
    outfile: join(outputDirectory, bundling.format === 'esm' ? 'index.mjs' : 'index.js'),
    minify: bundling.minify ?? false,
    ...(bundling.sourceMap ? { sourcemap: true } : {}),
    sourcesContent: bundling.sourcesContent ?? true,
    external: [...(bundling.externalModules ?? [])],
    keepNames: bundling.keepNames ?? false,
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
    ...aliasesOf(bundling.esbuildArgs),
    logLevel: 'warning',
  };
}

/** The `--alias:<package>` flags of `esbuildArgs` as esbuild's `alias` option; any other flag is refused. */
function aliasesOf(args: BundlingOptions['esbuildArgs']): Pick<BuildOptions, 'alias'> {
  if (!args) return {};
  const alias: Record<string, string> = {};
  for (const [flag, value] of Object.entries(args)) {
    if (!flag.startsWith('--alias:') || typeof value !== 'string') {
      throw new Error(`Bundling esbuildArgs ${flag} has no esbuild translation in ${import.meta.filename}`);
    }
    alias[flag.slice('--alias:'.length)] = value;
  }
  return { alias };
}

/**
 * Bundles the bare handler for these SDK packages into `outputDirectory` with the functions'
 * esbuild options; answers the bundle's path.
 */
export async function buildBareHandler(
  packages: readonly string[],
  bundling: BundlingOptions,
  outputDirectory: string,
): Promise<string> {
  const clientClasses: Record<string, string> = {};
  const clientPackages = new Set(packages.filter((name) => name.startsWith('@aws-sdk/client-')));
  if (packages.includes('@aws-sdk/lib-dynamodb')) clientPackages.add('@aws-sdk/client-dynamodb');
  for (const packageName of clientPackages) clientClasses[packageName] = await clientClassOf(packageName);
  await mkdir(outputDirectory, { recursive: true });
  const options = esbuildOptionsFor(bundling, outputDirectory);
  await build({
    ...options,
    stdin: {
      contents: bareHandlerSource(packages, clientClasses),
      resolveDir: projectRoot,
      sourcefile: 'bare-handler.mjs',
      loader: 'js',
    },
  });
  return options.outfile!;
}

/**
 * The environment a Lambda function starts with: what the runtime sets (dummy credentials,
 * region, names) and the function's own variables, with each CloudFormation intrinsic (a
 * table name, an ARN) replaced by a plausible dummy, since a module that reads one at import
 * would otherwise fail here for want of a deploy.
 */
export function lambdaEnvironment(bundle: FunctionBundle): Record<string, string> {
  const region = bundle.region ?? 'eu-west-2';
  const runtime: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    _HANDLER: bundle.handler,
    LAMBDA_TASK_ROOT: bundle.assetDirectory,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: bundle.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(bundle.memorySize ?? 128),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${bundle.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_LAMBDA_LOG_LEVEL: 'INFO',
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    AWS_ACCESS_KEY_ID: 'ASIADUMMYDUMMYDUMMY0',
    AWS_SECRET_ACCESS_KEY: 'dummy-secret-access-key-for-the-cold-import-measurement',
    AWS_SESSION_TOKEN: 'dummy-session-token',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
  };
  const own = Object.fromEntries(
    Object.entries(bundle.environment).map(([name, value]) => [name, dummyValue(name, value, region)]),
  );
  return { ...runtime, ...own };
}

/** A CloudFormation value as a plausible string: literal parts kept, references made up. */
function dummyValue(name: string, value: unknown, region: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const intrinsic = value as Record<string, unknown> | null;
  const join = intrinsic?.['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part) => dummyValue(name, part, region)).join(join[0]);
  }
  const ref = intrinsic?.Ref;
  if (typeof ref === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': '123456789012',
      'AWS::Region': region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'dummy-stack',
    };
    return pseudo[ref] ?? `dummy-${ref.toLowerCase()}`;
  }
  // Fn::GetAtt, Fn::GetStackOutput, Fn::ImportValue…: only the variable's name hints at its shape.
  if (/(URL|ENDPOINT|DOMAIN|ISSUER)$/.test(name)) return 'https://dummy.example.org';
  if (/ARN$/.test(name)) return `arn:aws:lambda:${region}:123456789012:function:dummy`;
  return `dummy-${name.toLowerCase().replaceAll('_', '-')}`;
}

/**
 * One import: how long it took by the wall clock (performance.now()) and in CPU time (user and
 * system, every thread of the process), or why it failed. On a busy machine the wall clock
 * also counts waiting for a core; CPU time does not, so it stays steadier there.
 */
export type ImportResult = { readonly ms: number; readonly cpuMs: number } | { readonly error: string };

const RESULT_MARKER = '@@cold-import@@';

/**
 * Runs in the child: times `await import()` of the bundle, so Node's own start-up is left out,
 * and prints the result after a marker (the module may log).
 */
const CHILD_SOURCE = `
const url = (await import('node:url')).pathToFileURL(process.argv[1]).href;
let result;
const cpuBefore = process.cpuUsage();
const start = performance.now();
try {
  await import(url);
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  result = { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
} catch (error) {
  result = { error: (error?.name ?? 'Error') + ': ' + String(error?.message ?? error).split('\\n')[0] };
}
process.stdout.write('\\n${RESULT_MARKER}' + JSON.stringify(result) + '\\n', () => process.exit(0));
`;

/** Imports the module once, in a fresh Node process with this environment and working directory. */
export function importOnce(
  modulePath: string,
  environment: Record<string, string>,
  cwd: string,
): Promise<ImportResult> {
  return new Promise((resolve) => {
    execFile(
      projectNode,
      ['--input-type=module', '--eval', CHILD_SOURCE, modulePath],
      { env: environment, cwd, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
        if (line) {
          resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as ImportResult);
          return;
        }
        const why = (stderr.trim().split('\n').at(-1) ?? '') || (error?.message ?? 'no result');
        resolve({ error: `the process ended without a result: ${why}` });
      },
    );
  });
}

/** A bundle's cold import against its bare handler's: medians of the runs, or the error that stopped it. */
export type ColdImportComparison =
  | {
      /** Median wall-clock import of the bundle, ms. */
      readonly bundleMs: number;
      readonly bareMs: number;
      /** bundleMs / bareMs: what the limit is about. */
      readonly ratio: number;
      /** Median CPU time of the bundle's import, ms. */
      readonly bundleCpuMs: number;
      readonly bareCpuMs: number;
      /** bundleCpuMs / bareCpuMs: steadier than `ratio` on a busy machine. */
      readonly cpuRatio: number;
      readonly runs: number;
    }
  | { readonly error: string };

/**
 * Imports the bundle and the bare handler `runs` times each in fresh processes, alternating
 * which goes first so drift on a busy machine falls on both, after one discarded import of each
 * (it brings the files into the page cache); answers the medians and their ratios.
 */
export async function compareColdImport(
  bundlePath: string,
  barePath: string,
  environment: Record<string, string>,
  cwd: string,
  runs: number,
): Promise<ColdImportComparison> {
  type Timed = Extract<ImportResult, { ms: number }>;
  const bundleTimes: Timed[] = [];
  const bareTimes: Timed[] = [];
  const importInto = async (path: string, times: Timed[] | undefined, which: string) => {
    const result = await importOnce(path, environment, cwd);
    if ('error' in result) throw new Error(`${which} throws at import: ${result.error}`);
    times?.push(result);
  };
  const importBundle = (times?: Timed[]) => importInto(bundlePath, times, 'the bundle');
  const importBare = (times?: Timed[]) => importInto(barePath, times, 'the bare handler');
  try {
    await importBundle();
    await importBare();
    for (let run = 0; run < runs; run++) {
      if (run % 2 === 0) {
        await importBundle(bundleTimes);
        await importBare(bareTimes);
      } else {
        await importBare(bareTimes);
        await importBundle(bundleTimes);
      }
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
  const bundleMs = median(bundleTimes.map(({ ms }) => ms));
  const bareMs = median(bareTimes.map(({ ms }) => ms));
  const bundleCpuMs = median(bundleTimes.map(({ cpuMs }) => cpuMs));
  const bareCpuMs = median(bareTimes.map(({ cpuMs }) => cpuMs));
  return {
    bundleMs,
    bareMs,
    ratio: bundleMs / bareMs,
    bundleCpuMs,
    bareCpuMs,
    cpuRatio: bundleCpuMs / bareCpuMs,
    runs,
  };
}

/** The middle value (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
