import { agencyId, emailAddress, text, wholeNumber } from './primitives.ts';
import * as z from './zod.ts';

/** Someone the directory names: a name and an email address. */
export const directoryPerson = z.object({ name: text(120), email: emailAddress });
export type DirectoryPerson = z.infer<typeof directoryPerson>;

/**
 * One agency in the partnership directory (issue 11 part 6): what the notify pages offer, and
 * whose strategic lead the escalation ladder copies. Keyed by the agency's id, the id a case gives
 * the agency when it is notified from the directory (`agencyIdFor` of the name it was first added
 * under), so renaming the agency keeps its id.
 */
export const directoryEntry = z.object({
  agencyId,
  name: text(120),
  /** The agency's usual single point of contact, offered when it is picked on a notification. */
  contact: z.optional(directoryPerson),
  /** The agency's strategic safeguarding lead, copied on escalations. */
  strategicLead: z.optional(directoryPerson),
  /** Counts the entry's writes: a change names the version it read. */
  version: wholeNumber(1),
  updatedAt: z.string(),
});
export type DirectoryEntry = z.infer<typeof directoryEntry>;

/**
 * The directory as stored: `kept` once the partnership team first changed it (from then on the
 * stored entries are the directory); before that the profile's agencies stand in.
 */
export interface StoredDirectory {
  kept: boolean;
  entries: DirectoryEntry[];
}
