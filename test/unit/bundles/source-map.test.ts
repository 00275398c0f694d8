import { describe, expect, it } from 'vitest';
import {
  bytesPerInput,
  bytesPerSource,
  decodeMappings,
  decodeVlq,
  inputOf,
  UNMAPPED_INPUT,
} from '../../../scripts/bundles/source-map.ts';

describe('decodeVlq', () => {
  it('decodes single digits, with the sign in the lowest bit', () => {
    expect(decodeVlq('A')).toEqual([0]);
    expect(decodeVlq('C')).toEqual([1]);
    expect(decodeVlq('D')).toEqual([-1]);
    expect(decodeVlq('E')).toEqual([2]);
  });

  it('decodes numbers carried over several digits, least significant first', () => {
    expect(decodeVlq('gB')).toEqual([16]);
    expect(decodeVlq('hB')).toEqual([-16]);
    expect(decodeVlq('w+B')).toEqual([1000]);
  });

  it('decodes a segment of several numbers', () => {
    expect(decodeVlq('AAgBC')).toEqual([0, 0, 16, 1]);
  });

  it('decodes numbers past 32 bits without overflowing', () => {
    expect(decodeVlq('ggggggE')).toEqual([2 ** 31]);
  });

  it('refuses a character outside Base64 and a number cut short', () => {
    expect(() => decodeVlq('A!')).toThrow('"!" is not Base64 VLQ');
    expect(() => decodeVlq('Ag')).toThrow('ends in the middle of a number');
  });
});

describe('decodeMappings', () => {
  it('restarts the generated column on each line and carries the source fields across lines', () => {
    expect(decodeMappings(';AAAA,ICAC;ACAA,C,ECAAC')).toEqual([
      [],
      [
        { generatedColumn: 0, sourceIndex: 0, sourceLine: 0, sourceColumn: 0 },
        { generatedColumn: 4, sourceIndex: 1, sourceLine: 0, sourceColumn: 1 },
      ],
      [
        { generatedColumn: 0, sourceIndex: 2, sourceLine: 0, sourceColumn: 1 },
        { generatedColumn: 1 },
        { generatedColumn: 3, sourceIndex: 3, sourceLine: 0, sourceColumn: 1, nameIndex: 1 },
      ],
    ]);
  });

  it('refuses a segment of two or three fields', () => {
    expect(() => decodeMappings('AA')).toThrow('has 2 fields');
  });
});

/**
 * A bundle of three lines: a banner no segment maps; `aaaa` from source 0 and `bbb` from
 * source 1; `x` from source 2, `é€` (five UTF-8 bytes in two code units) mapped to no source,
 * `yz` from source 3. With the two newlines, 24 bytes.
 */
const code = 'BANNER;\naaaabbb\nxé€yz';
const map = {
  version: 3,
  sources: [
    '../../node_modules/zod/v4/core/core.js',
    '../../shared/schemas/case.ts',
    '../../functions/intake/handler.ts',
    '../../node_modules/@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3/dist-es/index.js',
  ],
  mappings: ';AAAA,ICAC;ACAA,C,ECAA',
};
const naming = { projectRoot: '/project', mapDirectory: '/project/cdk.out/asset.abc' };

describe('bytesPerSource', () => {
  it('charges each byte to the segment it falls in, counting UTF-8 bytes, not code units', () => {
    const { bySourceIndex, unmapped } = bytesPerSource(code, map);

    expect(Object.fromEntries(bySourceIndex)).toEqual({ 0: 4, 1: 3, 2: 1, 3: 2 });
    expect(unmapped).toBe(7 + 5 + 2); // the banner, é€, the newlines
    expect(unmapped + [...bySourceIndex.values()].reduce((sum, bytes) => sum + bytes, 0)).toBe(
      Buffer.byteLength(code),
    );
  });

  it('leaves a line beyond the mappings unmapped and clamps a segment past its line’s end', () => {
    const { bySourceIndex, unmapped } = bytesPerSource('ab\ncd', { mappings: 'AAAA,UAAA' });

    expect(Object.fromEntries(bySourceIndex)).toEqual({ 0: 2 });
    expect(unmapped).toBe(1 + 2);
  });
});

describe('inputOf', () => {
  it('names the npm package a source is in, scoped or not', () => {
    expect(inputOf('../../node_modules/zod/v4/core/core.js', naming)).toBe('zod');
    expect(inputOf('../../node_modules/@smithy/core/dist-es/index.js', naming)).toBe('@smithy/core');
  });

  it('keeps the path of a copy nested under another package, so a duplicate shows', () => {
    expect(
      inputOf(
        '../../node_modules/@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3/dist-es/x.js',
        naming,
      ),
    ).toBe('@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3');
  });

  it('names the project folder of the project’s own files, a function’s folder for functions', () => {
    expect(inputOf('../../shared/calendar/working-days.ts', naming)).toBe('shared/');
    expect(inputOf('../../functions/web/pages/cases.ts', naming)).toBe('functions/web/');
    expect(inputOf('../../functions/catalogue.ts', naming)).toBe('functions/');
    expect(inputOf('../../package.json', naming)).toBe('package.json');
  });

  it('keeps esbuild’s virtual modules and files outside the project as they are', () => {
    expect(inputOf('<stdin>', naming)).toBe('<stdin>');
    expect(inputOf('../../../elsewhere/x.js', naming)).toBe('/elsewhere/x.js');
  });
});

describe('bytesPerInput', () => {
  it('groups the bytes by input, largest first, adding up to the bundle', () => {
    const inputs = bytesPerInput(code, map, naming);

    expect(inputs).toEqual([
      { input: UNMAPPED_INPUT, bytes: 14 },
      { input: 'zod', bytes: 4 },
      { input: 'shared/', bytes: 3 },
      { input: '@aws-sdk/s3-presigned-post/node_modules/@aws-sdk/client-s3', bytes: 2 },
      { input: 'functions/intake/', bytes: 1 },
    ]);
    expect(inputs.reduce((sum, { bytes }) => sum + bytes, 0)).toBe(Buffer.byteLength(code));
  });

  it('adds up the sources of one package', () => {
    const twoFilesOfZod = {
      ...map,
      sources: ['../../node_modules/zod/a.js', '../../node_modules/zod/b.js', 'x', 'y'],
    };

    expect(bytesPerInput('aaaabbb', { ...twoFilesOfZod, mappings: 'AAAA,ICAC' }, naming)).toEqual([
      { input: 'zod', bytes: 7 },
    ]);
  });

  it('refuses a source map of another version', () => {
    expect(() => bytesPerInput(code, { ...map, version: 2 }, naming)).toThrow('version 2, expected 3');
  });
});
