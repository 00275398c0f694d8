import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionBundling } from '../../../infra/constructs/service-function.ts';
import type { FunctionBundle } from '../../../scripts/bundles/assembly.ts';
import {
  bareHandlerSource,
  buildBareHandler,
  clientClassOf,
  compareColdImport,
  esbuildOptionsFor,
  importOnce,
  lambdaEnvironment,
  median,
  projectRoot,
  sdkPackagesIn,
} from '../../../scripts/bundles/cold-import.ts';

describe('sdkPackagesIn', () => {
  it('picks the SDK clients, the document client and the presigners at the top of node_modules', () => {
    expect(
      sdkPackagesIn([
        'zod',
        '@aws-sdk/client-sfn',
        '@aws-sdk/core',
        '@aws-sdk/lib-dynamodb',
        '@aws-sdk/client-dynamodb',
        '@aws-sdk/s3-presigned-post',
        '@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3',
        '@aws-sdk/s3-request-presigner',
        '@smithy/core',
        'shared/',
      ]),
    ).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-sfn',
      '@aws-sdk/lib-dynamodb',
      '@aws-sdk/s3-presigned-post',
      '@aws-sdk/s3-request-presigner',
    ]);
  });
});

describe('bareHandlerSource', () => {
  it('creates each client once at top level and uses every import in the handler', () => {
    const source = bareHandlerSource(
      ['@aws-sdk/lib-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner'],
      { '@aws-sdk/client-dynamodb': 'DynamoDBClient', '@aws-sdk/client-s3': 'S3Client' },
    );

    expect(source).toBe(
      [
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import { S3Client } from '@aws-sdk/client-s3';",
        "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
        "import { getSignedUrl } from '@aws-sdk/s3-request-presigner';",
        '',
        'const dynamoDBClient = new DynamoDBClient({});',
        'const s3Client = new S3Client({});',
        'const dynamoDBDocumentClient = DynamoDBDocumentClient.from(dynamoDBClient);',
        '',
        'export const handler = async () => [dynamoDBClient, s3Client, dynamoDBDocumentClient, getSignedUrl].map((used) => typeof used);',
        '',
      ].join('\n'),
    );
  });

  it('refuses a client package whose class it was not told', () => {
    expect(() => bareHandlerSource(['@aws-sdk/client-sfn'], {})).toThrow(
      'No client class given for @aws-sdk/client-sfn',
    );
  });
});

describe('clientClassOf', () => {
  it('reads the client class from the package, whatever its casing', async () => {
    await expect(clientClassOf('@aws-sdk/client-sesv2')).resolves.toBe('SESv2Client');
  });
});

describe('esbuildOptionsFor', () => {
  it('passes esbuild what CDK’s local bundling passes on its command line for the functions', () => {
    expect(esbuildOptionsFor(functionBundling, '/out')).toEqual({
      absWorkingDir: projectRoot,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      outfile: '/out/index.mjs',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      external: ['@aws-lambda-powertools/*'],
      keepNames: true,
      banner: { js: functionBundling.banner },
      mainFields: ['module', 'main'],
      alias: {
        '@pdf-lib/standard-fonts': './shared/documents/pdf-lib-bundling/standard-fonts.ts',
        pako: './shared/documents/pdf-lib-bundling/pako.ts',
        tslib: 'tslib',
      },
      logLevel: 'warning',
    });
  });

  it('refuses bundling props it has no translation for, rather than build the baseline differently', () => {
    expect(() => esbuildOptionsFor({ ...functionBundling, tsconfig: 'tsconfig.json' }, '/out')).toThrow(
      'Bundling props tsconfig have no esbuild translation',
    );
  });

  it('refuses to guess CDK’s default externals when the SDK is left out of the bundle', () => {
    const { externalModules: _layerPackages, ...withoutExternals } = functionBundling;
    expect(() => esbuildOptionsFor({ ...withoutExternals, bundleAwsSDK: false }, '/out')).toThrow(
      'expects bundleAwsSDK: true',
    );
  });
});

const fakeBundle: FunctionBundle = {
  name: 'get-case',
  stackName: 'Test-Api',
  constructPath: 'Test-Api/GetCase/Function/Resource',
  region: 'eu-west-2',
  assetDirectory: '/assembly/asset.abc',
  bundlePath: '/assembly/asset.abc/index.mjs',
  bytes: 1000,
  separateModules: [],
  handler: 'index.handler',
  memorySize: 512,
  environment: {
    PARTNERSHIP_PROFILE_PARAMETER_PATH: '/safeguarding-reviews/dev',
    CASE_TABLE_NAME: { Ref: 'CaseTable' },
    RAPID_REVIEW_STATE_MACHINE_ARN: {
      'Fn::Join': ['', ['arn:aws:states:eu-west-2:', { Ref: 'AWS::AccountId' }, ':stateMachine:Review']],
    },
    PUBLIC_BASE_URL: { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] },
    CASE_DOCUMENT_BUCKET: { 'Fn::GetStackOutput': { OutputName: 'Bucket' } },
  },
};

describe('lambdaEnvironment', () => {
  it('sets what the Lambda runtime sets, with dummy credentials', () => {
    expect(lambdaEnvironment(fakeBundle)).toMatchObject({
      AWS_REGION: 'eu-west-2',
      AWS_DEFAULT_REGION: 'eu-west-2',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: 'get-case',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      LAMBDA_TASK_ROOT: '/assembly/asset.abc',
      _HANDLER: 'index.handler',
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
    });
  });

  it('keeps the function’s literal variables and makes up plausible values for deploy-time ones', () => {
    expect(lambdaEnvironment(fakeBundle)).toMatchObject({
      PARTNERSHIP_PROFILE_PARAMETER_PATH: '/safeguarding-reviews/dev',
      CASE_TABLE_NAME: 'dummy-casetable',
      RAPID_REVIEW_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:123456789012:stateMachine:Review',
      PUBLIC_BASE_URL: 'https://dummy.example.org',
      CASE_DOCUMENT_BUCKET: 'dummy-case-document-bucket',
    });
  });

  it('passes nothing else of this process’s environment on, so a local endpoint cannot creep in', () => {
    const before = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:8000';
    try {
      const environment = lambdaEnvironment(fakeBundle);

      expect(environment.AWS_ENDPOINT_URL_DYNAMODB).toBeUndefined();
      expect(environment.PATH).toBe(process.env.PATH);
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      else process.env.AWS_ENDPOINT_URL_DYNAMODB = before;
    }
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('cold imports in fresh processes', () => {
  let directory: string;
  const environment = { PATH: process.env.PATH ?? '', TABLE: 'cases' };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bundles-cold-import-'));
    await writeFile(
      join(directory, 'reads-env.mjs'),
      'export const table = process.env.TABLE.toUpperCase();\n',
    );
    await writeFile(
      join(directory, 'throws.mjs'),
      [
        'class ConfigurationError extends Error { name = "ConfigurationError"; }',
        'console.log("a log line before it fails");',
        'throw new ConfigurationError("Environment variable CASE_TABLE_NAME is not set\\nsecond line");',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('times an import, in an environment of its own', async () => {
    const result = await importOnce(join(directory, 'reads-env.mjs'), environment, directory);

    expect(result).toEqual({ ms: expect.any(Number), cpuMs: expect.any(Number) });
  });

  it('reports a module that throws at import by its error’s name and first line', async () => {
    const result = await importOnce(join(directory, 'throws.mjs'), environment, directory);

    expect(result).toEqual({ error: 'ConfigurationError: Environment variable CASE_TABLE_NAME is not set' });
  });

  it('compares medians of alternating imports', async () => {
    const path = join(directory, 'reads-env.mjs');

    const comparison = await compareColdImport(path, path, environment, directory, 3);

    expect(comparison).toEqual({
      bundleMs: expect.any(Number),
      bareMs: expect.any(Number),
      ratio: expect.any(Number),
      bundleCpuMs: expect.any(Number),
      bareCpuMs: expect.any(Number),
      cpuRatio: expect.any(Number),
      runs: 3,
    });
  });

  it('says which of the two failed at import', async () => {
    const comparison = await compareColdImport(
      join(directory, 'throws.mjs'),
      join(directory, 'reads-env.mjs'),
      environment,
      directory,
      3,
    );

    expect(comparison).toEqual({
      error:
        'the bundle throws at import: ConfigurationError: Environment variable CASE_TABLE_NAME is not set',
    });
  });

  it('builds a bare handler that bundles the SDK and imports cleanly', async () => {
    const barePath = await buildBareHandler(
      ['@aws-sdk/client-sfn'],
      functionBundling,
      join(directory, 'bare'),
    );

    const bundle = await readFile(barePath, 'utf8');
    expect(bundle.startsWith(functionBundling.banner)).toBe(true);
    expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//); // nothing left external
    await expect(readFile(`${barePath}.map`, 'utf8')).resolves.toContain('client-sfn');
    await expect(importOnce(barePath, environment, directory)).resolves.toEqual({
      ms: expect.any(Number),
      cpuMs: expect.any(Number),
    });
  }, 30_000);
});
