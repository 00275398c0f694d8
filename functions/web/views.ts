import type nunjucks from 'nunjucks';
import { assetPath, assetUrl } from './assets.ts';
import { govukFrontendDirectory, nunjucksModule, templatesDirectory } from './paths.ts';

/**
 * A Nunjucks environment over this service's templates and govuk-frontend's (`govuk/...`),
 * autoescaping everything. `extraDirectories` come first: the local stack adds its own
 * local-only templates that way. Nunjucks is loaded when the first environment is made, not
 * when the function starts: a cold start that serves an asset or a redirect never parses it
 * (bundled for Lambda, it is a module of its own beside the handler; see paths.ts).
 */
export async function createTemplateEnvironment(
  extraDirectories: readonly string[] = [],
): Promise<nunjucks.Environment> {
  const { default: nunjucks } = (await import(nunjucksModule)) as { default: typeof import('nunjucks') };
  const loader = new nunjucks.FileSystemLoader(
    [...extraDirectories, templatesDirectory, govukFrontendDirectory],
    {
      noCache: false,
    },
  );
  const environment = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  // `asset('app.js')` gives the versioned URL; govuk/template.njk reads `assetPath` for icons.
  environment.addGlobal('asset', assetUrl);
  environment.addGlobal('assetPath', assetPath);
  return environment;
}

let environment: Promise<nunjucks.Environment> | undefined;

/** The web function's template environment, made once per container. */
export function templateEnvironment(): Promise<nunjucks.Environment> {
  environment ??= createTemplateEnvironment();
  return environment;
}
