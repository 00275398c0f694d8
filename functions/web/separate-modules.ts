/**
 * Where Nunjucks sits in the web function's bundle: a module of its own beside the handler
 * (functions/catalogue.ts `separateModules` puts it there, paths.ts imports it from there).
 * One constant, so the two cannot disagree. No imports: the CDK app reads it too.
 */
export const NUNJUCKS_MODULE_PATH = 'vendor/nunjucks.mjs';
