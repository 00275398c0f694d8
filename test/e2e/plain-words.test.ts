/**
 * Issue 11 part 4, checked end to end: a whole late Rapid Review runs on the local stack (the
 * demo's, to the Panel's reply), then every page each role can reach from its home and the case
 * is opened in a browser, and every email and case document is read. None may hold a user id, an
 * ISO instant, an id or a state name from the workflow's ASL (test/support/plain-words.ts).
 * The local-only pages (/local…) are for people rehearsing, not partnership users, and are left out.
 * So are the operations pages (/ops…, issue 12 part 4), the one place that names the workflow's
 * states: the engineer on call reads them beside the Step Functions console.
 */
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { type StaffRole, staffRole } from '../../shared/schemas/roles.ts';
import { engineeringWordsIn } from '../support/plain-words.ts';
import { pdfText } from '../unit/workflow/pdf-text.ts';
import { signInAs, usePage } from './support/browser.ts';
import { agencyPathsIn, crawl } from './support/crawl.ts';
import { useLocalStack } from './support/stack.ts';

/** The text of a Word document's body: its ZIP entry word/document.xml, tags removed. */
function docxText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  const texts: string[] = [];
  // Local file headers (PK\x03\x04): name, then the data, stored or deflated.
  for (let at = buffer.indexOf('PK\x03\x04', 0, 'latin1'); at >= 0; ) {
    const method = buffer.readUInt16LE(at + 8);
    const size = buffer.readUInt32LE(at + 18);
    const nameLength = buffer.readUInt16LE(at + 26);
    const extraLength = buffer.readUInt16LE(at + 28);
    const name = buffer.toString('utf8', at + 30, at + 30 + nameLength);
    const start = at + 30 + nameLength + extraLength;
    if (name === 'word/document.xml') {
      const data = buffer.subarray(start, start + size);
      texts.push((method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    }
    at = buffer.indexOf('PK\x03\x04', start + size, 'latin1');
  }
  return texts.join('\n').replace(/<[^>]+>/g, ' ');
}

/** The operations pages' paths: they name states on purpose (their own test checks they name no child). */
const OPERATIONS_PAGES = /^\/ops(\/|\?|$)/;

describe('every page, email and document in plain words', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('holds no user id, ISO instant, id or workflow state name after a whole late review', async () => {
    const { caseId, finalCase } = await runDemoReview(stack.client, sampleNotification(), () => {}, {
      late: true,
    });
    const problems: string[] = [];

    // Pages: from each role's home and the case, every link on this site, breadth first; then
    // an agency's pages, from the link in its request email (no account).
    const roles: StaffRole[] = [...staffRole.options];
    let pagesRead = 0;
    let filesRead = 0;
    const read = async (who: string, start: string[]) => {
      const count = await crawl({
        page: browser.page,
        baseUrl: stack.apiUrl,
        start,
        async onPage(path) {
          if (OPERATIONS_PAGES.test(path)) return;
          // biome-ignore lint/performance/useDomNodeTextContent: what a reader sees, not hidden text
          const text = `${await browser.page.title()}\n${await browser.page.locator('body').innerText()}`;
          for (const problem of engineeringWordsIn(text)) problems.push(`${who} on ${path}: ${problem}`);
        },
        async onFile(path, type, body) {
          const text = type.includes('pdf') ? await pdfText(body) : new TextDecoder().decode(body);
          for (const problem of engineeringWordsIn(text)) problems.push(`${who} on ${path}: ${problem}`);
        },
      });
      pagesRead += count.pages;
      filesRead += count.files;
    };
    for (const role of roles) {
      await signInAs(browser.page, stack.apiUrl, role);
      await read(role, ['/', '/cases', `/cases/${caseId}`]);
    }
    await browser.page.context().clearCookies();
    const agencyPaths = agencyPathsIn(await stack.stack.inbox.listEmails());
    expect(agencyPaths.length).toBeGreaterThan(0);
    await read('an agency', agencyPaths.slice(0, 2));

    // Emails: every one the service sent, subject and text.
    const emails = await stack.stack.inbox.listEmails();
    for (const email of emails) {
      for (const problem of engineeringWordsIn(`${email.subject}\n${email.text}`)) {
        problems.push(`the email "${email.subject}": ${problem}`);
      }
    }

    // Documents: every one on the case, PDF or Word.
    let documentsRead = 0;
    for (const document of finalCase.documents) {
      if (!document.downloadUrl) continue;
      const response = await fetch(document.downloadUrl);
      if (!response.ok) continue;
      const bytes = new Uint8Array(await response.arrayBuffer());
      const type = response.headers.get('content-type') ?? '';
      const text = type.includes('pdf')
        ? await pdfText(bytes)
        : type.includes('wordprocessingml')
          ? docxText(bytes)
          : undefined;
      if (text === undefined) continue;
      documentsRead += 1;
      for (const problem of engineeringWordsIn(text))
        problems.push(`the document "${document.name}": ${problem}`);
    }

    // Enough was read for the check to mean something.
    expect(pagesRead).toBeGreaterThan(roles.length * 2);
    expect(filesRead).toBeGreaterThan(0);
    expect(emails.length).toBeGreaterThan(20);
    expect(documentsRead).toBeGreaterThan(4);
    expect(problems).toEqual([]);
  }, 900_000);
});
