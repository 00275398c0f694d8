import { isRealDate } from '../calendar/dates.ts';
import * as z from './zod.ts';

/** A calendar date written YYYY-MM-DD that exists (2026-02-30 is refused). */
export const isoDate = z
  .string({ error: 'Enter a date as YYYY-MM-DD' })
  .check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Enter a date as YYYY-MM-DD' }),
    z.refine(isRealDate, { error: 'Enter a real date' }),
  );

/** An instant with an explicit offset or Z, e.g. 2026-03-02T10:15:00Z. */
export const isoInstant = z.iso.datetime({
  offset: true,
  error: 'Enter a date and time with a time zone offset',
});

/**
 * Control characters (Unicode's Cc): C0 (NUL to US), DEL and C1. None belongs in anything a person types; tab
 * and the line breaks are allowed back only in answers meant to run over several lines.
 */
const CONTROL = /\p{Cc}/u;
/** The same, less tab, line feed and carriage return: what a multi-line answer may not hold. */
const CONTROL_BUT_LINES = /[^\P{Cc}\t\n\r]/u;
/** Unicode's own line and paragraph separators, which some mail and log readers treat as line breaks. */
const UNICODE_LINE_BREAK = /[\u2028\u2029]/;

/** The messages, in one place, so the pages can name the field in the same words. */
export const textMessages = {
  required: 'Enter a value',
  singleLine: 'Must not contain line breaks or control characters',
  multiLine: 'Must not contain control characters',
  tooLong: (max: number) => `Must be ${max} characters or fewer`,
} as const;

/** Whether a single-line answer (a name, a reference, an address) holds a line break or a control character. */
export function hasLineBreakOrControl(value: string): boolean {
  return CONTROL.test(value) || UNICODE_LINE_BREAK.test(value);
}

/** Whether a multi-line answer holds a control character other than tab and the line breaks. */
export function hasControlOtherThanLines(value: string): boolean {
  return CONTROL_BUT_LINES.test(value);
}

/** What text may hold: one line (names, references: the default) or several (summaries, reasons). */
export interface TextOptions {
  multiline?: boolean;
}

const characterCheck = (options: TextOptions) =>
  options.multiline
    ? z.refine<string>((value) => !hasControlOtherThanLines(value), { error: textMessages.multiLine })
    : z.refine<string>((value) => !hasLineBreakOrControl(value), { error: textMessages.singleLine });

/**
 * Text a person typed: trimmed, not blank, bounded, and free of control characters. A
 * single-line answer refuses line breaks too: it may end up in an email's header.
 */
export const text = (max = 200, options: TextOptions = {}) =>
  z
    .string({ error: textMessages.required })
    .check(
      z.trim(),
      z.minLength(1, { error: textMessages.required }),
      z.maxLength(max, { error: textMessages.tooLong(max) }),
      characterCheck(options),
    );

/** Optional text a person typed: trimmed, bounded, free of control characters, and absent rather than required. */
export const optionalText = (max: number, options: TextOptions = {}) =>
  z.optional(
    z
      .string({ error: 'Enter text' })
      .check(z.trim(), z.maxLength(max, { error: textMessages.tooLong(max) }), characterCheck(options)),
  );

/** The longest address SMTP can carry (RFC 5321's 256-octet path, less its angle brackets). */
export const EMAIL_ADDRESS_MAX = 254;

/** An email address: one line, at most 254 characters, in the usual form. */
export const emailAddress = z.pipe(
  z.string({ error: 'Enter an email address' }).check(
    z.trim(),
    z.maxLength(EMAIL_ADDRESS_MAX, { error: textMessages.tooLong(EMAIL_ADDRESS_MAX) }),
    z.refine((value: string) => !hasLineBreakOrControl(value), { error: textMessages.singleLine }),
  ),
  z.email({ error: 'Enter an email address in the correct format, like name@example.org' }),
);

/** A whole number of at least `least`. */
export const wholeNumber = (least = 0) => z.int().check(z.gte(least));

/** Non-empty text written by the service itself (keys, names of steps): no trimming, no limit. */
export const nonEmpty = () => z.string().check(z.minLength(1));

/** Ids the service mints: UUIDs, safe in keys, execution names and paths. */
export const caseId = z.uuid({ error: 'Not a valid case id' });
export const agencyId = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'Not a valid agency id' }));
