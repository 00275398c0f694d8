import type { PdfBlock } from './pdf.ts';
import { zipStored } from './zip-writer.ts';

/**
 * A Word document (.docx) of the same blocks the PDFs are drawn from: a minimal
 * WordprocessingML package (content types, the package relationship, the main document), so a
 * partnership can edit a document the service wrote. Headings are bold, larger runs; fields are
 * "Label: value" lines; a table is one line per row.
 */

/** What the Word document says: its title, who it is from, and its blocks. */
export interface DocxDocumentSpec {
  title: string;
  author: string;
  createdAt: Date;
  blocks: readonly PdfBlock[];
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;

const PACKAGE_RELATIONSHIPS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/** Text as XML character data: markup escaped, and any character XML 1.0 cannot hold dropped. */
export function xmlText(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** One paragraph; the text's own line breaks become breaks within it. Size in half-points. */
function paragraph(value: string, style: { bold?: boolean; size?: number } = {}): string {
  const properties =
    style.bold || style.size
      ? `<w:rPr>${style.bold ? '<w:b/>' : ''}${style.size ? `<w:sz w:val="${style.size}"/>` : ''}</w:rPr>`
      : '';
  const runs = value
    .split(/\r?\n/)
    .map((line, index) => `${index > 0 ? '<w:br/>' : ''}<w:t xml:space="preserve">${xmlText(line)}</w:t>`)
    .join('');
  return `<w:p><w:r>${properties}${runs}</w:r></w:p>`;
}

function blockXml(block: PdfBlock): string {
  switch (block.kind) {
    case 'heading':
      return paragraph(block.text, { bold: true, size: 28 });
    case 'paragraph':
      return paragraph(block.text);
    case 'fields':
      return block.rows.map(([label, value]) => paragraph(`${label}: ${value}`)).join('');
    case 'table':
      return [
        paragraph(block.columns.map((column) => column.header).join(' | '), { bold: true }),
        ...block.rows.map((row) => paragraph(row.join(' | '))),
      ].join('');
  }
}

/** The main document part: title, author, then the blocks. */
export function documentXml(spec: DocxDocumentSpec): string {
  const body = [
    paragraph(spec.title, { bold: true, size: 36 }),
    paragraph(spec.author),
    ...spec.blocks.map(blockXml),
  ].join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`;
}

/** The .docx file's bytes. */
export function renderDocx(spec: DocxDocumentSpec): Uint8Array {
  return zipStored(
    [
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: '_rels/.rels', data: PACKAGE_RELATIONSHIPS },
      { name: 'word/document.xml', data: documentXml(spec) },
    ],
    spec.createdAt,
  );
}
