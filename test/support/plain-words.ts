import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { localPartnerDelegates, localUsers } from '../../local/tokens.ts';

/**
 * What must never reach a reader of a page, an email or a document (issue 11 part 4): a user id,
 * an ISO instant, an id such as a case's, or a state name from the workflow's ASL. Those belong
 * on the operations page, for the engineer on call.
 */

/** Every state name in the state machine, nested ones (Map, Parallel) included. */
export function aslStateNames(): string[] {
  const asl = JSON.parse(
    readFileSync(
      fileURLToPath(new URL('../../statemachines/rapid-review.asl.json', import.meta.url)),
      'utf8',
    ),
  ) as unknown;
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'States' && value && typeof value === 'object') {
        for (const name of Object.keys(value)) names.add(name);
      }
      visit(value);
    }
  };
  visit(asl);
  return [...names].sort();
}

/**
 * The state names a reader could not mistake for words: two or more words run together
 * ("WaitForReminderDay", "DecisionNeverCame"). A state named with one plain word ("Withdrawn")
 * is a word a page may well use.
 */
export function engineeringStateNames(): string[] {
  return aslStateNames().filter((name) => /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$/.test(name));
}

/** The invented users' ids, which pages must name by the person's name instead. */
export function userIds(): string[] {
  const people = [...Object.values(localUsers), ...Object.values(localPartnerDelegates)];
  return [...new Set(people.map((person) => person.id))];
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;

const WEB_ADDRESS = /https?:\/\/\S+/g;

/**
 * What in `text` a reader must not see, each as "what: the text around it"; empty when none.
 * Web addresses are left out: a link may carry a case's id or a time, as long as the words
 * around it do not.
 */
export function engineeringWordsIn(withAddresses: string): string[] {
  const text = withAddresses.replace(WEB_ADDRESS, '(a link)');
  const found: string[] = [];
  const around = (index: number, length: number) =>
    JSON.stringify(text.slice(Math.max(0, index - 40), index + length + 40).replace(/\s+/g, ' '));
  const iso = ISO_INSTANT.exec(text);
  if (iso) found.push(`an ISO instant: ${around(iso.index, iso[0].length)}`);
  for (const id of userIds()) {
    const at = text.indexOf(id);
    if (at >= 0) found.push(`a user id: ${around(at, id.length)}`);
  }
  const uuid = UUID.exec(text);
  if (uuid && !userIds().includes(uuid[0])) found.push(`an id: ${around(uuid.index, uuid[0].length)}`);
  for (const name of engineeringStateNames()) {
    const match = new RegExp(`\\b${name}\\b`).exec(text);
    if (match) found.push(`the state name ${name}: ${around(match.index, name.length)}`);
  }
  return found;
}
