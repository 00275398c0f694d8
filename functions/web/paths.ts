import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NUNJUCKS_MODULE_PATH } from '../catalogue.ts';

/**
 * Where the web function finds its files. Bundled for Lambda, everything sits next to the one
 * bundled module (CDK's afterBundling hook copies it there, see functions/catalogue.ts
 * `bundledFiles`); run from source, next to this file and in node_modules. The first folder
 * that exists wins, so the same code serves both without asking where it runs.
 */
function firstExisting(candidates: readonly URL[]): string {
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`None of these folders exists: ${candidates.map((url) => fileURLToPath(url)).join(', ')}`);
}

/** This service's templates (functions/web/templates). */
export const templatesDirectory = firstExisting([new URL('./templates/', import.meta.url)]);
/** This service's own static files (functions/web/assets). */
export const ownAssetsDirectory = firstExisting([new URL('./assets/', import.meta.url)]);
/** The folder holding govuk-frontend's `govuk/` (templates, CSS, JS, fonts, images). */
export const govukFrontendDirectory = firstExisting([
  new URL('./govuk-frontend/', import.meta.url),
  new URL('../../node_modules/govuk-frontend/dist/', import.meta.url),
]);

/**
 * What to import for Nunjucks. Bundled for Lambda, it is a module of its own beside the handler
 * (functions/catalogue.ts `separateModules`), so the handler's own module stays small; run from
 * source, the package. A specifier worked out at run time: esbuild leaves the import alone.
 */
export const nunjucksModule: string = (() => {
  const beside = new URL(`./${NUNJUCKS_MODULE_PATH}`, import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside.href : 'nunjucks';
})();
