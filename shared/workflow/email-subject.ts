/**
 * Every email's subject: the case reference first, so a mailbox sorts and searches by it, then a
 * few words, the whole under 78 characters (RFC 5322's line length, and what a phone's inbox
 * shows). Words that would run over are cut at a space and end with "…"; the reference never is.
 */

/** The longest subject the service sends. */
export const SUBJECT_MAX_LENGTH = 77;

const ELLIPSIS = '…';

/** `words` cut to at most `room` characters, at a space where one is near, ending "…" when cut. */
function shortened(words: string, room: number): string {
  if (words.length <= room) return words;
  const cut = words.slice(0, Math.max(0, room - ELLIPSIS.length));
  const space = cut.lastIndexOf(' ');
  // A space near the end is a natural cut; a long word with none near is cut where it stands.
  const kept = space >= cut.length - 20 && space > 0 ? cut.slice(0, space) : cut;
  return `${kept.replace(/[\s,:;(–-]+$/u, '')}${ELLIPSIS}`;
}

/**
 * A subject: "RR-2026-4F2A9C: summary requested from Police (invented)". Without a reference (an
 * email about no one case), the words alone. Put the part that may be long (an agency's name)
 * last: that is the part cut.
 */
export function emailSubject(reference: string | undefined, words: string): string {
  const flat = words.replace(/\s+/g, ' ').trim();
  if (!reference) return shortened(flat, SUBJECT_MAX_LENGTH);
  const prefix = `${reference}: `;
  return `${prefix}${shortened(flat, Math.max(1, SUBJECT_MAX_LENGTH - prefix.length))}`;
}
