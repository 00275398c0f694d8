import type { Page } from '../page.ts';
import { directoryPages } from './directory.ts';
import { steerAgencyPages } from './steer-agencies.ts';
import { steerCasePages } from './steer-case.ts';
import { teamReturnPages } from './team-returns.ts';

/**
 * The partnership team's controls on a running case, served by the team pages' function
 * (functions/team-web) through the TeamPages routes of shared/routes.ts (`/cases/{caseId}/`
 * followed by `late-reason`, `notification-only`, `add-agency`, `agencies/...` or `withdraw`):
 * why a late review is late, the notification-only closure, agencies added, changed and removed,
 * an agency's return made by the team (on its behalf, or late after collation), and the
 * withdrawal; and the partnership directory (`/directory` and the pages under it), which the
 * notify pages pick agencies from.
 */
export const teamWebPages: readonly Page[] = [
  // Why a late review is late, and closing a looked-after child's or care leaver's death as
  // notification only (issue 9 parts 3 and 6).
  ...steerCasePages,
  // The team steers the case (issue 10 part 3): agencies added, changed, removed; the review withdrawn.
  ...steerAgencyPages,
  // The team makes an agency's return: on its behalf, or late after collation (an addendum).
  ...teamReturnPages,
  // The partnership directory of agencies, contacts and strategic leads (issue 11 part 6).
  ...directoryPages,
];
