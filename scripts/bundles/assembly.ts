/**
 * Finds each catalogue function's bundle in a cloud assembly (the `cdk synth` output): the
 * stack templates' `AWS::Lambda::Function` resources carry their asset's directory in
 * `aws:asset:path` metadata and their construct path in `aws:cdk:path`.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FunctionName, type FunctionSpec, functionCatalogue } from '../../functions/catalogue.ts';
import { constructIdOf } from '../../infra/constructs/service-function.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** How a run of the CDK CLI ended: its exit status and everything it printed. */
export interface CliRun {
  readonly exitCode: number;
  readonly output: string;
}

/**
 * Runs the real CDK CLI's `synth` into `outputDirectory` as a deployer would, offline: no
 * telemetry, no notices, its output kept to show only when it fails.
 */
export function cdkSynth(outputDirectory: string): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    execFile(
      join(projectRoot, 'node_modules/.bin/cdk'),
      ['synth', '--quiet', '--no-notices', '-o', outputDirectory],
      {
        cwd: projectRoot,
        env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
      },
      (error, stdout, stderr) => {
        resolvePromise({
          exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: stdout + stderr,
        });
      },
    );
  });
}

/** The most a function's bundle (`index.mjs` and any modules of its own beside it) may weigh: 1 MiB. */
export const BUNDLE_SIZE_LIMIT_BYTES = 1024 * 1024;

/** One catalogue function's bundle in a cloud assembly. */
export interface FunctionBundle {
  /** Its name in functions/catalogue.ts. */
  readonly name: FunctionName;
  readonly stackName: string;
  /** `<stack>/<ConstructId>/Function/Resource`. */
  readonly constructPath: string;
  /** The stack's region, when the assembly names one. */
  readonly region: string | undefined;
  /** The asset directory: the bundle, its source map and any files copied beside it. */
  readonly assetDirectory: string;
  /** The bundled handler module, e.g. `<asset>/index.mjs`. */
  readonly bundlePath: string;
  /** The code's size in bytes: the handler module and its separate modules together. */
  readonly bytes: number;
  /**
   * Packages bundled into modules of their own beside the handler, imported when first needed
   * (functions/catalogue.ts `separateModules`): in `bytes`, not in the cold import.
   */
  readonly separateModules: readonly {
    readonly package: string;
    readonly path: string;
    readonly bytes: number;
  }[];
  /** The function's `Handler`, e.g. `index.handler`. */
  readonly handler: string;
  readonly memorySize: number | undefined;
  /** The function's environment as the template has it: strings, or CloudFormation intrinsics resolved at deploy. */
  readonly environment: Readonly<Record<string, unknown>>;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly directoryName?: string };
}

interface TemplateResource {
  readonly Type: string;
  readonly Metadata?: Record<string, unknown>;
  readonly Properties?: {
    readonly Description?: unknown;
    readonly Handler?: unknown;
    readonly MemorySize?: unknown;
    readonly Environment?: { readonly Variables?: Record<string, unknown> };
  };
}

interface StackTemplate {
  readonly stackName: string;
  readonly region: string | undefined;
  readonly directory: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
}

/**
 * Lists every catalogue function's bundle in the cloud assembly at `assemblyDirectory`, in
 * catalogue order, with its size, so a test or the `npm run bundles` report can hold each to
 * {@link BUNDLE_SIZE_LIMIT_BYTES}. A function is recognised by its construct path
 * (`…/<ConstructId>/Function/Resource`, the id `constructIdOf` gives its name) or, failing
 * that, by its Description, which is its catalogue description.
 * @throws Error when the assembly cannot be read, a catalogue function has no bundled asset in
 *   it, or one function appears twice.
 */
export async function listFunctionBundles(assemblyDirectory: string): Promise<FunctionBundle[]> {
  const templates = await readStackTemplates(resolve(assemblyDirectory));
  const found = new Map<FunctionName, FunctionBundle>();
  for (const template of templates) {
    for (const [logicalId, resource] of Object.entries(template.resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') continue; // inline code: not one of ours
      const constructPath = String(
        resource.Metadata?.['aws:cdk:path'] ?? `${template.stackName}/${logicalId}`,
      );
      const name = catalogueNameOf(constructPath, resource.Properties?.Description);
      if (name === undefined) continue;
      const earlier = found.get(name);
      if (earlier) {
        throw new Error(
          `Cloud assembly ${assemblyDirectory}: function ${name} appears twice (${earlier.constructPath}, ${constructPath})`,
        );
      }
      found.set(name, await describeBundle(name, template, constructPath, assetPath, resource));
    }
  }
  const missing = (Object.keys(functionCatalogue) as FunctionName[]).filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new Error(
      `Cloud assembly ${assemblyDirectory}: no bundled function for ${missing.join(', ')} of the catalogue`,
    );
  }
  return (Object.keys(functionCatalogue) as FunctionName[]).map((name) => found.get(name)!);
}

function catalogueNameOf(constructPath: string, description: unknown): FunctionName | undefined {
  const names = Object.keys(functionCatalogue) as FunctionName[];
  return (
    names.find((name) => constructPath.endsWith(`/${constructIdOf(name)}/Function/Resource`)) ??
    names.find((name) => functionCatalogue[name].description === description)
  );
}

async function describeBundle(
  name: FunctionName,
  template: StackTemplate,
  constructPath: string,
  assetPath: string,
  resource: TemplateResource,
): Promise<FunctionBundle> {
  const assetDirectory = resolve(template.directory, assetPath);
  const handler = String(resource.Properties?.Handler ?? 'index.handler');
  const module = handler.slice(0, handler.lastIndexOf('.')) || 'index';
  for (const extension of ['.mjs', '.js', '.cjs']) {
    const bundlePath = join(assetDirectory, `${module}${extension}`);
    const file = await stat(bundlePath).catch(() => undefined);
    if (!file?.isFile()) continue;
    const memorySize = resource.Properties?.MemorySize;
    const separateModules = await Promise.all(
      ((functionCatalogue[name] as FunctionSpec).separateModules ?? []).map(
        async ({ package: packageName, to }) => {
          const path = join(assetDirectory, to);
          const separate = await stat(path).catch(() => undefined);
          if (!separate?.isFile()) {
            throw new Error(
              `Function ${name} (${constructPath}): no ${to} for ${packageName} in ${assetDirectory}`,
            );
          }
          return { package: packageName, path, bytes: separate.size };
        },
      ),
    );
    return {
      name,
      stackName: template.stackName,
      constructPath,
      region: template.region,
      assetDirectory,
      bundlePath,
      bytes: separateModules.reduce((sum, separate) => sum + separate.bytes, file.size),
      separateModules,
      handler,
      memorySize: typeof memorySize === 'number' ? memorySize : undefined,
      environment: resource.Properties?.Environment?.Variables ?? {},
    };
  }
  throw new Error(`Function ${name} (${constructPath}): no ${module}.mjs, .js or .cjs in ${assetDirectory}`);
}

/** The stack templates of an assembly and of the assemblies nested in it (one per CDK Stage). */
async function readStackTemplates(directory: string): Promise<StackTemplate[]> {
  const manifestPath = join(directory, 'manifest.json');
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the cloud assembly manifest ${manifestPath}: ${(error as Error).message}`);
  }
  const templates: StackTemplate[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const { templateFile, directoryName } = artifact.properties ?? {};
    if (artifact.type === 'aws:cloudformation:stack' && templateFile) {
      const templatePath = join(directory, templateFile);
      const template = JSON.parse(await readFile(templatePath, 'utf8')) as {
        Resources?: Record<string, TemplateResource>;
      };
      templates.push({
        stackName: artifactId,
        region: regionOf(artifact.environment),
        directory: dirname(templatePath),
        resources: template.Resources ?? {},
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && directoryName) {
      templates.push(...(await readStackTemplates(join(directory, directoryName))));
    }
  }
  return templates;
}

/** `aws://123456789012/eu-west-2` → `eu-west-2`; `unknown-region` → undefined. */
function regionOf(environment: string | undefined): string | undefined {
  const region = environment?.split('/').at(-1);
  return region && region !== 'unknown-region' ? region : undefined;
}
