import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { agencyDetailsPages, proofCookieName } from '../../../functions/agency-details/pages.ts';
import { createWebApp } from '../../../functions/web/router.ts';
import { csrfCookieName, csrfTokenForAnonymous } from '../../../functions/web/session.ts';
import { templateEnvironment } from '../../../functions/web/views.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { mintAgencyToken } from '../../../shared/agency-links.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { Service } from '../../../shared/service.ts';
import {
  CodeAskedTooSoonError,
  CodeNotUsableError,
  DetailsProofNeededError,
  maskedMailbox,
  sendDetailsCode,
  showAgencyChildDetails,
  verifyDetailsCode,
  WrongCodeError,
} from '../../../shared/use-cases/agency-details.ts';
import { LinkNotUsableError } from '../../../shared/use-cases/agency-request.ts';
import { InMemoryAgencyDetailsCodes } from '../../support/in-memory-agency-details-codes.ts';
import { VersionedDocumentStore } from '../../support/versioned-document-store.ts';
import { InMemoryCaseStore, SettableClock, testS3Client, testService } from '../api/support/api-fixtures.ts';
import { webEvent } from '../web/support/web-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';

const SECRET = Buffer.from('agency-details-secret-invented-for-unit-tests-0123456789', 'utf8');
/** Invented: the NHS's published example number, an invented address and household. */
const notification = (() => {
  const sample = sampleNotification();
  return sampleNotification({
    children: [{ ...sample.children[0]!, address: '1 Example Street\nExampletown', nhsNumber: '9434765919' }],
    householdMembers: [{ name: 'Invented Parent', relationship: 'Mother' }],
  });
})();
const child = notification.children[0]!;

describe('the agency details behind an emailed code (issue 10 part 1)', () => {
  let store: InMemoryCaseStore;
  let codes: InMemoryAgencyDetailsCodes;
  let mailer: RecordingMailer;
  let clock: SettableClock;
  let service: Service;
  let token: string;
  let caseId: string;

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    codes = new InMemoryAgencyDetailsCodes();
    mailer = new RecordingMailer();
    clock = new SettableClock('2026-03-09T11:00:00Z');
    caseId = randomUUID();
    const { record, agencies } = openCase({
      caseId,
      notification,
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: `cases/${caseId}/notification.json`,
    });
    await store.createCase(record, agencies, {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Opened for the test',
    });
    const minted = mintAgencyToken();
    token = minted.token;
    await store.putAgencyLinks([
      { tokenHash: minted.tokenHash, caseId, agencyId: 'police', expiresAt: '2026-03-18T09:00:00.000Z' },
    ]);
    const documents = new VersionedDocumentStore('case-documents-test');
    await documents.put(record.notificationDocumentKey, JSON.stringify(notification), 'application/json');
    const base = testService({ store, clock, s3: testS3Client(), mailer, agencyDetailsCodes: codes });
    service = Object.assign(Object.create(base) as Service, { documents });
  });

  /** The code in the last email sent. */
  const lastCode = () => /Your code is (\d{6})\./.exec(mailer.sent.at(-1)?.message.text ?? '')?.[1] ?? '';
  const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

  describe('asking for a code', () => {
    it('emails a 6-digit code to the agency’s contact, naming neither the child nor the case’s details', async () => {
      const sent = await sendDetailsCode(service, { token });

      expect(sent.mailbox).toBe('s•••@example.org');
      const email = mailer.sent.at(-1)!.message;
      expect(email.to).toEqual(['spoc.police@example.org']);
      expect(email.text).toMatch(/^Your code is \d{6}\. It works for 10 minutes\./);
      for (const personal of [child.name!, child.dateOfBirth!, '14 May 2019', 'Exampletown']) {
        expect(email.subject).not.toContain(personal);
        expect(email.text).not.toContain(personal);
      }
    });

    it('keeps only a salted hash of the code, with its expiry 10 minutes on and 5 tries', async () => {
      await sendDetailsCode(service, { token });

      const [stored] = [...codes.codes.values()];
      expect(JSON.stringify(stored)).not.toContain(lastCode());
      expect(stored?.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored?.salt).toMatch(/^[0-9a-f]{32}$/);
      expect(stored?.expiresAt).toBe('2026-03-09T11:10:00.000Z');
      expect(stored?.triesLeft).toBe(5);
      expect(codes.auditEvents.map((event) => event.action)).toEqual(['agency.details-code-sent']);
    });

    it('refuses a new code within a minute of the last, and replaces it after', async () => {
      await sendDetailsCode(service, { token });
      const first = lastCode();
      clock.set('2026-03-09T11:00:30Z');
      await expect(sendDetailsCode(service, { token })).rejects.toBeInstanceOf(CodeAskedTooSoonError);
      expect(mailer.sent).toHaveLength(1);

      clock.set('2026-03-09T11:01:00Z');
      await sendDetailsCode(service, { token });
      const second = lastCode();
      expect(mailer.sent).toHaveLength(2);

      if (first !== second) {
        await expect(verifyDetailsCode(service, { token, code: first })).rejects.toBeInstanceOf(
          WrongCodeError,
        );
      }
      await expect(verifyDetailsCode(service, { token, code: second })).resolves.toMatchObject({});
    });

    it('masks a mailbox to its first letter and domain', () => {
      expect(maskedMailbox('jo.bloggs@example.org')).toBe('j•••@example.org');
    });
  });

  describe('entering the code', () => {
    it('answers a proof for this link with the right code, once', async () => {
      await sendDetailsCode(service, { token });
      const code = lastCode();

      const proof = await verifyDetailsCode(service, {
        token,
        code: ` ${code.slice(0, 3)} ${code.slice(3)} `,
      });

      expect(proof.expiresAt).toBe('2026-03-09T11:30:00.000Z');
      await expect(verifyDetailsCode(service, { token, code })).rejects.toMatchObject({ reason: 'used' });
    });

    it('says how many tries are left, and after 5 wrong tries asks for a new code', async () => {
      await sendDetailsCode(service, { token });
      const code = lastCode();
      const wrong = wrongCodeFor(code);

      for (const left of [4, 3, 2, 1]) {
        await expect(verifyDetailsCode(service, { token, code: wrong })).rejects.toMatchObject({
          name: 'WrongCode',
          triesLeft: left,
        });
      }
      await expect(verifyDetailsCode(service, { token, code: wrong })).rejects.toMatchObject({
        reason: 'no-tries-left',
      });
      // Even the right code no longer works.
      await expect(verifyDetailsCode(service, { token, code })).rejects.toBeInstanceOf(CodeNotUsableError);
    });

    it('refuses the right code after its 10 minutes', async () => {
      await sendDetailsCode(service, { token });
      clock.set('2026-03-09T11:10:00Z');

      await expect(verifyDetailsCode(service, { token, code: lastCode() })).rejects.toMatchObject({
        reason: 'expired',
      });
    });

    it('names the code field when it is not 6 digits', async () => {
      await sendDetailsCode(service, { token });
      for (const code of ['', '12345', 'abcdef', '1'.repeat(1000)]) {
        await expect(verifyDetailsCode(service, { token, code })).rejects.toMatchObject({
          name: 'InvalidInput',
          fields: [{ field: 'code' }],
        });
      }
      expect([...codes.codes.values()][0]?.triesLeft).toBe(5);
    });
  });

  describe('seeing the details', () => {
    it('shows the child and the incident to a proven browser, and audits every view without the details', async () => {
      await sendDetailsCode(service, { token });
      const proof = await verifyDetailsCode(service, { token, code: lastCode() });

      const view = await showAgencyChildDetails(service, { token, proof });
      await showAgencyChildDetails(service, { token, proof });

      expect(view.children?.[0]).toMatchObject({
        name: child.name,
        dateOfBirthOrAge: { label: 'Date of birth', value: '14 May 2019' },
      });
      expect(view.incident?.location).toBe(notification.incident.location);
      const views = codes.auditEvents.filter((event) => event.action === 'agency.details-viewed');
      expect(views).toHaveLength(2);
      expect(views[0]).toMatchObject({
        caseId,
        actor: { kind: 'agency', agencyId: 'police' },
        details: { agencyId: 'police' },
      });
      expect(JSON.stringify(codes.auditEvents)).not.toContain(child.name!);
    });

    it('refuses without a proof, with another link’s proof, or an expired one', async () => {
      const other = mintAgencyToken();
      await expect(showAgencyChildDetails(service, { token, proof: undefined })).rejects.toBeInstanceOf(
        DetailsProofNeededError,
      );
      await expect(
        showAgencyChildDetails(service, {
          token,
          proof: { tokenHash: other.tokenHash, expiresAt: '2026-03-09T12:00:00Z' },
        }),
      ).rejects.toBeInstanceOf(DetailsProofNeededError);
      await sendDetailsCode(service, { token });
      const proof = await verifyDetailsCode(service, { token, code: lastCode() });
      clock.set('2026-03-09T11:30:00Z');
      await expect(showAgencyChildDetails(service, { token, proof })).rejects.toBeInstanceOf(
        DetailsProofNeededError,
      );
      expect(codes.auditEvents.some((event) => event.action === 'agency.details-viewed')).toBe(false);
    });

    it('refuses everything once a newer link replaces this one (the contact replaced, or the link resent)', async () => {
      await sendDetailsCode(service, { token });
      const proof = await verifyDetailsCode(service, { token, code: lastCode() });
      const police = (await store.getCaseWithAgencies(caseId)).agencies.find((a) => a.agencyId === 'police')!;
      await store.updateAgencyRequest(
        police,
        { linkTokenHash: mintAgencyToken().tokenHash },
        {
          actor: { kind: 'staff', id: 'user-team-test', role: 'partnership-team' },
          at: clock.now().toISOString(),
          action: 'agency.link-resent',
          reason: 'Invented (test)',
        },
      );

      await expect(showAgencyChildDetails(service, { token, proof })).rejects.toMatchObject({
        name: 'LinkNotUsable',
        kind: 'forbidden',
      });
      await expect(sendDetailsCode(service, { token })).rejects.toBeInstanceOf(LinkNotUsableError);
      await expect(verifyDetailsCode(service, { token, code: '123456' })).rejects.toBeInstanceOf(
        LinkNotUsableError,
      );
    });

    it('refuses everything once the link stops working at collation', async () => {
      await sendDetailsCode(service, { token });
      const proof = await verifyDetailsCode(service, { token, code: lastCode() });
      clock.set('2026-03-18T09:00:00Z');

      await expect(showAgencyChildDetails(service, { token, proof })).rejects.toBeInstanceOf(
        LinkNotUsableError,
      );
      await expect(sendDetailsCode(service, { token })).rejects.toBeInstanceOf(LinkNotUsableError);
      await expect(verifyDetailsCode(service, { token, code: '123456' })).rejects.toBeInstanceOf(
        LinkNotUsableError,
      );
    });
  });

  describe('the pages', () => {
    const nonce = 'c0ffee00-0000-4000-8000-00000000abcd';
    const browser = {
      cookies: [`${csrfCookieName}=${nonce}`],
      csrfToken: csrfTokenForAnonymous(SECRET, nonce),
    };
    const app = () =>
      createWebApp({
        pages: agencyDetailsPages(() => SECRET),
        service: () => service,
        formSecret: () => SECRET,
        templates: templateEnvironment,
      });
    const text = (html: unknown) =>
      String(html)
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');

    it('walks from the gate to the details: code emailed, a wrong code, the right one, the details', async () => {
      const gate = await app()(webEvent({ path: `/agency/${token}/details`, cookies: browser.cookies }));
      expect(gate.statusCode).toBe(200);
      expect(text(gate.body)).toContain('s•••@example.org');
      expect(text(gate.body)).toContain('Email me a code');
      expect(text(gate.body)).not.toContain(child.name!);

      const asked = await app()(
        webEvent({
          method: 'POST',
          path: `/agency/${token}/details/code`,
          cookies: browser.cookies,
          form: {},
          csrfToken: browser.csrfToken,
        }),
      );
      expect(asked.statusCode).toBe(303);
      expect(asked.headers?.location).toBe(`/agency/${token}/details/verify?sent=1`);

      const entry = await app()(
        webEvent({ path: `/agency/${token}/details/verify`, query: 'sent=1', cookies: browser.cookies }),
      );
      expect(String(entry.body)).toContain('autocomplete="one-time-code"');
      expect(String(entry.body)).toContain('inputmode="numeric"');

      const wrong = await app()(
        webEvent({
          method: 'POST',
          path: `/agency/${token}/details/verify`,
          cookies: browser.cookies,
          form: { code: wrongCodeFor(lastCode()) },
          csrfToken: browser.csrfToken,
        }),
      );
      expect(wrong.statusCode).toBe(400);
      expect(text(wrong.body)).toContain('You have 4 tries left');

      const right = await app()(
        webEvent({
          method: 'POST',
          path: `/agency/${token}/details/verify`,
          cookies: browser.cookies,
          form: { code: lastCode() },
          csrfToken: browser.csrfToken,
        }),
      );
      expect(right.statusCode).toBe(303);
      const cookie = (right.cookies ?? []).find((value) => value.startsWith(proofCookieName)) ?? '';
      expect(cookie).toContain(`Path=/agency/${token}/details`);
      expect(cookie).toMatch(/; Secure; HttpOnly; SameSite=Strict$/);

      const details = await app()(
        webEvent({ path: `/agency/${token}/details`, cookies: [...browser.cookies, cookie.split(';')[0]!] }),
      );
      expect(details.statusCode).toBe(200);
      expect(text(details.body)).toContain(child.name!);
      expect(text(details.body)).toContain('14 May 2019');
      expect(text(details.body)).toContain('Do not copy these details into email');
      expect(String(details.body)).not.toContain(child.dateOfBirth!);
      // The address, NHS number and household the notification gives (issue 10 part 1).
      expect(text(details.body)).toContain('1 Example Street, Exampletown');
      expect(text(details.body)).toContain('943 476 5919');
      expect(text(details.body)).toContain('Invented Parent');
      expect(text(details.body)).toContain('Mother');
      for (const sent of mailer.sent) {
        expect(JSON.stringify(sent.message)).not.toMatch(/9434765919|Example Street|Invented Parent/);
      }
    });

    it('shows a link that does not work as the agency page does', async () => {
      const result = await app()(webEvent({ path: '/agency/not-a-token/details' }));
      expect(result.statusCode).toBe(404);
      expect(text(result.body)).toContain('This link has expired or is not valid');
    });

    it('refuses a POST without the form token', async () => {
      const result = await app()(
        webEvent({ method: 'POST', path: `/agency/${token}/details/code`, form: {} }),
      );
      expect(result.statusCode).toBe(400);
      expect(mailer.sent).toHaveLength(0);
    });
  });
});
