/**
 * What an uploaded file's bytes are, whatever type the browser said it was. A PDF starts with
 * `%PDF-`; a Word document (.docx) is a ZIP whose central directory lists `word/document.xml`.
 * Legacy Word (.doc) is not accepted by the service, so it is not recognised here.
 */
export type UploadedFileKind = 'pdf' | 'docx';

/** The media type each kind is stored with. */
export const mediaTypeOfKind: Record<UploadedFileKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_LOCAL_HEADER = 0x04034b50;
const ZIP_CENTRAL_HEADER = 0x02014b50;
const ZIP_END_OF_DIRECTORY = 0x06054b50;
/** The end-of-directory record is 22 bytes, followed by a comment of at most 65,535. */
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** The names in a ZIP's central directory, or undefined when the bytes are not a well-formed ZIP. */
export function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  if (bytes.byteLength < END_RECORD_BYTES + 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== ZIP_LOCAL_HEADER) return undefined;
  // The end-of-directory record sits at the end, before its comment: search back for it.
  const earliest = Math.max(0, bytes.byteLength - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  let end = -1;
  for (let at = bytes.byteLength - END_RECORD_BYTES; at >= earliest; at--) {
    if (view.getUint32(at, true) === ZIP_END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const entries = view.getUint16(end + 10, true);
  const directoryBytes = view.getUint32(end + 12, true);
  const directoryStart = view.getUint32(end + 16, true);
  // ZIP64 (0xFFFF entries or 0xFFFFFFFF offsets) is never needed under the 10 MB limit.
  if (entries === 0xffff || directoryStart === 0xffffffff) return undefined;
  if (directoryStart + directoryBytes > end) return undefined;
  const names: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let at = directoryStart;
  for (let index = 0; index < entries; index++) {
    if (at + 46 > end || view.getUint32(at, true) !== ZIP_CENTRAL_HEADER) return undefined;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd > end) return undefined;
    names.push(decoder.decode(bytes.subarray(at + 46, nameEnd)));
    at = nameEnd + extraLength + commentLength;
  }
  return names;
}

/** Which accepted kind of file these bytes are, or undefined when they are neither. */
export function uploadedFileKind(bytes: Uint8Array): UploadedFileKind | undefined {
  if (startsWith(bytes, PDF_MAGIC)) return 'pdf';
  if (zipEntryNames(bytes)?.includes('word/document.xml')) return 'docx';
  return undefined;
}
