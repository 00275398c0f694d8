/**
 * Whether a path's percent-encoding is well formed (every `%` starts an escape, and the escapes
 * spell UTF-8). A path that is not, such as `/api/cases/%E0%A4%A`, is a malformed request: a 400,
 * never a 500 from a decoder throwing.
 */
export function hasMalformedPercentEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** What a malformed path is told, naming the part of the request at fault. */
export const malformedPathField = {
  field: '(path)',
  message: 'The web address has malformed percent-encoding (a % not followed by valid UTF-8 escapes)',
} as const;

/**
 * A location made safe for a Location header: HTTP carries only Latin-1 there, and Node refuses
 * (resetting the connection) a header holding anything else. Characters outside printable ASCII
 * are percent-encoded as UTF-8, as a browser would; a location that cannot be (a lone surrogate)
 * is undefined, for the caller to replace.
 */
export function headerSafeLocation(location: string): string | undefined {
  if (!location.isWellFormed()) return undefined;
  return location.replace(/[^\x21-\x7E]/gu, (character) => encodeURIComponent(character));
}
