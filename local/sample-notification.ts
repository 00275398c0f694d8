import type { SeriousIncidentNotification } from '../shared/schemas/notification.ts';

/**
 * An invented notification for the demo and tests. Every name is made up and every address is
 * under example.org; no real child, family or practitioner is described.
 */
export function sampleNotification(
  overrides: Partial<SeriousIncidentNotification> = {},
): SeriousIncidentNotification {
  return {
    notifyingLocalAuthority: 'Exampleshire County Council',
    incident: {
      kind: 'serious-harm',
      occurredOn: '2026-03-02',
      location: 'Family home, Exampletown (invented)',
      localAuthorityAwareOn: '2026-03-03',
      panelNotifiedOn: '2026-03-04',
      panelReference: 'PANEL-DEMO-0001',
      summary: 'Invented demonstration case. No real child or family is described.',
    },
    children: [
      {
        name: 'Demo Child One',
        dateOfBirth: '2019-05-14',
        sex: 'not-known',
        ethnicity: { code: 'not-known' },
        disability: { answer: 'not-known' },
        lookedAfter: false,
        lookedAfterStatus: 'never',
        childProtectionPlan: 'previously',
        childInNeed: 'current',
      },
    ],
    agencies: [
      {
        name: "Children's Social Care",
        spoc: { name: 'Spoc Social Care (demo)', email: 'spoc.social-care@example.org' },
      },
      { name: 'Police', spoc: { name: 'Spoc Police (demo)', email: 'spoc.police@example.org' } },
      { name: 'Health', spoc: { name: 'Spoc Health (demo)', email: 'spoc.health@example.org' } },
      { name: 'Education', spoc: { name: 'Spoc Education (demo)', email: 'spoc.education@example.org' } },
    ],
    notifier: {
      name: 'Notifier Person (demo)',
      role: 'Head of Service (demo)',
      email: 'notifier@example.org',
    },
    parallelProcesses: {
      policeInvestigation: true,
      childDeathReview: false,
      safeguardingAdultReview: false,
      domesticHomicideReview: false,
      inquest: false,
    },
    ...overrides,
  };
}
