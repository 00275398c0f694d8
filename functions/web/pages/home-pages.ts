import type { Page } from '../page.ts';
import { caseListPages } from './case-list.ts';
import { scrutinyPages } from './scrutiny.ts';
import { yourCasesPages } from './your-cases.ts';
import { yourNotificationsPages } from './your-notifications.ts';

/**
 * Each role's home (issue 11 part 2), served by the home pages' function (functions/home-web)
 * through the HomePages routes of shared/routes.ts: the partnership team's list of cases
 * (`/cases`, and `/cases.csv`); the Rapid Review Group's, the partners' and the Executive Board
 * chair's cases with what each needs from them (`/your-cases`); the scrutineer's read-only list
 * (`/scrutiny`, `/scrutiny/{caseId}`); the notifier's notifications (`/your-notifications`,
 * `/your-notifications/{caseId}`). They only read. Apart from the web function, whose bundle has
 * no room left under 1 MiB. The order is the order of the service navigation.
 */
export const homeWebPages: readonly Page[] = [
  ...caseListPages,
  ...yourCasesPages,
  ...scrutinyPages,
  ...yourNotificationsPages,
];
