/**
 * The harness checks itself without the local stack: the axe assertion fails on a page that
 * breaks WCAG, the browser keeps the same-origin policy (its flags must not turn off what the
 * tests look for), and sign-in finds the role's control however a sign-in page offers it.
 */

import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from './axe.ts';
import { screenshot, signInAs, usePage } from './browser.ts';

const page = `<!doctype html><html lang="en"><head><title>Harness check</title></head><body><main>`;

/** Sign-in pages in the shapes a framework might choose; each leads to `/` on success. */
const signInPages: Record<string, string> = {
  buttons: `${page}<h1>Sign in</h1><form method="post" action="/sign-in">
      <button name="role" value="notifier">Nina Notifier (demo)</button>
      <button name="role" value="rrg-chair">Chris Chair (demo)</button></form></main></body></html>`,
  links: `${page}<h1>Sign in</h1><ul>
      <li><a href="/sign-in/as?who=1">Sign in as Nina Notifier (demo), notifier</a></li>
      <li><a href="/sign-in/as?who=2">Sign in as Pat Partnership Officer (demo), partnership team</a></li></ul></main></body></html>`,
  refusing: `${page}<h1>Sign in</h1><form method="post" action="/sign-in">
      <button name="role" value="notifier">Nina Notifier (demo)</button></form></main></body></html>`,
  radios: `${page}<h1>Sign in</h1><form method="post" action="/sign-in">
      <input type="radio" id="a" name="user" value="a"><label for="a">RRG member</label>
      <input type="radio" id="b" name="user" value="b"><label for="b">RRG chair</label>
      <button>Sign in</button></form></main></body></html>`,
};

describe('the end-to-end harness', () => {
  const browser = usePage();
  let server: Server;
  let baseUrl = '';
  let shape = 'buttons';
  let signedInWith = '';

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        if (request.url === '/sign-in' && request.method === 'GET') {
          response.writeHead(200, { 'content-type': 'text/html' }).end(signInPages[shape]);
          return;
        }
        if (request.url === '/sign-in' && request.method === 'POST' && shape === 'refusing') {
          const problem = `<div class="govuk-error-summary"><h2>There is a problem</h2><p>The page had expired</p></div>`;
          response
            .writeHead(400, { 'content-type': 'text/html' })
            .end(`${page}${problem}</main></body></html>`);
          return;
        }
        if (request.url?.startsWith('/sign-in')) {
          signedInWith = request.method === 'POST' ? body : (request.url ?? '');
          response.writeHead(303, { location: '/' }).end();
          return;
        }
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`${page}<h1>Signed in</h1></main></body></html>`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('The check server has no port');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('fails the axe check on a page with an unlabelled field and an image without text', async () => {
    // Prepare
    await browser.page.setContent(
      `${page}<h1>Broken</h1><input type="text"><img src="x.png"></main></body></html>`,
    );

    // Act
    const check = expectNoAxeViolations(browser.page, 'a broken page');

    // Assess
    const failure = await check.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/^axe found 2 WCAG 2.2 AA violation\(s\) on a broken page/);
    expect(failure).toMatch(
      /label \(critical\): Form elements must have labels\n.*\n {4}- input: Fix any of/,
    );
    expect(failure).toMatch(
      /image-alt \(critical\): Images must have alternative text\n.*\n {4}- img: Fix any of/,
    );
  });

  it('fails the axe check on a page that scrolls sideways at 320 px, naming what is too wide, and puts the window back', async () => {
    // Prepare: a table 500 pixels wide, which fits the desktop window but not a phone's.
    await browser.page.setContent(
      `${page}<h1>Wide</h1><table id="wide" style="width: 500px"><caption>Wide</caption><tr><th scope="col">A</th></tr><tr><td>1</td></tr></table></main></body></html>`,
    );
    const before = browser.page.viewportSize();

    // Act
    const failure = await expectNoAxeViolations(browser.page, 'a wide page').then(
      () => '',
      (error: Error) => error.message,
    );

    // Assess
    expect(failure).toMatch(
      /^At 320 px wide, a wide page \(about:blank\):\nscrolls sideways: \d+ px wide in a 320 px window/,
    );
    expect(failure).toContain('wider than the window: table#wide "Wide A 1" (reaches');
    expect(browser.page.viewportSize()).toEqual(before);
  });

  it('passes the axe check on a plain accessible page and keeps its screenshot', async () => {
    await browser.page.setContent(
      `${page}<h1>Fine</h1><label for="n">Name</label><input id="n"></main></body></html>`,
    );

    await expectNoAxeViolations(browser.page, 'a plain page');
    const file = await screenshot(browser.page, 'plain-page');

    expect(file).toMatch(/test-results\/screenshots\/support\/support\/plain-page\.png$/);
    expect(existsSync(file)).toBe(true);
  });

  it.each([
    ['buttons', 'notifier', 'role=notifier'],
    ['buttons', 'rrg-chair', 'role=rrg-chair'],
    ['links', 'partnership-team', '/sign-in/as?who=2'],
    ['radios', 'rrg-chair', 'user=b'],
  ] as const)('signs in through a sign-in page of %s as the %s', async (pageShape, role, expected) => {
    shape = pageShape;
    signedInWith = '';

    await signInAs(browser.page, baseUrl, role);

    expect(signedInWith).toBe(expected);
    expect(new URL(browser.page.url()).pathname).toBe('/');
  });

  it('keeps the same-origin policy: a page cannot read another origin unless that origin allows it (CORS)', async () => {
    // Prepare: another origin (another port), answering with and without a CORS header.
    const other = createServer((request, response) => {
      const allow = request.url === '/allowed' ? { 'access-control-allow-origin': baseUrl } : {};
      response.writeHead(200, { 'content-type': 'text/plain', ...allow }).end('invented data');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherPort = (other.address() as { port: number }).port;
    const read = (path: string) =>
      browser.page.evaluate(async (url) => {
        try {
          return await (await fetch(url)).text();
        } catch (error) {
          return `refused: ${(error as Error).message}`;
        }
      }, `http://127.0.0.1:${otherPort}${path}`);

    try {
      await browser.page.goto(`${baseUrl}/`);

      // Act
      const refused = await read('/not-allowed');
      const allowed = await read('/allowed');

      // Assess
      expect(refused).toBe('refused: Failed to fetch');
      expect(allowed).toBe('invented data');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('fails naming the problem when signing in leaves the browser on the sign-in page', async () => {
    shape = 'refusing';

    const signIn = signInAs(browser.page, baseUrl, 'notifier');

    await expect(signIn).rejects.toThrow(
      /stayed on the sign-in page: There is a problem The page had expired/,
    );
  });

  it('says what the sign-in page offers when no control names the role', async () => {
    shape = 'links';

    const signIn = signInAs(browser.page, baseUrl, 'scrutineer');

    await expect(signIn).rejects.toThrow(/no control naming the role "scrutineer".*Nina Notifier/);
  });
});
