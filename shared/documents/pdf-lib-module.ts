import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where pdf-lib sits in a bundle that uses it: a module of its own beside the handler
 * (functions/catalogue.ts `separateModules`), so the handler's own module stays within its 1 MiB
 * and a cold start that assembles no PDF does not parse it.
 */
export const PDF_LIB_MODULE_PATH = 'vendor/pdf-lib.mjs';

export type PdfLib = typeof import('pdf-lib');

let loading: Promise<PdfLib> | undefined;

/**
 * pdf-lib, loaded when first needed: the module beside the bundled handler, or the package when
 * run from source. A specifier worked out at run time: esbuild leaves the import alone.
 */
export function pdfLib(): Promise<PdfLib> {
  if (!loading) {
    const beside = new URL(`./${PDF_LIB_MODULE_PATH}`, import.meta.url);
    const specifier: string = existsSync(fileURLToPath(beside)) ? beside.href : 'pdf-lib';
    // From source Node loads the package's CommonJS build, whose exports come as the default.
    loading = import(specifier).then((module: PdfLib & { default?: PdfLib }) =>
      module.PDFDocument ? module : module.default!,
    );
  }
  return loading;
}
