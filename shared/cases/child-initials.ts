import { createHmac } from 'node:crypto';
import type { SeriousIncidentNotification } from '../schemas/notification.ts';

/**
 * The partnership team finds a case by the child's initials (issue 11 part 2) without the case
 * table holding them: a child's name, and so their initials, lives only in the notification
 * document (README: "never in the case table"). The case keeps an HMAC of each way the child's
 * initials may be typed, under the deployment's secret duplicate-check key and bound to the case's
 * id: the table holds nothing that gives the initials back without the key (there are few
 * initials, so a plain hash could be reversed by trying them all), and two cases about children
 * with the same initials hold different keys. The list computes the key of what was typed for each
 * case it reads, and never opens a notification document.
 */

/** A name's letters as the search compares them: accents dropped, upper case. */
function plainLetters(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
}

/** The first letter of each word that has one. */
function firstLetters(words: readonly string[]): string {
  return words
    .map((word) => /\p{L}/u.exec(plainLetters(word))?.[0] ?? '')
    .filter((letter) => /^[A-Z]$/.test(letter))
    .join('');
}

/**
 * The ways a name's initials may be typed: every word's first letter ("Mary-Jane Ann Smith" →
 * "MAS"), every part's, hyphenated names split ("MJAS"), and the first and last names' alone
 * ("MS"). Words in brackets are no part of the name ("Child A (invented)" → "CA"). Only those of
 * two to six letters; none for a name of one word.
 */
export function initialsOf(name: string): string[] {
  const words = name
    .replace(/\([^)]*\)?/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const parts = words.flatMap((word) => word.split(/[-‐‑]+/)).filter(Boolean);
  const everyWord = firstLetters(words);
  const firstAndLast = everyWord.length >= 2 ? `${everyWord[0]}${everyWord.at(-1)}` : '';
  return [...new Set([everyWord, firstLetters(parts), firstAndLast])].filter((initials) =>
    /^[A-Z]{2,6}$/.test(initials),
  );
}

/** One case's key for a child's initials: an HMAC-SHA-256 (hex) under the deployment's secret. */
export function childInitialsKeyOf(caseId: string, initials: string, secret: string): string {
  return createHmac('sha256', secret).update(`child-initials\n${caseId}\n${initials}`, 'utf8').digest('hex');
}

/** The keys a case keeps for its notification's named children (an unborn or unidentified child has no name). */
export function childInitialsKeysOf(
  caseId: string,
  notification: Pick<SeriousIncidentNotification, 'children'>,
  secret: string,
): string[] {
  const initials = notification.children.flatMap((child) =>
    child.identity === 'unborn' || child.identity === 'not-yet-identified' || !child.name
      ? []
      : initialsOf(child.name),
  );
  return [...new Set(initials)].map((each) => childInitialsKeyOf(caseId, each, secret)).sort();
}

/**
 * What was typed, as initials: two to six letters once spaces, full stops and hyphens are taken
 * out ("J.S." → "JS"); undefined when it cannot be initials.
 */
export function typedInitials(typed: string): string | undefined {
  const letters = plainLetters(typed).replace(/[\s.\-‐‑]+/g, '');
  return /^[A-Z]{2,6}$/.test(letters) ? letters : undefined;
}
