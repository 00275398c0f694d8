import { beforeEach, describe, expect, it } from 'vitest';
import { casesCsv, csvCell, matchesSearch, sortedCases } from '../../../functions/web/pages/case-list.ts';
import { homeWebPages } from '../../../functions/web/pages/home-pages.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { childInitialsKeyOf, initialsOf, typedInitials } from '../../../shared/cases/child-initials.ts';
import type { CaseRecord, CaseStatus } from '../../../shared/schemas/case.ts';
import { InMemoryCaseStore } from '../../support/in-memory-case-store.ts';
import { SettableClock, TEST_DUPLICATE_CHECK_KEY } from '../api/support/api-fixtures.ts';
import { homeService, openedCase } from './support/home-fixtures.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/** A page's HTML with the apostrophes Nunjucks escapes put back. */
const unescaped = (body: unknown) => String(body).replaceAll('&#39;', "'").replaceAll('&quot;', '"');

/** Invented children, obviously so. */
const childNamed = (name: string) => ({
  name,
  dateOfBirth: '2019-05-14',
  sex: 'not-known' as const,
  ethnicity: 'Not recorded (demo)',
  lookedAfter: false,
});

describe('the partnership team’s cases list (issue 11 part 2)', () => {
  let store: InMemoryCaseStore;
  let clock: SettableClock;
  let service: ReturnType<typeof homeService>;
  let app: ReturnType<typeof testWebApp>;
  const team = () => signedIn(testUser('partnership-team'));
  const list = (query = '') => app(webEvent({ path: '/cases', query, cookies: team().cookies }));
  /** The case ids in the order the page lists them. */
  const listedIds = (html: string) => [...html.matchAll(/href="\/cases\/([0-9a-f-]{36})"/g)].map((m) => m[1]);

  beforeEach(() => {
    store = new InMemoryCaseStore();
    clock = new SettableClock('2026-03-11T12:00:00Z');
    service = homeService(store, clock);
    app = testWebApp(homeWebPages, { service });
  });

  describe('finding a case', () => {
    it('finds a case by part of its reference, in any case, with or without its hyphens', async () => {
      const wanted = await openedCase(service, store, { status: 'awaiting-summaries' });
      const other = await openedCase(service, store, { status: 'awaiting-summaries' });
      const tail = wanted.reference.replace(/-/g, '').slice(-4).toLowerCase();

      const result = await list(`q=${encodeURIComponent(tail)}`);

      expect(result.statusCode).toBe(200);
      const html = unescaped(result.body);
      expect(listedIds(html)).toEqual([wanted.caseId]);
      expect(html).toContain(`found for “${tail}”`);
      expect(html).not.toContain(other.caseId);
    });

    it('finds a case by a named child’s initials, typed with or without full stops', async () => {
      const wanted = await openedCase(service, store, {
        status: 'awaiting-summaries',
        children: [childNamed('Child Alpha (invented)')],
      });
      const other = await openedCase(service, store, {
        status: 'awaiting-summaries',
        children: [childNamed('Demo Child One')],
      });

      const byLetters = unescaped((await list('q=ca')).body);
      const byStops = unescaped((await list('q=C.+A.')).body);
      const byOther = unescaped((await list('q=DO')).body);

      expect(listedIds(byLetters)).toEqual([wanted.caseId]);
      expect(listedIds(byStops)).toEqual([wanted.caseId]);
      expect(listedIds(byOther)).toEqual([other.caseId]);
    });

    it('finds no unborn child or child not yet identified by initials, and says nothing matched', async () => {
      await openedCase(service, store, {
        status: 'awaiting-summaries',
        children: [
          { identity: 'unborn', sex: 'not-known', ethnicity: 'Not recorded (demo)', lookedAfter: false },
        ],
      });

      const html = unescaped((await list('q=UC')).body);

      expect(listedIds(html)).toEqual([]);
      expect(html).toContain('No cases match “UC”.');
    });

    it('keeps no child’s initials on the case: only keys bound to the case, which differ between cases', async () => {
      const first = await openedCase(service, store, { children: [childNamed('Child Alpha (invented)')] });
      const second = await openedCase(service, store, { children: [childNamed('Child Alpha (invented)')] });

      const stored = JSON.stringify(store.caseOf(first.caseId));

      expect(stored).not.toContain('Child Alpha');
      expect(stored).not.toMatch(/"CA"/);
      expect(first.record.childInitialsKeys).toEqual([
        childInitialsKeyOf(first.caseId, 'CA', TEST_DUPLICATE_CHECK_KEY),
      ]);
      expect(second.record.childInitialsKeys).not.toEqual(first.record.childInitialsKeys);
    });

    it('says what is wrong with a search it cannot use, naming the field, and still lists the cases', async () => {
      const open = await openedCase(service, store, { status: 'awaiting-summaries' });

      const tooLong = await list(`q=${'A'.repeat(41)}`);
      const strange = await list('q=%3Cscript%3E');

      expect(tooLong.statusCode).toBe(400);
      expect(unescaped(tooLong.body)).toContain(
        '<a href="#q">Enter a case reference or the child’s initials in 40 characters or fewer</a>',
      );
      expect(String(tooLong.body)).toContain(open.caseId);
      expect(strange.statusCode).toBe(400);
      expect(unescaped(strange.body)).toContain(
        'Enter a case reference or the child’s initials using letters, numbers, spaces and hyphens only',
      );
      expect(String(strange.body)).not.toContain('<script>');
    });
  });

  describe('which cases, in which order', () => {
    it('leaves the closed cases out unless asked, then shows completed, notification only and withdrawn', async () => {
      const open = await openedCase(service, store, { status: 'awaiting-decision' });
      const completed = await openedCase(service, store, { status: 'completed' });
      const closed = await openedCase(service, store, { status: 'closed' });
      const withdrawn = await openedCase(service, store, { status: 'withdrawn' });

      const usual = String((await list()).body);
      const all = unescaped((await list('closed=yes')).body);

      expect(listedIds(usual)).toEqual([open.caseId]);
      expect(new Set(listedIds(all))).toEqual(
        new Set([open.caseId, completed.caseId, closed.caseId, withdrawn.caseId]),
      );
      expect(all).toContain('<h1 class="govuk-heading-l">All cases</h1>');
      expect(all).toMatch(/<input[^>]*name="closed"[^>]*value="yes"[^>]*checked/);
      expect(all).toMatch(/govuk-tag--grey">\s*Withdrawn/);
      expect(all).toMatch(/govuk-tag--grey">\s*Notification only/);
    });

    it('lists a case whose review stopped (its fault flag up) among the open ones, tagged Failed, and finds it by the Failed filter', async () => {
      const stopped = await openedCase(service, store, {
        status: 'collating',
        changes: { failure: { step: 'CollateReport', error: 'Invented', at: '2026-03-10T10:00:00.000Z' } },
      });
      const running = await openedCase(service, store, { status: 'collating' });

      const usual = unescaped((await list()).body);
      const failedOnly = unescaped((await list('status=failed')).body);

      expect(new Set(listedIds(usual))).toEqual(new Set([stopped.caseId, running.caseId]));
      const row = usual.split(stopped.caseId)[1]?.split('</tr>')[0] ?? '';
      expect(row).toMatch(/govuk-tag--red">\s*Failed/);
      expect(listedIds(failedOnly)).toEqual([stopped.caseId]);
    });

    it('shows no next deadline on a case that has gone to the Panel or ended', async () => {
      const completed = await openedCase(service, store, { status: 'completed' });

      const html = String((await list('closed=yes')).body);
      const row = html.split(completed.caseId)[1]?.split('</tr>')[0] ?? '';

      expect(row).toMatch(/data-label="Next deadline">\s*None/);
    });

    it('sorts by reference, by the date the review is due, by status, and newest first by default', async () => {
      // Each told to the Panel the day the partnership heard, so each is due a different day.
      const received = (status: CaseStatus, day: string) =>
        openedCase(service, store, {
          status,
          receivedAt: `${day}T10:00:00.000Z`,
          notification: {
            incident: {
              ...sampleNotification().incident,
              occurredOn: '2026-02-26',
              localAuthorityAwareOn: '2026-02-27',
              panelNotifiedOn: day,
            },
          },
        });
      const older = await received('awaiting-decision', '2026-03-02');
      const newer = await received('notified', '2026-03-09');
      const middle = await received('collating', '2026-03-05');
      const byReference = [older, newer, middle]
        .sort((a, b) => a.reference.localeCompare(b.reference, 'en-GB', { numeric: true }))
        .map((each) => each.caseId);

      expect(listedIds(String((await list()).body))).toEqual([newer.caseId, middle.caseId, older.caseId]);
      expect(listedIds(String((await list('sort=reference')).body))).toEqual(byReference);
      expect(listedIds(String((await list('sort=due')).body))).toEqual([
        older.caseId,
        middle.caseId,
        newer.caseId,
      ]);
      expect(listedIds(String((await list('sort=status')).body))).toEqual([
        newer.caseId,
        middle.caseId,
        older.caseId,
      ]);
      expect(String((await list('sort=status')).body)).toContain(
        '<option value="status" selected>Status, earliest stage first</option>',
      );
    });

    it('answers an unknown order with the sort in error', async () => {
      const result = await list('sort=colour');

      expect(result.statusCode).toBe(400);
      expect(String(result.body)).toContain('<a href="#sort">Select how to sort the cases from the list</a>');
    });
  });

  describe('the list as CSV, GET /cases.csv', () => {
    it('links the download from the list with the same search, filter and order', async () => {
      await openedCase(service, store, { status: 'awaiting-summaries' });

      const html = String((await list('status=awaiting-summaries&closed=yes&sort=due&q=RR-2026')).body);

      expect(html).toContain(
        'href="/cases.csv?status=awaiting-summaries&amp;closed=yes&amp;sort=due&amp;q=RR-2026" download>Download these cases as a spreadsheet (CSV)</a>',
      );
    });

    it('downloads the listed cases with plain-English headings, dates as dd/mm/yyyy and no ids', async () => {
      const open = await openedCase(service, store, { status: 'awaiting-summaries' });
      const completed = await openedCase(service, store, { status: 'completed' });

      const result = await app(webEvent({ path: '/cases.csv', cookies: team().cookies }));

      expect(result.statusCode).toBe(200);
      expect(result.headers?.['content-type']).toBe('text/csv; charset=utf-8');
      expect(result.headers?.['content-disposition']).toBe('attachment; filename="cases-2026-03-11.csv"');
      const csv = String(result.body).replace(/^\uFEFF/, '');
      const [headings, ...rows] = csv.trimEnd().split('\r\n');
      expect(headings).toBe(
        'Reference,Notifying local authority,Incident,Received,Status,Summaries received,Next deadline,Next deadline date,Review due,Review due by whose date,Overdue',
      );
      expect(rows).toEqual([
        `${open.reference},Exampleshire County Council,Serious harm to a child,04/03/2026,Awaiting summaries,0 of 4 summaries received,Day 7: Reminder to agencies,12/03/2026,24/03/2026,The partnership’s own date,Nothing overdue`,
      ]);
      expect(csv).not.toContain(completed.reference);
      expect(csv).not.toContain(open.caseId);
      expect(csv).not.toContain('user-notifier-demo');
      expect(csv).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    });

    it('downloads only what the search finds, and sends a query it cannot use back to the list', async () => {
      const wanted = await openedCase(service, store, {
        status: 'awaiting-summaries',
        children: [childNamed('Child Alpha (invented)')],
      });
      const other = await openedCase(service, store, { status: 'awaiting-summaries' });

      const found = await app(webEvent({ path: '/cases.csv', query: 'q=CA', cookies: team().cookies }));
      const refused = await app(
        webEvent({ path: '/cases.csv', query: 'sort=colour', cookies: team().cookies }),
      );

      expect(String(found.body)).toContain(wanted.reference);
      expect(String(found.body)).not.toContain(other.reference);
      expect(refused.statusCode).toBe(303);
      expect(refused.headers?.location).toBe('/cases?sort=colour');
    });

    it('is for the partnership team only', async () => {
      const result = await app(
        webEvent({ path: '/cases.csv', cookies: signedIn(testUser('rrg-member')).cookies }),
      );

      expect(result.statusCode).toBe(403);
    });
  });
});

describe('the rules behind the list', () => {
  it('reads initials as typed: letters only, two to six of them', () => {
    expect(typedInitials('j. s.')).toBe('JS');
    expect(typedInitials('z. ö.')).toBe('ZO');
    expect(typedInitials('J')).toBeUndefined();
    expect(typedInitials('RR-2026')).toBeUndefined();
    expect(initialsOf('Mary-Jane Ann Smith')).toEqual(['MAS', 'MJAS', 'MS']);
    expect(initialsOf('Onlyname')).toEqual([]);
  });

  it('matches a reference only on three characters or more', () => {
    const record = { caseId: 'c', reference: 'RR-2026-0042', childInitialsKeys: [] };
    const secret = () => TEST_DUPLICATE_CHECK_KEY;

    expect(matchesSearch(record, 'rr-2026-0042', secret)).toBe(true);
    expect(matchesSearch(record, '0042', secret)).toBe(true);
    expect(matchesSearch(record, 'RR', secret)).toBe(false);
    expect(matchesSearch(record, '0043', secret)).toBe(false);
  });

  it('keeps a cell a spreadsheet would run as a formula as text, and quotes commas and quotes', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('Exampleshire, North')).toBe('"Exampleshire, North"');
    expect(csvCell('Plain')).toBe('Plain');
  });

  it('writes a heading row even when there are no cases', () => {
    expect(casesCsv([]).split('\r\n')).toHaveLength(2);
  });

  it('sorts ties newest first', () => {
    const at = (receivedAt: string, reference: string) =>
      ({ receivedAt, reference }) as unknown as CaseRecord;
    const sorted = sortedCases(
      [at('2026-03-01T10:00:00Z', 'RR-1'), at('2026-03-02T10:00:00Z', 'RR-1')],
      'reference',
    );

    expect(sorted.map((record) => record.receivedAt)).toEqual([
      '2026-03-02T10:00:00Z',
      '2026-03-01T10:00:00Z',
    ]);
  });
});
