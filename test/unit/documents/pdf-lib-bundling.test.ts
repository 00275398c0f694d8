import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import pako from '../../../shared/documents/pdf-lib-bundling/pako.ts';
import { Font, FontNames } from '../../../shared/documents/pdf-lib-bundling/standard-fonts.ts';

/** The stand-ins the Lambda bundles get for two packages pdf-lib loads (infra/constructs/service-function.ts). */
describe("pdf-lib's bundled stand-ins", () => {
  it('deflates as pako does: a zlib stream that inflates back', () => {
    const bytes = new TextEncoder().encode('An invented page stream. '.repeat(50));

    const deflated = pako.deflate(bytes);

    expect(deflated.byteLength).toBeLessThan(bytes.byteLength);
    expect(new Uint8Array(inflateSync(deflated))).toEqual(bytes);
    expect(pako.inflate(deflated)).toEqual(bytes);
  });

  it('names the standard fonts, and refuses loudly to embed one', () => {
    expect(FontNames.Helvetica).toBe('Helvetica');
    expect(() => Font.load(FontNames.Helvetica)).toThrow(/not bundled/);
  });
});
