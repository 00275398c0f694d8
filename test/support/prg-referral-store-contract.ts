import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { PrgReferral } from '../../shared/schemas/prg-referral.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import type { PrgReferralStore } from '../../shared/stores/prg-referral-store.ts';

const at = '2026-03-25T10:00:00.000Z';
const audit = (action: string, eventId?: string): AuditInput => ({
  actor: { kind: 'staff', id: 'user-referrer-test', role: 'referrer', name: 'Referrer (invented)' },
  at,
  action,
  reason: `Invented (${action})`,
  ...(eventId ? { eventId } : {}),
});

/** An invented referral, waiting for its strategic lead's approval. */
export function aReferral(referredAt = at): PrgReferral {
  const referralId = randomUUID();
  return {
    referralId,
    reference: `PRG-2026-${referralId.slice(0, 6).toUpperCase()}`,
    status: 'awaiting-approval',
    version: 1,
    agencyName: 'Exampleshire Health Visiting (invented)',
    kind: 'near-miss',
    child: { name: 'Child R (invented)' },
    summary: 'An invented near miss.',
    whyNotNotifiable: 'Invented.',
    criteria: ['improvements'],
    relatedReviews: {},
    lead: { name: 'Strategic Lead (invented)', email: 'strategic.lead@example.org' },
    referrer: { id: 'user-referrer-test' },
    referredAt,
    approval: {
      tokenHash: randomUUID().replace(/-/g, ''),
      sentAt: referredAt,
      expiresAt: '2026-04-08T10:00:00.000Z',
    },
    createdAt: referredAt,
    updatedAt: referredAt,
  };
}

/** The rules every referral store keeps: the DynamoDB one and the in-memory fake alike. */
export function describePrgReferralStoreContract(
  name: string,
  makeStore: () => Promise<PrgReferralStore>,
): void {
  describe(name, () => {
    it('keeps a referral, found by its id and by its approval link, with its audit event; once', async () => {
      const store = await makeStore();
      const referral = aReferral();

      await store.createReferral(referral, audit('prg-referral.referred'));

      await expect(store.createReferral(referral, audit('prg-referral.referred'))).rejects.toThrow(
        DuplicateWriteError,
      );
      expect(await store.getReferral(referral.referralId)).toEqual(referral);
      expect(await store.findReferralByApprovalHash(referral.approval.tokenHash)).toBe(referral.referralId);
      expect(await store.findReferralByApprovalHash('unknown')).toBeUndefined();
      expect((await store.getReferralAudit(referral.referralId)).map((event) => event.action)).toEqual([
        'prg-referral.referred',
      ]);
    });

    it('lists every referral, newest first', async () => {
      const store = await makeStore();
      const older = aReferral('2026-03-20T10:00:00.000Z');
      const newer = aReferral('2026-03-24T10:00:00.000Z');
      await store.createReferral(older, audit('prg-referral.referred'));
      await store.createReferral(newer, audit('prg-referral.referred'));

      expect((await store.listReferrals()).map((referral) => referral.referralId)).toEqual([
        newer.referralId,
        older.referralId,
      ]);
    });

    it('changes a referral only at the version read, each change once by its event id, a new link found too', async () => {
      const store = await makeStore();
      const referral = await store.createReferral(aReferral(), audit('prg-referral.referred'));

      const changed = await store.updateReferral(
        referral,
        { approval: { ...referral.approval, tokenHash: 'a-new-hash' } },
        audit('prg-referral.approval-link-resent', 'resent-1'),
        'a-new-hash',
      );

      expect(changed.version).toBe(2);
      expect(await store.findReferralByApprovalHash('a-new-hash')).toBe(referral.referralId);
      await expect(
        store.updateReferral(referral, { status: 'awaiting-decision' }, audit('prg-referral.lead-approved')),
      ).rejects.toThrow(StaleWriteError);
      await expect(
        store.updateReferral(changed, { status: 'awaiting-decision' }, audit('again', 'resent-1')),
      ).rejects.toThrow(DuplicateWriteError);
      expect((await store.getReferral(referral.referralId))?.version).toBe(2);
    });
  });
}
