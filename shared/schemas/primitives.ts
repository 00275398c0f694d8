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

/** Text a person typed: trimmed, not blank, bounded. */
export const text = (max = 200) =>
  z
    .string({ error: 'Enter a value' })
    .check(
      z.trim(),
      z.minLength(1, { error: 'Enter a value' }),
      z.maxLength(max, { error: `Must be ${max} characters or fewer` }),
    );

/** Optional text a person typed: trimmed, bounded, and absent rather than required. */
export const optionalText = (max: number) => z.optional(z.string().check(z.trim(), z.maxLength(max)));

export const emailAddress = z.pipe(
  z.string({ error: 'Enter an email address' }).check(z.trim()),
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
