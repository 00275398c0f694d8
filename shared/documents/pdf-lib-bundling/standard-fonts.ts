/**
 * What the Lambda bundles get instead of `@pdf-lib/standard-fonts` (an esbuild alias,
 * infra/constructs/service-function.ts): pdf-lib imports its fonts' metrics (127 KiB) at load,
 * yet the service only copies pages and writes outlines with pdf-lib; every page it draws comes
 * from its own writer (shared/documents/pdf-writer.ts). Dropping them keeps collate-report within
 * its 1 MiB. Asking pdf-lib to embed a standard font in a bundle fails loudly, never silently.
 */
export const FontNames = {
  Courier: 'Courier',
  CourierBold: 'Courier-Bold',
  CourierOblique: 'Courier-Oblique',
  CourierBoldOblique: 'Courier-BoldOblique',
  Helvetica: 'Helvetica',
  HelveticaBold: 'Helvetica-Bold',
  HelveticaOblique: 'Helvetica-Oblique',
  HelveticaBoldOblique: 'Helvetica-BoldOblique',
  TimesRoman: 'Times-Roman',
  TimesRomanBold: 'Times-Bold',
  TimesRomanItalic: 'Times-Italic',
  TimesRomanBoldItalic: 'Times-BoldItalic',
  Symbol: 'Symbol',
  ZapfDingbats: 'ZapfDingbats',
} as const;

export const Encodings = {};

export const Font = {
  load(fontName: string): never {
    throw new Error(
      `pdf-lib's standard font metrics are not bundled (asked for ${fontName}): draw pages with shared/documents/pdf-writer.ts`,
    );
  },
};
