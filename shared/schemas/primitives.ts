import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';

/** A calendar date written YYYY-MM-DD that exists (2026-02-30 is refused). */
export const isoDate = z
  .string({ error: 'Enter a date as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Enter a date as YYYY-MM-DD' })
  .refine(
    (value) => {
      try {
        Temporal.PlainDate.from(value, { overflow: 'reject' });
        return true;
      } catch {
        return false;
      }
    },
    { error: 'Enter a real date' },
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
    .trim()
    .min(1, { error: 'Enter a value' })
    .max(max, { error: `Must be ${max} characters or fewer` });

export const emailAddress = z
  .string({ error: 'Enter an email address' })
  .trim()
  .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.org' }));

/** Ids the service mints: UUIDs, safe in keys, execution names and paths. */
export const caseId = z.uuid({ error: 'Not a valid case id' });
export const agencyId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'Not a valid agency id' });
