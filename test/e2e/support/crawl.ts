/**
 * The browser walk the whole-review tests share (test/e2e/plain-words.test.ts,
 * test/e2e/every-page.test.ts): from a few start pages, every link on this site, breadth first,
 * as one person (a signed-in role, or an agency through its emailed link). Each HTML page is
 * handed to the test while the browser shows it; a link to a file (the notification's PDF, the
 * cases list's CSV) is handed over as bytes. The local-only pages (/local…) are for people
 * rehearsing, not partnership users, and are left out, as are actions, sign-in and assets.
 */
import type { Page } from 'playwright-core';
import type { LocalEmail } from '../../../local/ses.ts';

/** Paths a crawl does not open: actions, downloads, the local-only pages, assets. */
export function skippedPath(path: string): boolean {
  return /^\/(local|sign-in|sign-out|auth|assets)(\/|$)/.test(path) || path.startsWith('/api/');
}

/** The paths of the agency pages linked from emails (`/agency/<token>`), each once. */
export function agencyPathsIn(emails: readonly Pick<LocalEmail, 'text'>[]): string[] {
  return [
    ...new Set(
      emails.flatMap((email) =>
        [...email.text.matchAll(/https?:\/\/[^\s]+\/agency\/[A-Za-z0-9_-]+/g)].map(
          (match) => new URL(match[0]).pathname,
        ),
      ),
    ),
  ];
}

/**
 * A path with what differs from one agency, case or notification to the next put as a
 * placeholder, so a crawl opens one page of each kind: `/agency/<token>/return` →
 * `/agency/{token}/return`, `/cases/<id>/agencies/police/remove` →
 * `/cases/{caseId}/agencies/{agencyId}/remove`. A case's own page (`/cases/<id>`, and the
 * scrutineer's and the notifier's view of it) keeps its id: cases at different stages show
 * different parts of it.
 */
export function pageKind(path: string): string {
  const [pathname = '', query = ''] = path.split('?');
  const kind = pathname
    .replace(/^\/agency\/[A-Za-z0-9_-]+/, '/agency/{token}')
    .replace(/^\/cases\/[^/]+\//, '/cases/{caseId}/')
    .replace(/\/agencies\/[^/]+/, '/agencies/{agencyId}')
    .replace(/\/add-agency\/[^/]+/, '/add-agency/{agencyId}')
    .replace(/\/notify\/confirmation\/[^/]+/, '/notify/confirmation/{caseId}')
    .replace(/^\/ops\/executions\/[^/]+/, '/ops/executions/{name}')
    .replace(/\/(episodes?)\/\d+/, '/$1/{n}');
  // A query only sorts or filters the same page: its names matter, not its values.
  const names = [...new URLSearchParams(query).keys()].sort();
  return names.length > 0 ? `${kind}?${names.join('&')}` : kind;
}

export interface CrawlOptions {
  /** The browser page to walk with (already signed in, or not, as the person is). */
  page: Page;
  /** The service's base URL. */
  baseUrl: string;
  /** Where to start: paths on the service. */
  start: readonly string[];
  /**
   * Which paths count as the same page: a path whose key was already seen is not opened.
   * By default every path is its own page.
   */
  keyOf?: (path: string) => string;
  /**
   * Keys of pages already opened, shared between crawls (say, the pages every person sees alike):
   * a path whose key is here is not opened, and each page opened adds its key.
   */
  seen?: Set<string>;
  /** At most this many paths are opened (default 80). */
  limit?: number;
  /**
   * Called for each HTML page, while the browser shows it (after its links are read), with its
   * HTTP status: an error page (a link no longer valid, a page not for this person) is a page
   * people see too.
   */
  onPage(path: string, status: number): Promise<void>;
  /** Called for each link that answers something other than HTML. */
  onFile?(path: string, contentType: string, body: Uint8Array): Promise<void>;
}

/** What a crawl opened. */
export interface CrawlCount {
  pages: number;
  files: number;
}

/**
 * Opens the start paths and every link on this site they lead to, breadth first, each kind of
 * page once (`keyOf`). A file answering an error is passed over; an HTML page answering one (a
 * link no longer valid, a page not for this person) is handed over like any other.
 */
export async function crawl(options: CrawlOptions): Promise<CrawlCount> {
  const { page, baseUrl } = options;
  const keyOf = options.keyOf ?? ((path: string) => path);
  const limit = options.limit ?? 80;
  const origin = new URL(baseUrl).origin;
  const seen = options.seen ?? new Set<string>();
  const queue = options.start.filter((path) => !seen.has(keyOf(path)));
  for (const path of queue) seen.add(keyOf(path));
  const count: CrawlCount = { pages: 0, files: 0 };
  let opened = 0;
  while (queue.length > 0 && opened < limit) {
    const path = queue.shift()!;
    opened += 1;
    const url = new URL(path, baseUrl).toString();
    // A link may lead to a file (the notification's PDF, the cases list's CSV): read it as such.
    const head = await page.request.get(url);
    const type = head.headers()['content-type'] ?? '';
    if (!type.includes('text/html')) {
      if (!head.ok()) continue;
      count.files += 1;
      await options.onFile?.(path, type, new Uint8Array(await head.body()));
      continue;
    }
    const response = await page.goto(url);
    if (!response) continue;
    count.pages += 1;
    const links = await page
      .locator('a[href]:not([download])')
      .evaluateAll((anchors) => anchors.map((anchor) => (anchor as unknown as { href: string }).href));
    for (const link of links) {
      const next = new URL(link);
      if (next.origin !== origin || skippedPath(next.pathname)) continue;
      const nextPath = `${next.pathname}${next.search}`;
      const key = keyOf(nextPath);
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push(nextPath);
    }
    await options.onPage(path, response.status());
  }
  return count;
}
