/**
 * Invented files for upload tests: a PDF, a Word document (.docx) built as a real ZIP with stored
 * (uncompressed) entries, and the bytes an attacker or a clumsy user might send instead.
 */

const encoder = new TextEncoder();

/** A small PDF: only its opening `%PDF-` matters to the checks. */
export function aPdf(text = 'Agency summary (invented)'): Uint8Array {
  return encoder.encode(`%PDF-1.7\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`);
}

/** A ZIP of the named entries, each stored uncompressed; the CRCs are left zero (nothing here checks them). */
export function aZip(entries: Record<string, string>, comment = ''): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const nameBytes = encoder.encode(name);
    const data = encoder.encode(content);
    const local = new Uint8Array(30 + nameBytes.length + data.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    local.set(data, 30 + nameBytes.length);
    const central = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const directorySize = centrals.reduce((sum, part) => sum + part.length, 0);
  const commentBytes = encoder.encode(comment);
  const end = new Uint8Array(22 + commentBytes.length);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, centrals.length, true);
  ev.setUint16(10, centrals.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  ev.setUint16(20, commentBytes.length, true);
  end.set(commentBytes, 22);
  return concat([...locals, ...centrals, end]);
}

/** A Word document (.docx): a ZIP holding `word/document.xml`. */
export function aDocx(): Uint8Array {
  return aZip({
    '[Content_Types].xml': '<?xml version="1.0"?><Types/>',
    'word/document.xml': '<?xml version="1.0"?><w:document><w:body>Invented summary</w:body></w:document>',
  });
}

/** The start of a Windows executable (MZ header, PE signature). */
export function windowsExecutable(): Uint8Array {
  const bytes = new Uint8Array(512);
  bytes.set([0x4d, 0x5a, 0x90, 0x00, 0x03], 0);
  bytes.set(encoder.encode('This program cannot be run in DOS mode.'), 78);
  bytes.set([0x50, 0x45, 0x00, 0x00], 128);
  return bytes;
}

/** A web page pretending to be a summary. */
export function htmlPage(): Uint8Array {
  return encoder.encode('<!doctype html><html><body><script>alert("not a summary")</script></body></html>');
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
