/**
 * What every SessionRevocations does: run against the DynamoDB adapter
 * (test/integration/session-revocations.test.ts) and the in-memory fake
 * (test/unit/web/session-revocation.test.ts), so the fake cannot drift.
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionRevocations } from '../../shared/stores/session-revocations.ts';

export function describeSessionRevocationsContract(
  name: string,
  make: () => Promise<SessionRevocations>,
): void {
  describe(`${name}: the SessionRevocations contract`, () => {
    let store: SessionRevocations;
    beforeEach(async () => {
      store = await make();
    });
    const sessionId = () => randomBytes(18).toString('base64url');

    it('knows no session as revoked until it is', async () => {
      const id = sessionId();
      expect(await store.isRevoked(id)).toBe(false);
      await store.revoke(id, new Date('2026-03-04T18:00:00Z'));
      expect(await store.isRevoked(id)).toBe(true);
    });

    it('revokes only the session named', async () => {
      const [one, other] = [sessionId(), sessionId()];
      await store.revoke(one, new Date('2026-03-04T18:00:00Z'));
      expect(await store.isRevoked(other)).toBe(false);
    });

    it('accepts the same revocation twice', async () => {
      const id = sessionId();
      await store.revoke(id, new Date('2026-03-04T18:00:00Z'));
      await store.revoke(id, new Date('2026-03-04T18:00:00Z'));
      expect(await store.isRevoked(id)).toBe(true);
    });
  });
}
