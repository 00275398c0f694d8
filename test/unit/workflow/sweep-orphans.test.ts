import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { systemActor } from '../../../shared/schemas/roles.ts';
import { notificationDocumentKey } from '../../../shared/use-cases/submit-notification.ts';
import { sweepOrphanNotifications } from '../../../shared/use-cases/sweep-orphans.ts';
import { fakeService } from './workflow-fakes.ts';

const orphanId = '11111111-1111-4111-8111-111111111111';
const freshOrphanId = '22222222-2222-4222-8222-222222222222';
const ownedId = '33333333-3333-4333-8333-333333333333';

describe('the orphan sweeper', () => {
  it('removes notification documents older than an hour that have no case, and nothing else', async () => {
    const { service, documents, cases, clock } = fakeService('2026-03-04T08:00:00Z');
    const body = JSON.stringify(sampleNotification());
    await documents.put(notificationDocumentKey(orphanId), body, 'application/json');
    await documents.put(notificationDocumentKey(ownedId), body, 'application/json');
    await documents.put(`cases/${orphanId}/collated-report.pdf`, 'not a notification', 'application/pdf');
    const owned = openCase({
      caseId: ownedId,
      notification: sampleNotification(),
      receivedAt: clock.now(),
      notificationDocumentKey: notificationDocumentKey(ownedId),
    });
    await cases.createCase(owned.record, owned.agencies, {
      actor: systemActor('test'),
      at: clock.now().toISOString(),
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    clock.set('2026-03-04T08:45:00Z');
    await documents.put(notificationDocumentKey(freshOrphanId), body, 'application/json');
    clock.set('2026-03-04T09:30:00Z');

    const swept = await sweepOrphanNotifications(service);

    expect(swept).toEqual({ removed: [notificationDocumentKey(orphanId)], checked: 3 });
    expect([...documents.objects.keys()].sort()).toEqual(
      [
        notificationDocumentKey(freshOrphanId),
        notificationDocumentKey(ownedId),
        `cases/${orphanId}/collated-report.pdf`,
      ].sort(),
    );
  });
});
