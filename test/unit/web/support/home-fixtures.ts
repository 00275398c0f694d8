import { randomUUID } from 'node:crypto';
import type { WebService } from '../../../../functions/web/page.ts';
import { sampleNotification } from '../../../../local/sample-notification.ts';
import { openCase } from '../../../../shared/cases/open-case.ts';
import type { CaseStatus } from '../../../../shared/schemas/case.ts';
import type { SeriousIncidentNotification } from '../../../../shared/schemas/notification.ts';
import type { CaseChanges } from '../../../../shared/stores/case-store.ts';
import type { InMemoryCaseStore } from '../../../support/in-memory-case-store.ts';
import { InMemorySessionRevocations } from '../../../support/in-memory-session-revocations.ts';
import { VersionedDocumentStore } from '../../../support/versioned-document-store.ts';
import { type SettableClock, TEST_DUPLICATE_CHECK_KEY, testProfile } from '../../api/support/api-fixtures.ts';

/**
 * The homes' pages only read (functions/home-web): a service of the in-memory case store, a
 * document store in memory, the clock and the duplicate-check key; the ports the homes never use
 * throw, so a test notices.
 */
export function homeService(
  store: InMemoryCaseStore,
  clock: SettableClock,
): WebService & {
  documents: VersionedDocumentStore;
} {
  const unused = (): never => {
    throw new Error('The home pages use no such port');
  };
  return {
    clock,
    cases: store,
    profile: testProfile,
    documents: new VersionedDocumentStore('case-documents-test'),
    duplicateCheckKey: TEST_DUPLICATE_CHECK_KEY,
    sessions: new InMemorySessionRevocations(),
    publicBaseUrl: 'https://reviews.example.org',
    get drafts() {
      return unused();
    },
    get workflow() {
      return unused();
    },
    get mailer() {
      return unused();
    },
  };
}

/** What a case is opened with, and what happened to it since. */
export interface CaseOptions {
  status?: CaseStatus;
  receivedAt?: string;
  notification?: Partial<SeriousIncidentNotification>;
  children?: SeriousIncidentNotification['children'];
  /** Who sent the notification (the `case.opened` actor's id). */
  sentBy?: string;
  changes?: CaseChanges;
}

/**
 * A case opened as intake opens it (its initials' keys and its sender kept), its notification
 * document stored, then moved to `status` with `changes`.
 */
export async function openedCase(
  service: ReturnType<typeof homeService>,
  store: InMemoryCaseStore,
  options: CaseOptions = {},
) {
  const caseId = randomUUID();
  const notification = sampleNotification(options.notification);
  if (options.children) notification.children = options.children;
  const receivedAt = options.receivedAt ?? '2026-03-04T10:00:00.000Z';
  const { record, agencies } = openCase({
    caseId,
    notification,
    receivedAt: new Date(receivedAt),
    notificationDocumentKey: `cases/${caseId}/notification.json`,
    duplicateCheckKey: TEST_DUPLICATE_CHECK_KEY,
    notifiedBy: options.sentBy ?? 'user-notifier-demo',
  });
  await service.documents.put(
    record.notificationDocumentKey,
    JSON.stringify(notification),
    'application/json',
  );
  const created = await store.createCase(record, agencies, {
    actor: { kind: 'staff', id: options.sentBy ?? 'user-notifier-demo', role: 'notifier' },
    at: receivedAt,
    action: 'case.opened',
    reason: 'Serious incident notification received',
  });
  const status = options.status ?? 'notified';
  const saved =
    status !== 'notified' || options.changes
      ? await store.updateCase(
          created,
          { status, ...options.changes },
          {
            actor: { kind: 'system', id: 'rapid-review-workflow' },
            at: receivedAt,
            action: 'status.changed',
            reason: `Now ${status}`,
          },
        )
      : created;
  return { caseId, reference: saved.reference, record: saved, notification };
}
