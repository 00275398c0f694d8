import { inflateRawSync, crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { documentXml, renderDocx } from '../../../shared/documents/docx.ts';
import { crc32, zipStored } from '../../../shared/documents/zip-writer.ts';
import { uploadedFileKind, zipEntryNames } from '../../../shared/upload-contents.ts';

/** Each entry of a stored ZIP as its local header describes it: name, CRC, sizes and bytes. */
function localEntries(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: { name: string; method: number; crc: number; data: Uint8Array }[] = [];
  let at = 0;
  while (view.getUint32(at, true) === 0x04034b50) {
    const method = view.getUint16(at + 8, true);
    const crc = view.getUint32(at + 14, true);
    const size = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength));
    const start = at + 30 + nameLength + extraLength;
    entries.push({ name, method, crc, data: bytes.subarray(start, start + size) });
    at = start + size;
  }
  return entries;
}

describe('the ZIP writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('writes stored entries whose headers, CRCs and central directory agree', () => {
    const data = new TextEncoder().encode('Invented content (demo). £ é');
    const archive = zipStored(
      [
        { name: 'one.txt', data: 'first' },
        { name: 'folder/two.txt', data },
      ],
      new Date('2026-03-19T14:05:00Z'),
    );

    expect(zipEntryNames(archive)).toEqual(['one.txt', 'folder/two.txt']);
    const entries = localEntries(archive);
    expect(entries.map(({ name }) => name)).toEqual(['one.txt', 'folder/two.txt']);
    for (const entry of entries) {
      expect(entry.method).toBe(0);
      expect(entry.crc).toBe(zlibCrc32(entry.data));
    }
    expect(Buffer.from(entries[1]!.data)).toEqual(Buffer.from(data));
  });

  it('gives the same bytes for the same inputs', () => {
    const at = new Date('2026-03-19T14:05:00Z');
    expect(zipStored([{ name: 'a', data: 'b' }], at)).toEqual(zipStored([{ name: 'a', data: 'b' }], at));
  });
});

describe('the Word document', () => {
  const spec = {
    title: 'Rapid review report',
    author: 'Exampleshire Safeguarding Children Partnership (demo)',
    createdAt: new Date('2026-03-19T14:05:00Z'),
    blocks: [
      { kind: 'heading' as const, text: '1. Criteria' },
      { kind: 'paragraph' as const, text: 'Line one <&> "quoted"\nLine two' },
      { kind: 'fields' as const, rows: [['Panel reference', 'PANEL-DEMO-0001']] as const },
    ],
  };

  it('is a ZIP the upload checker takes for a Word document, holding the three parts', () => {
    const bytes = renderDocx(spec);

    expect(uploadedFileKind(bytes)).toBe('docx');
    expect(zipEntryNames(bytes)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
    const document = localEntries(bytes).find((entry) => entry.name === 'word/document.xml')!;
    expect(new TextDecoder().decode(document.data)).toBe(documentXml(spec));
    // Stored, not deflated: the bytes are the XML itself (inflating them as deflate data fails).
    expect(() => inflateRawSync(document.data)).toThrow();
  });

  it('escapes markup and keeps the text’s own line breaks', () => {
    const xml = documentXml(spec);

    expect(xml).toContain(
      'Line one &lt;&amp;&gt; &quot;quoted&quot;</w:t><w:br/><w:t xml:space="preserve">Line two',
    );
    expect(xml).toContain('Panel reference: PANEL-DEMO-0001');
    expect(xml).toContain('<w:b/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">1. Criteria');
  });
});
