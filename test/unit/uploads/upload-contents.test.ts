import { describe, expect, it } from 'vitest';
import { uploadedFileKind, zipEntryNames } from '../../../shared/upload-contents.ts';
import { aDocx, aPdf, aZip, htmlPage, windowsExecutable } from '../../support/test-files.ts';

describe("what an uploaded file's bytes are", () => {
  it('knows a PDF by its opening %PDF-', () => {
    expect(uploadedFileKind(aPdf())).toBe('pdf');
  });

  it('knows a Word document by the word/document.xml in its ZIP directory, even after a ZIP comment', () => {
    expect(uploadedFileKind(aDocx())).toBe('docx');
    expect(
      uploadedFileKind(aZip({ 'word/document.xml': '<w:document/>' }, 'a comment at the end of the ZIP')),
    ).toBe('docx');
  });

  it('reads every name in the central directory', () => {
    expect(zipEntryNames(aZip({ 'a.txt': 'a', 'word/document.xml': 'b', 'c/d.xml': 'c' }))).toEqual([
      'a.txt',
      'word/document.xml',
      'c/d.xml',
    ]);
  });

  it.each([
    ['Windows executable bytes', windowsExecutable()],
    ['a web page', htmlPage()],
    ['an empty file', new Uint8Array()],
    ['a ZIP without word/document.xml', aZip({ 'xl/workbook.xml': '<workbook/>' })],
    ['a PDF signature not at the start', new TextEncoder().encode(' %PDF-1.7')],
    ['a legacy Word (.doc) file', Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0)],
  ])('refuses %s', (_name, bytes) => {
    expect(uploadedFileKind(bytes)).toBeUndefined();
  });

  it('refuses a ZIP whose directory is cut off or points past its end', () => {
    const docx = aDocx();
    expect(uploadedFileKind(docx.subarray(0, docx.length - 30))).toBeUndefined();
    const broken = docx.slice();
    const view = new DataView(broken.buffer);
    view.setUint32(broken.length - 6, broken.length, true);
    expect(uploadedFileKind(broken)).toBeUndefined();
  });
});
