/**
 * Regenerates shared/calendar/bank-holidays.json: the England and Wales bank holidays that every
 * working-day deadline is computed from (ARCHITECTURE §4.4), in gov.uk's bank-holidays.json format.
 *
 *   npm run bank-holidays:regenerate
 *     Builds the years FIRST_YEAR to LAST_YEAR from the date-holidays package (GB, England), keeping
 *     only weekdays, as gov.uk does: a holiday falling on a weekend appears as its substitute day.
 *     date-holidays misses two one-off changes, which ONE_OFF_CORRECTIONS makes: the royal wedding
 *     of 29 April 2011, and 2012's spring bank holiday moved to 4 June for the Diamond Jubilee.
 *
 * Where the years come from: gov.uk's file now starts at GOV_UK_FIRST_YEAR (2018), so the years
 * FIRST_YEAR (2010) to 2017 come from date-holidays alone, corrected as above and checked
 * against the dates written out by hand in test/unit/bank-holidays.test.ts. The script says so
 * each time it runs. They are kept so that an incident from those years can still be notified.
 *
 *   npm run bank-holidays:regenerate -- --from ~/Downloads/bank-holidays.json
 *     Takes a file downloaded from https://www.gov.uk/bank-holidays.json (or a folder holding one) as
 *     the authority for every year it lists, and keeps the vendored years it does not list: gov.uk
 *     publishes only a few years back and a year or two ahead.
 *
 * Then run `npx vitest run --project unit test/unit/bank-holidays.test.ts`. It checks the file against
 * date-holidays year by year; if gov.uk has announced a day date-holidays does not know yet (a one-off
 * bank holiday), update date-holidays before committing, so the two sources agree again.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';
import {
  type BankHolidayEvent,
  type BankHolidaysFile,
  bankHolidaysFile,
} from '../shared/calendar/working-days.ts';

const FIRST_YEAR = 2010;
/** The first year gov.uk's bank-holidays.json lists; earlier years come from date-holidays only. */
const GOV_UK_FIRST_YEAR = 2018;
const LAST_YEAR = 2030;
const VENDORED_FILE = new URL('../shared/calendar/bank-holidays.json', import.meta.url);

/**
 * gov.uk's titles and bunting for the names date-holidays uses, so a regenerated file reads like the
 * downloaded one. A name missing here is kept as date-holidays spells it, with a warning.
 */
const GOV_UK_STYLE: Record<string, { title: string; bunting: boolean }> = {
  "New Year's Day": { title: 'New Year’s Day', bunting: true },
  'Good Friday': { title: 'Good Friday', bunting: false },
  'Easter Monday': { title: 'Easter Monday', bunting: true },
  'Early May bank holiday': { title: 'Early May bank holiday', bunting: true },
  'Early May bank holiday (VE day)': { title: 'Early May bank holiday (VE day)', bunting: true },
  'Spring bank holiday': { title: 'Spring bank holiday', bunting: true },
  'Summer bank holiday': { title: 'Summer bank holiday', bunting: true },
  'Christmas Day': { title: 'Christmas Day', bunting: true },
  'Boxing Day': { title: 'Boxing Day', bunting: true },
  'Queen’s Diamond Jubilee': { title: 'Queen’s Diamond Jubilee', bunting: true },
  'Queen’s Platinum Jubilee': { title: 'Platinum Jubilee bank holiday', bunting: true },
  "Queen Elizabeth's Funeral Day": {
    title: 'Bank Holiday for the State Funeral of Queen Elizabeth II',
    bunting: false,
  },
  "King Charles III's Coronation": {
    title: 'Bank holiday for the coronation of King Charles III',
    bunting: true,
  },
};

const SUBSTITUTE_SUFFIX = ' (substitute day)';

/**
 * One-off days date-holidays does not know, as the Banking and Financial Dealings Act
 * proclamations set them: a day taken away (moved) and the days added.
 */
const ONE_OFF_CORRECTIONS: readonly { remove: readonly string[]; add: readonly BankHolidayEvent[] }[] = [
  // The wedding of Prince William and Catherine Middleton, Friday 29 April 2011.
  { remove: [], add: [{ title: 'Royal wedding', date: '2011-04-29', notes: '', bunting: true }] },
  // The Diamond Jubilee: the spring bank holiday moved from 28 May to Monday 4 June 2012, and
  // Tuesday 5 June added (date-holidays has the 5th but keeps the spring holiday in May).
  {
    remove: ['2012-05-28'],
    add: [{ title: 'Spring bank holiday', date: '2012-06-04', notes: '', bunting: true }],
  },
];

/** England and Wales bank holidays for the given years, as date-holidays computes them, in gov.uk's shape. */
export function bankHolidaysFromDateHolidays(firstYear: number, lastYear: number): BankHolidayEvent[] {
  const england = new Holidays('GB', 'ENG', { languages: ['en'] });
  const events: BankHolidayEvent[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    for (const holiday of england.getHolidays(year)) {
      if (holiday.type !== 'public' && holiday.type !== 'bank') continue;
      const date = holiday.date.slice(0, 10);
      if (Temporal.PlainDate.from(date).dayOfWeek > 5) continue;
      const name = holiday.name.endsWith(SUBSTITUTE_SUFFIX)
        ? holiday.name.slice(0, -SUBSTITUTE_SUFFIX.length)
        : holiday.name;
      const style = GOV_UK_STYLE[name];
      if (style === undefined) console.warn(`No gov.uk title known for "${name}" on ${date}; kept as it is.`);
      events.push({
        title: style?.title ?? name,
        date,
        notes: holiday.substitute ? 'Substitute day' : '',
        bunting: style?.bunting ?? true,
      });
    }
  }
  const inRange = (date: string) => {
    const year = Number(date.slice(0, 4));
    return year >= firstYear && year <= lastYear;
  };
  const removed = new Set(ONE_OFF_CORRECTIONS.flatMap((correction) => correction.remove));
  const added = ONE_OFF_CORRECTIONS.flatMap((correction) => correction.add).filter((event) =>
    inRange(event.date),
  );
  return [...events.filter((event) => !removed.has(event.date)), ...added].sort((a, b) =>
    a.date.localeCompare(b.date),
  );
}

function readBankHolidaysFile(path: string | URL): BankHolidaysFile {
  return bankHolidaysFile.parse(JSON.parse(readFileSync(path, 'utf8')));
}

function yearOf(event: BankHolidayEvent): string {
  return event.date.slice(0, 4);
}

/** The downloaded events for the years they cover, plus the vendored events of every other year. */
function mergeKeepingOtherYears(
  vendored: BankHolidayEvent[],
  downloaded: BankHolidayEvent[],
): BankHolidayEvent[] {
  const downloadedYears = new Set(downloaded.map(yearOf));
  return [...vendored.filter((event) => !downloadedYears.has(yearOf(event))), ...downloaded];
}

function parseFromArgument(argv: readonly string[]): string | undefined {
  if (argv.length === 0) return undefined;
  if (argv.length === 2 && argv[0] === '--from' && argv[1] !== undefined) {
    return statSync(argv[1]).isDirectory() ? join(argv[1], 'bank-holidays.json') : argv[1];
  }
  throw new Error('usage: regenerate-bank-holidays.ts [--from <bank-holidays.json or its folder>]');
}

function main(): void {
  const from = parseFromArgument(process.argv.slice(2));
  const events =
    from === undefined
      ? bankHolidaysFromDateHolidays(FIRST_YEAR, LAST_YEAR)
      : mergeKeepingOtherYears(
          readBankHolidaysFile(VENDORED_FILE)['england-and-wales'].events,
          readBankHolidaysFile(from)['england-and-wales'].events,
        );
  events.sort((a, b) => a.date.localeCompare(b.date));
  const file: BankHolidaysFile = { 'england-and-wales': { division: 'england-and-wales', events } };
  // Parsing what is written proves the file will load; one event per block keeps diffs readable.
  writeFileSync(VENDORED_FILE, `${JSON.stringify(bankHolidaysFile.parse(file), null, 2)}\n`);
  console.log(`Wrote ${events.length} bank holidays, ${events[0]?.date} to ${events.at(-1)?.date}.`);
  console.log(
    from === undefined
      ? `Every year comes from date-holidays (with ${ONE_OFF_CORRECTIONS.length} one-off corrections); ` +
          `${FIRST_YEAR} to ${GOV_UK_FIRST_YEAR - 1} are years gov.uk's file no longer lists.`
      : `The years ${from} lists come from gov.uk; the others are kept as they were ` +
          `(${FIRST_YEAR} to ${GOV_UK_FIRST_YEAR - 1} come from date-holidays: gov.uk's file no longer lists them).`,
  );
}

// Compared by path rather than import.meta.main, which a tsx started by an older system node lacks.
if (process.argv[1] === import.meta.filename) main();
