import { describe, expect, it } from 'vitest';
import { csrfCookieName, readSession, sessionCookieName } from '../../../functions/web/session.ts';
import { localSignIn } from '../../../local/sign-in.ts';
import { localPartnerDelegates, localUsers } from '../../../local/tokens.ts';
import { anonymousBrowser, govukBrandMarks, testSessionSecret } from './support/web-fixtures.ts';

const get = (query = '') =>
  localSignIn(testSessionSecret, {
    method: 'GET',
    query: new URLSearchParams(query),
    body: Buffer.alloc(0),
    cookies: undefined,
  });

const post = (form: Record<string, string>, cookies: string[]) =>
  localSignIn(testSessionSecret, {
    method: 'POST',
    query: new URLSearchParams(),
    body: Buffer.from(new URLSearchParams(form).toString()),
    cookies,
  });

describe("the local stack's sign-in page", () => {
  it('lists one invented user per role under a warning that it is local only', async () => {
    const result = await get('returnTo=%2Fcases');

    const html = String(result.body);
    expect(result.statusCode).toBe(200);
    expect(html).toContain('Local only: invented users');
    for (const user of Object.values(localUsers)) expect(html).toContain(user.name);
    for (const user of Object.values(localPartnerDelegates)) expect(html).toContain(user.name);
    expect(html).toContain('value="safeguarding-partner:police"');
    expect(html).toContain('name="returnTo" value="/cases"');
    expect(result.cookies?.some((cookie) => cookie.startsWith(`${csrfCookieName}=`))).toBe(true);
  });

  it("wears the service's own header and footer, as every page does: no GOV.UK crown, logotype or Crown copyright", async () => {
    const html = String((await get()).body);

    expect(govukBrandMarks(html)).toEqual([]);
    expect(html).toContain('class="govuk-generic-header"');
    for (const path of ['/accessibility-statement', '/privacy', '/cookies']) {
      expect(html).toContain(`<a class="govuk-footer__link" href="${path}">`);
    }
  });

  it('signs in as the chosen user with the session cookie the web function reads, and goes back', async () => {
    const browser = anonymousBrowser();

    const result = await post(
      { role: 'rrg-chair', returnTo: '/cases', csrfToken: browser.csrfToken },
      browser.cookies,
    );

    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/cases');
    const cookie = result.cookies?.find((value) => value.startsWith(`${sessionCookieName}=`)) ?? '';
    const session = readSession(testSessionSecret, [cookie.split(';')[0] as string]);
    expect(session?.user).toEqual({
      id: localUsers['rrg-chair'].id,
      name: localUsers['rrg-chair'].name,
      email: localUsers['rrg-chair'].email,
      roles: ['rrg-chair'],
    });
    expect(session?.signedInWith).toBe('local');
  });

  it("signs in as a safeguarding partner's delegate, the one the choice names", async () => {
    const browser = anonymousBrowser();

    const result = await post(
      { role: 'safeguarding-partner:police', returnTo: '/cases', csrfToken: browser.csrfToken },
      browser.cookies,
    );

    expect(result.statusCode).toBe(303);
    const cookie = result.cookies?.find((value) => value.startsWith(`${sessionCookieName}=`)) ?? '';
    const session = readSession(testSessionSecret, [cookie.split(';')[0] as string]);
    expect(session?.user).toEqual({
      id: localPartnerDelegates.police.id,
      name: localPartnerDelegates.police.name,
      email: localPartnerDelegates.police.email,
      roles: ['safeguarding-partner'],
    });
  });

  it.each(['rrg-chair:police', 'safeguarding-partner:nobody', 'safeguarding-partner:police:health'])(
    'signs no one in for the choice %s',
    async (choice) => {
      const browser = anonymousBrowser();

      const result = await post(
        { role: choice, returnTo: '/', csrfToken: browser.csrfToken },
        browser.cookies,
      );

      expect(result.statusCode).toBe(400);
      expect(String(result.body)).toContain('Choose who to sign in as');
    },
  );

  it('asks again, naming the problem, when no user was chosen', async () => {
    const browser = anonymousBrowser();

    const result = await post({ returnTo: '/', csrfToken: browser.csrfToken }, browser.cookies);

    expect(result.statusCode).toBe(400);
    expect(String(result.body)).toContain('Choose who to sign in as');
    expect(String(result.body)).toContain('href="#role"');
  });

  it('signs no one in without the CSRF token, and never sends anyone off the site', async () => {
    const browser = anonymousBrowser();

    const forged = await post({ role: 'rrg-chair', returnTo: '/' }, browser.cookies);
    const offSite = await post(
      { role: 'notifier', returnTo: 'https://evil.example.org/', csrfToken: browser.csrfToken },
      browser.cookies,
    );

    expect(forged.statusCode).toBe(400);
    expect(forged.cookies?.some((cookie) => cookie.startsWith(`${sessionCookieName}=`)) ?? false).toBe(false);
    expect(offSite.headers?.location).toBe('/');
  });
});
