import { describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { readSession } from '../../../functions/web/session.ts';
import { InMemorySessionRevocations } from '../../support/in-memory-session-revocations.ts';
import { describeSessionRevocationsContract } from '../../support/session-revocations-contract.ts';
import {
  profileOnlyService,
  sessionCookieName,
  setCookie,
  signedIn,
  testSessionSecret,
  testUser,
  testWebApp,
  webEvent,
} from './support/web-fixtures.ts';

describeSessionRevocationsContract(
  'the in-memory session revocations',
  async () => new InMemorySessionRevocations(),
);

describe('signing out ends the session on the server', () => {
  const partnershipTeam = testUser('partnership-team');

  it('refuses a cookie captured before sign-out on every page after it', async () => {
    const service = profileOnlyService();
    const app = testWebApp(pages, { service });
    const browser = signedIn(partnershipTeam);
    expect((await app(webEvent({ path: '/cases', cookies: browser.cookies }))).statusCode).toBe(200);

    const signOut = await app(
      webEvent({
        method: 'POST',
        path: '/sign-out',
        cookies: browser.cookies,
        form: {},
        csrfToken: browser.csrfToken,
      }),
    );
    expect(signOut.statusCode).toBe(303);
    expect(setCookie(signOut, sessionCookieName)).toMatch(/Max-Age=0/);

    // Someone kept a copy of the cookie: it is still signed and unexpired, and is refused.
    const session = readSession(testSessionSecret, browser.cookies);
    expect(session).toBeDefined();
    expect(await service.sessions.isRevoked(session?.id ?? '')).toBe(true);
    const again = await app(webEvent({ path: '/cases', cookies: browser.cookies }));
    expect(again.statusCode).toBe(303);
    expect(again.headers?.location).toBe('/sign-in?returnTo=%2Fcases');
    const start = await app(webEvent({ path: '/', cookies: browser.cookies }));
    expect(String(start.body)).not.toContain(partnershipTeam.name);
  });

  it('treats a form posted with the revoked session as from someone signed out', async () => {
    const service = profileOnlyService();
    const app = testWebApp(pages, { service });
    const browser = signedIn(testUser('notifier'));
    await app(
      webEvent({
        method: 'POST',
        path: '/sign-out',
        cookies: browser.cookies,
        form: {},
        csrfToken: browser.csrfToken,
      }),
    );

    const posted = await app(
      webEvent({
        method: 'POST',
        path: '/notify/incident',
        cookies: browser.cookies,
        form: {},
        csrfToken: browser.csrfToken,
      }),
    );
    expect(posted.statusCode).toBe(303);
    expect(posted.headers?.location).toBe('/sign-in?returnTo=%2Fnotify%2Fincident');
  });

  it('leaves other sessions of the same person signed in', async () => {
    const service = profileOnlyService();
    const app = testWebApp(pages, { service });
    const [first, second] = [signedIn(partnershipTeam), signedIn(partnershipTeam)];
    await app(
      webEvent({
        method: 'POST',
        path: '/sign-out',
        cookies: first.cookies,
        form: {},
        csrfToken: first.csrfToken,
      }),
    );

    expect((await app(webEvent({ path: '/cases', cookies: second.cookies }))).statusCode).toBe(200);
  });

  it('asks once per request with a session, and never for a request without one', async () => {
    const service = profileOnlyService();
    const revocations = service.sessions as InMemorySessionRevocations;
    const app = testWebApp(pages, { service });

    await app(webEvent({ path: '/' }));
    expect(revocations.checks).toBe(0);
    await app(webEvent({ path: '/cases', cookies: signedIn(partnershipTeam).cookies }));
    expect(revocations.checks).toBe(1);
  });
});
